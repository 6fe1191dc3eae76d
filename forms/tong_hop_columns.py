"""The Phiếu tổng hợp's columns, left to right: the one table that the form's context
(forms/tong_hop.py), its template (templates_docx/tong_hop.py), its input schema
(schemas/tong_hop.py), its spreadsheet (sheets/tong_hop.py) and its web page
(web/templates/tong_hop.html) all read.

A column is of one of three kinds:
- "index": TT, the row's number, which the template and the web page count themselves;
- "text": a value of the row (the API's JSON key is the column's key), printed as given;
- "mark": one level of the row's identification rating (II.4): "X" in the column of the row's
  `rating`, and the number of such rows on the «Cộng» line. The marks share one head above their
  own titles, RATING_TITLE, and are one field of the row, RATING.

Adding a text column: a Column here (narrowing others: together they fill the page), `make
templates`, the column in examples/tong-hop.json, and the tests that pin the paper form's columns
(tests/test_templates.py, tests/test_spreadsheet.py). A tổng hợp compiled from Phiếu 01
(forms/compile.py) leaves the new column blank unless compile fills it. TT and Họ tên stay the
first two columns: a row split over pages repeats them (documents/pagination.py).
"""

from dataclasses import dataclass

from forms.layout import CELL_MAX, NAME_MAX, TEXT_WIDTH_MM
from forms.vocab import IDENTIFICATION_RATINGS


@dataclass(frozen=True)
class Column:
    """One column of the printed table, and what the input and the spreadsheet make of it."""

    key: str  # the row's JSON key (a text), or the level's slug (a mark); the sheet's column key
    title: str  # the printed head; the spreadsheet's header and the web form's label as well
    width_mm: float  # in the printed table; the columns together fill TEXT_WIDTH_MM
    kind: str = "text"
    max_length: int = CELL_MAX  # a text's: longer is refused
    multiline: bool = True  # a text's: may hold line breaks
    required: bool = False  # a text's: a row without it is refused
    aliases: tuple[str, ...] = ()  # other headers a spreadsheet may give the column
    sheet_width: int = 30  # in the .xlsx template to fill, in characters


RATING = "rating"  # the row's key for its level, a slug of IDENTIFICATION_RATINGS
RATING_TITLE = "Mức đánh giá, nhận diện biểu hiện"  # over the marks; the rating's label
# The marks' titles: the paper form heads Trung bình «TB».
_LEVEL_TITLES = {"tot": "Tốt", "trung_binh": "TB", "kem": "Kém"}

COLUMNS = (
    Column("index", "TT", 10, kind="index", aliases=("STT",), sheet_width=5),
    Column("full_name", "Họ tên", 38, max_length=NAME_MAX, multiline=False, required=True,
           aliases=("Họ và tên",), sheet_width=26),
    # Holds a monthly rating as a rule: wide enough for «Hoàn thành xuất sắc nhiệm vụ» on one
    # line, so no rating leaves «vụ» alone on a second.
    Column("result", "Đánh giá kết quả thực hiện", 51),
    Column("shortcomings", "Tồn tại", 30),
    Column("cause", "Nguyên nhân", 29),
    Column("remedy_result", "Kết quả khắc phục", 28),
    Column("identification", "Nhận diện biểu hiện", 30),
    # A spreadsheet may name a level in full («Trung bình»).
    *(Column(level, _LEVEL_TITLES[level], 12, kind="mark", aliases=(label,), sheet_width=7)
      for level, label in IDENTIFICATION_RATINGS.items()),
)
TEXTS = tuple(column for column in COLUMNS if column.kind == "text")
MARKS = tuple(column for column in COLUMNS if column.kind == "mark")


def _head():
    cells = []
    for column in COLUMNS:
        if column.kind == "mark" and cells and cells[-1][1][-1].kind == "mark":
            cells[-1] = (RATING_TITLE, (*cells[-1][1], column))
        else:
            cells.append((RATING_TITLE if column.kind == "mark" else column.title, (column,)))
    return tuple(cells)


# The head's upper row, left to right: (title, the columns under it). A column's own title spans
# both rows of the head; over the marks, RATING_TITLE, with their own titles under it.
HEAD = _head()

assert sum(column.width_mm for column in COLUMNS) == TEXT_WIDTH_MM
assert len({column.key for column in COLUMNS} | {RATING}) == len(COLUMNS) + 1
assert [cells for _title, cells in HEAD if cells[0].kind == "mark"] == [MARKS]
