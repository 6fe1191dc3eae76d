"""Several filled forms of one template composed into one DOCX, so that LibreOffice loads and
lays out the lot once: its fixed cost per document is larger than a form's own.

Each form keeps what it has alone: it is a section of its own, so it starts on a new page with its
first-page header, page numbers from 1, and its footnotes numbered as alone (custom marks). Each
form opens with an empty paragraph of no height that holds a bookmark "form-NNNNN"; converted
with `Converter.convert(composed=True)`, the PDF has a named destination there, which is how the
PDF is cut back into forms (forms/packet.py), and the worker sets each form's page style again
(forms/uno_helper.py, start_forms_on_their_pages).

The first form of a chunk is a whole document (forms.render.render_document); the others are only
their rendered bodies (forms.render.render_body), which take the first's styles, headers, footers
and footnotes: forms of one of our templates, without archive stamp (a form issued into the
archive, a QR picture per form in its footers, is converted on its own).
"""

import copy
import io

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.opc.oxml import serialize_part_xml

FOOTNOTE_KINDS_KEPT_ONCE = ("separator", "continuationSeparator", "continuationNotice")
START_HEIGHT = 20  # twips: 1 pt


def compose(first, bodies):
    """One DOCX (bytes): the form `first` (a python-docx Document, from forms.render
    .render_document), then each of `bodies` (w:body elements of the same template, from
    forms.render.render_body), in order."""
    body = first.element.body
    section = body[-1]
    assert section.tag == qn("w:sectPr"), "a template's body ends with its section properties"
    _restart_page_numbers(section)
    notes = _Footnotes(first)
    notes.take(list(body), copy_notes=False)
    body.insert(0, _start(0))
    for number, other in enumerate(bodies, start=1):
        # The previous form ends here: its section properties go into an empty paragraph, where
        # LibreOffice would otherwise add one of its own after the form's closing table.
        body.insert(len(body) - 1, _section_break(section))
        elements = [element for element in other if element.tag != qn("w:sectPr")]
        notes.take(elements)
        for element in [_start(number), *elements]:
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


def form_start(number):
    """The name of the PDF destination where form `number` (from 0) starts."""
    return f"form-{number:05d}"


def _start(number):
    """A form's first element: an empty paragraph of (almost) no height holding a bookmark.

    It opens the form's section (LibreOffice restarts page numbers only at a paragraph, and
    every form begins with a table), and its bookmark becomes a named destination in the PDF
    (export option ExportBookmarksToPDFDestination): the page where the form starts."""
    return parse_xml(
        f'<w:p xmlns:w="{_W}"><w:pPr><w:spacing w:before="0" w:after="0" w:line="{START_HEIGHT}"'
        ' w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr>'
        f'<w:bookmarkStart w:id="{number}" w:name="{form_start(number)}"/>'
        f'<w:bookmarkEnd w:id="{number}"/></w:p>')


class _Footnotes:
    """The first form's footnotes part, receiving each added form's notes under new ids: copies
    of the template's notes, which are the same for every form of it.

    Every form's notes print the numbers they have in the form alone (2–7 on the Phiếu 01):
    LibreOffice counts footnotes through the whole document and does not restart them at a
    section, so each reference and note carries its number as a custom mark."""

    def __init__(self, first):
        self.part = _footnotes_part(first)
        self.xml = parse_xml(self.part.blob) if self.part is not None else None
        self.template_notes = {note.get(qn("w:id")): copy.deepcopy(note)
                               for note in self._notes(self.xml)}
        self.first_number = _first_footnote_number(first.element.body[-1])
        self.next_id = 1 + max((int(note) for note in self.template_notes), default=0)

    @staticmethod
    def _notes(xml):
        return [] if xml is None else xml.findall(qn("w:footnote"))

    def take(self, elements, *, copy_notes=True):
        """Numbers the notes `elements` refer to; with `copy_notes`, refers them to new copies."""
        references = [ref for element in elements
                      for ref in element.iter(qn("w:footnoteReference"))]
        in_place = {note.get(qn("w:id")): note for note in self._notes(self.xml)}
        numbers = {}
        for reference in references:
            old = reference.get(qn("w:id"))
            if old not in numbers:
                number = str(self.first_number + len(numbers))
                if copy_notes:
                    note = copy.deepcopy(self.template_notes[old])
                    note.set(qn("w:id"), str(self.next_id))
                    self.xml.append(note)
                    self.next_id += 1
                else:
                    note = in_place[old]
                for mark in list(note.iter(qn("w:footnoteRef"))):
                    mark.getparent().remove(mark)  # LibreOffice prints the custom mark there
                numbers[old] = (number, note.get(qn("w:id")))
            number, new_id = numbers[old]
            reference.set(qn("w:id"), new_id)
            reference.set(qn("w:customMarkFollows"), "1")
            reference.addnext(_text(number))

    def save(self):
        if self.part is not None:
            self.part._blob = serialize_part_xml(self.xml)


def _first_footnote_number(section):
    start = section.find(f"{qn('w:footnotePr')}/{qn('w:numStart')}")
    return int(start.get(qn("w:val"))) if start is not None else 1


def _text(value):
    return parse_xml(f'<w:t xmlns:w="{_W}">{value}</w:t>')


def _footnotes_part(document):
    try:
        return document.part.rels.part_with_reltype(RT.FOOTNOTES)
    except KeyError:
        return None


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
