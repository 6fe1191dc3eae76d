"""A unit's roster and its month: /api/v1/units/<code>/…

A unit account reaches only its own unit (another unit answers 404, as a unit that does not
exist, and the refusal goes to the audit log); the secretariat reads every unit; the
administrator none. Changing the roster and issuing the tổng hợp are the unit's own acts.
"""

import io

from flask import current_app, request, send_file
from flask_smorest import abort
from marshmallow import Schema, ValidationError

from api import Blueprint, json_body
from api.documents import CONFIRM, REFUSALS, SECURITY, UNCHANGED, issued_answer
from api.forms import content_disposition
from archive import roster
from archive.roles import Permission
from archive.unit_actions import import_roster, issue_tong_hop, month_packet, reachable_unit
from archive.unit_month import roster as members_of
from auth import access, context
from schemas.archive import IssuedSchema, IssueQuerySchema
from schemas.common import flatten
from schemas.fields import Date
from schemas.packet import PacketQuerySchema
from schemas.roster import (
    MemberInSchema,
    MonthStatusSchema,
    RosterImportSchema,
    RosterSchema,
    TongHopRequestSchema,
)
from sheets import roster as roster_sheet
from sheets.table import SpreadsheetError

bp = Blueprint("units", __name__, url_prefix="/api/v1/units",
               description="Đơn vị: danh sách cán bộ, tình trạng Phiếu số 01 của tháng, phiếu "
                           "tổng hợp lập từ hồ sơ.")

UNIT_NOT_FOUND = "Không tìm thấy đơn vị này."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_FOUND_DOC = {404: {"description": UNIT_NOT_FOUND + " (hoặc đơn vị khác với đơn vị của tài "
                                                       "khoản)"}}


class StatusQuerySchema(Schema):
    today = Date("Ngày xét", metadata={"description": "Xét tình trạng như vào ngày này "
                                                      "(NNNN-TT-NN); mặc định hôm nay"})


def unit_for(code, action):
    """The unit, if this account may reach it; a 404 otherwise (refusal audited)."""
    found = reachable_unit(context.db(), access.current(), code, action)
    if found is None:
        abort(404, message=UNIT_NOT_FOUND)
    return found


def checked_period(year, month):
    if not roster.period_ok(year, month):
        abort(404, message="Không có tháng này (tháng 1–12, năm 2023–2100).")


def _roster_body(unit):
    return {"unit": unit.code, "unit_name": unit.name,
            "members": members_of(context.db(), unit.id)}


def rows_from_request():
    """[(label, raw row)] from a multipart file («file»: .xlsx or .csv) or a JSON list."""
    upload = request.files.get("file")
    if upload is not None:
        try:
            rows = roster_sheet.parse(upload.read())
        except SpreadsheetError as error:
            abort(422, message=error.message, errors={"files": {"file": [error.message]}})
        return "files", [(f"Dòng {number}", row) for number, row in rows]
    if request.mimetype == "multipart/form-data":
        abort(422, message="Chưa chọn tệp danh sách (trường «file»).",
              errors={"files": {"file": ["Tệp: chưa chọn tệp (trường «file»)"]}})
    if not request.is_json:
        abort(415, message="Hãy gửi tệp .xlsx/.csv (multipart/form-data, trường «file») hoặc "
                           "một danh sách JSON.")
    body = json_body()
    if not isinstance(body, list):
        abort(422, errors={"json": {"_schema": [
            "Danh sách: phải là một mảng JSON, mỗi người một đối tượng"]}})
    return "json", [(f"Dòng {index + 1}", row) for index, row in enumerate(body)]


def _row_errors(location, error):
    if not error.rows:
        return {location: {"file" if location == "files" else "_schema": [error.message]}}
    if location == "files":
        return {"files": {"file": error.lines()}}
    return {"json": {f"{int(label.split()[-1]) - 1}.{field}" if field != "_schema"
                     else str(int(label.split()[-1]) - 1): messages
                     for label, fields in error.rows.items()
                     for field, messages in fields.items()}}


@bp.route("/<code>/roster", methods=["GET"])
@access.require(Permission.READ_UNITS)
@bp.response(200, RosterSchema)
@bp.doc(security=SECURITY, summary="Danh sách cán bộ của đơn vị",
        responses={**REFUSALS, **NOT_FOUND_DOC})
def get_roster(code):
    """Mọi người trong danh sách, theo thứ tự, kể cả người đã thôi công tác (xem «Đến ngày»)."""
    return _roster_body(unit_for(code, "roster.read"))


@bp.route("/<code>/roster", methods=["PUT"])
@access.require(Permission.MANAGE_ROSTER)
@bp.response(200, RosterImportSchema)
@bp.doc(security=SECURITY, summary="Nhập danh sách cán bộ từ tệp .xlsx/.csv hoặc JSON",
        requestBody={"required": True, "content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {
                "type": "string", "format": "binary",
                "description": "Tệp .xlsx hoặc .csv (UTF-8): STT, Họ và tên, Chức vụ, Từ ngày, "
                               "Đến ngày"}}}},
            "application/json": {"schema": {"type": "array", "items": MemberInSchema}}}},
        responses={**REFUSALS, **NOT_FOUND_DOC,
                   413: {"description": "Tệp quá lớn"},
                   415: {"description": "Không phải tệp hay JSON"},
                   422: {"description": "Tệp không đọc được, hoặc có dòng sai: mọi dòng sai được "
                                        "liệt kê, không dòng nào được nhập"}})
def put_roster(code):
    """Mỗi người (theo họ tên: dựng sẵn NFC, không phân biệt hoa thường, khoảng trắng thừa) được
    thêm mới hoặc cập nhật theo tệp; thứ tự theo cột STT (hoặc thứ tự dòng). Người có trong danh
    sách cũ mà tệp không có vẫn được giữ, xếp sau. Một dòng sai thì không dòng nào được nhập."""
    unit = unit_for(code, "roster.import")
    location, rows = rows_from_request()
    try:
        summary = import_roster(context.db(), unit, location, rows)
    except roster.RosterError as error:
        abort(422, message=error.message, errors=_row_errors(location, error))
    return {**_roster_body(unit), **summary}


@bp.route("/<code>/roster/template.xlsx", methods=["GET"])
@access.require(Permission.READ_UNITS)
@bp.doc(security=SECURITY, summary="Tệp mẫu danh sách cán bộ (.xlsx)", responses={
    200: {"description": "Bảng mẫu", "content": {XLSX: {"schema": {"type": "string",
                                                                   "format": "binary"}}}},
    **REFUSALS, **NOT_FOUND_DOC})
def roster_template(code):
    unit = unit_for(code, "roster.template")
    response = send_file(io.BytesIO(roster_sheet.template_xlsx()), mimetype=XLSX)
    response.headers["Content-Disposition"] = content_disposition(
        f"Mẫu danh sách cán bộ - {unit.name}.xlsx")
    return response


@bp.route("/<code>/months/<int:year>/<int:month>", methods=["GET"])
@access.require(Permission.READ_UNITS)
@bp.arguments(StatusQuerySchema, location="query")
@bp.response(200, MonthStatusSchema)
@bp.doc(security=SECURITY, summary="Tình trạng Phiếu số 01 của đơn vị trong tháng",
        responses={**REFUSALS, **NOT_FOUND_DOC})
def month_status(query, code, year, month):
    """Mỗi người trong danh sách (đang công tác trong tháng), theo thứ tự, với Phiếu số 01 mới
    nhất hoặc «chưa có»; sau hạn tự đánh giá (ngày 25, mục II.6.1) người chưa có phiếu bị đánh
    dấu «quá hạn» kèm gợi ý «Không hoàn thành nhiệm vụ» (mục II.3.1). Người có phiếu mà không có
    trong danh sách được liệt kê sau."""
    checked_period(year, month)
    unit = unit_for(code, "month.read")
    return roster.month_status(context.db(), current_app.extensions["store"], unit, year, month,
                               today=query.get("today"),
                               start=current_app.config["GUIDANCE_START"])


def overrides():
    """The optional JSON body (place, signed_on, head_name); none at all is fine."""
    if not request.get_data(cache=True):
        return {}
    if not request.is_json:
        abort(415)
    body = json_body()
    if body is None:
        abort(400, message="Nội dung gửi lên không phải JSON hợp lệ.")
    try:
        return TongHopRequestSchema().load(body)
    except ValidationError as error:
        abort(422, errors={"json": flatten(error.messages) if isinstance(error.messages, dict)
                           else {"_schema": error.messages}})


@bp.route("/<code>/months/<int:year>/<int:month>/tong-hop", methods=["POST"])
@access.require(Permission.ISSUE)
@access.rendering()
@bp.arguments(IssueQuerySchema, location="query")
@bp.response(201, IssuedSchema, description="Đã phát hành bản mới")
@bp.alt_response(200, schema=IssuedSchema, description=UNCHANGED)
@bp.doc(security=SECURITY, summary="Lập và phát hành phiếu tổng hợp từ các Phiếu số 01 đã lưu",
        requestBody={"required": False, "content": {"application/json": {
            "schema": TongHopRequestSchema}}},
        responses={**REFUSALS, **NOT_FOUND_DOC, 409: {"description": CONFIRM},
                   422: {"description": "Chưa có Phiếu số 01 nào của tháng"},
                   503: {"description": "LibreOffice hoặc kho tệp tạm thời không dùng được"}})
def tong_hop(query, code, year, month):
    """Mỗi người một dòng, lấy từ Phiếu số 01 mới nhất, theo thứ tự danh sách (người ngoài danh
    sách xếp sau, theo tên); phát hành như phiếu tổng hợp gửi qua POST
    /api/v1/documents/tong-hop (cùng quy tắc: không đổi thì trả lại bản đã có, khác thì phải
    xác nhận replaces). Có thể ghi đè địa danh, ngày ký, họ tên thủ trưởng."""
    checked_period(year, month)
    unit = unit_for(code, "issue")
    return issued_answer(issue_tong_hop(
        context.db(), current_app.extensions["store"], current_app.extensions["converter"],
        current_app.config, access.current_user(), unit, year, month, overrides(),
        replaces=query.get("replaces")))



PACKET_TYPES = {"pdf": "application/pdf", "zip": "application/zip"}


@bp.route("/<code>/months/<int:year>/<int:month>/packet", methods=["GET"])
@access.require(Permission.READ_UNITS)
@bp.arguments(PacketQuerySchema, location="query")
@bp.doc(security=SECURITY, summary="Hồ sơ in của đơn vị trong tháng, từ kho lưu trữ",
        responses={**REFUSALS, **NOT_FOUND_DOC, 200: {
            "description": "PDF để in (mỗi phiếu một dấu trang), hoặc ZIP từng phiếu",
            "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}
                        for mimetype in PACKET_TYPES.values()}}})
def packet(query, code, year, month):
    """Phiếu tổng hợp mới nhất in trước, rồi Phiếu số 01 mới nhất của từng người theo thứ tự
    danh sách (người ngoài danh sách xếp sau): đúng các bản PDF/A đã phát hành, có mã lưu trữ để
    đối chiếu với bản giấy đã ký."""
    checked_period(year, month)
    unit = unit_for(code, "packet")
    content, stem = month_packet(context.db(), current_app.extensions["store"], unit, year,
                                 month, fmt=query["format"], duplex=query["duplex"])
    return current_app.response_class(content, mimetype=PACKET_TYPES[query["format"]], headers={
        "Content-Disposition": content_disposition(f"{stem}.{query['format']}")})
