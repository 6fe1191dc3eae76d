"""bao_cao_dinh_ky.docx: the Chỉ thị 24 section of a periodic report (II.8), from
forms/periodic_report.py's context."""

from forms import layout as L
from forms import wording as W
from templates_docx.blocks import (
    form_title,
    heading,
    issuer_and_date,
    new_document,
    report_signature,
)
from templates_docx.ooxml import add_row, cell_text, new_table, paragraph, run, tag_row


def _count_table(doc, first_label, loop, total=None):
    """Counts by level, a row for each of `loop` (months or units), then the `total` row if
    given; `first_label` heads the first column."""
    widths = L.PERIODIC_COUNT_COLUMNS_MM
    table = new_table(doc, widths, borders=True)
    head = add_row(table, widths, header=True)
    for col, label in enumerate((first_label, *W.PERIODIC_COUNT_COLUMNS)):
        cell_text(head.cells[col], [label], "TableHead")
    tag_row(table, widths, f"{{%tr for row in {loop} %}}")
    row = add_row(table, widths)
    cell_text(row.cells[0], ["{{ row.label }}"])
    for col, key in enumerate(("people", "tot", "trung_binh", "kem", "chua_danh_gia"), start=1):
        cell_text(row.cells[col], [f"{{{{ row.{key} }}}}"], "TableHead")
    cell_text(row.cells[6], ["{{ row.note }}"])
    tag_row(table, widths, "{%tr endfor %}")
    if total:
        row = add_row(table, widths)
        cell_text(row.cells[0], [W.PERIODIC_TOTAL], "TableHead")
        for col, key in enumerate(("people", "tot", "trung_binh", "kem", "chua_danh_gia"),
                                  start=1):
            cell_text(row.cells[col], [f"{{{{ {total}.{key} }}}}"], "TableHead")
        cell_text(row.cells[6], [f"{{{{ {total}.note }}}}"])


def build():
    doc = new_document(with_footnotes=False)
    issuer_and_date(doc)
    form_title(doc, [("{{ report_label }}", "bold"), (W.PERIODIC_SUBTITLE, "bold"),
                 ("{{ period_line }}", "bold")])
    p = paragraph(doc, "FormTitle")
    run(p, "{{ due_line }}", bold=False, italic=True, size=L.SIZE_LEGEND)
    run(paragraph(doc, space_before=6), "{{ scope }}")

    heading(doc, W.PERIODIC_MONTHS_HEADING)
    _count_table(doc, "Tháng", "months", total="totals")
    run(paragraph(doc), "{%p if by_unit %}")
    heading(doc, W.PERIODIC_UNITS_HEADING)
    _count_table(doc, "Đơn vị", "units")
    run(paragraph(doc), "{%p endif %}")

    heading(doc, "{{ kem_heading }}")
    run(paragraph(doc), "{%p if kem %}")
    widths = L.PERIODIC_KEM_COLUMNS_MM
    table = new_table(doc, widths, borders=True)
    head = add_row(table, widths, header=True)
    for col, label in enumerate(W.PERIODIC_KEM_COLUMNS):
        cell_text(head.cells[col], [label], "TableHead")
    tag_row(table, widths, "{%tr for row in kem %}")
    row = add_row(table, widths)
    cell_text(row.cells[0], ["{{ loop.index }}"], "TableHead")
    for col, key in enumerate(("full_name", "month", "content", "remedy"), start=1):
        cell_text(row.cells[col], [f"{{{{ row.{key} }}}}"],
                   "TableHead" if key == "month" else "TableText")
    tag_row(table, widths, "{%tr endfor %}")
    run(paragraph(doc), "{%p else %}")
    run(paragraph(doc), "{{ no_kem }}")
    run(paragraph(doc), "{%p endif %}")
    report_signature(doc)
    return doc
