"""ket_qua_nam.docx: the year-end results (II.7) of a unit's people, from forms/year_end.py's
context."""

from docx.shared import Pt

from forms import layout as L
from forms import wording as W
from templates_docx.blocks import form_title, issuer_and_date, new_document, report_signature
from templates_docx.ooxml import add_row, cell_text, new_table, paragraph, run, tag_row


def build():
    doc = new_document(with_footnotes=False)
    issuer_and_date(doc)
    form_title(doc, [(W.YEAR_END_TITLE, "bold"), ("Năm {{ year }}", "bold"),
               (W.YEAR_END_SUBTITLE, "italic")])
    p = paragraph(doc, space_before=6)
    run(p, "Đơn vị: {{ unit_name }}")
    run(paragraph(doc, space_after=6), "{{ scope }}")

    widths = L.YEAR_END_COLUMNS_MM
    table = new_table(doc, widths, borders=True)
    head1 = add_row(table, widths, header=True)
    head2 = add_row(table, widths, header=True)
    month_cols = range(2, 14)
    for col, label in [*enumerate(W.YEAR_END_COLUMNS), (16, W.YEAR_END_CONSEQUENCE)]:
        cell_text(head1.cells[col], [label], "TableHead")
        head1.cells[col].merge(head2.cells[col])
    cell_text(head1.cells[2], [W.YEAR_END_MONTHS_HEAD], "TableHead")
    for month, col in enumerate(month_cols, start=1):
        cell_text(head2.cells[col], [f"T{month}"], "TableHead")
    cell_text(head1.cells[14], [W.YEAR_END_COUNTS_HEAD], "TableHead")
    for col, label in enumerate(W.YEAR_END_COUNT_COLUMNS, start=14):
        cell_text(head2.cells[col], [label], "TableHead")
    head1.cells[2].merge(head1.cells[13])
    head1.cells[14].merge(head1.cells[15])

    tag_row(table, widths, "{%tr for row in rows %}")
    row = add_row(table, widths, min_height_mm=L.ITEM_ROW_MIN_HEIGHT_MM)
    cell_text(row.cells[0], ["{{ loop.index }}"], "TableHead")
    cell_text(row.cells[1], ["{{ row.name }}"])
    for month, col in enumerate(month_cols):
        p = cell_text(row.cells[col], [f"{{{{ row.months[{month}] }}}}"], "TableHead")
        for r in p.runs:
            r.bold = False
            r.font.size = Pt(L.SIZE_YEAR_END_MONTH)
    for col, key in ((14, "kem"), (15, "trung_binh")):
        cell_text(row.cells[col], [f"{{{{ row.{key} }}}}"], "TableHead")
    cell_text(row.cells[16], ["{{ row.consequence }}"])
    tag_row(table, widths, "{%tr endfor %}")

    for text, space_before in (("{{ summary }}", 6), (W.YEAR_END_LEGEND, 4),
                               (W.YEAR_END_RULE, 2)):
        p = paragraph(doc, align="both", space_before=space_before, keep_with_next=True)
        run(p, text, italic=text != "{{ summary }}", size=L.SIZE_LEGEND)
    report_signature(doc)
    return doc
