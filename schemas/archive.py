"""What the archive's API says about its records (output), and its query parameters (input)."""

from flask import url_for
from marshmallow import Schema, fields, validate

from documents.template import version_label
from forms import FORMS
from schemas.fields import MAX_YEAR, MIN_YEAR, Text


def about(text):
    return {"metadata": {"description": text}}


def _links(document):
    return {**{part: url_for(f"documents.document_{part}", document_id=document.id)
               for part in ("pdf", "docx", "json")},
            "self": url_for("documents.document", document_id=document.id)}


class UnitRefSchema(Schema):
    code = fields.String(**about("Mã đơn vị"))
    name = fields.String(**about("Tên đơn vị"))


class ScanSchema(Schema):
    id = fields.Integer(**about("Số của bản quét"))
    filename = fields.String(**about("Tên tệp khi tải lên"))
    media_type = fields.String(**about("Loại tệp, xét theo nội dung"))
    size = fields.Integer(**about("Dung lượng (byte)"))
    sha256 = fields.String(**about("Mã băm SHA-256 của bản quét"))
    uploaded_at = fields.DateTime(**about("Thời điểm tải lên (UTC)"))
    uploaded_by = fields.Function(lambda scan: scan.uploaded_by.display_name,
                                  **about("Người tải lên"))
    download = fields.Function(lambda scan: url_for(
        "documents.signed_scan_file", document_id=scan.document_id, scan_id=scan.id),
        **about("Địa chỉ tải bản quét"))


class DocumentSchema(Schema):
    id = fields.Integer(**about("Số hồ sơ"))
    code = fields.String(**about("Mã lưu trữ in ở chân trang và trong mã QR"))
    form = fields.String(**about("Loại phiếu: phieu-01 hoặc tong-hop"))
    form_title = fields.Function(lambda d: FORMS[d.form].TITLE, **about("Tên loại phiếu"))
    unit = fields.Nested(UnitRefSchema, **about("Đơn vị"))
    year = fields.Integer(**about("Năm đánh giá"))
    month = fields.Integer(**about("Tháng đánh giá"))
    person_name = fields.String(allow_none=True, **about("Người được đánh giá (Phiếu 01)"))
    version = fields.Integer(**about("Lần phát hành: 1, 2 (bản sửa), …"))
    previous_id = fields.Integer(allow_none=True, **about("Bản trước (nếu là bản sửa)"))
    title = fields.String(**about("Tiêu đề tài liệu (cũng ghi trong PDF)"))
    issued_at = fields.DateTime(**about("Thời điểm phát hành (UTC)"))
    issued_by = fields.Function(lambda d: d.issued_by.display_name, **about("Người phát hành"))
    sha256 = fields.Function(lambda d: {"json": d.json_sha256, "docx": d.docx_sha256,
                                        "pdf": d.pdf_sha256},
                             **about("Mã băm SHA-256 của từng tệp"))
    template = fields.Function(
        lambda d: None if d.template_sha256 is None else {
            "version": d.template_version, "label": version_label(d.template_version),
            "sha256": d.template_sha256},
        allow_none=True, **about("Mẫu Word đã dùng: số bản (0: mẫu gốc) và mã băm SHA-256; null "
                                 "với phiếu phát hành trước khi mẫu được lưu theo bản"))
    links = fields.Function(_links, **about("Địa chỉ tải PDF, Word, JSON và xem hồ sơ"))


class VersionSchema(DocumentSchema):
    class Meta:
        fields = ("id", "code", "version", "issued_at", "issued_by", "links")


class DocumentDetailSchema(DocumentSchema):
    latest = fields.Boolean(**about("Là bản mới nhất (chưa có bản sửa)"))
    versions = fields.List(fields.Nested(VersionSchema),
                           **about("Mọi lần phát hành của cùng phiếu, cũ trước"))
    scans = fields.List(fields.Nested(ScanSchema), **about("Bản quét bản giấy đã ký, đóng dấu"))


class IssuedSchema(DocumentDetailSchema):
    """The answer to an issue: the record, and what the issue did."""

    unchanged = fields.Boolean(**about(
        "true: nội dung giống hệt bản mới nhất đã phát hành, không tạo bản mới; hồ sơ trả về là "
        "bản đó (mã trạng thái 200 thay vì 201)"))
    replaced = fields.Nested(VersionSchema, allow_none=True, **about(
        "Bản mà bản mới này thay (khi phát hành với replaces); null nếu là bản 1 hoặc không đổi"))


class IssueQuerySchema(Schema):
    replaces = fields.Integer(
        validate=validate.Range(1, 2**31 - 1, error="replaces: phải là số bản, từ 1"),
        error_messages={"invalid": "replaces: phải là số bản (số nguyên)"},
        metadata={"description": (
            "Xác nhận thay bản này (số bản hiện hành, ví dụ 5): bắt buộc khi phiếu cùng người "
            "(hoặc cùng đơn vị, với phiếu tổng hợp) và cùng tháng đã phát hành với nội dung "
            "khác; thiếu hoặc không đúng bản mới nhất thì trả 409, kèm bản hiện hành "
            "(«current»)")})


class DocumentQuerySchema(Schema):
    unit = Text("Đơn vị", max_length=40, description="Mã đơn vị (văn phòng xem mọi đơn vị)")
    form = fields.String(validate=validate.OneOf(list(FORMS), error="form: chỉ nhận "
                                                 + " hoặc ".join(f"«{f}»" for f in FORMS)),
                         metadata={"description": "Loại phiếu"})
    year = fields.Integer(validate=validate.Range(MIN_YEAR, MAX_YEAR, error=(
        f"Năm: phải từ {MIN_YEAR} đến {MAX_YEAR}")), error_messages={
        "invalid": "Năm: phải là số nguyên"}, metadata={"description": "Năm"})
    month = fields.Integer(validate=validate.Range(1, 12, error="Tháng: phải từ 1 đến 12"),
                           error_messages={"invalid": "Tháng: phải là số nguyên"},
                           metadata={"description": "Tháng"})
    person = Text("Họ tên", max_length=200, description="Tìm theo họ tên (không phân biệt dấu, "
                                                         "hoa thường)")
    all_versions = fields.Boolean(load_default=False, error_messages={
        "invalid": "all_versions: chỉ nhận true hoặc false"}, metadata={
        "description": "Cả các bản đã được sửa (mặc định chỉ bản mới nhất)"})


class VerifyResultSchema(Schema):
    authentic = fields.Boolean(**about("Tệp trùng khớp từng byte với một tệp trong kho"))
    match = fields.String(allow_none=True, **about(
        "document (bản PDF/A đã phát hành), signed-scan (bản quét đã ký), altered (mang mã lưu "
        "trữ nhưng nội dung khác) hoặc null"))
    message = fields.String(**about("Kết luận, bằng lời"))
    document = fields.Nested(DocumentSchema, allow_none=True, **about("Phiếu khớp, nếu có"))


class AuditEventSchema(Schema):
    id = fields.Integer(**about("Số thứ tự sự kiện"))
    at = fields.DateTime(**about("Thời điểm (UTC)"))
    username = fields.String(allow_none=True, **about("Tài khoản (trống: chưa đăng nhập)"))
    action = fields.String(**about("Việc: issue, download.pdf, scan.upload, login, …"))
    outcome = fields.String(**about("ok, refused (bị từ chối) hoặc failed (lỗi)"))
    document_id = fields.Integer(allow_none=True, **about("Số hồ sơ liên quan"))
    method = fields.String(allow_none=True, **about("Phương thức HTTP"))
    path = fields.String(allow_none=True, **about("Địa chỉ được gọi"))
    remote_addr = fields.String(allow_none=True, **about("Địa chỉ IP gửi yêu cầu"))
    detail = fields.String(**about("Chi tiết"))


class AuditQuerySchema(Schema):
    # Text fields: a control character (a NUL, which PostgreSQL cannot compare) is a 422.
    action = Text("Việc", max_length=40, description="Lọc theo việc (ví dụ download.pdf)")
    outcome = fields.String(validate=validate.OneOf(["ok", "refused", "failed"]),
                            metadata={"description": "ok, refused hoặc failed"})
    username = Text("Tài khoản", max_length=80, description="Lọc theo tài khoản")
