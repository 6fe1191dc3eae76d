"""The archive in the web pages: the list of saved forms, one record with its versions and signed
scans, the secretariat's upload of a signed scan, and checking whether a file is an original.

Everything goes through archive.service and the same rules as the JSON API: a unit account sees
its own unit's records only, another unit's record answers 404 like a missing one (and the
refusal goes to the audit log), the administrator reads no records. Downloads link to the API's
endpoints, which accept the login cookie.
"""

from functools import wraps

from flask import current_app, flash, redirect, render_template, request, url_for
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import select

from archive import actions, audit, service
from archive.actions import NOT_FOUND
from archive.models import Unit
from archive.roles import Permission
from archive.store import StoreError
from auth import access, context
from documents.template import version_label
from forms import FORMS, clock
from schemas.archive import DocumentQuerySchema
from web import bp

PAGE_SIZE = 20

VERIFY_ANSWERS = {  # match → (tone, heading, explanation)
    "document": ("ok", "Đúng là bản gốc",
                 "Tệp trùng khớp từng byte với bản PDF đã phát hành và lưu trong kho; chưa bị "
                 "thay đổi."),
    "signed-scan": ("ok", "Đúng là bản quét đã ký",
                    "Tệp trùng khớp từng byte với bản quét bản giấy đã ký, đóng dấu được lưu kèm "
                    "phiếu này."),
    "altered": ("bad", "Tệp đã bị sửa đổi",
                "Tệp mang mã lưu trữ của phiếu dưới đây nhưng nội dung khác bản đã lưu: đã bị "
                "sửa đổi hoặc không phải bản gốc. Hãy dùng bản tải từ kho."),
    None: ("none", "Không tìm thấy",
           "Không có phiếu nào trong kho lưu trữ (trong phạm vi tài khoản này được xem) trùng "
           "với tệp này."),
}


# ---------------------------------------------------------------------- helpers for templates

@bp.app_template_filter("local_time")
def local_time(moment, seconds=False):
    """dd/mm/yyyy HH:MM (HH:MM:SS with `seconds`) in Hà Nội time."""
    pattern = "%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M"
    return moment.astimezone(clock.LOCAL_TIME).strftime(pattern) if moment else ""


@bp.app_template_filter("file_size")
def file_size(size):
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


bp.app_template_global("template_label")(version_label)


@bp.app_template_global()
def form_title(slug):
    return FORMS[slug].TITLE


@bp.app_context_processor
def account():
    """The header's account block: who is logged in, and where "Đăng nhập" comes back to."""
    principal = access.current()
    if request.endpoint == "accounts.login":
        here = request.values.get("next") or url_for("web.index")
    else:
        query = request.query_string.decode("latin-1")
        here = request.path + (f"?{query}" if query else "")
    return {"principal": principal, "login_next": here,
            "role_label": principal.role.label if principal else None,
            "reads_records": access.can(Permission.READ_DOCUMENTS),
            "issues_batches": access.can(Permission.ISSUE),
            "reads_audit": access.can(Permission.READ_AUDIT),
            "manages_templates": access.can(Permission.MANAGE_TEMPLATES)}


def error_page(status, title, message):
    return render_template("error.html", title=title, message=message), status


def not_found():
    return error_page(404, "Không tìm thấy phiếu", NOT_FOUND)


RECORDS_REFUSAL = ("Tài khoản {role} không xem được hồ sơ phiếu. Trang này dành cho tài khoản "
                   "đơn vị và văn phòng.")


def account_page(permission, refusal=RECORDS_REFUSAL):
    """The page needs a login (else the login page, coming back here after) whose role holds
    `permission` (else a 403 page saying `refusal`, with {role} the account's role, and the
    refusal in the audit log)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = access.current()
            if principal is None:
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")
                                        if request.method == "GET" else request.path))
            if not principal.can(permission):
                audit.record(context.db(), "access", "refused",
                             detail=f"{request.endpoint}: vai trò {principal.role}")
                return error_page(403, "Không có quyền xem trang này", refusal.format(
                    role=principal.role.short.lower()))
            return view(*args, **kwargs)
        return wrapper
    return decorator


def _readable(document_id, action):
    """The record if this account may read it; None (refusal audited) otherwise."""
    try:
        return actions.readable_document(context.db(), access.current(), document_id, action)
    except service.ArchiveError:
        return None


def account_unit():
    """The unit a unit account issues for (pre-fills the form pages), else None."""
    principal = access.current()
    if principal is None or not principal.role.has_unit:
        return None
    return context.db().get(Unit, principal.unit_id)


def _too_large(limit):
    """A file over the scan limit goes back to its page with the reason."""
    scan = request.endpoint == "web.upload_scan"
    flash(f"Tệp quá lớn: tối đa {file_size(limit)}. Hãy quét với độ phân giải thấp hơn "
          "(200–300 dpi) hoặc nén tệp PDF.", "ban-quet:error" if scan else "error")
    return redirect(request.path + ("#ban-quet" if scan else ""), 303)


def filters_from(schema_class, ignore=(), messages=None):
    """The page's filters from its query string: (as typed, as loaded, errors). A wrong value is
    explained beside its box (`messages` may reword a field's error) and left out, not a crash."""
    raw = {key: request.args.get(key, "").strip() for key in schema_class().fields
           if key not in ignore}
    raw = {key: value for key, value in raw.items() if value}
    schema = schema_class(unknown=EXCLUDE)
    try:
        return raw, schema.load(raw), {}
    except ValidationError as error:
        errors = {key: (messages or {}).get(key, " ".join(found))
                  for key, found in error.messages.items()}
        return raw, schema.load({k: v for k, v in raw.items() if k not in errors}), errors


def one_page(db_session, selection, size):
    """(rows, total, page, pages) for the ?page= asked, kept within the pages there are."""
    total = service.count(db_session, selection)
    pages = max(1, -(-total // size))
    try:
        page = min(max(1, int(request.args.get("page", 1))), pages)
    except ValueError:
        page = 1
    rows = db_session.scalars(selection.offset((page - 1) * size).limit(size)).all()
    return rows, total, page, pages


# ---------------------------------------------------------------------- pages

@bp.route("/ho-so")
@account_page(Permission.READ_DOCUMENTS)
def documents():
    principal = access.current()
    every_unit = not principal.role.has_unit
    raw, query, errors = filters_from(DocumentQuerySchema, ignore=(
        () if every_unit else ("unit",)))
    db_session = context.db()
    rows, total, page, pages = one_page(db_session, service.search(principal, **query),
                                        PAGE_SIZE)
    units = db_session.scalars(select(Unit).order_by(Unit.name)).all() if every_unit else []
    filters = {key: value for key, value in raw.items() if key not in errors}

    def page_url(number):
        return url_for("web.documents", **filters, page=number)

    return render_template(
        "documents.html", rows=rows, total=total, page=page, pages=pages, page_url=page_url,
        query=raw, errors=errors, units=units, forms=FORMS, filtered=bool(filters),
        superseded=service.superseded(db_session, rows) if query.get("all_versions") else set(),
        show_unit=every_unit)


@bp.route("/ho-so/<int:document_id>")
@account_page(Permission.READ_DOCUMENTS)
def document(document_id):
    found = _readable(document_id, "read")
    if found is None:
        return not_found()
    record = actions.with_history(context.db(), found)
    return render_template("document.html", document=record,
                           latest=record.versions[-1] if record.versions else record,
                           can_upload=access.can(Permission.UPLOAD_SCANS),
                           can_correct=access.can(Permission.ISSUE) and record.latest)


@bp.route("/ho-so/<int:document_id>", methods=["POST"])
@access.large_upload(_too_large)
@account_page(Permission.UPLOAD_SCANS)
def upload_scan(document_id):
    """The secretariat's upload of the signed paper copy's scan (multipart, field «file»)."""
    found = _readable(document_id, "scan.upload")
    if found is None:
        return not_found()
    back = redirect(url_for("web.document", document_id=document_id, _anchor="ban-quet"), 303)
    upload = request.files.get("file")
    content = upload.read() if upload is not None else b""
    if not content:
        flash("Chưa chọn tệp bản quét (hoặc tệp rỗng).", "ban-quet:error")
        return back
    try:
        scan = actions.add_signed_scan(context.db(), current_app.extensions["store"],
                                       access.current_user(), found, content, upload.filename)
    except (service.ArchiveError, StoreError) as error:
        flash(error.message, "ban-quet:error")
        return back
    flash(f"Đã lưu bản quét «{scan.filename}» ({file_size(scan.size)}) kèm phiếu {found.code}.",
          "ban-quet:ok")
    return back


@bp.route("/xac-minh", methods=["GET", "POST"])
@access.large_upload(_too_large)
@account_page(Permission.READ_DOCUMENTS)
def verify():
    if request.method == "GET":
        return render_template("verify.html")
    upload = request.files.get("file")
    content = upload.read() if upload is not None else b""
    if not content:
        return render_template("verify.html", error="Chưa chọn tệp (hoặc tệp rỗng)."), 422
    match, found = actions.verify_file(context.db(), access.current(), content)
    tone, heading, explanation = VERIFY_ANSWERS[match]
    return render_template("verify.html", filename=upload.filename, match=match, tone=tone,
                           heading=heading, explanation=explanation, document=found)
