"""The print packet: a unit-month's forms as one PDF to print (the tổng hợp first, then each
Phiếu 01 in roster order) with a bookmark per form, and, for double-sided printing, a blank page
after each form of odd length so the next starts on a new sheet; or the same forms as separate
PDFs in a ZIP.

Forms are converted in chunks (forms/compose.py): LibreOffice loads a chunk once, and the PDF is
cut back into forms at the destinations the chunk's bookmarks became. While the workers convert
one chunk, the next is rendered.
"""

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter

from forms.compose import compose, form_start
from forms.convert import ConversionError
from forms.documents import safe_filename
from forms.render import render_document

CHUNK = 25  # forms per LibreOffice load (the service's PACKET_CHUNK); docs/BENCHMARKS.md


@dataclass(frozen=True)
class Form:
    """One form to print: its module (forms.phieu_01 or forms.tong_hop), its validated data, and
    the bookmark it gets in the packet."""

    module: object
    data: dict
    title: str


@dataclass(frozen=True)
class Part:
    """One form's pages within a PDF."""

    title: str
    filename: str
    reader: PdfReader
    pages: range


def convert_forms(forms, *, settings, converter, chunk=CHUNK):
    """The PDF pages of each form, in order, as Parts: a generator, so that the caller merges a
    chunk's forms while the workers convert the next ones."""
    with ThreadPoolExecutor(max_workers=len(converter.workers)) as pool:
        pending = []
        for group in _chunks(forms, chunk):
            documents = [render_document(form.module.TEMPLATE, form.module.context(form.data,
                                                                                   settings),
                                         form.module.metadata(form.data)) for form in group]
            pending.append((group, pool.submit(converter.convert, compose(documents),
                                               composed=True)))
        for group, future in pending:
            yield from _cut(group, future.result())


def _chunks(forms, size):
    """Runs of consecutive forms of one template, at most `size` long."""
    chunks = []
    for form in forms:
        if chunks and chunks[-1][0].module is form.module and len(chunks[-1]) < size:
            chunks[-1].append(form)
        else:
            chunks.append([form])
    return chunks


def _cut(group, pdf):
    reader = PdfReader(io.BytesIO(pdf))
    destinations = reader.named_destinations
    try:
        starts = [reader.get_destination_page_number(destinations["/" + form_start(number)])
                  for number in range(len(group))]
    except KeyError:
        raise ConversionError("LibreOffice không đánh dấu được chỗ bắt đầu của từng phiếu trong "
                              "tệp gộp; hãy thử lại.") from None
    ends = [*starts[1:], len(reader.pages)]
    return [Part(form.title, f"{safe_filename(form.module.metadata(form.data)['stem'])}.pdf",
                 reader, range(start, end))
            for form, start, end in zip(group, starts, ends, strict=True)]


def stored_part(title, filename, pdf):
    """A form already converted (the archive's PDF/A), as a Part."""
    reader = PdfReader(io.BytesIO(pdf))
    return Part(title, filename, reader, range(len(reader.pages)))


def merge(parts, *, duplex=False, title=""):
    """One PDF: the parts in order (any iterable), a bookmark at each; with `duplex`, a blank
    page after a part of odd length, so that every form starts on a new sheet when printed on
    both sides."""
    writer = PdfWriter()
    for part in parts:
        if duplex and len(writer.pages) % 2:
            box = writer.pages[-1].mediabox
            writer.add_blank_page(width=box.width, height=box.height)
        first = len(writer.pages)
        for index in part.pages:
            writer.add_page(part.reader.pages[index])
        writer.add_outline_item(title=part.title, page_number=first)
    writer.page_mode = "/UseOutlines"  # the reader opens with the bookmarks shown
    if title:
        writer.add_metadata({"/Title": title})
    return _bytes(writer)


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
            writer = PdfWriter()
            for index in part.pages:
                writer.add_page(part.reader.pages[index])
            archive.writestr(name, _bytes(writer))
    return out.getvalue()


def _bytes(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def unit_month_forms(tong_hop_data, phieu_01_data):
    """The packet's forms, in order: the tổng hợp (if any), then each Phiếu 01 as given."""
    from forms import phieu_01, tong_hop

    forms = [Form(tong_hop, tong_hop_data, TONG_HOP_TITLE)] if tong_hop_data else []
    return forms + [Form(phieu_01, data, person_title(number, data["person"]["full_name"]))
                    for number, data in enumerate(phieu_01_data, start=1)]


TONG_HOP_TITLE = "Phiếu tổng hợp"


def person_title(number, name):
    return f"{number}. {name}"


def packet_stem(unit_name, month, year):
    return safe_filename(f"Hồ sơ in - {unit_name} - tháng {month:02d}-{year}")
