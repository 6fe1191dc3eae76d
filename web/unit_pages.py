"""A unit's month in the web pages: its roster with each person's Phiếu 01 (missing and overdue
ones flagged), the button that issues the Phiếu tổng hợp from the archive, and the roster upload.

The same rules as the API (api/units.py): a unit account reaches its own unit only (another
answers 404, audited), the secretariat reads every unit, only a unit changes its roster or issues.
The posts are plain form posts carrying the page's CSRF token.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from archive import excused, roster, service
from archive.models import Unit
from archive.roles import Permission
from archive.store import StoreError
from archive.unit_actions import import_roster, issue_tong_hop, reachable_unit
from auth import access, context
from forms import clock
from forms.vocab import EXCUSE_REASONS
from schemas.roster import ExcusedMonthInSchema, TongHopRequestSchema
from sheets import roster as roster_sheet
from sheets.table import SpreadsheetError
from web import bp, dates
from web.archive_pages import account_page, error_page

UNIT_REFUSAL = ("Tài khoản {role} không xem được đơn vị. Trang này dành cho tài khoản đơn vị và "
                "văn phòng.")
CHANGE_REFUSAL = "Chỉ tài khoản của đơn vị mới thay đổi danh sách hay phát hành phiếu của đơn vị."
EXCUSE_REFUSAL = "Chỉ tài khoản đơn vị và văn phòng mới ghi nhận tháng vắng có lý do."
LINES_SHOWN = 20  # row errors flashed at most (the session cookie is small)


def _unit_not_found():
    return error_page(404, "Không tìm thấy đơn vị", "Không tìm thấy đơn vị này.")


def _this_month():
    today = clock.today()
    return today.year, today.month


def _neighbours(year, month):
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return [period if roster.period_ok(*period) else None for period in (previous, following)]


@bp.route("/don-vi")
@account_page(Permission.READ_UNITS, refusal=UNIT_REFUSAL)
def unit_months():
    """A unit account goes to its own unit's current month; the secretariat picks a unit."""
    principal = access.current()
    year, month = _this_month()
    if principal.role.has_unit:
        unit = context.db().get(Unit, principal.unit_id)
        return redirect(url_for("web.unit_month", code=unit.code, year=year, month=month))
    units = context.db().scalars(select(Unit).order_by(Unit.name)).all()
    return render_template("units.html", units=units, year=year, month=month)


@bp.route("/don-vi/<code>")
@account_page(Permission.READ_UNITS, refusal=UNIT_REFUSAL)
def unit_month_pick(code):
    """The month picker's GET form: ?thang=&nam= → the month's page."""
    year, month = _this_month()
    try:
        year, month = int(request.args.get("nam", year)), int(request.args.get("thang", month))
    except ValueError:
        pass
    if not roster.period_ok(year, month):
        year, month = _this_month()
    return redirect(url_for("web.unit_month", code=code, year=year, month=month))


@bp.route("/don-vi/<code>/<int:year>/<int:month>")
@account_page(Permission.READ_UNITS, refusal=UNIT_REFUSAL)
def unit_month(code, year, month):
    if not roster.period_ok(year, month):
        return error_page(404, "Không có tháng này", "Tháng phải từ 1 đến 12, năm từ 2023 "
                                                     "đến 2100.")
    unit = reachable_unit(context.db(), access.current(), code, "month.read")
    if unit is None:
        return _unit_not_found()
    status = roster.month_status(context.db(), current_app.extensions["store"], unit, year,
                                 month, start=current_app.config["GUIDANCE_START"])
    previous, following = _neighbours(year, month)
    return render_template(
        "unit_month.html", unit=unit, status=status, previous=previous, following=following,
        members=len(roster.roster(context.db(), unit.id)),
        can_import=access.can(Permission.MANAGE_ROSTER), can_issue=access.can(Permission.ISSUE),
        can_excuse=access.can(Permission.EXCUSE_MONTHS), reasons=EXCUSE_REASONS)


def _back(code, year, month, anchor=None):
    return redirect(url_for("web.unit_month", code=code, year=year, month=month,
                            _anchor=anchor), 303)


def _flash_all(error, category="error"):
    """A form's refusal, each message (Vietnamese, labelled) flashed."""
    for field_messages in error.messages.values():
        for message in field_messages:
            flash(message, category)


def _period_from_form():
    try:
        year, month = int(request.form.get("year", "")), int(request.form.get("month", ""))
    except ValueError:
        return _this_month()
    return (year, month) if roster.period_ok(year, month) else _this_month()


@bp.route("/don-vi/<code>/danh-sach", methods=["POST"])
@account_page(Permission.MANAGE_ROSTER, refusal=CHANGE_REFUSAL)
def roster_upload(code):
    """The roster file (multipart, field «file»); back to the month it was sent from."""
    year, month = _period_from_form()
    unit = reachable_unit(context.db(), access.current(), code, "roster.import")
    if unit is None:
        return _unit_not_found()
    back = _back(code, year, month, "danh-sach")
    upload = request.files.get("file")
    content = upload.read() if upload is not None else b""
    if not content:
        flash("Chưa chọn tệp danh sách (hoặc tệp rỗng).", "danh-sach:error")
        return back
    try:
        rows = [(f"Dòng {number}", row) for number, row in roster_sheet.parse(content)]
        summary = import_roster(context.db(), unit, "files", rows)
    except SpreadsheetError as error:
        flash(error.message, "danh-sach:error")
        return back
    except roster.RosterError as error:
        flash(error.message, "danh-sach:error")
        lines = error.lines()
        for line in lines[:LINES_SHOWN]:
            flash(line, "danh-sach:error")
        if len(lines) > LINES_SHOWN:
            flash(f"… và {len(lines) - LINES_SHOWN} lỗi khác.", "danh-sach:error")
        return back
    except service.ArchiveError as error:
        flash(error.message, "danh-sach:error")
        return back
    text = (f"Đã nhập danh sách: {summary['added']} người mới, {summary['updated']} người cập "
            "nhật.")
    if summary["kept"]:
        text += (f" {len(summary['kept'])} người không có trong tệp vẫn được giữ, xếp cuối "
                 f"danh sách: {', '.join(summary['kept'])}.")
    flash(text, "danh-sach:ok")
    return back


@bp.route("/don-vi/<code>/<int:year>/<int:month>/tong-hop", methods=["POST"])
@account_page(Permission.ISSUE, refusal=CHANGE_REFUSAL)
@access.rendering()
def unit_tong_hop(code, year, month):
    """Issues the Phiếu tổng hợp from the archive; to its record's page, or back with why not."""
    if not roster.period_ok(year, month):
        return error_page(404, "Không có tháng này", "Tháng phải từ 1 đến 12.")
    unit = reachable_unit(context.db(), access.current(), code, "issue")
    if unit is None:
        return _unit_not_found()
    raw = {key: request.form.get(key, "").strip() for key in ("signed_on", "head_name")}
    try:
        raw["signed_on"] = dates.iso(raw["signed_on"], "Ngày ký")
    except dates.DateError as error:
        flash(error.message, "tong-hop:error")
        return _back(code, year, month, "tong-hop")
    try:
        overrides = TongHopRequestSchema().load({k: v for k, v in raw.items() if v})
    except ValidationError as error:  # its messages are Vietnamese, labelled
        _flash_all(error, "tong-hop:error")
        return _back(code, year, month, "tong-hop")
    # The page names the version it replaces (a hidden field): the button is the confirmation.
    replaces = request.form.get("replaces", "")
    try:
        issued = issue_tong_hop(context.db(), current_app.extensions["store"],
                                current_app.extensions["converter"], current_app.config,
                                access.current_user(), unit, year, month, overrides,
                                replaces=int(replaces) if replaces.isdigit() else None)
    except (service.ArchiveError, StoreError) as error:
        flash(error.message, "tong-hop:error")
        return _back(code, year, month, "tong-hop")
    document = issued.document
    if issued.unchanged:
        flash(f"Phiếu tổng hợp tháng {month:02d}/{year} không đổi so với bản {document.version} "
              f"đã phát hành (mã lưu trữ {document.code}): không tạo bản mới.", "ok")
    else:
        replaced = f", thay bản {issued.replaced.version}" if issued.replaced else ""
        flash(f"Đã lưu phiếu tổng hợp tháng {month:02d}/{year}: mã lưu trữ {document.code}, "
              f"bản {document.version}{replaced}.", "ok")
    return redirect(url_for("web.document", document_id=document.id), 303)


@bp.route("/don-vi/<code>/<int:year>/<int:month>/vang", methods=["POST"])
@account_page(Permission.EXCUSE_MONTHS, refusal=EXCUSE_REFUSAL)
def unit_excuse(code, year, month):
    """Records that a person owes no Phiếu 01 this month (archive/excused.py); back to the
    month's table with what was done or why not."""
    if not roster.period_ok(year, month):
        return error_page(404, "Không có tháng này", "Tháng phải từ 1 đến 12.")
    unit = reachable_unit(context.db(), access.current(), code, "excused.record")
    if unit is None:
        return _unit_not_found()
    raw = {"full_name": request.form.get("full_name", ""), "year": year, "month": month,
           "reason": request.form.get("reason", ""), "note": request.form.get("note", "")}
    try:
        entry = ExcusedMonthInSchema().load(raw)
        row = excused.record(context.db(), unit, access.current_user(), entry,
                             start=current_app.config["GUIDANCE_START"])
    except ValidationError as error:
        _flash_all(error)
        return _back(code, year, month, "tinh-trang")
    except service.ArchiveError as error:
        flash(error.message, "error")
        return _back(code, year, month, "tinh-trang")
    flash(f"Đã ghi nhận: {row.full_name} vắng có lý do tháng {month:02d}/{year} "
          f"({EXCUSE_REASONS[row.reason].lower()}); tháng này không tính khi xét kết quả năm.",
          "ok")
    return _back(code, year, month, "tinh-trang")


@bp.route("/don-vi/<code>/<int:year>/<int:month>/vang/<int:excused_id>/xoa", methods=["POST"])
@account_page(Permission.EXCUSE_MONTHS, refusal=EXCUSE_REFUSAL)
def unit_excuse_remove(code, year, month, excused_id):
    unit = reachable_unit(context.db(), access.current(), code, "excused.remove")
    if unit is None:
        return _unit_not_found()
    try:
        row = excused.remove(context.db(), unit, access.current_user(), excused_id)
    except service.ArchiveError as error:
        flash(error.message, "error")
        return _back(code, year, month, "tinh-trang")
    flash(f"Đã bỏ ghi nhận vắng của {row.full_name} tháng {row.month:02d}/{row.year}.", "ok")
    return _back(code, year, month, "tinh-trang")
