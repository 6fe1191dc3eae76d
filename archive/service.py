"""Issuing into the archive and reading it back: the one place that decides what a record holds,
which version it is, who may see it, and whether a PDF is one of ours.

An issue writes its three files first (each atomically, content-addressed), then commits the row
that names them. A crash in between leaves at most unreferenced files (reported by
`flask check-files`), never a record pointing at nothing.
"""

import io
import json
import logging
import secrets

from pypdf import PdfReader
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from archive import audit
from archive.models import Document, SignedScan, Unit
from archive.store import StoreError, sha256
from documents.make import make_document
from forms import FORMS
from forms.people import name_key
from schemas import SCHEMAS
from schemas.fields import fold, quoted

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
SCAN_TYPES = {  # signature at the start of the file → (media type, file extension)
    b"%PDF-": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"II*\x00": ("image/tiff", "tif"),
    b"MM\x00*": ("image/tiff", "tif"),
}


class ArchiveError(Exception):
    """What the archive refuses to do, and why: `message` (Vietnamese, for the person asking) and
    the HTTP `status` it answers; a 422 names the input `field` at fault ("_schema": the input
    as a whole)."""

    def __init__(self, message, status=422, field="_schema"):
        super().__init__(message)
        self.message, self.status, self.field = message, status, field


def new_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _identity(unit_id, slug, data):
    name = data["person"]["full_name"] if slug == "phieu-01" else None
    return {"unit_id": unit_id, "form": slug, "person_key": name_key(name),
            "year": data["period"]["year"], "month": data["period"]["month"]}, name


def latest(db, identity):
    return db.scalar(select(Document).filter_by(**identity)
                     .order_by(Document.version.desc()).limit(1))


def unit_mismatch(user, data):
    """Why this account may not issue `data` (another unit's form), or None."""
    if name_key(data["unit"]["name"]) == name_key(user.unit.name):
        return None
    return (f"Đơn vị: «{data['unit']['name']}» không phải đơn vị của tài khoản này "
            f"(«{user.unit.name}»)")


def issue(db, store, converter, settings, user, slug, data, *, claim=None, audit_note=""):
    """Issues `data` (validated by SCHEMAS[slug]) as a form of `user`'s unit: the one way a form
    enters the archive (the API, the batch job and the unit's month all come here). Checks the
    unit, renders the form with a new document code, converts it to PDF/A, stores JSON, DOCX
    and PDF, commits the record and writes the audit log; a correction (same unit, form, person
    and month) becomes the next version. `audit_note` ends the audit entry's detail.

    `claim(document)`, called before the commit, may make more changes in the same transaction
    (a batch marks its item done); if it returns False, nothing is committed and issue returns
    None: the work was someone else's already.

    Raises ArchiveError (422 on unit.name: another unit's form; 409: issued meanwhile
    elsewhere), StoreError (the disk; audited) or office.engine.ConversionError."""
    mismatch = unit_mismatch(user, data)
    if mismatch:
        raise ArchiveError(mismatch, 422, field="unit.name")
    try:
        document = store_version(db, store, converter, settings, user, slug, data, claim=claim)
    except StoreError as error:
        audit.record(db, "issue", "failed", user=user, detail=str(error))
        raise
    if document is not None:
        audit.record(db, "issue", document_id=document.id, user=user,
                     detail=f"{document.code}, bản {document.version}{audit_note}")
    return document


def store_version(db, store, converter, settings, user, slug, data, *, claim=None):
    """`issue`'s inner step: renders, converts, stores the files and commits the record (or
    returns None, `claim` refusing), with no unit check and no audit entry. Call `issue`; tests
    fill an archive with this one when the log must stay as the requests left it."""
    from archive.templates import current  # it imports ArchiveError from here

    form = FORMS[slug]
    template = current(db, store, slug, user.unit_id)
    identity, name = _identity(user.unit_id, slug, data)
    payload = json.dumps(SCHEMAS[slug]().dump(data), ensure_ascii=False, indent=2).encode()
    for _attempt in range(3):
        previous = latest(db, identity)
        code = new_code()
        docx = make_document(form, data, "docx", settings=settings, converter=converter,
                             archive_code=code, template=template).content
        pdf = converter.convert(docx, pdfa=True)
        document = Document(
            **identity, code=code, person_name=name, person_search=fold(name or ""),
            version=previous.version + 1 if previous else 1,
            previous_id=previous.id if previous else None,
            title=form.metadata(data)["title"], issued_by_id=user.id,
            json_sha256=store.put(payload), docx_sha256=store.put(docx), pdf_sha256=store.put(pdf),
            template_version=template.version, template_sha256=store.put(template.content))
        db.add(document)
        try:
            if claim is not None:
                db.flush()
                if not claim(document):
                    db.rollback()
                    return None
            db.commit()
            return document
        except IntegrityError:  # another request took this version (or, rarely, this code)
            db.rollback()
    raise ArchiveError("Phiếu này đang được phát hành đồng thời ở nơi khác; hãy thử lại.", 409)


def visible(principal):
    """The documents this account may read: its own unit's, or every unit's."""
    query = select(Document)
    if principal.role.has_unit:
        query = query.where(Document.unit_id == principal.unit_id)
    return query


def find(db, principal, document_id):
    return db.scalar(visible(principal).where(Document.id == document_id))


def is_latest_clause():
    newer = aliased(Document)
    return ~exists(select(newer.id).where(newer.previous_id == Document.id))


def search(principal, *, unit=None, form=None, year=None, month=None, person=None,
           all_versions=False):
    query = visible(principal)
    if unit:
        query = query.join(Unit, Unit.id == Document.unit_id).where(Unit.code == unit)
    if form:
        query = query.where(Document.form == form)
    if year:
        query = query.where(Document.year == year)
    if month:
        query = query.where(Document.month == month)
    if person:
        query = query.where(Document.person_search.contains(fold(person), autoescape=True))
    if not all_versions:
        query = query.where(is_latest_clause())
    return query.order_by(Document.year.desc(), Document.month.desc(), Document.unit_id,
                          Document.person_search, Document.version.desc())


def count(db, query):
    return db.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def history(db, document):
    """Every version of the same unit, form, person and month, oldest first."""
    return db.scalars(select(Document).filter_by(
        unit_id=document.unit_id, form=document.form, person_key=document.person_key,
        year=document.year, month=document.month).order_by(Document.version)).all()


def superseded(db, documents):
    """The ids among `documents` that have a newer version."""
    ids = [document.id for document in documents]
    if not ids:
        return set()
    return set(db.scalars(select(Document.previous_id).where(Document.previous_id.in_(ids))))


def newer_version(db, document):
    return db.scalar(select(Document).where(Document.previous_id == document.id))


def verify(db, principal, content):
    """What the archive knows of this file: ("document" | "signed-scan", document) for an exact
    match, ("altered", document) for a PDF bearing one of our codes whose bytes differ, or
    (None, None)."""
    digest = sha256(content)
    document = db.scalar(visible(principal).where(Document.pdf_sha256 == digest))
    if document is not None:
        return "document", document
    document = db.scalar(visible(principal).join(SignedScan).where(SignedScan.sha256 == digest))
    if document is not None:
        return "signed-scan", document
    code = claimed_code(content)
    if code:
        document = db.scalar(visible(principal).where(Document.code == code))
        if document is not None:
            return "altered", document
    return None, None


# UNREADABLE_PDF: a file sent to be checked is anybody's, and a damaged or hostile PDF makes pypdf
# fail in any way (an Info dictionary that is a reference to itself: AttributeError; a deep
# nesting: RecursionError). Any failure to read it means "not a PDF we can read", never a 500.
# Its warnings about such files are not logged: one file made 1,771 lines.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def claimed_code(content):
    """The document code a PDF says it carries (its Keywords), if it is a PDF at all."""
    try:
        info = PdfReader(io.BytesIO(content)).metadata or {}
        keywords = str(info.get("/Keywords") or "")
    except Exception:  # UNREADABLE_PDF, above
        return None
    candidates = [word for word in keywords.replace(",", " ").split()
                  if len(word) == 9 and word[4] == "-"]
    return candidates[0] if candidates else None


def scan_type(content):
    """(media type, extension) judged by the bytes, never by the file's name; None if the file is
    not a PDF, JPEG, PNG or TIFF (or a PDF that does not open)."""
    for signature, kind in SCAN_TYPES.items():
        if content.startswith(signature):
            if kind[0] == "application/pdf" and not _opens_as_pdf(content):
                return None
            return kind
    return None


def _opens_as_pdf(content):
    try:
        return len(PdfReader(io.BytesIO(content)).pages) > 0
    except Exception:  # UNREADABLE_PDF, above
        return False


def add_scan(db, store, user, document, content, filename):
    kind = scan_type(content)
    if kind is None:
        raise ArchiveError("Tệp bản quét phải là PDF, JPEG, PNG hoặc TIFF (xét theo nội dung tệp, "
                           "không theo tên).", 415)
    scan = SignedScan(document_id=document.id, sha256=store.put(content), media_type=kind[0],
                      size=len(content), filename=quoted(filename or f"ban-quet.{kind[1]}", 255),
                      uploaded_by_id=user.id)
    db.add(scan)
    db.commit()
    return scan
