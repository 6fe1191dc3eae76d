"""The forms' endpoints: fill, blank, validate; one blueprint per form, made by one factory."""

from urllib.parse import quote

from flask import Response, current_app, request
from marshmallow import Schema, fields, validate

from api import Blueprint
from archive import templates, unit_month
from auth import access, context
from documents.make import MIMETYPES, make_document
from forms import FORMS, rules
from schemas import SCHEMAS
from schemas.fields import fold

FILE_RESPONSES = {
    200: {
        "description": "Phiếu đã điền: PDF (mặc định) hoặc Word (`?format=docx`). Tên tệp tiếng "
                       "Việt nằm trong tiêu đề Content-Disposition (`filename*`).",
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}
                    for mimetype in MIMETYPES.values()},
    },
    503: {"description": "LibreOffice chưa cài, đang quá tải hoặc lỗi; có tiêu đề Retry-After."},
}


class FormatQuerySchema(Schema):
    format = fields.String(
        validate=validate.OneOf(list(MIMETYPES), error="format: chỉ nhận «pdf» hoặc «docx»"),
        metadata={"description": "Định dạng tệp trả về: pdf (mặc định) hoặc docx. Không ghi thì "
                                 "theo tiêu đề Accept."})


class WarningSchema(Schema):
    code = fields.String(metadata={"description": "Mã cảnh báo"})
    field = fields.String(allow_none=True, metadata={"description": "Trường liên quan"})
    message = fields.String(metadata={"description": "Nội dung cảnh báo"})


def _validation_schema(form_schema):
    return Schema.from_dict({
        "data": fields.Nested(form_schema, metadata={
            "description": "Dữ liệu sau chuẩn hóa (cắt khoảng trắng, Unicode NFC, mã lựa chọn)"}),
        "suggestions": fields.Dict(metadata={"description": "Gợi ý tính theo hướng dẫn"}),
        "warnings": fields.List(fields.Nested(WarningSchema), metadata={
            "description": "Cảnh báo theo hướng dẫn; người có thẩm quyền quyết định"}),
    }, name=f"{form_schema.__name__.removesuffix('Schema')}ValidationSchema")


def content_disposition(filename):
    """An ASCII fallback name and the Vietnamese one as RFC 5987 `filename*`."""
    stem, _, extension = filename.rpartition(".")
    ascii_name = f"{fold(stem).replace('_', '-')}.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def chosen_format(query):
    if "format" in query:
        return query["format"]
    best = request.accept_mimetypes.best_match(list(MIMETYPES.values()), default=MIMETYPES["pdf"])
    return next(fmt for fmt, mimetype in MIMETYPES.items() if mimetype == best)


def send(document):
    return Response(document.content, mimetype=document.mimetype, headers={
        "Content-Disposition": content_disposition(document.filename)})


def account_unit_id():
    """The unit whose templates this request's forms are filled with: a unit account's own; for
    anyone else, the district's (archive/templates.py)."""
    principal = access.current()
    return principal.unit_id if principal is not None and principal.role.has_unit else None


def produce(slug, data, query):
    template = templates.current(context.db(), current_app.extensions["store"], slug,
                                 account_unit_id())
    return send(make_document(FORMS[slug], data, chosen_format(query),
                              settings=current_app.config,
                              converter=current_app.extensions["converter"], template=template))


def from_the_archive(data):
    """What the archive adds to a unit account's check of a Phiếu 01: last month's signs left
    unremedied (rules.carried_over). Nothing for anyone else: the check stays stateless."""
    principal = access.current()
    if principal is None or not principal.role.has_unit:
        return []
    previous = unit_month.previous_form(context.db(), current_app.extensions["store"],
                                        principal.unit_id, data["person"]["full_name"],
                                        data["period"]["year"], data["period"]["month"])
    if previous is None:
        return []
    document, previous_data = previous
    warning = rules.carried_over(previous_data, data, document.code)
    return [warning] if warning else []


def account_unless_open():
    """before_request of the stateless rendering endpoints: an account, unless the deployment
    opens them (ALLOW_ANONYMOUS_RENDER)."""
    if not current_app.config["ALLOW_ANONYMOUS_RENDER"] and access.current() is None:
        access.refuse(401, "render")


def form_blueprint(slug):
    form, schema = FORMS[slug], SCHEMAS[slug]
    bp = Blueprint(slug, __name__, url_prefix=f"/api/v1/{slug}",
                   description=f"{form.TITLE}: điền phiếu, lấy mẫu trống, kiểm tra dữ liệu. "
                               "Không lưu gì; để lưu vào kho, dùng /api/v1/documents.")

    bp.before_request(account_unless_open)

    @bp.route("", methods=["POST"])
    @access.rendering()
    @bp.arguments(schema, location="json")
    @bp.arguments(FormatQuerySchema, location="query")
    @bp.doc(summary=f"Điền {form.TITLE}", responses=FILE_RESPONSES)
    def fill(data, query):
        """Nhận dữ liệu JSON, trả phiếu đã điền theo mẫu của Hướng dẫn."""
        return produce(slug, data, query)

    @bp.route("/blank", methods=["GET"])
    @access.rendering()
    @bp.arguments(FormatQuerySchema, location="query")
    @bp.doc(summary=f"{form.TITLE} trống", responses=FILE_RESPONSES)
    def blank(query):
        """Mẫu trống có dòng chấm để điền tay."""
        return produce(slug, None, query)

    @bp.route("/validate", methods=["POST"])
    @bp.arguments(schema, location="json")
    @bp.response(200, _validation_schema(schema))
    @bp.doc(summary=f"Kiểm tra dữ liệu {form.TITLE}")
    def check(data):
        """Chuẩn hóa và kiểm tra dữ liệu, kèm gợi ý và cảnh báo theo Hướng dẫn; không tạo tệp.
        Với tài khoản đơn vị, còn đối chiếu với kho lưu trữ: biểu hiện chưa khắc phục của Phiếu
        số 01 tháng trước (mục II.4)."""
        result = form.check(data)
        if slug == "phieu-01":
            result["warnings"] += from_the_archive(data)
        return {"data": data, **result}

    return bp
