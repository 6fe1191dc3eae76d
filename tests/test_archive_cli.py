"""The administrator's command-line tools: accounts (never a default password), keys shown once,
the schema upgrade, and a backup that restores into a working archive."""

import shutil

import pytest
from sqlalchemy import select

from archive import accounts, service
from archive.models import User
from conftest import PASSWORD, example, make_app


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_accounts_are_made_on_the_command_line(archive):
    app = archive.app
    result = run(app, "create-unit", "van-hoa", "Phòng Văn hóa và Thông tin",
                 "--parent", "Ủy ban nhân dân quận Nam Từ Liêm")
    assert result.exit_code == 0 and "Đã tạo đơn vị van-hoa" in result.output
    result = run(app, "create-user", "Chi.Mai", "--role", "unit", "--unit", "van-hoa",
                 "--name", "Lê Chi Mai", "--password-stdin", input="mot-mat-khau-dai\n")
    assert result.exit_code == 0, result.output
    with archive.sessions() as db:
        user = db.scalar(select(User).where(User.username == "chi.mai"))
        assert user.unit.code == "van-hoa" and user.display_name == "Lê Chi Mai"
        assert user.password_hash.startswith("scrypt:")
        assert accounts.authenticate(db, "chi.mai", "mot-mat-khau-dai").id == user.id

    result = run(app, "create-api-key", "chi.mai", "--label", "phần mềm nhân sự")
    key = result.stdout.strip().splitlines()[-1]
    assert result.exit_code == 0 and key.startswith("phk_") and len(key) > 40
    assert "chỉ hiện một lần" in result.output
    listing = run(app, "list-users").output
    assert "chi.mai\tunit van-hoa\tLê Chi Mai" in listing and key not in listing
    assert key[:12] in listing  # the prefix tells keys apart

    body = example("phieu-01")
    body["unit"] = {"name": "Phòng Văn hóa và Thông tin"}
    response = app.test_client().post("/api/v1/documents/phieu-01", json=body,
                                      headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 201 and response.json["unit"]["code"] == "van-hoa"


def test_account_rules_are_explained(archive):
    app = archive.app
    cases = [
        (["create-unit", "Nội Vụ", "x"], "Mã đơn vị chỉ gồm"),
        (["create-unit", "noi-vu", "Phòng Nội vụ"], "Đã có đơn vị mã «noi-vu»"),
        (["create-user", "x1", "--role", "unit", "--unit", "khong-co", "--no-password"],
         "Không có đơn vị mã «khong-co»"),
        (["create-user", "x2", "--role", "secretariat", "--unit", "noi-vu", "--no-password"],
         "Chỉ tài khoản đơn vị mới gắn với một đơn vị"),
        (["create-user", "unit_a", "--role", "admin", "--no-password"], "Đã có tài khoản"),
        (["create-user", "có dấu", "--role", "admin", "--no-password"], "Tên đăng nhập gồm"),
        (["create-api-key", "khong-ai"], "Không có tài khoản «khong-ai»"),
        (["revoke-api-key", "999999"], "Không có khóa API số 999999"),
    ]
    for args, message in cases:
        result = run(app, *args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    short = run(app, "create-user", "x3", "--role", "admin", "--password-stdin", input="ngan\n")
    assert short.exit_code != 0 and "ít nhất 10 ký tự" in short.output


def test_there_is_no_default_password(archive):
    app = archive.app
    # Without a password on stdin, create-user asks for one (twice) instead of inventing it.
    result = run(app, "create-user", "hoi", "--role", "admin", input="")
    assert result.exit_code != 0 and "Mật khẩu" in result.output
    result = run(app, "create-user", "hoi", "--role", "admin", "--no-password")
    assert result.exit_code == 0
    with archive.sessions() as db:
        assert accounts.authenticate(db, "hoi", "") is None
        assert db.scalar(select(User).where(User.username == "hoi")).password_hash is None
    run(app, "set-password", "hoi", "--password-stdin", input="mat-khau-moi-du-dai\n")
    with archive.sessions() as db:
        assert accounts.authenticate(db, "hoi", "mat-khau-moi-du-dai") is not None


def test_the_schema_upgrade_is_idempotent(archive):
    assert archive.app.extensions["database"].is_current()
    result = run(archive.app, "db-upgrade")
    assert result.exit_code == 0 and "bản mới nhất" in result.output


def test_a_backup_restores_into_a_working_archive(tmp_path, app):
    source = make_app(tmp_path / "source")
    source.extensions["converter"] = app.extensions["converter"]
    with source.extensions["database"].sessions() as db:
        accounts.create_unit(db, "noi-vu", "Phòng Nội vụ")
        db.flush()
        user = accounts.create_user(db, "unit_a", "unit", unit_code="noi-vu", password=PASSWORD)
        key = accounts.create_api_key(db, user)[1]
        db.commit()
    headers = {"Authorization": f"Bearer {key}"}
    record = source.test_client().post("/api/v1/documents/phieu-01", json=example("phieu-01"),
                                       headers=headers).json
    result = run(source, "backup", str(tmp_path / "backup"))
    assert result.exit_code == 0, result.output

    # Restore as docs/ARCHIVE.md says: the database file and the files directory, then check.
    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    shutil.copy(tmp_path / "backup" / "phieu.sqlite3", restored_dir / "archive.sqlite3")
    shutil.copytree(tmp_path / "backup" / "files", restored_dir / "files")
    restored = make_app(restored_dir)
    check = run(restored, "check-files")
    assert check.exit_code == 0 and "0 lỗi" in check.output
    pdf = restored.test_client().get(record["links"]["pdf"], headers=headers)
    assert pdf.status_code == 200 and service.sha256(pdf.data) == record["sha256"]["pdf"]


@pytest.mark.parametrize("archive_app", ["postgresql"], indirect=True)
def test_a_postgresql_backup_restores_with_pg_restore(archive, tmp_path):
    import subprocess

    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    database = archive.app.extensions["database"]
    record = archive.issue(example("phieu-01"))
    assert run(archive.app, "backup", str(tmp_path / "backup")).exit_code == 0

    with database.engine.begin() as connection:  # the disaster
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    database.engine.dispose()
    shutil.rmtree(archive.store.root)

    libpq = make_url(database.url).set(drivername="postgresql").render_as_string(
        hide_password=False)
    subprocess.run(["pg_restore", "--no-owner", "--schema", schema, "--dbname", libpq,
                    str(tmp_path / "backup" / "phieu.pgdump")], check=True)
    shutil.copytree(tmp_path / "backup" / "files", archive.store.root)
    check = run(archive.app, "check-files")
    assert check.exit_code == 0 and "0 lỗi" in check.output
    pdf = archive.get(record["links"]["pdf"], "unit_a")
    assert pdf.status_code == 200 and service.sha256(pdf.data) == record["sha256"]["pdf"]
