"""The page «Mẫu phiếu» in a real browser (chromium): a secretariat's person uploads a template
with a mistake and reads where it is, uploads the corrected one, sees the preview and activates
it; no script error, no CSP refusal (the preview is a frame of this site's own PDF)."""

from browser import served, shot
from test_installed_templates import edited, secretariat_edit

from conftest import PASSWORD


def test_a_person_corrects_a_template_previews_and_activates_it(archive, page, tmp_path):
    wrong = tmp_path / "mau-sai.docx"
    wrong.write_bytes(edited("tong-hop", ("{{ row.full_name }}", "{{ row.full_name }")))
    right = tmp_path / "mau-tong-hop.docx"
    right.write_bytes(secretariat_edit("tong-hop"))
    with served(archive.app) as base:
        page.goto(f"{base}/dang-nhap?next=/mau-phieu")
        page.fill('[name="username"]', "secretariat")
        page.fill('[name="password"]', PASSWORD)
        page.click('button[type="submit"]')
        page.wait_for_url(f"{base}/mau-phieu")
        assert page.locator("nav a", has_text="Mẫu phiếu").count() == 1

        page.select_option("#template-form", "tong-hop")
        page.set_input_files("#template-file", str(wrong))
        page.click("form.upload button[type=submit]")
        problems = page.locator(".problems li")
        assert problems.count() == 1
        assert problems.first.inner_text().startswith(
            "Thẻ chưa đóng hoặc thiếu dấu ngoặc ở bảng 2, hàng 4, ô 2: «{{ row.full_name }»")
        shot(page, "mau-phieu-loi")

        page.set_input_files("#template-file", str(right))
        page.click("form.upload button[type=submit]")
        assert "Mẫu đạt: Phiếu tổng hợp, cho toàn đảng bộ" in page.inner_text(".verdict")
        frames = page.locator("iframe.pdf-preview")
        assert frames.count() == 2
        shot(page, "mau-phieu-xem-truoc")
        page.click("button:has-text(\"Kích hoạt mẫu này\")")
        page.wait_for_url(f"{base}/mau-phieu")
        assert "Đã kích hoạt Phiếu tổng hợp bản 1 cho toàn đảng bộ" in page.inner_text("main")
        shot(page, "mau-phieu-da-kich-hoat")
