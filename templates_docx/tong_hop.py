"""tong_hop.docx: the Phiếu tổng hợp, filled by documents/render.py from forms/tong_hop.py's
context. Its table is the column table's (forms/tong_hop_columns.py), left to right."""

from forms import layout as L
from forms import wording as W
from forms.tong_hop_columns import COLUMNS, HEAD, MARKS
from templates_docx.blocks import form_title, issuer_and_date, new_document, signatures
from templates_docx.ooxml import (
    add_row,
    cell_text,
    keep_row_with_next,
    new_table,
    paragraph,
    tag_row,
)


def build():
    doc = new_document(with_footnotes=False)
    issuer_and_date(doc)
    form_title(doc, [(W.TONG_HOP_TITLE, "bold"), ("Tháng {{ month_line }}", "bold")])
    paragraph(doc, space_after=6)

    widths = tuple(column.width_mm for column in COLUMNS)
    table = new_table(doc, widths, borders=True)
    _head(table, widths)

    tag_row(table, widths, "{%tr for row in rows %}")
    row = add_row(table, widths, min_height_mm=L.ITEM_ROW_MIN_HEIGHT_MM,
                  keep_whole="{{ row.whole }}")
    for cell, column in zip(row.cells, COLUMNS):
        text, style = _row_cell(column)
        cell_text(cell, [text], style)
    tag_row(table, widths, "{%tr endfor %}")

    # «Cộng» over the columns before the marks, each mark's count under it.
    total = add_row(table, widths)
    first_mark = COLUMNS.index(MARKS[0])
    cell_text(total.cells[0].merge(total.cells[first_mark - 1]), [W.TONG_HOP_TOTAL], "TableHead")
    for col, column in enumerate(MARKS, start=first_mark):
        cell_text(total.cells[col], [f"{{{{ totals.{column.key} }}}}"], "TableHead")
    keep_row_with_next(total)  # the totals go to the page of the signature

    half = L.TEXT_WIDTH_MM / 2
    signatures(doc, [None, (W.UNIT_HEAD_SIGNATURE, W.UNIT_HEAD_SIGN_HINT, "{{ head_name }}")],
               (half, half))
    return doc


def _head(table, widths):
    """The head's two rows, repeated on every page: a column's title over both, or the marks'
    common title over their own (forms/tong_hop_columns.py, HEAD)."""
    upper = add_row(table, widths, header=True)
    lower = add_row(table, widths, header=True)
    first = 0
    for title, columns in HEAD:
        last = first + len(columns) - 1
        cell_text(upper.cells[first], [title], "TableHead")
        if columns[0].kind == "mark":
            for col, column in enumerate(columns, start=first):
                cell_text(lower.cells[col], [column.title], "TableHead")
            upper.cells[first].merge(upper.cells[last])
        else:
            upper.cells[first].merge(lower.cells[first])
        first = last + 1


def _row_cell(column):
    """A data row's cell in the column: its template tag, and its paragraph style."""
    if column.kind == "index":
        return "{{ loop.index }}", "TableHead"
    if column.kind == "mark":
        return f"{{{{ row.marks.{column.key} }}}}", "TableHead"
    return f"{{{{ row.{column.key} }}}}", "TableText"
