"""Builds the Word templates of the two forms: `python -m templates_docx.build` (or `make templates`).

The .docx files are committed so a secretariat can open them in Word; this code is their source,
so a layout change is a reviewed code change. The output is byte-for-byte reproducible (fixed zip
timestamps and metadata) and lean: python-docx's default template carries ~790 KB of styles that
LibreOffice would parse on every conversion, so its styles are replaced by the handful used here
and its unused parts are dropped.

The Jinja tags placed here are filled by documents/render.py from the contexts of forms/phieu_01.py
and forms/tong_hop.py.
"""

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from forms.vocab import GROUP_II, IDENTIFICATION_RATING_COLUMNS, SECTIONS
from forms import layout as L
from forms import wording as W

HERE = Path(__file__).resolve().parent
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# A footnote's anchor carries an invisible custom mark; its number is text beside it (and at
# the note's start). LibreOffice prints no footnote anchor in a table head repeated on a later
# page, and the guidance's second page keeps the head's marks: text repeats, anchors do not.
# Numbers as text also keep a form's notes 2–7 in a print packet of many forms.
INVISIBLE_MARK = "\u200b"
# The numbers' character style. Not "footnote reference": LibreOffice drops a document's first
# note's first run when it has that style, taking it for the automatic number.
NUMBER_STYLE = "FootnoteNumber"


def _half_points(size):
    return str(int(size * 2))


def _twips(mm):
    return str(Mm(mm).twips)


def _styles_xml():
    def para_style(style_id, name, size, *, bold=False, italic=False, jc=None):
        ppr = f'<w:jc w:val="{jc}"/>' if jc else ""
        rpr = ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "")
        return (
            f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
            f"<w:pPr>{ppr}</w:pPr>"
            f'<w:rPr>{rpr}<w:sz w:val="{_half_points(size)}"/>'
            f'<w:szCs w:val="{_half_points(size)}"/></w:rPr></w:style>'
        )

    font = L.FONT
    return (
        f"<w:styles {nsdecls('w')}>"
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
        f'<w:sz w:val="{_half_points(L.SIZE_BODY)}"/><w:szCs w:val="{_half_points(L.SIZE_BODY)}"/>'
        f'<w:lang w:val="{L.LANGUAGE}" w:eastAsia="{L.LANGUAGE}" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault>"
        '<w:pPrDefault><w:pPr><w:widowControl/>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr>'
        '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        f'<w:top w:w="{_twips(L.CELL_PADDING_TOP_MM)}" w:type="dxa"/>'
        f'<w:left w:w="{_twips(L.CELL_PADDING_SIDE_MM)}" w:type="dxa"/>'
        f'<w:bottom w:w="{_twips(L.CELL_PADDING_BOTTOM_MM)}" w:type="dxa"/>'
        f'<w:right w:w="{_twips(L.CELL_PADDING_SIDE_MM)}" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>"
        + para_style("FormTitle", "Form Title", L.SIZE_TITLE, bold=True, jc="center")
        + para_style("TableHead", "Table Head", L.SIZE_TABLE, bold=True, jc="center")
        + para_style("TableText", "Table Text", L.SIZE_TABLE)
        + para_style("Signature", "Signature", L.SIZE_BODY, bold=True, jc="center")
        + para_style("Header", "header", L.SIZE_PAGE_NUMBER, jc="center")
        + para_style("Footer", "footer", L.SIZE_ARCHIVE_CODE, jc="right")
        + para_style("FootnoteText", "footnote text", L.SIZE_FOOTNOTE, jc="both")
        + "".join(
            f'<w:style w:type="character" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
            for style_id, name in (("FootnoteReference", "footnote reference"),
                                   (NUMBER_STYLE, "Footnote Number")))
        + "</w:styles>"
    )


def _settings_xml():
    return (
        f"<w:settings {nsdecls('w')}>"
        '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val="{L.LANGUAGE}"/>'  # the schema's order matters to Word
        "</w:settings>"
    )


def _footnotes_xml(footnotes):
    separators = "".join(
        f'<w:footnote w:type="{kind}" w:id="{fid}"><w:p><w:r><w:{kind}/></w:r></w:p></w:footnote>'
        for fid, kind in ((-1, "separator"), (0, "continuationSeparator"))
    )
    notes = []
    for number, paragraphs in footnotes.items():
        paras = []
        for i, text in enumerate(paragraphs):
            mark = (
                f'<w:r><w:rPr><w:rStyle w:val="{NUMBER_STYLE}"/></w:rPr><w:t>{number}</w:t></w:r>'
                if i == 0
                else ""
            )
            paras.append(
                '<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                f'{mark}<w:r><w:t xml:space="preserve">{" " if i == 0 else ""}{text}</w:t></w:r>'
                "</w:p>"
            )
        notes.append(f'<w:footnote w:id="{_footnote_id(number)}">{"".join(paras)}</w:footnote>')
    return f"<w:footnotes {nsdecls('w')}>{separators}{''.join(notes)}</w:footnotes>"


def _footnote_id(number):
    return number - min(W.FOOTNOTES) + 1  # ids 1.. in reference order


def _new_document(with_footnotes):
    doc = Document()
    styles = doc.styles.element
    for child in list(styles):
        styles.remove(child)
    for child in parse_xml(_styles_xml()):
        styles.append(child)

    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype not in (RT.STYLES, RT.SETTINGS):
            del doc.part.rels[rel_id]
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    doc.part._settings_part._element = parse_xml(_settings_xml())

    if with_footnotes:
        part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT,
                    _footnotes_xml(W.FOOTNOTES).encode("utf-8"), package)
        doc.part.relate_to(part, RT.FOOTNOTES)

    props = doc.core_properties
    # Title, subject and author are set per document by documents/render.py.
    props.title = props.subject = props.author = ""
    props.language = L.LANGUAGE
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.revision = 1
    props.created = props.modified = datetime(2026, 1, 1)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(L.PAGE_WIDTH_MM), Mm(L.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(L.MARGIN_TOP_MM), Mm(L.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(L.MARGIN_LEFT_MM), Mm(L.MARGIN_RIGHT_MM)
    section.header_distance = Mm(L.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(L.FOOTER_DISTANCE_MM)
    # Nghị định 30: page numbers centred in the top margin, from the second page on.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    number = section.header.paragraphs[0]
    number._p.style = "Header"
    number._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>'))
    for footer in (section.first_page_footer, section.footer):
        _archive_stamp(footer)
    # The form opens with an empty paragraph of no height. LibreOffice starts a section (page
    # numbers from 1) only at a paragraph, and a print packet marks there where each form starts
    # (documents/compose.py); alone or in a packet, a form then has the same height to lay out.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _no_height(_paragraph(doc))
    return doc


def _archive_stamp(footer):
    """An archived form's code and QR code (filled by documents/render.py); empty otherwise."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p._p.style = "Footer"
    _run(p, f"{{% if archive_stamp %}}{W.ARCHIVE_CODE_LABEL}: {{{{ archive_stamp.code }}}} "
            "{{ archive_stamp.qr }}{% endif %}")


def _paragraph(container, style=None, *, align=None, space_before=0, space_after=0,
               keep_with_next=False):
    p = container.add_paragraph()
    if style:
        p._p.style = style
    fmt = p.paragraph_format
    if align:
        fmt.alignment = {"center": 1, "right": 2, "both": 3}[align]
    if space_before:
        fmt.space_before = Pt(space_before)
    if space_after:
        fmt.space_after = Pt(space_after)
    if keep_with_next:
        fmt.keep_with_next = True
    return p


def _run(p, text, *, bold=None, italic=None, size=None, underline=None):
    r = p.add_run(text)
    if bold is not None:
        r.bold = bold
    if italic is not None:
        r.italic = italic
    if size:
        r.font.size = Pt(size)
    if underline:
        r.underline = True
    return r


def _footnote_ref(p, number, *, anchor=True):
    """The mark `number` as text, then (with `anchor`) the note's anchor, its mark invisible."""
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="{NUMBER_STYLE}"/>'
                          f'</w:rPr><w:t>{number}</w:t></w:r>'))
    if anchor:
        _footnote_anchor(p, number)


def _footnote_anchor(p, number):
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        f'<w:footnoteReference w:customMarkFollows="1" w:id="{_footnote_id(number)}"/>'
        f"<w:t>{INVISIBLE_MARK}</w:t></w:r>"))


def _cell_text(cell, parts, style="TableText", *, anchors=True):
    """Fills a cell's first paragraph: parts are strings, or ints for footnote marks (the
    notes' anchors too, unless not `anchors`)."""
    p = cell.paragraphs[0]
    p._p.style = style
    for part in parts:
        if isinstance(part, int):
            _footnote_ref(p, part, anchor=anchors)
        else:
            _run(p, part)
    return p


def _table(doc, widths_mm, *, borders):
    table = doc.add_table(rows=0, cols=len(widths_mm))
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    none = '<w:{0} w:val="nil"/>'
    look = table._tbl.tblPr.find(qn("w:tblLook"))  # the schema wants borders and layout before it
    look.addprevious(parse_xml(
        f'<w:tblBorders {nsdecls("w")}>'
        + "".join((border if borders else none).format(side)
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"))
    look.addprevious(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm):
        col.w = Mm(width)
    return table


def _add_row(table, widths_mm, *, header=False, min_height_mm=None, keep_whole="1"):
    """A row kept on one page; a data row's `keep_whole` is a template tag (forms/common.py
    keep_whole) that lets a very tall row split."""
    row = table.add_row()
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = '' if keep_whole == "1" else f' w:val="{keep_whole}"'
    tr_pr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}{cant_split}/>'))
    if min_height_mm:
        tr_pr.append(parse_xml(f'<w:trHeight {nsdecls("w")} w:val="{Mm(min_height_mm).twips}" '
                               'w:hRule="atLeast"/>'))
    if header:
        tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for cell, width in zip(row.cells, widths_mm):
        cell.width = Mm(width)
        if header:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return row


def _keep_with_next(row):
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _tag_row(table, widths_mm, tag):
    """A row holding only a docxtpl row tag ({%tr … %}); docxtpl replaces the whole row by it."""
    row = _add_row(table, widths_mm)
    _cell_text(row.cells[0], [tag])


def _issuer_and_date(doc):
    """The top block: issuing body left, Party header and place/date right (Nghị định 30, HD 36)."""
    widths = (L.HEADER_LEFT_MM, L.HEADER_RIGHT_MM)
    table = _table(doc, widths, borders=False)
    row = _add_row(table, widths)
    left, right = row.cells

    _run(left.paragraphs[0], "{%p if issuer_parent %}")
    p = left.add_paragraph()
    p.alignment = 1
    _run(p, "{{ issuer_parent }}", bold=False, size=L.SIZE_ISSUER)
    p = left.add_paragraph()
    _run(p, "{%p endif %}")
    p = left.add_paragraph()
    p.alignment = 1
    _run(p, "{{ issuer_unit }}", bold=True, size=L.SIZE_ISSUER)
    p = left.add_paragraph()
    p.alignment = 1
    _run(p, "*", size=L.SIZE_ISSUER)

    p = right.paragraphs[0]
    p.alignment = 1
    _run(p, W.PARTY_HEADER, bold=True, size=L.SIZE_PARTY_HEADER)
    _rule_under(p, L.HEADER_RIGHT_MM - 2 * L.CELL_PADDING_SIDE_MM, L.PARTY_HEADER_TEXT_MM)
    p = right.add_paragraph()
    p.alignment = 1
    p.paragraph_format.space_before = Pt(6)
    _run(p, "{{ date_line }}", italic=True, size=L.SIZE_DATE_LINE)


def _rule_under(p, width_mm, length_mm):
    """HD 36-HD/VPTW: a solid line under the Party header, as long as its text. An underline
    would cross the dots under Ộ and Ệ; this is the paragraph's bottom border, indented so that
    it is `length_mm` long, a little below the letters."""
    indent = Mm((width_mm - length_mm - L.PARTY_HEADER_RULE_SLACK_MM) / 2)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = indent
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
        'w:color="000000"/></w:pBdr>'))


def _title(doc, lines):
    for i, (text, kind) in enumerate(lines):
        p = _paragraph(doc, "FormTitle", space_before=12 if i == 0 else 0)
        _run(p, text, bold=kind == "bold", italic=kind == "italic")


def _no_height(p):
    p.paragraph_format.line_spacing = Pt(1)
    p.paragraph_format.line_spacing_rule = 4  # WD_LINE_SPACING.EXACTLY
    return p


def _signatures(doc, blocks, widths):
    """Signature blocks side by side: (title, hint, name tag) each; None leaves a column empty."""
    # Two tables with nothing between them would merge into one; the paragraph between keeps
    # what precedes the signatures (Phiếu 01's result lines) on the signatures' page.
    _no_height(_paragraph(doc, keep_with_next=True))
    table = _table(doc, widths, borders=False)
    row = _add_row(table, widths)
    for cell, block in zip(row.cells, blocks):
        if block is None:
            continue
        title, hint, name = block
        _cell_text(cell, [title], style="Signature").paragraph_format.space_before = Pt(6)
        p = cell.add_paragraph()
        p.alignment = 1
        _run(p, hint, italic=True)
        for _ in range(L.SIGNATURE_BLANK_LINES):
            cell.add_paragraph()
        p = cell.add_paragraph()
        p._p.style = "Signature"
        _run(p, name)


def build_phieu_01():
    doc = _new_document(with_footnotes=True)
    _issuer_and_date(doc)
    _title(doc, [(W.PHIEU_01_TITLE, "bold"), (W.PHIEU_01_SUBTITLE, "italic"),
                 ("Tháng {{ month_line }}", "bold")])
    p = _paragraph(doc, space_before=6)
    _run(p, "Họ và tên: {{ person_name }}")
    _run(_paragraph(doc), "{%p if position %}")
    _run(_paragraph(doc), "Chức vụ: {{ position }}")
    _run(_paragraph(doc), "{%p endif %}")
    p = _paragraph(doc, space_after=6)
    _run(p, "Đơn vị: {{ unit_name }}")
    # The head's marks are text only; their notes are anchored here, just above, on the same
    # page. LibreOffice lays out a table whose head rows hold footnote anchors as if the notes
    # took more room than they do: the first rows went to the next page with ~15 pt to spare.
    head_notes = (2, 3, 4)
    for number in head_notes:
        _footnote_anchor(p, number)

    widths = L.PHIEU_01_COLUMNS_MM
    table = _table(doc, widths, borders=True)
    head1 = _add_row(table, widths, header=True)
    head2 = _add_row(table, widths, header=True)
    _cell_text(head1.cells[0], ["TT"], "TableHead")
    _cell_text(head1.cells[1], ["Nội dung", 2], "TableHead", anchors=False)
    _cell_text(head1.cells[2], [W.SELF_BLOCK], "TableHead")
    _cell_text(head1.cells[6], [W.AUTHORITY_BLOCK], "TableHead")
    _cell_text(head1.cells[10], ["Ghi chú"], "TableHead")
    footnotes = {(2, 0): 3, (6, 2): 4}  # (first column of the block, column) → footnote
    assert {2, *footnotes.values()} == set(head_notes)
    for start in (2, 6):
        for i, label in enumerate(W.ASSESSMENT_COLUMNS):
            note = footnotes.get((start, i))
            _cell_text(head2.cells[start + i], [label] + ([note] if note else []), "TableHead",
                       anchors=False)
    for col in (0, 1, 10):
        head1.cells[col].merge(head2.cells[col])
    head1.cells[2].merge(head1.cells[5])
    head1.cells[6].merge(head1.cells[9])

    def section_row(number, title, note=None):
        row = _add_row(table, widths)
        _cell_text(row.cells[0], [number], "TableHead")
        merged = row.cells[1].merge(row.cells[10])
        p = _cell_text(merged, [title] + ([note] if note else []))
        for r in p.runs:
            r.bold = True
        _keep_with_next(row)  # a section's title stays on the page of its first item

    for key, (number, title) in SECTIONS.items():
        if key == "competence":
            section_row(*GROUP_II)
        section_row(number, title, 5 if key == "tasks" else None)
        _tag_row(table, widths, f"{{%tr for item in sections.{key} %}}")
        row = _add_row(table, widths, min_height_mm=L.ITEM_ROW_MIN_HEIGHT_MM,
                       keep_whole="{{ item.whole }}")
        cells = ["{{ loop.index }}.", "{{ item.content }}"]
        for who in ("self", "authority"):
            cells += [f"{{{{ item.{who}.{field} }}}}"
                      for field in ("result", "cause", "identification", "remedy")]
        cells.append("{{ item.note }}")
        for cell, text in zip(row.cells, cells):
            _cell_text(cell, [text], "TableHead" if text.startswith("{{ loop") else "TableText")
        _tag_row(table, widths, "{%tr endfor %}")

    p = _paragraph(doc, space_before=6, keep_with_next=True)
    _run(p, W.MONTHLY_RATING_LINE)
    _footnote_ref(p, 6)
    _run(p, ": {{ monthly_rating }}")
    p = _paragraph(doc, keep_with_next=True)
    _run(p, W.IDENTIFICATION_RATING_LINE)
    _footnote_ref(p, 7)
    _run(p, ": {{ identification_rating }}")
    half = L.TEXT_WIDTH_MM / 2
    _signatures(doc, [(W.HEAD_CONFIRMATION, W.SIGN_HINT, "{{ head_name }}"),
                      (W.PERSON_SIGNATURE, W.SIGN_HINT, "{{ signer_name }}")], (half, half))
    return doc


def build_tong_hop():
    doc = _new_document(with_footnotes=False)
    _issuer_and_date(doc)
    _title(doc, [(W.TONG_HOP_TITLE, "bold"), ("Tháng {{ month_line }}", "bold")])
    _paragraph(doc, space_after=6)

    widths = L.TONG_HOP_COLUMNS_MM
    table = _table(doc, widths, borders=True)
    head1 = _add_row(table, widths, header=True)
    head2 = _add_row(table, widths, header=True)
    for col, label in enumerate(W.TONG_HOP_COLUMNS):
        _cell_text(head1.cells[col], [label], "TableHead")
        head1.cells[col].merge(head2.cells[col])
    _cell_text(head1.cells[7], [W.TONG_HOP_LEVELS_HEAD], "TableHead")
    for col, label in enumerate(IDENTIFICATION_RATING_COLUMNS.values(), start=7):
        _cell_text(head2.cells[col], [label], "TableHead")
    head1.cells[7].merge(head1.cells[9])

    _tag_row(table, widths, "{%tr for row in rows %}")
    row = _add_row(table, widths, min_height_mm=L.ITEM_ROW_MIN_HEIGHT_MM,
                   keep_whole="{{ row.whole }}")
    fields = ("full_name", "result", "shortcomings", "cause", "remedy_result", "identification")
    _cell_text(row.cells[0], ["{{ loop.index }}"], "TableHead")
    for col, field in enumerate(fields, start=1):
        _cell_text(row.cells[col], [f"{{{{ row.{field} }}}}"])
    for col, level in enumerate(IDENTIFICATION_RATING_COLUMNS, start=7):
        _cell_text(row.cells[col], [f"{{{{ row.marks.{level} }}}}"], "TableHead")
    _tag_row(table, widths, "{%tr endfor %}")

    total = _add_row(table, widths)
    _cell_text(total.cells[0].merge(total.cells[6]), [W.TONG_HOP_TOTAL], "TableHead")
    for col, level in enumerate(IDENTIFICATION_RATING_COLUMNS, start=7):
        _cell_text(total.cells[col], [f"{{{{ totals.{level} }}}}"], "TableHead")
    _keep_with_next(total)  # the totals go to the page of the signature

    half = L.TEXT_WIDTH_MM / 2
    _signatures(doc, [None, (W.UNIT_HEAD_SIGNATURE, W.UNIT_HEAD_SIGN_HINT, "{{ head_name }}")],
                (half, half))
    return doc


def _heading(doc, text, *, space_before=8):
    p = _paragraph(doc, space_before=space_before, space_after=4, keep_with_next=True)
    _run(p, text, bold=True, size=L.SIZE_HEADING)
    return p


def _report_signature(doc):
    half = L.TEXT_WIDTH_MM / 2
    _signatures(doc, [None, (W.UNIT_HEAD_SIGNATURE, W.UNIT_HEAD_SIGN_HINT, "")], (half, half))


def build_ket_qua_nam():
    """The year-end results (II.7) of a unit's people, from forms/year_end.py's context."""
    doc = _new_document(with_footnotes=False)
    _issuer_and_date(doc)
    _title(doc, [(W.YEAR_END_TITLE, "bold"), ("Năm {{ year }}", "bold"),
                 (W.YEAR_END_SUBTITLE, "italic")])
    p = _paragraph(doc, space_before=6)
    _run(p, "Đơn vị: {{ unit_name }}")
    _run(_paragraph(doc, space_after=6), "{{ scope }}")

    widths = L.YEAR_END_COLUMNS_MM
    table = _table(doc, widths, borders=True)
    head1 = _add_row(table, widths, header=True)
    head2 = _add_row(table, widths, header=True)
    month_cols = range(2, 14)
    for col, label in [*enumerate(W.YEAR_END_COLUMNS), (16, W.YEAR_END_CONSEQUENCE)]:
        _cell_text(head1.cells[col], [label], "TableHead")
        head1.cells[col].merge(head2.cells[col])
    _cell_text(head1.cells[2], [W.YEAR_END_MONTHS_HEAD], "TableHead")
    for month, col in enumerate(month_cols, start=1):
        _cell_text(head2.cells[col], [f"T{month}"], "TableHead")
    _cell_text(head1.cells[14], [W.YEAR_END_COUNTS_HEAD], "TableHead")
    for col, label in enumerate(W.YEAR_END_COUNT_COLUMNS, start=14):
        _cell_text(head2.cells[col], [label], "TableHead")
    head1.cells[2].merge(head1.cells[13])
    head1.cells[14].merge(head1.cells[15])

    _tag_row(table, widths, "{%tr for row in rows %}")
    row = _add_row(table, widths, min_height_mm=L.ITEM_ROW_MIN_HEIGHT_MM)
    _cell_text(row.cells[0], ["{{ loop.index }}"], "TableHead")
    _cell_text(row.cells[1], ["{{ row.name }}"])
    for month, col in enumerate(month_cols):
        p = _cell_text(row.cells[col], [f"{{{{ row.months[{month}] }}}}"], "TableHead")
        for r in p.runs:
            r.bold = False
            r.font.size = Pt(L.SIZE_YEAR_END_MONTH)
    for col, key in ((14, "kem"), (15, "trung_binh")):
        _cell_text(row.cells[col], [f"{{{{ row.{key} }}}}"], "TableHead")
    _cell_text(row.cells[16], ["{{ row.consequence }}"])
    _tag_row(table, widths, "{%tr endfor %}")

    for text, space_before in (("{{ summary }}", 6), (W.YEAR_END_LEGEND, 4),
                               (W.YEAR_END_RULE, 2)):
        p = _paragraph(doc, align="both", space_before=space_before, keep_with_next=True)
        _run(p, text, italic=text != "{{ summary }}", size=L.SIZE_LEGEND)
    _report_signature(doc)
    return doc


def _count_table(doc, first_label, loop, total=None):
    widths = L.PERIODIC_COUNT_COLUMNS_MM
    table = _table(doc, widths, borders=True)
    head = _add_row(table, widths, header=True)
    for col, label in enumerate((first_label, *W.PERIODIC_COUNT_COLUMNS)):
        _cell_text(head.cells[col], [label], "TableHead")
    _tag_row(table, widths, f"{{%tr for row in {loop} %}}")
    row = _add_row(table, widths)
    _cell_text(row.cells[0], ["{{ row.label }}"])
    for col, key in enumerate(("people", "tot", "trung_binh", "kem", "chua_danh_gia"), start=1):
        _cell_text(row.cells[col], [f"{{{{ row.{key} }}}}"], "TableHead")
    _cell_text(row.cells[6], ["{{ row.note }}"])
    _tag_row(table, widths, "{%tr endfor %}")
    if total:
        row = _add_row(table, widths)
        _cell_text(row.cells[0], [W.PERIODIC_TOTAL], "TableHead")
        for col, key in enumerate(("people", "tot", "trung_binh", "kem", "chua_danh_gia"),
                                  start=1):
            _cell_text(row.cells[col], [f"{{{{ {total}.{key} }}}}"], "TableHead")
        _cell_text(row.cells[6], [f"{{{{ {total}.note }}}}"])


def build_bao_cao_dinh_ky():
    """The Chỉ thị 24 section of a periodic report (II.8), from forms/periodic_report.py."""
    doc = _new_document(with_footnotes=False)
    _issuer_and_date(doc)
    _title(doc, [("{{ report_label }}", "bold"), (W.PERIODIC_SUBTITLE, "bold"),
                 ("{{ period_line }}", "bold")])
    p = _paragraph(doc, "FormTitle")
    _run(p, "{{ due_line }}", bold=False, italic=True, size=L.SIZE_LEGEND)
    _run(_paragraph(doc, space_before=6), "{{ scope }}")

    _heading(doc, W.PERIODIC_MONTHS_HEADING)
    _count_table(doc, "Tháng", "months", total="totals")
    _run(_paragraph(doc), "{%p if by_unit %}")
    _heading(doc, W.PERIODIC_UNITS_HEADING)
    _count_table(doc, "Đơn vị", "units")
    _run(_paragraph(doc), "{%p endif %}")

    _heading(doc, "{{ kem_heading }}")
    _run(_paragraph(doc), "{%p if kem %}")
    widths = L.PERIODIC_KEM_COLUMNS_MM
    table = _table(doc, widths, borders=True)
    head = _add_row(table, widths, header=True)
    for col, label in enumerate(W.PERIODIC_KEM_COLUMNS):
        _cell_text(head.cells[col], [label], "TableHead")
    _tag_row(table, widths, "{%tr for row in kem %}")
    row = _add_row(table, widths)
    _cell_text(row.cells[0], ["{{ loop.index }}"], "TableHead")
    for col, key in enumerate(("full_name", "month", "content", "remedy"), start=1):
        _cell_text(row.cells[col], [f"{{{{ row.{key} }}}}"],
                   "TableHead" if key == "month" else "TableText")
    _tag_row(table, widths, "{%tr endfor %}")
    _run(_paragraph(doc), "{%p else %}")
    _run(_paragraph(doc), "{{ no_kem }}")
    _run(_paragraph(doc), "{%p endif %}")
    _report_signature(doc)
    return doc


def _reproducible_bytes(doc):
    """Saves with fixed zip timestamps and member order, so the same code builds the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


TEMPLATES = {"phieu_01.docx": build_phieu_01, "tong_hop.docx": build_tong_hop,
             "ket_qua_nam.docx": build_ket_qua_nam, "bao_cao_dinh_ky.docx": build_bao_cao_dinh_ky}


def build_all():
    return {name: _reproducible_bytes(build()) for name, build in TEMPLATES.items()}


def main(argv=None):
    out_dir = Path(argv[0]) if argv else HERE
    for name, data in build_all().items():
        (out_dir / name).write_bytes(data)
        print(f"{out_dir / name}: {len(data)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
