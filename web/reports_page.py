"""The reports page (/bao-cao): a unit or the secretariat picks a unit, a year (and a period)
and downloads the year-end results or a periodic report; the year's report calendar beside.

The forms are plain GET forms to the API's report endpoints (/api/v1/reports/…), which accept
the login cookie and apply the same rules (a unit reads its own unit only); no script needed.
"""


from flask import render_template, request

from archive import reports, unit_month
from archive.models import Unit
from archive.roles import Permission
from auth import access, context
from forms import clock, rules
from schemas.fields import MAX_YEAR, MIN_YEAR
from web import bp
from web.archive_pages import account_page

REFUSAL = "Tài khoản {role} không xem được báo cáo. Trang này dành cho tài khoản đơn vị và văn " \
          "phòng."


def _year():
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if MIN_YEAR <= year <= MAX_YEAR else clock.today().year


@bp.route("/bao-cao")
@account_page(Permission.READ_REPORTS, refusal=REFUSAL)
def reports_page():
    principal = access.current()
    db_session = context.db()
    year = _year()
    every_unit = not principal.role.has_unit
    return render_template(
        "reports.html", year=year, min_year=MIN_YEAR, max_year=MAX_YEAR,
        every_unit=every_unit,
        units=unit_month.units(db_session) if every_unit else [],
        own_unit=None if every_unit else db_session.get(Unit, principal.unit_id),
        reports=rules.REPORTS, calendar=reports.calendar(year),
        report_now=rules.report_to_prepare(clock.today()))
