"""The batch issue page in a real browser: Playwright driving Debian's chromium against the service
on 127.0.0.1 (its own SQLite archive, the in-process job runner, the session's warm LibreOffice
engine). A unit account downloads the template, uploads it filled in with one bad form, watches
the progress bar reach the end, reads the failure and its reason, and finds the issued forms in
/ho-so; the API's refusals show in Vietnamese; the page fits a phone. Screenshots go to
test-artifacts/."""

import json
import re
from pathlib import Path

import pytest
from browser import served, shot, watched
from openpyxl import load_workbook
from playwright.sync_api import expect
from test_batch_sheet import AN, BINH, ROWS, filled_template, row
from test_web_archive import new_app
from test_web_archive_browser import log_in

CUONG = "Phạm Văn Cường"
TOO_LONG = "Nội dung: dài quá 2000 ký tự (hiện có 2001)"
# The template filled in for An and Bình, and Cường whose one item is too long: his form fails.
BAD_ROW = row(index=5, full_name=CUONG, position="Chuyên viên", section="II.2",
              content="Theo dõi hồ sơ " + "x" * 1986, monthly_rating="hoàn thành")
JOB_URL = re.compile(r"/phat-hanh-lo/([0-9a-f]{32})$")
DONE_WAIT = 120_000  # ms: three forms through LibreOffice, on a slow machine


@pytest.fixture(scope="module")
def site(app, tmp_path_factory):
    web = new_app(app, tmp_path_factory.mktemp("web-batch-browser"))
    with served(web) as url:
        web.url = url
        yield web


def sheet(tmp_path, rows, name="Lô Phiếu 01 tháng 11.xlsx"):
    path = tmp_path / name
    path.write_bytes(filled_template(rows))
    return str(path)


def fill(page, path, month, year="2026"):
    page.get_by_label("Tệp bảng tính").set_input_files(path)
    page.get_by_label("Tháng").select_option(str(month))
    page.get_by_label("Năm").fill(year)


def bar(page):
    return page.locator("#batch-bar").evaluate("bar => [bar.value, bar.max]")


def test_issue_a_batch_follow_it_and_find_the_forms(page, site, tmp_path):
    log_in(page, site, "anh", "/")
    page.locator("header").get_by_role("link", name="Phát hành cả lô").click()
    expect(page).to_have_url(f"{site.url}/phat-hanh-lo")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phát hành cả lô")
    expect(page.locator("#tien-do")).to_be_hidden()
    expect(page.get_by_role("alert")).to_be_hidden()  # empty until there is something to say
    shot(page, "phat-hanh-lo")

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải mẫu bảng tính (.xlsx)").click()
    assert info.value.suggested_filename == "Mẫu phát hành lô Phiếu 01.xlsx"
    with open(info.value.path(), "rb") as template:
        assert load_workbook(template).worksheets[0].title == "Phiếu 01"

    fill(page, sheet(tmp_path, [*ROWS, BAD_ROW]), 11)
    signed_on = page.get_by_role("textbox", name="Ngày ký")
    signed_on.fill("24112026")  # typed as ngày/tháng/năm, sent as ISO
    expect(signed_on).to_have_value("24/11/2026")
    page.get_by_label("Họ tên thủ trưởng").fill("Trần Văn Bình")
    expect(page.get_by_label("Địa danh")).to_have_value("Nam Từ Liêm")
    page.get_by_role("button", name="Phát hành cả lô").click()

    expect(page).to_have_url(JOB_URL)
    job_id = JOB_URL.search(page.url).group(1)
    count = page.locator("#batch-count")
    expect(count).to_have_text("Đã phát hành 2/3 phiếu, 1 lỗi", timeout=DONE_WAIT)
    assert bar(page) == [3, 3]
    expect(page.locator("#batch-state")).to_contain_text("Đã xong")
    failures = page.locator("#batch-failures tbody tr")
    expect(failures).to_have_count(1)
    expect(failures.locator("td")).to_have_text(["8", CUONG, f"Dòng 8 ({CUONG}): {TOO_LONG}"])
    expect(page.get_by_role("alert")).to_be_hidden()
    shot(page, "phat-hanh-lo-xong")

    # Reopened by its address (a reload, a kept link): the same job, done.
    page.reload()
    expect(count).to_have_text("Đã phát hành 2/3 phiếu, 1 lỗi")
    expect(failures).to_have_count(1)

    # The issued forms in the archive's list, filtered to the month.
    page.get_by_role("link", name="Xem các Phiếu số 01 đã lưu tháng 11/2026").click()
    expect(page).to_have_url(re.compile(r"/ho-so\?"))
    assert {key: value for key, value in
            (pair.split("=") for pair in page.url.split("?", 1)[1].split("&"))} == {
        "form": "phieu-01", "month": "11", "year": "2026"}
    rows = page.locator("table.records tbody tr")
    expect(rows).to_have_count(2)
    names = rows.locator('td[data-label="Họ tên"]').all_text_contents()
    assert sorted(names) == sorted([AN, BINH])
    expect(page.locator("table.records")).not_to_contain_text(CUONG)
    shot(page, "phat-hanh-lo-ho-so")
    listed = page.request.get(f"{site.url}/api/v1/documents?form=phieu-01&year=2026&month=11")
    record = listed.json()[0]
    stored = page.request.get(f"{site.url}/api/v1/documents/{record['id']}/json").json()
    assert stored["signed_on"] == "2026-11-24"

    # The unit month page: the forms, and the print packet from the archive.
    page.goto(f"{site.url}/phat-hanh-lo/{job_id}")
    expect(count).to_have_text("Đã phát hành 2/3 phiếu, 1 lỗi")
    page.get_by_role("link", name="Tình trạng đơn vị tháng 11/2026").click()
    expect(page).to_have_url(f"{site.url}/don-vi/noi-vu/2026/11")
    packet = page.locator("#ho-so-in")
    expect(packet.get_by_role("heading")).to_have_text("Hồ sơ in")
    with page.expect_download() as info:
        packet.get_by_role("link", name="Tải PDF in hai mặt").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as info:
        packet.get_by_role("link", name="Tải ZIP (mỗi phiếu một tệp PDF)").click()
    assert info.value.suggested_filename.endswith(".zip")
    shot(page, "don-vi-ho-so-in")


def test_refusals_show_in_vietnamese_in_the_alert(page, site, tmp_path):
    log_in(page, site, "anh", "/phat-hanh-lo")
    alert = page.get_by_role("alert")
    file_box = page.get_by_label("Tệp bảng tính")
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(alert).to_have_text("Chưa chọn tệp bảng tính: hãy chọn tệp .xlsx (hoặc .csv) đã "
                               "điền theo mẫu.")
    expect(file_box).to_have_attribute("aria-invalid", "true")

    # 422: not a spreadsheet; a sheet with a wrong row; a month out of range.
    not_a_sheet = tmp_path / "bang.xlsx"
    not_a_sheet.write_bytes(b"%PDF-1.4 not a sheet")
    fill(page, str(not_a_sheet), 11)
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(alert).to_contain_text("không phải bảng tính")
    expect(file_box).to_have_attribute("aria-invalid", "true")

    # A row of nobody (no name): the sheet as a whole is refused, naming the row.
    nameless = row(index=5, section="I", content="Việc khác")
    fill(page, sheet(tmp_path, [*ROWS, nameless]), 11)
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(alert).to_have_text("Dòng 8: chưa có «Họ và tên»; hãy ghi họ và tên ở mọi dòng của "
                               "người đó (không gộp ô).")
    shot(page, "phat-hanh-lo-loi")

    fill(page, sheet(tmp_path, ROWS), 11, year="1999")
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(alert).to_contain_text("Năm")
    expect(page.get_by_label("Năm")).to_have_attribute("aria-invalid", "true")
    expect(file_box).not_to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(f"{site.url}/phat-hanh-lo")  # nothing was sent to run

    # 413 and 503 as the API answers them (a file too big to make here; a broker down).
    api = f"{site.url}/api/v1/jobs/batch-issue/spreadsheet"
    page.route(api, lambda route: route.fulfill(status=413, content_type="application/json",
                                                body=json.dumps({"code": 413,
                                                                 "message": "Too large"})))
    fill(page, sheet(tmp_path, ROWS), 11)
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(alert).to_have_text("Tệp quá lớn: tối đa 30 MB. Hãy chia bảng tính thành nhiều tệp "
                               "nhỏ hơn rồi gửi từng tệp.")
    page.unroute(api)
    page.route(api, lambda route: route.fulfill(
        status=503, content_type="application/json", headers={"Retry-After": "30"},
        body=json.dumps({"code": 503, "message": "Dịch vụ tạm thời chưa sẵn sàng; hãy thử lại "
                                                 "sau ít phút."})))
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(alert).to_have_text("Lô chưa được gửi. Dịch vụ tạm thời chưa sẵn sàng; hãy thử lại "
                               "sau ít phút. Có thể gửi lại sau khoảng 30 giây.")
    page.unroute(api)
    expect(page.locator("#tien-do")).to_be_hidden()


def test_a_bad_value_refuses_only_that_persons_form_named_by_its_row(page, site, tmp_path):
    log_in(page, site, "anh", "/phat-hanh-lo")
    wrong = row(index=5, full_name=CUONG, section="IX", content="Việc khác")
    fill(page, sheet(tmp_path, [*ROWS, wrong]), 10)
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(page).to_have_url(JOB_URL)
    expect(page.locator("#batch-count")).to_have_text("Đã phát hành 2/3 phiếu, 1 lỗi",
                                                      timeout=DONE_WAIT)
    expect(page.locator("#batch-failures tbody tr td")).to_have_text([
        "8", CUONG, f"Dòng 8 ({CUONG}): «Mục» ghi «IX», không có trong phiếu; hãy ghi một "
                    "trong: I, II.1, II.2, III, IV."])
    expect(page.get_by_role("alert")).to_be_hidden()


def test_people_already_issued_are_skipped_unless_replacing_is_chosen(page, site, tmp_path):
    """Issue 15: a batch quietly replaced a detailed form with the sheet's. Now the people
    already issued are left alone and listed, unless the user chooses to replace them; then
    each replaced version is named."""
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, site, "anh", "/phat-hanh-lo")
    expect(page.get_by_label("Bỏ qua, giữ nguyên phiếu đã phát hành")).to_be_checked()
    shot(page, "phat-hanh-lo-lua-chon")
    fill(page, sheet(tmp_path, ROWS, "Lần đầu.xlsx"), 6)
    page.get_by_role("button", name="Phát hành cả lô").click()
    count = page.locator("#batch-count")
    expect(count).to_have_text("Đã phát hành 2/2 phiếu, 0 lỗi", timeout=DONE_WAIT)

    # An's forms changed in the sheet, Bình's not, Cường new; sent again as it is (skip).
    changed = [*ROWS]
    changed[2] = [*ROWS[2]]
    changed[2][4] = "Soạn thảo văn bản, tờ trình"  # the content of An's row 6
    newcomer = row(index=5, full_name=CUONG, section="I", content="Chấp hành nội quy",
                   monthly_rating="hoàn thành")
    again = sheet(tmp_path, [*changed, newcomer], "Lần hai.xlsx")
    page.goto(f"{site.url}/phat-hanh-lo")
    fill(page, again, 6)
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(count).to_have_text("Đã phát hành 1/3 phiếu, bỏ qua 1 người đã có phiếu, 1 phiếu "
                               "không đổi, 0 lỗi", timeout=DONE_WAIT)
    kept = page.locator("#batch-kept tbody tr")
    expect(kept).to_have_count(2)
    expect(kept.nth(0).locator("td")).to_have_text(
        ["4", AN, "bản 1: giữ nguyên; bảng tính có nội dung khác"])
    expect(kept.nth(1).locator("td")).to_have_text(
        ["5", BINH, "bản 1: giống hệt phiếu trong bảng tính"])
    expect(kept.nth(0).get_by_role("link", name="bản 1")).to_have_attribute(
        "href", re.compile(r"^/ho-so/\d+$"))
    expect(page.locator("#batch-kept-hint")).to_be_visible()
    expect(page.locator("#batch-replaced")).to_be_hidden()
    shot(page, "phat-hanh-lo-bo-qua")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phat-hanh-lo-bo-qua-man-hinh-hep")
    page.set_viewport_size({"width": 1366, "height": 768})

    # The same file, replacing: An's form becomes bản 2; the others are the same as issued.
    page.goto(f"{site.url}/phat-hanh-lo")
    fill(page, again, 6)
    page.get_by_label("Thay bằng phiếu trong bảng tính").check()
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(count).to_have_text("Đã phát hành 1/3 phiếu (1 phiếu thay bản đã phát hành), 2 phiếu "
                               "không đổi, 0 lỗi", timeout=DONE_WAIT)
    replaced = page.locator("#batch-replaced tbody tr")
    expect(replaced).to_have_count(1)
    expect(replaced.locator("td")).to_have_text(["4", AN, "bản 1 → bản 2"])
    expect(page.locator("#batch-kept-hint")).to_be_hidden()
    shot(page, "phat-hanh-lo-thay")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "phat-hanh-lo-thay-man-hinh-hep")
    replaced.get_by_role("link", name="bản 1 → bản 2").click()
    expect(page.locator("h1")).to_contain_text(AN)
    expect(page.locator("table.versions tbody tr")).to_have_count(2)


def test_a_job_page_of_another_unit_is_not_found(page, site, tmp_path):
    log_in(page, site, "anh", "/phat-hanh-lo")
    fill(page, sheet(tmp_path, ROWS[1:2], "Một người.xlsx"), 7)
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(page).to_have_url(JOB_URL)
    job_url = page.url
    expect(page.locator("#batch-count")).to_have_text("Đã phát hành 1/1 phiếu, 0 lỗi",
                                                      timeout=DONE_WAIT)
    expect(page.locator("#batch-failures")).to_be_hidden()
    page.locator(".account").get_by_role("button", name="Đăng xuất").click()
    log_in(page, site, "binh", "/")
    response = page.goto(job_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy công việc")


def test_the_batch_page_fits_a_phone(browser, site, tmp_path):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="vi-VN")
    page = watched(context)
    log_in(page, site, "anh", "/phat-hanh-lo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "phat-hanh-lo-man-hinh-hep")

    # While `holding`, the answers about the job say one form of three is done, to see the bar
    # midway whatever the speed of the machine; then the service's own answers pass.
    holding = [True]

    def midway(route):
        if not holding[0]:
            route.continue_()
            return
        route.fulfill(status=200, content_type="application/json", body=json.dumps({
            "id": "x", "status": "running", "status_label": "Đang phát hành", "total": 3,
            "done": 1, "failed": 0, "pending": 2, "items": [], "failures": []}))

    page.route(re.compile(r".*/api/v1/jobs/[0-9a-f]{32}$"), midway)
    fill(page, sheet(tmp_path, [*ROWS, BAD_ROW]), 9)
    page.get_by_role("button", name="Phát hành cả lô").click()
    count = page.locator("#batch-count")
    expect(count).to_have_text("Đã phát hành 1/3 phiếu, 0 lỗi")
    assert bar(page) == [1, 3]
    expect(page.locator("#batch-state")).to_contain_text("Đang phát hành")
    expect(page.locator("#batch-links")).to_be_hidden()
    shot(page, "phat-hanh-lo-dang-chay-man-hinh-hep")
    holding[0] = False
    expect(count).to_have_text("Đã phát hành 2/3 phiếu, 1 lỗi", timeout=DONE_WAIT)
    expect(page.locator("#batch-failures tbody tr td")).to_have_text(
        ["8", CUONG, f"Dòng 8 ({CUONG}): {TOO_LONG}"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "phat-hanh-lo-xong-man-hinh-hep")
    context.close()
    assert not page.errors, page.errors


def test_the_month_page_names_the_tong_hop_version_a_change_replaces(page, site, tmp_path):
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, site, "anh", "/phat-hanh-lo")
    fill(page, sheet(tmp_path, ROWS, "Tháng 4.xlsx"), 4)
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(page.locator("#batch-count")).to_have_text("Đã phát hành 2/2 phiếu, 0 lỗi",
                                                      timeout=DONE_WAIT)
    month = f"{site.url}/don-vi/noi-vu/2026/4"
    page.goto(month)
    section = page.locator("#tong-hop")
    section.get_by_label("Họ tên thủ trưởng").fill("Trần Văn Bình")
    section.get_by_role("button", name="Lập phiếu tổng hợp từ hồ sơ").click()
    expect(page.locator(".flash-ok")).to_contain_text("Đã lưu phiếu tổng hợp tháng 04/2026",
                                                      timeout=DONE_WAIT)

    page.goto(month)
    expect(section).to_contain_text("Lập lại với số liệu đã thay đổi sẽ thành bản 2, thay bản 1 "
                                    "(bản cũ vẫn được giữ); số liệu không đổi thì không tạo bản "
                                    "mới.")
    again = section.get_by_role("button", name="Lập lại phiếu tổng hợp (thay bản 1 nếu số liệu "
                                                "đã đổi)")
    shot(page, "don-vi-tong-hop-lap-lai")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    section.scroll_into_view_if_needed()
    shot(page, "don-vi-tong-hop-lap-lai-man-hinh-hep")
    page.set_viewport_size({"width": 1366, "height": 768})
    section.get_by_label("Họ tên thủ trưởng").fill("Trần Văn Bình")
    again.click()
    expect(page.locator(".flash-ok")).to_contain_text(
        "Phiếu tổng hợp tháng 04/2026 không đổi so với bản 1 đã phát hành", timeout=DONE_WAIT)

    page.goto(month)
    section.get_by_label("Họ tên thủ trưởng").fill("Lê Văn Khác")
    again.click()
    expect(page.locator(".flash-ok")).to_contain_text(", bản 2, thay bản 1.", timeout=DONE_WAIT)
    expect(page.locator("table.versions tbody tr")).to_have_count(2)


def test_a_date_that_does_not_exist_is_refused_before_sending(page, site, tmp_path):
    log_in(page, site, "anh", "/phat-hanh-lo")
    fill(page, sheet(tmp_path, ROWS), 10)
    page.get_by_role("textbox", name="Ngày ký").fill("31022026")
    page.get_by_role("button", name="Phát hành cả lô").click()
    expect(page.get_by_role("alert")).to_have_text("Ngày ký: 31/02/2026 không phải ngày có thật")
    expect(page.get_by_role("textbox", name="Ngày ký")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(f"{site.url}/phat-hanh-lo")
