"""Reading an uploaded .xlsx or .csv file safely, whatever table it holds: the type decided by
the content (never the name), a size limit, a bound on what an .xlsx expands to (a "zip bomb"),
text that must be UTF-8 and free of control characters, and every cell as NFC text.

Used by the tổng hợp's row import (web/spreadsheet.py) and the roster import
(web/roster_sheet.py); each gives its own words for what the file should hold (`what`, e.g.
"bảng phiếu tổng hợp").
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from datetime import date, datetime, time

from openpyxl import load_workbook

MAX_BYTES = 5 * 1024 * 1024
# A small .xlsx can be compressed far more than any real sheet; this bounds what it expands to.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024

NOT_SPREADSHEET = ("Tệp không phải bảng tính .xlsx hay .csv; hãy lưu lại từ Excel dưới dạng "
                   ".xlsx (Excel Workbook) rồi tải lên.")
NOT_UTF8 = ("Tệp CSV không dùng bảng mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi; hãy lưu lại dưới dạng "
            "«CSV UTF-8» hoặc .xlsx rồi tải lên.")
BROKEN_XLSX = "Tệp .xlsx bị hỏng, không đọc được; hãy mở bằng Excel, lưu lại rồi tải lên."
BROKEN_CSV = ("Tệp CSV bị lỗi định dạng, không đọc được; hãy lưu lại từ Excel dưới dạng .xlsx "
              "rồi tải lên.")
EMPTY = "Tệp tải lên rỗng (0 byte); hãy chọn lại tệp bảng tính."

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Text files that are not tables: a PDF, an RTF, an HTML or XML page (some "Excel" exports).
OTHER_TEXT_FORMATS = ("%PDF", "{\\rtf", "<")
DELIMITERS = ",;\t"


class SpreadsheetError(ValueError):
    """The file cannot be read as the expected table; `message` tells the user what to fix."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def raw_rows(data, what, header_score):
    """The file's rows as lists of raw cell values (an .xlsx's first sheet, or the CSV's lines).

    `what` names the table in messages ("bảng phiếu tổng hợp"); `header_score(row)` says how many
    of a row's cells are known column names, to choose a CSV's delimiter.
    """
    if not data:
        raise SpreadsheetError(EMPTY)
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(f"Tệp lớn hơn {MAX_BYTES // 2**20} MB; hãy chỉ giữ {what} (bỏ hình "
                               "ảnh, các trang tính khác) rồi tải lên lại.")
    if not is_xlsx(data, what):
        yield from csv_rows(decode(data), header_score)
        return
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged archive fails in many ways (KeyError, XML errors…)
        raise SpreadsheetError(BROKEN_XLSX) from error
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored size may be wrong; read every cell there is
        yield from guarded(sheet.iter_rows(values_only=True), Exception, BROKEN_XLSX)
    finally:
        workbook.close()


def is_xlsx(data, what):
    """Whether the bytes are an .xlsx workbook; SpreadsheetError if it would expand too far."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return False
    if not any(member.filename == "xl/workbook.xml" for member in members):
        return False
    if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError(f"Tệp .xlsx chứa quá nhiều dữ liệu; hãy chỉ giữ {what} rồi tải "
                               "lên lại.")
    return True


def decode(data):
    """The text of a CSV file: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError:
        # Text in Windows' Vietnamese code page (Excel's plain "CSV") deserves its own advice.
        if not utf16 and is_text(data.decode("latin-1")):
            raise SpreadsheetError(NOT_UTF8) from None
        raise SpreadsheetError(NOT_SPREADSHEET) from None
    if not is_text(text):
        raise SpreadsheetError(NOT_SPREADSHEET)
    return text


def is_text(text):
    return not CONTROL.search(text) and not text.lstrip().startswith(OTHER_TEXT_FORMATS)


def csv_rows(text, header_score):
    # The delimiter is the one that splits the header row into the most known column names;
    # csv.Sniffer guesses wrong on a single column or on commas inside the cells.
    delimiter = max(DELIMITERS, key=lambda candidate: _score(text, candidate, header_score))
    return guarded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                   csv.Error, BROKEN_CSV)


def _score(text, delimiter, header_score):
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(cell.strip(" \t,;") for cell in row):  # a line of delimiters is blank
                return header_score(row), len(row)
    except csv.Error:
        pass
    return 0, 0


def guarded(rows, errors, message):
    """The rows, with a failure while reading them reported as `message`."""
    try:
        yield from rows
    except errors as error:
        raise SpreadsheetError(message) from error


def cell_text(value):
    """A cell as the user sees it in Excel, NFC and trimmed."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"  # as Excel shows it: 5.0 → "5", 0.1 + 0.2 → "0.3"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return unicodedata.normalize("NFC", str(value)).strip()
