"""End to end through the API with the real LibreOffice: what a district official holds in hand."""

import io
import re
import unicodedata
from datetime import date

import docx
import pytest
from pypdf import PdfReader

from conftest import example, pdf_pages, squash, string_leaves
from forms import wording as W
from forms.tong_hop_columns import HEAD, RATING_TITLE
from forms.vocab import IDENTIFICATION_RATINGS, MONTHLY_RATINGS

A4_LANDSCAPE = (842, 595)  # points, rounded
SLUGS = set(MONTHLY_RATINGS) | set(IDENTIFICATION_RATINGS) | {
    "khong_co", "chua_ro", "khong_thuong_xuyen", "thuong_xuyen", "fixed_in_time", "not_fixed"}
PHIEU_01_LABELS = [W.PHIEU_01_TITLE, W.PHIEU_01_SUBTITLE, W.PARTY_HEADER, "TT", "Nội dung",
                   W.SELF_BLOCK, W.AUTHORITY_BLOCK, *W.ASSESSMENT_COLUMNS, "Ghi chú",
                   W.MONTHLY_RATING_LINE, W.IDENTIFICATION_RATING_LINE, W.HEAD_CONFIRMATION,
                   W.PERSON_SIGNATURE, W.SIGN_HINT, "Họ và tên:", "Đơn vị:",
                   "Nhóm tiêu chí về chính trị tư tưởng", "Năng lực và kỹ năng",
                   "Việc thực hiện những tồn tại, hạn chế đã được chỉ ra",
                   "Những nội dung khác do cấp có thẩm quyền chỉ ra"]
TONG_HOP_LABELS = [W.TONG_HOP_TITLE, W.PARTY_HEADER, *(title for title, _columns in HEAD),
                   "Tốt", "TB", "Kém", W.UNIT_HEAD_SIGNATURE, W.UNIT_HEAD_SIGN_HINT]


def post_pdf(client, form, body):
    response = client.post(f"/api/v1/{form}", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    return response.data


def assert_a4_landscape(data):
    for page in PdfReader(io.BytesIO(data)).pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == A4_LANDSCAPE


def embedded_fonts(data):
    """(base font name, embedded?) for every font the PDF's pages use."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def assert_fonts_embedded_serif(data):
    fonts = embedded_fonts(data)
    assert fonts, "no fonts found"
    for name, embedded in fonts.items():
        assert embedded, f"{name} is not embedded"
        assert "DejaVu" not in name
        assert re.search(r"LiberationSerif|TimesNewRoman", name), name


def assert_holds(text, values):
    flat = squash(text)
    missing = [v for v in values if squash(v) not in flat]
    assert not missing, f"missing from the PDF: {missing}"


def printed_values(body):
    """The input's strings as the form prints them: enum slugs become labels (checked apart),
    the date becomes the date line, the issuing bodies print in capitals (the tổng hợp has no
    "Đơn vị:" line, so its unit shows only there)."""
    unit = body["unit"]
    upper = [unit["parent"]] + ([unit["name"]] if "rows" in body else [])
    skip = SLUGS | {body["signed_on"], *upper}
    return [v for v in string_leaves(body) if v not in skip] + [v.upper() for v in upper]


def test_phieu_01_pdf_holds_every_value_in_the_official_layout(client):
    body = example("phieu-01")
    data = post_pdf(client, "phieu-01", body)
    pages = pdf_pages(data)
    text = "\n".join(pages)

    assert_holds(text, printed_values(body))
    assert_holds(text, PHIEU_01_LABELS)
    assert "Nam Từ Liêm, ngày 24 tháng 11 năm 2026" in text
    assert "Tháng 11/2026" in text
    assert "ỦY BAN NHÂN DÂN QUẬN NAM TỪ LIÊM" in text and "PHÒNG NỘI VỤ" in text
    # Enum slugs print as the guidance's labels; the identification completes footnote 4's wording.
    assert_holds(text, ["Hoàn thành tốt nhiệm vụ", "Trung bình",
                        "Có biểu hiện nhưng không thường xuyên ở nội dung chấp hành thời giờ",
                        "Đã khắc phục kịp thời"])
    # Footnotes 2–7 with the guidance's text (its slips corrected).
    for paragraphs in W.FOOTNOTES.values():
        assert_holds(text, paragraphs)
    assert "CÔNG SẢN" not in text and "không thành công" not in text
    assert_a4_landscape(data)
    assert_fonts_embedded_serif(data)
    assert len(pages) >= 2


def test_tong_hop_pdf_marks_each_level_and_counts_them(client):
    body = example("tong-hop")
    data = post_pdf(client, "tong-hop", body)
    text = "\n".join(pdf_pages(data))
    assert_holds(text, printed_values(body))
    assert_holds(text, TONG_HOP_LABELS)
    assert "Nam Từ Liêm, ngày 26 tháng 11 năm 2026" in text
    assert text.count("X") >= 4  # one mark per row
    assert re.search(r"Cộng\s*2\s*1\s*1", text), text  # Tốt, TB, Kém totals
    assert_a4_landscape(data)
    assert_fonts_embedded_serif(data)


@pytest.mark.parametrize("form, labels", [("phieu-01", PHIEU_01_LABELS),
                                          ("tong-hop", TONG_HOP_LABELS)])
def test_blank_forms_have_dotted_lines_and_every_label(client, form, labels):
    response = client.get(f"/api/v1/{form}/blank")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "\n".join(pdf_pages(response.data))
    assert_holds(text, labels)
    assert re.search(r"Nam Từ Liêm, ngày \.{5} tháng \.{5} năm 20\.{3}(?!\.)", text)
    assert "Tháng ...../20...." in text
    assert "ĐƠN VỊ....." in text
    if form == "phieu-01":
        assert re.search(r"Họ và tên: \.{20,}", text)
        assert re.search(r"Đơn vị: \.{20,}", text)
    assert_a4_landscape(response.data)
    assert_fonts_embedded_serif(response.data)


@pytest.mark.parametrize("form", ["phieu-01", "tong-hop"])
def test_docx_output_reads_back_with_the_same_text(client, form):
    body = example(form)
    response = client.post(f"/api/v1/{form}?format=docx", json=body)
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs) + "\n" + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert_holds(text, printed_values(body))
    assert "{{" not in text and "{%" not in text  # every template tag was filled
    assert document.core_properties.author == "Phòng Nội vụ"
    assert "tháng 11/2026" in document.core_properties.title


def test_pdf_metadata_comes_from_the_form(client):
    data = post_pdf(client, "phieu-01", example("phieu-01"))
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta.title == "Phiếu đánh giá, nhận diện - Nguyễn Thị Ngọc Ánh - tháng 11/2026"
    assert meta.author == "Phòng Nội vụ"
    assert meta.subject == "Phiếu số 01, tháng 11/2026"


@pytest.mark.parametrize("form", ["phieu-01", "tong-hop"])
def test_longest_names_allowed_fit_the_document_properties(client, form):
    # Found by the property tests: a 200-character name (or a 300-character unit) made the title
    # longer than python-docx's 255 characters, and a valid form a 500.
    body = example(form)
    body["unit"]["name"] = "Đơn vị " + "ễ" * 293
    if form == "phieu-01":
        body["person"]["full_name"] = "Nguyễn " + "ễ" * 193
    response = client.post(f"/api/v1/{form}?format=docx", json=body)
    assert response.status_code == 200, response.get_json()
    properties = docx.Document(io.BytesIO(response.data)).core_properties
    assert len(properties.author) == 255 and properties.author.endswith("ễ…")
    assert len(properties.title) <= 255
    meta = PdfReader(io.BytesIO(post_pdf(client, form, body))).metadata
    assert meta.author == properties.author


@pytest.mark.parametrize("length", [308, 320])
def test_a_long_word_in_a_narrow_column_is_not_cut_off(client, length):
    # Found by the long property run: 300 or 400 "A"s printed in full, 308 and 320 printed 306:
    # a row kept whole and nearly a page tall, which LibreOffice cut off. Such rows may split now.
    # The row may now continue on the next page, the word in two pieces around the repeated
    # head: every "A" must be printed, beyond those the form prints anyway.
    def a_count(word):
        body = {"unit": {"name": "0"}, "period": {"month": 1, "year": 2023},
                "rows": [{"full_name": "0", "remedy_result": word}]}
        pages = pdf_pages(post_pdf(client, "tong-hop", body))
        return sum(page.count("A") for page in pages), pages

    printed, pages = a_count("A" * length)
    baseline, _ = a_count("B")
    assert printed - baseline == length
    assert len(pages) == 2  # split, not moved to a page of its own


TRICKY = ["Tổ 1 & tổ 2 <ghi chú> \"trích\"", "{{ 7*7 }}", "{% for x in y %}lặp{% endfor %}",
          "<w:p>không phải XML</w:p>", "{%tr endfor %}"]


def test_markup_and_template_syntax_print_exactly_as_typed(client):
    body = example("phieu-01")
    body["person"]["full_name"] = "Nguyễn {{ 7*7 }} <b>Ánh</b> & cộng sự"
    body["sections"]["other"] = [{"content": text, "note": text} for text in TRICKY]
    data = post_pdf(client, "phieu-01", body)
    text = "\n".join(pdf_pages(data))
    assert_holds(text, TRICKY + ["Nguyễn {{ 7*7 }} <b>Ánh</b> & cộng sự"])
    assert "49" not in squash(text).replace("2026", "")


def test_nfd_input_prints_as_nfc(client):
    body = example("phieu-01")
    body["person"]["full_name"] = unicodedata.normalize("NFD", "Đặng Thị Thuỷ Tiên")
    text = "\n".join(pdf_pages(post_pdf(client, "phieu-01", body)))
    assert "Đặng Thị Thuỷ Tiên" in text


def test_newlines_in_a_value_print_as_line_breaks(client):
    body = example("phieu-01")
    body["sections"]["other"] = [{"content": "Dòng thứ nhất\nDòng thứ hai"}]
    response = client.post("/api/v1/phieu-01?format=docx", json=body)
    xml = docx.Document(io.BytesIO(response.data)).element.xml
    assert re.search(r"Dòng thứ nhất</w:t>\s*<w:br/>\s*<w:t[^>]*>Dòng thứ hai", xml)
    lines = "\n".join(pdf_pages(post_pdf(client, "phieu-01", body))).splitlines()
    assert any(line.strip().endswith("Dòng thứ nhất") for line in lines)


def test_a_very_long_word_is_not_cut_off(client):
    word = "Nhiệmvụ" * 40  # 280 characters, no space to wrap at
    body = example("tong-hop")
    body["rows"][0]["shortcomings"] = word
    text = "\n".join(pdf_pages(post_pdf(client, "tong-hop", body)))
    assert word in squash(text)


def test_forty_item_phieu_01_repeats_the_header_on_every_page(client):
    body = example("phieu-01")
    items = [{"content": f"Nhiệm vụ số {i}", "self": {"result": f"Kết quả {i}"}}
             for i in range(1, 41)]
    body["sections"]["tasks"] = items
    pages = pdf_pages(post_pdf(client, "phieu-01", body))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        if "Nhiệm vụ số" in page:  # a page of the table
            assert W.SELF_BLOCK in page and W.AUTHORITY_BLOCK in page, f"page {number}"
    text = "\n".join(pages)
    for i in range(1, 41):
        assert f"Nhiệm vụ số {i}\n" in text + "\n" or f"Nhiệm vụ số {i} " in text
        assert f"Kết quả {i}" in text
    # Page numbers from page 2 on (Nghị định 30), none on page 1.
    for number, page in enumerate(pages[1:], start=2):
        assert re.search(rf"(^|\n){number}\s*\n", page), f"no number on page {number}"
    assert not re.match(r"\s*1\s*\n", pages[0])


def test_three_hundred_row_tong_hop_repeats_the_header_on_every_page(client):
    body = example("tong-hop")
    body["rows"] = [{"full_name": f"Cán bộ số {i:03d}",
                     "rating": ("tot", "trung_binh", "kem")[i % 3]}
                    for i in range(1, 301)]
    pages = pdf_pages(post_pdf(client, "tong-hop", body))
    assert len(pages) > 5
    table_pages = [page for page in pages if "Cán bộ số" in page]
    assert len(table_pages) >= 5
    for page in table_pages:
        assert squash(RATING_TITLE) in squash(page) and "Họ tên" in page
    text = "\n".join(pages)
    assert all(f"Cán bộ số {i:03d}" in text for i in range(1, 301))
    assert re.search(r"Cộng\s*100\s*100\s*100", text)


def test_missing_optional_values_print_as_dotted_lines(client):
    body = {"unit": {"name": "Trường Tiểu học Mễ Trì"}, "period": {"month": 2, "year": 2026},
            "person": {"full_name": "Hoàng Văn Nam"}}
    text = "\n".join(pdf_pages(post_pdf(client, "phieu-01", body)))
    assert re.search(r"Nam Từ Liêm, ngày \.{5} tháng \.{5} năm 20\.{3}(?!\.)", text)
    assert "Tháng 02/2026" in text
    assert re.search(r"xếp loại tháng\s*6\s*: \.{20,}", text)
    assert "TRƯỜNG TIỂU HỌC MỄ TRÌ" in text


def test_date_line_uses_leading_zeros_for_early_days_and_months(client, app):
    body = example("phieu-01")
    body["signed_on"] = date(2026, 2, 5).isoformat()
    body["period"] = {"month": 1, "year": 2026}
    text = "\n".join(pdf_pages(post_pdf(client, "phieu-01", body)))
    assert "Nam Từ Liêm, ngày 05 tháng 02 năm 2026" in text
    assert "Tháng 01/2026" in text
