"""The web pages in a real browser: Playwright driving Debian's chromium against the service on
127.0.0.1, with the real LibreOffice behind it. Screenshots go to test-artifacts/."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from browser import field, served, shot
from playwright.sync_api import expect

from conftest import pdf_pages, squash


@pytest.fixture(scope="module")
def server(app):
    with served(app) as url:
        yield url


def fill_header(page, *, name="Phạm Thu Hà"):
    field(page, "unit.name").fill("Phòng Tài chính - Kế hoạch")
    field(page, "unit.parent").fill("Ủy ban nhân dân quận Nam Từ Liêm")
    field(page, "signed_on").fill("2026-11-24")
    field(page, "period.month").select_option("11")
    field(page, "period.year").fill("2026")
    if name:
        field(page, "person.full_name").fill(name)


def add_item(page, section, content, result):
    page.locator(f'[data-add="sections.{section}"]').click()
    items = page.locator(f'[data-list="sections.{section}"] > li')
    index = items.count() - 1
    field(page, f"sections.{section}.{index}.content").fill(content)
    field(page, f"sections.{section}.{index}.self.result").fill(result)
    return index


def download(page, action):
    with page.expect_download() as info:
        page.locator(f'[data-action="{action}"]').click()
    return info.value


def test_home_page_links_both_forms(page, server):
    page.goto(server + "/")
    expect(page.get_by_role("link", name="Phiếu số 01").first).to_be_visible()
    expect(page.get_by_role("link", name="Phiếu tổng hợp").first).to_be_visible()
    shot(page, "trang-chu")


def test_fill_phieu_01_preview_and_download_the_pdf(page, server):
    page.goto(server + "/phieu-01")
    fill_header(page)
    add_item(page, "political", "Chấp hành giờ giấc làm việc", "Đến muộn 01 buổi & <về sớm>")
    field(page, "sections.political.0.self.identification.level").select_option(
        "khong_thuong_xuyen")
    field(page, "sections.political.0.self.identification.detail").fill("thời giờ làm việc")
    field(page, "sections.political.0.self.remedy_status").select_option("fixed_in_time")
    add_item(page, "tasks", "Báo cáo quý IV", "Chậm 02 ngày")
    field(page, "monthly_rating").select_option("hoan_thanh_tot")
    field(page, "identification_rating").select_option("tot")
    # The rules' suggestion and warning appear beside the choice while filling in.
    expect(page.locator("#advice")).to_contain_text("Trung bình")
    expect(page.locator("#advice")).to_contain_text("I-1")

    page.locator('[data-action="preview"]').click()
    expect(page.locator("#preview")).to_be_visible()
    expect(page.locator("#preview")).to_have_attribute("src", re.compile(r"^blob:"))
    expect(page.locator("#actions")).to_be_in_viewport()  # the bar stays in sight of the preview
    shot(page, "phieu-01-xem-truoc")

    pdf = download(page, "pdf")
    assert pdf.suggested_filename == "Phiếu 01 - Phạm Thu Hà - tháng 11-2026.pdf"
    text = squash("\n".join(pdf_pages(Path(pdf.path()).read_bytes())))
    for value in ("Phạm Thu Hà", "PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Chấp hành giờ giấc làm việc",
                  "Đến muộn 01 buổi & <về sớm>", "Báo cáo quý IV", "Chậm 02 ngày",
                  "Hoàn thành tốt nhiệm vụ", "Nam Từ Liêm, ngày 24 tháng 11 năm 2026"):
        assert squash(value) in text, value

    word = download(page, "docx")
    assert word.suggested_filename.endswith(".docx")


def test_an_error_sits_beside_its_field_and_nothing_typed_is_lost(page, server):
    page.goto(server + "/phieu-01")
    fill_header(page, name="")
    add_item(page, "competence", "Kỹ năng soạn thảo văn bản", "Cần cải thiện")
    page.locator('[data-action="pdf"]').click()
    message = page.locator('[id="e-person.full_name"]')
    expect(message).to_be_visible()
    expect(message).to_have_text("Họ và tên: không được để trống")
    expect(field(page, "person.full_name")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "person.full_name")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Họ và tên")
    expect(field(page, "unit.name")).to_have_value("Phòng Tài chính - Kế hoạch")
    expect(field(page, "sections.competence.0.content")).to_have_value("Kỹ năng soạn thảo văn bản")
    shot(page, "phieu-01-loi")


def test_a_reload_restores_the_draft(page, server):
    page.goto(server + "/phieu-01")
    fill_header(page, name="Đoàn Minh Khôi")
    add_item(page, "other", "Nội dung do cấp trên chỉ ra", "Đã thực hiện")
    page.wait_for_timeout(800)  # the draft is stored after a pause in typing
    page.reload()
    expect(field(page, "person.full_name")).to_have_value("Đoàn Minh Khôi")
    expect(field(page, "period.month")).to_have_value("11")
    expect(field(page, "sections.other.0.content")).to_have_value("Nội dung do cấp trên chỉ ra")
    expect(page.locator("#status")).to_contain_text("khôi phục bản nháp")


def test_script_like_input_shows_as_text(page, server):
    page.goto(server + "/phieu-01")
    fill_header(page, name="<script>alert(1)</script>")
    field(page, "period.year").fill("1999")
    page.locator('[data-action="pdf"]').click()
    expect(page.locator('[id="e-period.year"]')).to_contain_text("Năm: phải từ 2023 đến 2100")
    expect(field(page, "person.full_name")).to_have_value("<script>alert(1)</script>")


def xlsx_rows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["TT", "Họ tên", "Đánh giá kết quả thực hiện", "Tồn tại", "Nguyên nhân",
                  "Kết quả khắc phục", "Nhận diện biểu hiện", "Tốt", "TB", "Kém"])
    sheet.append([1, "Trần Văn Bình", "Hoàn thành tốt", "Không", None, None, "Không có biểu hiện",
                  "X", None, None])
    sheet.append([2, "Nguyễn Thị Ngọc Ánh", "Hoàn thành", "02 buổi muộn", "Chủ quan",
                  "Đã khắc phục", "Không thường xuyên", None, "x", None])
    sheet.append([3, "Lê Minh Đức", "Hoàn thành", "Hồ sơ quá hạn", "Chưa chủ động",
                  "Chưa khắc phục", "Thường xuyên", None, None, "X"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_tong_hop_from_an_xlsx_file(page, server, tmp_path):
    page.goto(server + "/tong-hop")
    fill_header(page, name=None)
    field(page, "head_name").fill("Trần Văn Bình")
    sheet = tmp_path / "danh-sach.xlsx"
    sheet.write_bytes(xlsx_rows())
    page.locator("#import-file").set_input_files(str(sheet))
    expect(page.locator("#rows > tr")).to_have_count(3)
    expect(field(page, "rows.1.full_name")).to_have_value("Nguyễn Thị Ngọc Ánh")
    expect(page.locator("#totals")).to_contain_text("Tốt 1 · TB 1 · Kém 1")
    shot(page, "tong-hop-nhap-bang")

    pdf = download(page, "pdf")
    text = squash("\n".join(pdf_pages(Path(pdf.path()).read_bytes())))
    for value in ("Trần Văn Bình", "Nguyễn Thị Ngọc Ánh", "Lê Minh Đức", "02 buổi muộn"):
        assert squash(value) in text, value


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_vietnamese(page, server, tmp_path):
    page.goto(server + "/tong-hop")
    bogus = tmp_path / "anh.xlsx"
    bogus.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    page.locator("#import-file").set_input_files(str(bogus))
    expect(page.locator("#import-error")).to_be_visible()
    expect(page.locator("#import-error")).to_contain_text("không phải")


def test_narrow_screen_has_no_sideways_page(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.goto(server + "/phieu-01")
    page.locator('[data-add="sections.political"]').click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    shot(page, "phieu-01-man-hinh-hep")
    context.close()


def test_keyboard_alone_reaches_the_actions(page, server):
    page.goto(server + "/phieu-01")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.action") == "preview":
            break
    assert page.evaluate("document.activeElement.dataset.action") == "preview"
