"""The year-end results (II.7) as a spreadsheet: one row per person, the twelve months, the
counts and the consequence; user text stored as text, never as a formula."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from forms import year_end
from forms.vocab import IDENTIFICATION_RATINGS
from sheets.table import append_as_text

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The printed report's marks, spelled out.
SHEET_STATUS = {"missing": "Không có phiếu (tính Kém)", "not_rated": "Chưa ghi kết quả",
                "excused": "Vắng có lý do", "upcoming": "", "not_member": "",
                "not_listed": "", "before_guidance": ""}

SHEET_HEADERS = (
    ["TT", "Họ và tên", "Chức vụ"] + [f"T{month}" for month in range(1, 13)]
    + ["Số tháng Tốt", "Số tháng Trung bình", "Số tháng Kém", "Số tháng chưa đánh giá",
       "Tháng không có Phiếu 01", "Mức xếp loại năm tối đa", "Hệ quả (mục II.7)"]
)
SHEET_WIDTHS = [5, 28, 18] + [11] * 12 + [9, 11, 9, 11, 14, 24, 70]


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
        append_as_text(sheet, [
            number, person["full_name"], person["position"],
            *(year_end.mark(cell, IDENTIFICATION_RATINGS, SHEET_STATUS)
              for cell in person["months"]),
            counts["tot"], counts["trung_binh"], counts["kem"], counts["chua_danh_gia"],
            year_end.months_text(person["missing_months"]),
            person["max_annual_rating_label"] or "", person["message"]])
    for index, width in enumerate(SHEET_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2"
    workbook.properties.title = year_end.metadata(result)["title"]
    workbook.properties.creator = result["unit"]["name"]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
