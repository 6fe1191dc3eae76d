import copy
import json
import os
import re
import secrets
import shutil
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import create_app
from archive.roles import Role

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("work")


def make_app(work_dir, **overrides):
    """An app for one test; its LibreOffice workers start only if it converts."""
    return create_app({**_archive_in(work_dir), "CONVERT_WARM_START": False, **overrides})


def _archive_in(work_dir):
    # The session's app renders hundreds of forms from one address (127.0.0.1) in a minute: no
    # render limit there. Archive apps (new_archive_app) keep the default one.
    return {"TESTING": True, "WORK_DIR": str(work_dir), "ALLOW_ANONYMOUS_RENDER": True,
            "RENDER_RATE_LIMIT": "", "RENDER_CONCURRENCY": 0,
            "DATABASE_URL": f"sqlite:///{work_dir}/archive.sqlite3",
            "DATA_DIR": str(Path(work_dir) / "files")}


@pytest.fixture(scope="session")
def app(work_dir):
    app = create_app(_archive_in(work_dir))
    yield app
    app.extensions["converter"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def example(name):
    """A fresh copy of examples/<name>.json, safe to modify."""
    return copy.deepcopy(json.loads((EXAMPLES / f"{name}.json").read_text("utf-8")))


def pdf_pages(data):
    """Each page's extracted text, NFC."""
    return [unicodedata.normalize("NFC", page.extract_text() or "")
            for page in PdfReader(BytesIO(data)).pages]


def squash(text):
    """NFC with all whitespace removed: a value wrapped over several lines of a cell still
    matches."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def string_leaves(value):
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from string_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from string_leaves(item)


# The archive, against SQLite and against the real PostgreSQL server that `make test` starts
# (scripts/test-postgres.sh gives TEST_DATABASE_URL).
ARCHIVE_BACKENDS = ["sqlite", "postgresql"]
PASSWORD = "mat-khau-thu-nghiem"
ACCOUNTS = {  # username: (role, unit code); the visitors of auth/review.py, anonymous aside
    "unit_a": ("unit", "noi-vu"),
    "unit_b": ("unit", "tai-chinh"),
    **{role.value: (role.value, None) for role in Role if not role.has_unit},
}


@pytest.fixture(scope="session", params=ARCHIVE_BACKENDS)
def archive_app(request, app, tmp_path_factory):
    """An app with its own archive, sharing the session's warm LibreOffice engine."""
    yield from new_archive_app(request, app, tmp_path_factory)


def new_archive_app(request, app, tmp_path_factory, **config):
    """An archive app on `request.param`'s database; on PostgreSQL it gets a schema of its own,
    so two test runs can share the server."""
    root = tmp_path_factory.mktemp(f"archive-{request.param}")
    if request.param == "postgresql":
        server = os.environ.get("TEST_DATABASE_URL")
        if not server:
            pytest.skip("TEST_DATABASE_URL is not set; `make test` starts PostgreSQL and sets it")
        schema = f"test_{os.getpid()}_{secrets.token_hex(4)}"
        _run_sql(server, f"CREATE SCHEMA {schema}")
        request.addfinalizer(lambda: _run_sql(server, f"DROP SCHEMA {schema} CASCADE"))
        url = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{root}/archive.sqlite3"
    archived = create_app({"TESTING": True, "WORK_DIR": str(root / "work"), "DATABASE_URL": url,
                           "ALLOW_ANONYMOUS_RENDER": True, "DATA_DIR": str(root / "files"),
                           "CONVERT_WARM_START": False, **config},
                          converter=app.extensions["converter"])
    yield archived
    archived.extensions["database"].engine.dispose()


def _run_sql(url, statement):
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


class Archive:
    """One test's archive: emptied, with units noi-vu and tai-chinh, an account of each role and
    an API key for each."""

    def __init__(self, app):
        from archive import accounts
        from archive.models import Base
        from auth.access import limiter
        self.app, self.store = app, app.extensions["store"]
        self.sessions = app.extensions["database"].sessions
        with self.sessions() as db:
            for table in reversed(Base.metadata.sorted_tables):
                db.execute(table.delete())
            db.commit()
        shutil.rmtree(self.store.root, ignore_errors=True)
        limiter.reset()
        self.keys = {}
        with self.sessions() as db:
            accounts.create_unit(db, "noi-vu", "Phòng Nội vụ", "Ủy ban nhân dân quận Nam Từ Liêm")
            accounts.create_unit(db, "tai-chinh", "Phòng Tài chính - Kế hoạch",
                                 "Ủy ban nhân dân quận Nam Từ Liêm")
            db.flush()
            for username, (role, unit) in ACCOUNTS.items():
                user = accounts.create_user(db, username, role, unit_code=unit, password=PASSWORD)
                self.keys[username] = accounts.create_api_key(db, user, "tests")[1]
            db.commit()
        self.client = app.test_client()

    def headers(self, who):
        return {"Authorization": f"Bearer {self.keys[who]}"} if who else {}

    def get(self, url, who, **kwargs):
        return self.client.get(url, headers=self.headers(who), **kwargs)

    def post(self, url, who, **kwargs):
        return self.client.post(url, headers=self.headers(who), **kwargs)

    def issue(self, body, who="unit_a", form="phieu-01", replaces=None):
        """A new version, issued (201); `replaces` confirms the version it replaces."""
        query = f"?replaces={replaces}" if replaces else ""
        response = self.post(f"/api/v1/documents/{form}{query}", who, json=body)
        assert response.status_code == 201, response.json
        return response.json

    def count(self, model):
        from sqlalchemy import func, select
        with self.sessions() as db:
            return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def archive(archive_app):
    return Archive(archive_app)


def unit_b_body(body):
    body["unit"] = {"name": "Phòng Tài chính - Kế hoạch",
                    "parent": "Ủy ban nhân dân quận Nam Từ Liêm"}
    return body


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium (tests/browser.py), one per test module."""
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A page in a fresh context; the test fails on any script error or CSP refusal in it."""
    from browser import watched
    context = browser.new_context(accept_downloads=True, locale="vi-VN",
                                  viewport={"width": 1280, "height": 900})
    page = watched(context)
    yield page
    context.close()
    assert not page.errors, page.errors
