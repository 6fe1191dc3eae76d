"""The Phiếu tổng hợp's rows read from an .xlsx or .csv file laid out like the paper form, and the
.xlsx template to fill in.

`parse` returns rows in the API's shape (schemas.tong_hop.RowSchema); it checks the sheet's layout,
not the values, which the schema validates as for any other request.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from datetime import datetime, time

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from forms.vocab import IDENTIFICATION_RATING_COLUMNS, IDENTIFICATION_RATINGS
from schemas.fields import fold, quoted
from schemas.tong_hop import MAX_ROWS
from templates_docx.wording import TONG_HOP_COLUMNS, TONG_HOP_LEVELS_HEAD, TONG_HOP_TOTAL

SHEET_TITLE = "Phiếu tổng hợp"
MAX_BYTES = 5 * 1024 * 1024
# A small .xlsx can be compressed far more than any real sheet; this bounds what it expands to.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024

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
NOT_SPREADSHEET = ("Tệp không phải bảng tính .xlsx hay .csv; hãy lưu lại từ Excel dưới dạng "
                   ".xlsx (Excel Workbook) rồi tải lên.")
NOT_UTF8 = ("Tệp CSV không dùng bảng mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi; hãy lưu lại dưới dạng "
            "«CSV UTF-8» hoặc .xlsx rồi tải lên.")
BROKEN_XLSX = "Tệp .xlsx bị hỏng, không đọc được; hãy mở bằng Excel, lưu lại rồi tải lên."
BROKEN_CSV = ("Tệp CSV bị lỗi định dạng, không đọc được; hãy lưu lại từ Excel dưới dạng .xlsx "
              "rồi tải lên.")

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Text files that are not tables: a PDF, an RTF, an HTML or XML page (some "Excel" exports).
OTHER_TEXT_FORMATS = ("%PDF", "{\\rtf", "<")


class SpreadsheetError(ValueError):
    """The file cannot be read as the form's table; `message` tells the user what to fix."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse(filename, data):
    """The rows of an uploaded .xlsx or .csv file. `filename` is not trusted: content decides."""
    if not data:
        raise SpreadsheetError("Tệp tải lên rỗng (0 byte); hãy chọn lại tệp bảng tính.")
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(f"Tệp lớn hơn {MAX_BYTES // 2**20} MB; hãy chỉ giữ bảng phiếu tổng "
                               "hợp (bỏ hình ảnh, các trang tính khác) rồi tải lên lại.")
    if not _is_xlsx(data):
        return _read(_csv_rows(_decode(data)))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged archive fails in many ways (KeyError, XML errors…)
        raise SpreadsheetError(BROKEN_XLSX) from error
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored size may be wrong; read every cell there is
        return _read(_guarded(sheet.iter_rows(values_only=True), Exception, BROKEN_XLSX))
    finally:
        workbook.close()


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


def _is_xlsx(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return False
    if not any(member.filename == "xl/workbook.xml" for member in members):
        return False
    if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError("Tệp .xlsx chứa quá nhiều dữ liệu; hãy chỉ giữ bảng phiếu tổng hợp "
                               "rồi tải lên lại.")
    return True


def _decode(data):
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError:
        # Text in Windows' Vietnamese code page (Excel's plain "CSV") deserves its own advice.
        if not utf16 and _is_text(data.decode("latin-1")):
            raise SpreadsheetError(NOT_UTF8) from None
        raise SpreadsheetError(NOT_SPREADSHEET) from None
    if not _is_text(text):
        raise SpreadsheetError(NOT_SPREADSHEET)
    return text


def _is_text(text):
    return not CONTROL.search(text) and not text.lstrip().startswith(OTHER_TEXT_FORMATS)


def _csv_rows(text):
    # The delimiter is the one that splits the header row into the most known column names;
    # csv.Sniffer guesses wrong on a single column or on commas inside the cells.
    delimiter = max(",;\t", key=lambda candidate: _header_score(text, candidate))
    return _guarded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                    csv.Error, BROKEN_CSV)


def _header_score(text, delimiter):
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(cell.strip(" \t,;") for cell in row):  # a line of delimiters is blank
                known = sum(fold(cell) in KEY_OF or fold(cell) == LEVELS_HEAD for cell in row)
                return known, len(row)
    except csv.Error:
        pass
    return 0, 0


def _guarded(rows, errors, message):
    """The rows, with a failure while reading them reported as `message`."""
    try:
        yield from rows
    except errors as error:
        raise SpreadsheetError(message) from error


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"  # as Excel shows it: 5.0 → "5", 0.1 + 0.2 → "0.3"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return unicodedata.normalize("NFC", str(value)).strip()


def _read(rows):
    """Row numbers are the sheet's own (1-based, header included): the user finds them there."""
    rows = ((number, [_text(value) for value in row]) for number, row in enumerate(rows, 1))
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
