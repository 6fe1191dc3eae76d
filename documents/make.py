"""The one way from validated data to a file: context → DOCX (docxtpl) → PDF (LibreOffice)."""

import re
from dataclasses import dataclass

from documents.batch import batchable
from documents.cache import cached, content_key
from documents.render import render_docx, template_digest
from documents.template import built_in

MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Document:
    content: bytes
    format: str
    filename: str  # Vietnamese, NFC, safe as a file name

    @property
    def mimetype(self):
        return MIMETYPES[self.format]


def safe_filename(stem):
    return re.sub(r'[\\/:*?"<>|\s]+', " ", stem).strip()[:150]


def make_document(form, data, fmt, *, settings, converter, archive_code=None, pdfa=False,
                  template=None):
    """The filled form, or the blank form when `data` is None, as PDF or DOCX.

    An `archive_code` prints, with its QR code, in every page's footer and goes into the
    document's keywords; `pdfa` makes the PDF a PDF/A-2b (ignored for DOCX). `template` (a
    documents.template.Template, from archive.templates.current) is the form's built-in one by
    default."""
    if data is None:
        context, meta = form.blank_context(settings), form.metadata({})
    else:
        context, meta = form.context(data, settings), form.metadata(data)
    template = template or built_in(form.TEMPLATE)
    filename = f"{safe_filename(meta['stem'])}.{fmt}"
    if archive_code is not None:  # an issue into the archive: its own code, never cached
        docx = render_docx(template, context, meta, archive_code=archive_code)
        content = docx if fmt == "docx" else converter.convert(docx, pdfa=pdfa)
        return Document(content, fmt, filename)
    key = content_key(template_digest(template), context, meta)

    def made(kind, make):
        if key is None:
            return make()
        slot = (form.TEMPLATE, template.sha256, kind) if data is None else None
        return cached((key, kind), slot, make, settings=settings, converter=converter)

    docx = made("docx", lambda: render_docx(template, context, meta))
    if fmt == "docx":
        return Document(docx, fmt, filename)
    content = made("pdfa" if pdfa else "pdf", lambda: converter.convert(
        docx, pdfa=pdfa, batchable=batchable(template)))
    return Document(content, fmt, filename)
