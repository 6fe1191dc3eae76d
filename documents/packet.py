"""The print packet: a unit-month's forms as one PDF to print (the tổng hợp first, then each
Phiếu 01 in roster order) with a bookmark per form, and, for double-sided printing, a blank page
after each form of odd length so the next starts on a new sheet; or the same forms as separate
PDFs in a ZIP.

Forms are converted in chunks (documents/compose.py): LibreOffice loads a chunk once, and the PDF is
cut back into forms at the destinations the chunk's bookmarks became. While the workers convert
one chunk, the next is rendered.
"""

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pikepdf
from pikepdf import Name, OutlineItem

from documents.compose import compose, form_pages
from documents.make import safe_filename
from documents.render import render_body, render_document
from documents.template import built_in

CHUNK = 12  # forms per LibreOffice load (the service's PACKET_CHUNK); docs/BENCHMARKS.md


@dataclass(frozen=True)
class Form:
    """One form to print: its module (forms.phieu_01 or forms.tong_hop), its validated data, the
    bookmark it gets in the packet, and its template (documents.template.Template; None: the
    built-in one)."""

    module: object
    data: dict
    title: str
    template: object = None

    @property
    def source(self):
        return self.template or built_in(self.module.TEMPLATE)


@dataclass(frozen=True)
class Part:
    """One form's pages within a PDF (pikepdf: qpdf copies pages between files in C++, several
    times faster than pypdf in Python)."""

    title: str
    filename: str
    pdf: pikepdf.Pdf
    pages: range


def convert_forms(forms, *, settings, converter, chunk=CHUNK):
    """The PDF pages of each form, in order, as Parts: a generator, so that the caller merges a
    chunk's forms while the workers convert the next ones."""
    with ThreadPoolExecutor(max_workers=converter.capacity) as pool:
        pending = []
        for group in _chunks(forms, chunk):
            first, *others = group
            document = render_document(first.source,
                                       first.module.context(first.data, settings),
                                       first.module.metadata(first.data))
            bodies = [render_body(form.source, form.module.context(form.data, settings))
                      for form in others]
            pending.append((group, pool.submit(converter.convert, compose(document, bodies),
                                               composed=True)))
        for group, future in pending:
            yield from _cut(group, future.result())


def _chunks(forms, size):
    """Runs of consecutive forms of one template, at most `size` long."""
    chunks = []
    for form in forms:
        if (chunks and chunks[-1][0].module is form.module
                and chunks[-1][0].source == form.source and len(chunks[-1]) < size):
            chunks[-1].append(form)
        else:
            chunks.append([form])
    return chunks


def _cut(group, content):
    pdf = pikepdf.open(io.BytesIO(content))
    return [Part(form.title, f"{safe_filename(form.module.metadata(form.data)['stem'])}.pdf",
                 pdf, pages)
            for form, pages in zip(group, form_pages(pdf, len(group)), strict=True)]


def stored_part(title, filename, content):
    """A form already converted (the archive's PDF/A), as a Part."""
    pdf = pikepdf.open(io.BytesIO(content))
    return Part(title, filename, pdf, range(len(pdf.pages)))


def merge(parts, *, duplex=False, title=""):
    """One PDF: the parts in order (any iterable), a bookmark at each; with `duplex`, a blank
    page after a part of odd length, so that every form starts on a new sheet when printed on
    both sides."""
    out = pikepdf.new()
    bookmarks = []
    for part in parts:
        if duplex and len(out.pages) % 2:
            box = out.pages[-1].mediabox
            out.add_blank_page(page_size=(float(box[2] - box[0]), float(box[3] - box[1])))
        bookmarks.append(OutlineItem(part.title, len(out.pages)))
        out.pages.extend(part.pdf.pages[part.pages.start:part.pages.stop])
    with out.open_outline() as outline:
        outline.root.extend(bookmarks)
    out.Root.PageMode = Name.UseOutlines  # the reader opens with the bookmarks shown
    if title:
        out.docinfo[Name.Title] = title
    return _bytes(out)


def zip_parts(parts):
    """The parts as separate PDFs in a ZIP, named in Vietnamese (UTF-8 names)."""
    out = io.BytesIO()
    used = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, part in enumerate(parts, start=1):
            name = f"{number:03d} - {part.filename}"
            while name in used:
                name = name.removesuffix(".pdf") + " (bản khác).pdf"
            used.add(name)
            single = pikepdf.new()
            single.pages.extend(part.pdf.pages[part.pages.start:part.pages.stop])
            archive.writestr(name, _bytes(single))
    return out.getvalue()


def _bytes(pdf):
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def unit_month_forms(tong_hop_data, phieu_01_data, templates=None):
    """The packet's forms, in order: the tổng hợp (if any), then each Phiếu 01 as given;
    `templates` maps a form's slug to its Template (else the built-in one)."""
    from forms import phieu_01, tong_hop

    templates = templates or {}
    forms = ([Form(tong_hop, tong_hop_data, TONG_HOP_TITLE, templates.get("tong-hop"))]
             if tong_hop_data else [])
    return forms + [Form(phieu_01, data, person_title(number, data["person"]["full_name"]),
                         templates.get("phieu-01"))
                    for number, data in enumerate(phieu_01_data, start=1)]


TONG_HOP_TITLE = "Phiếu tổng hợp"


def person_title(number, name):
    return f"{number}. {name}"


def packet_stem(unit_name, month, year, *, duplex=False, fmt="pdf"):
    """The packet's file name without extension; the two-sided PDF and the ZIP each have their
    own, so that the three downloads of one month do not overwrite one another."""
    kind = "Hồ sơ in hai mặt" if duplex and fmt == "pdf" else "Hồ sơ in"
    return safe_filename(f"{kind} - {unit_name} - tháng {month:02d}-{year}")
