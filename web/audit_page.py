"""The administrator's page of the audit log (/nhat-ky): every event, newest first, 50 a page,
filtered by action, outcome and account exactly as GET /api/v1/audit filters (the same query
schema, and archive.audit.events builds the query for both)."""

from flask import render_template, request, url_for
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import select

from archive import audit, db, service
from archive.models import AuditEvent
from schemas.archive import AuditQuerySchema
from schemas.fields import fold
from web import bp
from web.archive_pages import account_page

PAGE_SIZE = 50
ACTIONS = {
    "issue": "Phát hành",
    "download.pdf": "Tải PDF",
    "download.docx": "Tải Word",
    "download.json": "Tải JSON",
    "download.scan": "Tải bản quét",
    "scan.upload": "Tải lên bản quét",
    "verify": "Xác minh tệp",
    "login": "Đăng nhập",
    "logout": "Đăng xuất",
    "read": "Xem hồ sơ",
    "auth.key": "Khóa API",
    "render": "Điền phiếu",
    "access": "Truy cập (theo vai trò)",
}
OUTCOMES = {"ok": "thành công", "refused": "bị từ chối", "failed": "lỗi"}
FILTER_ERRORS = {
    "outcome": "Kết quả: chỉ chọn " + ", ".join(f"«{label}»" for label in OUTCOMES.values()),
    "action": "Việc: không hợp lệ",
    "username": "Tài khoản: không hợp lệ",
}
REFUSAL = ("Tài khoản {role} không xem được nhật ký kiểm tra. Trang này dành cho quản trị "
           "viên.")


@bp.app_template_filter("action_label")
def action_label(action):
    return ACTIONS.get(action, action)


@bp.route("/nhat-ky")
@account_page("admin", refusal=REFUSAL)
def audit_log():
    schema = AuditQuerySchema(unknown=EXCLUDE)
    raw = {key: request.args.get(key, "").strip() for key in schema.fields}
    raw = {key: value for key, value in raw.items() if value}
    try:
        query = schema.load(raw)
        errors = {}
    except ValidationError as error:
        errors = {key: FILTER_ERRORS.get(key, " ".join(messages))
                  for key, messages in error.messages.items()}
        query = schema.load({key: value for key, value in raw.items() if key not in errors})
    db_session = db.session()
    selection = audit.events(**query)
    total = service.count(db_session, selection)
    pages = max(1, -(-total // PAGE_SIZE))
    try:
        page = min(max(1, int(request.args.get("page", 1))), pages)
    except ValueError:
        page = 1
    rows = db_session.scalars(selection.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    present = db_session.scalars(select(AuditEvent.action).distinct()).all()
    # Known actions by their Vietnamese label, then the others (refusals of a page) as named.
    actions = sorted(present, key=lambda action: (action not in ACTIONS,
                                                  fold(action_label(action))))
    filters = {key: value for key, value in raw.items() if key not in errors}

    def page_url(number):
        return url_for("web.audit_log", **filters, page=number)

    return render_template(
        "audit.html", rows=rows, total=total, page=page, pages=pages, page_url=page_url,
        query=raw, errors=errors, actions=actions, outcomes=OUTCOMES, filtered=bool(filters))
