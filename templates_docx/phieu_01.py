"""phieu_01.docx: Phiếu số 01, filled by documents/render.py from forms/phieu_01.py's context."""

from forms import layout as L
from forms import wording as W
from forms.vocab import GROUP_II, SECTIONS
from templates_docx.blocks import form_title, issuer_and_date, new_document, signatures
from templates_docx.ooxml import (
    add_row,
    cell_text,
    footnote_anchor,
    footnote_ref,
    keep_row_with_next,
    new_table,
    paragraph,
    run,
    tag_row,
)


def build():
    doc = new_document(with_footnotes=True)
    issuer_and_date(doc)
    form_title(doc, [(W.PHIEU_01_TITLE, "bold"), (W.PHIEU_01_SUBTITLE, "italic"),
               ("Tháng {{ month_line }}", "bold")])
    p = paragraph(doc, space_before=6)
    run(p, "Họ và tên: {{ person_name }}")
    run(paragraph(doc), "{%p if position %}")
    run(paragraph(doc), "Chức vụ: {{ position }}")
    run(paragraph(doc), "{%p endif %}")
    p = paragraph(doc, space_after=6)
    run(p, "Đơn vị: {{ unit_name }}")
    # The head's marks are text only; their notes are anchored here, just above, on the same
    # page. LibreOffice lays out a table whose head rows hold footnote anchors as if the notes
    # took more room than they do: the first rows went to the next page with ~15 pt to spare.
    head_notes = (2, 3, 4)
    for number in head_notes:
        footnote_anchor(p, number)

    widths = L.PHIEU_01_COLUMNS_MM
    table = new_table(doc, widths, borders=True)
    head1 = add_row(table, widths, header=True)
    head2 = add_row(table, widths, header=True)
    cell_text(head1.cells[0], ["TT"], "TableHead")
    cell_text(head1.cells[1], ["Nội dung", 2], "TableHead", anchors=False)
    cell_text(head1.cells[2], [W.SELF_BLOCK], "TableHead")
    cell_text(head1.cells[6], [W.AUTHORITY_BLOCK], "TableHead")
    cell_text(head1.cells[10], ["Ghi chú"], "TableHead")
    footnotes = {(2, 0): 3, (6, 2): 4}  # (first column of the block, column) → footnote
    assert {2, *footnotes.values()} == set(head_notes)
    for start in (2, 6):
        for i, label in enumerate(W.ASSESSMENT_COLUMNS):
            note = footnotes.get((start, i))
            cell_text(head2.cells[start + i], [label] + ([note] if note else []), "TableHead",
                      anchors=False)
    for col in (0, 1, 10):
        head1.cells[col].merge(head2.cells[col])
    head1.cells[2].merge(head1.cells[5])
    head1.cells[6].merge(head1.cells[9])

    def section_row(number, title, note=None):
        row = add_row(table, widths)
        cell_text(row.cells[0], [number], "TableHead")
        merged = row.cells[1].merge(row.cells[10])
        p = cell_text(merged, [title] + ([note] if note else []))
        for r in p.runs:
            r.bold = True
        keep_row_with_next(row)  # a section's title stays on the page of its first item

    for key, (number, title) in SECTIONS.items():
        if key == "competence":
            section_row(*GROUP_II)
        section_row(number, title, 5 if key == "tasks" else None)
        tag_row(table, widths, f"{{%tr for item in sections.{key} %}}")
        row = add_row(table, widths, min_height_mm=L.ITEM_ROW_MIN_HEIGHT_MM,
                      keep_whole="{{ item.whole }}")
        cells = ["{{ loop.index }}.", "{{ item.content }}"]
        for who in ("self", "authority"):
            cells += [f"{{{{ item.{who}.{field} }}}}"
                      for field in ("result", "cause", "identification", "remedy")]
        cells.append("{{ item.note }}")
        for cell, text in zip(row.cells, cells):
            cell_text(cell, [text], "TableHead" if text.startswith("{{ loop") else "TableText")
        tag_row(table, widths, "{%tr endfor %}")

    p = paragraph(doc, space_before=6, keep_with_next=True)
    run(p, W.MONTHLY_RATING_LINE)
    footnote_ref(p, 6)
    run(p, ": {{ monthly_rating }}")
    p = paragraph(doc, keep_with_next=True)
    run(p, W.IDENTIFICATION_RATING_LINE)
    footnote_ref(p, 7)
    run(p, ": {{ identification_rating }}")
    half = L.TEXT_WIDTH_MM / 2
    signatures(doc, [(W.HEAD_CONFIRMATION, W.SIGN_HINT, "{{ head_name }}"),
                     (W.PERSON_SIGNATURE, W.SIGN_HINT, "{{ signer_name }}")], (half, half))
    return doc
