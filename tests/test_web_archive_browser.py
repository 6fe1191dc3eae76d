"""The archive's pages in a real browser: Playwright driving Debian's chromium against the service
on 127.0.0.1 (its own SQLite archive, the session's warm LibreOffice engine). Log in, issue a
Phiếu 01 from its page, find it in the list, download it; the secretariat's scan upload; verifying
a file. Screenshots go to test-artifacts/."""

import re
import time
from pathlib import Path

import pytest
from browser import ARTIFACTS, field, served, shot, watched
from playwright.sync_api import expect
from pypdf import PdfReader
from test_web_archive import PARENT, PASSWORD, body_for, issue, new_app, png

from conftest import pdf_pages, squash

CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


@pytest.fixture(scope="module")
def site(app, tmp_path_factory):
    web = new_app(app, tmp_path_factory.mktemp("web-archive-browser"))
    with served(web) as url:
        web.url = url
        yield web


def log_in(page, site, username, then="/"):
    page.goto(f"{site.url}/dang-nhap?next={then}")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.login button[type=submit]").click()
    page.wait_for_url(f"{site.url}{then}")


def issued_code(page):
    box = page.locator("#issued")
    expect(box).to_be_visible(timeout=60_000)
    return CODE.search(box.locator(".issued-head").text_content()).group(0)


def test_log_in_issue_a_phieu_01_find_it_and_download_it(page, site):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(site.url + "/ho-so")
    expect(page).to_have_url(re.compile(r"/dang-nhap\?next=/ho-so$"))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    shot(page, "dang-nhap")
    page.locator("#username").fill("anh")
    page.locator("#password").fill(PASSWORD)
    page.locator("form.login button[type=submit]").click()
    expect(page).to_have_url(site.url + "/ho-so")
    expect(page.locator(".account")).to_contain_text("Nguyễn Văn Anh")
    expect(page.locator(".account")).to_contain_text("Tài khoản đơn vị")

    page.get_by_role("link", name="Phiếu số 01").first.click()
    # The unit's own name and parent are filled in for it.
    expect(field(page, "unit.name")).to_have_value("Phòng Nội vụ")
    expect(field(page, "unit.parent")).to_have_value(PARENT)
    field(page, "period.month").select_option("11")
    field(page, "period.year").fill("2026")
    field(page, "person.full_name").fill("Nguyễn Thị Ngọc Ánh")
    page.locator('[data-add="sections.political"]').click()
    field(page, "sections.political.0.content").fill("Chấp hành giờ giấc làm việc")
    field(page, "sections.political.0.self.result").fill("Đúng giờ cả tháng")
    field(page, "monthly_rating").select_option("hoan_thanh_tot")

    issue_button = page.get_by_role("button", name="Phát hành và lưu hồ sơ")
    expect(issue_button).to_be_visible()
    issue_button.click()
    code = issued_code(page)
    expect(page.locator("#issued .issued-head")).to_have_text(
        f"Đã phát hành và lưu: mã lưu trữ {code}, bản 1.")
    shot(page, "phieu-01-da-luu")
    # To print: the archived PDF, with its code; the plain download says it is a draft without.
    with page.expect_download() as info:
        page.locator("#issued").get_by_role(
            "link", name="Tải PDF đã lưu để in (có mã lưu trữ)").click()
    assert all(f"Mã lưu trữ: {code}" in text
               for text in pdf_pages(Path(info.value.path()).read_bytes()))
    expect(page.get_by_role("button", name="Tải PDF", exact=True)).to_have_count(0)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Tải bản nháp (PDF, chưa có mã lưu trữ)").click()
    assert "Mã lưu trữ" not in "".join(pdf_pages(Path(info.value.path()).read_bytes()))

    # Issued again as it is: the same version, said so; nothing new is made.
    issue_button.click()
    expect(page.locator("#issued .issued-head")).to_have_text(
        f"Nội dung không đổi: phiếu đã được phát hành là bản 1, mã lưu trữ {code}; không tạo "
        "bản mới.", timeout=60_000)
    expect(page.locator("#issued").get_by_role(
        "link", name="Tải PDF đã lưu để in (có mã lưu trữ)")).to_be_visible()
    shot(page, "phieu-01-khong-doi")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phieu-01-khong-doi-man-hinh-hep")
    page.set_viewport_size({"width": 1366, "height": 768})

    # A change asks first, naming the version it replaces; declined, nothing is issued.
    field(page, "monthly_rating").select_option("hoan_thanh")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    issue_button.click()
    expect(page.locator("#status")).to_have_text(
        f"Chưa phát hành: bản 1 (mã lưu trữ {code}) vẫn là bản hiện hành.", timeout=60_000)
    assert f"bản 1 (mã lưu trữ {code})" in asked[0]
    assert "Phát hành bản 2 thay cho bản 1?" in asked[0]
    expect(page.locator("#issued")).to_be_hidden()
    # Accepted: version 2, under a new code, replacing version 1.
    page.once("dialog", lambda dialog: dialog.accept())
    issue_button.click()
    expect(page.locator("#issued")).to_contain_text("bản 2, thay bản 1", timeout=60_000)
    second = issued_code(page)
    assert second != code
    expect(page.locator("#issued")).to_contain_text("Bản 2 là bản sửa, thay bản 1")

    page.locator("#issued").get_by_role("link", name="Xem hồ sơ phiếu").click()
    expect(page.locator("h1")).to_contain_text("Nguyễn Thị Ngọc Ánh")
    expect(page.locator(".facts").first).to_contain_text(second)
    expect(page.locator("table.versions tbody tr")).to_have_count(2)
    expect(page.locator("table.versions tr.current")).to_contain_text("đang xem")
    shot(page, "ho-so-chi-tiet")

    page.get_by_role("link", name="Hồ sơ đã lưu").first.click()
    page.locator("#q-person").fill("ngoc anh")
    page.get_by_role("button", name="Lọc").click()
    row = page.locator("table.records tbody tr", has_text=second)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nguyễn Thị Ngọc Ánh")
    expect(row).to_contain_text("11/2026")
    expect(page.locator("table.records tbody tr")).to_have_count(1)  # the latest version only
    shot(page, "ho-so")

    with page.expect_download() as info:
        row.get_by_role("link", name=f"Tải PDF phiếu {second}").click()
    pdf = Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == \
        f"Phiếu 01 - Nguyễn Thị Ngọc Ánh - tháng 11-2026 - {second}.pdf"
    pages = pdf_pages(pdf)
    assert squash("Nguyễn Thị Ngọc Ánh") in squash(pages[0])
    assert all(f"Mã lưu trữ: {second}" in text for text in pages)
    assert second in str(PdfReader(info.value.path()).metadata.get("/Keywords"))


def test_issue_errors_sit_beside_their_fields(page, site):
    log_in(page, site, "anh", "/phieu-01")
    field(page, "period.month").select_option("12")
    field(page, "period.year").fill("2026")
    field(page, "person.full_name").fill("")
    page.get_by_role("button", name="Phát hành và lưu hồ sơ").click()
    message = page.locator('[id="e-person.full_name"]')
    expect(message).to_have_text("Họ và tên: không được để trống")
    expect(field(page, "person.full_name")).to_be_focused()
    expect(page.locator("#issued")).to_be_hidden()

    # Another unit's name: the archive refuses it at the unit field.
    field(page, "person.full_name").fill("Lê Văn Tám")
    field(page, "unit.name").fill("Phòng Y tế")
    page.get_by_role("button", name="Phát hành và lưu hồ sơ").click()
    expect(page.locator('[id="e-unit.name"]')).to_contain_text("không phải đơn vị của tài khoản")
    expect(field(page, "unit.name")).to_have_attribute("aria-invalid", "true")
    shot(page, "phieu-01-phat-hanh-loi")


def test_preview_still_works_when_logged_in(page, site):
    """The form pages' posts carry the CSRF token, which the login cookie requires."""
    log_in(page, site, "vanphong", "/phieu-01")
    expect(page.get_by_role("button", name="Phát hành và lưu hồ sơ")).to_have_count(0)
    expect(field(page, "unit.name")).to_have_value("")  # not a unit account: nothing filled in
    field(page, "unit.name").fill("Phòng Nội vụ")
    field(page, "period.month").select_option("11")
    field(page, "period.year").fill("2026")
    field(page, "person.full_name").fill("Đoàn Minh Khôi")
    page.locator('[data-action="preview"]').click()
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator("#advice")).to_contain_text("Gợi ý")


def test_without_a_login_the_page_says_to_log_in(page, site):
    page.goto(site.url + "/phieu-01")
    expect(page.locator(".notice")).to_contain_text("Cần đăng nhập để xem trước")
    expect(page.get_by_role("button", name="Phát hành và lưu hồ sơ")).to_have_count(0)
    field(page, "unit.name").fill("Phòng Nội vụ")
    page.locator('[data-action="pdf"]').click()
    expect(page.locator("#status")).to_contain_text("Cần đăng nhập")
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, "phieu-01-can-dang-nhap-man-hinh-hep")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".account").get_by_role("link", name="Đăng nhập").click()
    page.locator("#username").fill("anh")
    page.locator("#password").fill(PASSWORD)
    page.locator("form.login button[type=submit]").click()
    expect(page).to_have_url(site.url + "/phieu-01")
    expect(field(page, "unit.name")).to_have_value("Phòng Nội vụ")  # the draft came back
    expect(page.locator(".notice")).to_have_count(0)


def test_issue_a_tong_hop_from_its_page(page, site):
    log_in(page, site, "binh", "/tong-hop")
    expect(field(page, "unit.name")).to_have_value("Phòng Tài chính - Kế hoạch")
    field(page, "period.month").select_option("11")
    field(page, "period.year").fill("2026")
    field(page, "rows.0.full_name").fill("Trần Thị Mai")  # the page starts with one row
    page.locator('[id="f-rows.0.rating-tot"]').check()
    page.get_by_role("button", name="Phát hành và lưu hồ sơ").click()
    code = issued_code(page)
    page.locator("#issued").get_by_role("link", name="Xem hồ sơ phiếu").click()
    expect(page.locator("h1")).to_contain_text("Phiếu tổng hợp")
    expect(page.locator(".facts").first).to_contain_text(code)


def test_the_secretariat_uploads_a_scan_then_anyone_verifies(page, site, tmp_path):
    document_id = issue(site, "anh", body_for("noi-vu", "Lê Minh Đức", month=10))
    log_in(page, site, "vanphong", f"/ho-so/{document_id}")
    expect(page.locator(".account")).to_contain_text("Văn phòng (bộ phận tổng hợp)")
    scan = tmp_path / "Bản quét đã ký.png"
    scan.write_bytes(png())
    page.locator("#scan-file").set_input_files(str(scan))
    page.get_by_role("button", name="Tải lên bản quét").click()
    expect(page.locator("#ban-quet .flash-ok")).to_contain_text(
        "Đã lưu bản quét «Bản quét đã ký.png»")
    expect(page.locator(".scans")).to_contain_text("Bản quét đã ký.png")
    expect(page.locator(".scans").get_by_text("image/png")).to_be_hidden()  # under «Nâng cao»
    shot(page, "ho-so-ban-quet")

    bogus = tmp_path / "khong-phai.pdf"
    bogus.write_text("chỉ là chữ", "utf-8")
    page.locator("#scan-file").set_input_files(str(bogus))
    page.get_by_role("button", name="Tải lên bản quét").click()
    expect(page.locator("#ban-quet .flash-error")).to_contain_text(
        "Tệp bản quét phải là PDF, JPEG, PNG hoặc TIFF")

    # The archived PDF, downloaded, then checked on /xac-minh.
    with page.expect_download() as info:
        page.locator(".downloads-bar").get_by_role("link", name="Tải PDF").click()
    page.get_by_role("link", name="Xác minh tệp").click()
    page.locator("#verify-file").set_input_files(info.value.path())
    page.get_by_role("button", name="Xác minh", exact=True).click()
    expect(page.locator(".verdict")).to_contain_text("Đúng là bản gốc")
    expect(page.locator(".verdict a")).to_have_attribute("href", f"/ho-so/{document_id}")
    shot(page, "xac-minh")

    altered = tmp_path / "da-sua.pdf"
    altered.write_bytes(Path(info.value.path()).read_bytes() + b"\n% edited\n")
    page.locator("#verify-file").set_input_files(str(altered))
    page.get_by_role("button", name="Xác minh", exact=True).click()
    expect(page.locator(".verdict")).to_contain_text("Tệp đã bị sửa đổi")
    shot(page, "xac-minh-da-sua")

    # The secretariat's list: every unit, a unit column and a unit filter.
    page.get_by_role("link", name="Hồ sơ đã lưu").click()
    expect(page.get_by_role("columnheader", name="Đơn vị")).to_be_visible()
    page.get_by_label("Đơn vị").select_option("noi-vu")
    page.get_by_label("Cả các bản đã sửa").check()
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"unit=noi-vu"))
    rows = page.locator("table.records tbody tr")
    expect(rows.first).to_be_visible()
    for text in rows.all_text_contents():
        assert "Phòng Nội vụ" in text
    shot(page, "ho-so-van-phong")


def test_the_archive_pages_fit_a_narrow_screen(browser, site):
    document_id = issue(site, "anh", body_for("noi-vu", "Phạm Thị Hồng Nhung", month=9))
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="vi-VN")
    page = watched(context)
    log_in(page, site, "anh", "/ho-so")
    for path, name in [("/ho-so", "ho-so-man-hinh-hep"),
                       (f"/ho-so/{document_id}", "ho-so-chi-tiet-man-hinh-hep"),
                       ("/xac-minh", "xac-minh-man-hinh-hep")]:
        page.goto(site.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        shot(page, name)
    context.close()
    assert not page.errors, page.errors


DRAFT = """Object.entries(localStorage).filter(([key]) => key.startsWith('phieu-draft:')
    && key.endsWith(':phieu-01')).map(([, value]) => value).join()"""


def stored_draft(page, holding, seconds=5):
    """Phiếu 01's draft in localStorage, once it holds `holding` (saved 0.4 s after an edit;
    polled from here: the pages' CSP forbids the eval of page.wait_for_function)."""
    deadline = time.monotonic() + seconds
    while True:
        draft = page.evaluate(DRAFT)
        if holding in draft:
            return draft
        assert time.monotonic() < deadline, draft
        page.wait_for_timeout(100)


def test_correct_and_reissue_a_phieu_01(page, site):
    """"Sửa và phát hành lại" on a record's page opens the form with the archived record (not the
    draft this browser keeps, which stays as it was); issuing makes the next version."""
    log_in(page, site, "anh", "/phieu-01")
    field(page, "period.month").select_option("8")
    field(page, "period.year").fill("2026")
    field(page, "person.full_name").fill("Hoàng Văn Nam")
    field(page, "person.position").fill("Chuyên viên")
    page.locator('[data-add="sections.political"]').click()
    field(page, "sections.political.0.content").fill("Tham gia đầy đủ sinh hoạt chi bộ")
    field(page, "sections.political.0.self.result").fill("Đủ 4 buổi trong tháng")
    field(page, "monthly_rating").select_option("hoan_thanh_tot")
    page.get_by_role("button", name="Phát hành và lưu hồ sơ").click()
    code = issued_code(page)
    expect(page.locator("#issued")).to_contain_text(f"Đã phát hành và lưu: mã lưu trữ {code}, "
                                                    "bản 1")

    # Another person typed afterwards: the draft this browser keeps is no longer the record.
    field(page, "person.full_name").fill("Người trong bản nháp")
    draft = stored_draft(page, "Người trong bản nháp")

    page.locator("#issued").get_by_role("link", name="Xem hồ sơ phiếu").click()
    expect(page.locator("table.versions tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Sửa và phát hành lại").click()
    expect(page).to_have_url(re.compile(r"/phieu-01\?sua=\d+$"))
    correcting = f"Đang sửa phiếu {code}, bản 1: phát hành sẽ tạo bản 2, bản cũ vẫn được giữ."
    expect(page.locator("#status")).to_have_text(correcting)
    notice = page.locator("#correcting")  # the same, at the top of the page
    expect(notice).to_contain_text(correcting)
    expect(notice.get_by_role("link", name="Thôi sửa, về bản nháp")).to_have_attribute(
        "href", "/phieu-01")
    expect(field(page, "person.full_name")).to_have_value("Hoàng Văn Nam")
    expect(field(page, "person.position")).to_have_value("Chuyên viên")
    expect(field(page, "sections.political.0.content")).to_have_value(
        "Tham gia đầy đủ sinh hoạt chi bộ")
    expect(field(page, "sections.political.0.self.result")).to_have_value("Đủ 4 buổi trong tháng")
    expect(page.locator('[data-list="sections.political"] > .item')).to_have_count(1)
    expect(field(page, "monthly_rating")).to_have_value("hoan_thanh_tot")
    expect(field(page, "period.month")).to_have_value("8")
    expect(page.locator("#advice")).to_contain_text("Gợi ý kết quả nhận diện")  # checked too
    shot(page, "phieu-01-sua-phat-hanh-lai")

    field(page, "monthly_rating").select_option("hoan_thanh")
    page.once("dialog", lambda dialog: dialog.accept())  # replacing bản 1, as the page asks
    page.get_by_role("button", name="Phát hành và lưu hồ sơ").click()
    expect(page.locator("#issued")).to_contain_text("bản 2", timeout=60_000)
    second = issued_code(page)
    assert second != code
    expect(page.locator("#issued")).to_contain_text("Bản 2 là bản sửa, thay bản 1")
    expect(page.locator("#issued")).not_to_contain_text("phiếu mới")
    expect(notice).to_contain_text(f"Đang sửa phiếu {second}, bản 2: phát hành sẽ tạo bản 3")
    # The draft was neither read nor written while correcting.
    assert page.evaluate(DRAFT) == draft
    # Reloading now opens the version just issued.
    new_id = re.search(r"sua=(\d+)$", page.url).group(1)
    page.reload()
    expect(page.locator("#status")).to_have_text(
        f"Đang sửa phiếu {second}, bản 2: phát hành sẽ tạo bản 3, bản cũ vẫn được giữ.")
    expect(field(page, "monthly_rating")).to_have_value("hoan_thanh")

    page.goto(f"{site.url}/ho-so/{new_id}")
    rows = page.locator("table.versions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(code)
    expect(rows.nth(1)).to_contain_text(second)
    expect(page.get_by_role("link", name="Sửa và phát hành lại")).to_be_visible()
    archived = page.request.get(f"{site.url}/api/v1/documents/{new_id}/json").json()
    assert archived["monthly_rating"] == "hoan_thanh"
    assert archived["person"]["full_name"] == "Hoàng Văn Nam"
    # The old version has no such link: it is corrected from the latest.
    rows.nth(0).get_by_role("link").first.click()
    expect(page.locator(".notice.warn")).to_contain_text("Đây là bản 1")
    expect(page.get_by_role("link", name="Sửa và phát hành lại")).to_have_count(0)


def test_correct_a_tong_hop_from_its_record(page, site):
    body = body_for("tai-chinh", month=5)
    body["rows"] = [{"full_name": "Trần Thị Mai", "rating": "tot"},
                    {"full_name": "Lý Văn Phúc", "rating": "kem", "shortcomings": "Vắng hai buổi"}]
    document_id = issue(site, "binh", body)
    log_in(page, site, "binh", f"/ho-so/{document_id}")
    page.get_by_role("link", name="Sửa và phát hành lại").click()
    expect(page).to_have_url(f"{site.url}/tong-hop?sua={document_id}")
    expect(page.locator("#status")).to_contain_text("bản 1: phát hành sẽ tạo bản 2")
    expect(page.locator("#rows > .item")).to_have_count(2)
    expect(field(page, "rows.1.full_name")).to_have_value("Lý Văn Phúc")
    expect(page.locator('[id="f-rows.1.rating-kem"]')).to_be_checked()
    expect(field(page, "rows.1.shortcomings")).to_have_value("Vắng hai buổi")
    expect(page.locator("#totals")).to_contain_text("Tốt 1 · TB 0 · Kém 1")
    # A unit's downloads here are drafts; the archived PDF comes with issuing.
    draft = page.get_by_role("button", name="Tải bản nháp (PDF, chưa có mã lưu trữ)")
    expect(draft).to_be_visible()
    for width, height, name in ((1366, 768, "tong-hop-sua"),
                                (390, 844, "tong-hop-sua-man-hinh-hep")):
        page.set_viewport_size({"width": width, "height": height})
        page.locator(".actions").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_a_record_that_cannot_be_opened_leaves_the_form_as_it_was(page, site):
    other = issue(site, "binh", body_for("tai-chinh", "Trần Văn Sơn", month=7))
    page.goto(f"{site.url}/phieu-01?sua={other}")  # not logged in
    expect(page.locator("#status")).to_contain_text(
        f"Không mở được phiếu cần sửa (hồ sơ số {other}): cần đăng nhập")
    expect(field(page, "person.full_name")).to_have_value("")

    log_in(page, site, "anh", "/phieu-01")
    field(page, "person.full_name").fill("Bản nháp của tôi")
    stored_draft(page, "Bản nháp của tôi")
    page.goto(f"{site.url}/phieu-01?sua={other}")  # another unit's record: as if missing
    expect(page.locator("#status")).to_have_text(
        f"Không mở được phiếu cần sửa (hồ sơ số {other}): không tìm thấy phiếu này trong kho lưu "
        "trữ (hoặc phiếu không thuộc đơn vị của tài khoản này). Bản nháp lưu trên trình duyệt "
        "này không bị thay đổi.")
    expect(field(page, "person.full_name")).to_have_value("")  # the draft is not opened either
    expect(field(page, "unit.name")).to_have_value("Phòng Nội vụ")
    expect(page.locator("#correcting")).to_contain_text("không tìm thấy phiếu này")
    shot(page, "phieu-01-sua-khong-mo-duoc")
    page.locator("#correcting").get_by_role("link", name="Thôi sửa, về bản nháp").click()
    expect(page).to_have_url(f"{site.url}/phieu-01")
    expect(field(page, "person.full_name")).to_have_value("Bản nháp của tôi")
    page.goto(f"{site.url}/tong-hop?sua=abc")
    expect(page.locator("#status")).to_contain_text("«abc» không phải số hồ sơ")


def test_the_administrator_reads_the_audit_log(page, site):
    issue(site, "anh", body_for("noi-vu", "Đặng Thu Hà", month=6))
    page.goto(f"{site.url}/dang-nhap")
    page.locator("#username").fill("binh")
    page.locator("#password").fill("sai-mat-khau")
    page.locator("form.login button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu.")
    log_in(page, site, "quantri", "/")
    page.locator("header").get_by_role("link", name="Nhật ký", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Nhật ký kiểm tra"))).to_be_visible()
    rows = page.locator("table.audit tbody tr")
    expect(rows.first).to_contain_text("quantri")
    expect(rows.first).to_contain_text("Đăng nhập")
    expect(rows.first.locator("td").first).to_have_text(
        re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d:\d\d$"))
    expect(page.locator("table.audit")).to_contain_text("bị từ chối")
    shot(page, "nhat-ky")

    page.get_by_label("Kết quả").select_option("refused")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"outcome=refused"))
    expect(rows.first).to_be_visible()
    for text in rows.locator(".outcome").all_text_contents():
        assert text == "bị từ chối"
    shot(page, "nhat-ky-bi-tu-choi")
    page.get_by_label("Việc").select_option("login")
    page.get_by_role("button", name="Lọc").click()
    expect(rows.first).to_contain_text("sai tên đăng nhập hoặc mật khẩu")
    expect(rows.first).to_contain_text("binh")

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site.url}/nhat-ky")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "nhat-ky-man-hinh-hep")
