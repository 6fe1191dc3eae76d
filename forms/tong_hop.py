"""Phiếu tổng hợp (one unit, one month): the template context built from validated input."""

from forms import rules
from forms.common import header_context, keep_whole
from forms.vocab import IDENTIFICATION_RATINGS
from forms.layout import TONG_HOP_COLUMNS_MM

TITLE = "Phiếu tổng hợp"
TEMPLATE = "tong_hop.docx"
MARK = "X"
_ROW_FIELDS = ("full_name", "result", "shortcomings", "cause", "remedy_result", "identification")


def _row_cells(row):
    texts = {field: row.get(field) or "" for field in _ROW_FIELDS}
    return {
        **texts,
        "whole": keep_whole(zip(texts.values(), TONG_HOP_COLUMNS_MM[1:], strict=False)),
        "marks": {level: MARK if row.get("rating") == level else ""
                  for level in IDENTIFICATION_RATINGS},
    }


def context(data, settings):
    """With no rows, the table prints the blank form's empty rows to fill by hand."""
    rows = data.get("rows") or []
    return {
        **header_context(data, settings["PLACE_NAME"]),
        "rows": [_row_cells(row) for row in rows] or [_row_cells({})] * 2,
        "totals": {level: sum(row.get("rating") == level for row in rows) if rows else ""
                   for level in IDENTIFICATION_RATINGS},
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
