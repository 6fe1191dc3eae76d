"""The archive's endpoints: issue a form into the archive, list and read records, download each
part, upload the signed paper copy's scan, and check whether a PDF is an unaltered original.

A unit account sees only its own unit's records; another unit's record answers 404 exactly as a
record that does not exist. Every download and every refusal goes to the audit log.
"""

import json

from flask import current_app, url_for
from flask_smorest import abort
from flask_smorest.fields import Upload
from marshmallow import Schema

from api import Blueprint
from api.forms import content_disposition
from archive import actions, audit, service
from archive.actions import NOT_FOUND
from archive.roles import Permission
from auth import access, context
from documents.make import MIMETYPES
from forms import FORMS
from schemas import SCHEMAS
from schemas.archive import (
    DocumentDetailSchema,
    DocumentQuerySchema,
    DocumentSchema,
    IssuedSchema,
    IssueQuerySchema,
    ScanSchema,
    VerifyResultSchema,
)

bp = Blueprint("documents", __name__, url_prefix="/api/v1/documents",
               description="Kho lưu trữ: phát hành phiếu (PDF/A), tra cứu, tải về, bản quét đã "
                           "ký, xác minh tệp.")

SECURITY = [{"khoa_api": []}, {"phien_dang_nhap": []}]  # a key, or the web pages' login cookie
REFUSALS = {
    401: {"description": "Chưa đăng nhập, hoặc khóa API sai"},
    403: {"description": "Vai trò của tài khoản không được làm việc này"},
}
UNCHANGED = ("Nội dung giống hệt bản mới nhất đã phát hành: trả lại bản đó («unchanged»: true), "
             "không tạo bản mới")
CONFIRM = ("Phiếu này đã phát hành với nội dung khác mà chưa xác nhận thay bản mới nhất "
           "(replaces thiếu hoặc không đúng bản mới nhất); «current» là bản hiện hành")
PARTS = {"pdf": "application/pdf", "docx": MIMETYPES["docx"], "json": "application/json"}
BINARY = {"type": "string", "format": "binary"}
PART_SCHEMAS = {"pdf": BINARY, "docx": BINARY, "json": {
    "type": "object", "description": "Dữ liệu JSON đã kiểm tra và chuẩn hóa của phiếu, như đã lưu"}}
SCAN_MEDIA_TYPES = sorted({media_type for media_type, _ext in service.SCAN_TYPES.values()})


class FileUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "Tệp gửi lên (multipart/form-data)"},
                  error_messages={"required": "Tệp: chưa chọn tệp (trường «file»)",
                                  "invalid": "Tệp: không phải tệp tải lên"})


def _register_issue(slug):
    form = FORMS[slug]

    @bp.route(f"/{slug}", methods=["POST"], endpoint=f"issue_{slug.replace('-', '_')}")
    @access.require(Permission.ISSUE)
    @access.rendering()
    @bp.arguments(IssueQuerySchema, location="query")
    @bp.arguments(SCHEMAS[slug], location="json")
    @bp.response(201, IssuedSchema, description="Đã phát hành bản mới")
    @bp.alt_response(200, schema=IssuedSchema, description=UNCHANGED)
    @bp.doc(security=SECURITY, summary=f"Phát hành {form.TITLE} vào kho lưu trữ",
            responses={**REFUSALS, 409: {"description": CONFIRM},
                       503: {"description": "LibreOffice hoặc kho tệp tạm thời không dùng "
                                            "được"}})
    def issue(query, data):
        """Điền phiếu, in mã lưu trữ và mã QR ở chân trang, lưu JSON, DOCX và PDF/A-2b cùng mã
        băm. Phiếu cùng người (hoặc cùng đơn vị, với phiếu tổng hợp) và cùng tháng đã có: nội
        dung giống hệt bản mới nhất thì trả lại bản đó (200, «unchanged»: true), không tạo bản
        mới; nội dung khác thì thành bản sửa mới chỉ khi yêu cầu xác nhận thay bản mới nhất
        (replaces=<số bản>), bản cũ vẫn giữ nguyên."""
        return issued_answer(service.issue(
            context.db(), current_app.extensions["store"], current_app.extensions["converter"],
            current_app.config, access.current_user(), slug, data,
            replaces=query.get("replaces")))


def issued_answer(issued):
    """An issue's answer: the record (201 and its Location, or 200 if unchanged)."""
    document, status = actions.issued_record(context.db(), issued)
    return document, status, {"Location": url_for("documents.document", document_id=document.id)}


for _slug in FORMS:
    _register_issue(_slug)


@bp.route("", methods=["GET"])
@access.require(Permission.READ_DOCUMENTS)
@bp.arguments(DocumentQuerySchema, location="query")
@bp.response(200, DocumentSchema(many=True))
@bp.paginate(page_size=20, max_page_size=200)
@bp.doc(security=SECURITY, summary="Tra cứu phiếu đã lưu", responses=REFUSALS)
def documents(query, pagination_parameters):
    """Lọc theo đơn vị, loại phiếu, năm, tháng, họ tên; mặc định chỉ bản mới nhất của mỗi phiếu.
    Số trang, tổng số phiếu nằm trong tiêu đề X-Pagination."""
    return page_of(service.search(access.current(), **query), pagination_parameters)


def page_of(selection, pagination_parameters):
    """The page asked for of a query's rows, the total in X-Pagination; a page past the last is
    empty (and its offset never reaches the database, where a huge one overflows)."""
    db_session = context.db()
    pagination_parameters.item_count = service.count(db_session, selection)
    if pagination_parameters.first_item >= pagination_parameters.item_count:
        return []
    return db_session.scalars(selection.offset(pagination_parameters.first_item)
                              .limit(pagination_parameters.page_size)).all()


@bp.route("/<int:document_id>", methods=["GET"])
@access.require(Permission.READ_DOCUMENTS)
@bp.response(200, DocumentDetailSchema)
@bp.doc(security=SECURITY, summary="Thông tin một phiếu, các lần sửa và bản quét", responses={
    **REFUSALS, 404: {"description": NOT_FOUND}})
def document(document_id):
    return actions.with_history(context.db(), readable(document_id, "read"))


def readable(document_id, action):
    """The record, if this account may read it (actions.readable_document)."""
    return actions.readable_document(context.db(), access.current(), document_id, action)


def _register_download(part):
    @bp.route(f"/<int:document_id>/{part}", methods=["GET"], endpoint=f"document_{part}")
    @access.require(Permission.READ_DOCUMENTS)
    @bp.doc(security=SECURITY, summary=f"Tải tệp {part.upper()} đã lưu", responses={
        200: {"description": "Tệp đã lưu, đúng từng byte",
              "content": {PARTS[part]: {"schema": PART_SCHEMAS[part]}}},
        **REFUSALS, 404: {"description": NOT_FOUND}})
    def download(document_id):
        document = readable(document_id, f"download.{part}")
        store = current_app.extensions["store"]
        content = actions.stored_file(context.db(), store, getattr(document, f"{part}_sha256"),
                                      document, part)
        data = json.loads(content if part == "json" else store.get(document.json_sha256))
        stem = f"{FORMS[document.form].metadata(data)['stem']} - {document.code}"
        audit.record(context.db(), f"download.{part}", document_id=document.id,
                     detail=document.code)
        response = current_app.response_class(content, mimetype=PARTS[part])
        response.headers["Content-Disposition"] = content_disposition(f"{stem}.{part}")
        return response


for _part in PARTS:
    _register_download(_part)


@bp.route("/<int:document_id>/signed-scan", methods=["POST"])
@access.large_upload()
@access.require(Permission.UPLOAD_SCANS)
@bp.arguments(FileUploadSchema, location="files")
@bp.response(201, ScanSchema)
@bp.doc(security=SECURITY, summary="Tải lên bản quét bản giấy đã ký, đóng dấu", responses={
    **REFUSALS, 404: {"description": NOT_FOUND},
    413: {"description": "Tệp quá lớn"},
    415: {"description": "Không phải PDF, JPEG, PNG hay TIFF (xét theo nội dung)"}})
def signed_scan(files, document_id):
    """PDF hoặc ảnh (JPEG, PNG, TIFF), nhận theo nội dung tệp chứ không theo tên; lưu bên cạnh
    bản PDF/A đã phát hành, với mã băm riêng, không thay thế nó."""
    document = readable(document_id, "scan.upload")
    upload = files["file"]
    return actions.add_signed_scan(context.db(), current_app.extensions["store"],
                                   access.current_user(), document, upload.read(),
                                   upload.filename), 201


@bp.route("/<int:document_id>/signed-scans/<int:scan_id>", methods=["GET"])
@access.require(Permission.READ_DOCUMENTS)
@bp.doc(security=SECURITY, summary="Tải bản quét đã ký", responses={
    200: {"description": "Bản quét, đúng từng byte, với loại tệp đã nhận diện khi tải lên",
          "content": {media_type: {"schema": BINARY} for media_type in SCAN_MEDIA_TYPES}},
    **REFUSALS, 404: {"description": NOT_FOUND}})
def signed_scan_file(document_id, scan_id):
    document = readable(document_id, "download.scan")
    scan = next((s for s in document.scans if s.id == scan_id), None)
    if scan is None:
        abort(404, message=NOT_FOUND)
    content = actions.stored_file(context.db(), current_app.extensions["store"], scan.sha256,
                                  document, "scan")
    audit.record(context.db(), "download.scan", document_id=document.id,
                 detail=f"bản quét {scan.id}")
    extension = scan.media_type.rsplit("/", 1)[1].replace("jpeg", "jpg").replace("tiff", "tif")
    response = current_app.response_class(content, mimetype=scan.media_type)
    response.headers["Content-Disposition"] = content_disposition(
        f"Bản quét đã ký - {document.code} - {scan.id}.{extension}")
    return response


@bp.route("/verify", methods=["POST"])
@access.large_upload()
@access.require(Permission.READ_DOCUMENTS)
@bp.arguments(FileUploadSchema, location="files")
@bp.response(200, VerifyResultSchema)
@bp.doc(security=SECURITY, responses=REFUSALS,
        summary="Xác minh một tệp PDF: có đúng là bản đã lưu, chưa bị sửa?")
def verify(files):
    """So mã băm SHA-256 của tệp với các bản PDF/A đã phát hành và các bản quét đã ký mà tài
    khoản được xem; tệp mang mã lưu trữ nhưng khác nội dung được báo là đã bị sửa."""
    match, document = actions.verify_file(context.db(), access.current(), files["file"].read())
    return {"authentic": match in ("document", "signed-scan"), "match": match,
            "message": actions.VERIFY_MESSAGES[match], "document": document}
