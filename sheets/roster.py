"""A unit's roster read from an .xlsx or .csv file, and the .xlsx template to fill in.

Columns (Vietnamese headers, any case, with or without accents): STT (or Thứ tự), Họ và tên (or
Họ tên), Chức vụ, Từ ngày, Đến ngày. Only "Họ và tên" is required. `parse` checks the sheet's
layout and returns each data row with its row number in the sheet; the values are validated by
archive.roster (schemas.roster.MemberInSchema), the same as a JSON list.
"""



from schemas.fields import fold, quoted
from schemas.roster import MAX_MEMBERS
from sheets.table import (
    SpreadsheetError,
    first_filled,
    header_keys,
    header_sheet,
    open_table,
    row_values,
)

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
    """[(row number in the sheet, {column key: text})] for each row that has anything in it;
    dates as Excel shows them (dd/mm/yyyy)."""
    with open_table(data, is_header_cell=lambda folded: folded in KEY_OF,
                    subject=WHAT) as table:
        header = first_filled(table.rows)
        if header is None:
            return []
        number, names = header
        keys = header_keys(names, number, KEY_OF, HEADERS, required="full_name",
                           unknown_message=lambda name: (
                               f"Cột «{quoted(name)}» không có trong mẫu danh sách; các cột của "
                               f"mẫu: {EXPECTED}."))
        found = []
        for number, cells in table.rows:
            row, stray = row_values(keys, cells)
            if stray:
                raise SpreadsheetError(f"Dòng {number} có dữ liệu ở cột {stray[0]} nhưng cột "
                                       "này chưa có tên ở dòng tiêu đề.")
            if not row:
                continue
            if len(found) == MAX_MEMBERS:
                raise SpreadsheetError(f"Tệp có hơn {MAX_MEMBERS} dòng dữ liệu; một danh sách "
                                       f"có tối đa {MAX_MEMBERS} người.")
            found.append((number, row))
        return found


def template_xlsx():
    """The header row; the date columns' cells are text, so "01/02/2026" typed in any Excel
    stays the 1st of February."""
    return header_sheet(SHEET_TITLE, HEADERS, WIDTHS, text_columns=DATES, text_rows=TEXT_ROWS)
