"""The page «Mẫu phiếu» (/mau-phieu), for the secretariat and the administrator: each form's
template in use and its versions; download it to edit in Word; upload an edited one to check it
(its problems, each with its place, or the preview of the examples filled with it); activate the
checked one; use an older version again. The same functions as the API and `flask templates`
(archive/templates.py); docs/TEMPLATES.md tells how.

Between the check and the activation, the checked file and its previews wait in the store (named
by their hashes, in the login session): activating installs that very file, checked once more.
"""

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from api.forms import content_disposition
from archive import templates, unit_month
from archive.roles import Permission
from archive.service import ArchiveError
from archive.store import StoreError
from archive.template_check import TemplateRefused, check
from auth import access, context
from documents.make import MIMETYPES
from forms import FORMS
from web import bp
from web.archive_pages import account_page, error_page

REFUSAL = ("Tài khoản {role} không quản lý được mẫu phiếu. Trang này dành cho văn phòng và quản "
           "trị viên.")
CANDIDATE = "template_candidate"  # the session's checked file: form, unit, sha256, previews


def _page(status=200, **shown):
    db = context.db()
    rows = templates.listing(db)
    in_use = {slug: templates.installed(db, slug) for slug in FORMS}
    return render_template("templates.html", forms=FORMS, rows=rows, in_use=in_use,
                           units=unit_month.units(db), **shown), status


@bp.route("/mau-phieu")
@account_page(Permission.MANAGE_TEMPLATES, refusal=REFUSAL)
def templates_page():
    return _page()


@bp.route("/mau-phieu/<form>.docx")
@account_page(Permission.MANAGE_TEMPLATES, refusal=REFUSAL)
def template_download(form):
    if form not in FORMS:
        return error_page(404, "Không có loại phiếu này", f"Không có loại phiếu «{form}».")
    try:
        template, content = templates.for_editing(context.db(), current_app.extensions["store"],
                                                  form, request.args.get("unit"))
    except ArchiveError as error:
        return error_page(404, "Không có đơn vị này", error.message)
    name = f"Mẫu {FORMS[form].TITLE} ({template.label}).docx"
    return Response(content, mimetype=MIMETYPES["docx"],
                    headers={"Content-Disposition": content_disposition(name)})


@bp.route("/mau-phieu/kiem-tra", methods=["POST"])
@account_page(Permission.MANAGE_TEMPLATES, refusal=REFUSAL)
@access.rendering()
def template_check():
    """Checks the uploaded file; shows its problems (422) or its preview and «Kích hoạt»."""
    form, unit_code = request.form.get("form", ""), request.form.get("unit") or None
    upload = request.files.get("file")
    limit = current_app.config["TEMPLATE_MAX_BYTES"]
    content = upload.read(limit + 1) if upload is not None else b""
    chosen = {"chosen_form": form, "chosen_unit": unit_code or ""}
    if form not in FORMS:
        return _page(422, problems=["Chưa chọn loại phiếu."], **chosen)
    if not content:
        return _page(422, problems=["Chưa chọn tệp mẫu (hoặc tệp rỗng)."], **chosen)
    store = current_app.extensions["store"]
    try:
        unit = templates.unit_of(context.db(), unit_code)
        if len(content) > limit:
            raise TemplateRefused([f"Tệp mẫu quá giới hạn {limit // 1024} KB "
                                   "(TEMPLATE_MAX_BYTES)."])
        checked = check(form, content, current_app.config, current_app.extensions["converter"])
        previews = [(name, store.put(pdf)) for name, pdf in checked.previews.items()]
        digest = store.put(checked.content)
    except TemplateRefused as error:
        return _page(422, problems=error.problems, **chosen)
    except (ArchiveError, StoreError) as error:
        return _page(422 if isinstance(error, ArchiveError) else 503, problems=[error.message],
                     **chosen)
    session[CANDIDATE] = {"form": form, "unit": unit.code if unit else None, "sha256": digest,
                          "filename": (upload.filename or "")[:255],
                          "previews": [sha for _name, sha in previews]}
    return _page(checked=session[CANDIDATE], previews=previews, **chosen)


@bp.route("/mau-phieu/xem-truoc/<digest>.pdf")
@account_page(Permission.MANAGE_TEMPLATES, refusal=REFUSAL)
def template_preview(digest):
    """A preview of the session's checked file; no other file of the store."""
    if digest not in (session.get(CANDIDATE) or {}).get("previews", []):
        return error_page(404, "Không còn bản xem trước",
                          "Bản xem trước này không còn; hãy kiểm tra lại tệp mẫu.")
    return Response(current_app.extensions["store"].get(digest), mimetype="application/pdf",
                    headers={"Content-Disposition": "inline; filename=\"xem-truoc.pdf\""})


@bp.route("/mau-phieu/kich-hoat", methods=["POST"])
@account_page(Permission.MANAGE_TEMPLATES, refusal=REFUSAL)
@access.rendering()
def template_activate():
    back = redirect(url_for("web.templates_page"), 303)
    candidate = session.get(CANDIDATE)
    if not candidate or candidate["sha256"] != request.form.get("sha256"):
        flash("Chưa có tệp mẫu đã kiểm tra để kích hoạt (hoặc đã kích hoạt rồi); hãy tải lên "
              "và kiểm tra lại.", "error")
        return back
    store = current_app.extensions["store"]
    try:
        row, _checked = templates.install(
            context.db(), store, current_app.extensions["converter"], current_app.config,
            candidate["form"], store.get(candidate["sha256"]), unit_code=candidate["unit"],
            user=access.current_user(), filename=candidate["filename"])
    except TemplateRefused as error:
        for problem in error.problems:
            flash(problem, "error")
        return back
    except (ArchiveError, StoreError, OSError) as error:
        flash(getattr(error, "message", "Không đọc được tệp mẫu đã kiểm tra; hãy tải lên lại."),
              "error")
        return back
    session.pop(CANDIDATE, None)
    flash(f"Đã kích hoạt {FORMS[row.form].TITLE} bản {row.version}"
          f"{' cho đơn vị ' + row.unit.code if row.unit else ' cho toàn đảng bộ'}: phiếu in từ "
          "bây giờ dùng mẫu này.", "ok")
    return back


@bp.route("/mau-phieu/quay-lai", methods=["POST"])
@account_page(Permission.MANAGE_TEMPLATES, refusal=REFUSAL)
def template_rollback():
    back = redirect(url_for("web.templates_page"), 303)
    form, unit_code = request.form.get("form", ""), request.form.get("unit") or None
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        flash("Bản: phải là số.", "error")
        return back
    try:
        row = templates.rollback(context.db(), form, version, unit_code=unit_code,
                                 user=access.current_user())
    except ArchiveError as error:
        flash(error.message, "error")
        return back
    title = FORMS[form].TITLE
    if row is not None:
        flash(f"Đang dùng {title} bản {row.version}.", "ok")
    elif unit_code:
        flash(f"Đã bỏ mẫu riêng: đơn vị {unit_code} dùng mẫu chung của {title}.", "ok")
    else:
        flash(f"Đã bỏ mẫu chung đã cài: {title} dùng mẫu gốc.", "ok")
    return back
