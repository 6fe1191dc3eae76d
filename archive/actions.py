"""What the API and the web pages both do with a record, each then answering in its own way
(JSON or a page): find one the account may read, attach a signed scan, check a file. Each step
that reads or changes the archive, or is refused, goes to the audit log here, once.

`principal` is whoever asks (anything with `role` and `unit_id`: the request's principal, or a
User); refusals raise service.ArchiveError with the message and status to answer."""

from archive import audit, service
from archive.models import Document
from archive.store import StoreError, sha256

NOT_FOUND = "Không tìm thấy phiếu này trong kho lưu trữ."
FILE_DAMAGED = ("Tệp lưu trữ của phiếu này bị thiếu hoặc không khớp mã băm đã ghi (có thể đã bị "
                "sửa hoặc hỏng); đã ghi vào nhật ký, hãy báo quản trị viên.")
VERIFY_MESSAGES = {
    "document": "Đúng là bản PDF đã phát hành, chưa bị thay đổi.",
    "signed-scan": "Đúng là bản quét đã ký được lưu kèm phiếu này.",
    "altered": "Tệp mang mã lưu trữ của phiếu này nhưng nội dung khác bản đã lưu: đã bị sửa đổi "
               "hoặc không phải bản gốc.",
    None: "Không tìm thấy phiếu nào trong kho lưu trữ trùng với tệp này.",
}


VERIFY_OUTCOMES = {"document": "bản gốc", "signed-scan": "bản quét đã ký", "altered": "đã bị sửa",
                   None: "không khớp phiếu nào"}


def readable_document(db, principal, document_id, action):
    """The record, if this account may read it; otherwise ArchiveError 404, whether the record
    belongs to another unit or does not exist (the audit log tells the two apart)."""
    document = service.find(db, principal, document_id)
    if document is None:
        exists = db.get(Document, document_id) is not None
        audit.record(db, action, "refused", document_id=document_id,
                     detail="phiếu của đơn vị khác" if exists else "không có phiếu này")
        raise service.ArchiveError(NOT_FOUND, 404)
    return document


def stored_file(db, store, digest, document, part):
    """A record's stored file, only if it still hashes to the digest its record holds; else
    ArchiveError 500 naming the fault (audited): a missing or changed file is never served."""
    try:
        content = store.get(digest)
    except OSError:
        content = None
    if content is None or sha256(content) != digest:
        audit.record(db, f"download.{part}", "failed", document_id=document.id,
                     detail=f"tệp {digest} " + ("bị thiếu" if content is None else
                                                "không khớp mã băm"))
        raise service.ArchiveError(FILE_DAMAGED, 500)
    return content


def with_history(db, document):
    """The record with `latest` (no newer version yet) and `versions` (oldest first) set."""
    document.latest = service.newer_version(db, document) is None
    document.versions = service.history(db, document)
    return document


def issued_record(db, issued):
    """An issue's answer (service.Issued): the record with its history, `unchanged` and
    `replaced` set, and the HTTP status it answers (201 a new version, 200 the same one)."""
    document = with_history(db, issued.document)
    document.unchanged, document.replaced = issued.unchanged, issued.replaced
    return document, 200 if issued.unchanged else 201


def add_signed_scan(db, store, user, document, content, filename):
    """Stores `user`'s scan beside the record; ArchiveError (not a scan) or StoreError (disk)
    else."""
    try:
        scan = service.add_scan(db, store, user, document, content, filename)
    except service.ArchiveError as error:
        audit.record(db, "scan.upload", "refused", document_id=document.id, user=user,
                     detail=error.message)
        raise
    except StoreError as error:
        audit.record(db, "scan.upload", "failed", document_id=document.id, user=user,
                     detail=str(error))
        raise
    audit.record(db, "scan.upload", document_id=document.id, user=user,
                 detail=f"bản quét {scan.id}, {scan.media_type}")
    return scan


def verify_file(db, principal, content):
    """(match, document) as service.verify says, within what this account may read."""
    match, document = service.verify(db, principal, content)
    audit.record(db, "verify", document_id=document.id if document else None,
                 detail=VERIFY_OUTCOMES[match])
    return match, document
