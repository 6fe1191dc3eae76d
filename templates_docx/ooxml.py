"""The pieces of WordprocessingML the templates are made of: the styles, settings and footnotes
parts, paragraphs and runs, footnote marks, tables and their rows, docxtpl's row tags, and the
reproducible .docx bytes. The blocks every form shares are in templates_docx/blocks.py.
"""

import io
import zipfile

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from forms import layout as L
from forms import wording as W

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


def styles_xml():
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


def settings_xml():
    return (
        f"<w:settings {nsdecls('w')}>"
        '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val="{L.LANGUAGE}"/>'  # the schema's order matters to Word
        "</w:settings>"
    )


def footnotes_xml(footnotes):
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


def paragraph(container, style=None, *, align=None, space_before=0, space_after=0,
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


def run(p, text, *, bold=None, italic=None, size=None, underline=None):
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


def footnote_ref(p, number, *, anchor=True):
    """The mark `number` as text, then (with `anchor`) the note's anchor, its mark invisible."""
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="{NUMBER_STYLE}"/>'
                          f'</w:rPr><w:t>{number}</w:t></w:r>'))
    if anchor:
        footnote_anchor(p, number)


def footnote_anchor(p, number):
    """The anchor of footnote `number`, its mark invisible."""
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        f'<w:footnoteReference w:customMarkFollows="1" w:id="{_footnote_id(number)}"/>'
        f"<w:t>{INVISIBLE_MARK}</w:t></w:r>"))


def cell_text(cell, parts, style="TableText", *, anchors=True):
    """Fills a cell's first paragraph: parts are strings, or ints for footnote marks (the
    notes' anchors too, unless not `anchors`)."""
    p = cell.paragraphs[0]
    p._p.style = style
    for part in parts:
        if isinstance(part, int):
            footnote_ref(p, part, anchor=anchors)
        else:
            run(p, part)
    return p


def new_table(doc, widths_mm, *, borders):
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


def add_row(table, widths_mm, *, header=False, min_height_mm=None, keep_whole="1"):
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


def keep_row_with_next(row):
    """Word's "keep with next" on every paragraph of the row: it stays on the next row's page."""
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


def tag_row(table, widths_mm, tag):
    """A row holding only a docxtpl row tag ({%tr … %}); docxtpl replaces the whole row by it."""
    row = add_row(table, widths_mm)
    cell_text(row.cells[0], [tag])


def no_height(p):
    """The paragraph made (nearly) of no height: a 1 pt exact line."""
    p.paragraph_format.line_spacing = Pt(1)
    p.paragraph_format.line_spacing_rule = 4  # WD_LINE_SPACING.EXACTLY
    return p


def reproducible_bytes(doc):
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
