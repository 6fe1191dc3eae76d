"""The pagination rules of the printed forms, checked on LibreOffice's own layout and mended where it
breaks them. The engine knows nothing of forms: only of a "body table", whose head repeats on
every page, and of its signature block, the first table after it when that one has no head.

1. A signature block never stands on a page without the end of the table it signs: the table's
   last row that is not a total (a "keep with next" row, such as «Cộng»), with the totals after
   it, is on the signature's page.
2. A row marked "keep with next" (a section's title, a total) stays on the page of the row after
   it: no title alone at a page's foot, no page holding a repeated head and a total only.

Word honours "keep with next" on table rows; LibreOffice lays rows out without it. So the rows
these rules look at get bookmarks (`mark`), which the PDF export turns into named destinations:
the page each fell on (`rows_to_move`). Where a rule is broken, a new page starts at the row that
must move (`start_pages`) and the document is laid out again; the destinations are then removed
(`unmark`). Neither Word nor LibreOffice breaks a page before a table row, so the table is split
there: the rows from that one on go into a new table that carries a copy of the head rows
(repeated, as the original's), after a paragraph of no height that starts a new page. The copied
head keeps its footnote marks, which are text (templates_docx/build.py), and drops the footnote
anchors beside them, which would print the notes a second time.
"""

import copy
import io
import re
import zipfile
from dataclasses import dataclass

import pikepdf
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
PREFIX = "pg"  # our bookmarks' names: pg<table>r<row>s (a row's start), pg<table>r<row>e<cell>
FIRST_ID = 900000  # bookmark ids past any a template or a composed packet uses
BREAK_LINE_TWIPS = 2  # the page-starting paragraph's height
# The PDF export option that makes bookmarks named destinations.
EXPORT_OPTIONS = {"ExportBookmarksToPDFDestination": True}


def _w(tag):
    return f"{{{W}}}{tag}"


@dataclass
class _Table:
    """What the check needs of one body table: its place among the body's tables, the number
    of its head rows, and which of the rows after the head keep with the next."""

    place: int
    head: int
    keeps: list


@dataclass
class Plan:
    """The marked DOCX and what `rows_to_move` needs to read its PDF."""

    docx: bytes
    tables: list


def mark(docx):
    """Bookmarks on the rows the rules look at, in every body table; a Plan."""
    root = _read(docx)
    tables = _tables(root)
    plan = []
    ids = iter(range(FIRST_ID, FIRST_ID + 10 ** 6))
    for place, (body, after) in enumerate(zip(tables, tables[1:])):
        head = len(_head(body))
        if not head or _head(after):
            continue
        rows = body.findall(_w("tr"))[head:]
        keeps = [_keeps_with_next(row) for row in rows]
        table = _Table(place, head, keeps)
        wanted = set()
        for i in [*(i for i, keep in enumerate(keeps) if keep), _last_content(keeps)]:
            wanted |= set(range(_chain_start(keeps, i) - 1, i + 2))
        for i in sorted(i for i in wanted if 0 <= i < len(rows)):
            _bookmark_row(rows[i], f"{PREFIX}{place}r{i}", ids)
        _bookmark_row(after.findall(_w("tr"))[-1], f"{PREFIX}{place}sig", ids)
        plan.append(table)
    return Plan(_write(docx, root), plan)


def rows_to_move(pdf, plan):
    """[(table, row)]: in each body table, the first row that must start a new page, if any."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = _mark_pages(document)
    moves = []
    for table in plan.tables:
        row = _first_move(table, pages)
        if row is not None:
            moves.append((table.place, table.head + row))
    return moves


def unmark(pdf):
    """The PDF without the destinations `mark` caused."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        destinations = document.Root.get("/Dests")
        if destinations is None:
            return pdf
        for name in [name for name in destinations.keys() if name[1:].startswith(PREFIX)]:
            del destinations[name]
        if not len(destinations):
            del document.Root["/Dests"]
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def start_pages(docx, moves):
    """The DOCX with a new page started at each (table, row) of `moves`: the table's place among
    the body's tables, the row's place in the table, both from 0."""
    root = _read(docx)
    tables = _tables(root)
    for place, row in sorted(moves, reverse=True):  # later ones first: places stay valid
        _split(tables[place], row)
    return _write(docx, root)


def _first_move(table, pages):
    def start(i):
        return pages[f"{PREFIX}{table.place}r{i}s"]

    def end(i):
        return max(page for name, page in pages.items()
                   if re.fullmatch(rf"{PREFIX}{table.place}r{i}(s|e\d+)", name))

    keeps = table.keeps
    wanted = next((i for i in range(len(keeps) - 1) if keeps[i] and end(i) != start(i + 1)),
                  None)
    if wanted is None:
        last = _last_content(keeps)
        signature = max(page for name, page in pages.items()
                        if name.startswith(f"{PREFIX}{table.place}sig"))
        if end(last) == signature:
            return None
        wanted = last
    wanted = _chain_start(keeps, wanted)  # the titles and totals kept with it move too
    if wanted == 0 or end(wanted - 1) != start(wanted):
        return None  # already at a page's top: moving it would only leave a gap
    return wanted


def _last_content(keeps):
    """The last row that is not kept with the next (not a total)."""
    last = len(keeps) - 1
    while last > 0 and keeps[last]:
        last -= 1
    return last


def _chain_start(keeps, i):
    """The first of the rows kept with row i: i, or the titles just above it."""
    while i > 0 and keeps[i - 1]:
        i -= 1
    return i


def _mark_pages(document):
    numbers = {page.obj.objgen: number for number, page in enumerate(document.pages)}
    destinations = document.Root.get("/Dests", pikepdf.Dictionary())
    return {str(name)[1:]: numbers[target[0].objgen]
            for name, target in destinations.items() if str(name)[1:].startswith(PREFIX)}


def _read(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        return etree.fromstring(source.read(DOCUMENT))


def _write(docx, root):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == DOCUMENT:
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            target.writestr(item, data)
    return out.getvalue()


def _tables(root):
    return root.find(_w("body")).findall(_w("tbl"))


def _head(table):
    return [row for row in table.findall(_w("tr"))
            if row.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None]


def _keeps_with_next(row):
    first = row.find(f"{_w('tc')}/{_w('p')}")
    return first is not None and first.find(f"{_w('pPr')}/{_w('keepNext')}") is not None


def _bookmark_row(row, name, ids):
    """A bookmark at the start of the row's first cell, and one at the end of every cell."""
    cells = row.findall(_w("tc"))
    first = cells[0].find(_w("p"))
    properties = first.find(_w("pPr"))
    _insert_bookmark(first, 0 if properties is None else 1, f"{name}s", next(ids))
    for number, cell in enumerate(cells):
        paragraph = cell.findall(_w("p"))[-1]
        _insert_bookmark(paragraph, len(paragraph), f"{name}e{number}", next(ids))


def _insert_bookmark(paragraph, at, name, bookmark_id):
    start = etree.Element(_w("bookmarkStart"), {_w("id"): str(bookmark_id), _w("name"): name})
    end = etree.Element(_w("bookmarkEnd"), {_w("id"): str(bookmark_id)})
    paragraph.insert(at, start)
    paragraph.insert(at + 1, end)


def _split(table, at):
    rows = table.findall(_w("tr"))
    head = _head(table)
    if not len(head) <= at < len(rows):
        raise ValueError(f"no row {at} to start a page at")
    lower = etree.Element(_w("tbl"))
    lower.append(copy.deepcopy(table.find(_w("tblPr"))))
    lower.append(copy.deepcopy(table.find(_w("tblGrid"))))
    for row in head:
        copied = copy.deepcopy(row)
        for reference in list(copied.iter(_w("footnoteReference"))):
            run = reference.getparent()
            run.getparent().remove(run)
        lower.append(copied)
    for row in rows[at:]:
        lower.append(row)  # moved
    table.addnext(lower)
    table.addnext(_page_start())


def _page_start():
    paragraph = etree.Element(_w("p"))
    properties = etree.SubElement(paragraph, _w("pPr"))
    etree.SubElement(properties, _w("pageBreakBefore"))
    etree.SubElement(properties, _w("spacing"), {
        _w("before"): "0", _w("after"): "0", _w("line"): str(BREAK_LINE_TWIPS),
        _w("lineRule"): "exact"})
    run_properties = etree.SubElement(properties, _w("rPr"))
    etree.SubElement(run_properties, _w("sz"), {_w("val"): "2"})
    return paragraph
