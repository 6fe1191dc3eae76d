"""The administrator's page of the audit log (/nhat-ky): every event, newest first, 50 a page,
filtered by action, outcome and account exactly as GET /api/v1/audit filters (the same query
schema, and archive.audit.events builds the query for both)."""

from flask import render_template, url_for
from sqlalchemy import select

from archive import audit
from archive.models import AuditEvent
from archive.roles import Permission
from auth import context
from schemas.archive import AuditQuerySchema
from schemas.fields import fold
from web import bp
from web.archive_pages import account_page, filters_from, one_page

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
    "template-install": "Cài mẫu phiếu",
    "template-rollback": "Đổi bản mẫu phiếu",
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
@account_page(Permission.READ_AUDIT, refusal=REFUSAL)
def audit_log():
    raw, query, errors = filters_from(AuditQuerySchema, messages=FILTER_ERRORS)
    db_session = context.db()
    rows, total, page, pages = one_page(db_session, audit.events(**query), PAGE_SIZE)
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
