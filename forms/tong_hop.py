"""Phiếu tổng hợp (one unit, one month): the template context built from validated input."""

from forms import common, rules
from forms.common import header_context, keep_whole
from forms.tong_hop_columns import MARKS, RATING, TEXTS

TITLE = "Phiếu tổng hợp"
TEMPLATE = "tong_hop.docx"
MARK = "X"


def _printed(row):
    """A row's (text, column width in mm) cells."""
    return [(row.get(column.key) or "", column.width_mm) for column in TEXTS]


def estimated_pages(data):
    """Roughly how many pages the filled form prints (forms.common.estimated_pages)."""
    return common.estimated_pages(_printed(row) for row in data.get("rows") or [])


def _row_cells(row):
    """A row's cells by column key (forms/tong_hop_columns.py): the texts, and the marks."""
    texts = {column.key: row.get(column.key) or "" for column in TEXTS}
    return {
        **texts,
        "whole": keep_whole(_printed(row)),
        "marks": {column.key: MARK if row.get(RATING) == column.key else "" for column in MARKS},
    }


def context(data, settings):
    """With no rows, the table prints the blank form's empty rows to fill by hand."""
    rows = data.get("rows") or []
    return {
        **header_context(data, settings["PLACE_NAME"]),
        "rows": [_row_cells(row) for row in rows] or [_row_cells({})] * 2,
        "totals": {column.key: sum(row.get(RATING) == column.key for row in rows) if rows else ""
                   for column in MARKS},
    }


def blank_context(settings):
    return context({}, settings)


def metadata(data):
    period = data.get("period")
    if period is None:
        return {"title": "Phiếu tổng hợp đánh giá, nhận diện (mẫu trống)",
                "subject": "Phiếu tổng hợp", "author": "", "stem": "Phiếu tổng hợp - mẫu trống"}
    month = f"{period['month']:02d}/{period['year']}"
    unit = data["unit"]["name"]
    return {
        "title": f"Phiếu tổng hợp đánh giá, nhận diện - {unit} - tháng {month}",
        "subject": f"Phiếu tổng hợp, tháng {month}",
        "author": unit,
        "stem": f"Phiếu tổng hợp - {unit} - tháng {period['month']:02d}-{period['year']}",
    }


check = rules.check_tong_hop
