"""The Flask application factory and the entry point: `flask --app app run`.

Settings come from the environment with the prefix PHIEU_ (README, "Cấu hình"), e.g.
PHIEU_PLACE_NAME="Nam Từ Liêm", PHIEU_CONVERT_TIMEOUT=60; tests pass overrides to create_app.
"""

import logging
import os
import secrets
import tempfile

import swagger_ui_bundle
from flask import Flask, g, request, send_from_directory
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import archive
import auth
import commands
import jobs
from api import Api, DatabaseInteger, PrintableText
from api.admin import bp as admin_bp
from api.documents import bp as documents_bp
from api.excused import bp as excused_bp
from api.forms import form_blueprint
from api.health import bp as health_bp
from api.jobs import bp as jobs_bp
from api.packet import bp as packet_bp
from api.reports import bp as reports_bp
from api.templates import bp as templates_bp
from api.units import bp as units_bp
from documents import pagination
from documents.make import make_document
from forms import FORMS, rules
from office.engine import ConversionError, Converter
from web import bp as web_bp
from web import error_pages
from web.accounts import bp as accounts_bp

DEFAULTS = {
    "PLACE_NAME": "Nam Từ Liêm",
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "SOFFICE": "/usr/lib/libreoffice/program/soffice.bin",
    "CONVERT_PYTHON": "/usr/bin/python3",  # the Python that has LibreOffice's `uno` module
    "CONVERT_WORKERS": os.cpu_count() or 2,
    "CONVERT_WARM_START": True,
    "CONVERT_QUEUE_SIZE": 100,
    "CONVERT_QUEUE_TIMEOUT": 30,
    "CONVERT_TIMEOUT": 60,
    "CONVERT_MAX_CONVERSIONS": 1000,
    "CONVERT_MAX_MEMORY_MB": 600,
    # Single-form requests waiting together are converted as one document by a free worker, up
    # to this many (1: never); "all" of them, or each worker its "share" (office/engine.py).
    "CONVERT_BATCH_MAX": 4,
    "CONVERT_BATCH_POLICY": "all",
    # LibreOffice's CPU priority below the web tier's (nice, 0-19): with every core converting,
    # a list or a download still gets its share at once; conversions lose no throughput.
    "CONVERT_NICE": 10,
    # Files made without archive code kept in memory, keyed by their content (documents/cache.py).
    "RESULT_CACHE_MB": 32,
    # III.1 «Tháng 5/2024: Triển khai Hướng dẫn này»: no Phiếu 01 is owed for earlier months.
    "GUIDANCE_START": "05/2024",
    "PACKET_CHUNK": 12,  # forms per LibreOffice load in a print packet (docs/BENCHMARKS.md)
    "WORK_DIR": os.path.join(tempfile.gettempdir(), "phieu-service"),
    "LOG_LEVEL": "INFO",
    # Signs the web pages' session cookie, which carries their CSRF token. Set PHIEU_SECRET_KEY
    # in production; the default changes at every start (open pages then need a reload).
    "SECRET_KEY": os.urandom(32).hex(),
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Behind HTTPS set PHIEU_SESSION_COOKIE_SECURE=true: the login cookie is then never sent in
    # clear. Flask's default keeps it HttpOnly.
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # idle: a session unused this long ends
    "SESSION_ABSOLUTE_LIFETIME": 12 * 3600,  # from login, however busy it is
    # How many reverse proxies (nginx…) stand in front and set X-Forwarded-For/-Proto. The
    # rate limits and the audit log then see the client's address, not the proxy's; 0 ignores
    # the headers, which a client could otherwise forge.
    "TRUSTED_PROXIES": 0,
    # The archive. DATABASE_URL (or PHIEU_DATABASE_URL), e.g.
    # postgresql+psycopg://user:password@host/db; unset: a SQLite file in the instance folder.
    "DATABASE_URL": os.environ.get("DATABASE_URL"),
    "DATABASE_AUTO_UPGRADE": True,  # off: run `flask --app app db-upgrade` when deploying
    "DATA_DIR": None,  # the archive's files; unset: instance/files
    "SCAN_MAX_BYTES": 30 * 1024 * 1024,
    # A Word template installed by the secretariat (archive/template_check.py): its file, its
    # parts and their size unpacked (a zip bomb is refused before it is unpacked).
    "TEMPLATE_MAX_BYTES": 1024 * 1024,
    "TEMPLATE_MAX_PARTS": 100,
    "TEMPLATE_MAX_UNPACKED_BYTES": 10 * 1024 * 1024,
    # Pages one form may print, as estimated before it is made (schemas/common.py).
    "MAX_FORM_PAGES": 100,
    # Line breaks and tabs in one form, and in one of its cells (schemas/common.py, fields.py).
    "MAX_LINE_BREAKS": 2000,
    "CELL_MAX_LINE_BREAKS": 100,
    # How much of an uploaded spreadsheet is read (tổng hợp, roster, batch): rows, blank ones
    # included, and columns (sheets/table.py).
    "SHEET_MAX_ROWS": 10000,
    "SHEET_MAX_COLUMNS": 60,
    # Background jobs (batch issue): in this process unless a Celery broker is given, e.g.
    # redis://127.0.0.1:6379/0 (then run `celery -A celery_worker worker`, README).
    "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL"),
    "CELERY_QUEUE": "phieu",  # the workers' -Q
    # Seconds before a job a worker took and never acknowledged (its machine gone) goes to
    # another worker; keep it above the longest batch (docs/JOBS.md).
    "CELERY_VISIBILITY_TIMEOUT": 3600,
    "JOBS_RESUME": True,  # run again, at start, the in-process jobs a stop left unfinished
    # The stateless render endpoints (/api/v1/phieu-01, /tong-hop) without an account: off unless
    # the deployment says so; `make run`, which listens on 127.0.0.1 only, turns it on.
    "ALLOW_ANONYMOUS_RENDER": False,
    # Per address, and per account name from one address (wrong passwords only); across all
    # addresses a name has its own, higher limit: others cannot lock its user out cheaply.
    "LOGIN_RATE_LIMIT": "10 per minute; 50 per hour",
    "LOGIN_NAME_RATE_LIMIT": "100 per hour",
    # Wrong API keys from one address; past it 429, and no more audit rows for them.
    "BAD_KEY_RATE_LIMIT": "20 per minute",
    # What a client may ask LibreOffice for (fill, blank, packet, issue, batch, reports as files):
    # per account, else per address; empty turns the limit off (the benchmarks do).
    "RENDER_RATE_LIMIT": "120 per minute",
    # Conversions one client (an account from one address, else an address) may have running at
    # once; more: 429. One client then never holds every LibreOffice worker. 0: no limit.
    "RENDER_CONCURRENCY": 1,
    "RATELIMIT_STORAGE_URI": "memory://",  # one process; redis://… when there are several
    "RATELIMIT_HEADERS_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "API_TITLE": "Phiếu đánh giá, nhận diện theo Chỉ thị 24-CT/TU",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",  # served from the swagger-ui-bundle package
    "API_SPEC_OPTIONS": {"info": {"description": (
        "Nhận dữ liệu đánh giá hằng tháng, trả Phiếu số 01 và Phiếu tổng hợp theo mẫu của Hướng "
        "dẫn đánh giá, nhận diện biểu hiện vi phạm theo Chỉ thị 24-CT/TU (quận Nam Từ Liêm), "
        "dạng PDF hoặc Word.")}},
}


class Service(Flask):
    def log_exception(self, exc_info):
        """An unexpected error (answered 500): one line at ERROR naming its kind, the request and
        a reference the answer also shows; the traceback only at DEBUG. An exception's text and
        a traceback's lines may hold what no log should (SQL parameters, connection settings,
        a form's data)."""
        reference = g.error_reference = secrets.token_hex(4)
        self.logger.error("unexpected error %s: %s %s (reference %s); its traceback is logged at "
                          "DEBUG level", exc_info[0].__name__, request.method, request.path,
                          reference)
        self.logger.debug("traceback of %s", reference, exc_info=exc_info)


def create_app(test_config=None, *, converter=None):
    """The app; `converter` lets tests share one warm LibreOffice engine between apps."""
    # No app-wide static folder: the pages' files are the web blueprint's (/static/web/).
    app = Service(__name__, static_folder=None)
    app.url_map.converters["int"] = DatabaseInteger  # before any route is added
    app.url_map.converters["default"] = app.url_map.converters["string"] = PrintableText
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("PHIEU")
    if test_config:
        app.config.from_mapping(test_config)
    try:
        app.config["GUIDANCE_START"] = rules.parse_month(app.config["GUIDANCE_START"])
    except ValueError:
        raise RuntimeError("PHIEU_GUIDANCE_START phải có dạng TT/NNNN, ví dụ 05/2024.") from None
    if not (isinstance(app.config["CONVERT_NICE"], int) and 0 <= app.config["CONVERT_NICE"] <= 19):
        raise RuntimeError("PHIEU_CONVERT_NICE phải là số nguyên từ 0 đến 19.")
    if app.config["TRUSTED_PROXIES"]:
        proxies = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.json.ensure_ascii = False
    app.json.sort_keys = False  # keep the schema's order: errors follow the form
    # The engine logs each worker's start, restart and timeout; this gives them a place to go
    # when the server (gunicorn, flask run) has not configured logging itself.
    logging.basicConfig(level=app.config["LOG_LEVEL"],
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    # Made here, started where forms are converted: by wsgi.py for the server, else at the
    # first conversion. The `flask` commands that convert nothing start no LibreOffice.
    app.extensions["converter"] = converter or new_converter(app.config)

    archive.init_app(app)
    auth.init_app(app)
    jobs.init_app(app)
    api = Api(app)
    api.spec.components.security_scheme("khoa_api", {
        "type": "http", "scheme": "bearer", "description": "Khóa API: Bearer phk_…"})
    api.spec.components.security_scheme("phien_dang_nhap", {
        "type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"],
        "description": "Cookie đăng nhập của trang web (/dang-nhap); yêu cầu POST kèm tiêu đề "
                       "X-CSRFToken"})
    csrf = CSRFProtect(app)
    api.register_blueprint(health_bp)
    # The API's posts are checked for CSRF in auth.access, and only when they ride on the
    # login cookie: a program's API key is not sent by a browser on its own.
    for blueprint in [*(form_blueprint(slug) for slug in FORMS), packet_bp, documents_bp,
                      admin_bp, units_bp, excused_bp, reports_bp, jobs_bp, templates_bp]:
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)
    app.register_blueprint(web_bp)
    app.register_blueprint(accounts_bp)
    # A person in a browser gets a page; a program, the API's JSON (web/error_pages.py).
    app.register_error_handler(HTTPException, error_pages.handler(api.handle_http_exception))

    @app.errorhandler(ConversionError)
    def conversion_failed(error):
        return ({"code": 503, "status": "Service Unavailable", "message": error.message},
                503, {"Retry-After": str(error.retry_after)})

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        # The server is down, unreachable or refusing: nothing was committed. No details to the
        # client; the log names the kind of error only (its text may hold connection settings).
        app.logger.error("database unavailable: %s", type(error).__name__)
        return ({"code": 503, "status": "Service Unavailable",
                 "message": "Cơ sở dữ liệu tạm thời không dùng được; chưa có gì được lưu. Hãy "
                            "thử lại sau ít phút."}, 503, {"Retry-After": "30"})

    @app.route("/docs/assets/<path:filename>")
    def swagger_ui_assets(filename):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    for command in commands.COMMANDS:
        app.cli.add_command(command)
    return app


def new_converter(config):
    """A LibreOffice engine for these settings, not started yet."""
    return Converter(
        python=config["CONVERT_PYTHON"], soffice=config["SOFFICE"], work_dir=config["WORK_DIR"],
        workers=config["CONVERT_WORKERS"], queue_size=config["CONVERT_QUEUE_SIZE"],
        queue_timeout=config["CONVERT_QUEUE_TIMEOUT"], timeout=config["CONVERT_TIMEOUT"],
        max_conversions=config["CONVERT_MAX_CONVERSIONS"],
        max_memory_mb=config["CONVERT_MAX_MEMORY_MB"], layout=pagination,
        batch_max=config["CONVERT_BATCH_MAX"], batch_policy=config["CONVERT_BATCH_POLICY"],
        nice=config["CONVERT_NICE"], before_wait=auth.context.release_db,
        warmup=make_document(FORMS["phieu-01"], None, "docx", settings=config,
                             converter=None).content)
