"""What both forms print the same way: the header block, the date line, the dotted blanks."""

import math

from forms.layout import (
    DOTS_DATE_YEAR,
    DOTS_LINE,
    DOTS_SHORT,
    DOTS_YEAR,
    MARGIN_BOTTOM_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    ROW_KEEP_WHOLE_MAX_MM,
    TABLE_CELL_PADDING_MM,
    TABLE_CHAR_MM,
    TABLE_LINE_MM,
)


def or_dots(value, dots=DOTS_LINE):
    """A value, or the blank form's dotted line where it is missing."""
    return value if value else dots


def estimated_lines(text, width):
    """How many lines `text` takes in a table cell `width` mm wide, erring towards more."""
    per_line = max(1, int((width - TABLE_CELL_PADDING_MM) / TABLE_CHAR_MM))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def row_height_mm(cells):
    """A table row's estimated height from its (text, column width in mm) cells."""
    return max((estimated_lines(text, width) for text, width in cells),
               default=1) * TABLE_LINE_MM


def keep_whole(cells):
    """"1" if a table row of these (text, column width in mm) cells is kept on one page, "0" if
    its estimated height passes ROW_KEEP_WHOLE_MAX_MM and it may split (the template's
    w:cantSplit takes this value)."""
    return "1" if row_height_mm(cells) <= ROW_KEEP_WHOLE_MAX_MM else "0"


def estimated_pages(rows):
    """Roughly how many pages a form prints whose table rows are `rows`, each a list of (text,
    column width in mm) cells: the table's estimated height over a page's, and a page more for
    the header and another for the results and signatures. Like estimated_lines, it errs
    towards more."""
    table_mm = sum(row_height_mm(cells) for cells in rows)
    return 2 + math.ceil(table_mm / (PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM))


def two_digits_early(number, below):
    """Nghị định 30: days under 10 and months 1 and 2 take a leading zero ("05", "02", "11")."""
    return f"{number:02d}" if number < below else str(number)


def day_text(day):
    return two_digits_early(day, 10)


def month_text(month):
    return two_digits_early(month, 3)


def date_line(place, signed_on):
    """"Nam Từ Liêm, ngày 05 tháng 02 năm 2026", or dotted where the date is not given."""
    if signed_on is None:
        return f"{place}, ngày {DOTS_SHORT} tháng {DOTS_SHORT} năm {DOTS_DATE_YEAR}"
    return (f"{place}, ngày {day_text(signed_on.day)} tháng {month_text(signed_on.month)} "
            f"năm {signed_on.year}")


def month_line(period):
    """The period under the title: "11/2026", "02/2026", or dotted on the blank form."""
    if period is None:
        return f"{DOTS_SHORT}/{DOTS_YEAR}"
    return f"{month_text(period['month'])}/{period['year']}"


def header_context(data, default_place):
    """Context of the top block and the signature names shared by both templates."""
    unit = data.get("unit") or {}
    return {
        "issuer_parent": (unit.get("parent") or "").upper(),
        "issuer_unit": or_dots(unit.get("name"), "ĐƠN VỊ" + DOTS_SHORT).upper(),
        "date_line": date_line(data.get("place") or default_place, data.get("signed_on")),
        "month_line": month_line(data.get("period")),
        "head_name": data.get("head_name") or "",
    }
