"""The one way from validated data to a file: context → DOCX (docxtpl) → PDF (LibreOffice)."""

import re
from dataclasses import dataclass

from documents.batch import batchable
from documents.render import render_docx

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


def make_document(form, data, fmt, *, settings, converter, archive_code=None, pdfa=False):
    """The filled form, or the blank form when `data` is None, as PDF or DOCX.

    An `archive_code` prints, with its QR code, in every page's footer and goes into the
    document's keywords; `pdfa` makes the PDF a PDF/A-2b (ignored for DOCX)."""
    if data is None:
        context, meta = form.blank_context(settings), form.metadata({})
    else:
        context, meta = form.context(data, settings), form.metadata(data)
    docx = render_docx(form.TEMPLATE, context, meta, archive_code=archive_code)
    if fmt == "docx":
        content = docx
    else:  # a form with an archive stamp is converted alone (documents/batch.py)
        content = converter.convert(docx, pdfa=pdfa, batchable=None if archive_code
                                    else batchable(form.TEMPLATE))
    return Document(content, fmt, f"{safe_filename(meta['stem'])}.{fmt}")
