"""The Phiếu tổng hợp's rows read from an .xlsx or .csv file laid out like the paper form, and the
.xlsx template to fill in.

`parse` returns rows in the API's shape (schemas.tong_hop.RowSchema); it checks the sheet's layout,
not the values, which the schema validates as for any other request. The sheet's columns are the
form's (forms/tong_hop_columns.py), headed by their printed titles.
"""

import itertools

from forms import tong_hop_columns
from forms.tong_hop_columns import MARKS, RATING, RATING_TITLE
from forms.wording import TONG_HOP_TOTAL
from schemas.fields import fold, quoted
from schemas.tong_hop import MAX_ROWS
from sheets.table import (
    SpreadsheetError,
    first_filled,
    header_keys,
    header_sheet,
    open_table,
    padded,
    row_values,
)

__all__ = ["COLUMNS", "SpreadsheetError", "parse", "template_xlsx"]

SHEET_TITLE = "Phiếu tổng hợp"
SUBJECT = "bảng phiếu tổng hợp"

LEVELS = tuple(column.key for column in MARKS)
COLUMNS = tuple((column.key, column.title) for column in tong_hop_columns.COLUMNS)
HEADERS = dict(COLUMNS)
# A column's header, or another name people give it ("STT", "Họ và tên", "Trung bình" for "TB").
KEY_OF = {fold(name): column.key for column in tong_hop_columns.COLUMNS
          for name in (column.title, *column.aliases)}
LEVELS_HEAD = fold(RATING_TITLE)
TOTAL = fold(TONG_HOP_TOTAL)
WIDTHS = {column.key: column.sheet_width for column in tong_hop_columns.COLUMNS}

EXPECTED = ", ".join(HEADERS.values())
LEVEL_NAMES = ", ".join(column.title for column in MARKS)


def parse(filename, data, *, headerless=False):
    """The rows of an uploaded .xlsx or .csv file. `filename` is not trusted: content decides.

    With `headerless` (rows pasted from a spreadsheet), a first row naming no column of the
    template is data, its columns in the template's order (TT, Họ tên, …, Tốt, TB, Kém)."""
    with open_table(data, is_header_cell=_is_header_cell, subject=SUBJECT) as table:
        return _read(table.rows, headerless)


def template_xlsx():
    """An empty sheet with the form's header row, to fill in and upload."""
    return header_sheet(SHEET_TITLE, HEADERS, WIDTHS)


def _is_header_cell(folded):
    return folded in KEY_OF or folded == LEVELS_HEAD


def _read(rows, headerless=False):
    found = first_filled(rows)
    if found is None:
        return []
    number, header = found
    if headerless and not any(_is_header_cell(fold(cell)) for cell in header if cell):
        return _rows(list(HEADERS), itertools.chain([found], rows), headerless=True)
    if LEVELS_HEAD in map(fold, header):
        # The paper form's two-row head: the levels' names are under "Mức đánh giá, …".
        number, below = next(rows, (number, []))
        width = max(len(header), len(below))
        header = [low if fold(high) in ("", LEVELS_HEAD) else high
                  for high, low in zip(padded(header, width), padded(below, width))]
    keys = header_keys(header, number, KEY_OF, HEADERS, required="full_name",
                       unknown_message=_unknown)
    return _rows(keys, rows)


def _rows(keys, rows, headerless=False):
    found = []
    for number, cells in rows:
        if headerless and any(cells[len(keys):]):
            raise SpreadsheetError(
                f"Dòng {number} có nhiều cột hơn mẫu. Các dòng dán không kèm dòng tiêu đề phải "
                f"theo đúng thứ tự cột của mẫu: {EXPECTED}; hoặc hãy dán kèm dòng tiêu đề.")
        row = _row(keys, cells, number)
        if row is None:
            continue
        if len(found) == MAX_ROWS:
            raise SpreadsheetError(f"Tệp có hơn {MAX_ROWS} dòng dữ liệu; một phiếu tổng hợp có "
                                   f"tối đa {MAX_ROWS} dòng.")
        found.append(row)
    return found


def _unknown(name):
    return f"Cột «{quoted(name)}» không có trong mẫu; các cột của mẫu: {EXPECTED}."


def _row(keys, cells, number):
    """The row as the API takes it, or None for a row with nothing to read."""
    values, stray = row_values(keys, cells)
    if stray:
        raise SpreadsheetError(f"Dòng {number} có dữ liệu ở cột {stray[0]}"
                               " nhưng cột này chưa có tên ở dòng tiêu đề.")
    index = values.pop("index", "")
    # A pre-numbered empty row (only TT), or the paper form's "Cộng" line of totals.
    if not values or TOTAL in (fold(index), fold(values.get("full_name", ""))):
        return None
    if "full_name" not in values:
        raise SpreadsheetError(f"Dòng {number} chưa có họ tên.")
    marks = [level for level in LEVELS if values.pop(level, None)]
    if len(marks) > 1:
        raise SpreadsheetError(f"Dòng {number} đánh dấu nhiều hơn một mức ({LEVEL_NAMES}).")
    return {**values, **({RATING: marks[0]} if marks else {})}
