"""The administrator's audit log page (/nhat-ky) and the "Sửa và phát hành lại" link on a
record's page, server side (Flask test client)."""

import json
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from test_web_archive import (
    PASSWORD,
    VIETNAM,
    assert_locked_down,
    body_for,
    html,
    issue,
    login,
    new_app,
    page_token,
)

from archive.models import AuditEvent, Document
from web.audit_page import ACTIONS

NAME = "Nguyễn Thị Ngọc Ánh"


@pytest.fixture(scope="module")
def log(app, tmp_path_factory):
    """An archive whose audit log holds: anh's login and his issue of Ngọc Ánh's Phiếu 01 (from
    the page's post to the API), binh's login and his refused download of that record, a failed
    login for "anh", anh's download of a Word file gone from the store (failed), and the
    administrator's login, last. Ngọc Ánh's Phiếu 01 has a second version, and the unit a tổng
    hợp, issued without going through the API."""
    web = new_app(app, tmp_path_factory.mktemp("web-archive-admin"))
    anh = login(web, "anh")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"',
                      html(anh.get("/phieu-01"))).group(1)
    response = anh.post("/api/v1/documents/phieu-01", json=body_for("noi-vu", NAME),
                        headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.json
    first = response.json
    second = issue(web, "anh", body_for("noi-vu", NAME, monthly_rating="hoan_thanh"))
    tong_hop = issue(web, "anh", body_for("noi-vu"))

    assert login(web, "binh").get(f"/api/v1/documents/{first['id']}/pdf").status_code == 404
    stranger = web.test_client()
    response = stranger.post("/dang-nhap", data={
        "username": "anh", "password": "sai-mat-khau", "csrf_token": page_token(stranger)})
    assert response.status_code == 401
    with web.extensions["database"].sessions() as db:
        docx = db.get(Document, second).docx_sha256
    web.extensions["store"].path(docx).unlink()
    assert anh.get(f"/api/v1/documents/{second}/docx").status_code == 500
    admin = login(web, "quantri")
    return SimpleNamespace(app=web, admin=admin, first=first, second=second, tong_hop=tong_hop)


def rows(page):
    """The log's table: one dict per row, column label → the cell's text."""
    found = []
    for row in re.findall(r'<tr class="outcome-\w+">(.*?)</tr>', page, re.S):
        cells = re.findall(r'<td data-label="([^"]+)"[^>]*>(.*?)</td>', row, re.S)
        found.append({label: re.sub(r"<[^>]+>", "", text).strip() for label, text in cells})
    return found


def events(app, **filters):
    with app.extensions["database"].sessions() as db:
        return db.scalars(select(AuditEvent).filter_by(**filters)
                          .order_by(AuditEvent.id.desc())).all()


# ---------------------------------------------------------------------- the log

def test_the_administrator_reads_the_log_newest_first_in_vietnamese(log):
    response = log.admin.get("/nhat-ky")
    assert response.status_code == 200
    page = html(response)
    for header in ("Thời điểm", "Tài khoản", "Việc", "Kết quả", "Hồ sơ", "Địa chỉ", "IP",
                   "Chi tiết"):
        assert f'<th scope="col">{header}</th>' in page
    listed = rows(page)
    stored = events(log.app)
    assert len(listed) == len(stored) and f"{len(stored)} sự kiện" in page
    assert (listed[0]["Việc"], listed[0]["Tài khoản"]) == ("Đăng nhập", "quantri")
    assert [(row["Việc"], row["Tài khoản"]) for row in listed] == [
        (ACTIONS.get(event.action, event.action), event.username or "—") for event in stored]
    assert [row["Thời điểm"] for row in listed] == [
        event.at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S") for event in stored]

    def the(action, outcome):
        [row] = [row for row, event in zip(listed, stored)
                 if (event.action, event.outcome) == (action, outcome)]
        return row

    first = log.first
    assert the("issue", "ok") == {
        "Thời điểm": the("issue", "ok")["Thời điểm"], "Tài khoản": "anh", "Việc": "Phát hành",
        "Kết quả": "thành công", "Hồ sơ": str(first["id"]),
        "Địa chỉ": "POST /api/v1/documents/phieu-01", "IP": "127.0.0.1",
        "Chi tiết": f"{first['code']}, bản 1"}
    refused = the("download.pdf", "refused")
    assert (refused["Tài khoản"], refused["Việc"], refused["Kết quả"], refused["Hồ sơ"],
            refused["Chi tiết"]) == ("binh", "Tải PDF", "bị từ chối", str(first["id"]),
                                     "phiếu của đơn vị khác")
    assert refused["Địa chỉ"] == f"GET /api/v1/documents/{first['id']}/pdf"
    failed_login = the("login", "refused")
    assert (failed_login["Tài khoản"], failed_login["Việc"], failed_login["Kết quả"],
            failed_login["Chi tiết"]) == ("anh", "Đăng nhập", "bị từ chối",
                                          "sai tên đăng nhập hoặc mật khẩu")
    failed = the("download.docx", "failed")
    assert (failed["Việc"], failed["Kết quả"], failed["Hồ sơ"]) == (
        "Tải Word", "lỗi", str(log.second))
    assert "bị thiếu" in failed["Chi tiết"]
    # Each outcome has its own tone; a record's number is text: the administrator reads none.
    assert '<span class="outcome outcome-refused">bị từ chối</span>' in page
    assert '<span class="outcome outcome-failed">lỗi</span>' in page
    assert '<span class="outcome outcome-ok">thành công</span>' in page
    assert 'href="/ho-so/' not in page


def test_filters_narrow_the_log_as_the_api_does(log):
    client = log.admin
    page = html(client.get("/nhat-ky?action=login"))
    assert {row["Việc"] for row in rows(page)} == {"Đăng nhập"}
    assert len(rows(page)) == len(events(log.app, action="login")) >= 4
    assert '<option value="login" selected>Đăng nhập (login)</option>' in page
    assert '<option value="download.docx">Tải Word (download.docx)</option>' in page

    page = html(client.get("/nhat-ky?outcome=refused"))
    assert {row["Kết quả"] for row in rows(page)} == {"bị từ chối"}
    assert {row["Việc"] for row in rows(page)} == {"Đăng nhập", "Tải PDF"}
    assert '<option value="refused" selected>bị từ chối</option>' in page

    page = html(client.get("/nhat-ky?username=binh"))
    assert {row["Tài khoản"] for row in rows(page)} == {"binh"} and len(rows(page)) == 2
    assert 'value="binh"' in page
    assert len(rows(html(client.get("/nhat-ky?username=+BINH+")))) == 2

    page = html(client.get("/nhat-ky?action=download.pdf&outcome=refused&username=binh"))
    assert [row["Việc"] for row in rows(page)] == ["Tải PDF"]
    assert "Bỏ lọc" in page

    # The same filters, the same events as GET /api/v1/audit (on the same login cookie).
    for query in ("action=login", "outcome=refused", "username=anh", "outcome=failed",
                  "action=issue&outcome=ok"):
        api = client.get(f"/api/v1/audit?{query}")
        assert api.status_code == 200
        total = json.loads(api.headers["X-Pagination"])["total"]
        assert len(rows(html(client.get(f"/nhat-ky?{query}")))) == total, query

    page = html(client.get("/nhat-ky?action=khong-co"))
    assert rows(page) == [] and "Không có sự kiện nào khớp bộ lọc." in page


def test_a_wrong_outcome_is_explained_not_a_crash(log):
    response = log.admin.get("/nhat-ky?outcome=hong&username=binh")
    assert response.status_code == 200
    page = html(response)
    assert "Kết quả: chỉ chọn «thành công», «bị từ chối», «lỗi»" in page
    assert {row["Tài khoản"] for row in rows(page)} == {"binh"}  # the other filter still applies


def test_the_log_pages_by_fifty_keeping_the_filters(app, tmp_path):
    web = new_app(app, tmp_path)
    with web.extensions["database"].sessions() as db:
        for number in range(120):
            db.add(AuditEvent(action="read", outcome="ok", username="anh", document_id=number,
                              detail=f"sự kiện {number:03d}"))
        db.commit()
    client = login(web, "quantri")  # the 121st event
    first = html(client.get("/nhat-ky"))
    assert len(rows(first)) == 50 and "121 sự kiện · trang 1/3" in first
    assert [row["Chi tiết"] for row in rows(first)[:3]] == ["—", "sự kiện 119", "sự kiện 118"]
    assert rows(first)[1]["Việc"] == "Xem hồ sơ" and rows(first)[1]["Hồ sơ"] == "119"
    assert 'href="/nhat-ky?page=2" rel="next">Trang sau →</a>' in first
    assert 'rel="prev"' not in first
    third = html(client.get("/nhat-ky?page=3"))
    assert len(rows(third)) == 21 and 'href="/nhat-ky?page=2" rel="prev"' in third
    assert rows(third)[-1]["Chi tiết"] == "sự kiện 000"
    filtered = html(client.get("/nhat-ky?username=anh"))
    assert "120 sự kiện · trang 1/3" in filtered
    assert 'href="/nhat-ky?username=anh&amp;page=2" rel="next"' in filtered
    assert len(rows(html(client.get("/nhat-ky?username=anh&page=99")))) == 20  # the last page


# ---------------------------------------------------------------------- who reads it

@pytest.mark.parametrize("username, role", [("anh", "unit"), ("vanphong", "secretariat")])
def test_only_the_administrator_reads_the_log(log, username, role):
    response = login(log.app, username).get("/nhat-ky")
    assert response.status_code == 403
    page = html(response)
    assert "Không có quyền xem trang này" in page and "nhật ký kiểm tra" in page
    assert "Trang này dành cho quản trị viên." in page and '<html lang="vi">' in page
    assert "<table" not in page
    event = events(log.app)[0]
    assert (event.action, event.outcome, event.username, event.detail) == (
        "access", "refused", username, f"web.audit_log: vai trò {role}")


def test_anonymous_is_sent_to_the_login_page_and_back(log):
    client = log.app.test_client()
    response = client.get("/nhat-ky?outcome=refused")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/dang-nhap"
    assert parse_qs(location.query)["next"] == ["/nhat-ky?outcome=refused"]
    response = client.post("/dang-nhap", data={
        "username": "quantri", "password": PASSWORD, "next": "/nhat-ky?outcome=refused",
        "csrf_token": page_token(client, response.headers["Location"])})
    assert response.headers["Location"] == "/nhat-ky?outcome=refused"
    assert client.get("/nhat-ky?outcome=refused").status_code == 200


def test_the_header_links_the_log_for_the_administrator_only(log):
    page = html(log.admin.get("/"))
    assert 'href="/nhat-ky">Nhật ký</a>' in page and "Hồ sơ đã lưu" not in page
    for client in (login(log.app, "anh"), login(log.app, "vanphong"), log.app.test_client()):
        assert 'href="/nhat-ky"' not in html(client.get("/"))


def test_the_log_page_is_locked_down(log):
    assert assert_locked_down(log.admin.get("/nhat-ky?outcome=refused"))


# ---------------------------------------------------------------------- correcting a record

LINK = "Sửa và phát hành lại"


def test_the_correction_link_is_for_a_unit_on_the_latest_version(log):
    unit = login(log.app, "anh")
    page = html(unit.get(f"/ho-so/{log.second}"))
    assert f'href="/phieu-01?sua={log.second}">{LINK}</a>' in page
    assert "phát hành sẽ tạo bản 3, bản 2 vẫn được giữ" in page
    page = html(unit.get(f"/ho-so/{log.first['id']}"))  # version 1, corrected since
    assert "Đây là bản 1, đã có bản sửa sau." in page and LINK not in page
    assert f'href="/tong-hop?sua={log.tong_hop}">{LINK}</a>' in html(
        unit.get(f"/ho-so/{log.tong_hop}"))
    secretariat = login(log.app, "vanphong")
    for document_id in (log.second, log.tong_hop):
        page = html(secretariat.get(f"/ho-so/{document_id}"))
        assert "Mã lưu trữ" in page and LINK not in page


def test_the_form_page_reads_the_archived_record_on_the_login_cookie(log):
    """What the form page fetches with ?sua=: the record (code, version) and its JSON."""
    unit = login(log.app, "anh")
    record = unit.get(f"/api/v1/documents/{log.second}")
    assert record.status_code == 200 and record.json["version"] == 2 and record.json["latest"]
    data = unit.get(f"/api/v1/documents/{log.second}/json")
    assert data.status_code == 200
    assert data.json["person"]["full_name"] == NAME
    assert data.json["monthly_rating"] == "hoan_thanh"
    assert login(log.app, "binh").get(f"/api/v1/documents/{log.second}/json").status_code == 404
    assert log.app.test_client().get(f"/api/v1/documents/{log.second}/json").status_code == 401
    assert unit.get(f"/phieu-01?sua={log.second}").status_code == 200
