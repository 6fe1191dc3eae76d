"""docs/SECURITY.md, what the access table does not show: the render limit (per account, else
per address; 429 in the API's error shape with Retry-After; in the OpenAPI spec), and no secret
and no traceback in any answer or in the log at the default level, for a bad key, a failed login,
a database outage and an unexpected error."""

import io
import logging
import re

import pytest

from app import create_app
from archive import accounts
from conftest import PASSWORD, Archive, example

RENDERING = {  # (method, path) of the OpenAPI spec: the endpoints spending the render budget
    ("post", "/api/v1/phieu-01"), ("get", "/api/v1/phieu-01/blank"),
    ("post", "/api/v1/tong-hop"), ("get", "/api/v1/tong-hop/blank"),
    ("post", "/api/v1/packet"), ("post", "/api/v1/documents/phieu-01"),
    ("post", "/api/v1/documents/tong-hop"),
    ("post", "/api/v1/units/{code}/months/{year}/{month}/tong-hop"),
    ("post", "/api/v1/jobs/batch-issue"), ("post", "/api/v1/jobs/batch-issue/spreadsheet"),
    ("get", "/api/v1/reports/year-end"), ("get", "/api/v1/reports/periodic"),
    ("post", "/api/v1/templates/{form}/check"), ("post", "/api/v1/templates/{form}"),
}


def limited_app(shared, root, limit="2 per minute", **config):
    return create_app({"TESTING": True, "WORK_DIR": str(root / "work"),
                       "DATABASE_URL": f"sqlite:///{root}/a.sqlite3",
                       "DATA_DIR": str(root / "files"), "CONVERT_WARM_START": False,
                       "ALLOW_ANONYMOUS_RENDER": True, "RENDER_RATE_LIMIT": limit, **config},
                      converter=shared.extensions["converter"])


@pytest.fixture
def limited(app, tmp_path):
    archive = Archive(limited_app(app, tmp_path))
    yield archive
    archive.app.extensions["database"].engine.dispose()


def blank(archive, who, form="phieu-01"):
    return archive.get(f"/api/v1/{form}/blank?format=docx", who)


def test_past_the_render_limit_an_account_gets_429_in_vietnamese_with_retry_after(limited):
    assert [blank(limited, "unit_a", form).status_code
            for form in ("phieu-01", "tong-hop")] == [200, 200]  # one budget for every form
    refused = blank(limited, "unit_a")
    assert refused.status_code == 429
    assert set(refused.json) == {"code", "status", "message"}
    assert refused.json["code"] == 429 and refused.json["status"] == "Too Many Requests"
    assert refused.json["message"].startswith("Quá nhiều yêu cầu tạo phiếu (2 lần mỗi phút")
    seconds = int(refused.headers["Retry-After"])
    assert 0 < seconds <= 60 and f"đợi {seconds} giây" in refused.json["message"]
    # Issuing spends the same budget; the account's role check comes first.
    assert limited.post("/api/v1/documents/phieu-01", "unit_a",
                        json=example("phieu-01")).status_code == 429
    assert limited.post("/api/v1/documents/phieu-01", "secretariat",
                        json=example("phieu-01")).status_code == 403


def test_the_limit_is_per_account_and_anonymous_clients_share_their_address(limited):
    for _ in range(2):
        assert blank(limited, "unit_a").status_code == 200
    assert blank(limited, "unit_a").status_code == 429
    assert blank(limited, "unit_b").status_code == 200  # another account: its own budget
    assert blank(limited, None).status_code == 200  # no account: the address's budget
    assert blank(limited, None).status_code == 200
    assert blank(limited, None).status_code == 429
    other = limited.client.get("/api/v1/phieu-01/blank?format=docx",
                               environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


def test_behind_trusted_proxies_each_client_address_has_its_own_budget(app, tmp_path):
    def from_address(archive, address, proxy="10.0.0.2"):
        return archive.client.get("/api/v1/phieu-01/blank?format=docx",
                                  environ_base={"REMOTE_ADDR": proxy},
                                  headers={"X-Forwarded-For": address})

    default = Archive(limited_app(app, tmp_path / "default"))
    # Not trusted by default: a client cannot dodge the limit with a header of its own.
    assert [from_address(default, f"198.51.100.{n}").status_code
            for n in range(3)] == [200, 200, 429]
    default.app.extensions["database"].engine.dispose()

    proxied = Archive(limited_app(app, tmp_path / "proxied", TRUSTED_PROXIES=1))
    assert [from_address(proxied, "198.51.100.1").status_code
            for _ in range(3)] == [200, 200, 429]
    assert from_address(proxied, "198.51.100.2").status_code == 200
    proxied.app.extensions["database"].engine.dispose()


def test_what_makes_no_file_spends_nothing(limited):
    for _ in range(4):
        assert limited.post("/api/v1/phieu-01/validate", "unit_a",
                            json=example("phieu-01")).status_code == 200
        assert limited.get("/api/v1/reports/year-end?year=2026", "unit_a").status_code == 200
        assert limited.get("/api/v1/reports/periodic?year=2026&report=nam&format=json",
                           "unit_a").status_code == 200
    assert blank(limited, "unit_a").status_code == 200
    assert blank(limited, "unit_a").status_code == 200
    # A report as a file does spend it.
    assert limited.get("/api/v1/reports/periodic?year=2026&report=nam&format=docx",
                       "unit_a").status_code == 429


def test_the_web_pages_issue_spends_the_same_budget_and_answers_a_page(limited):
    client = limited.client
    page = client.get("/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/dang-nhap", data={"username": "unit_a", "password": PASSWORD,
                                    "csrf_token": token})
    token = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get("/").get_data(as_text=True)).group(1)
    for _ in range(2):
        assert client.get("/api/v1/phieu-01/blank?format=docx").status_code == 200
    refused = client.post("/don-vi/noi-vu/2026/11/tong-hop", data={"csrf_token": token})
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert "Quá nhiều yêu cầu tạo phiếu" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0


def test_an_empty_limit_turns_it_off(app, tmp_path):
    archive = Archive(limited_app(app, tmp_path, limit=""))
    assert all(blank(archive, "unit_a").status_code == 200 for _ in range(5))
    archive.app.extensions["database"].engine.dispose()


def test_the_openapi_spec_documents_the_429_on_the_rendering_endpoints(client):
    spec = client.get("/openapi.json").json
    assert "Error" in spec["components"]["schemas"]
    operations = {(method, path): operation for path, item in spec["paths"].items()
                  for method, operation in item.items() if method != "parameters"}
    # Every operation may answer 429 to wrong API keys (PHIEU_BAD_KEY_RATE_LIMIT, issue 14);
    # those that make LibreOffice work, to their render limit too.
    assert all("PHIEU_BAD_KEY_RATE_LIMIT" in operation["responses"]["429"]["description"]
               for operation in operations.values())
    assert {key for key, operation in operations.items()
            if "PHIEU_RENDER_RATE_LIMIT" in operation["responses"]["429"]["description"]} \
        == RENDERING
    described = spec["paths"]["/api/v1/phieu-01"]["post"]["responses"]["429"]["description"]
    assert "Retry-After" in described and "PHIEU_RENDER_RATE_LIMIT" in described


# ---------------------------------------------------------------------- uploads by content

def test_uploads_are_judged_by_their_content_not_their_name(limited):
    from PIL import Image
    document = limited.issue(example("phieu-01"))
    scans = f"/api/v1/documents/{document['id']}/signed-scan"
    html = limited.post(scans, "secretariat", data={
        "file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "ban-quet.pdf")})
    assert html.status_code == 415
    fake_pdf = limited.post(scans, "secretariat", data={
        "file": (io.BytesIO(b"%PDF-1.7 but nothing after"), "ban-quet.pdf")})
    assert fake_pdf.status_code == 415
    image = io.BytesIO()
    Image.new("L", (8, 8), 255).save(image, "PNG")
    png = limited.post(scans, "secretariat", data={
        "file": (io.BytesIO(image.getvalue()), "ban-quet.pdf")})
    assert png.status_code == 201 and png.json["media_type"] == "image/png"
    roster = "/api/v1/units/noi-vu/roster"
    pdf_as_sheet = limited.client.put(roster, headers=limited.headers("unit_a"), data={
        "file": (io.BytesIO(b"%PDF-1.7 not a sheet"), "danh-sach.xlsx")})
    assert pdf_as_sheet.status_code == 422
    csv_as_xlsx = limited.client.put(roster, headers=limited.headers("unit_a"), data={
        "file": (io.BytesIO("Họ và tên\r\nNguyễn Văn An\r\n".encode()), "danh-sach.xlsx")})
    assert csv_as_xlsx.status_code == 200, csv_as_xlsx.json
    assert [m["full_name"] for m in csv_as_xlsx.json["members"]] == ["Nguyễn Văn An"]


# ---------------------------------------------------------------------- no secret, no traceback

SECRET_KEY = "khoa-bi-mat-cua-phien-7f3a9c"
DB_PASSWORD = "Mat-Khau-Co-So-Du-Lieu-91"


@pytest.fixture
def default_log():
    """Every log line at the default level (INFO), as the service's log would hold them."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect(logging.INFO)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level, root.level = root.level, logging.INFO  # the service's default PHIEU_LOG_LEVEL
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)
    root.setLevel(level)


def assert_clean(texts, *secrets):
    for text in texts:
        assert "Traceback" not in text and 'File "' not in text, text
        for secret in secrets:
            assert secret not in text, (secret, text)


def test_a_bad_key_and_a_failed_login_leave_no_secret_anywhere(app, tmp_path, default_log):
    archive = Archive(limited_app(app, tmp_path, SECRET_KEY=SECRET_KEY))
    with archive.sessions() as db:
        user = accounts.create_user(db, "ke-gian", "unit", unit_code="noi-vu",
                                    password="mat-khau-that-cua-ai-do")
        revoked = accounts.create_api_key(db, user, "thu hồi")
        db.flush()
        accounts.revoke_api_key(db, revoked[0].id)
        db.commit()
    bad = "phk_" + "x" * 43
    answers = [archive.client.get("/api/v1/documents", headers={"Authorization": f"Bearer {key}"})
               for key in (bad, revoked[1], archive.keys["unit_a"][:-2])]
    assert [answer.status_code for answer in answers] == [401, 401, 401]
    login_page = archive.client.get("/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', login_page).group(1)
    failed = archive.client.post("/dang-nhap", data={
        "username": "ke-gian", "password": "mat-khau-sai-nhung-dai", "csrf_token": token})
    assert failed.status_code == 401
    audit = archive.get("/api/v1/audit?page_size=500", "admin")
    texts = [answer.get_data(as_text=True) for answer in [*answers, failed, audit]]
    assert_clean(texts + default_log, bad, revoked[1], archive.keys["unit_a"], SECRET_KEY,
                 "mat-khau-sai-nhung-dai", "mat-khau-that-cua-ai-do", PASSWORD)
    assert "khóa API sai" in audit.get_data(as_text=True)  # the refusals are there, by kind
    archive.app.extensions["database"].engine.dispose()


def test_a_database_outage_answers_503_without_its_settings(tmp_path, default_log):
    url = f"postgresql+psycopg://phieu:{DB_PASSWORD}@127.0.0.1:1/phieu?connect_timeout=2"
    outage = create_app({"WORK_DIR": str(tmp_path), "DATABASE_URL": url,
                         "DATABASE_AUTO_UPGRADE": False, "JOBS_RESUME": False,
                         "DATA_DIR": str(tmp_path / "files"), "CONVERT_WARM_START": False,
                         "SECRET_KEY": SECRET_KEY})
    client = outage.test_client()
    key = "phk_" + "k" * 43
    answers = [client.get("/api/v1/documents", headers={"Authorization": f"Bearer {key}"}),
               client.get("/readyz")]
    token = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get("/dang-nhap").get_data(as_text=True)).group(1)
    answers.append(client.post("/dang-nhap", data={"username": "ai-do", "password": "mat-khau-x1",
                                                   "csrf_token": token}))
    assert [answer.status_code for answer in answers] == [503, 503, 503]
    assert "Cơ sở dữ liệu" in answers[0].json["message"] and answers[0].headers["Retry-After"]
    assert any("database unavailable: OperationalError" in line for line in default_log)
    assert_clean([answer.get_data(as_text=True) for answer in answers] + default_log,
                 DB_PASSWORD, key, SECRET_KEY, "mat-khau-x1")
    outage.extensions["database"].engine.dispose()


def test_an_unexpected_error_answers_500_with_a_reference_and_logs_one_line(
        app, tmp_path, default_log):
    broken = limited_app(app, tmp_path, TESTING=False, SECRET_KEY=SECRET_KEY)

    def fails():
        raise RuntimeError(f"connection to postgresql://phieu:{DB_PASSWORD}@db failed")

    broken.view_functions["documents.documents"] = fails  # an API route
    broken.view_functions["web.index"] = fails  # a page
    archive = Archive(broken)
    api = archive.get("/api/v1/documents", "unit_a")
    page = archive.client.get("/")
    assert api.status_code == 500 and page.status_code == 500
    reference = re.search(r"Mã lỗi: ([0-9a-f]{8})\.", api.json["message"]).group(1)
    assert api.json["message"].startswith("Lỗi máy chủ ngoài dự kiến")
    assert page.mimetype == "text/html" and "Lỗi máy chủ ngoài dự kiến" in page.get_data(
        as_text=True)
    assert any(f"unexpected error RuntimeError: GET /api/v1/documents (reference {reference})"
               in line for line in default_log)
    assert_clean([api.get_data(as_text=True), page.get_data(as_text=True)] + default_log,
                 DB_PASSWORD, SECRET_KEY, archive.keys["unit_a"])
    broken.extensions["database"].engine.dispose()
