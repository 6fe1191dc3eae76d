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
from dataclasses import dataclass

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

    def __init__(self, message, status=422, field="_schema", current=None):
        super().__init__(message)
        self.message, self.status, self.field = message, status, field
        self.current = current  # a 409 on issuing: the version that stands (a Document)


@dataclass
class Issued:
    """What `issue` did: `document` is the new version, or (`unchanged`) the version already
    holding the very same content; `replaced` is the version a new one replaces."""

    document: Document
    replaced: Document | None = None
    unchanged: bool = False


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


def issue(db, store, converter, settings, user, slug, data, *, replaces=None, claim=None,
          audit_note=""):
    """Issues `data` (validated by SCHEMAS[slug]) as a form of `user`'s unit: the one way a form
    enters the archive (the API, the batch job and the unit's month all come here). Returns an
    `Issued`.

    Issuing is idempotent and a replacement deliberate. The same unit, form, person and month
    is one form: if its latest version holds the same content (the canonical JSON's hash), that
    version is returned, `unchanged`, and nothing is made. Other content becomes the next
    version only if `replaces` names the latest version's number (the caller saw what it
    replaces); else a 409 names that version (`ArchiveError.current`). A first version takes no
    `replaces`. A new version renders the form with a new document code, converts it to PDF/A,
    stores JSON, DOCX and PDF, commits the record and writes the audit log. `audit_note` ends
    the audit entry's detail.

    `claim(document)`, called before the commit of a new version, may make more changes in the
    same transaction (a batch marks its item done); if it returns False, nothing is committed
    and issue returns None: the work was someone else's already.

    Raises ArchiveError (422 on unit.name: another unit's form; 409: replacing unconfirmed, or
    a confirmation of another version than the latest), StoreError (the disk; audited) or
    office.engine.ConversionError."""
    mismatch = unit_mismatch(user, data)
    if mismatch:
        raise ArchiveError(mismatch, 422, field="unit.name")
    try:
        issued = store_version(db, store, converter, settings, user, slug, data,
                               replaces=replaces, claim=claim)
    except StoreError as error:
        audit.record(db, "issue", "failed", user=user, detail=str(error))
        raise
    except ArchiveError as error:
        if error.current is not None:
            audit.record(db, "issue", "refused", document_id=error.current.id, user=user,
                         detail=error.message)
        raise
    if issued is not None:
        document = issued.document
        what = ("không đổi, không tạo bản mới" if issued.unchanged else
                f"thay bản {issued.replaced.version}" if issued.replaced else "")
        audit.record(db, "issue", document_id=document.id, user=user,
                     detail=f"{document.code}, bản {document.version}"
                            f"{f' ({what})' if what else ''}{audit_note}")
    return issued


def describe(slug, data):
    """The form as a person reads it: «Phiếu số 01 của Nguyễn Văn A tháng 11/2026»."""
    period = data["period"]
    whose = (f"của {data['person']['full_name']}" if slug == "phieu-01"
             else f"của {data['unit']['name']}")
    return f"{FORMS[slug].TITLE} {whose} tháng {period['month']:02d}/{period['year']}"


def _confirmed(slug, data, previous, replaces):
    """Refuses (409) a new version that does not name, in `replaces`, the version it replaces."""
    what = describe(slug, data)
    if previous is None:
        if replaces is not None:
            raise ArchiveError(f"{what} chưa được phát hành, nên không có bản {replaces} để thay; "
                               "bỏ xác nhận thay (replaces) để phát hành bản 1.", 409)
        return
    standing = f"bản {previous.version} (mã lưu trữ {previous.code})"
    if replaces is None:
        raise ArchiveError(
            f"{what} đã được phát hành: {standing}, nội dung khác phiếu gửi lên. Phát hành "
            f"bản mới sẽ thay bản {previous.version}, nên phải xác nhận thay bản "
            f"{previous.version} (replaces={previous.version}); bản cũ vẫn được giữ trong hồ sơ.",
            409, current=previous)
    if replaces != previous.version:
        raise ArchiveError(
            f"{what}: bản hiện hành là {standing}, không phải bản {replaces} mà yêu cầu định "
            f"thay (vừa có bản mới hơn). Hãy xem bản {previous.version} rồi xác nhận thay bản "
            f"{previous.version} nếu vẫn muốn thay.", 409, current=previous)


def canonical(slug, data):
    """The JSON stored for `data`: the schema's canonical dump, the same for the same content."""
    return json.dumps(SCHEMAS[slug]().dump(data), ensure_ascii=False, indent=2).encode()


def store_version(db, store, converter, settings, user, slug, data, *, replaces=None,
                  claim=None):
    """`issue`'s inner step: returns the unchanged latest version, or refuses an unconfirmed
    replacement, or renders, converts, stores the files and commits the record (or returns
    None, `claim` refusing), with no unit check and no audit entry. Call `issue`; tests fill an
    archive with this one when the log must stay as the requests left it."""
    from archive.templates import current  # it imports ArchiveError from here

    form = FORMS[slug]
    template = current(db, store, slug, user.unit_id)
    identity, name = _identity(user.unit_id, slug, data)
    payload = canonical(slug, data)
    for _attempt in range(3):
        previous, same = standing(db, user, slug, data)
        if same:
            return Issued(previous, unchanged=True)
        _confirmed(slug, data, previous, replaces)
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
            return Issued(document, replaced=previous)
        except IntegrityError:  # another request took this version (or, rarely, this code)
            db.rollback()
    raise ArchiveError("Phiếu này đang được phát hành đồng thời ở nơi khác; hãy thử lại.", 409)


def standing(db, user, slug, data):
    """(the latest version of this form of `user`'s unit or None, whether it holds this very
    content): what issuing `data` would meet."""
    previous = latest(db, _identity(user.unit_id, slug, data)[0])
    return previous, previous is not None and previous.json_sha256 == sha256(canonical(slug, data))


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
