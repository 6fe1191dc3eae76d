"""Command-line tools for the administrator: `flask --app app <command> --help` for each.

Accounts are created here, never with a default password: create-user asks for it (or takes it on
standard input with --password-stdin); create-api-key prints the key once.
"""

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.engine import make_url

from archive import accounts
from archive.models import ApiKey, AuditEvent, Document, FormTemplate, SignedScan, User
from archive.roles import Role


def _session():
    return current_app.extensions["database"].sessions()


def _commit_or_fail(session, action):
    try:
        result = action(session)
        session.commit()
        return result
    except accounts.AccountError as error:
        session.rollback()
        raise click.ClickException(str(error)) from None


@click.command("db-upgrade")
@with_appcontext
def db_upgrade():
    """Nâng lược đồ cơ sở dữ liệu lên bản mới nhất (Alembic)."""
    current_app.extensions["database"].upgrade()
    click.echo("Cơ sở dữ liệu đã ở bản mới nhất.")


@click.command("create-unit")
@with_appcontext
@click.argument("code")
@click.argument("name")
@click.option("--parent", help="Cơ quan cấp trên (in hoa phía trên tên đơn vị).")
def create_unit(code, name, parent):
    """Tạo đơn vị CODE (mã ngắn, ví dụ noi-vu) tên NAME."""
    with _session() as session:
        unit = _commit_or_fail(session, lambda s: accounts.create_unit(s, code, name, parent))
        click.echo(f"Đã tạo đơn vị {unit.code}: {unit.name}")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True,
              help="; ".join(f"{role}: {role.short.lower()}" for role in Role) + ".")
@click.option("--unit", "unit_code", help="Mã đơn vị (bắt buộc với --role unit).")
@click.option("--name", "display_name", help="Họ tên hoặc tên hiển thị.")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ dòng đầu của đầu vào chuẩn.")
@click.option("--no-password", is_flag=True, help="Không đăng nhập bằng mật khẩu (chỉ khóa API).")
def create_user(username, role, unit_code, display_name, password_stdin, no_password):
    """Tạo tài khoản USERNAME; hỏi mật khẩu (không có mật khẩu mặc định)."""
    if no_password:
        password = None
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    with _session() as session:
        user = _commit_or_fail(session, lambda s: accounts.create_user(
            s, username, role, display_name=display_name, unit_code=unit_code,
            password=password))
        click.echo(f"Đã tạo tài khoản {user.username} ({Role(user.role).label}).")


@click.command("set-password")
@with_appcontext
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ dòng đầu của đầu vào chuẩn.")
def set_password(username, password_stdin):
    """Đặt mật khẩu mới cho USERNAME; các phiên đăng nhập cũ hết hiệu lực."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt(
        "Mật khẩu mới", hide_input=True, confirmation_prompt=True)
    with _session() as session:
        _commit_or_fail(session, lambda s: accounts.set_password(_user(s, username), password))
        click.echo(f"Đã đổi mật khẩu của {username}.")


@click.command("disable-user")
@with_appcontext
@click.argument("username")
def disable_user(username):
    """Khóa tài khoản USERNAME: không đăng nhập được, mọi khóa API của nó thôi hiệu lực."""
    with _session() as session:
        _commit_or_fail(session, lambda s: setattr(_user(s, username), "active", False))
        click.echo(f"Đã khóa tài khoản {username}.")


@click.command("create-api-key")
@with_appcontext
@click.argument("username")
@click.option("--label", default="", help="Ghi chú: chương trình nào dùng khóa này.")
def create_api_key(username, label):
    """Tạo khóa API cho USERNAME; khóa chỉ hiện một lần, hãy lưu lại ngay."""
    with _session() as session:
        row, key = _commit_or_fail(session, lambda s: accounts.create_api_key(
            s, _user(s, username), label))
        click.echo(f"Khóa API số {row.id} của {username} (chỉ hiện một lần):", err=True)
        click.echo(key)


@click.command("revoke-api-key")
@with_appcontext
@click.argument("key_id", type=int)
def revoke_api_key(key_id):
    """Thu hồi khóa API số KEY_ID."""
    with _session() as session:
        _commit_or_fail(session, lambda s: accounts.revoke_api_key(s, key_id))
        click.echo(f"Đã thu hồi khóa API số {key_id}.")


@click.command("list-users")
@with_appcontext
def list_users():
    """Liệt kê tài khoản và khóa API (chỉ phần đầu của khóa)."""
    with _session() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            unit = f" {user.unit.code}" if user.unit else ""
            state = "" if user.active else " (đã khóa)"
            click.echo(f"{user.username}\t{user.role}{unit}\t{user.display_name}{state}")
            for key in session.scalars(select(ApiKey).where(ApiKey.user_id == user.id)):
                revoked = " (đã thu hồi)" if key.revoked_at else ""
                click.echo(f"  khóa {key.id}\t{key.prefix}…\t{key.label}{revoked}")


def _user(session, username):
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise accounts.AccountError(f"Không có tài khoản «{username}».")
    return user


@click.command("check-files")
@with_appcontext
@click.option("--remove-unreferenced", is_flag=True,
              help="Xóa tệp không thuộc hồ sơ nào và tệp tạm (bỏ lại sau một lần ghi bị gián "
                   "đoạn), nếu đã quá một giờ.")
def check_files(remove_unreferenced):
    """Đối chiếu mọi tệp của kho lưu trữ với mã băm đã ghi; báo tệp thiếu hoặc bị sửa."""
    store = current_app.extensions["store"]
    problems, referenced = 0, set()
    with _session() as session:
        for document in session.scalars(select(Document).order_by(Document.id)):
            for part in ("json", "docx", "pdf", "template"):
                digest = getattr(document, f"{part}_sha256")
                if digest is None:  # a record issued before its template was kept
                    continue
                referenced.add(digest)
                problems += _report(store, digest, f"phiếu {document.code} ({part})")
        for template in session.scalars(select(FormTemplate).order_by(FormTemplate.id)):
            referenced.add(template.sha256)
            problems += _report(store, template.sha256,
                                f"mẫu {template.form} bản {template.version}")
        for scan in session.scalars(select(SignedScan).order_by(SignedScan.id)):
            referenced.add(scan.sha256)
            problems += _report(store, scan.sha256, f"bản quét {scan.id} của phiếu "
                                                    f"{scan.document_id}")
    unreferenced = [d for d in store.digests() if d not in referenced]
    for digest in unreferenced:
        path = store.path(digest)
        if remove_unreferenced and time.time() - path.stat().st_mtime > 3600:
            path.unlink()
            click.echo(f"đã xóa tệp không thuộc hồ sơ nào: {digest}")
        else:
            click.echo(f"tệp không thuộc hồ sơ nào: {digest}")
    leftovers = list(store.leftovers())
    for path in leftovers:
        if remove_unreferenced and time.time() - path.stat().st_mtime > 3600:
            path.unlink()
            click.echo(f"đã xóa tệp tạm của lần ghi bị gián đoạn: {path.name}")
        else:
            click.echo(f"tệp tạm của lần ghi bị gián đoạn: {path.name}")
    click.echo(f"Đã kiểm tra {len(referenced)} tệp: {problems} lỗi, "
               f"{len(unreferenced)} tệp không thuộc hồ sơ nào, {len(leftovers)} tệp tạm.")
    if problems:
        sys.exit(1)


def _report(store, digest, what):
    state = store.check(digest)
    if state == "ok":
        return 0
    click.echo(f"LỖI: {what}: tệp {digest} " + ("bị thiếu" if state == "missing" else
                                                 "đã bị thay đổi (mã băm không khớp)"), err=True)
    return 1


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(file_okay=False))
def backup(target):
    """Sao lưu cơ sở dữ liệu và thư mục tệp vào thư mục TARGET (docs/ARCHIVE.md)."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    url = make_url(current_app.extensions["database"].url)
    # The database first: every record in the dump then has its files in the copy that follows
    # (files are only ever added).
    if url.get_backend_name() == "sqlite":
        source, copy = sqlite3.connect(url.database), sqlite3.connect(target / "phieu.sqlite3")
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_dump", "--format=custom", "--file", str(target / "phieu.pgdump"),
                        libpq], check=True)
    files = target / "files"
    store_root = current_app.extensions["store"].root
    if store_root.exists():
        shutil.copytree(store_root, files, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".tmp-*"))
    click.echo(f"Đã sao lưu vào {target}.")


@click.command("audit-log")
@with_appcontext
@click.option("--limit", default=50, show_default=True)
def audit_log(limit):
    """In các sự kiện mới nhất của nhật ký kiểm tra."""
    with _session() as session:
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())
                                     .limit(limit)):
            click.echo(f"{event.at:%Y-%m-%d %H:%M:%S}\t{event.username or '-'}\t{event.action}\t"
                       f"{event.outcome}\t{event.path or ''}\t{event.detail}")


COMMANDS = [db_upgrade, create_unit, create_user, set_password, disable_user, create_api_key,
            revoke_api_key, list_users, check_files, backup, audit_log]
