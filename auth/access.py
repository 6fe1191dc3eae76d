"""Who is asking: an API key (`Authorization: Bearer phk_…`, for programs) or the login cookie
(for people), resolved once per request into `g.principal`; and the permission checks on views
(who holds which permission: archive/roles.py).

A request carrying the login cookie that changes something must also carry the page's CSRF token
(header X-CSRFToken), API routes included: the cookie is sent by the browser on its own, a key is
not.

The views that make LibreOffice work (`rendering`) share one limit per client, RENDER_RATE_LIMIT:
per account when the request has one, else per IP address; and a client (an account from one
address, or an address) has at most RENDER_CONCURRENCY of them running at once, so that no client
holds every LibreOffice worker while others wait (docs/SECURITY.md).
"""

import secrets
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import wraps

from flask import current_app, g, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint, abort
from limits import parse_many

from archive import accounts, audit
from archive.models import RevokedSession, User
from archive.roles import Role
from auth import context

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
limiter = Limiter(get_remote_address)  # limits are set on the views that need one
MESSAGES = {
    401: "Cần đăng nhập hoặc khóa API (tiêu đề Authorization: Bearer …).",
    403: "Tài khoản này không có quyền làm việc này.",
    "bad_key": "Khóa API không hợp lệ, đã bị thu hồi hoặc tài khoản đã bị khóa.",
    "bad_keys": "Quá nhiều lần dùng khóa API sai từ địa chỉ này; hãy kiểm tra khóa rồi thử lại "
                "sau một phút.",
    "busy": "Bạn đang có {limit} yêu cầu tạo phiếu chưa xong; hãy chờ xong rồi thử lại "
            "(PHIEU_RENDER_CONCURRENCY).",
}
RATE_LIMITED = {429: {
    "description": "Quá giới hạn số yêu cầu tạo phiếu (PHIEU_RENDER_RATE_LIMIT) của tài khoản, "
                   "hoặc của địa chỉ IP khi chưa đăng nhập, hoặc đang có quá nhiều yêu cầu tạo "
                   "phiếu chưa xong cùng lúc (PHIEU_RENDER_CONCURRENCY); tiêu đề Retry-After cho "
                   "biết số giây phải đợi",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    display_name: str
    role: Role
    unit_id: int | None
    via: str  # "key" or "session"

    def can(self, permission):
        return self.role.can(permission)


def _principal(user, via):
    return Principal(user.id, user.username, user.display_name, Role(user.role), user.unit_id,
                     via)


def load_principal():
    """before_request: sets g.principal (or None); a bad key is refused at once."""
    g.principal = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, key = header.partition(" ")
        found = accounts.user_for_key(context.db(), key.strip()) \
            if scheme.lower() == "bearer" else None
        if found is None:
            if not _bad_key_allowed():  # no audit row: a flood of junk keys stays out of the log
                abort(429, message=MESSAGES["bad_keys"], headers={"Retry-After": "60"})
            audit.record(context.db(), "auth.key", "refused",
                         detail="khóa API sai hoặc đã thu hồi")
            abort(401, message=MESSAGES["bad_key"])
        g.principal = _principal(found[0], "key")
        return
    user_id = session.get("user_id")
    if user_id is None:
        return
    user = context.db().get(User, user_id)
    since, sid = session.get("since"), session.get("sid")
    if (user is None or not user.active or session.get("stamp") != accounts.session_stamp(user)
            or not isinstance(since, int) or not isinstance(sid, str)
            or time.time() - since > current_app.config["SESSION_ABSOLUTE_LIFETIME"]
            or context.db().get(RevokedSession, sid) is not None):
        session.clear()
        return
    g.principal = _principal(user, "session")
    if request.method not in SAFE_METHODS:
        current_app.extensions["csrf"].protect()


def large_upload(too_large=None):
    """Marks a view whose request may carry a file up to SCAN_MAX_BYTES instead of the usual
    MAX_CONTENT_LENGTH; `too_large(limit)` answers a bigger one (default: 413)."""
    def mark(view):
        view.large_upload = too_large or _too_large
        return view
    return mark


def _too_large(limit):
    abort(413)


def allow_large_uploads():
    """before_request, before anything reads the body (the CSRF check of load_principal does)."""
    answer = getattr(current_app.view_functions.get(request.endpoint), "large_upload", None)
    if answer is None:
        return None
    limit = request.max_content_length = current_app.config["SCAN_MAX_BYTES"]
    if (request.content_length or 0) > limit:
        return answer(limit)
    return None


def _bad_key_allowed():
    """Spends one of the address's wrong-key budget (BAD_KEY_RATE_LIMIT); False when none is
    left. Each wrong key writes an audit row: 1,000 junk keys wrote 1,000 rows in 5 s."""
    spec = current_app.config["BAD_KEY_RATE_LIMIT"]
    return not spec or all(limiter.limiter.hit(item, "bad-key", get_remote_address())
                           for item in parse_many(spec))


def log_in(user):
    session.clear()
    session["user_id"], session["stamp"] = user.id, accounts.session_stamp(user)
    session["sid"], session["since"] = secrets.token_hex(16), int(time.time())
    session.permanent = True


def log_out():
    """Ends this login for good: its cookie, and any copy of it, no longer logs in. Other
    logins of the account (a unit's colleagues on their own PCs) go on."""
    sid, since = session.get("sid"), session.get("since")
    if isinstance(sid, str) and isinstance(since, int):
        now = datetime.now(timezone.utc)
        database = context.db()
        database.query(RevokedSession).filter(RevokedSession.expires_at < now).delete()
        expires = since + current_app.config["SESSION_ABSOLUTE_LIFETIME"]
        database.merge(RevokedSession(id=sid, expires_at=datetime.fromtimestamp(
            expires, timezone.utc)))
        database.commit()
    session.clear()


def current():
    return g.get("principal")


def can(permission):
    """Whether this request's account holds `permission` (no account: no permission)."""
    principal = current()
    return principal is not None and principal.can(permission)
def current_user():
    """The signed-in account's row (archive.models.User), for the archive's functions."""
    return context.db().get(User, current().user_id)


def refuse(status, action, detail="", document_id=None):
    audit.record(context.db(), action, "refused", detail=detail or MESSAGES[status],
                 document_id=document_id)
    headers = {"WWW-Authenticate": 'Bearer realm="phieu"'} if status == 401 else None
    abort(status, message=MESSAGES[status], headers=headers)


def require(permission):
    """The view needs an account whose role holds `permission`: 401 without an account, 403
    with a role that does not hold it."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current()
            if principal is None:
                refuse(401, "access", f"{request.endpoint}: chưa đăng nhập")
            if not principal.can(permission):
                refuse(403, "access", f"{request.endpoint}: vai trò {principal.role}")
            return view(*args, **kwargs)
        return wrapper
    return decorator


def client_key():
    """Whose budget a request spends: its account's, else its address's."""
    principal = current()
    return f"account:{principal.user_id}" if principal else f"address:{get_remote_address()}"


def _render_limit():
    return current_app.config["RENDER_RATE_LIMIT"] or "1 per second"  # unused when off


def _not_rendering():
    """The limit is off, or this request of a `rendering(when=…)` view makes no file."""
    if not current_app.config["RENDER_RATE_LIMIT"]:
        return True
    when = getattr(current_app.view_functions.get(request.endpoint), "renders_when", None)
    return when is not None and not when()


render_limit = limiter.shared_limit(_render_limit, scope="render", key_func=client_key,
                                    exempt_when=_not_rendering)


class InFlight:
    """How many conversions each client has running in this process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running = Counter()

    @contextmanager
    def hold(self, key, limit):
        """Counts one more for `key` while the block runs; False when it already has `limit`."""
        with self._lock:
            allowed = self._running[key] < limit
            if allowed:
                self._running[key] += 1
        try:
            yield allowed
        finally:
            if allowed:
                with self._lock:
                    self._running[key] -= 1
                    if not self._running[key]:
                        del self._running[key]


in_flight = InFlight()


def _concurrency_key():
    """An account from one address: colleagues sharing a unit's account on several computers
    each have their own; without an account, the address."""
    principal = current()
    address = get_remote_address()
    return f"account:{principal.user_id}@{address}" if principal else f"address:{address}"


def rendering(when=None):
    """Marks a view that converts with LibreOffice: it spends the client's render budget (a 429
    past it) and runs only while the client has fewer than RENDER_CONCURRENCY such requests
    running (a 429 otherwise), unless `when()` says this request makes no file (a report asked
    as JSON). Place it under the permission check, so that a refused request spends nothing."""
    def mark(view):
        @wraps(view)
        def one_at_a_time(*args, **kwargs):
            limit = current_app.config["RENDER_CONCURRENCY"]
            if not limit or (when is not None and not when()):
                return view(*args, **kwargs)
            with in_flight.hold(_concurrency_key(), limit) as allowed:
                if not allowed:
                    abort(429, message=MESSAGES["busy"].format(limit=limit),
                          headers={"Retry-After": "2"})
                return view(*args, **kwargs)

        limited = render_limit(one_at_a_time)
        if when is not None:
            limited.renders_when = when
        return Blueprint.doc(responses=RATE_LIMITED)(limited)
    return mark
