"""The web pages' server side: routes, security headers, CSRF, the spreadsheet import."""

import io
import re

import openpyxl
import pytest

from conftest import ROOT, make_app
from sheets import tong_hop as tong_hop_sheet


@pytest.fixture
def web(work_dir):
    return make_app(work_dir).test_client()


def csrf_token(client, page="/tong-hop"):
    html = client.get(page).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


@pytest.mark.parametrize("path, words", [
    ("/", "Phiếu đánh giá, nhận diện theo Chỉ thị 24-CT/TU"),
    ("/phieu-01", "Thêm dòng vào mục II.2"),
    ("/tong-hop", "tải mẫu bảng .xlsx"),
])
def test_pages_are_vietnamese_and_locked_down(web, path, words):
    response = web.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert words in html and '<html lang="vi">' in html
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in html  # every script is a file of the service
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from the internet


def test_every_control_has_a_label(web):
    html = web.get("/phieu-01").get_data(as_text=True) + web.get("/tong-hop").get_data(as_text=True)
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    assert ids and ids <= labelled, ids - labelled


def test_scripts_never_write_user_text_as_html():
    scripts = list((ROOT / "web" / "static").glob("*.js"))
    assert len(scripts) == 6
    for script in scripts:
        source = script.read_text("utf-8")
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source, script


def test_import_without_the_csrf_token_is_refused(web):
    response = web.post("/tong-hop/nhap-bang", data={"text": "Họ tên\nA"})
    assert response.status_code == 400
    assert "CSRF" in response.json["message"] and "tải lại trang" in response.json["message"]


def test_the_api_needs_no_csrf_token(web):
    response = web.post("/api/v1/tong-hop/validate", json={"unit": {"name": "A"},
                                                           "period": {"month": 1, "year": 2026}})
    assert response.status_code == 200


def post_file(client, data, name="bang.xlsx"):
    return client.post("/tong-hop/nhap-bang", headers={"X-CSRFToken": csrf_token(client)},
                       data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def workbook(*rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_an_xlsx_file(web):
    data = workbook(["TT", "Họ tên", "Tồn tại", "Tốt", "TB", "Kém"],
                    [1, "Lê Văn An", "Không", "X", None, None],
                    [None, None, None, None, None, None],
                    [2, "Đỗ Thị Bích", "Chậm 1 báo cáo", None, "X", None])
    response = post_file(web, data)
    assert response.status_code == 200
    assert response.json["rows"] == [
        {"full_name": "Lê Văn An", "shortcomings": "Không", "rating": "tot"},
        {"full_name": "Đỗ Thị Bích", "shortcomings": "Chậm 1 báo cáo", "rating": "trung_binh"}]


def test_import_pasted_rows(web):
    response = web.post("/tong-hop/nhap-bang", headers={"X-CSRFToken": csrf_token(web)},
                        data={"text": "Họ tên\tKém\nPhan Văn Cường\tx\n"})
    assert response.json["rows"] == [{"full_name": "Phan Văn Cường", "rating": "kem"}]


@pytest.mark.parametrize("data, name, words", [
    (workbook(["Họ tên", "Ghi chu"], ["A", "B"]), "bang.xlsx", "«Ghi chu»"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "anh.xlsx", "không phải"),
    (b"%PDF-1.7\n", "phieu.csv", "không phải"),
    (b"", "rong.csv", "rỗng"),
])
def test_import_errors_are_clear_422s(web, data, name, words):
    response = post_file(web, data, name)
    assert response.status_code == 422
    assert words in response.json["message"]


def test_import_with_nothing_chosen(web):
    response = web.post("/tong-hop/nhap-bang", headers={"X-CSRFToken": csrf_token(web)})
    assert response.status_code == 422
    assert "Chưa chọn tệp" in response.json["message"]


def test_an_upload_over_the_request_limit_is_a_413(work_dir):
    client = make_app(work_dir, MAX_CONTENT_LENGTH=10_000).test_client()
    response = post_file(client, bytes(20_000))
    assert response.status_code == 413
    assert "quá lớn" in response.json["message"]


def test_spreadsheet_template_downloads_with_the_form_columns(web):
    response = web.get("/tong-hop/mau-bang.xlsx")
    assert response.status_code == 200
    assert "M%E1%BA%ABu%20b%E1%BA%A3ng" in response.headers["Content-Disposition"]
    assert tong_hop_sheet.parse("mau.xlsx", response.data) == []
    header = [c.value for c in next(openpyxl.load_workbook(io.BytesIO(response.data)).active.rows)]
    assert header == [title for _key, title in tong_hop_sheet.COLUMNS]


def test_pasted_rows_without_the_header_follow_the_templates_columns(web):
    response = web.post("/tong-hop/nhap-bang", headers={"X-CSRFToken": csrf_token(web)}, data={
        "text": "1\tPhan Văn Cường\tHoàn thành\t\t\t\t\t\t\tx\n2\tLê Thị Hằng\t\t\t\t\t\tX\t\t\n"})
    assert response.status_code == 200
    assert response.json["rows"] == [
        {"full_name": "Phan Văn Cường", "result": "Hoàn thành", "rating": "kem"},
        {"full_name": "Lê Thị Hằng", "rating": "tot"}]
    too_wide = web.post("/tong-hop/nhap-bang", headers={"X-CSRFToken": csrf_token(web)},
                        data={"text": "1\tA\t\t\t\t\t\t\t\t\tthừa\n"})
    assert too_wide.status_code == 422
    assert too_wide.json["message"].startswith("Dòng 1 có nhiều cột hơn mẫu.")


def test_a_file_without_its_header_row_is_still_refused_by_name(web):
    """Only pasted rows may come without the header: a file's first row names its columns."""
    response = post_file(web, workbook([1, "Phan Văn Cường"]))
    assert response.status_code == 422
    assert response.json["message"].startswith("Cột «1» không có trong mẫu")


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_mistyped_address_in_a_browser_is_a_vietnamese_page(web):
    response = web.get("/ho-so-cu", headers=BROWSER)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<h1>Không có trang này</h1>" in html and "«/ho-so-cu»" in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path, headers", [
    ("/api/v1/khong-co", BROWSER),  # the API's addresses answer JSON, whoever asks
    ("/ho-so-cu", {"Accept": "application/json"}),  # so does anything to a client asking JSON
    ("/ho-so-cu", {}),  # and to one that says nothing (curl, scripts)
])
def test_programs_still_get_json_errors(web, path, headers):
    response = web.get(path, headers=headers)
    assert response.status_code == 404
    assert response.json == {"code": 404, "status": "Not Found", "message": "Không có địa chỉ này."}


def test_a_wrong_method_in_a_browser_is_a_page(web):
    response = web.get("/dang-xuat", headers=BROWSER)
    assert response.status_code == 405
    assert "Không làm được việc này ở địa chỉ này" in response.get_data(as_text=True)


def test_a_server_failure_in_a_browser_is_a_vietnamese_page(work_dir):
    app = make_app(work_dir, PROPAGATE_EXCEPTIONS=False)

    @app.route("/hong")
    def broken():
        raise RuntimeError("hỏng")
    client = app.test_client()
    page = client.get("/hong", headers=BROWSER)
    assert page.status_code == 500 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "<h1>Lỗi máy chủ</h1>" in html and "Lỗi máy chủ ngoài dự kiến" in html
    assert "hỏng" not in html
    assert client.get("/hong").json["code"] == 500


def test_a_refused_page_in_a_browser_is_a_vietnamese_page(work_dir):
    app = make_app(work_dir)

    @app.route("/cam")
    def forbidden():
        from flask import abort
        abort(403)
    page = app.test_client().get("/cam", headers=BROWSER)
    assert page.status_code == 403
    assert "<h1>Không có quyền xem trang này</h1>" in page.get_data(as_text=True)
