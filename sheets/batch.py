"""A unit's Phiếu số 01 for one month, read from one .xlsx or .csv sheet with one row per item,
and the .xlsx template to fill in.

An item is one row of a Phiếu 01's table (schemas/phieu_01.py, `ItemSchema`): its section (Mục I,
II.1, II.2, III, IV), its content, the person's own assessment and the competent level's, a note.
Rows are grouped into one form per person, by name (as the archive tells people apart: NFC, any
case, spaces collapsed), in the order people first appear. A person's position and two ratings may
be given on any of their rows, and must agree where repeated. The unit, month, date of signing, the
head's name and the place are not in the sheet: the caller passes them (`common`), the same for
every form.

The sheet's head has two rows, as the paper form's: "Cá nhân tự đánh giá" and "Cấp có thẩm quyền
đánh giá" each over its six columns. One row of prefixed names ("Cá nhân tự đánh giá: Nguyên
nhân") reads the same. Column names match in any case, with or without accents.

`read_batch` checks the sheet's layout and the values a drop-down offers (section, levels,
ratings, có/không), each problem named by its sheet row. A bad value in a person's row refuses
that person's form only («Dòng 7 (Nguyễn Văn A): …», in its `SheetForm.problems`); a wrong layout,
or a row that names nobody, refuses the sheet (SpreadsheetError). The texts are left to the
Phiếu 01 schema, which the service applies to every form as to any other request; each
`SheetForm` also says which sheet row each part of its form came from, so that a schema error can
be told by row too (`row_of`). `parse_batch` takes the sheet whole or not at all.
"""

import copy
import io
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from forms.people import name_key
from forms.vocab import (
    GROUP_II,
    IDENTIFICATION_LEVELS,
    IDENTIFICATION_RATINGS,
    MONTHLY_RATINGS,
    REMEDY_STATUSES,
    SECTIONS,
)
from forms.wording import (
    ASSESSMENT_COLUMNS,
    AUTHORITY_BLOCK,
    IDENTIFICATION_RATING_LINE,
    MONTHLY_RATING_LINE,
    SELF_BLOCK,
)
from schemas.common import HeaderFieldsMixin
from schemas.fields import fold, quoted
from schemas.phieu_01 import MAX_ITEMS, AssessmentSchema, IdentificationSchema, Phieu01Schema
from schemas.tong_hop import MAX_ROWS as MAX_PEOPLE
from sheets import tong_hop as tong_hop_sheet
from sheets.table import SpreadsheetError, first_filled, header_keys, open_table, padded, row_values

__all__ = ["COLUMNS", "SheetForm", "SpreadsheetError", "batch_template_xlsx", "parse_batch",
           "read_batch", "row_of"]

SHEET_TITLE = "Phiếu 01"
SUBJECT = "bảng các Phiếu số 01"
MAX_DATA_ROWS = 5000  # item rows; a unit has at most MAX_PEOPLE people (the tổng hợp's limit)
MAX_LISTED_PROBLEMS = 20  # in the message; `SpreadsheetError.problems` holds them all

# The two assessments of an item, each a block of six columns under its name.
BLOCKS = {"self": SELF_BLOCK, "authority": AUTHORITY_BLOCK}
BLOCK_ALIASES = {"self": ["Tự đánh giá", "Cá nhân"], "authority": ["Cấp có thẩm quyền"]}
RESULT, CAUSE, IDENTIFICATION, REMEDY = ASSESSMENT_COLUMNS
# The form's "Nhận diện biểu hiện" is a level and the content it concerns: two columns here.
BLOCK_COLUMNS = (
    ("result", RESULT, ["Kết quả", "Đánh giá kết quả", "Kết quả thực hiện"]),
    ("cause", CAUSE, []),
    ("level", IDENTIFICATION, ["Nhận diện", "Mức nhận diện", "Mức nhận diện biểu hiện"]),
    ("detail", "Nội dung có biểu hiện", ["Nội dung biểu hiện", "Biểu hiện ở nội dung"]),
    ("remedy", REMEDY, ["Khắc phục", "Giải pháp khắc phục", "Phương hướng khắc phục"]),
    ("remedy_status", REMEDY_STATUSES["fixed_in_time"],
     ["Khắc phục kịp thời", "Tình trạng khắc phục"]),
)
MONTHLY_RATING_HEAD = MONTHLY_RATING_LINE.removeprefix("- ")
IDENTIFICATION_RATING_HEAD = IDENTIFICATION_RATING_LINE.removeprefix("- ")

# (key, the template's name, other names accepted), in the template's order. A block's columns
# are keyed "self.cause", "authority.level", …
COLUMNS = (
    ("index", tong_hop_sheet.HEADERS["index"], ["STT"]),
    ("full_name", "Họ và tên", ["Họ tên"]),
    ("position", "Chức vụ", ["Chức danh"]),
    ("section", "Mục", ["Số mục", "Mục số"]),
    ("content", "Nội dung", ["Nội dung đánh giá"]),
    *((f"{block}.{key}", name, aliases) for block in BLOCKS
      for key, name, aliases in BLOCK_COLUMNS),
    ("note", "Ghi chú", []),
    ("monthly_rating", MONTHLY_RATING_HEAD, ["Xếp loại tháng", "Xếp loại"]),
    ("identification_rating", IDENTIFICATION_RATING_HEAD,
     ["Kết quả nhận diện", "Kết quả nhận diện biểu hiện", "Nhận diện tháng"]),
)
BLOCK_OF = {fold(name): block for block, head in BLOCKS.items()
            for name in (head, *BLOCK_ALIASES[block])}
SUB_NAMES = {fold(name) for _, head, aliases in BLOCK_COLUMNS for name in (head, *aliases)}


def _names(key, name, aliases):
    block, _, sub = key.rpartition(".")
    if not block:
        return [name, *aliases]
    heads = (BLOCKS[block], *BLOCK_ALIASES[block])
    return [f"{head} {sub_name}" for head in heads for sub_name in (name, *aliases)]


KEY_OF = {fold(name): key for key, *names in COLUMNS for name in _names(key, *names)}
HEADERS = {key: (f"{BLOCKS[key.split('.')[0]]}: {name}" if "." in key else name)
           for key, name, _ in COLUMNS}
SUB_HEADERS = {key: name for key, name, _ in BLOCK_COLUMNS}
EXPECTED = ", ".join(dict.fromkeys(  # the two blocks once, with their columns
    "sáu cột dưới «{}» và dưới «{}» ({})".format(
        *BLOCKS.values(), ", ".join(f"«{name}»" for name in SUB_HEADERS.values()))
    if "." in key else f"«{name}»" for key, name, _ in COLUMNS))

PERSON_KEYS = ("position", "monthly_rating", "identification_rating")
COMMON_KEYS = tuple(HeaderFieldsMixin().fields)  # unit, place, signed_on, period, head_name

# Mục: the number the form prints (I, II.1, …), with or without its dot or the word "Mục", the
# JSON key (political, …) or the section's title.
SECTION_OF = {fold(name): key for key, (number, title) in SECTIONS.items()
              for name in (number, key, title)}
SECTION_NUMBERS = ", ".join(number.rstrip(".") for number, _ in SECTIONS.values())
GROUP_II_NUMBER = fold(GROUP_II[0])  # a title row only: no item stands right under II

# The drop-downs' vocabularies, as the schema reads them (slug, label or short form).
CHOICES = {
    "level": IdentificationSchema().fields["level"],
    "monthly_rating": Phieu01Schema().fields["monthly_rating"],
    "identification_rating": Phieu01Schema().fields["identification_rating"],
}
REMEDY_FIELD = AssessmentSchema().fields["remedy_status"]
YES, NO = "có", "không"
REMEDY_OF = {**REMEDY_FIELD.lookup,
             **dict.fromkeys(map(fold, (YES, "x", "đã", "rồi", "kịp thời")), "fixed_in_time"),
             **dict.fromkeys(map(fold, (NO, "chưa")), "not_fixed")}
CHECK_MARKS = set("✓✔☑")

# The template's example row, skipped while it is left as it is; TT says it is an example.
EXAMPLE_MARK = "Ví dụ"
EXAMPLE = {
    "index": EXAMPLE_MARK,
    "full_name": "Nguyễn Thị Ngọc Ánh",
    "position": "Chuyên viên",
    "section": "I",
    "content": "Chấp hành giờ giấc làm việc, nội quy cơ quan",
    "self.result": "Có 02 buổi đến muộn trong tháng",
    "self.cause": "Chủ quan, chưa sắp xếp thời gian hợp lý",
    "self.level": IDENTIFICATION_LEVELS["khong_thuong_xuyen"],
    "self.detail": "chấp hành thời giờ làm việc",
    "self.remedy": "Sắp xếp công việc gia đình, đến cơ quan đúng giờ",
    "self.remedy_status": YES,
    "authority.result": "Thống nhất với cá nhân tự đánh giá",
    "authority.cause": "Chủ quan",
    "authority.level": IDENTIFICATION_LEVELS["khong_thuong_xuyen"],
    "authority.detail": "chấp hành thời giờ làm việc",
    "authority.remedy": "Nhắc nhở, theo dõi trong tháng sau",
    "authority.remedy_status": YES,
    "note": "",
    "monthly_rating": MONTHLY_RATINGS["hoan_thanh_tot"],
    "identification_rating": IDENTIFICATION_RATINGS["trung_binh"],
}
WIDTHS = {"index": 6, "full_name": 24, "position": 16, "section": 7, "content": 34, "note": 20,
          "monthly_rating": 24, "identification_rating": 20}
BLOCK_WIDTHS = {"result": 28, "cause": 22, "level": 26, "detail": 22, "remedy": 28,
                "remedy_status": 11}

# A Phiếu tổng hợp's sheet uploaded here by mistake: the names of its columns that this sheet
# has nowhere (as a column, a block, or a column under a block).
BATCH_NAMES = {*KEY_OF, *BLOCK_OF, *SUB_NAMES}
TONG_HOP_ONLY = {*tong_hop_sheet.KEY_OF, tong_hop_sheet.LEVELS_HEAD} - BATCH_NAMES


class _RowError(Exception):
    """A problem with one row: the message follows "Dòng N: "."""


class SheetForm(NamedTuple):
    """One person's form from the sheet: `form` as the API's JSON takes it; `rows`, the dotted
    path of each part ("person", "sections.tasks.2", "monthly_rating") to its sheet row, "" the
    person's first row (`row_of`); `problems`, why the sheet's values refuse this form
    («Dòng 7 (Nguyễn Văn A): …»), empty if none. A form sent as JSON has no rows."""

    form: dict
    rows: dict | None = None
    problems: tuple = ()


def read_batch(filename, data, common):
    """The Phiếu 01 forms in an uploaded .xlsx or .csv sheet, one `SheetForm` per person in the
    order people first appear.

    `common` holds what every form of the batch shares (schemas/common.py: unit, place,
    signed_on, period, head_name); each form gets its own copy. `filename` is not trusted: the
    content decides the file's type. Raises SpreadsheetError for an unreadable file, a wrong
    layout (one message), or rows that belong to no form (every row's problem, "Dòng 7: …", in
    `problems`)."""
    return [SheetForm({**copy.deepcopy(common), **person.form()}, person.rows,
                      tuple(f"Dòng {number} ({person.name}): {text}"
                            for number, text in person.problems))
            for person in _people(filename, data, common)]


def parse_batch(filename, data, common):
    """The forms of `read_batch`, all of them: any row's problem refuses the sheet
    (SpreadsheetError, every problem "Dòng 7: …" in `problems`, in the sheet's order)."""
    people = _people(filename, data, common)
    problems = sorted(problem for person in people for problem in person.problems)
    if problems:
        _refuse(problems)
    return [{**copy.deepcopy(common), **person.form()} for person in people]


def _people(filename, data, common):
    extra = set(common) - set(COMMON_KEYS)
    if extra:
        raise ValueError(f"common: unexpected keys {sorted(extra)}; allowed: {COMMON_KEYS}")
    with open_table(data, is_header_cell=_is_header_cell, subject=SUBJECT,
                    sheet_name=SHEET_TITLE) as table:
        return _read(table)


def _refuse(problems):
    """SpreadsheetError for (row, text) problems."""
    lines = [f"Dòng {number}: {text}" for number, text in sorted(problems)]
    raise SpreadsheetError(_summary(lines), lines)


def row_of(rows, path):
    """The sheet row of `path` (dotted, or a sequence of keys and indexes, as in a schema's error
    dict) in one form's `rows`: the row of its longest known prefix."""
    parts = [str(part) for part in (path.split(".") if isinstance(path, str) else path)]
    for end in range(len(parts), 0, -1):
        row = rows.get(".".join(parts[:end]))
        if row is not None:
            return row
    return rows[""]


def batch_template_xlsx():
    """The sheet to fill in: the two-row head, an example row, drop-downs for the vocabularies."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    keys = list(HEADERS)
    head_font, thin = Font(bold=True), Side(style="thin")
    fill = PatternFill("solid", start_color="DDEBF7")
    for column, key in enumerate(keys, start=1):
        letter = get_column_letter(column)
        block, _, sub = key.rpartition(".")
        if block:
            if sub == BLOCK_COLUMNS[0][0]:
                sheet.cell(row=1, column=column, value=BLOCKS[block])
                sheet.merge_cells(start_row=1, start_column=column, end_row=1,
                                  end_column=column + len(BLOCK_COLUMNS) - 1)
            sheet.cell(row=2, column=column, value=SUB_HEADERS[sub])
            width = BLOCK_WIDTHS[sub]
        else:
            sheet.cell(row=1, column=column, value=HEADERS[key])
            sheet.merge_cells(f"{letter}1:{letter}2")
            width = WIDTHS[key]
        sheet.column_dimensions[letter].width = width
        for row in (1, 2):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.fill = head_font, fill
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    example_font = Font(italic=True, color="808080")
    for column, key in enumerate(keys, start=1):
        cell = sheet.cell(row=3, column=column, value=EXAMPLE[key] or None)
        cell.font = example_font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[2].height = 45
    sheet.freeze_panes = "C3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    for keys_, values, title in _drop_downs():
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
            showErrorMessage=True, errorStyle="warning", errorTitle=title,
            error=f"Nên chọn một giá trị trong danh sách: {'; '.join(values)}.")
        sheet.add_data_validation(validation)
        for key in keys_:
            letter = get_column_letter(keys.index(key) + 1)
            validation.add(f"{letter}3:{letter}{MAX_DATA_ROWS + 2}")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _drop_downs():
    """(column keys, values offered, title): Excel keeps a list's text under 256 characters and
    a title under 33."""
    return [
        (["section"], [number.rstrip(".") for number, _ in SECTIONS.values()], "Mục"),
        ([f"{block}.level" for block in BLOCKS], list(IDENTIFICATION_LEVELS.values()),
         IDENTIFICATION),
        ([f"{block}.remedy_status" for block in BLOCKS], [YES, NO], SUB_HEADERS["remedy_status"]),
        (["monthly_rating"], list(MONTHLY_RATINGS.values()), "Xếp loại tháng"),
        (["identification_rating"], list(IDENTIFICATION_RATINGS.values()), "Kết quả nhận diện"),
    ]


def _is_header_cell(folded):
    return folded in KEY_OF or folded in BLOCK_OF


class _Person:
    """One form being gathered: its name, values given once per person, its items by section."""

    def __init__(self, name, number):
        self.name = name
        self.values = {}  # key → (value, row it was first given on)
        self.sections = {key: [] for key in SECTIONS}
        self.rows = {"": number, "person": number, "person.full_name": number}
        self.problems = []  # (row, text): the sheet's values refuse this form

    def set(self, key, value, number):
        if key not in self.values:
            self.values[key] = (value, number)
            self.rows[{"position": "person.position"}.get(key, key)] = number
            return
        earlier, row = self.values[key]
        same = (name_key(earlier) == name_key(value)) if key == "position" else earlier == value
        if not same:
            raise _RowError(
                f"«{HEADERS[key]}» của {self.name} ghi «{_shown(key, value)}», khác với "
                f"«{_shown(key, earlier)}» ở dòng {row}; mỗi người chỉ có một giá trị (ghi ở "
                "dòng đầu tiên của người đó là đủ).")

    def add(self, section, item, number):
        items = self.sections[section]
        if len(items) == MAX_ITEMS:
            raise _RowError(f"{self.name} đã có {MAX_ITEMS} nội dung ở mục "
                            f"{_number(section)}; một mục của phiếu có tối đa {MAX_ITEMS} dòng.")
        self.rows[f"sections.{section}.{len(items)}"] = number
        items.append(item)

    def form(self):
        person = {"full_name": self.name}
        if "position" in self.values:
            person["position"] = self.values["position"][0]
        form = {"person": person,
                "sections": {key: items for key, items in self.sections.items() if items}}
        for key in ("monthly_rating", "identification_rating"):
            if key in self.values:
                form[key] = self.values[key][0]
        return form


def _read(table):
    rows = table.rows
    found = first_filled(rows)
    if found is None:
        return []
    number, header = found
    if any(fold(name) in BLOCK_OF for name in header):
        number, below = next(rows, (number, []))
        header = _two_row_names(header, below)
    try:
        keys = _keys(header, number)
    except SpreadsheetError as error:
        if table.sheet_name is None:
            raise
        raise SpreadsheetError(
            f"{error.message} (Đã đọc trang tính «{quoted(table.sheet_name)}»: bảng cần ở trang "
            f"tính đầu tiên hoặc ở trang tính tên «{SHEET_TITLE}».)") from None
    people, problems, count = {}, [], 0
    for number, cells in rows:
        values, stray = row_values(keys, cells)
        index = values.pop("index", "")
        if set(values) <= {"section"} and not stray:
            continue  # blank, or numbered or given a section and left empty
        count += 1
        if count > MAX_DATA_ROWS:
            raise SpreadsheetError(f"Bảng có hơn {MAX_DATA_ROWS} dòng dữ liệu; hãy chia thành "
                                   "nhiều tệp rồi tải lên từng tệp.")
        name = " ".join(values.get("full_name", "").split())
        try:
            if fold(index) == fold(EXAMPLE_MARK):
                _check_example(values, stray)
                continue
            if not name:
                raise _RowError(f"chưa có «{HEADERS['full_name']}»; hãy ghi họ và tên ở mọi dòng "
                                "của người đó (không gộp ô).")
        except _RowError as error:  # a row of nobody's form refuses the sheet
            problems.append((number, str(error)))
            continue
        person = _person(people, name, number)
        try:
            if stray:
                raise _RowError(f"có dữ liệu ở cột {stray[0]} nhưng cột này chưa có tên ở dòng "
                                "tiêu đề.")
            _add(person, values, number)
        except _RowError as error:  # refuses this person's form only
            person.problems.append((number, str(error)))
    if problems:
        _refuse(problems + [problem for person in people.values()
                            for problem in person.problems])
    return list(people.values())


def _two_row_names(high, low):
    """One name per column from the paper form's two-row head: a block's name ("Cá nhân tự đánh
    giá") spans the columns to its right up to the next name in the upper row."""
    width = max(len(high), len(low))
    names, block = [], None
    for upper, lower in zip(padded(high, width), padded(low, width)):
        if fold(upper) in BLOCK_OF:
            block = upper
            names.append(f"{upper}: {lower}" if lower else upper)
        elif upper:
            block = None
            names.append(f"{upper} {lower}" if lower else upper)
        elif block and lower and fold(lower) in SUB_NAMES:
            names.append(f"{block}: {lower}")
        else:
            if lower:  # past the block: a name in the lower row alone is a column of its own
                block = None
            names.append(lower)
    return names


def _keys(header, number):
    found = [name for name in header if name and fold(name) in TONG_HOP_ONLY]
    if found:
        raise SpreadsheetError(
            f"Bảng này theo mẫu Phiếu tổng hợp (có cột «{quoted(found[0])}»), không phải mẫu "
            "Phiếu số 01 mỗi dòng một nội dung; hãy tải mẫu bảng Phiếu số 01, điền rồi tải lên.")

    def unknown(name):
        if fold(name) in SUB_NAMES:
            return (f"Cột «{quoted(name)}» (dòng {number}) chưa rõ là của «{SELF_BLOCK}» hay "
                    f"«{AUTHORITY_BLOCK}»: hãy để hai dòng tiêu đề như trong mẫu (tên khối ở "
                    f"dòng trên, tên cột ở dòng dưới) hoặc ghi «{SELF_BLOCK}: {quoted(name)}».")
        return (f"Cột «{quoted(name)}» (dòng {number}) không có trong mẫu; các cột của mẫu: "
                f"{EXPECTED}.")

    return header_keys(header, number, KEY_OF, HEADERS, required="full_name",
                       unknown_message=unknown)


def _check_example(values, stray):
    example = {key: value for key, value in EXAMPLE.items() if value and key != "index"}
    if values != example or stray:
        raise _RowError(f"cột {HEADERS['index']} ghi «{EXAMPLE_MARK}» như dòng ví dụ của mẫu, "
                        "nhưng dòng đã được sửa. Nếu là dữ liệu thật, hãy xoá chữ "
                        f"«{EXAMPLE_MARK}» ở cột {HEADERS['index']}; nếu không, hãy xoá cả dòng.")


def _person(people, name, number):
    """The form being gathered for `name`, begun at row `number` if new."""
    key = name_key(name)
    if key not in people:
        if len(people) == MAX_PEOPLE:
            raise SpreadsheetError(f"Bảng có hơn {MAX_PEOPLE} người; một đơn vị có tối đa "
                                   f"{MAX_PEOPLE} người trong một phiếu tổng hợp.")
        people[key] = _Person(name, number)
    return people[key]


def _add(person, values, number):
    """The row's values into the person's form; _RowError (nothing added) if one is wrong."""
    values.pop("full_name", None)
    person_values = {key: _person_value(key, values.pop(key)) for key in PERSON_KEYS
                     if key in values}
    section = values.pop("section", "")
    item = _item(values)
    if item and not section:
        raise _RowError(f"chưa ghi «{HEADERS['section']}» ({SECTION_NUMBERS}) cho nội dung này.")
    section_key = _section(section) if section else None
    for field, value in person_values.items():
        person.set(field, value, number)
    if item:  # a row with a section only (pre-filled, left empty) adds nothing
        person.add(section_key, item, number)


def _person_value(key, value):
    return value if key == "position" else _choice(key, CHOICES[key], value)


def _choice(key, field, value):
    slug = field.lookup.get(fold(value))
    if slug is None:
        raise _RowError(f"«{HEADERS[key]}» ghi «{quoted(value)}», không phải giá trị của mẫu; "
                        f"chọn một trong: {'; '.join(field.choices.values())}.")
    return slug


def _section(value):
    folded = fold(value).removeprefix("muc_")
    if folded in SECTION_OF:
        return SECTION_OF[folded]
    if folded == GROUP_II_NUMBER:
        raise _RowError(f"mục II chỉ là tên nhóm; hãy ghi II.1 ({SECTIONS['competence'][1]}) "
                        f"hoặc II.2 (thực hiện nhiệm vụ).")
    raise _RowError(f"«{HEADERS['section']}» ghi «{quoted(value)}», không có trong phiếu; hãy ghi "
                    f"một trong: {SECTION_NUMBERS}.")


def _item(values):
    """The item as the API takes it, from the row's item columns (empty if it has none)."""
    item = {}
    if "content" in values:
        item["content"] = values["content"]
    for block in BLOCKS:
        assessment = {}
        for sub in ("result", "cause"):
            if f"{block}.{sub}" in values:
                assessment[sub] = values[f"{block}.{sub}"]
        identification = {}
        if f"{block}.level" in values:
            identification["level"] = _choice(f"{block}.level", CHOICES["level"],
                                              values[f"{block}.level"])
        if f"{block}.detail" in values:
            identification["detail"] = values[f"{block}.detail"]
        if identification:
            assessment["identification"] = identification
        if f"{block}.remedy" in values:
            assessment["remedy"] = values[f"{block}.remedy"]
        if f"{block}.remedy_status" in values:
            assessment["remedy_status"] = _remedy_status(block, values[f"{block}.remedy_status"])
        if assessment:
            item[block] = assessment
    if "note" in values:
        item["note"] = values["note"]
    return item


def _remedy_status(block, value):
    status = "fixed_in_time" if value in CHECK_MARKS else REMEDY_OF.get(fold(value))
    if status is None:
        raise _RowError(f"«{HEADERS[f'{block}.remedy_status']}» ghi «{quoted(value)}»; hãy ghi "
                        f"«{YES}» hoặc «{NO}» (hoặc để trống).")
    return status


def _shown(key, value):
    return CHOICES[key].choices[value] if key in CHOICES else value


def _number(section):
    return SECTIONS[section][0].rstrip(".")


def _summary(problems):
    if len(problems) == 1:
        return problems[0]
    listed = problems[:MAX_LISTED_PROBLEMS]
    more = len(problems) - len(listed)
    return "\n".join([f"Bảng có {len(problems)} lỗi; hãy sửa rồi tải lên lại:", *listed,
                      *([f"… và {more} lỗi khác."] if more else [])])
