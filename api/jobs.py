"""Background jobs: the batch issue of a unit's Phiếu 01 (a JSON array, or a spreadsheet with one
row per item), answered at once with a job whose progress GET /api/v1/jobs/<id> reports.

A unit account sends batches for its own unit and reads its own unit's jobs; another unit's job
answers 404 like one that does not exist.
"""

from flask import current_app, url_for
from flask_smorest import abort
from marshmallow import ValidationError

import jobs
from api import Blueprint
from api.documents import REFUSALS, SECURITY
from api.forms import content_disposition
from archive import audit
from archive.models import Job, User
from archive.roles import Permission
from auth import access, context
from forms.people import name_key
from jobs import batch
from schemas.common import PeriodSchema
from schemas.jobs import BatchSchema, BatchSheetFieldsSchema, BatchSheetSchema, JobSchema
from schemas.phieu_01 import PersonSchema
from sheets import batch as batch_sheet
from sheets.table import SpreadsheetError

bp = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs",
               description="Công việc chạy nền: phát hành cả lô Phiếu số 01 của đơn vị.")

NOT_FOUND = "Không có công việc này (hoặc công việc của đơn vị khác)."
ACCEPTED = {"description": "Đã nhận lô phiếu; theo dõi tiến độ ở địa chỉ trong tiêu đề Location"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _start(user, entries, replace_existing):
    db_session = context.db()
    job = batch.create(db_session, user, entries, replace_existing=replace_existing)
    mode = "thay phiếu đã phát hành" if replace_existing else "bỏ qua người đã có phiếu"
    audit.record(db_session, "batch", detail=f"lô {job.id}: {len(entries)} phiếu ({mode})")
    jobs.submit(current_app._get_current_object(), job.id)
    return _view(db_session, job), 202, {"Location": url_for("jobs.job", job_id=job.id)}


def _view(db_session, job):
    db_session.refresh(job)
    items = job.items
    return {
        "id": job.id, "status": job.status, "status_label": batch.STATUS_LABELS[job.status],
        "replace_existing": job.replace_existing,
        **batch.progress(db_session, job), "created_at": job.created_at,
        "finished_at": job.finished_at, "runs": job.runs, "items": items,
        "failures": [item for item in items if item.status == "failed"],
        "skipped_items": [item for item in items if item.status == "skipped"],
        "replaced_items": [item for item in items if item.replaced_id is not None],
    }


def _user():
    return context.db().get(User, access.current().user_id)


@bp.route("/batch-issue", methods=["POST"])
@access.require(Permission.ISSUE)
@access.rendering()
@access.large_upload()
@bp.arguments(BatchSchema, location="json")
@bp.response(202, JobSchema)
@bp.doc(security=SECURITY, summary="Phát hành cả lô Phiếu số 01 (JSON)",
        responses={**REFUSALS, 202: ACCEPTED})
def batch_issue(body):
    """Nhận ngay một công việc; mỗi phiếu được kiểm tra và phát hành riêng, phiếu lỗi không làm
    hỏng các phiếu khác. Người đã có phiếu phát hành trong tháng được bỏ qua, trừ khi
    replace_existing là true. Tiến độ: GET /api/v1/jobs/<id>."""
    if not body["forms"]:
        abort(422, errors={"json": {"forms": ["Danh sách phiếu: chưa có phiếu nào"]}})
    twice = _same_person_twice(body["forms"])
    if twice:
        abort(422, errors={"json": {"forms": twice}})
    return _start(_user(), [batch_sheet.SheetForm(form) for form in body["forms"]],
                  body["replace_existing"])


def _same_person_twice(forms):
    """A message for each form of the same person and month as an earlier one in the batch.
    Both would be issued at once and race for the same record (one failing, which one by
    chance): a batch holds one form per person and month, and the duplicate is refused before
    anything starts. A form whose person or period does not load fails on its own later."""
    seen, messages = {}, []
    for number, form in enumerate(forms, start=1):
        try:
            person = PersonSchema().load(form.get("person"))
            period = PeriodSchema().load(form.get("period"))
        except (ValidationError, AttributeError, TypeError):
            continue
        key = (name_key(person["full_name"]), period["year"], period["month"])
        if key in seen:
            messages.append(
                f"Phiếu {number}: cùng người, cùng tháng với phiếu {seen[key]} "
                f"(«{person['full_name']}», tháng {period['month']:02d}/{period['year']}); mỗi "
                "lô chỉ một phiếu cho một người trong một tháng, hãy bỏ bớt một phiếu")
        else:
            seen[key] = number
    return messages


@bp.route("/batch-issue/spreadsheet", methods=["POST"])
@access.require(Permission.ISSUE)
@access.rendering()
@access.large_upload()
@bp.arguments(BatchSheetFieldsSchema, location="form")
@bp.arguments(BatchSheetSchema, location="files")
@bp.response(202, JobSchema)
@bp.doc(security=SECURITY, summary="Phát hành cả lô Phiếu số 01 từ bảng tính",
        responses={**REFUSALS, 202: ACCEPTED})
def batch_issue_spreadsheet(fields, files):
    """Bảng tính mỗi dòng một mục của phiếu (theo mẫu), cùng tháng, năm, ngày ký, thủ trưởng
    chung cho cả lô; đơn vị là đơn vị của tài khoản. Giá trị sai ở dòng của một người chỉ làm
    phiếu của người đó bị từ chối («Dòng 5 (Họ tên): …»); bảng sai mẫu, hay dòng không có họ
    tên, thì cả tệp bị từ chối (422). Người đã có phiếu phát hành: như lô JSON
    (replace_existing)."""
    user = _user()
    upload = files["file"]
    common = {"unit": {"name": user.unit.name, **({"parent": user.unit.parent}
                                                  if user.unit.parent else {})},
              "period": {"month": fields["month"], "year": fields["year"]},
              **{key: fields[key] for key in ("place", "head_name") if fields.get(key)},
              **({"signed_on": fields["signed_on"].isoformat()} if fields.get("signed_on")
                 else {})}
    try:
        entries = batch_sheet.read_batch(upload.filename, upload.read(), common)
    except SpreadsheetError as error:
        abort(422, message=error.message, errors={"files": {"file": [error.message]}})
    if not entries:
        abort(422, errors={"files": {"file": ["Tệp: bảng tính chưa có dòng nào có họ tên"]}})
    return _start(user, entries, fields["replace_existing"])


@bp.route("/batch-issue/template.xlsx", methods=["GET"])
@bp.doc(summary="Mẫu bảng tính để phát hành cả lô Phiếu số 01",
        responses={200: {"description": "Tệp .xlsx", "content": {XLSX: {}}}})
def batch_template():
    return (batch_sheet.batch_template_xlsx(), 200, {
        "Content-Type": XLSX,
        "Content-Disposition": content_disposition("Mẫu phát hành lô Phiếu 01.xlsx")})


@bp.route("/<job_id>", methods=["GET"])
@access.require(Permission.READ_JOBS)
@bp.response(200, JobSchema)
@bp.doc(security=SECURITY, summary="Tiến độ một công việc",
        responses={**REFUSALS, 404: {"description": NOT_FOUND}})
def job(job_id):
    """Số phiếu đã phát hành, lỗi (kèm lý do) và còn chờ."""
    db_session = context.db()
    principal = access.current()
    found = db_session.get(Job, job_id[:32])
    if found is None or (principal.role.has_unit and found.unit_id != principal.unit_id):
        abort(404, message=NOT_FOUND)
    return _view(db_session, found)
