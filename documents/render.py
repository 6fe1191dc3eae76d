"""Fills a Word template with a form's context (docxtpl): DOCX bytes out.

Values are data, never template: autoescape keeps `&`, `<` and XML intact, and the sandboxed
Jinja environment limits what the templates' own tags may do. A value holding `{{ 7*7 }}` or
`{% for %}` is substituted as text and prints as typed.

docxtpl prepares a template's XML on every render (cleans the tags, compiles the Jinja): about
20 ms of the 25 a render costs. Both steps are done once per distinct part (keyed by its XML, so an
installed template's parts are prepared apart from the built-in's) and kept, up to PREPARED_MAX
parts.
"""

import copy
import io
import re
import threading
from functools import lru_cache

import segno
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment

from documents.template import Template, built_in
from forms.layout import ARCHIVE_QR_MM

# The context key of the archive stamp in the templates' footers; the forms' contexts never use it.
STAMP_KEY = "archive_stamp"
# Pixels per QR module: about 290 dpi for a short code at ARCHIVE_QR_MM, under the 300 dpi
# LibreOffice's PDF export would resample to (blurring the modules' edges).
QR_SCALE = 6
# Prepared parts kept: each template has a few (body, headers, footers, footnotes); templates
# checked and installed over the service's life add theirs, so the oldest are dropped past this.
PREPARED_MAX = 200


_EVICTING = threading.Lock()


def _kept(cache, key, make):
    """cache[key], made by make() the first time."""
    value = cache.get(key)
    if value is None:
        value = make()
        with _EVICTING:
            while len(cache) >= PREPARED_MAX:
                cache.pop(next(iter(cache)))
            cache[key] = value
    return value


class _CompiledOnce(SandboxedEnvironment):
    """A sandboxed, autoescaping environment that compiles each distinct source once."""

    def __init__(self):
        super().__init__(autoescape=True)
        self._compiled = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        compile_ = super().from_string
        return _kept(self._compiled, source, lambda: compile_(source))


class _PreparedTemplate(DocxTemplate):
    """docxtpl's template whose tag clean-up (patch_xml) is done once per distinct part, whose
    package is read once per template (each render fills a copy), whose line-break pass visits
    only the paragraphs holding a break or tab, and whose document properties are not rendered
    as templates (ours hold no tag; render_document sets them)."""

    _patched = {}

    def __init__(self, template):
        super().__init__(io.BytesIO(template.content))
        self.template = template

    def init_docx(self, reload=True):
        if not self.docx or (self.is_rendered and reload):
            self.docx = copy.deepcopy(_opened(self.template))
            self.is_rendered = False

    def render_properties(self, context, jinja_env=None):
        pass

    def patch_xml(self, src_xml):
        patch = super().patch_xml
        return _kept(self._patched, src_xml, lambda: patch(src_xml))

    def resolve_listing(self, xml):
        if not _LISTING.search(xml):
            return xml
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(lambda paragraph: resolve(paragraph[0])
                              if _LISTING.search(paragraph[0]) else paragraph[0], xml)


# What docxtpl's resolve_listing turns into Word's own: a line break, a tab, a new paragraph
# (\a), a page break; and a paragraph as it finds one.
_LISTING = re.compile("[\n\t\a\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)


ENVIRONMENT = _CompiledOnce()


def _template(template):
    """A documents.template.Template, or a built-in template's file name."""
    return template if isinstance(template, Template) else built_in(template)


@lru_cache(maxsize=16)
def _opened(template):
    """The template's package as python-docx reads it, never changed: renders fill copies."""
    return Document(io.BytesIO(template.content))


def template_digest(template):
    """The template's content (SHA-256 of its bytes, hex): what caches and batches key on."""
    return _template(template).sha256


def render_docx(template, context, metadata, *, archive_code=None):
    """The filled document as DOCX bytes; `metadata` gives the document properties (title,
    subject, author).

    With an `archive_code`, every page's footer prints it with its QR code, and the document's
    keywords hold it (LibreOffice writes them into the PDF's XMP, pdf:Keywords)."""
    out = io.BytesIO()
    render_document(template, context, metadata, archive_code=archive_code).save(out)
    return out.getvalue()


def render_document(template, context, metadata, *, archive_code=None):
    """The filled document as a python-docx Document, for saving or composing with others.
    `template`: a documents.template.Template, or a built-in template's file name."""
    template = _PreparedTemplate(_template(template))
    assert STAMP_KEY not in context
    stamp = archive_code and {"code": archive_code, "qr": _qr_image(template, archive_code)}
    template.render({**context, STAMP_KEY: stamp}, ENVIRONMENT, autoescape=True)
    if stamp:
        _number_footer_pictures(template)
    properties = template.docx.core_properties
    properties.title = _property(metadata["title"])
    properties.subject = _property(metadata["subject"])
    properties.author = _property(metadata["author"])
    properties.keywords = _property(archive_code or "")
    return template.docx


# python-docx refuses a document property longer than this (and Word shows no more of one); a
# title holds the person's name (up to 200 characters) and the author the unit's (up to 300).
PROPERTY_MAX = 255


def _property(text):
    """A document property cut to what python-docx takes, the cut marked by "…"."""
    return text if len(text) <= PROPERTY_MAX else text[:PROPERTY_MAX - 1].rstrip() + "…"


def render_body(template, context):
    """Only the main part of the filled template, its w:body element: no document built, no
    header, footer or footnote rendered. For composing forms after the first of a chunk
    (documents/compose.py), which take those from the first; such forms carry no archive stamp."""
    template, source = _body_source(_template(template))
    xml = template.render_xml_part(source, template.docx._part, {**context, STAMP_KEY: None},
                                   ENVIRONMENT)
    return template.fix_tables(xml)


@lru_cache(maxsize=16)
def _body_source(template):
    template = _PreparedTemplate(template)
    template.render_init()
    return template, template.patch_xml(template.get_xml())


def _qr_image(template, code):
    """The QR code of `code` for a template tag. docxtpl inserts it into whichever part holds the
    tag (both footers here); the package stores the PNG once."""
    png = io.BytesIO()
    segno.make(code, error="m", micro=False).save(png, kind="png", scale=QR_SCALE, border=2)
    size = Mm(ARCHIVE_QR_MM)
    return InlineImage(template, png, width=size, height=size)


def _number_footer_pictures(template):
    """python-docx numbers a picture within its own part, so both footers' QR codes come out as
    picture 1; Word wants the ids unique in the document, else it reports unreadable content.
    (docxtpl renumbers the body's pictures only, from 1001.)"""
    footers = [rel.target_part for rel in template.docx.part.rels.values()
               if rel.reltype == RT.FOOTER]
    for number, picture in enumerate(
            (pic for part in footers for pic in part.element.xpath(".//wp:docPr")), start=1):
        picture.set("id", str(number))
