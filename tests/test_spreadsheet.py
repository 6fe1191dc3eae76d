"""Reading the Phiếu tổng hợp's rows from an uploaded .xlsx or .csv file, and its .xlsx template.

Every input is built here: openpyxl for .xlsx bytes, csv.writer or plain strings for text.
"""

import csv
import io
import random
import unicodedata
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook, load_workbook

from sheets.tong_hop import COLUMNS, SpreadsheetError, parse, template_xlsx

HEADER = ["TT", "Họ tên", "Đánh giá kết quả thực hiện", "Tồn tại", "Nguyên nhân",
          "Kết quả khắc phục", "Nhận diện biểu hiện", "Tốt", "TB", "Kém"]
ROWS = [
    [1, "Nguyễn Văn An", "Hoàn thành 12/12 nhiệm vụ", None, None, None, "Không có biểu hiện",
     "x", None, None],
    [2, "  Trần Thị Bình ", "Hoàn thành 10/12 nhiệm vụ", "Chậm 2 nhiệm vụ; còn tồn đọng",
     "Thiếu phối hợp, chủ quan", "Đã khắc phục kịp thời",
     "Có biểu hiện nhưng chưa rõ ở nội dung\nphối hợp", None, "X", None],
    [3, "Lê Văn Cường", "Không hoàn thành 3 nhiệm vụ", "Để chậm \"kéo dài\"", "Chủ quan",
     "Chưa khắc phục", "Có biểu hiện thường xuyên ở nội dung chậm trễ", None, None, "✓"],
]
EXPECTED = [
    {"full_name": "Nguyễn Văn An", "result": "Hoàn thành 12/12 nhiệm vụ",
     "identification": "Không có biểu hiện", "rating": "tot"},
    {"full_name": "Trần Thị Bình", "result": "Hoàn thành 10/12 nhiệm vụ",
     "shortcomings": "Chậm 2 nhiệm vụ; còn tồn đọng", "cause": "Thiếu phối hợp, chủ quan",
     "remedy_result": "Đã khắc phục kịp thời",
     "identification": "Có biểu hiện nhưng chưa rõ ở nội dung\nphối hợp", "rating": "trung_binh"},
    {"full_name": "Lê Văn Cường", "result": "Không hoàn thành 3 nhiệm vụ",
     "shortcomings": "Để chậm \"kéo dài\"", "cause": "Chủ quan", "remedy_result": "Chưa khắc phục",
     "identification": "Có biểu hiện thường xuyên ở nội dung chậm trễ", "rating": "kem"},
]
NOT_SPREADSHEET = "không phải bảng tính .xlsx hay .csv"


def xlsx(rows, merges=()):
    """Row i of `rows` is the sheet's row i + 1; None (or a missing cell) leaves a cell empty."""
    workbook = Workbook()
    sheet = workbook.active
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=row_number, column=column, value=value)
    for cells in merges:
        sheet.merge_cells(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def delimited(rows, delimiter):
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if value is None else value for value in row] for row in rows)
    return output.getvalue()


def error(data, filename="bang.xlsx"):
    """The message parse() raises; every message must be NFC."""
    with pytest.raises(SpreadsheetError) as caught:
        parse(filename, data)
    message = caught.value.message
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == message
    assert message == unicodedata.normalize("NFC", message)
    return message


def with_sheet_xml(data, change):
    """The .xlsx with its first sheet's XML changed, as other programs may write it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    changed = change(members[name].decode()).encode()
    assert changed != members[name]
    members[name] = changed
    return zipped(members)


def zipped(members):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def test_columns_follow_the_paper_form():
    assert COLUMNS == (
        ("index", "TT"), ("full_name", "Họ tên"), ("result", "Đánh giá kết quả thực hiện"),
        ("shortcomings", "Tồn tại"), ("cause", "Nguyên nhân"),
        ("remedy_result", "Kết quả khắc phục"), ("identification", "Nhận diện biểu hiện"),
        ("tot", "Tốt"), ("trung_binh", "TB"), ("kem", "Kém"),
    )


def test_xlsx_gives_the_rows_in_the_api_shape():
    assert parse("phieu.xlsx", xlsx([HEADER, *ROWS])) == EXPECTED


@pytest.mark.parametrize("data", [
    delimited([HEADER, *ROWS], ",").encode("utf-8-sig"),
    delimited([HEADER, *ROWS], ";").encode("utf-8"),
    delimited([HEADER, *ROWS], "\t").encode("utf-8"),
    delimited([HEADER, *ROWS], "\t").encode("utf-16"),  # Excel's "Unicode Text": BOM, tabs
], ids=["comma-bom", "semicolon", "tab", "utf16-tab"])
def test_csv_and_pasted_text_give_the_same_rows(data):
    assert parse("phieu.csv", data) == EXPECTED


def test_tab_separated_paste_with_commas_and_semicolons_in_cells():
    text = ("Họ tên\tTồn tại\tTB\n"
            "Phạm Thị Dung\tChậm, muộn; thiếu sót\tx\n")
    assert parse("dan.txt", text.encode()) == [
        {"full_name": "Phạm Thị Dung", "shortcomings": "Chậm, muộn; thiếu sót",
         "rating": "trung_binh"}]


def test_a_single_column_file():
    assert parse("ten.csv", "Họ tên\r\nNguyễn Văn An\r\n".encode()) == [
        {"full_name": "Nguyễn Văn An"}]


def test_headers_match_in_any_case_and_without_accents():
    header = ["stt", "HỌ TÊN", "danh gia ket qua thuc hien", "TON TAI", "nguyên  nhân",
              "Ket qua khac phuc", "nhận diện BIỂU HIỆN", "TOT", "tb", "kem"]
    assert parse("a.xlsx", xlsx([header, *ROWS])) == EXPECTED
    text = "Họ và tên;Trung bình\nNguyễn Văn An;x\n"
    assert parse("a.csv", text.encode()) == [{"full_name": "Nguyễn Văn An", "rating": "trung_binh"}]


def test_only_the_name_column_is_required():
    data = xlsx([["Kém", "Họ tên"], ["x", "Nguyễn Văn An"], [None, "Trần Thị Bình"]])
    assert parse("a.xlsx", data) == [{"full_name": "Nguyễn Văn An", "rating": "kem"},
                                     {"full_name": "Trần Thị Bình"}]


@pytest.mark.parametrize("mark", ["x", "X", "✓", 1, "có"])
def test_any_non_blank_cell_is_a_mark(mark):
    data = xlsx([["Họ tên", "Tốt", "TB", "Kém"], ["Nguyễn Văn An", None, mark, "  "]])
    assert parse("a.xlsx", data) == [{"full_name": "Nguyễn Văn An", "rating": "trung_binh"}]


def test_blank_rows_and_numbered_empty_rows_are_skipped():
    rows = [[], [None, "   "], HEADER, ROWS[0], [], [None, " ", None, "\t"], ROWS[1],
            [4], [5, None, None, None, None, None, None, None, None, " "], ROWS[2], [], []]
    assert parse("a.xlsx", xlsx(rows)) == EXPECTED
    assert parse("a.csv", delimited(rows, ",").encode()) == EXPECTED


def test_numbers_and_dates_become_text():
    header = ["Họ tên", "Đánh giá kết quả thực hiện", "Tồn tại", "Nguyên nhân",
              "Kết quả khắc phục", "Nhận diện biểu hiện"]
    data = xlsx([header, ["Nguyễn Văn An", 5, 2.5, 0.1 + 0.2, datetime(2026, 11, 24), 1234567]])
    assert parse("a.xlsx", data) == [{
        "full_name": "Nguyễn Văn An", "result": "5", "shortcomings": "2.5", "cause": "0.3",
        "remedy_result": "24/11/2026", "identification": "1234567"}]
    data = xlsx([["Họ tên", "Tồn tại"], ["An", date(2026, 1, 5)],
                 ["Bình", datetime(2026, 1, 5, 8, 30)], ["Cường", time(7, 45)]])
    assert [row["shortcomings"] for row in parse("a.xlsx", data)] == [
        "05/01/2026", "05/01/2026 08:30", "07:45"]
    # A value stored as "5.0" (some programs write it so) reads as a float.
    data = with_sheet_xml(xlsx([["Họ tên", "Tồn tại"], ["An", 5]]),
                          lambda xml: xml.replace("<v>5</v>", "<v>5.0</v>"))
    assert parse("a.xlsx", data) == [{"full_name": "An", "shortcomings": "5"}]


def test_every_string_is_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    header = [unicodedata.normalize("NFD", name) for name in ("Họ tên", "Tồn tại")]
    expected = [{"full_name": "Nguyễn Văn Đức", "shortcomings": "Chậm tiến độ"}]
    cause = unicodedata.normalize("NFD", "Chậm tiến độ")
    assert nfd != expected[0]["full_name"]
    assert parse("a.xlsx", xlsx([header, [nfd, cause]])) == expected
    assert parse("a.csv", delimited([header, [nfd, cause]], ",").encode()) == expected


def test_the_paper_forms_two_row_head_and_total_line():
    head = HEADER[:7] + ["Mức đánh giá, nhận diện biểu hiện"]
    below = [None] * 7 + ["Tốt", "TB", "Kém"]
    total = ["Cộng", None, None, None, None, None, None, 1, 1, 1]
    merges = [f"{column}1:{column}2" for column in "ABCDEFG"] + ["H1:J1"]
    assert parse("a.xlsx", xlsx([head, below, *ROWS, total], merges)) == EXPECTED
    assert parse("a.csv", delimited([head, below, *ROWS, total], ",").encode()) == EXPECTED
    message = error(xlsx([head, below, ROWS[0], [None, None, "Hoàn thành"]], merges))
    assert message == "Dòng 4 chưa có họ tên."


def test_a_wrong_stored_sheet_size_loses_no_cell():
    data = xlsx([HEADER, *ROWS])
    data = with_sheet_xml(data, lambda xml: xml.replace('<dimension ref="A1:J4"/>',
                                                        '<dimension ref="A1:B2"/>'))
    assert b'ref="A1:B2"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert parse("a.xlsx", data) == EXPECTED


def test_content_decides_not_the_name():
    assert parse("bang.csv", xlsx([HEADER, *ROWS])) == EXPECTED
    assert parse("bang.xlsx", delimited([HEADER, *ROWS], ";").encode()) == EXPECTED


def test_no_data_rows_is_an_empty_list():
    assert parse("a.xlsx", xlsx([HEADER])) == []
    assert parse("a.xlsx", xlsx([])) == []
    assert parse("a.csv", b"\r\n\r\n") == []
    assert parse("a.csv", ",,\n , ,\n".encode("utf-8-sig")) == []
    assert parse("a.csv", "TT,Họ tên\n1,\n2,\n".encode()) == []


def test_a_row_without_a_name_is_named_by_its_sheet_row():
    rows = [[], HEADER, ROWS[0], [], [None, None, "Hoàn thành"]]
    assert error(xlsx(rows)) == "Dòng 5 chưa có họ tên."
    assert error(delimited(rows, ",").encode()) == "Dòng 5 chưa có họ tên."
    # A cell's line break does not start a new row of the sheet.
    assert "\n" in ROWS[1][6]
    rows = [HEADER, ROWS[1], [None, None, None, None, None, None, None, "x"]]
    assert error(delimited(rows, ",").encode(), "a.csv") == "Dòng 3 chưa có họ tên."


def test_two_marks_in_a_row():
    rows = [HEADER, ROWS[0], ROWS[1], ROWS[2][:7] + ["x", None, "x"]]
    assert error(xlsx(rows)) == "Dòng 4 đánh dấu nhiều hơn một mức (Tốt, TB, Kém)."


def test_unknown_header_is_named_and_the_expected_ones_listed():
    message = error(xlsx([["Họ tên", "Ghi chu"], ["Nguyễn Văn An", "..."]]))
    assert "«Ghi chu»" in message and "không có trong mẫu" in message
    assert message.endswith("TT, Họ tên, Đánh giá kết quả thực hiện, Tồn tại, Nguyên nhân, "
                            "Kết quả khắc phục, Nhận diện biểu hiện, Tốt, TB, Kém.")
    nfd = unicodedata.normalize("NFD", "Ghi chú")
    message = error(delimited([["Họ tên", nfd]], ",").encode(), "a.csv")
    assert "«Ghi chú»" in message  # NFC, as the user typed it


def test_unknown_headers_are_split_by_the_files_own_delimiter():
    message = error("Tên;Ghi chú\nNguyễn Văn An;x\n".encode(), "a.csv")
    assert "«Tên»" in message


def test_an_unknown_header_is_an_error_even_without_data():
    assert "«Ghi chu»" in error(xlsx([["Họ tên", "Ghi chu"]]))


def test_missing_name_column():
    message = error(xlsx([[], ["TT", "Tồn tại"], [1, "Chậm"]]))
    assert "«Họ tên»" in message and "dòng 2" in message


@pytest.mark.parametrize("header", [["Họ tên", "Tồn tại", "HO TEN"],
                                    ["Họ tên", "TB", "Trung bình"]])
def test_duplicated_header(header):
    message = error(xlsx([header, ["Nguyễn Văn An"]]))
    assert f"«{'Họ tên' if 'HO TEN' in header else 'TB'}»" in message
    assert "hơn một lần" in message


def test_data_under_no_header():
    rows = [["Họ tên", None, "Tồn tại"], ["Nguyễn Văn An", "?", "Chậm"]]
    message = error(xlsx(rows))
    assert "Dòng 2" in message and "cột B" in message
    message = error(delimited([["Họ tên", "Tồn tại"], ["An", "Chậm", "thêm"]], ",").encode())
    assert "Dòng 2" in message and "cột C" in message


def test_at_most_1000_rows():
    rows = [["Họ tên"]] + [[f"Người {n}"] for n in range(1000)]
    assert len(parse("a.csv", delimited(rows, ",").encode())) == 1000
    message = error(delimited(rows + [["Người thừa"]], ",").encode())
    assert "1000" in message and "hơn" in message


def test_empty_file():
    assert "rỗng" in error(b"")


def test_over_5_mb_is_refused_before_reading():
    text = delimited([HEADER, *ROWS], ",")
    limit = 5 * 1024 * 1024
    padding = limit - len(text.encode())  # rows of blanks, a thousand bytes each
    data = text.encode() + (b" " * 999 + b"\n") * (padding // 1000) + b" " * (padding % 1000)
    assert parse("a.csv", data) == EXPECTED
    assert "5 MB" in error(data + b"\n")


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",  # nothing but ASCII
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00",
    random.Random(24).randbytes(4096),
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),  # old binary .xls (OLE2)
    zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),  # .docx
    "<html><body><table><tr><td>Họ tên</td></tr></table></body></html>".encode(),
], ids=["pdf", "ascii-pdf", "png", "random", "xls", "docx", "html"])
def test_other_files_are_not_spreadsheets(data):
    assert NOT_SPREADSHEET in error(data, "bang.csv")


def test_csv_in_a_windows_code_page_is_told_to_use_utf8():
    data = b"Ho\xf2 t\xean\r\nNguy\xea\xden V\xe3n An\r\n"  # Windows-1258
    assert data.decode("cp1258").startswith("Ho")
    message = error(data, "bang.csv")
    assert "UTF-8" in message and NOT_SPREADSHEET not in message


def test_damaged_xlsx():
    data = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "not xml"})
    assert "bị hỏng" in error(data)


def test_xlsx_that_expands_too_far():
    data = zipped({"xl/workbook.xml": "<workbook/>", "xl/big.xml": bytes(100 * 1024 * 1024 + 1)})
    assert len(data) < 5 * 1024 * 1024
    assert "quá nhiều dữ liệu" in error(data)


def test_template_has_the_header_row_and_parses_to_no_rows():
    data = template_xlsx()
    assert parse("mau.xlsx", data) == []
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Phiếu tổng hợp"
    assert [cell.value for cell in sheet[1]] == [header for _, header in COLUMNS] == HEADER
    assert sheet.max_row == 1
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold and cell.alignment.wrap_text for cell in sheet[1])
    widths = {column: sheet.column_dimensions[column].width for column in "ABCDEFGHIJ"}
    assert widths["B"] > widths["A"] and widths["C"] > widths["H"]
    assert all(5 <= width <= 40 for width in widths.values())
