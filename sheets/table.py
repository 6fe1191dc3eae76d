"""Reading an uploaded table safely: the parts shared by every spreadsheet import.

The file's content decides what it is (an .xlsx workbook, or UTF-8/UTF-16 text split by commas,
semicolons or tabs), never its name. Sizes are bounded before anything is parsed, and an .xlsx
whose members would expand past a limit is refused unread. Every cell comes out as NFC text, dates
written as Vietnamese read them (dd/mm/yyyy). Each reader (sheets/tong_hop.py for the Phiếu tổng
hợp, sheets/batch.py for a batch of Phiếu 01) keeps its own layout: headers, rows, messages.
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from typing import Iterator

from flask import current_app, has_app_context
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from schemas.fields import fold

MAX_BYTES = 5 * 1024 * 1024
# How much of a sheet is read (the settings SHEET_MAX_ROWS and SHEET_MAX_COLUMNS, these their
# defaults): a few kilobytes of .xlsx can name the last of a million rows or the last of 16,384
# columns, and a reader that fills the gaps does that much work.
SHEET_MAX_ROWS = 10000  # a batch sheet holds up to 5000 item rows
SHEET_MAX_COLUMNS = 60
# A small .xlsx can be compressed far more than any real sheet; this bounds what it expands to.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024

NOT_SPREADSHEET = ("Tệp không phải bảng tính .xlsx hay .csv; hãy lưu lại từ Excel dưới dạng "
                   ".xlsx (Excel Workbook) rồi tải lên.")
NOT_UTF8 = ("Tệp CSV không dùng bảng mã UTF-8 nên chữ tiếng Việt sẽ bị lỗi; hãy lưu lại dưới dạng "
            "«CSV UTF-8» hoặc .xlsx rồi tải lên.")
BROKEN_XLSX = "Tệp .xlsx bị hỏng, không đọc được; hãy mở bằng Excel, lưu lại rồi tải lên."
BROKEN_CSV = ("Tệp CSV bị lỗi định dạng, không đọc được; hãy lưu lại từ Excel dưới dạng .xlsx "
              "rồi tải lên.")
EMPTY_FILE = "Tệp tải lên rỗng (0 byte); hãy chọn lại tệp bảng tính."

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Text files that are not tables: a PDF, an RTF, an HTML or XML page (some "Excel" exports).
OTHER_TEXT_FORMATS = ("%PDF", "{\\rtf", "<")


class SpreadsheetError(ValueError):
    """The file cannot be read as the expected table; `message` tells the user what to fix.

    `problems` lists every problem found when there can be several (one per row); `message` then
    sums them up.
    """

    def __init__(self, message, problems=None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems) if problems else [message]


@dataclass
class Table:
    """The rows of one sheet: (sheet row number from 1, [cell text]) pairs, read lazily."""

    rows: Iterator
    sheet_name: str | None  # None for a CSV file


@contextmanager
def open_table(data, *, is_header_cell, subject, sheet_name=None):
    """The table in an uploaded file, for reading inside the `with` block.

    `is_header_cell(folded_text)` tells a known column name, to pick a CSV file's delimiter.
    `subject` names the table in messages ("bảng phiếu tổng hợp"). An .xlsx is read from the sheet
    called `sheet_name` (compared without case or accents) if there is one, else its first sheet.
    """
    if not data:
        raise SpreadsheetError(EMPTY_FILE)
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(f"Tệp lớn hơn {MAX_BYTES // 2**20} MB; hãy chỉ giữ {subject} "
                               "(bỏ hình ảnh, các trang tính khác) rồi tải lên lại.")
    max_rows, max_columns = _bounds()
    if not _is_xlsx(data, subject):
        text = _decode(data)
        yield Table(_numbered(_csv_rows(text, is_header_cell), max_rows, max_columns), None)
        return
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged archive fails in many ways (KeyError, XML errors…)
        raise SpreadsheetError(BROKEN_XLSX) from error
    try:
        if not workbook.worksheets:
            yield Table(iter(()), None)
            return
        sheet = _sheet(workbook, sheet_name)
        sheet.reset_dimensions()  # the stored size may be wrong or false: bounds instead
        # One row and one column past the bounds: enough to tell a sheet that goes past them.
        rows = _guarded(sheet.iter_rows(max_row=max_rows + 1, max_col=max_columns + 1,
                                        values_only=True), Exception, BROKEN_XLSX)
        yield Table(_numbered(rows, max_rows, max_columns), sheet.title)
    finally:
        workbook.close()


def _sheet(workbook, name):
    if name is not None:
        for sheet in workbook.worksheets:
            if fold(sheet.title) == fold(name):
                return sheet
    return workbook.worksheets[0]


def _bounds():
    config = current_app.config if has_app_context() else {}
    return (int(config.get("SHEET_MAX_ROWS", SHEET_MAX_ROWS)),
            int(config.get("SHEET_MAX_COLUMNS", SHEET_MAX_COLUMNS)))


def _numbered(rows, max_rows, max_columns):
    """Row numbers are the sheet's own (1-based, header included): the user finds them there.
    A row past `max_rows`, blank or not, or a filled cell past `max_columns` is refused; an
    .xlsx's cells further right than that are not read at all."""
    for number, row in enumerate(rows, 1):
        if number > max_rows:
            raise SpreadsheetError(
                f"Bảng tính dài hơn {max_rows} dòng (kể cả các dòng trống đã định dạng); hãy "
                "chỉ giữ các dòng có dữ liệu, xoá các dòng thừa bên dưới rồi tải lên lại.")
        cells = [cell_text(value) for value in row[:max_columns + 1]]
        if any(cells[max_columns:]):
            raise SpreadsheetError(
                f"Dòng {number} có dữ liệu ở cột {get_column_letter(max_columns + 1)}, ngoài "
                f"{max_columns} cột đầu mà bảng tính được đọc; hãy xoá các cột thừa bên phải "
                "rồi tải lên lại.")
        yield number, cells[:max_columns]


def first_filled(rows):
    """The first row with anything in it, as (number, cells), or None if there is none."""
    for number, cells in rows:
        if any(cells):
            return number, cells
    return None


def padded(cells, width):
    return cells + [""] * (width - len(cells))


def header_keys(names, number, key_of, headers, *, required, unknown_message):
    """The column keys of a header row (None under a blank header cell).

    `key_of` maps a folded column name to its key, `headers` a key to the name the template gives
    it. Refuses an unknown name (`unknown_message(name)` says why), a column given twice, and a
    header without the `required` key.
    """
    keys = []
    for name in names:
        key = key_of.get(fold(name)) if name else None
        if name and key is None:
            raise SpreadsheetError(unknown_message(name))
        if key is not None and key in keys:
            raise SpreadsheetError(f"Cột «{headers[key]}» có hơn một lần ở dòng tiêu đề "
                                   f"(dòng {number}); hãy xoá bớt cho còn một cột.")
        keys.append(key)
    if required not in keys:
        raise SpreadsheetError(f"Dòng tiêu đề (dòng {number}) chưa có cột «{headers[required]}»; "
                               "hãy thêm cột này như trong mẫu.")
    return keys


def row_values(keys, cells):
    """The row's non-blank cells by column key, and the letters of filled columns with no name."""
    values, stray = {}, []
    for column, value in enumerate(cells):
        if not value:
            continue
        key = keys[column] if column < len(keys) else None
        if key is None:
            stray.append(get_column_letter(column + 1))
        else:
            values[key] = value
    return values, stray


def header_sheet(title, headers, widths, text_columns=(), text_rows=500):
    """A workbook of one sheet with a bold header row (`headers`: key → name), column widths
    (`widths`: key → width, default 30) and frozen panes under the header; the cells of
    `text_columns` keys formatted as text for `text_rows` rows, so that what is typed there
    ("01/02/2026") stays as typed. The .xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(headers.values()))
    for column, key in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(key, 30)
        if key in text_columns:
            for row in range(2, text_rows + 2):
                sheet.cell(row=row, column=column).number_format = "@"
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# What makes a spreadsheet tool read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@")


def append_as_text(sheet, values):
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


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"  # as Excel shows it: 5.0 → "5", 0.1 + 0.2 → "0.3"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return unicodedata.normalize("NFC", str(value)).strip()


def _is_xlsx(data, subject):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return False
    if not any(member.filename == "xl/workbook.xml" for member in members):
        return False
    if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError(f"Tệp .xlsx chứa quá nhiều dữ liệu; hãy chỉ giữ {subject} "
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


def _csv_rows(text, is_header_cell):
    # The delimiter is the one that splits the header row into the most known column names;
    # csv.Sniffer guesses wrong on a single column or on commas inside the cells.
    delimiter = max(",;\t", key=lambda candidate: _header_score(text, candidate, is_header_cell))
    return _guarded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                    csv.Error, BROKEN_CSV)


def _header_score(text, delimiter, is_header_cell):
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(cell.strip(" \t,;") for cell in row):  # a line of delimiters is blank
                return sum(is_header_cell(fold(cell)) for cell in row), len(row)
    except csv.Error:
        pass
    return 0, 0


def _guarded(rows, errors, message):
    """The rows, with a failure while reading them reported as `message`."""
    try:
        yield from rows
    except errors as error:
        raise SpreadsheetError(message) from error
