"""The HTTP contract around the documents: headers, negotiation, spec, docs, health."""

import re
import unicodedata
from urllib.parse import unquote

import pytest

from conftest import example, make_app


def disposition(response):
    header = response.headers["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]+)"', header).group(1)
    utf8_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", header).group(1))
    return ascii_name, utf8_name


def test_file_names_are_vietnamese_with_an_ascii_fallback(client):
    response = client.post("/api/v1/phieu-01?format=docx", json=example("phieu-01"))
    ascii_name, name = disposition(response)
    assert name == "Phiếu 01 - Nguyễn Thị Ngọc Ánh - tháng 11-2026.docx"
    assert unicodedata.is_normalized("NFC", name)
    assert ascii_name == "phieu-01-nguyen-thi-ngoc-anh-thang-11-2026.docx"
    assert ascii_name.isascii()


def test_file_name_without_unsafe_characters(client):
    body = example("tong-hop")
    body["unit"]["name"] = 'Tổ "A/B" Đoàn: 1'
    ascii_name, name = disposition(client.post("/api/v1/tong-hop?format=docx", json=body))
    assert "/" not in name and '"' not in name and ":" not in name
    assert ascii_name == "phieu-tong-hop-to-a-b-doan-1-thang-11-2026.docx"


@pytest.mark.parametrize("accept, mimetype", [
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("application/pdf", "application/pdf"),
    ("*/*", "application/pdf"),
])
def test_accept_header_chooses_the_format(client, accept, mimetype):
    response = client.get("/api/v1/tong-hop/blank", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data[:4] == (b"%PDF" if mimetype == "application/pdf" else b"PK\x03\x04")


def test_unknown_format_is_refused_in_vietnamese(client):
    response = client.get("/api/v1/phieu-01/blank?format=xlsx")
    assert response.status_code == 422
    assert response.json["errors"]["query"]["format"] == ["format: chỉ nhận «pdf» hoặc «docx»"]


@pytest.mark.parametrize("path, method, code, words", [
    ("/khong-co", "get", 404, "Không có địa chỉ này"),
    ("/api/v1/phieu-01", "get", 405, "không nhận phương thức GET"),
])
def test_routing_errors_are_json_in_vietnamese(client, path, method, code, words):
    response = getattr(client, method)(path)
    assert response.status_code == code
    assert words in response.json["message"]


def test_an_unexpected_error_is_a_json_500_without_a_trace(work_dir):
    app = make_app(work_dir, TESTING=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail /etc/passwd")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.json["message"].startswith("Lỗi máy chủ ngoài dự kiến")
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_openapi_describes_every_input_field_in_vietnamese(client):
    spec = client.get("/openapi.json").json
    assert set(spec["paths"]) >= {"/api/v1/phieu-01", "/api/v1/phieu-01/blank",
                                  "/api/v1/phieu-01/validate", "/api/v1/tong-hop",
                                  "/api/v1/tong-hop/blank", "/api/v1/tong-hop/validate",
                                  "/healthz", "/readyz"}
    schemas = spec["components"]["schemas"]
    undescribed = [f"{name}.{prop}" for name, schema in schemas.items()
                   if name not in ("Error", "PaginationMetadata")
                   for prop, field in schema.get("properties", {}).items()
                   if not field.get("description") and "$ref" not in field
                   and not field.get("allOf")]
    assert not undescribed
    assert sorted(schemas["Phieu01"]["required"]) == ["period", "person", "unit"]
    monthly = schemas["Phieu01"]["properties"]["monthly_rating"]
    assert monthly["enum"][:1] == ["hoan_thanh_xuat_sac"]
    assert "Hoàn thành xuất sắc nhiệm vụ" in monthly["description"]
    fill = spec["paths"]["/api/v1/phieu-01"]["post"]
    assert {"200", "422", "503"} <= set(fill["responses"])
    assert "application/pdf" in fill["responses"]["200"]["content"]


def test_docs_page_loads_its_assets_from_the_service(client):
    page = client.get("/docs").get_data(as_text=True)
    assert "/openapi.json" in page
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/docs/assets/") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code in (200, 503)  # 503 while the workers start, with Retry-After
    assert ready.json["converter"]["missing"] is None
    assert len(ready.json["converter"]["workers"]) >= 1
    assert ready.json["database"] == {"ok": True, "backend": "sqlite", "schema_current": True}


def test_not_ready_without_the_database(work_dir):
    app = make_app(work_dir, DATABASE_AUTO_UPGRADE=False,
                   DATABASE_URL="postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing")
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["database"]["ok"] is False
    assert ready.json["message"] == "Cơ sở dữ liệu của kho lưu trữ không kết nối được."
    assert "secret" not in ready.get_data(as_text=True)
    listing = client.get("/api/v1/documents", headers={"Authorization": "Bearer phk_x"})
    assert listing.status_code == 503 and listing.headers["Retry-After"]
    assert "secret" not in listing.get_data(as_text=True)
    # rendering without the archive still works
    assert client.post("/api/v1/phieu-01/validate", json=example("phieu-01")).status_code == 200


def test_without_libreoffice_pdf_is_a_503_and_word_still_works(work_dir):
    app = make_app(work_dir, SOFFICE="/nonexistent/soffice.bin")
    client = app.test_client()
    response = client.post("/api/v1/phieu-01", json=example("phieu-01"))
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "LibreOffice" in response.json["message"]
    assert client.post("/api/v1/phieu-01?format=docx", json=example("phieu-01")).status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json["status"] == "unavailable"


def test_settings_come_from_the_environment(monkeypatch, work_dir):
    monkeypatch.setenv("PHIEU_PLACE_NAME", "Hà Nội")
    monkeypatch.setenv("PHIEU_CONVERT_TIMEOUT", "45")
    app = make_app(work_dir)
    assert app.config["PLACE_NAME"] == "Hà Nội"
    assert app.extensions["converter"].timeout == 45
