"""The reports' endpoints: a year's results per person (II.7) as JSON, .xlsx, PDF or Word; the
Chỉ thị 24 section of a periodic report (II.8) as PDF, Word or JSON; the calendar of periodic
reports.

A unit account reads its own unit only; another unit's code answers 404 exactly as a code that
does not exist (as the archive does for records). The secretariat reads any unit, and the
periodic report of all units together; the administrator reads none. Every report produced,
and every refusal, goes to the audit log.
"""


from flask import current_app, request
from flask_smorest import abort

from api import Blueprint
from api.forms import content_disposition
from archive import audit, reports, unit_month
from archive.models import Unit
from archive.roles import Permission
from archive.unit_actions import reachable_unit
from auth import access, context
from documents.make import MIMETYPES, make_document, safe_filename
from forms import clock, periodic_report, year_end
from schemas.reports import (
    CalendarEntrySchema,
    CalendarQuerySchema,
    PeriodicQuerySchema,
    PeriodicSchema,
    YearEndQuerySchema,
    YearEndSchema,
)
from sheets import year_end as year_end_sheet

bp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
               description="Báo cáo từ kho lưu trữ: kết quả đánh giá, nhận diện cả năm (mục "
                           "II.7), báo cáo định kỳ về thực hiện Chỉ thị 24-CT/TU (mục II.8) và "
                           "lịch báo cáo.")

SECURITY = [{"khoa_api": []}, {"phien_dang_nhap": []}]
UNIT_NOT_FOUND = "Không tìm thấy đơn vị này."
REFUSALS = {
    401: {"description": "Chưa đăng nhập, hoặc khóa API sai"},
    403: {"description": "Vai trò của tài khoản không được xem báo cáo"},
    404: {"description": "Không có đơn vị này (hoặc đơn vị khác, với tài khoản đơn vị), hoặc "
                         "không có người này"},
}
MIMETYPES = {**MIMETYPES, "xlsx": year_end_sheet.XLSX_MIMETYPE}


def _files(*formats):
    """The 200's other content types beside JSON: the report as a file (?format=…)."""
    return {200: {"content": {MIMETYPES[fmt]: {"schema": {"type": "string", "format": "binary"}}
                              for fmt in formats}}}


def _file_response(content, fmt, stem):
    response = current_app.response_class(content, mimetype=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition(
        f"{safe_filename(stem)}.{fmt}")
    return response


def _unit(code, action):
    """The unit asked for, if this account may read it; 404 otherwise (refusal audited)."""
    principal = access.current()
    if principal.role.has_unit and not code:
        return context.db().get(Unit, principal.unit_id)
    if not code:
        abort(422, message="Thiếu mã đơn vị (tham số unit).",
              errors={"query": {"unit": ["Đơn vị: không được để trống"]}})
    unit = reachable_unit(context.db(), principal, code, action)
    if unit is None:
        abort(404, message=UNIT_NOT_FOUND)
    return unit


def _renders(default):
    """Whether this request asks for a file LibreOffice makes (pdf, docx)."""
    return lambda: request.args.get("format", default) in ("pdf", "docx")


def _document(module, result, fmt):
    return make_document(module, result, fmt, settings=current_app.config,
                         converter=current_app.extensions["converter"])


@bp.route("/year-end", methods=["GET"])
@access.require(Permission.READ_REPORTS)
@access.rendering(when=_renders("json"))
@bp.arguments(YearEndQuerySchema, location="query")
@bp.response(200, YearEndSchema)
@bp.doc(security=SECURITY, summary="Kết quả đánh giá, nhận diện cả năm và hệ quả (mục II.7)",
        responses={**REFUSALS, **_files("xlsx", "pdf", "docx"),
                   503: {"description": "LibreOffice tạm thời không dùng được"}})
def year_end_report(query):
    """Mười hai tháng của từng người (từ bản mới nhất của Phiếu 01 đã lưu), số tháng Kém và
    Trung bình, hệ quả đối với xếp loại năm theo mục II.7; tháng không có Phiếu 01 được nêu
    (mục II.3.1, Lưu ý). JSON (mặc định), xlsx, pdf hoặc docx."""
    unit = _unit(query.get("unit"), "report.year_end")
    try:
        result = reports.year_end(context.db(), current_app.extensions["store"], unit,
                                  query["year"], person=query.get("person"),
                                  start=current_app.config["GUIDANCE_START"])
    except reports.ReportError as error:
        audit.record(context.db(), "report.year_end", "refused",
                     detail=f"{unit.code} {query['year']}: {error.message}")
        abort(error.status, message=error.message)
    fmt = query["format"]
    audit.record(context.db(), "report.year_end",
                 detail=f"{unit.code} {query['year']} {fmt}"
                        + (f" {result['person']}" if result["person"] else ""))
    if fmt == "json":
        return result
    if fmt == "xlsx":
        return _file_response(year_end_sheet.xlsx(result), fmt, year_end.metadata(result)["stem"])
    document = _document(year_end, result, fmt)
    return _file_response(document.content, fmt, year_end.metadata(result)["stem"])


@bp.route("/periodic", methods=["GET"])
@access.require(Permission.READ_REPORTS)
@access.rendering(when=_renders("pdf"))
@bp.arguments(PeriodicQuerySchema, location="query")
@bp.response(200, PeriodicSchema)
@bp.doc(security=SECURITY, summary="Báo cáo định kỳ: mục thực hiện Chỉ thị 24-CT/TU (mục II.8)",
        responses={**REFUSALS, **_files("pdf", "docx"),
                   503: {"description": "LibreOffice tạm thời không dùng được"}})
def periodic(query):
    """Số người ở từng mức nhận diện (Tốt, Trung bình, Kém, chưa đánh giá) từng tháng của kỳ,
    và những người ở mức Kém cùng nội dung có biểu hiện và biện pháp khắc phục. Văn phòng bỏ
    trống unit: mọi đơn vị. PDF (mặc định), docx hoặc json."""
    principal = access.current()
    db_session = context.db()
    if not principal.role.has_unit and not query.get("unit"):
        units = unit_month.units(db_session)
        scope = "mọi đơn vị"
    else:
        units = [_unit(query.get("unit"), "report.periodic")]
        scope = units[0].code
    result = reports.periodic(db_session, current_app.extensions["store"], units, query["year"],
                              query["report"], start=current_app.config["GUIDANCE_START"])
    fmt = query["format"]
    audit.record(context.db(), "report.periodic",
                 detail=f"{scope} {query['report']} {query['year']} {fmt}")
    if fmt == "json":
        return result
    document = _document(periodic_report, result, fmt)
    return _file_response(document.content, fmt, periodic_report.metadata(result)["stem"])


@bp.route("/calendar", methods=["GET"])
@access.require(Permission.READ_REPORTS)
@bp.arguments(CalendarQuerySchema, location="query")
@bp.response(200, CalendarEntrySchema(many=True))
@bp.doc(security=SECURITY, summary="Lịch báo cáo định kỳ trong năm (mục II.8)",
        responses=REFUSALS)
def report_calendar(query):
    """Báo cáo quý I, 6 tháng (thay quý II), quý III, năm (thay quý IV): các tháng của kỳ và
    hạn gửi. Không ghi year: năm nay."""
    return reports.calendar(query.get("year") or clock.today().year)
