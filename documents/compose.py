"""Several filled forms of one template composed into one DOCX, so that LibreOffice loads and
lays out the lot once: its fixed cost per document is larger than a form's own.

Each form keeps what it has alone: it is a section of its own, so it starts on a new page with its
first-page header, page numbers from 1, and its footnotes numbered as alone (their numbers are
text). Each
form opens with an empty paragraph of no height (templates_docx/blocks.py); it gets a bookmark
"form-NNNNN" here, so a form lays out in a packet exactly as alone. Converted
with `Converter.convert(composed=True)`, the PDF has a named destination there, which is how the
PDF is cut back into forms (documents/packet.py), and the worker sets each form's page style again
(office/uno_helper.py, start_forms_on_their_pages).

The first form of a chunk is a whole document (documents.render.render_document); the others are
only their rendered bodies (documents.render.render_body), which take the first's styles, headers,
footers and footnotes: forms of one of our templates, without archive stamp (a form issued into
the archive, a QR picture per form in its footers, is converted on its own).
"""

import copy
import io

import pikepdf
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from pikepdf import Name

from office.engine import ConversionError


def compose(first, bodies):
    """One DOCX (bytes): the form `first` (a python-docx Document, from documents.render
    .render_document), then each of `bodies` (w:body elements of the same template, from
    documents.render.render_body), in order."""
    body = first.element.body
    section = body[-1]
    assert section.tag == qn("w:sectPr"), "a template's body ends with its section properties"
    _restart_page_numbers(section)
    notes = _Footnotes(first)
    notes.take(list(body), copy_notes=False)
    _mark_start(body[0], 0)
    for number, other in enumerate(bodies, start=1):
        # The previous form ends here: its section properties go into an empty paragraph, where
        # LibreOffice would otherwise add one of its own after the form's closing table.
        body.insert(len(body) - 1, _section_break(section))
        elements = [element for element in other if element.tag != qn("w:sectPr")]
        notes.take(elements)
        _mark_start(elements[0], number)
        for element in elements:
            body.insert(len(body) - 1, element)
    notes.save()
    out = io.BytesIO()
    first.save(out)
    return out.getvalue()


def _restart_page_numbers(section):
    page_numbers = section.find(qn("w:pgNumType"))
    if page_numbers is None:
        page_numbers = parse_xml(f'<w:pgNumType xmlns:w="{_W}"/>')
        section.find(qn("w:pgMar")).addnext(page_numbers)  # the schema's order
    page_numbers.set(qn("w:start"), "1")


def _section_break(section):
    """The section properties closing the previous form."""
    paragraph = parse_xml(f'<w:p xmlns:w="{_W}"><w:pPr/></w:p>')
    paragraph[0].append(copy.deepcopy(section))
    return paragraph


FORM_START = "form-"


def form_start(number):
    """The name of the PDF destination where form `number` (from 0) starts."""
    return f"{FORM_START}{number:05d}"


def form_pages(pdf, count):
    """The pages of each of the `count` forms of a composed document's PDF (pikepdf), as ranges:
    from the destination its start bookmark became to the next one's."""
    index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
    destinations = pdf.Root.get(Name.Dests, pikepdf.Dictionary())
    try:
        starts = [index[destinations[Name("/" + form_start(number))][0].objgen]
                  for number in range(count)]
    except (KeyError, IndexError, TypeError):
        raise ConversionError("LibreOffice không đánh dấu được chỗ bắt đầu của từng phiếu trong "
                              "tệp gộp; hãy thử lại.") from None
    ends = [*starts[1:], len(pdf.pages)]
    if any(end <= start for start, end in zip(starts, ends)):
        raise ConversionError("LibreOffice đặt sai chỗ bắt đầu của các phiếu trong tệp gộp; hãy "
                              "thử lại.")
    return [range(start, end) for start, end in zip(starts, ends)]


def _mark_start(paragraph, number):
    """Bookmarks the form's opening paragraph, which opens its section too (LibreOffice restarts
    page numbers only at a paragraph). The export makes the bookmark a named destination
    (ExportBookmarksToPDFDestination): the page where the form starts."""
    if paragraph.tag != qn("w:p"):
        raise ValueError("a form opens with a paragraph (templates_docx/blocks.py)")
    properties = paragraph.find(qn("w:pPr"))
    at = 0 if properties is None else 1
    paragraph.insert(at, parse_xml(
        f'<w:bookmarkStart xmlns:w="{_W}" w:id="{number}" w:name="{form_start(number)}"/>'))
    paragraph.insert(at + 1, parse_xml(f'<w:bookmarkEnd xmlns:w="{_W}" w:id="{number}"/>'))


class _Footnotes:
    """The first form's footnotes part, receiving each added form's notes under new ids: copies
    of the template's notes, which are the same for every form of it. A note's number is text,
    in the note and beside its anchor (templates_docx/ooxml.py), so every form's notes print
    the numbers they have in the form alone (2–7 on the Phiếu 01), though LibreOffice counts
    footnotes through the whole document."""

    def __init__(self, first):
        self.part = _footnotes_part(first)
        self.xml = parse_xml(self.part.blob) if self.part is not None else None
        self.template_notes = {note.get(qn("w:id")): copy.deepcopy(note)
                               for note in ([] if self.xml is None
                                            else self.xml.findall(qn("w:footnote")))}
        self.next_id = 1 + max((int(note) for note in self.template_notes), default=0)

    def take(self, elements, *, copy_notes=True):
        """With `copy_notes`, refers the notes `elements` refer to to new copies."""
        if not copy_notes:
            return
        copies = {}
        for element in elements:
            for reference in element.iter(qn("w:footnoteReference")):
                old = reference.get(qn("w:id"))
                if old not in copies:
                    note = copy.deepcopy(self.template_notes[old])
                    note.set(qn("w:id"), str(self.next_id))
                    self.xml.append(note)
                    copies[old] = str(self.next_id)
                    self.next_id += 1
                reference.set(qn("w:id"), copies[old])

    def save(self):
        if self.part is not None:
            self.part._blob = serialize_part_xml(self.xml)


def _footnotes_part(document):
    try:
        return document.part.rels.part_with_reltype(RT.FOOTNOTES)
    except KeyError:
        return None


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
