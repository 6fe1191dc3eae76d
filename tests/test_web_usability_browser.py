"""The form pages as unit staff, a unit secretary and the secretariat use them, in Debian's
chromium (issue 15): drafts that belong to a person on a shared PC, feedback in the sticky bar,
dates written ngày/tháng/năm under an English browser, the tổng hợp's rows and imports, plain
pages, and no sideways scrolling on a phone. Screenshots go to test-artifacts/."""

from datetime import datetime
from pathlib import Path

import pytest
from browser import field, served, shot, watched
from playwright.sync_api import expect
from test_web_archive import PASSWORD, body_for, issue, new_app
from test_web_archive_browser import log_in
from test_web_browser import fill_header, xlsx_rows

from conftest import pdf_pages, squash
from forms import clock

PHONE = {"width": 390, "height": 844}
PC = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def site(app, tmp_path_factory):
    web = new_app(app, tmp_path_factory.mktemp("web-usability"))
    with served(web) as url:
        web.url = url
        yield web


@pytest.fixture(scope="module")
def server(app):
    """The session's app: no accounts needed to fill, preview and download a form."""
    with served(app) as url:
        yield url


@pytest.fixture
def open_page(browser):
    """new(viewport, locale) → a watched page in a fresh context; each fails the test on a
    script error or CSP refusal."""
    pages = []

    def new(viewport=PC, locale="vi-VN"):
        context = browser.new_context(accept_downloads=True, locale=locale, viewport=viewport)
        pages.append(watched(context))
        return pages[-1]
    yield new
    for page in pages:
        page.context.close()
        assert not page.errors, page.errors


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.locator(".flash")).to_contain_text("Đã đăng xuất")


def drafts(page):
    return page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('phieu-draft'))")


def test_on_a_shared_pc_the_next_person_does_not_see_the_last_ones_draft(open_page, site):
    page = open_page()
    log_in(page, site, "anh", "/phieu-01")
    field(page, "person.full_name").fill("Đoàn Minh Khôi")
    page.locator('[data-add="sections.political"]').click()
    field(page, "sections.political.0.content").fill("Đi họp muộn")
    page.wait_for_timeout(800)  # the draft is stored after a pause in typing
    page.reload()
    expect(field(page, "person.full_name")).to_have_value("Đoàn Minh Khôi")
    assert len(drafts(page)) == 1

    log_out(page)
    shot(page, "dang-xuat")
    assert drafts(page) == []
    log_in(page, site, "binh", "/phieu-01")
    expect(field(page, "unit.name")).to_have_value("Phòng Tài chính - Kế hoạch")
    expect(field(page, "person.full_name")).to_have_value("")
    expect(page.locator('[data-list="sections.political"] > li')).to_have_count(0)
    expect(page.locator("#status")).not_to_contain_text("khôi phục")

    # Logging out removed the draft from this browser: its owner finds it gone too (safer on a
    # shared PC than keeping it for them); the draft file saved with «Lưu bản nháp» is the way
    # to carry work over.
    log_out(page)
    log_in(page, site, "anh", "/phieu-01")
    expect(field(page, "person.full_name")).to_have_value("")


def test_a_draft_typed_before_logging_in_is_kept_through_the_login(open_page, site):
    page = open_page()
    page.goto(site.url + "/phieu-01")
    field(page, "person.full_name").fill("Lê Thị Hoa")
    page.wait_for_timeout(800)
    page.get_by_role("link", name="đăng nhập").first.click()
    page.locator("#username").fill("anh")
    page.locator("#password").fill(PASSWORD)
    page.locator("form.login button[type=submit]").click()
    expect(field(page, "person.full_name")).to_have_value("Lê Thị Hoa")
    expect(page.locator("#status")).to_contain_text("khôi phục bản nháp")


def filled_phieu_01(page, site, items=2):
    page.goto(site.url + "/phieu-01")
    fill_header(page)
    for section in ("political", "competence", "tasks", "prior_shortcomings", "other"):
        for index in range(items):
            page.locator(f'[data-add="sections.{section}"]').click()
            field(page, f"sections.{section}.{index}.content").fill(f"Nội dung {index + 1}")


def in_viewport(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_bar_says_what_a_click_does_and_a_double_click_downloads_one_file(open_page, site):
    page = open_page()
    log_in(page, site, "anh")
    filled_phieu_01(page, site)
    page.evaluate("window.scrollTo(0, 0)")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    # The answer is held until the busy bar has been looked at: a form the service made before
    # comes from memory at once, sooner than the checks below could see the bar busy.
    held = []
    page.route("**/api/v1/phieu-01?format=pdf", lambda route: held.append(route))
    page.locator('[data-action="pdf"]').dblclick()
    # Busy at once, where the click was: the bar (stuck to the bottom of the screen) says so,
    # and its buttons wait.
    expect(page.locator("#actions")).to_have_attribute("aria-busy", "true")
    expect(page.locator("#status")).to_have_text("Đang tạo phiếu…")
    expect(page.locator("#actions .spinner")).to_be_visible()
    assert in_viewport(page, page.locator("#status"))
    for action in ("preview", "pdf", "docx", "issue"):
        expect(page.locator(f'[data-action="{action}"]')).to_be_disabled()
    shot(page, "phieu-01-dang-tao")
    assert len(held) == 1  # one request for the double click
    page.unroute("**/api/v1/phieu-01?format=pdf")  # lets the held request go on
    expect(page.locator("#status")).to_contain_text("Đã tải Phiếu 01", timeout=60_000)
    expect(page.locator('[data-action="pdf"]')).to_be_enabled()
    assert in_viewport(page, page.locator("#status"))
    page.wait_for_timeout(500)
    assert len(downloads) == 1


def test_an_error_goes_as_soon_as_its_field_is_fixed(open_page, server):
    page = open_page()
    page.goto(server + "/phieu-01")
    fill_header(page, name="")
    page.locator('[data-action="pdf"]').click()
    message = page.locator('[id="e-person.full_name"]')
    expect(message).to_have_text("Họ và tên: không được để trống")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    # The summary lists the message once, under a heading that counts, not repeats, them.
    assert summary.inner_text().count("không được để trống") == 1
    expect(summary.locator("p")).to_have_text("Phiếu còn 1 lỗi cần sửa:")
    field(page, "person.full_name").fill("Phạm Thu Hà")
    expect(message).to_be_hidden()
    expect(field(page, "person.full_name")).not_to_have_attribute("aria-invalid", "true")
    expect(summary).to_be_hidden()


@pytest.mark.parametrize("viewport", [PC, PHONE], ids=["pc", "phone"])
def test_no_tab_stop_hides_under_the_sticky_bar(open_page, site, viewport):
    page = open_page(viewport)
    log_in(page, site, "anh")
    filled_phieu_01(page, site, items=1)
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("main").focus()
    hidden, seen = [], 0
    for _ in range(250):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => {
          const active = document.activeElement, bar = document.getElementById('actions');
          if (!active || active === document.body) return null;
          const box = active.getBoundingClientRect(), top = bar.getBoundingClientRect().top;
          return {name: active.name || active.textContent.trim().slice(0, 30),
                  inBar: bar.contains(active), under: box.bottom > top + 1 && !bar.contains(active),
                  footer: !!active.closest('footer')};
        }""")
        if where is None or where["footer"]:
            break
        seen += 1
        if where["under"]:
            hidden.append(where["name"])
    assert seen > 60 and hidden == []
    if viewport is PHONE:  # a compact bar: not a third of the screen
        height = page.locator("#actions").bounding_box()["height"]
        assert height <= 0.17 * PHONE["height"], height
        shot(page, "phieu-01-dien-dien-thoai")


def test_dates_are_ngay_thang_nam_in_an_english_browser(open_page, server):
    page = open_page(locale="en-US")
    page.goto(server + "/phieu-01")
    fill_header(page)
    date = field(page, "signed_on")
    expect(date).to_have_attribute("type", "text")
    date.fill("")
    date.press_sequentially("31022026")
    expect(date).to_have_value("31/02/2026")
    page.locator('[data-action="pdf"]').click()
    expect(page.locator('[id="e-signed_on"]')).to_have_text(
        "Ngày ký: 31/02/2026 không phải ngày có thật")
    shot(page, "phieu-01-ngay-sai")
    date.fill("")
    date.press_sequentially("24112026")
    expect(date).to_have_value("24/11/2026")
    expect(page.locator('[id="e-signed_on"]')).to_be_hidden()
    with page.expect_download() as info:
        page.locator('[data-action="pdf"]').click()
    text = squash("\n".join(pdf_pages(Path(info.value.path()).read_bytes())))
    assert squash("Nam Từ Liêm, ngày 24 tháng 11 năm 2026") in text

    # Picked from the browser's calendar: shown ngày/tháng/năm all the same.
    page.locator(".date-picker").first.evaluate(
        "(picker) => { picker.value = '2026-12-05'; picker.dispatchEvent(new Event('change')); }")
    expect(date).to_have_value("05/12/2026")
    date.fill("5-12")
    page.locator('[data-action="preview"]').click()
    expect(page.locator('[id="e-signed_on"]')).to_contain_text("chưa đúng dạng ngày/tháng/năm")


def import_xlsx(page, tmp_path):
    sheet = tmp_path / "danh-sach.xlsx"
    sheet.write_bytes(xlsx_rows())
    page.locator("#import-file").set_input_files(str(sheet))


def test_tong_hop_rows_imports_undo_and_clear(open_page, server, tmp_path):
    page = open_page()
    page.goto(server + "/tong-hop")
    fill_header(page, name=None)
    import_xlsx(page, tmp_path)
    expect(page.locator("#rows > tr")).to_have_count(3)

    # The same file again: asked, beside the import, whether to replace or to append.
    import_xlsx(page, tmp_path)
    choice = page.locator("#import-choice")
    expect(choice).to_contain_text("Bảng đang có 3 dòng; bảng tính có 3 dòng.")
    shot(page, "tong-hop-nhap-lai")
    expect(page.locator("#rows > tr")).to_have_count(3)
    choice.get_by_role("button", name="Thêm vào sau các dòng đang có").click()
    expect(page.locator("#rows > tr")).to_have_count(6)
    import_xlsx(page, tmp_path)
    choice.get_by_role("button", name="Thay các dòng đang có").click()
    expect(page.locator("#rows > tr")).to_have_count(3)

    # Rows pasted without the header row, in the template's column order.
    pasted = ("4\tHoàng Văn Nam\tHoàn thành\t\t\t\tKhông có biểu hiện\tX\t\t\n"
              "5\tVũ Thị Lan\tHoàn thành tốt\t\t\t\t\tX\t\t")
    page.locator("#import-text").fill(pasted)
    page.get_by_role("button", name="Nhập các dòng đã dán").click()
    choice.get_by_role("button", name="Thêm vào sau các dòng đang có").click()
    expect(page.locator("#rows > tr")).to_have_count(5)
    expect(field(page, "rows.4.full_name")).to_have_value("Vũ Thị Lan")

    # An error names its row.
    field(page, "rows.2.full_name").fill("")
    page.locator('[data-action="pdf"]').click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Dòng 3 — Họ tên: không được để trống")
    assert summary.inner_text().count("không được để trống") == 1
    shot(page, "tong-hop-loi-dong")

    # A deleted row comes back with «Hoàn tác», where it was.
    page.get_by_role("button", name="Xóa dòng 2").click()
    expect(page.locator("#rows > tr")).to_have_count(4)
    expect(page.locator("#status")).to_contain_text("Đã xóa dòng 2.")
    page.locator("#status").get_by_role("button", name="Hoàn tác").click()
    expect(page.locator("#rows > tr")).to_have_count(5)
    expect(field(page, "rows.1.full_name")).to_have_value("Nguyễn Thị Ngọc Ánh")

    # «Xóa hết» keeps what the page starts with: the place name and one empty row.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('[data-action="clear"]').click()
    expect(page.locator("#rows > tr")).to_have_count(1)
    expect(field(page, "rows.0.full_name")).to_have_value("")
    expect(field(page, "place")).to_have_value("Nam Từ Liêm")
    expect(field(page, "unit.name")).to_have_value("")
    expect(page.locator("#error-summary")).to_be_hidden()


def test_the_sections_are_numbered_as_in_the_guidance(open_page, server):
    page = open_page()
    page.goto(server + "/phieu-01")
    numbers = [text.split(" ")[0] for text in page.locator("form h2").all_inner_texts()]
    assert numbers == ["I.", "II.", "II.1.", "II.2.", "III.", "IV."]


class At(datetime):
    """The service's clock on 30/11/2026, 10:00 in Hà Nội."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 11, 30, 3, 0, tzinfo=tz)


def test_plain_pages_keep_the_technical_parts_aside(open_page, site, monkeypatch):
    monkeypatch.setattr(clock, "datetime", At)
    document_id = issue(site, "anh", body_for("noi-vu", "Lê Minh Đức"))
    page = open_page()
    log_in(page, site, "vanphong", "/bao-cao")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav).not_to_contain_text("API")
    expect(page.locator("footer").get_by_role("link", name="Tài liệu API")).to_be_visible()
    # At the end of November the report due next is the year's (before 15/12), not quarter I's.
    expect(page.locator("#pr-report")).to_have_value("nam")
    expect(page.get_by_text("GET /api/v1/reports/calendar")).to_be_hidden()
    json_button = page.get_by_role("button", name="Xem dữ liệu (JSON)").first
    expect(json_button).to_be_hidden()
    page.locator("details.advanced > summary").first.click()
    expect(json_button).to_be_visible()
    shot(page, "bao-cao")

    page.goto(f"{site.url}/ho-so/{document_id}")
    hashes = page.locator(".hashes")
    expect(hashes).to_be_hidden()
    expect(page.get_by_role("link", name="Tải dữ liệu của phiếu (tệp JSON)")).to_be_hidden()
    page.get_by_text("Nâng cao: dữ liệu và mã băm của các tệp đã lưu").click()
    expect(hashes).to_be_visible()
    expect(hashes).to_contain_text("PDF/A")


def test_a_scan_uploads_message_sits_beside_the_upload(open_page, site, tmp_path):
    document_id = issue(site, "anh", body_for("noi-vu", "Trịnh Văn Sơn"))
    page = open_page()
    log_in(page, site, "vanphong", f"/ho-so/{document_id}")
    bogus = tmp_path / "khong-phai.pdf"
    bogus.write_text("chỉ là chữ", "utf-8")
    page.locator("#scan-file").set_input_files(str(bogus))
    page.get_by_role("button", name="Tải lên bản quét").click()
    message = page.locator("#ban-quet .flash-error")
    expect(message).to_contain_text("Tệp bản quét phải là PDF, JPEG, PNG hoặc TIFF")
    assert in_viewport(page, message)
    expect(page.locator("main > .flash")).to_have_count(0)


def test_a_mistyped_address_is_a_vietnamese_page(open_page, site):
    page = open_page()
    response = page.goto(site.url + "/ho-so-cu/khong-co")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Không có trang này")
    expect(page.locator("main")).to_contain_text("«/ho-so-cu/khong-co»")


PAGES = {  # who opens it (None: nobody logged in), then its address
    "/": None, "/dang-nhap": None, "/khong-co": None, "/phieu-01": "anh", "/tong-hop": "anh",
    "/ho-so": "vanphong", "/ho-so/{document}": "vanphong", "/bao-cao": "vanphong",
    "/don-vi": "vanphong", "/don-vi/noi-vu/2026/11": "anh", "/xac-minh": "vanphong",
    "/phat-hanh-lo": "anh", "/nhat-ky": "quantri",
}


def test_no_page_scrolls_sideways_on_a_phone(open_page, site, tmp_path):
    document_id = issue(site, "anh", body_for("noi-vu", "Ngô Thị Mai"))
    wide = {}
    for who in (None, "anh", "vanphong", "quantri"):
        page = open_page(PHONE)
        if who:
            log_in(page, site, who)
        for address in (a for a, owner in PAGES.items() if owner == who):
            page.goto(site.url + address.format(document=document_id))
            if address == "/tong-hop":
                import_xlsx(page, tmp_path)
                expect(page.locator("#rows > tr")).to_have_count(3)
            if address == "/phieu-01":
                page.locator('[data-add="sections.political"]').click()
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[address] = width
            shot(page, "dien-thoai" + address.replace("/", "-").replace("{document}", "phieu"))
    assert wide == {}


def test_a_narrow_name_field_is_gone(open_page, site):
    """Usual names fit their fields: a four-word name, the unit's parent body, show whole."""
    page = open_page()
    log_in(page, site, "anh", "/tong-hop")
    name = field(page, "rows.0.full_name")
    name.fill("Nguyễn Thị Phương Thảo")
    assert name.evaluate("(input) => input.scrollWidth <= input.clientWidth")
    parent = field(page, "unit.parent")
    expect(parent).to_have_value("Ủy ban nhân dân quận Nam Từ Liêm")
    assert parent.evaluate("(input) => input.scrollWidth <= input.clientWidth")


def test_the_month_pages_messages_sit_beside_their_forms(open_page, site, tmp_path):
    page = open_page()
    log_in(page, site, "anh", "/don-vi/noi-vu/2026/11")
    bogus = tmp_path / "danh-sach.csv"
    bogus.write_bytes(b"%PDF-1.7\n")
    page.locator("#ds-file").set_input_files(str(bogus))
    page.get_by_role("button", name="Nhập danh sách").click()
    message = page.locator("#danh-sach .flash-error")
    expect(message).to_be_visible()
    expect(message).to_be_in_viewport(ratio=1)  # waits for the scroll to the form's anchor
    expect(page.locator("main > .flash")).to_have_count(0)

    date = page.locator("#th-signed-on")
    date.press_sequentially("31022026")
    expect(date).to_have_value("31/02/2026")
    page.get_by_role("button", name="Lập phiếu tổng hợp từ hồ sơ").click()
    message = page.locator("#tong-hop .flash-error")
    expect(message).to_have_text("Ngày ký: 31/02/2026 không phải ngày có thật")
    expect(message).to_be_in_viewport(ratio=1)  # waits for the scroll to the form's anchor


def test_a_draft_left_by_someone_who_never_logged_in_is_not_the_next_accounts(open_page, site):
    first = open_page()
    first.goto(site.url + "/phieu-01")
    field(first, "person.full_name").fill("Người không đăng nhập")
    first.wait_for_timeout(800)
    page = watched(first.context)  # the next person, in a new tab of the same browser
    first.close()  # gone, without logging in (there was nothing to log out of)
    log_in(page, site, "binh", "/phieu-01")
    expect(field(page, "person.full_name")).to_have_value("")
    log_out(page)
    assert drafts(page) == []
    assert not page.errors, page.errors
