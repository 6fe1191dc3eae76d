"""The blocks every template shares: the official page (A4 landscape, the decree's margins, page
numbers from page two, an archived form's stamp), the issuer and date block, the title, the
signatures, and the reports' headings.
"""

from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from forms import layout as L
from forms import wording as W
from templates_docx.ooxml import (
    FOOTNOTES_CT,
    add_row,
    cell_text,
    footnotes_xml,
    new_table,
    no_height,
    paragraph,
    run,
    settings_xml,
    styles_xml,
)


def new_document(with_footnotes):
    """An empty form on the official page, with this package's styles only, and (if
    `with_footnotes`) Phiếu 01's footnotes 2–7."""
    doc = Document()
    styles = doc.styles.element
    for child in list(styles):
        styles.remove(child)
    for child in parse_xml(styles_xml()):
        styles.append(child)

    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype not in (RT.STYLES, RT.SETTINGS):
            del doc.part.rels[rel_id]
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    doc.part._settings_part._element = parse_xml(settings_xml())

    if with_footnotes:
        part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT,
                    footnotes_xml(W.FOOTNOTES).encode("utf-8"), package)
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
    no_height(paragraph(doc))
    return doc


def _archive_stamp(footer):
    """An archived form's code and QR code (filled by documents/render.py); empty otherwise."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p._p.style = "Footer"
    run(p, f"{{% if archive_stamp %}}{W.ARCHIVE_CODE_LABEL}: {{{{ archive_stamp.code }}}} "
           "{{ archive_stamp.qr }}{% endif %}")


def issuer_and_date(doc):
    """The top block: issuing body left, Party header and place/date right (Nghị định 30, HD 36)."""
    widths = (L.HEADER_LEFT_MM, L.HEADER_RIGHT_MM)
    table = new_table(doc, widths, borders=False)
    row = add_row(table, widths)
    left, right = row.cells

    run(left.paragraphs[0], "{%p if issuer_parent %}")
    p = left.add_paragraph()
    p.alignment = 1
    run(p, "{{ issuer_parent }}", bold=False, size=L.SIZE_ISSUER)
    p = left.add_paragraph()
    run(p, "{%p endif %}")
    p = left.add_paragraph()
    p.alignment = 1
    run(p, "{{ issuer_unit }}", bold=True, size=L.SIZE_ISSUER)
    p = left.add_paragraph()
    p.alignment = 1
    run(p, "*", size=L.SIZE_ISSUER)

    p = right.paragraphs[0]
    p.alignment = 1
    run(p, W.PARTY_HEADER, bold=True, size=L.SIZE_PARTY_HEADER)
    _rule_under(p, L.HEADER_RIGHT_MM - 2 * L.CELL_PADDING_SIDE_MM, L.PARTY_HEADER_TEXT_MM)
    p = right.add_paragraph()
    p.alignment = 1
    p.paragraph_format.space_before = Pt(6)
    run(p, "{{ date_line }}", italic=True, size=L.SIZE_DATE_LINE)


def _rule_under(p, width_mm, length_mm):
    """HD 36-HD/VPTW: a solid line under the Party header, as long as its text. An underline
    would cross the dots under Ộ and Ệ; this is the paragraph's bottom border, indented so that
    it is `length_mm` long, a little below the letters."""
    indent = Mm((width_mm - length_mm - L.PARTY_HEADER_RULE_SLACK_MM) / 2)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = indent
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
        'w:color="000000"/></w:pBdr>'))


def form_title(doc, lines):
    """The centred title lines under the top block: (text, "bold" or "italic") each."""
    for i, (text, kind) in enumerate(lines):
        p = paragraph(doc, "FormTitle", space_before=12 if i == 0 else 0)
        run(p, text, bold=kind == "bold", italic=kind == "italic")


def signatures(doc, blocks, widths):
    """Signature blocks side by side: (title, hint, name tag) each; None leaves a column empty."""
    # Two tables with nothing between them would merge into one; the paragraph between keeps
    # what precedes the signatures (Phiếu 01's result lines) on the signatures' page.
    no_height(paragraph(doc, keep_with_next=True))
    table = new_table(doc, widths, borders=False)
    row = add_row(table, widths)
    for cell, block in zip(row.cells, blocks):
        if block is None:
            continue
        title, hint, name = block
        cell_text(cell, [title], style="Signature").paragraph_format.space_before = Pt(6)
        p = cell.add_paragraph()
        p.alignment = 1
        run(p, hint, italic=True)
        for _ in range(L.SIGNATURE_BLANK_LINES):
            cell.add_paragraph()
        p = cell.add_paragraph()
        p._p.style = "Signature"
        run(p, name)


def heading(doc, text, *, space_before=8):
    """A report's numbered heading, kept with what follows it."""
    p = paragraph(doc, space_before=space_before, space_after=4, keep_with_next=True)
    run(p, text, bold=True, size=L.SIZE_HEADING)
    return p


def report_signature(doc):
    """The unit head's signature block, right, with no name printed."""
    half = L.TEXT_WIDTH_MM / 2
    signatures(doc, [None, (W.UNIT_HEAD_SIGNATURE, W.UNIT_HEAD_SIGN_HINT, "")], (half, half))
