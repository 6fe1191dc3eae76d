"""Units and accounts: passwords (scrypt, a deliberately slow hash), API keys (random, shown once,
stored as SHA-256: a 256-bit random key needs no slow hash), and the checks behind a login."""

import hashlib
import re
import secrets
from datetime import datetime, timezone

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from archive.models import ApiKey, Unit, User
from archive.roles import Role

KEY_PREFIX = "phk_"
MIN_PASSWORD = 10
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
UNIT_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
# Checked when the username does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request the account rules refuse; the message is for the person who made it."""


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create_unit(session, code, name, parent=None):
    if not UNIT_CODE.fullmatch(code or ""):
        raise AccountError("Mã đơn vị chỉ gồm chữ thường không dấu, số và dấu gạch ngang "
                           "(ví dụ: noi-vu).")
    if session.scalar(select(Unit).where(Unit.code == code)):
        raise AccountError(f"Đã có đơn vị mã «{code}».")
    unit = Unit(code=code, name=name.strip(), parent=(parent or "").strip() or None)
    session.add(unit)
    return unit


def create_user(session, username, role, *, display_name=None, unit_code=None, password=None):
    username = (username or "").strip().lower()
    if not USERNAME.fullmatch(username):
        raise AccountError("Tên đăng nhập gồm 2–80 ký tự: chữ thường không dấu, số, dấu chấm, "
                           "gạch dưới, gạch ngang.")
    if role not in tuple(Role):
        raise AccountError(f"Vai trò phải là một trong: {', '.join(Role)}.")
    role = Role(role)
    if session.scalar(select(User).where(User.username == username)):
        raise AccountError(f"Đã có tài khoản «{username}».")
    unit = None
    if role.has_unit:
        unit = session.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is None:
            raise AccountError(f"Không có đơn vị mã «{unit_code}»; tài khoản đơn vị cần một đơn "
                               "vị có thật (tạo bằng create-unit).")
    elif unit_code:
        raise AccountError("Chỉ tài khoản đơn vị mới gắn với một đơn vị.")
    user = User(username=username, display_name=(display_name or username).strip(),
                role=role.value, unit=unit, active=True)
    if password is not None:
        set_password(user, password)
    session.add(user)
    return user


def set_password(user, password):
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    user.password_hash = generate_password_hash(password)


def authenticate(session, username, password):
    """The active user with this name and password, or None. A name with a control character
    (a NUL, which PostgreSQL cannot even compare) is no user's."""
    name = (username or "").strip().lower()
    user = session.scalar(select(User).where(User.username == name)) \
        if name.isprintable() else None
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def session_stamp(user):
    """Kept in the login cookie: changing the password or disabling the account ends sessions."""
    return hashlib.sha256(f"{user.password_hash}|{user.active}".encode()).hexdigest()[:16]


def create_api_key(session, user, label=""):
    """(the ApiKey row, the key itself): the key is shown once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(user=user, label=label, prefix=key[:12], key_hash=hash_key(key))
    session.add(row)
    return row, key


def user_for_key(session, key):
    """(user, key row) for a valid, unrevoked key of an active account, or None."""
    if not key.startswith(KEY_PREFIX):
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return row.user, row


def revoke_api_key(session, key_id):
    row = session.get(ApiKey, key_id)
    if row is None:
        raise AccountError(f"Không có khóa API số {key_id}.")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(timezone.utc)
    return row
