"""Logging in and out of the web pages (password, session cookie), rate-limited per address and
per account name; failures and successes go to the audit log."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_limiter import RateLimitExceeded

from archive import access, accounts, audit, db

bp = Blueprint("accounts", __name__, template_folder="templates")


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_name():
    return "login:" + request.form.get("username", "").strip().lower()[:80]


def _safe_next(target):
    """Only a path on this site: a crafted link must not send people elsewhere after login."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/") or "\\" in target:
        return url_for("web.index")
    return target


@bp.route("/dang-nhap", methods=["GET", "POST"])
@access.limiter.limit(_login_limit, methods=["POST"])
@access.limiter.limit(_login_limit, methods=["POST"], key_func=_account_name,
                      deduct_when=lambda response: response.status_code != 303)
def login():
    next_page = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("login.html", next_page=next_page)
    username = request.form.get("username", "")
    user = accounts.authenticate(db.session(), username, request.form.get("password", ""))
    if user is None:
        audit.record("login", "refused", username=username.strip().lower(),
                     detail="sai tên đăng nhập hoặc mật khẩu")
        return render_template("login.html", next_page=next_page, username=username,
                               error="Sai tên đăng nhập hoặc mật khẩu."), 401
    access.log_in(user)
    audit.record("login", user=user)
    return redirect(next_page, 303)


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    if access.current():
        audit.record("logout")
    access.log_out()
    return redirect(url_for("web.index"), 303)


@bp.app_errorhandler(RateLimitExceeded)
def too_many(error):
    message = ("Đăng nhập sai quá nhiều lần; hãy đợi ít phút rồi thử lại." if request.endpoint
               == "accounts.login" else "Quá nhiều yêu cầu; hãy đợi ít phút rồi thử lại.")
    if request.endpoint == "accounts.login":
        response = current_app.make_response((render_template(
            "login.html", next_page=_safe_next(request.values.get("next")), error=message), 429))
    else:
        response = current_app.make_response(({"code": 429, "status": "Too Many Requests",
                                                "message": message}, 429))
    return access.limiter._inject_headers(response, request.view_rate_limit) \
        if getattr(request, "view_rate_limit", None) else response
