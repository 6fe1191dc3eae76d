"""A unit's roster read from an .xlsx or .csv file, and the .xlsx template to fill in.

Columns (Vietnamese headers, any case, with or without accents): STT (or Thứ tự), Họ và tên (or
Họ tên), Chức vụ, Từ ngày, Đến ngày. Only "Họ và tên" is required. `parse` checks the sheet's
layout and returns each data row with its row number in the sheet; the values are validated by
archive.roster (schemas.roster.MemberInSchema), the same as a JSON list.
"""

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from schemas.fields import fold, quoted
from schemas.roster import MAX_MEMBERS
from web.sheet_files import SpreadsheetError, cell_text, raw_rows

WHAT = "bảng danh sách cán bộ"
SHEET_TITLE = "Danh sách cán bộ"
HEADERS = {"order": "STT", "full_name": "Họ và tên", "position": "Chức vụ",
           "active_from": "Từ ngày", "active_to": "Đến ngày"}
ALIASES = {"order": ["Thứ tự", "TT", "Số thứ tự"], "full_name": ["Họ tên"]}
KEY_OF = {fold(name): key for key, header in HEADERS.items()
          for name in (header, *ALIASES.get(key, ()))}
DATES = ("active_from", "active_to")
WIDTHS = {"order": 6, "full_name": 30, "position": 30, "active_from": 13, "active_to": 13}
EXPECTED = ", ".join(HEADERS.values())
TEXT_ROWS = 500  # rows whose date cells are preformatted as text


def parse(data):
    """[(row number in the sheet, {column key: value})] for each row that has anything in it.
    Date cells keep their date (an Excel date cell); every other value is NFC text."""
    rows = ((number, row) for number, row in enumerate(
        raw_rows(data, WHAT, _header_score), start=1))
    for number, header in rows:
        if any(cell_text(value) for value in header):
            break
    else:
        return []
    keys = _keys([cell_text(value) for value in header], number)
    found = []
    for number, cells in rows:
        row = {}
        for column, value in enumerate(cells):
            text = cell_text(value)
            if not text:
                continue
            key = keys[column] if column < len(keys) else None
            if key is None:
                raise SpreadsheetError(f"Dòng {number} có dữ liệu ở cột "
                                       f"{get_column_letter(column + 1)} nhưng cột này chưa có "
                                       "tên ở dòng tiêu đề.")
            keep = key in DATES and isinstance(value, (date, datetime, int, float))
            row[key] = value if keep else text
        if not row:
            continue
        if len(found) == MAX_MEMBERS:
            raise SpreadsheetError(f"Tệp có hơn {MAX_MEMBERS} dòng dữ liệu; một danh sách có "
                                   f"tối đa {MAX_MEMBERS} người.")
        found.append((number, row))
    return found


def _header_score(row):
    return sum(fold(cell) in KEY_OF for cell in row)


def _keys(header, number):
    keys = []
    for name in header:
        key = KEY_OF.get(fold(name)) if name else None
        if name and key is None:
            raise SpreadsheetError(f"Cột «{quoted(name)}» không có trong mẫu danh sách; "
                                   f"các cột của mẫu: {EXPECTED}.")
        if key is not None and key in keys:
            raise SpreadsheetError(f"Cột «{HEADERS[key]}» có hơn một lần ở dòng tiêu đề "
                                   f"(dòng {number}); hãy xoá bớt cho còn một cột.")
        keys.append(key)
    if "full_name" not in keys:
        raise SpreadsheetError(f"Dòng tiêu đề (dòng {number}) chưa có cột "
                               f"«{HEADERS['full_name']}»; hãy thêm cột này như trong mẫu "
                               f"({EXPECTED}).")
    return keys


def template_xlsx():
    """The header row; the date columns' cells are text, so "01/02/2026" typed in any Excel
    stays the 1st of February."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADERS.values()))
    for column, key in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = WIDTHS[key]
        if key in DATES:  # typed dates stay text "dd/mm/yyyy" rather than an American date
            for row in range(2, TEXT_ROWS + 2):
                sheet.cell(row=row, column=column).number_format = "@"
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
