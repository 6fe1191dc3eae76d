"""The year-end results of a unit's people (II.7): the printable report's template context, its
metadata, and the spreadsheet (.xlsx). The data comes from archive/reports.py `year_end`."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from forms.common import date_line
from forms.vocab import IDENTIFICATION_RATINGS

TITLE = "Kết quả đánh giá, nhận diện năm"
TEMPLATE = "ket_qua_nam.docx"
# What a month's cell of the printed table shows; the legend under the table explains them.
MARKS = {"tot": "Tốt", "trung_binh": "TB", "kem": "Kém"}
STATUS_MARKS = {"missing": "—", "not_rated": "?", "upcoming": "", "not_member": ""}
# The spreadsheet spells them out.
SHEET_STATUS = {"missing": "Không có phiếu", "not_rated": "Chưa ghi kết quả", "upcoming": "",
                "not_member": ""}
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _mark(cell, marks, statuses):
    if cell["status"] == "assessed":
        return marks[cell["identification_rating"]]
    return statuses[cell["status"]]


def _months_text(months):
    return ", ".join(str(month) for month in months)


def _consequence(person):
    text = person["consequence_label"]
    if person["missing_months"]:
        text += f".\nKhông có Phiếu số 01: tháng {_months_text(person['missing_months'])}"
    return text


def context(result, settings):
    unit = result["unit"]
    people = result["people"]
    summary = result["summary"]
    return {
        "issuer_parent": unit["parent"].upper(),
        "issuer_unit": unit["name"].upper(),
        "date_line": date_line(settings["PLACE_NAME"], result["as_of"]),
        "year": result["year"],
        "unit_name": unit["name"],
        "scope": f"Cá nhân: {result['person']}" if result["person"] else
                 f"Số người: {summary['people']}",
        "rows": [{
            "name": "\n".join(part for part in (person["full_name"], person["position"]) if part),
            "months": [_mark(cell, MARKS, STATUS_MARKS) for cell in person["months"]],
            "kem": person["kem_months"],
            "trung_binh": person["trung_binh_months"],
            "consequence": _consequence(person),
        } for person in people],
        "summary": (
            f"Tổng số {summary['people']} người; {summary['fail']} người xếp loại năm ở mức "
            f"Không hoàn thành nhiệm vụ; {summary['cap']} người xếp loại năm không vượt quá mức "
            f"Hoàn thành nhiệm vụ; {summary['with_missing_months']} người có tháng không có "
            "Phiếu số 01."),
    }


def metadata(result):
    unit, year = result["unit"]["name"], result["year"]
    who = f" - {result['person']}" if result["person"] else ""
    return {
        "title": f"Kết quả đánh giá, nhận diện năm {year} - {unit}{who}",
        "subject": f"Kết quả đánh giá, nhận diện năm {year}",
        "author": unit,
        "stem": f"Kết quả nhận diện năm {year} - {unit}{who}",
    }


def blank_context(settings):  # make_document's contract; a year-end report is never blank
    raise ValueError("a year-end report needs its data")


SHEET_HEADERS = (
    ["TT", "Họ và tên", "Chức vụ"] + [f"T{month}" for month in range(1, 13)]
    + ["Số tháng Tốt", "Số tháng Trung bình", "Số tháng Kém", "Số tháng chưa đánh giá",
       "Tháng không có Phiếu 01", "Mức xếp loại năm tối đa", "Hệ quả (mục II.7)"]
)
SHEET_WIDTHS = [5, 28, 18] + [11] * 12 + [9, 11, 9, 11, 14, 24, 70]


# What makes a spreadsheet tool read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@")


def _append_as_text(sheet, values):
    """A row whose text stays text: openpyxl makes a string starting with "=" a live formula.
    Text is stored as a string, and one that a spreadsheet tool would read as a formula gets
    Excel's own quote prefix (as if typed with a leading apostrophe): shown as written, never
    evaluated, in Excel or LibreOffice."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True


def xlsx(result):
    """One row per person: the twelve months, the counts and the consequence (II.7)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Năm {result['year']}"
    sheet.append(SHEET_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for number, person in enumerate(result["people"], start=1):
        counts = person["counts"]
        _append_as_text(sheet, [
            number, person["full_name"], person["position"],
            *(_mark(cell, IDENTIFICATION_RATINGS, SHEET_STATUS) for cell in person["months"]),
            counts["tot"], counts["trung_binh"], counts["kem"], counts["chua_danh_gia"],
            _months_text(person["missing_months"]), person["max_annual_rating_label"] or "",
            person["message"]])
    for index, width in enumerate(SHEET_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2"
    workbook.properties.title = metadata(result)["title"]
    workbook.properties.creator = result["unit"]["name"]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
