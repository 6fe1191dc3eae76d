"""What the API and the web pages both do with a record, each then answering in its own way
(JSON or a page): find one the account may read, attach a signed scan, check a file. Each step
that reads or changes the archive, or is refused, goes to the audit log here, once."""

from flask import current_app
from flask_smorest import abort

from archive import audit, db, service
from auth import access
from archive.models import Document, User
from archive.store import StoreError, sha256

NOT_FOUND = "Không tìm thấy phiếu này trong kho lưu trữ."
VERIFY_MESSAGES = {
    "document": "Đúng là bản PDF đã phát hành, chưa bị thay đổi.",
    "signed-scan": "Đúng là bản quét đã ký được lưu kèm phiếu này.",
    "altered": "Tệp mang mã lưu trữ của phiếu này nhưng nội dung khác bản đã lưu: đã bị sửa đổi "
               "hoặc không phải bản gốc.",
    None: "Không tìm thấy phiếu nào trong kho lưu trữ trùng với tệp này.",
}


VERIFY_OUTCOMES = {"document": "bản gốc", "signed-scan": "bản quét đã ký", "altered": "đã bị sửa",
                   None: "không khớp phiếu nào"}


def readable_document(document_id, action):
    """The record, if this account may read it; otherwise a 404 (werkzeug's NotFound), whether
    the record belongs to another unit or does not exist (the audit log tells the two apart)."""
    document = service.find(db.session(), access.current(), document_id)
    if document is None:
        exists = db.session().get(Document, document_id) is not None
        audit.record(action, "refused", document_id=document_id,
                     detail="phiếu của đơn vị khác" if exists else "không có phiếu này")
        abort(404, message=NOT_FOUND)
    return document


def stored_file(digest, document, part):
    """A record's stored file, only if it still hashes to the digest its record holds; else a
    500 naming the fault (audited): a missing or changed file is never served."""
    try:
        content = current_app.extensions["store"].get(digest)
    except OSError:
        content = None
    if content is None or sha256(content) != digest:
        audit.record(f"download.{part}", "failed", document_id=document.id,
                     detail=f"tệp {digest} " + ("bị thiếu" if content is None else
                                                "không khớp mã băm"))
        abort(500, message="Tệp lưu trữ của phiếu này bị thiếu hoặc không khớp mã băm đã ghi "
                           "(có thể đã bị sửa hoặc hỏng); đã ghi vào nhật ký, hãy báo quản trị "
                           "viên.")
    return content


def with_history(document):
    """The record with `latest` (no newer version yet) and `versions` (oldest first) set."""
    db_session = db.session()
    document.latest = service.newer_version(db_session, document) is None
    document.versions = service.history(db_session, document)
    return document


def add_signed_scan(document, content, filename):
    """Stores the scan beside the record; ArchiveError (not a scan) or StoreError (disk) else."""
    db_session = db.session()
    user = db_session.get(User, access.current().user_id)
    try:
        scan = service.add_scan(db_session, current_app.extensions["store"], user, document,
                                content, filename)
    except service.ArchiveError as error:
        audit.record("scan.upload", "refused", document_id=document.id, detail=error.message)
        raise
    except StoreError as error:
        audit.record("scan.upload", "failed", document_id=document.id, detail=str(error))
        raise
    audit.record("scan.upload", document_id=document.id,
                 detail=f"bản quét {scan.id}, {scan.media_type}")
    return scan


def verify_file(content):
    """(match, document) as service.verify says, within what this account may read."""
    match, document = service.verify(db.session(), access.current(), content)
    audit.record("verify", document_id=document.id if document else None,
                 detail=VERIFY_OUTCOMES[match])
    return match, document
