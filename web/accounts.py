"""Logging in and out of the web pages (password, session cookie), rate-limited per address and
per account name; failures and successes go to the audit log."""

import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address

from archive import accounts, audit
from auth import access, context
from schemas.fields import quoted

bp = Blueprint("accounts", __name__, template_folder="templates")


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_name_limit():
    return current_app.config["LOGIN_NAME_RATE_LIMIT"]


def _account_name():
    return "login:" + request.form.get("username", "").strip().lower()[:80]


def _account_name_here():
    """The name tried, from this address: wrong passwords typed elsewhere do not lock its user
    out (issue 14.10); across addresses the name has its own, higher, LOGIN_NAME_RATE_LIMIT."""
    return f"{_account_name()}|{get_remote_address()}"


def _failed(response):
    return response.status_code != 303


def _safe_next(target):
    """Only a path on this site: a crafted link must not send people elsewhere after login."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/") or "\\" in target:
        return url_for("web.index")
    return target


@bp.route("/dang-nhap", methods=["GET", "POST"])
@access.limiter.limit(_login_limit, methods=["POST"])
@access.limiter.limit(_login_limit, methods=["POST"], key_func=_account_name_here,
                      deduct_when=_failed)
@access.limiter.limit(_login_name_limit, methods=["POST"], key_func=_account_name,
                      deduct_when=_failed)
def login():
    next_page = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("login.html", next_page=next_page)
    username = request.form.get("username", "")
    user = accounts.authenticate(context.db(), username, request.form.get("password", ""))
    if user is None:
        audit.record(context.db(), "login", "refused",
                     username=quoted(username.strip().lower(), 80),
                     detail="sai tên đăng nhập hoặc mật khẩu")
        return render_template("login.html", next_page=next_page, username=username,
                               error="Sai tên đăng nhập hoặc mật khẩu."), 401
    access.log_in(user)
    audit.record(context.db(), "login", user=user)
    return redirect(next_page, 303)


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    if access.current():
        audit.record(context.db(), "logout")
    access.log_out()
    # The page this leads to removes the drafts kept in the browser (static/session.js).
    flash("Đã đăng xuất. Các bản nháp lưu trên trình duyệt này đã được xóa.", "logout")
    return redirect(url_for("web.index"), 303)


GRANULARITIES = {"second": "giây", "minute": "phút", "hour": "giờ", "day": "ngày",
                 "month": "tháng", "year": "năm"}


def limit_text(item):
    """A `limits` item in Vietnamese: «120 lần mỗi phút», «5 lần mỗi 10 giây»."""
    unit = GRANULARITIES.get(item.GRANULARITY.name, item.GRANULARITY.name)
    every = f"{item.multiples} {unit}" if item.multiples > 1 else unit
    return f"{item.amount} lần mỗi {every}"


def _retry_after():
    limit = access.limiter.current_limit
    return max(1, int(limit.reset_at - time.time())) if limit else 60


@bp.app_errorhandler(RateLimitExceeded)
def too_many(error):
    """429 in the API's error shape (the login page and the web pages: a page), with Retry-After
    (Flask-Limiter's after-request hook sets it to the same window's end)."""
    seconds = _retry_after()
    if request.endpoint == "accounts.login":
        message = "Đăng nhập sai quá nhiều lần; hãy đợi ít phút rồi thử lại."
        response = current_app.make_response((render_template(
            "login.html", next_page=_safe_next(request.values.get("next")), error=message), 429))
    else:
        message = (f"Quá nhiều yêu cầu tạo phiếu ({limit_text(error.limit.limit)} cho mỗi tài "
                   f"khoản, hoặc mỗi địa chỉ khi chưa đăng nhập); hãy đợi {seconds} giây rồi thử "
                   "lại.")
        if request.blueprint == "web":
            response = current_app.make_response((render_template(
                "error.html", title="Quá nhiều yêu cầu", message=message), 429))
        else:
            response = current_app.make_response((
                {"code": 429, "status": "Too Many Requests", "message": message}, 429))
    response.headers["Retry-After"] = str(seconds)
    return response
