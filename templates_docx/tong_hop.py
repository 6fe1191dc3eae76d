"""tong_hop.docx: the Phiếu tổng hợp, filled by documents/render.py from forms/tong_hop.py's
context."""

from forms.vocab import IDENTIFICATION_RATING_COLUMNS
from forms import layout as L
from forms import wording as W
from templates_docx.blocks import form_title, issuer_and_date, new_document, signatures
from templates_docx.ooxml import (add_row, cell_text, keep_row_with_next, new_table, paragraph,
                                  tag_row)


def build():
    doc = new_document(with_footnotes=False)
    issuer_and_date(doc)
    form_title(doc, [(W.TONG_HOP_TITLE, "bold"), ("Tháng {{ month_line }}", "bold")])
    paragraph(doc, space_after=6)

    widths = L.TONG_HOP_COLUMNS_MM
    table = new_table(doc, widths, borders=True)
    head1 = add_row(table, widths, header=True)
    head2 = add_row(table, widths, header=True)
    for col, label in enumerate(W.TONG_HOP_COLUMNS):
        cell_text(head1.cells[col], [label], "TableHead")
        head1.cells[col].merge(head2.cells[col])
    cell_text(head1.cells[7], [W.TONG_HOP_LEVELS_HEAD], "TableHead")
    for col, label in enumerate(IDENTIFICATION_RATING_COLUMNS.values(), start=7):
        cell_text(head2.cells[col], [label], "TableHead")
    head1.cells[7].merge(head1.cells[9])

    tag_row(table, widths, "{%tr for row in rows %}")
    row = add_row(table, widths, min_height_mm=L.ITEM_ROW_MIN_HEIGHT_MM,
                  keep_whole="{{ row.whole }}")
    fields = ("full_name", "result", "shortcomings", "cause", "remedy_result", "identification")
    cell_text(row.cells[0], ["{{ loop.index }}"], "TableHead")
    for col, field in enumerate(fields, start=1):
        cell_text(row.cells[col], [f"{{{{ row.{field} }}}}"])
    for col, level in enumerate(IDENTIFICATION_RATING_COLUMNS, start=7):
        cell_text(row.cells[col], [f"{{{{ row.marks.{level} }}}}"], "TableHead")
    tag_row(table, widths, "{%tr endfor %}")

    total = add_row(table, widths)
    cell_text(total.cells[0].merge(total.cells[6]), [W.TONG_HOP_TOTAL], "TableHead")
    for col, level in enumerate(IDENTIFICATION_RATING_COLUMNS, start=7):
        cell_text(total.cells[col], [f"{{{{ totals.{level} }}}}"], "TableHead")
    keep_row_with_next(total)  # the totals go to the page of the signature

    half = L.TEXT_WIDTH_MM / 2
    signatures(doc, [None, (W.UNIT_HEAD_SIGNATURE, W.UNIT_HEAD_SIGN_HINT, "{{ head_name }}")],
               (half, half))
    return doc
