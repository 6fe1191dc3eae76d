"""The Phiếu tổng hợp's rows read from an .xlsx or .csv file laid out like the paper form, and the
.xlsx template to fill in.

`parse` returns rows in the API's shape (schemas.tong_hop.RowSchema); it checks the sheet's layout,
not the values, which the schema validates as for any other request.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from forms.vocab import IDENTIFICATION_RATING_COLUMNS, IDENTIFICATION_RATINGS
from schemas.fields import fold, quoted
from schemas.tong_hop import MAX_ROWS
from templates_docx.wording import TONG_HOP_COLUMNS, TONG_HOP_LEVELS_HEAD, TONG_HOP_TOTAL
from web.sheet_files import SpreadsheetError, cell_text, raw_rows

__all__ = ["COLUMNS", "SpreadsheetError", "parse", "template_xlsx"]

SHEET_TITLE = "Phiếu tổng hợp"
WHAT = "bảng phiếu tổng hợp"
LEVELS = tuple(IDENTIFICATION_RATING_COLUMNS)
COLUMNS = (
    *zip(("index", "full_name", "result", "shortcomings", "cause", "remedy_result",
          "identification"), TONG_HOP_COLUMNS, strict=True),
    *IDENTIFICATION_RATING_COLUMNS.items(),
)
HEADERS = dict(COLUMNS)
# Other names people give these columns: "STT", "Họ và tên", "Trung bình" for "TB".
ALIASES = {"index": ["STT"], "full_name": ["Họ và tên"], **{
    level: [label] for level, label in IDENTIFICATION_RATINGS.items()}}
KEY_OF = {fold(name): key for key, header in COLUMNS for name in (header, *ALIASES.get(key, ()))}
LEVELS_HEAD = fold(TONG_HOP_LEVELS_HEAD)
TOTAL = fold(TONG_HOP_TOTAL)
WIDTHS = {"index": 5, "full_name": 26, **dict.fromkeys(LEVELS, 7)}  # other columns: 30

EXPECTED = ", ".join(HEADERS.values())
LEVEL_NAMES = ", ".join(IDENTIFICATION_RATING_COLUMNS.values())


def parse(filename, data):
    """The rows of an uploaded .xlsx or .csv file. `filename` is not trusted: content decides."""
    return _read(raw_rows(data, WHAT, _header_score))


def template_xlsx():
    """An empty sheet with the form's header row, to fill in and upload."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADERS.values()))
    for column, key in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS.get(key, 30)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _header_score(row):
    return sum(fold(cell) in KEY_OF or fold(cell) == LEVELS_HEAD for cell in row)


def _read(rows):
    """Row numbers are the sheet's own (1-based, header included): the user finds them there."""
    rows = ((number, [cell_text(value) for value in row]) for number, row in enumerate(rows, 1))
    for number, header in rows:
        if any(header):
            break
    else:
        return []
    if LEVELS_HEAD in map(fold, header):
        # The paper form's two-row head: the levels' names are under "Mức đánh giá, …".
        number, below = next(rows, (number, []))
        width = max(len(header), len(below))
        header += [""] * (width - len(header))
        below += [""] * (width - len(below))
        header = [low if fold(high) in ("", LEVELS_HEAD) else high
                  for high, low in zip(header, below)]
    keys = _keys(header, number)
    found = []
    for number, cells in rows:
        row = _row(keys, cells, number)
        if row is None:
            continue
        if len(found) == MAX_ROWS:
            raise SpreadsheetError(f"Tệp có hơn {MAX_ROWS} dòng dữ liệu; một phiếu tổng hợp có "
                                   f"tối đa {MAX_ROWS} dòng.")
        found.append(row)
    return found


def _keys(header, number):
    keys = []
    for name in header:
        key = KEY_OF.get(fold(name)) if name else None
        if name and key is None:
            raise SpreadsheetError(f"Cột «{quoted(name)}» không có trong mẫu; "
                                   f"các cột của mẫu: {EXPECTED}.")
        if key is not None and key in keys:
            raise SpreadsheetError(f"Cột «{HEADERS[key]}» có hơn một lần ở dòng tiêu đề "
                                   f"(dòng {number}); hãy xoá bớt cho còn một cột.")
        keys.append(key)
    if "full_name" not in keys:
        raise SpreadsheetError(f"Dòng tiêu đề (dòng {number}) chưa có cột "
                               f"«{HEADERS['full_name']}»; hãy thêm cột này như trong mẫu.")
    return keys


def _row(keys, cells, number):
    """The row as the API takes it, or None for a row with nothing to read."""
    values = {}
    for column, value in enumerate(cells):
        if not value:
            continue
        key = keys[column] if column < len(keys) else None
        if key is None:
            raise SpreadsheetError(f"Dòng {number} có dữ liệu ở cột {get_column_letter(column + 1)}"
                                   " nhưng cột này chưa có tên ở dòng tiêu đề.")
        values[key] = value
    index = values.pop("index", "")
    # A pre-numbered empty row (only TT), or the paper form's "Cộng" line of totals.
    if not values or TOTAL in (fold(index), fold(values.get("full_name", ""))):
        return None
    if "full_name" not in values:
        raise SpreadsheetError(f"Dòng {number} chưa có họ tên.")
    marks = [level for level in LEVELS if values.pop(level, None)]
    if len(marks) > 1:
        raise SpreadsheetError(f"Dòng {number} đánh dấu nhiều hơn một mức ({LEVEL_NAMES}).")
    return {**values, **({"rating": marks[0]} if marks else {})}
