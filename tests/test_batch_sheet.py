"""A unit's Phiếu số 01 read from one sheet with one row per item (sheets/batch.py), and the
template it reads.

Every input is built here: openpyxl for .xlsx bytes (often the template itself, filled in),
csv.writer for text.
"""

import copy
import csv
import io
import unicodedata

import pytest
from openpyxl import Workbook, load_workbook

from schemas.phieu_01 import Phieu01Schema
from sheets.batch import (
    COLUMNS,
    HEADERS,
    SpreadsheetError,
    batch_template_xlsx,
    parse_batch,
    read_batch,
    row_of,
)
from sheets.tong_hop import template_xlsx as tong_hop_template

COMMON = {
    "unit": {"name": "Phòng Nội vụ", "parent": "Ủy ban nhân dân quận Nam Từ Liêm"},
    "place": "Nam Từ Liêm",
    "signed_on": "2026-11-24",
    "period": {"month": 11, "year": 2026},
    "head_name": "Trần Văn Bình",
}
KEYS = list(HEADERS)  # the template's columns, in order
# The paper form's two-row head, as a user would type it (merged cells read as blanks).
HIGH = ["TT", "Họ và tên", "Chức vụ", "Mục", "Nội dung", "Cá nhân tự đánh giá", *[None] * 5,
        "Cấp có thẩm quyền đánh giá", *[None] * 5, "Ghi chú", "Kết quả đánh giá, xếp loại tháng",
        "Kết quả đánh giá, nhận diện biểu hiện"]
SUBS = ["Đánh giá kết quả thực hiện", "Nguyên nhân", "Nhận diện biểu hiện",
        "Nội dung có biểu hiện", "Phương hướng, giải pháp khắc phục", "Đã khắc phục kịp thời"]
LOW = [None] * 5 + SUBS + SUBS + [None] * 3
NOT_SPREADSHEET = "không phải bảng tính .xlsx hay .csv"


def row(**values):
    """A data row in the template's column order; keys as in HEADERS with "." written "__"."""
    values = {key.replace("__", "."): value for key, value in values.items()}
    assert set(values) <= set(KEYS), set(values) - set(KEYS)
    return [values.get(key) for key in KEYS]


AN = "Nguyễn Văn An"
BINH = "Lê Thị Bình"
ROWS = [
    row(index=1, full_name=AN, position="Chuyên viên", section="I",
        content="Chấp hành giờ giấc làm việc", self__result="Đến muộn 02 buổi",
        self__cause="Chủ quan", self__level="Có biểu hiện nhưng không thường xuyên ở nội dung",
        self__detail="chấp hành thời giờ làm việc", self__remedy="Đến sớm hơn",
        self__remedy_status="có", authority__result="Thống nhất", authority__level="khong_co",
        authority__remedy_status="không", note="Đã nhắc nhở",
        monthly_rating="Hoàn thành tốt nhiệm vụ", identification_rating="Trung bình"),
    row(index=2, full_name=BINH, position="Phó Trưởng phòng", section="II.2",
        content="Tham mưu báo cáo quý IV", self__result="Chậm 02 ngày",
        self__level="chưa rõ", self__detail="phối hợp",
        monthly_rating="hoan_thanh", identification_rating="Tốt"),
    row(index=3, full_name=AN, section="II.1.", content="Soạn thảo văn bản",
        authority__cause="Chưa rà soát kỹ", authority__remedy="Rà soát trước khi trình"),
    row(index=4, full_name=AN, section="Mục IV", content="Nội dung khác",
        monthly_rating="hoàn thành tốt"),
]


def xlsx(rows, merges=(), title="Phiếu 01", other_sheets=()):
    """Row i of `rows` is the sheet's row i + 1; None leaves a cell empty."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    _fill(sheet, rows)
    for cells in merges:
        sheet.merge_cells(cells)
    for name, more in other_sheets:
        _fill(workbook.create_sheet(name), more)
    return _saved(workbook)


def _fill(sheet, rows):
    for row_number, cells in enumerate(rows, start=1):
        for column, value in enumerate(cells, start=1):
            if value is not None:
                sheet.cell(row=row_number, column=column, value=value)


def _saved(workbook):
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def filled_template(rows, start=4):
    """The downloaded template with `rows` typed from sheet row `start` (the example stays)."""
    workbook = load_workbook(io.BytesIO(batch_template_xlsx()))
    sheet = workbook.worksheets[0]
    for offset, cells in enumerate(rows):
        for column, value in enumerate(cells, start=1):
            if value is not None:
                sheet.cell(row=start + offset, column=column, value=value)
    return _saved(workbook)


def delimited(rows, delimiter=","):
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if value is None else value for value in cells] for cells in rows)
    return output.getvalue()


def validated(forms):
    schema = Phieu01Schema()
    return [schema.load(form) for form in forms]


def error(data, filename="bang.xlsx"):
    """The SpreadsheetError parse_batch raises; every message NFC."""
    with pytest.raises(SpreadsheetError) as caught:
        parse_batch(filename, data, COMMON)
    raised = caught.value
    assert str(raised) == raised.message
    for text in (raised.message, *raised.problems):
        assert text == unicodedata.normalize("NFC", text)
    return raised


EXPECTED_AN = {
    **COMMON,
    "person": {"full_name": AN, "position": "Chuyên viên"},
    "sections": {
        "political": [{
            "content": "Chấp hành giờ giấc làm việc",
            "self": {"result": "Đến muộn 02 buổi", "cause": "Chủ quan",
                     "identification": {"level": "khong_thuong_xuyen",
                                        "detail": "chấp hành thời giờ làm việc"},
                     "remedy": "Đến sớm hơn", "remedy_status": "fixed_in_time"},
            "authority": {"result": "Thống nhất", "identification": {"level": "khong_co"},
                          "remedy_status": "not_fixed"},
            "note": "Đã nhắc nhở"}],
        "competence": [{"content": "Soạn thảo văn bản",
                        "authority": {"cause": "Chưa rà soát kỹ",
                                      "remedy": "Rà soát trước khi trình"}}],
        "other": [{"content": "Nội dung khác"}],
    },
    "monthly_rating": "hoan_thanh_tot",
    "identification_rating": "trung_binh",
}
EXPECTED_BINH = {
    **COMMON,
    "person": {"full_name": BINH, "position": "Phó Trưởng phòng"},
    "sections": {"tasks": [{
        "content": "Tham mưu báo cáo quý IV",
        "self": {"result": "Chậm 02 ngày",
                 "identification": {"level": "chua_ro", "detail": "phối hợp"}}}]},
    "monthly_rating": "hoan_thanh",
    "identification_rating": "tot",
}


def test_the_filled_template_gives_the_forms_in_the_api_shape():
    forms = parse_batch("phieu.xlsx", filled_template(ROWS), COMMON)
    assert forms == [EXPECTED_AN, EXPECTED_BINH]
    loaded = validated(forms)
    assert [form["person"]["full_name"] for form in loaded] == [AN, BINH]
    assert loaded[0]["sections"]["political"][0]["self"]["identification"]["level"] == (
        "khong_thuong_xuyen")
    assert loaded[0]["period"] == {"month": 11, "year": 2026}
    assert str(loaded[1]["signed_on"]) == "2026-11-24"


def test_a_hand_made_sheet_with_the_two_row_head_reads_the_same():
    merges = ["F1:K1", "L1:Q1", *(f"{c}1:{c}2" for c in "ABCDERST")]
    assert parse_batch("a.xlsx", xlsx([HIGH, LOW, *ROWS], merges), COMMON) == [
        EXPECTED_AN, EXPECTED_BINH]


def test_one_row_of_prefixed_names_reads_the_same():
    header = [name if "." not in key else name.replace(": ", " - ")
              for key, name in HEADERS.items()]
    header = [name.upper() if n % 3 == 0 else name for n, name in enumerate(header)]
    assert "CÁ NHÂN TỰ ĐÁNH GIÁ - NGUYÊN NHÂN" in header
    assert parse_batch("a.xlsx", xlsx([header, *ROWS]), COMMON) == [EXPECTED_AN, EXPECTED_BINH]


def test_short_names_in_any_case_without_accents():
    header = ["stt", "ho ten", "Muc", "noi dung", "Tự đánh giá: kết quả",
              "cap co tham quyen: khac phuc", "Xếp loại tháng", "KET QUA NHAN DIEN"]
    rows = [header, [1, AN, "I", "Giờ giấc", "Muộn", "Nhắc nhở", "Hoàn thành", "kém"]]
    assert parse_batch("a.xlsx", xlsx(rows), COMMON) == [{
        **COMMON, "person": {"full_name": AN},
        "sections": {"political": [{"content": "Giờ giấc", "self": {"result": "Muộn"},
                                    "authority": {"remedy": "Nhắc nhở"}}]},
        "monthly_rating": "hoan_thanh", "identification_rating": "kem"}]


def test_csv_utf8_with_a_bom_and_semicolons():
    text = delimited([HIGH, LOW, *ROWS])
    assert parse_batch("a.csv", text.encode("utf-8-sig"), COMMON) == [EXPECTED_AN, EXPECTED_BINH]
    text = delimited([HIGH, LOW, *ROWS], ";")
    assert parse_batch("a.csv", text.encode("utf-8"), COMMON) == [EXPECTED_AN, EXPECTED_BINH]
    assert parse_batch("a.txt", text.encode("utf-16"), COMMON) == [EXPECTED_AN, EXPECTED_BINH]


def test_csv_not_in_utf8_is_told_to_use_utf8():
    data = b"Ho\xf2 va\xcc t\xean,Mu\xf2c\r\nNguy\xea\xden V\xe3n An,I\r\n"  # Windows-1258
    assert data.decode("cp1258").startswith("Ho")
    message = error(data, "a.csv").message
    assert "UTF-8" in message and NOT_SPREADSHEET not in message


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),  # old binary .xls
    "<html><body><table><tr><td>Họ và tên</td></tr></table></body></html>".encode(),
], ids=["pdf", "png", "xls", "html"])
def test_other_files_are_not_spreadsheets(data):
    assert NOT_SPREADSHEET in error(data, "phieu.xlsx").message


def test_empty_file_and_empty_sheets():
    assert "rỗng" in error(b"").message
    assert parse_batch("a.xlsx", xlsx([]), COMMON) == []
    assert parse_batch("a.xlsx", xlsx([HIGH, LOW]), COMMON) == []
    assert parse_batch("a.csv", b"\r\n,,\r\n", COMMON) == []
    # The template as downloaded: its example row is not a form.
    assert parse_batch("mau.xlsx", batch_template_xlsx(), COMMON) == []


def test_rows_are_grouped_by_person_whatever_the_case_spaces_or_unicode_form():
    variants = [AN, unicodedata.normalize("NFD", AN), "  nguyễn  văn AN ", "NGUYỄN VĂN AN"]
    rows = [row(full_name=name, section="II.2", content=f"Việc {n}")
            for n, name in enumerate(variants)]
    rows.insert(2, row(full_name=BINH, section="I", content="Việc của Bình"))
    forms = parse_batch("a.xlsx", xlsx([HIGH, LOW, *rows]), COMMON)
    assert [form["person"]["full_name"] for form in forms] == [AN, BINH]  # first spelling, NFC
    assert [item["content"] for item in forms[0]["sections"]["tasks"]] == [
        "Việc 0", "Việc 1", "Việc 2", "Việc 3"]
    # Accents still tell people apart, as in the archive.
    rows = [row(full_name="Lê Thị Hà", section="I", content="a"),
            row(full_name="Lê Thị Hạ", section="I", content="b")]
    assert len(parse_batch("a.xlsx", xlsx([HIGH, LOW, *rows]), COMMON)) == 2


def test_first_appearance_order_and_a_person_without_items():
    rows = [row(full_name="Cù Văn C", monthly_rating="Hoàn thành xuất sắc nhiệm vụ",
                identification_rating="Tốt"),
            row(full_name=BINH, section="III", content="Lưu trữ hồ sơ"),
            row(full_name="Cù Văn C")]
    forms = parse_batch("a.csv", delimited([HIGH, LOW, *rows]).encode(), COMMON)
    assert forms == [
        {**COMMON, "person": {"full_name": "Cù Văn C"}, "sections": {},
         "monthly_rating": "hoan_thanh_xuat_sac", "identification_rating": "tot"},
        {**COMMON, "person": {"full_name": BINH},
         "sections": {"prior_shortcomings": [{"content": "Lưu trữ hồ sơ"}]}}]
    validated(forms)


@pytest.mark.parametrize("value, key", [
    ("I", "political"), ("i", "political"), ("I.", "political"), ("Mục I", "political"),
    ("II.1", "competence"), ("II.1.", "competence"), ("ii.1", "competence"),
    ("II.2", "tasks"), ("III", "prior_shortcomings"), ("IV", "other"), ("iv.", "other"),
    ("political", "political"), ("prior_shortcomings", "prior_shortcomings"),
    ("Năng lực và kỹ năng", "competence"),
])
def test_section_numbers_and_keys(value, key):
    forms = parse_batch("a.xlsx", xlsx([HIGH, LOW, row(full_name=AN, section=value,
                                                       content="x")]), COMMON)
    assert forms[0]["sections"] == {key: [{"content": "x"}]}


def test_unknown_section_is_a_row_error():
    rows = [HIGH, LOW, ROWS[0], row(full_name=AN, section="V", content="x"),
            row(full_name=AN, section="II", content="y"),
            row(full_name=AN, content="z")]
    raised = error(xlsx(rows))
    assert raised.problems == [
        "Dòng 4: «Mục» ghi «V», không có trong phiếu; hãy ghi một trong: I, II.1, II.2, III, IV.",
        "Dòng 5: mục II chỉ là tên nhóm; hãy ghi II.1 (Năng lực và kỹ năng) hoặc II.2 "
        "(thực hiện nhiệm vụ).",
        "Dòng 6: chưa ghi «Mục» (I, II.1, II.2, III, IV) cho nội dung này.",
    ]
    assert raised.message.startswith("Bảng có 3 lỗi; hãy sửa rồi tải lên lại:\nDòng 4: ")


def test_disagreeing_ratings_are_a_row_error():
    rows = [HIGH, LOW, ROWS[0],
            row(full_name=AN, section="I", content="x", monthly_rating="hoan_thanh_tot",
                identification_rating="TB", position="chuyên  viên"),  # the same, written otherwise
            row(full_name=AN, section="I", content="y", monthly_rating="Hoàn thành nhiệm vụ"),
            row(full_name=AN, identification_rating="Kém", position="Trưởng phòng")]
    problems = error(xlsx(rows)).problems
    assert problems == [
        "Dòng 5: «Kết quả đánh giá, xếp loại tháng» của Nguyễn Văn An ghi «Hoàn thành nhiệm vụ», "
        "khác với «Hoàn thành tốt nhiệm vụ» ở dòng 3; mỗi người chỉ có một giá trị (ghi ở dòng "
        "đầu tiên của người đó là đủ).",
        "Dòng 6: «Chức vụ» của Nguyễn Văn An ghi «Trưởng phòng», khác với «Chuyên viên» ở dòng 3;"
        " mỗi người chỉ có một giá trị (ghi ở dòng đầu tiên của người đó là đủ).",
    ]


def test_values_outside_the_vocabularies_are_row_errors():
    rows = [HIGH, LOW,
            row(full_name=AN, section="I", self__level="Có biểu hiện nhiều"),
            row(full_name=AN, section="I", authority__remedy_status="chắc vậy"),
            row(full_name=BINH, monthly_rating="Xuất sắc"),
            row(content="Không tên", section="I")]
    problems = error(xlsx(rows)).problems
    assert problems[0].startswith("Dòng 3: «Cá nhân tự đánh giá: Nhận diện biểu hiện» ghi «Có "
                                  "biểu hiện nhiều», không phải giá trị của mẫu; chọn một trong: "
                                  "Không có biểu hiện; ")
    assert problems[1] == ("Dòng 4: «Cấp có thẩm quyền đánh giá: Đã khắc phục kịp thời» ghi "
                           "«chắc vậy»; hãy ghi «có» hoặc «không» (hoặc để trống).")
    assert problems[2].startswith("Dòng 5: «Kết quả đánh giá, xếp loại tháng» ghi «Xuất sắc»")
    assert problems[3].startswith("Dòng 6: chưa có «Họ và tên»")


@pytest.mark.parametrize("value, status", [
    ("có", "fixed_in_time"), ("Có", "fixed_in_time"), ("co", "fixed_in_time"),
    ("x", "fixed_in_time"), ("✓", "fixed_in_time"), ("Đã khắc phục kịp thời", "fixed_in_time"),
    ("fixed_in_time", "fixed_in_time"), ("không", "not_fixed"), ("KHONG", "not_fixed"),
    ("chưa", "not_fixed"), ("Chưa khắc phục", "not_fixed"), ("not_fixed", "not_fixed"),
])
def test_remedied_in_time_yes_or_no(value, status):
    forms = parse_batch("a.xlsx", xlsx([HIGH, LOW, row(full_name=AN, section="I",
                                                       self__remedy_status=value)]), COMMON)
    assert forms[0]["sections"]["political"][0]["self"]["remedy_status"] == status


def test_many_row_errors_are_all_kept_and_the_message_lists_twenty():
    rows = [HIGH, LOW, *(row(full_name=AN, section="VI", content=str(n)) for n in range(30))]
    raised = error(xlsx(rows))
    assert len(raised.problems) == 30
    lines = raised.message.split("\n")
    assert lines[0] == "Bảng có 30 lỗi; hãy sửa rồi tải lên lại:"
    assert lines[1].startswith("Dòng 3: ") and lines[20].startswith("Dòng 22: ")
    assert lines[21] == "… và 10 lỗi khác."


def test_500_rows():
    rows = [row(index=n + 1, full_name=f"Người số {n % 50}", section=["I", "II.1", "II.2", "III",
                                                                        "IV"][n % 5],
                content=f"Nội dung {n}", self__result=f"Kết quả {n}",
                self__level="khong_co", authority__remedy_status="có")
            for n in range(500)]
    forms = parse_batch("a.xlsx", filled_template(rows), COMMON)
    assert len(forms) == 50
    assert sum(len(items) for form in forms for items in form["sections"].values()) == 500
    assert forms[7]["person"]["full_name"] == "Người số 7"
    assert [item["content"] for item in forms[7]["sections"]["tasks"]] == [
        f"Nội dung {n}" for n in range(500) if n % 50 == 7 and n % 5 == 2]
    validated(forms)


def test_template_markup_and_xml_characters_pass_as_plain_text():
    texts = ["{{ person.full_name }}", "{% for x in y %}{{ x }}{% endfor %}", "A & B <b>c</b>",
             "{%p if 1 %}", "]]>&amp;<!--"]
    rows = [row(full_name="Trần <Văn> & {{ C }}", section="I", content=text, self__cause=text,
                note=text) for text in texts]
    for data in (filled_template(rows), delimited([HIGH, LOW, *rows]).encode()):
        forms = parse_batch("a.xlsx", data, COMMON)
        assert forms[0]["person"]["full_name"] == "Trần <Văn> & {{ C }}"
        items = forms[0]["sections"]["political"]
        assert [item["content"] for item in items] == texts
        assert [item["self"]["cause"] for item in items] == texts
        validated(forms)


def test_every_string_is_nfc():
    nfd = unicodedata.normalize("NFD", "Chậm tiến độ, đã khắc phục")
    rows = [[unicodedata.normalize("NFD", name) if name else name for name in HIGH],
            [unicodedata.normalize("NFD", name) if name else name for name in LOW],
            row(full_name=unicodedata.normalize("NFD", "Đặng Thị Ửng"), section="I", content=nfd,
                self__level=unicodedata.normalize("NFD", "Không có biểu hiện"))]
    forms = parse_batch("a.csv", delimited(rows).encode(), COMMON)
    assert forms[0]["person"]["full_name"] == "Đặng Thị Ửng"
    assert forms[0]["sections"]["political"][0]["content"] == unicodedata.normalize("NFC", nfd)


def test_common_values_are_copied_into_each_form():
    forms = parse_batch("a.xlsx", xlsx([HIGH, LOW, *ROWS]), COMMON)
    forms[0]["unit"]["name"] = "Khác"
    assert forms[1]["unit"]["name"] == COMMON["unit"]["name"] == "Phòng Nội vụ"
    assert parse_batch("a.xlsx", xlsx([HIGH, LOW, *ROWS]), {})[0]["person"]["full_name"] == AN
    with pytest.raises(ValueError, match="person"):
        parse_batch("a.xlsx", xlsx([HIGH, LOW, *ROWS]), {**COMMON, "person": {}})


def test_schema_errors_can_be_told_by_sheet_row():
    rows = [HIGH, LOW, ROWS[0], ROWS[1], ROWS[2],
            row(full_name=AN, section="II.1", content="a" * 2001), ROWS[3]]
    read = read_batch("a.xlsx", xlsx([HIGH, LOW, *rows[2:]]), COMMON)
    forms, origins = [entry.form for entry in read], [entry.rows for entry in read]
    errors = Phieu01Schema().validate(forms[0])
    assert list(errors["sections"]["competence"]) == [1]
    assert row_of(origins[0], ["sections", "competence", 1, "content"]) == 6
    assert row_of(origins[0], "sections.political.0.self.cause") == 3
    assert row_of(origins[0], "monthly_rating") == 3
    assert row_of(origins[0], "person.full_name") == 3
    assert row_of(origins[0], "unit.name") == 3  # not from the sheet: the person's first row
    assert row_of(origins[1], "sections.tasks.0") == 4


def test_a_bad_value_refuses_only_its_persons_form_naming_its_row():
    rows = [HIGH, LOW, ROWS[0], row(full_name=AN, section="V", content="x"), ROWS[1],
            row(full_name=AN, monthly_rating="Xuất sắc"), ROWS[2]]
    read = read_batch("a.xlsx", xlsx(rows), COMMON)
    assert [entry.form["person"]["full_name"] for entry in read] == [
        ROWS[0][1], ROWS[1][1]]
    an, other = read
    assert an.problems[0] == (
        f"Dòng 4 ({AN}): «Mục» ghi «V», không có trong phiếu; hãy ghi một trong: I, II.1, II.2, "
        "III, IV.")
    assert an.problems[1].startswith(
        f"Dòng 6 ({AN}): «Kết quả đánh giá, xếp loại tháng» ghi «Xuất sắc», không phải giá trị "
        "của mẫu")
    assert len(an.problems) == 2
    assert other.problems == ()
    assert other.rows[""] == 5
    validated([other.form])  # the other person's form goes through whole
    # Taken whole, the same sheet is refused, naming both rows.
    assert [line[:7] for line in error(xlsx(rows)).problems] == ["Dòng 4:", "Dòng 6:"]


def test_a_row_of_nobody_refuses_the_sheet():
    rows = [HIGH, LOW, ROWS[0], row(section="I", content="x"), row(full_name=AN, section="V")]
    with pytest.raises(SpreadsheetError) as caught:
        read_batch("a.xlsx", xlsx(rows), COMMON)
    assert caught.value.problems[0].startswith("Dòng 4: chưa có «Họ và tên»")


def test_the_example_row_is_skipped_as_it_is_and_refused_once_edited():
    data = load_workbook(io.BytesIO(batch_template_xlsx()))
    sheet = data.worksheets[0]
    assert sheet["A3"].value == "Ví dụ"
    sheet["E3"] = "Nội dung thật của tôi"
    raised = error(_saved(data))
    assert raised.problems == [
        "Dòng 3: cột TT ghi «Ví dụ» như dòng ví dụ của mẫu, nhưng dòng đã được sửa. Nếu là dữ liệu "
        "thật, hãy xoá chữ «Ví dụ» ở cột TT; nếu không, hãy xoá cả dòng."]
    sheet["A3"] = 1
    assert parse_batch("a.xlsx", _saved(data), COMMON)[0]["sections"]["political"][0][
        "content"] == "Nội dung thật của tôi"


def test_missing_name_column():
    message = error(xlsx([["Mục", "Nội dung"], ["I", "x"]])).message
    assert "«Họ và tên»" in message and "dòng 1" in message


def test_unknown_header_lists_the_templates_columns():
    message = error(xlsx([["Họ và tên", "Điểm"], [AN, 5]])).message
    assert message.startswith("Cột «Điểm» (dòng 1) không có trong mẫu; các cột của mẫu: «TT», "
                              "«Họ và tên», «Chức vụ», «Mục», «Nội dung», sáu cột dưới")
    # A block's column without its block.
    message = error(xlsx([["Họ và tên", "Nguyên nhân"], [AN, "x"]])).message
    assert "chưa rõ là của «Cá nhân tự đánh giá» hay «Cấp có thẩm quyền đánh giá»" in message


def test_duplicated_column():
    message = error(xlsx([["Họ và tên", "Mục", "Xếp loại tháng", "xep loai"]])).message
    assert "«Kết quả đánh giá, xếp loại tháng» có hơn một lần" in message


def test_data_under_no_header():
    problems = error(xlsx([["Họ và tên", None, "Mục"], [AN, "?", "I"]])).problems
    assert problems == ["Dòng 2: có dữ liệu ở cột B nhưng cột này chưa có tên ở dòng tiêu đề."]


def test_the_tong_hop_sheet_is_the_wrong_sheet():
    message = error(tong_hop_template()).message
    assert "theo mẫu Phiếu tổng hợp" in message and "Phiếu số 01" in message


def test_the_sheet_named_phieu_01_is_read_else_the_first():
    rows = [HIGH, LOW, *ROWS]
    data = xlsx([["Hướng dẫn điền"]], title="Hướng dẫn", other_sheets=[("PHIEU 01", rows)])
    assert len(parse_batch("a.xlsx", data, COMMON)) == 2
    data = xlsx([["Hướng dẫn điền"]], title="Hướng dẫn", other_sheets=[("Tháng 11", rows)])
    message = error(data).message
    assert "«Hướng dẫn điền»" in message and "trang tính «Hướng dẫn»" in message
    assert "«Phiếu 01»" in message


def test_too_many_items_in_one_section_is_a_row_error():
    rows = [row(full_name=AN, section="I", content=str(n)) for n in range(101)]
    assert error(xlsx([HIGH, LOW, *rows])).problems == [
        "Dòng 103: Nguyễn Văn An đã có 100 nội dung ở mục I; một mục của phiếu có tối đa 100 "
        "dòng."]


def test_blank_numbered_and_section_only_rows_are_skipped():
    rows = [[], HIGH, LOW, [None, "  "], ROWS[0], [5], row(index=6, section="II.2"), ROWS[1], []]
    assert parse_batch("a.xlsx", xlsx(rows), COMMON) == [
        copy.deepcopy(EXPECTED_AN) | {"sections": {"political": EXPECTED_AN["sections"][
            "political"]}}, EXPECTED_BINH]


def test_template_layout():
    data = batch_template_xlsx()
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Phiếu 01"
    high = [cell.value for cell in sheet[1]]
    low = [cell.value for cell in sheet[2]]
    assert high == HIGH and low == LOW
    assert {str(cells) for cells in sheet.merged_cells.ranges} >= {"F1:K1", "L1:Q1", "A1:A2",
                                                                  "T1:T2"}
    assert [key for key, _name, _aliases in COLUMNS] == list(HEADERS)
    assert sheet.freeze_panes == "C3"
    assert all(cell.font.bold for cell in sheet[1] + sheet[2] if cell.value)
    assert sheet.max_column == 20
    widths = [sheet.column_dimensions[chr(ord("A") + n)].width for n in range(20)]
    assert all(5 <= width <= 40 for width in widths) and widths[4] > widths[0]
    lists = {tuple(str(validation.sqref).split()): validation.formula1
             for validation in sheet.data_validations.dataValidation}
    assert lists[("D3:D5002",)] == '"I,II.1,II.2,III,IV"'
    assert lists[("K3:K5002", "Q3:Q5002")] == '"có,không"'
    assert lists[("S3:S5002",)] == ('"Hoàn thành xuất sắc nhiệm vụ,Hoàn thành tốt nhiệm vụ,'
                                    'Hoàn thành nhiệm vụ,Không hoàn thành nhiệm vụ"')
    assert lists[("T3:T5002",)] == '"Tốt,Trung bình,Kém"'
    assert "Có biểu hiện thường xuyên ở nội dung" in lists[("H3:H5002", "N3:N5002")]
    assert all(len(formula) <= 257 for formula in lists.values())
    # The example row reads as a valid form once it is marked as data.
    sheet["A3"] = 1
    forms = parse_batch("a.xlsx", _saved(workbook), COMMON)
    assert forms[0]["person"] == {"full_name": "Nguyễn Thị Ngọc Ánh", "position": "Chuyên viên"}
    assert forms[0]["monthly_rating"] == "hoan_thanh_tot"
    validated(forms)


def test_limits_on_size_rows_and_people():
    header = delimited([["Họ và tên", "Mục", "Nội dung"]])
    data = header.encode() + b"\n" * (5 * 1024 * 1024 - len(header.encode()) + 1)
    assert "5 MB" in error(data, "a.csv").message
    rows = [[f"Người {n % 1000}", "I", "x"] for n in range(5000)]
    assert len(parse_batch("a.csv", delimited([["Họ và tên", "Mục", "Nội dung"], *rows])
                           .encode(), COMMON)) == 1000
    message = error(delimited([["Họ và tên", "Mục", "Nội dung"], *rows, ["Thêm", "I", "y"]])
                    .encode(), "a.csv").message
    assert "hơn 5000 dòng" in message
    rows = [[f"Người {n}"] for n in range(1001)]
    assert "hơn 1000 người" in error(delimited([["Họ và tên"], *rows]).encode()).message
