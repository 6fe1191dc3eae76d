"""The pagination rules of the printed forms, checked on LibreOffice's own layout and mended where
it breaks them. The engine knows nothing of forms: only of a "body table", whose head repeats on
every page, and of its signature block, the first table after it when that one has no head.

0. The table starts on the page of the text above it: where its first rows (with the titles kept
   with them) do not fit there, LibreOffice moves the head and all to the next page, leaving a
   page of header only; the last of those rows is shared out over two rows instead.
1. A signature block never stands on a page without the end of the table it signs: the table's
   last row that is not a total (a "keep with next" row, such as «Cộng»), with the totals after
   it, is on the signature's page.
2. A row marked "keep with next" (a section's title, a total) stays on the page of the row after
   it: no title alone at a page's foot, no page holding a repeated head and a total only.
3. A row LibreOffice splits over pages (a very tall one) says on each page whose it is: it is
   cut where the pages break into rows of their own, each later one with the number and
   «(tiếp)» under it; no piece is a single line.

Word honours "keep with next" on table rows; LibreOffice lays rows out without it. So the rows
these rules look at get bookmarks (`mark`), whose places in LibreOffice's layout, read inside
soffice before any PDF is written (office/layout_probe.py), give the page and height where each
fell (`rows_to_move`): first those of `MARKS`, then, in the rows that split over pages, a
bookmark at each word (`words_to_read`), which tells where each page starts. Where a rule is
broken, the DOCX is mended (`start_pages`) and laid out again; the PDF is exported once, from
the layout that keeps the rules. (A composed packet's PDF has Word bookmarks as named
destinations, ours included: `unmark` removes ours.) Neither Word
nor LibreOffice breaks a page before a table row, so the table is split there: the rows from that
one on go into a new table that carries a copy of the head rows (repeated, as the original's),
after a paragraph of no height that starts a new page. The copied head keeps its footnote marks,
which are text (templates_docx/ooxml.py), and drops any footnote anchor beside them, which would
print the note a second time.
"""

import copy
import io
import re
import zipfile
from dataclasses import dataclass, field

import pikepdf
from lxml import etree

from forms.common import estimated_lines

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
PREFIX = "pg"  # our bookmarks' names: pg<table>r<row>s (a row's start), pg<table>r<row>e<cell>
FIRST_ID = 900000  # bookmark ids past any a template or a composed packet uses
BREAK_LINE_TWIPS = 2  # the page-starting paragraph's height
CONTINUED = "(tiếp)"  # under the number of a row's later part
CONTINUED_HALF_POINTS = 15  # 7.5 pt, not bold: «(tiếp)» fits a number column 10 mm wide
# A row shared out over two: its long cells (this many lines or more) give the second row the
# last part of their text, from this fraction on; the first stays as full as can be.
DIVIDE_MIN_LINES = 4
DIVIDE_AT = 2 / 3
TWIPS_PER_MM = 1440 / 25.4
SAME_LINE = 2  # points: text whose tops are this close is on one line
# Where a row split over pages may be cut: at each word, and at each letter of a word longer than
# a line (LibreOffice breaks those anywhere).
WORD = r"(?<!\S)\S{1,16}(?!\S)\s*|\S\s*|\s+"
# The bookmarks whose places every check reads: the text above a table, a row's start and its
# cells' ends, the signature's last row. The words' are read only in rows split over pages.
MARKS = rf"{PREFIX}\d+(?:b|sig.*|r\d+(?:s|e\d+))"
MM100_PER_POINT = 2540 / 72


def _w(tag):
    return f"{{{W}}}{tag}"


@dataclass
class _Table:
    """What the check needs of one body table: its place among the body's tables, the number
    of its head rows, and which of the rows after the head keep with the next."""

    place: int
    head: int
    keeps: list
    splittable: list  # the rows LibreOffice may split over pages (very tall ones)
    signed: bool  # whether the signature follows (else another part of the table does)
    continued: list  # the rows that are later parts of a row shared out (marked «(tiếp)»)
    marked: set  # the rows given bookmarks


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
    for place, body in enumerate(tables):
        head = len(_head(body))
        after = tables[place + 1] if place + 1 < len(tables) else None
        if not head:
            continue
        # The signature follows, or another part of the table, after a new page.
        signed = after is not None and not _head(after)
        rows = body.findall(_w("tr"))[head:]
        keeps = [_keeps_with_next(row) for row in rows]
        splittable = [i for i, row in enumerate(rows) if _splittable(row)]
        continued = [i for i, row in enumerate(rows) if _is_continued(row)]
        wanted = {0}
        for i in [*(i for i, keep in enumerate(keeps) if keep), _last_content(keeps)]:
            wanted |= set(range(_chain_start(keeps, i) - 1, i + 2))
        marked = {i for i in wanted | set(splittable) if 0 <= i < len(rows)}
        table = _Table(place, head, keeps, splittable, signed, continued, marked)
        before = body.getprevious()
        if before is not None and before.tag == _w("p"):
            _insert_bookmark(before, len(before), f"{PREFIX}{place}b", next(ids))
        for i in sorted(marked):
            _bookmark_row(rows[i], f"{PREFIX}{place}r{i}", ids)
        for i in splittable:
            _bookmark_words(rows[i], f"{PREFIX}{place}r{i}", ids)
        if signed:
            _bookmark_row(after.findall(_w("tr"))[-1], f"{PREFIX}{place}sig", ids)
        plan.append(table)
    return Plan(_write(docx, root), plan)


def words_to_read(places, plan):
    """The pattern of the word bookmarks to read next, given the `places` of MARKS: those of the
    rows that may split and did, over pages; None where no row did."""
    wanted = []
    for table in plan.tables:
        for i in table.splittable:
            name = f"{PREFIX}{table.place}r{i}"
            pages = [place[0] for mark, place in places.items()
                     if mark == f"{name}s" or mark.startswith(f"{name}e")]
            if len(set(pages)) > 1:
                wanted.append(rf"{name}c\d+o\d+")
    return "|".join(wanted) or None


def rows_to_move(places, plan):
    """[(table, row, what, cuts)]: in each body table, the rows LibreOffice split over pages,
    to cut where the pages break (what: "cut"; cuts: each cell's text offsets where a page
    starts); where none, the first row that must start a new page (what: "page"), or, where
    that would leave a page with the head alone, a row to share out over two rows (what:
    "divide"), the second of which moves. `places`: {bookmark: (page, y)}, as
    office/layout_probe.py reads them from the layout (y in 1/100 mm, downwards)."""
    marks = _read_marks({name: (page, -y / MM100_PER_POINT)
                         for name, (page, y) in places.items()})
    moves = []
    for table in plan.tables:
        found = marks.get(table.place, _Marks())
        cuts = [(table.place, table.head + i, what, cut)
                for i, what, cut in _page_breaks(table, found)]
        if cuts:
            moves += cuts
            continue
        move = _first_move(table, found)
        if move is not None:
            moves.append((table.place, table.head + move[0], move[1], None))
    return moves


@dataclass
class _Marks:
    """Where one body table's bookmarks fell: (page, height) each, the height in points and
    growing upwards, as a PDF's."""

    before: tuple = None  # the end of the text above the table
    signature: list = field(default_factory=list)
    starts: dict = field(default_factory=dict)  # row → its start
    ends: dict = field(default_factory=dict)  # row → its cells' ends
    words: dict = field(default_factory=dict)  # row → cell → [(offset, page, height)]


MARK = re.compile(rf"{PREFIX}(\d+)(?:(b)|sig.*|r(\d+)(?:(s)|e\d+|c(\d+)o(\d+)))")


def _read_marks(places):
    marks = {}
    for name, place in places.items():
        found = MARK.fullmatch(name)
        if not found:
            continue
        table, before, row, start, cell, offset = found.groups()
        into = marks.setdefault(int(table), _Marks())
        if before:
            into.before = place
        elif row is None:
            into.signature.append(place)
        elif start:
            into.starts[int(row)] = place
        elif cell is None:
            into.ends.setdefault(int(row), []).append(place)
        else:
            into.words.setdefault(int(row), {}).setdefault(int(cell), []).append(
                (int(offset), *place))
    return marks


def unmark(pdf):
    """The PDF without the destinations `mark` caused (a composed packet's PDF has its
    bookmarks as named destinations: documents/compose.py). Each is blanked where LibreOffice wrote
    it, in the uncompressed dictionary the catalog's /Dests points to: spaces of the same
    length, so that the file's cross-reference offsets hold, and no re-save (which cost more
    than all the rest of the check). A PDF not written so is re-saved without them."""
    catalog = re.search(rb"/Dests (\d+) 0 R", pdf)
    if catalog is None:
        return pdf
    found = re.search(rb"\n%s 0 obj\s*<<" % catalog[1], pdf)
    end = pdf.find(b"endobj", found.end()) if found else -1
    if end == -1:
        return _unmark_by_saving(pdf)
    body = re.sub(rb"/%s\w*\[[^\]]*\]" % PREFIX.encode(),
                  lambda entry: b" " * len(entry[0]), pdf[found.end():end])
    if b"/" + PREFIX.encode() in body:
        return _unmark_by_saving(pdf)
    return pdf[:found.end()] + body + pdf[end:]


def _unmark_by_saving(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as document:
        destinations = document.Root.get("/Dests")
        for name in [name for name in destinations.keys() if name[1:].startswith(PREFIX)]:
            del destinations[name]
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def start_pages(docx, moves):
    """The DOCX with each (table, row, what, cuts) of `moves` done: the table's place among the
    body's tables and the row's place in the table, both from 0; what: "page" starts a new page
    at the row, "divide" shares its text out over two rows, "cut" over as many as the pages it
    fell on, at `cuts`; each row after the first opens with «(tiếp)»."""
    root = _read(docx)
    tables = _tables(root)
    # Later ones first: the places of the others stay valid.
    for place, row, what, cuts in sorted(moves, key=lambda move: move[:2], reverse=True):
        if what == "page":
            _split(tables[place], row)
            continue
        parts = _share(tables[place].findall(_w("tr"))[row], cuts)
        if what == "cut":  # each piece on the page it had: LibreOffice fills no gap with it
            for part in range(parts - 1, 0, -1):
                _split(tables[place], row + part)
    return _write(docx, root)


def _first_move(table, marks):
    def start(i):
        return marks.starts[i][0]

    def end(i):
        return max(page for page, _ in [marks.starts[i], *marks.ends.get(i, [])])

    keeps = table.keeps
    if not keeps or any(i not in marks.starts for i in table.marked):
        return None  # no row, or one not laid out: nothing to check
    first_end = _chain_end(keeps, 0)
    if marks.before is not None and start(0) != marks.before[0]:
        # The first rows do not fit under the text above the table, and went to the next page
        # with the head: a page with no row. The last of them is shared out over two rows.
        return first_end, "divide"
    wanted = next((i for i in range(len(keeps) - 1) if keeps[i] and end(i) != start(i + 1)),
                  None)
    if wanted is None:
        if not table.signed:
            return None
        last = _last_content(keeps)
        if not marks.signature or end(last) == max(page for page, _ in marks.signature):
            return None
        first = _chain_start(keeps, last)
        tall = last in table.splittable and last not in table.continued
        if first == 0 or end(first - 1) != start(first) or tall:
            # Already at a page's top: moving it would leave a head alone, or a gap; or so
            # tall that it would leave most of a page empty. Its text is shared out over two
            # rows, the second of which then moves.
            return last, "divide"
        return first, "page"
    wanted = _chain_start(keeps, wanted)  # the titles and totals kept with it move too
    if wanted == 0 or end(wanted - 1) != start(wanted):
        return None  # already at a page's top: moving it would only leave a gap
    return wanted, "page"


def _page_breaks(table, marks):
    """[(row, what, cuts)] for each row LibreOffice split over pages: "cut", with cuts mapping
    each cell after the number to the text offsets where its next pages start (None: the
    cell's text ended there); or "page", where the row's first line stood alone at a page's
    foot. No piece is a single line: where the last piece would be, a line of the page before
    goes with it."""
    breaks = []
    for i in sorted(table.splittable):
        start, ends = marks.starts.get(i), marks.ends.get(i)
        if start is None or not ends:
            continue  # not laid out (LibreOffice exports no destination for it)
        first, last = start[0], max(page for page, _ in ends)
        if last == first:
            continue
        words = marks.words.get(i, {})  # cell → [(offset, page, top)]
        everything = [place for found in words.values() for _, *place in found] + ends + [start]
        lines = {page: _lines(top for on, top in everything if on == page)
                 for page in range(first, last + 1)}
        if len(lines[first]) == 1:  # with the titles kept with it
            breaks.append((_chain_start(table.keeps, i), "page", None))
            break  # the rows after move: where their pages break is known after a new layout
        moved = lines[last - 1][-1] if len(lines[last]) == 1 and len(lines[last - 1]) > 2 \
            else None  # the last line of the page before, to go with a single last line
        cuts = {cell: [min((offset for offset, on, top in found
                            if on > page or (on == page == last - 1 and moved is not None
                                             and abs(top - moved) <= SAME_LINE)),
                           default=None)
                       for page in range(first, last)] for cell, found in words.items()}
        known = [k for k in range(last - first)
                 if any(at[k] is not None for at in cuts.values())]
        if known:  # else the row's text gives no place to cut at
            breaks.append((i, "cut", {cell: [at[k] for k in known] for cell, at in cuts.items()}))
    return breaks


def _lines(tops):
    """The distinct lines of these tops, from the page's top down."""
    lines = []
    for top in sorted(tops, reverse=True):
        if not lines or lines[-1] - top > SAME_LINE:
            lines.append(top)
    return lines


def _last_content(keeps):
    """The last row that is not kept with the next (not a total)."""
    last = len(keeps) - 1
    while last > 0 and keeps[last]:
        last -= 1
    return last


def _chain_end(keeps, i):
    """The last of the rows kept together with row i: the first from i on not kept with the
    next."""
    while i < len(keeps) - 1 and keeps[i]:
        i += 1
    return i


def _chain_start(keeps, i):
    """The first of the rows kept with row i: i, or the titles just above it."""
    while i > 0 and keeps[i - 1]:
        i -= 1
    return i


def _read(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        return etree.fromstring(source.read(DOCUMENT))


def _write(docx, root):
    """The DOCX with `root` as its document, for LibreOffice only: stored, not compressed, which
    costs a third of the time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == DOCUMENT:
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            target.writestr(zipfile.ZipInfo(item.filename, item.date_time), data)
    return out.getvalue()


def _tables(root):
    return root.find(_w("body")).findall(_w("tbl"))


def _head(table):
    return [row for row in table.findall(_w("tr"))
            if row.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None]


def _keeps_with_next(row):
    first = row.find(f"{_w('tc')}/{_w('p')}")
    return first is not None and first.find(f"{_w('pPr')}/{_w('keepNext')}") is not None


def _share(row, cuts=None):
    """The row's text shared out over it and copies after it. Each copy repeats the number, with
    «(tiếp)» under it in small letters, and the name (a short second cell, which stays whole):
    both fit in what the row's other cells take, so the copies are as tall as the pieces of the
    row LibreOffice had put on each page. `cuts` maps cells (from 1) to where each next row's
    text starts (None: no more text); without `cuts`, the row is divided in two: each long cell
    gives the second the last third of its text (from a word boundary), short ones (a name, a
    rating, a mark) stay whole in the first; with no long cell, the longest is shared out so."""
    cells = row.findall(_w("tc"))
    texts = {number: "".join(_unit(node) for node in _units(cell))
             for number, cell in enumerate(cells) if number}
    cut = cuts is not None
    if not cut:
        cuts = _halves(cells, texts)
    parts = 1 + max((len(at) for at in cuts.values()), default=0)
    rows = [row] + [copy.deepcopy(row) for _ in range(parts - 1)]
    for number, text in texts.items():
        bounds = [0, *[len(text) if at is None else at for at in cuts.get(number, [])]]
        bounds += [len(text)] * (parts + 1 - len(bounds))
        whole = number == 1 and bounds[1] == len(text)  # a name: repeated on every part
        for part, copied in enumerate(rows):
            begin, end = (0, len(text)) if whole else (bounds[part], bounds[part + 1])
            while end > begin and text[end - 1] == "\n":
                end -= 1  # the break that ended the page's last line: no empty line
            _keep_text(copied.findall(_w("tc"))[number], begin, end)
    for copied in rows[1:]:
        copied.find(_w("tc")).findall(_w("p"))[-1].append(_continued())
    if cut:
        for copied in rows[:-1]:  # as the piece LibreOffice put at a page's foot: no margin
            for cell in copied.findall(_w("tc")):
                _no_bottom_margin(cell)
    for earlier, later in zip(rows, rows[1:]):
        earlier.addnext(later)
    return parts


def _no_bottom_margin(cell):
    properties = cell.find(_w("tcPr"))
    if properties is None:
        properties = etree.Element(_w("tcPr"))
        cell.insert(0, properties)
    margins = properties.find(_w("tcMar"))
    if margins is None:
        margins = etree.Element(_w("tcMar"))
        later = [child for child in properties if child.tag in _AFTER_MARGINS]  # schema order
        (later[0].addprevious if later else properties.append)(margins)
    for old in margins.findall(_w("bottom")):
        margins.remove(old)
    etree.SubElement(margins, _w("bottom"), {_w("w"): "0", _w("type"): "dxa"})


def _is_continued(row):
    number = row.find(_w("tc"))
    return number is not None and any(text.text == CONTINUED for text in number.iter(_w("t")))


_AFTER_MARGINS = {_w(tag) for tag in ("textDirection", "tcFitText", "vAlign", "hideMark")}


def _continued():
    run = etree.Element(_w("r"))
    properties = etree.SubElement(run, _w("rPr"))
    etree.SubElement(properties, _w("b"), {_w("val"): "0"})
    etree.SubElement(properties, _w("i"))
    etree.SubElement(properties, _w("sz"), {_w("val"): str(CONTINUED_HALF_POINTS)})
    etree.SubElement(properties, _w("szCs"), {_w("val"): str(CONTINUED_HALF_POINTS)})
    etree.SubElement(run, _w("br"))
    etree.SubElement(run, _w("t")).text = CONTINUED
    return run


def _halves(cells, texts):
    lines = {number: estimated_lines(text, _width_mm(cells[number]))
             for number, text in texts.items()}
    long = [number for number, count in lines.items() if count >= DIVIDE_MIN_LINES]
    if not long and lines:
        long = [max(lines, key=lines.get)]
    cuts = {}
    for number in long:
        text = texts[number]
        spaces = [i for i, char in enumerate(text) if char in " \n"]
        wanted = round(len(text) * DIVIDE_AT)
        cuts[number] = [min(spaces, key=lambda i: abs(i - wanted)) + 1 if spaces else None]
    return cuts


def _splittable(row):
    cant = row.find(f"{_w('trPr')}/{_w('cantSplit')}")
    return cant is None or cant.get(_w("val"), "1") in ("0", "false")


def _bookmark_words(row, name, ids):
    """A bookmark at each word's start (`WORD`) in the row's cells after the number, named by
    the cell and the word's offset in the cell's text: where each page starts in the row."""
    for number, cell in enumerate(row.findall(_w("tc"))):
        if not number:
            continue
        offset = 0
        for node in _units(cell):
            if node.tag == _w("br"):
                offset += 1
                continue
            pieces = re.findall(WORD, node.text or "") or [""]
            node.text = pieces[0]
            run = _run_from(node)
            if offset:
                _bookmark_before(run, f"{name}c{number}o{offset}", ids)
            offset += len(pieces[0])
            last = run
            for piece in pieces[1:]:
                piece_run = _new_run(run)
                text = etree.SubElement(piece_run, _w("t"))
                text.text = piece
                text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                last.addnext(piece_run)
                _bookmark_before(piece_run, f"{name}c{number}o{offset}", ids)
                last = piece_run
                offset += len(piece)
            for sibling in list(node.itersiblings()):  # a break, more text: after the pieces
                last.append(sibling)


def _run_from(node):
    """The run `node` starts: its own, or a new one after it holding node and what follows."""
    run = node.getparent()
    if next(child for child in run if child.tag != _w("rPr")) is node:
        return run
    new = _new_run(run)
    for moved in [node, *node.itersiblings()]:
        new.append(moved)
    run.addnext(new)
    return new


def _new_run(like):
    run = etree.Element(_w("r"))
    properties = like.find(_w("rPr"))
    if properties is not None:
        run.append(copy.deepcopy(properties))
    return run


def _bookmark_before(run, name, ids):
    paragraph = run.getparent()
    _insert_bookmark(paragraph, paragraph.index(run), name, next(ids))


def _width_mm(cell):
    width = cell.find(f"{_w('tcPr')}/{_w('tcW')}")
    if width is None or width.get(_w("type"), "dxa") != "dxa":
        return 0
    return int(width.get(_w("w"), "0")) / TWIPS_PER_MM


def _units(cell):
    return [node for node in cell.iter(_w("t"), _w("br"))]


def _unit(node):
    return "\n" if node.tag == _w("br") else (node.text or "")


def _keep_text(cell, begin, end):
    """Leaves only the characters begin..end of the cell's text (w:br counting as one)."""
    position = 0
    for node in _units(cell):
        length = len(_unit(node))
        keep_from, keep_to = max(begin - position, 0), min(end - position, length)
        if keep_to <= keep_from:
            if node.tag == _w("br"):
                node.getparent().remove(node)
            else:
                node.text = ""
        elif node.tag == _w("t"):
            node.text = node.text[keep_from:keep_to]
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        position += length


def _bookmark_row(row, name, ids):
    """A bookmark at the start of the row's first cell, and, in a row that may split over
    pages, one at the end of every cell: a row that may not is on one page."""
    cells = row.findall(_w("tc"))
    first = cells[0].find(_w("p"))
    properties = first.find(_w("pPr"))
    _insert_bookmark(first, 0 if properties is None else 1, f"{name}s", next(ids))
    for number, cell in enumerate(cells if _splittable(row) else []):
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
