"""The archive's web pages, server side (Flask test client): the login redirect, the list of
saved forms and its filters, a record's page, the secretariat's scan upload, verifying a file,
the header's account block and the issue button on the form pages."""

import io
import re
import secrets
from datetime import timedelta, timezone
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import segno
from sqlalchemy import select

from app import create_app
from archive import accounts, service
from archive.models import AuditEvent, Document, SignedScan, User
from conftest import example
from schemas import SCHEMAS

PASSWORD = "mat-khau-du-dai-de-thu"
PARENT = "Ủy ban nhân dân quận Nam Từ Liêm"
UNITS = {"noi-vu": "Phòng Nội vụ", "tai-chinh": "Phòng Tài chính - Kế hoạch"}
USERS = {  # username: (role, unit code, display name)
    "anh": ("unit", "noi-vu", "Nguyễn Văn Anh"),
    "binh": ("unit", "tai-chinh", "Trần Văn Bình"),
    "vanphong": ("secretariat", None, "Lê Thị Hoa"),
    "quantri": ("admin", None, "Phạm Quốc Trị"),
}
VIETNAM = timezone(timedelta(hours=7))


def new_app(shared, tmp):
    """An app with its own archive (SQLite), sharing the session's warm LibreOffice engine, with
    both units and an account of each role. Logging in is not what these tests are about: the
    login limit is raised so that many logins from 127.0.0.1 pass."""
    app = create_app({"TESTING": True, "WORK_DIR": str(tmp / "work"),
                      "DATABASE_URL": f"sqlite:///{tmp}/a.sqlite3", "DATA_DIR": str(tmp / "files"),
                      "LOGIN_RATE_LIMIT": "1000 per minute"},
                     converter=shared.extensions["converter"])
    with app.extensions["database"].sessions() as db:
        for code, name in UNITS.items():
            accounts.create_unit(db, code, name, parent=PARENT)
        db.flush()
        for username, (role, unit, display_name) in USERS.items():
            accounts.create_user(db, username, role, unit_code=unit, display_name=display_name,
                                 password=PASSWORD)
        db.commit()
    return app


def body_for(unit, name=None, month=11, **changes):
    """Phiếu 01 (or, without a name, the tổng hợp) of `unit` for `month` of 2026."""
    body = example("phieu-01" if name else "tong-hop")
    body["unit"] = {"name": UNITS[unit], "parent": PARENT}
    body["period"] = {"month": month, "year": 2026}
    if name:
        body["person"]["full_name"] = name
    body.update(changes)
    return body


def issue(app, username, body):
    """The id of `body` issued as a new version (a correction of the latest one, if any)."""
    slug = "phieu-01" if "person" in body else "tong-hop"
    data = SCHEMAS[slug]().load(body)
    with app.app_context(), app.extensions["database"].sessions() as db:
        user = db.scalar(select(User).where(User.username == username))
        previous, _same = service.standing(db, user, slug, data)
        issued = service.store_version(db, app.extensions["store"],
                                       app.extensions["converter"], app.config, user, slug, data,
                                       replaces=previous.version if previous else None)
        return issued.document.id


@pytest.fixture(scope="module")
def site(app, tmp_path_factory):
    """One archive for the module's read-only tests: unit noi-vu has Ngọc Ánh's Phiếu 01 of
    November in two versions, Minh Đức's of October and its tổng hợp of November; unit tai-chinh
    has Trần Thị Mai's Phiếu 01 of November."""
    web = new_app(app, tmp_path_factory.mktemp("web-archive"))
    docs = {
        "anh_v1": issue(web, "anh", body_for("noi-vu", "Nguyễn Thị Ngọc Ánh")),
        "anh_v2": issue(web, "anh", body_for("noi-vu", "Nguyễn Thị Ngọc Ánh",
                                              monthly_rating="hoan_thanh")),
        "duc": issue(web, "anh", body_for("noi-vu", "Lê Minh Đức", month=10)),
        "tong_hop": issue(web, "anh", body_for("noi-vu")),
        "mai": issue(web, "binh", body_for("tai-chinh", "Trần Thị Mai")),
    }
    return SimpleNamespace(app=web, docs=docs)


def page_token(client, path="/dang-nhap"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(app, username):
    client = app.test_client()
    response = client.post("/dang-nhap", data={
        "username": username, "password": PASSWORD, "csrf_token": page_token(client)})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def html(response):
    return response.get_data(as_text=True)


def row_names(page):
    """The Họ tên column of /ho-so, in order."""
    return re.findall(r'<td data-label="Họ tên">([^<]*)</td>', page)


def audit_events(app, action):
    with app.extensions["database"].sessions() as db:
        return db.scalars(select(AuditEvent).where(AuditEvent.action == action)
                          .order_by(AuditEvent.id)).all()


def png():
    buffer = io.BytesIO()
    segno.make("x").save(buffer, kind="png")
    return buffer.getvalue()


def stored_pdf(site, key):
    with site.app.extensions["database"].sessions() as db:
        digest = db.get(Document, site.docs[key]).pdf_sha256
    return site.app.extensions["store"].get(digest)


# ---------------------------------------------------------------------- login and the header

@pytest.mark.parametrize("path", ["/ho-so?year=2026&person=ngoc", "/ho-so/1", "/xac-minh"])
def test_anonymous_is_sent_to_the_login_page_and_back(site, path):
    client = site.app.test_client()
    response = client.get(path)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/dang-nhap"
    assert parse_qs(location.query)["next"] == [path]
    response = client.post("/dang-nhap", data={
        "username": "anh", "password": PASSWORD, "next": path,
        "csrf_token": page_token(client, response.headers["Location"])})
    assert response.status_code == 303 and response.headers["Location"] == path


def test_the_header_names_the_account_and_logs_out(site):
    anonymous = html(site.app.test_client().get("/phieu-01"))
    assert 'href="/dang-nhap?next=/phieu-01">Đăng nhập</a>' in anonymous
    assert "Hồ sơ đã lưu" not in anonymous and "Đăng xuất" not in anonymous

    client = login(site.app, "anh")
    page = html(client.get("/"))
    assert "Nguyễn Văn Anh" in page and "Tài khoản đơn vị" in page
    assert 'href="/ho-so">Hồ sơ đã lưu</a>' in page
    logout = re.search(r'<form method="post" action="/dang-xuat"[^>]*>\s*<input type="hidden" '
                       r'name="csrf_token" value="([^"]+)">\s*<button type="submit">Đăng xuất',
                       page)
    assert logout
    response = client.post("/dang-xuat", data={"csrf_token": logout.group(1)})
    assert response.status_code == 303
    assert "Đăng xuất" not in html(client.get("/"))
    assert client.get("/ho-so").status_code == 302


def test_roles_are_labelled_and_the_admin_has_no_records_link(site):
    assert "Văn phòng (bộ phận tổng hợp)" in html(login(site.app, "vanphong").get("/"))
    page = html(login(site.app, "quantri").get("/"))
    assert "Quản trị viên" in page and "Phạm Quốc Trị" in page
    assert "Hồ sơ đã lưu" not in page


@pytest.mark.parametrize("path", ["/ho-so", "/ho-so/1", "/xac-minh"])
def test_the_administrator_gets_a_vietnamese_403(site, path):
    response = login(site.app, "quantri").get(path)
    assert response.status_code == 403
    page = html(response)
    assert "Không có quyền xem trang này" in page and "quản trị viên" in page
    assert '<html lang="vi">' in page
    with site.app.extensions["database"].sessions() as db:
        event = db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.outcome, event.username) == ("access", "refused", "quantri")
    assert event.detail.endswith(": vai trò admin")


def test_login_page_and_archive_pages_are_locked_down(site):
    client = login(site.app, "vanphong")
    for path in ["/dang-nhap", "/ho-so", f"/ho-so/{site.docs['anh_v2']}", "/xac-minh"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_locked_down(response)


def assert_locked_down(response):
    """Only this site's own scripts and styles, none inline, nothing from elsewhere; every field
    has its label."""
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page = html(response)
    assert "<script>" not in page and "style=" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    assert ids <= labelled, (response.request.path, ids - labelled)
    return ids


# ---------------------------------------------------------------------- the list

def test_a_unit_sees_its_own_unit_only(site):
    page = html(login(site.app, "anh").get("/ho-so"))
    assert row_names(page) == ["—", "Nguyễn Thị Ngọc Ánh", "Lê Minh Đức"]  # tổng hợp first
    assert "Trần Thị Mai" not in page
    assert 'name="unit"' not in page and 'data-label="Đơn vị"' not in page  # one unit only

    page = html(login(site.app, "binh").get("/ho-so"))
    assert row_names(page) == ["Trần Thị Mai"]
    assert "Ngọc Ánh" not in page and "Minh Đức" not in page
    # A unit's account cannot widen its view with the unit filter.
    assert row_names(html(login(site.app, "binh").get("/ho-so?unit=noi-vu"))) == ["Trần Thị Mai"]


def test_the_secretariat_sees_every_unit_and_filters_by_unit(site):
    client = login(site.app, "vanphong")
    page = html(client.get("/ho-so"))
    assert sorted(row_names(page)) == sorted(["Nguyễn Thị Ngọc Ánh", "—", "Lê Minh Đức",
                                              "Trần Thị Mai"])
    assert '<select id="q-unit" name="unit">' in page
    assert '<option value="tai-chinh">Phòng Tài chính - Kế hoạch</option>' in page
    assert '<td data-label="Đơn vị">Phòng Nội vụ</td>' in page

    page = html(client.get("/ho-so?unit=tai-chinh"))
    assert row_names(page) == ["Trần Thị Mai"]
    assert '<option value="tai-chinh" selected>' in page


@pytest.mark.parametrize("search", ["ngoc anh", "NGỌC ÁNH", "Nguyen Thi Ngoc"])
def test_a_name_search_ignores_accents_and_case(site, search):
    page = html(login(site.app, "anh").get("/ho-so", query_string={"person": search}))
    assert row_names(page) == ["Nguyễn Thị Ngọc Ánh"]
    assert f'value="{search}"' in page  # the box keeps what was typed


def test_filters_by_month_year_and_form(site):
    client = login(site.app, "anh")
    assert row_names(html(client.get("/ho-so?month=10&year=2026"))) == ["Lê Minh Đức"]
    assert row_names(html(client.get("/ho-so?form=tong-hop"))) == ["—"]
    assert row_names(html(client.get("/ho-so?year=2025"))) == []
    assert "Không có phiếu nào khớp bộ lọc." in html(client.get("/ho-so?year=2025"))


def test_newest_month_first_and_columns(site):
    page = html(login(site.app, "anh").get("/ho-so"))
    months = re.findall(r'<td data-label="Tháng">([^<]*)</td>', page)
    assert months == ["11/2026", "11/2026", "10/2026"]
    for header in ("Tháng", "Loại phiếu", "Họ tên", "Bản", "Mã lưu trữ", "Ngày phát hành",
                   "Tải về"):
        assert f'<th scope="col">{header}</th>' in page
    with site.app.extensions["database"].sessions() as db:
        latest = db.get(Document, site.docs["anh_v2"])
    row = page[page.index(latest.code) - 600:page.index(latest.code) + 1200]
    local = latest.issued_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    assert f'<td data-label="Ngày phát hành">{local}</td>' in row
    assert '<td data-label="Bản">2</td>' in row
    for part in ("pdf", "docx"):  # the JSON only under «Nâng cao» on the record's page
        assert f'href="/api/v1/documents/{latest.id}/{part}"' in row
    assert f'href="/ho-so/{latest.id}"' in row


def test_only_the_latest_version_unless_asked(site):
    client = login(site.app, "anh")
    page = html(client.get("/ho-so?person=ngoc+anh"))
    assert re.findall(r'<td data-label="Bản">(\d)', page) == ["2"]
    page = html(client.get("/ho-so?person=ngoc+anh&all_versions=true"))
    assert re.findall(r'<td data-label="Bản">(\d)', page) == ["2", "1"]
    assert "đã có bản sửa" in page
    assert 'name="all_versions" value="true" checked' in page


def test_a_wrong_filter_value_is_explained_not_a_crash(site):
    response = login(site.app, "anh").get("/ho-so?year=hai-nghin&month=13")
    assert response.status_code == 200
    page = html(response)
    assert "Năm: phải là số nguyên" in page and "Tháng: phải từ 1 đến 12" in page
    assert len(row_names(page)) == 3  # the other filters still apply; here none


def test_the_download_links_work_with_the_login_cookie(site):
    client = login(site.app, "anh")
    page = html(client.get("/ho-so?form=tong-hop"))
    link = re.search(r'href="(/api/v1/documents/\d+/pdf)"', page).group(1)
    response = client.get(link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_the_list_pages_by_twenty(app, tmp_path):
    web = new_app(app, tmp_path)
    with web.extensions["database"].sessions() as db:
        user = db.scalar(select(User).where(User.username == "anh"))
        for number in range(45):  # rows only: the list reads no files
            db.add(Document(
                code=service.new_code(), unit_id=user.unit_id, form="phieu-01", year=2026,
                month=1 + number % 12, person_name=f"Cán bộ số {number:02d}",
                person_key=f"can bo so {number:02d}", person_search=f"can_bo_so_{number:02d}",
                version=1, title="Phiếu", issued_by_id=user.id, json_sha256="0" * 64,
                docx_sha256="0" * 64, pdf_sha256=secrets.token_hex(32)))
        db.commit()
    client = login(web, "anh")
    first = html(client.get("/ho-so"))
    assert len(row_names(first)) == 20 and "45 phiếu · trang 1/3" in first
    assert 'href="/ho-so?page=2" rel="next">Trang sau →</a>' in first
    assert 'rel="prev"' not in first
    third = html(client.get("/ho-so?page=3"))
    assert len(row_names(third)) == 5 and 'href="/ho-so?page=2" rel="prev"' in third
    months = [int(m.split("/")[0]) for m in
              re.findall(r'<td data-label="Tháng">([^<]*)</td>', first + html(
                  client.get("/ho-so?page=2")) + third)]
    assert months == sorted(months, reverse=True)
    filtered = html(client.get("/ho-so?month=12&page=1"))
    assert row_names(filtered) == ["Cán bộ số 11", "Cán bộ số 23", "Cán bộ số 35"]
    # The pages keep the filters.
    assert 'href="/ho-so?month=1&amp;page=2"' not in html(client.get("/ho-so?month=1"))
    assert "?year=2026&amp;page=2" in html(client.get("/ho-so?year=2026"))
    assert len(row_names(html(client.get("/ho-so?page=99")))) == 5  # past the end: the last


# ---------------------------------------------------------------------- a record

def test_a_record_shows_everything_the_api_says(site):
    client = login(site.app, "anh")
    record = client.get(f"/api/v1/documents/{site.docs['anh_v2']}").json
    page = html(client.get(f"/ho-so/{site.docs['anh_v2']}"))
    for value in (record["code"], record["title"], "Phòng Nội vụ", "noi-vu", "11/2026",
                  "Nguyễn Thị Ngọc Ánh", "Phiếu số 01", record["issued_by"],
                  *record["sha256"].values(), record["versions"][0]["code"]):
        assert value in page, value
    assert "Bản</dt><dd>2 (mới nhất)" in page
    for version in record["versions"]:
        for part in ("pdf", "docx"):
            assert f'href="{version["links"][part]}"' in page
    assert f'href="{record["links"]["json"]}"' in page  # this version's, under «Nâng cao»
    assert page.count("đang xem") == 1 and page.count(">mới nhất<") == 1
    assert "Chưa có bản quét nào" in page
    assert 'enctype="multipart/form-data"' not in page  # only the secretariat uploads
    assert "đã có bản sửa sau" not in page


def test_an_old_version_says_so_and_links_the_latest(site):
    client = login(site.app, "anh")
    page = html(client.get(f"/ho-so/{site.docs['anh_v1']}"))
    assert "Đây là bản 1, đã có bản sửa sau." in page
    assert f'href="/ho-so/{site.docs["anh_v2"]}">bản 2' in page


def test_another_units_record_or_a_missing_one_is_a_vietnamese_404(site):
    client = login(site.app, "binh")
    before = len(audit_events(site.app, "read"))
    for document_id in (site.docs["anh_v2"], 999999):
        response = client.get(f"/ho-so/{document_id}")
        assert response.status_code == 404
        page = html(response)
        assert "Không tìm thấy phiếu này trong kho lưu trữ." in page
        assert "Nguyễn Thị Ngọc Ánh" not in page
    refusals = audit_events(site.app, "read")[before:]
    assert [(e.outcome, e.document_id, e.detail, e.username) for e in refusals] == [
        ("refused", site.docs["anh_v2"], "phiếu của đơn vị khác", "binh"),
        ("refused", 999999, "không có phiếu này", "binh")]
    assert login(site.app, "vanphong").get(f"/ho-so/{site.docs['anh_v2']}").status_code == 200


# ---------------------------------------------------------------------- signed scans

def upload(client, document_id, content, name, token=None):
    token = token or page_token(client, f"/ho-so/{document_id}")
    return client.post(f"/ho-so/{document_id}", data={
        "csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")


def test_the_secretariat_uploads_a_signed_scan(site):
    client = login(site.app, "vanphong")
    document_id = site.docs["duc"]
    page = html(client.get(f"/ho-so/{document_id}"))
    assert 'enctype="multipart/form-data"' in page and "Tải lên bản quét" in page
    scan = png()
    response = upload(client, document_id, scan, "Bản quét Đức.png")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/ho-so/{document_id}#ban-quet"
    page = html(client.get(f"/ho-so/{document_id}"))
    assert "Đã lưu bản quét «Bản quét Đức.png»" in page
    assert "image/png" in page and service.sha256(scan) in page and "Lê Thị Hoa" in page
    link = re.search(r'href="(/api/v1/documents/\d+/signed-scans/\d+)">Bản quét Đức.png</a>',
                     page).group(1)
    assert client.get(link).data == scan
    assert "Đã lưu bản quét" not in html(client.get(f"/ho-so/{document_id}"))  # flashed once
    # The unit sees the scan too, without the upload form.
    page = html(login(site.app, "anh").get(f"/ho-so/{document_id}"))
    assert "Bản quét Đức.png" in page and 'enctype="multipart/form-data"' not in page
    event = audit_events(site.app, "scan.upload")[-1]
    assert (event.outcome, event.document_id, event.username) == ("ok", document_id, "vanphong")


def test_a_text_file_named_pdf_is_refused_in_vietnamese(site):
    client = login(site.app, "vanphong")
    document_id = site.docs["tong_hop"]
    response = upload(client, document_id, "Đây không phải bản quét".encode(), "ban-quet.pdf")
    assert response.status_code == 303
    page = html(client.get(response.headers["Location"]))
    assert "Tệp bản quét phải là PDF, JPEG, PNG hoặc TIFF (xét theo nội dung tệp, không theo " \
           "tên)." in page
    assert "Chưa có bản quét nào" in page
    with site.app.extensions["database"].sessions() as db:
        assert not db.scalars(select(SignedScan).where(
            SignedScan.document_id == document_id)).all()
    event = audit_events(site.app, "scan.upload")[-1]
    assert (event.outcome, event.document_id) == ("refused", document_id)

    response = client.post(f"/ho-so/{document_id}", data={
        "csrf_token": page_token(client, f"/ho-so/{document_id}")})
    assert "Chưa chọn tệp bản quét" in html(client.get(response.headers["Location"]))


def test_only_the_secretariat_uploads_and_never_without_the_token(site):
    unit = login(site.app, "anh")
    response = upload(unit, site.docs["duc"], png(), "x.png")
    assert response.status_code == 403 and "Không có quyền" in html(response)
    secretariat = login(site.app, "vanphong")
    response = secretariat.post(f"/ho-so/{site.docs['duc']}",
                                data={"file": (io.BytesIO(png()), "x.png")},
                                headers={"Accept": "text/html,application/xhtml+xml"},
                                content_type="multipart/form-data")
    assert response.status_code == 400 and "tải lại trang" in html(response)
    response = upload(secretariat, 999999, png(), "x.png", token=page_token(secretariat, "/"))
    assert response.status_code == 404


def test_a_scan_larger_than_a_form_but_within_the_scan_limit(app, tmp_path):
    web = new_app(app, tmp_path)
    web.config.update(MAX_CONTENT_LENGTH=100_000, SCAN_MAX_BYTES=300_000)
    document_id = issue(web, "anh", body_for("noi-vu", "Đỗ Văn Hùng"))
    client = login(web, "vanphong")
    big = png() + bytes(200_000)  # judged by its first bytes: a PNG
    response = upload(client, document_id, big, "lon.png")
    assert response.status_code == 303
    assert "Đã lưu bản quét «lon.png»" in html(client.get(response.headers["Location"]))
    response = upload(client, document_id, png() + bytes(400_000), "qua-lon.png")
    assert response.status_code == 303
    page = html(client.get(response.headers["Location"]))
    assert "Tệp quá lớn: tối đa 293 KB." in page and "qua-lon.png" not in page
    response = verify(client, bytes(400_000))
    assert response.status_code == 303 and response.headers["Location"] == "/xac-minh"
    assert "Tệp quá lớn" in html(client.get("/xac-minh"))


# ---------------------------------------------------------------------- verifying a file

def verify(client, content, name="phieu.pdf"):
    return client.post("/xac-minh", data={
        "csrf_token": page_token(client, "/xac-minh"), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")


def test_verify_an_original_an_altered_copy_and_a_stranger(site):
    client = login(site.app, "anh")
    page = html(client.get("/xac-minh"))
    assert 'type="file"' in page and "Xác minh" in page
    original = stored_pdf(site, "anh_v2")
    with site.app.extensions["database"].sessions() as db:
        code = db.get(Document, site.docs["anh_v2"]).code

    page = html(verify(client, original))
    assert "Đúng là bản gốc" in page
    assert f'href="/ho-so/{site.docs["anh_v2"]}"' in page and code in page

    page = html(verify(client, original + b"\n% edited\n"))
    assert "Tệp đã bị sửa đổi" in page and f'href="/ho-so/{site.docs["anh_v2"]}"' in page

    page = html(verify(client, b"%PDF-1.4 not ours"))
    assert "Không tìm thấy" in page and "/ho-so/" + str(site.docs["anh_v2"]) not in page

    # Another unit's original is not found for this account: the check keeps to what it may see.
    assert "Không tìm thấy" in html(verify(client, stored_pdf(site, "mai")))
    assert "Đúng là bản gốc" in html(verify(login(site.app, "vanphong"), stored_pdf(site, "mai")))

    response = client.post("/xac-minh", data={"csrf_token": page_token(client, "/xac-minh")})
    assert response.status_code == 422 and "Chưa chọn tệp" in html(response)
    assert audit_events(site.app, "verify")[-1].detail == "bản gốc"


def test_verify_a_signed_scan(app, tmp_path):
    web = new_app(app, tmp_path)
    document_id = issue(web, "anh", body_for("noi-vu"))
    secretariat = login(web, "vanphong")
    scan = png()
    assert upload(secretariat, document_id, scan, "da-ky.png").status_code == 303
    page = html(verify(login(web, "anh"), scan, "da-ky.png"))
    assert "Đúng là bản quét đã ký" in page and f'href="/ho-so/{document_id}"' in page


# ---------------------------------------------------------------------- the form pages

@pytest.mark.parametrize("path, slug", [("/phieu-01", "phieu-01"), ("/tong-hop", "tong-hop")])
def test_the_issue_button_is_for_unit_accounts_only(site, path, slug):
    button = 'data-action="issue"'
    assert button not in html(site.app.test_client().get(path))
    assert button not in html(login(site.app, "vanphong").get(path))
    assert button not in html(login(site.app, "quantri").get(path))
    page = html(login(site.app, "binh").get(path))
    assert f'{button} class="issue">Phát hành và lưu hồ sơ</button>' in page
    assert f'data-issue="/api/v1/documents/{slug}"' in page
    assert 'data-unit-name="Phòng Tài chính - Kế hoạch"' in page
    assert f'data-unit-parent="{PARENT}"' in page and 'data-records="/ho-so"' in page


def test_the_page_issues_through_the_api_with_its_csrf_token(app, tmp_path):
    """What the button does: the form's JSON to the API on the login cookie, with the page's
    token in X-CSRFToken; without the token the post is refused."""
    web = new_app(app, tmp_path)
    client = login(web, "anh")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"',
                      html(client.get("/phieu-01"))).group(1)
    body = body_for("noi-vu", "Vũ Thị Lan")
    assert client.post("/api/v1/documents/phieu-01", json=body).status_code == 400
    response = client.post("/api/v1/documents/phieu-01", json=body,
                           headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", response.json["code"])
    # The preview and downloads ride on the same cookie once logged in.
    assert client.post("/api/v1/phieu-01/validate", json=body,
                       headers={"X-CSRFToken": token}).status_code == 200
    wrong = body_for("tai-chinh", "Vũ Thị Lan")
    response = client.post("/api/v1/documents/phieu-01", json=wrong,
                           headers={"X-CSRFToken": token})
    assert response.status_code == 422 and "unit.name" in response.json["errors"]["json"]


def test_the_form_pages_say_when_rendering_needs_a_login(site, work_dir):
    """Rendering without an account is off by default: the pages say so up front."""
    notice = "để xem\n  trước, tải phiếu hoặc phát hành"
    for path in ("/phieu-01", "/tong-hop"):
        page = html(site.app.test_client().get(path))
        assert notice in page and f'href="/dang-nhap?next={path}">đăng nhập</a>' in page
        assert notice not in html(login(site.app, "vanphong").get(path))
    open_app = create_app({"TESTING": True, "WORK_DIR": str(work_dir),
                           "CONVERT_WARM_START": False, "ALLOW_ANONYMOUS_RENDER": True,
                           "DATABASE_URL": f"sqlite:///{work_dir}/open.sqlite3",
                           "DATA_DIR": str(work_dir / "open-files")})
    assert notice not in html(open_app.test_client().get("/phieu-01"))


def test_a_refused_page_names_the_account_s_role_once(site):
    """The 403 page says whose account it is in plain words: «Tài khoản đơn vị …», never
    «Tài khoản tài khoản đơn vị …»."""
    unit = login(site.app, "anh")
    response = unit.get("/mau-phieu")
    assert response.status_code == 403
    assert "Tài khoản đơn vị không quản lý được mẫu phiếu." in html(response)
    secretariat = login(site.app, "vanphong")
    response = secretariat.get("/nhat-ky")
    assert response.status_code == 403
    assert "Tài khoản văn phòng không xem được nhật ký kiểm tra." in html(response)


def test_ordinary_pages_offer_the_form_s_json_only_under_nang_cao(site):
    """The list and the versions table give PDF and Word; the data file (JSON) and the hashes
    are for the few who need them, under «Nâng cao» on the record's page."""
    client = login(site.app, "vanphong")
    listing = html(client.get("/ho-so"))
    assert "/pdf" in listing and "/json" not in listing and ">JSON<" not in listing
    record = html(client.get(f"/ho-so/{site.docs['duc']}"))
    advanced = record.split("<details", 1)[1].split("</details>", 1)[0]
    assert "/json" in advanced and "SHA-256" in advanced
    assert record.count("/json") == advanced.count("/json")
