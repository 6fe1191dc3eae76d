"""The batch issue page (/phat-hanh-lo): a unit account uploads one spreadsheet of its people's
Phiếu 01 for a month and follows the job's progress.

The page only renders; web/static/batch.js posts the file to the jobs API
(POST /api/v1/jobs/batch-issue/spreadsheet, with the page's CSRF token) and polls
GET /api/v1/jobs/<id>. /phat-hanh-lo/<id> is the same page following an existing job (a reload,
a link kept): another unit's job, like a missing one, answers the 404 page (refusal audited).
"""

import json

from flask import current_app, render_template, url_for

from archive import audit, roster
from archive.models import Job, Unit
from archive.roles import Permission
from auth import access, context
from forms import clock
from schemas.fields import MAX_YEAR, MIN_YEAR
from web import bp
from web.archive_pages import account_page, error_page, file_size

BATCH_REFUSAL = ("Tài khoản {role} không phát hành phiếu. Trang này dành cho tài khoản đơn vị "
                 "(phát hành cả lô Phiếu số 01 của đơn vị mình).")
JOB_NOT_FOUND = "Không có công việc phát hành này (hoặc đó là công việc của đơn vị khác)."


def _period_of(job):
    """(year, month) of the job's first form, as sent; None if it does not say."""
    first = job.items[0] if job.items else None
    try:
        period = json.loads(first.payload).get("period") if first else None
        year, month = int(period["year"]), int(period["month"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return (year, month) if roster.period_ok(year, month) else None


def _size(limit):
    megabytes = limit / 1024 / 1024
    return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else file_size(limit)


@bp.route("/phat-hanh-lo", defaults={"job_id": None})
@bp.route("/phat-hanh-lo/<job_id>")
@account_page(Permission.ISSUE, refusal=BATCH_REFUSAL)
def batch_issue(job_id):
    principal = access.current()
    db_session = context.db()
    unit = db_session.get(Unit, principal.unit_id)
    today = clock.today()
    job, period = None, None
    if job_id is not None:
        job = db_session.get(Job, job_id[:32])
        if job is None or job.unit_id != principal.unit_id:
            audit.record(context.db(), "job.read", "refused",
                         detail=f"lô «{job_id[:32]}»: " + (
                             "không có" if job is None else "đơn vị khác"))
            return error_page(404, "Không tìm thấy công việc", JOB_NOT_FOUND)
        period = _period_of(job)
    limit = current_app.config["SCAN_MAX_BYTES"]
    return render_template(
        "batch.html", unit=unit, job=job, period=period, year=today.year, month=today.month,
        min_year=MIN_YEAR, max_year=MAX_YEAR, place_name=current_app.config["PLACE_NAME"],
        max_bytes=limit, max_size=_size(limit),
        template_url=url_for("jobs.batch_template"),
        api_url=url_for("jobs.batch_issue_spreadsheet"),
        jobs_url=url_for("jobs.job", job_id="_").rsplit("/", 1)[0])
