"""Errors as a page, in Vietnamese, for a person in a browser (a mistyped address, a page this
account may not see, a failure of the server); as the API's JSON for programs, for /api/ paths
and for any client that asks for JSON. app.py puts `handler` in front of the API's own."""

from flask import render_template, request

from web import CONTENT_SECURITY_POLICY

TITLES = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền xem trang này",
    404: "Không có trang này",
    405: "Không làm được việc này ở địa chỉ này",
    413: "Tệp gửi lên quá lớn",
    500: "Lỗi máy chủ",
}
MESSAGES = {
    403: "Tài khoản này không được xem trang này. Nếu cần, hãy đăng nhập bằng tài khoản khác "
         "hoặc hỏi quản trị viên.",
    404: "Không có trang nào ở địa chỉ «{path}». Có thể địa chỉ bị gõ nhầm hoặc liên kết đã cũ; "
         "hãy chọn trang cần mở ở thanh trên cùng.",
}


def wants_page(code):
    """A browser's request for a page (not the API's address, not asking for JSON); a web page's
    own failure (500) is a page even when a script asked for it."""
    if request.path.startswith("/api/") or request.path.startswith("/docs"):
        return False
    if code == 500 and request.blueprint in ("web", "accounts"):
        return True
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def handler(json_handler):
    """The app's handler of HTTP errors: a page when `wants_page`, else `json_handler`'s answer."""
    def handle(error):
        payload, code, headers = json_handler(error)
        if not wants_page(code):
            return payload, code, headers
        message = MESSAGES.get(code, payload.get("message", "")).format(path=request.path[:200])
        title = TITLES.get(code, f"Lỗi {code}")
        headers = {**dict(headers or {}), "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                   "X-Content-Type-Options": "nosniff"}
        return render_template("error.html", title=title, message=message), code, \
            headers
    return handle
