"""The forms' Word templates over the API (the secretariat and the administrator): list the
versions, download the current template, check a template, install it, roll back. The same
functions as the page «Mẫu phiếu» and `flask templates` (archive/templates.py); docs/TEMPLATES.md
tells how to edit one."""

from flask import Response, current_app
from flask_smorest import abort
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from api import Blueprint
from api.documents import REFUSALS, SECURITY
from api.forms import content_disposition
from archive import templates
from archive.roles import Permission
from archive.template_check import TemplateRefused, check
from auth import access, context
from documents.make import MIMETYPES
from documents.template import version_label
from forms import FORMS

bp = Blueprint("templates", __name__, url_prefix="/api/v1/templates",
               description="Mẫu phiếu Word: tải về, kiểm tra, cài, quay lại bản cũ (văn phòng, "
                           "quản trị viên). Hướng dẫn: docs/TEMPLATES.md.")

FORM_PATH = {"description": "Loại phiếu: " + ", ".join(FORMS), "required": True,
             "schema": {"type": "string", "enum": list(FORMS)}}


class TemplateSchema(Schema):
    form = fields.String(metadata={"description": "Loại phiếu"})
    version = fields.Integer(metadata={"description": "Số bản (từ 1, theo loại phiếu)"})
    label = fields.Function(lambda row: version_label(row.version),
                            metadata={"description": "«bản N»"})
    unit = fields.Function(lambda row: row.unit.code if row.unit else None, allow_none=True,
                           metadata={"description": "Mã đơn vị; null: chung cho cả đảng bộ"})
    active = fields.Boolean(metadata={"description": "Đang dùng"})
    sha256 = fields.String(metadata={"description": "Mã băm SHA-256 của tệp mẫu"})
    filename = fields.String(metadata={"description": "Tên tệp đã tải lên"})
    installed_at = fields.DateTime(metadata={"description": "Thời điểm cài (UTC)"})
    installed_by = fields.Function(
        lambda row: row.installed_by.username if row.installed_by else None, allow_none=True,
        metadata={"description": "Tài khoản đã cài; null: dòng lệnh"})


class UnitQuerySchema(Schema):
    unit = fields.String(validate=validate.Length(max=40, error="Đơn vị: mã quá dài"),
                         metadata={"description": "Mã đơn vị; bỏ trống: mẫu chung"})


class TemplateUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "Tệp mẫu .docx (multipart/form-data)"},
                  error_messages={"required": "Tệp: chưa chọn tệp mẫu (trường «file»)",
                                  "invalid": "Tệp: không phải tệp tải lên"})
    unit = fields.String(validate=validate.Length(max=40, error="Đơn vị: mã quá dài"),
                         metadata={"description": "Chỉ cho đơn vị này; bỏ trống: cả đảng bộ"})


class RollbackSchema(Schema):
    version = fields.Integer(required=True, validate=validate.Range(
        min=0, max=10 ** 6, error="Bản: từ 0 (mẫu gốc) trở lên"),
        metadata={"description": "Bản dùng lại; 0: bỏ mẫu đã cài"},
        error_messages={"required": "Bản: bắt buộc", "invalid": "Bản: phải là số"})
    unit = fields.String(validate=validate.Length(max=40, error="Đơn vị: mã quá dài"),
                         metadata={"description": "Với bản 0: đơn vị bỏ mẫu riêng"})


class CheckResultSchema(Schema):
    ok = fields.Boolean(metadata={"description": "Mẫu đạt"})
    previews = fields.List(fields.String(), metadata={
        "description": "Các phiếu đã điền thử và chuyển PDF (xem trước trên trang «Mẫu phiếu»)"})


RESPONSES = {**REFUSALS, 503: {"description": "LibreOffice tạm thời không dùng được"}}


def _form(slug):
    if slug not in FORMS:
        abort(404, message=f"Không có loại phiếu «{slug}».")
    return slug


def _read(upload):
    """The uploaded file's bytes, refused past TEMPLATE_MAX_BYTES without reading further."""
    limit = current_app.config["TEMPLATE_MAX_BYTES"]
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise TemplateRefused([f"Tệp mẫu quá giới hạn {limit // 1024} KB "
                               "(TEMPLATE_MAX_BYTES)."])
    return content


def _refused(error):
    abort(422, errors={"files": {"file": error.problems}})


@bp.route("", methods=["GET"])
@access.require(Permission.MANAGE_TEMPLATES)
@bp.response(200, TemplateSchema(many=True))
@bp.doc(security=SECURITY, responses=REFUSALS, summary="Các bản mẫu đã cài")
def list_templates():
    """Theo loại phiếu, bản mới trước; `active`: bản đang dùng (chung hoặc của đơn vị)."""
    return templates.listing(context.db())


@bp.route("/<form>/docx", methods=["GET"])
@access.require(Permission.MANAGE_TEMPLATES)
@bp.arguments(UnitQuerySchema, location="query")
@bp.doc(security=SECURITY, summary="Tải mẫu đang dùng (.docx) để sửa bằng Word",
        parameters=[{"in": "path", "name": "form", **FORM_PATH}],
        responses={**REFUSALS, 200: {"description": "Tệp .docx", "content": {
            MIMETYPES["docx"]: {"schema": {"type": "string", "format": "binary"}}}}})
def download(query, form):
    """Mẫu chung, hoặc mẫu đang dùng cho đơn vị `unit`."""
    slug = _form(form)
    template, content = templates.for_editing(context.db(), current_app.extensions["store"],
                                              slug, query.get("unit"))
    name = f"Mẫu {FORMS[slug].TITLE} ({template.label}).docx"
    return Response(content, mimetype=MIMETYPES["docx"],
                    headers={"Content-Disposition": content_disposition(name)})


@bp.route("/<form>/check", methods=["POST"])
@access.require(Permission.MANAGE_TEMPLATES)
@access.rendering()
@bp.arguments(TemplateUploadSchema, location="files")
@bp.response(200, CheckResultSchema)
@bp.doc(security=SECURITY, responses=RESPONSES, summary="Kiểm tra một tệp mẫu, không cài",
        parameters=[{"in": "path", "name": "form", **FORM_PATH}])
def check_template(upload, form):
    """Lỗi (422) nêu từng chỗ sai: đoạn văn hay ô bảng, và thẻ."""
    slug = _form(form)
    try:
        checked = check(slug, _read(upload["file"]), current_app.config,
                        current_app.extensions["converter"])
    except TemplateRefused as error:
        _refused(error)
    return {"ok": True, "previews": list(checked.previews)}


@bp.route("/<form>", methods=["POST"])
@access.require(Permission.MANAGE_TEMPLATES)
@access.rendering()
@bp.arguments(TemplateUploadSchema, location="files")
@bp.response(201, TemplateSchema)
@bp.doc(security=SECURITY, responses=RESPONSES, summary="Kiểm tra rồi cài một tệp mẫu",
        parameters=[{"in": "path", "name": "form", **FORM_PATH}])
def install(upload, form):
    """Thành bản mới, đang dùng (chung, hoặc cho đơn vị `unit`); các bản cũ vẫn giữ."""
    slug, file = _form(form), upload["file"]
    try:
        row, _checked = templates.install(
            context.db(), current_app.extensions["store"], current_app.extensions["converter"],
            current_app.config, slug, _read(file), unit_code=upload.get("unit"),
            user=access.current_user(), filename=file.filename or "")
    except TemplateRefused as error:
        _refused(error)
    return row


@bp.route("/<form>/rollback", methods=["POST"])
@access.require(Permission.MANAGE_TEMPLATES)
@bp.arguments(RollbackSchema, location="json")
@bp.response(200, TemplateSchema(many=True))
@bp.doc(security=SECURITY, responses=REFUSALS, summary="Dùng lại một bản cũ (0: mẫu gốc)",
        parameters=[{"in": "path", "name": "form", **FORM_PATH}])
def rollback(body, form):
    """Trả về các bản của loại phiếu này; `active` cho biết bản đang dùng."""
    slug, db = _form(form), context.db()
    templates.rollback(db, slug, body["version"], unit_code=body.get("unit"),
                       user=access.current_user())
    return [row for row in templates.listing(db) if row.form == slug]
