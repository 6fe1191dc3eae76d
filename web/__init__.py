"""The web pages: a Vietnamese form for each official form, for people who never write JSON.

The pages post JSON to the same API (/api/v1/…) as any program, so one schema validates both;
with the login cookie the posts carry the page's CSRF token, as do the pages' own form posts
(the spreadsheet import; the archive's pages in web/archive_pages.py). Every page is served with a
Content-Security-Policy that allows only this service's own scripts and styles.
"""

import io

from flask import Blueprint, current_app, jsonify, render_template, request, send_file
from flask_wtf.csrf import CSRFError

from auth import access
from forms import tong_hop_columns
from forms.vocab import (
    GROUP_II,
    IDENTIFICATION_LEVELS,
    IDENTIFICATION_RATINGS,
    MONTHLY_RATINGS,
    REMEDY_STATUSES,
    SECTIONS,
)
from sheets import tong_hop as tong_hop_sheet

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/web")

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-src 'self' blob:",  # the PDF preview
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.after_app_request
def security_headers(response):
    """On the pages of this blueprint and the login page (not the API, not Swagger UI's page)."""
    if request.blueprint not in ("web", "accounts"):
        return response
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


CSRF_MESSAGE = "Thiếu hoặc sai mã bảo vệ (CSRF) của trang; hãy tải lại trang rồi thử lại."


@bp.app_errorhandler(CSRFError)
def csrf_refused(error):
    if request.accept_mimetypes.best == "text/html":  # a form posted by the browser itself
        return render_template("error.html", title="Trang đã cũ", message=CSRF_MESSAGE), 400
    return jsonify(code=400, status="Bad Request", message=CSRF_MESSAGE), 400


def _vocabularies():
    return {
        "monthly_ratings": MONTHLY_RATINGS,
        "identification_ratings": IDENTIFICATION_RATINGS,
        "identification_levels": IDENTIFICATION_LEVELS,
        "remedy_statuses": REMEDY_STATUSES,
        "sections": SECTIONS,
        "group_ii": GROUP_II,
        "place_name": current_app.config["PLACE_NAME"],
    }


def _needs_login():
    """The render endpoints refuse this visitor (ALLOW_ANONYMOUS_RENDER off, not logged in)."""
    return not current_app.config["ALLOW_ANONYMOUS_RENDER"] and access.current() is None


@bp.route("/")
def index():
    return render_template("index.html")


@bp.route("/phieu-01")
def phieu_01():
    return render_template("phieu_01.html", issuer=archive_pages.account_unit(),
                           needs_login=_needs_login(), **_vocabularies())


@bp.route("/tong-hop")
def tong_hop():
    return render_template("tong_hop.html", columns=tong_hop_sheet.COLUMNS,
                           head=tong_hop_columns.HEAD, rating=tong_hop_columns.RATING,
                           issuer=archive_pages.account_unit(), needs_login=_needs_login(),
                           **_vocabularies())


@bp.route("/tong-hop/mau-bang.xlsx")
def spreadsheet_template():
    return send_file(io.BytesIO(tong_hop_sheet.template_xlsx()), mimetype=XLSX, as_attachment=True,
                     download_name="Mẫu bảng Phiếu tổng hợp.xlsx")


@bp.route("/tong-hop/nhap-bang", methods=["POST"])
def import_rows():
    """Rows from an uploaded .xlsx/.csv file, or from text pasted from a tong_hop_sheet."""
    upload = request.files.get("file")
    pasted = upload is None and bool(request.form.get("text"))
    if upload is not None:
        name, data = upload.filename or "", upload.read()
    elif pasted:
        name, data = "dan.tsv", request.form["text"].encode("utf-8")
    else:
        return jsonify(code=422, status="Unprocessable Entity",
                       message="Chưa chọn tệp hoặc chưa dán nội dung bảng tính."), 422
    try:
        rows = tong_hop_sheet.parse(name, data, headerless=pasted)
    except tong_hop_sheet.SpreadsheetError as error:
        return jsonify(code=422, status="Unprocessable Entity", message=error.message), 422
    return jsonify(rows=rows)


from web import archive_pages, audit_page, batch_page, reports_page, templates_page, unit_pages  # noqa: E402,F401,E501  (their routes)
