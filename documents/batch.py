"""Single-form requests converted together (the engine's micro-batching, office/engine.py): their
DOCX composed into one (documents/compose.py), and the PDF cut back into one PDF per request,
each as the form converted alone gives it: the same pages, its own document properties (title,
subject, author, keywords, in the info dictionary and in the XMP), the structure tags of its own
pages (the batch is exported tagged, as a lone form is), its first page opened.

Only forms without archive stamp batch (a stamped form has its own pictures in its footers,
which composing drops); the engine batches PDF/A and plain PDF apart.
"""

import io
import tempfile
import zipfile

import docx as python_docx
import pikepdf
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree
from pikepdf import Array, Dictionary, Name

from documents.compose import FORM_START, compose, form_pages
from documents.render import template_digest
from office.engine import Batchable

# The document properties LibreOffice writes from a DOCX's core properties:
# (core.xml element, info dictionary key, XMP property).
PROPERTIES = (
    ("dc:title", Name.Title, "dc:title"),
    ("dc:subject", Name.Subject, "dc:description"),
    ("dc:creator", Name.Author, "dc:creator"),
    ("cp:keywords", Name.Keywords, "pdf:Keywords"),
)
_CORE_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


def batchable(template):
    """What lets the engine convert a form of this template (a documents.template.Template or a
    built-in's file name) with others of the same template: the same bytes, so forms of an
    installed template, or of another unit's, batch apart."""
    return Batchable(key=("form", template_digest(template)), combine=combine)


def combine(docxs, items=None):
    """One DOCX of the forms `docxs` (of one template, in order), and the function cutting its
    PDF back into one PDF per form."""
    first = python_docx.Document(io.BytesIO(docxs[0]))
    composed = compose(first, [_body(docx) for docx in docxs[1:]])
    properties = [_core_properties(docx) for docx in docxs]
    return composed, lambda pdf: cut(pdf, properties)


def cut(content, properties):
    """One PDF (bytes) per form of the composed PDF `content`, each with its `properties`.

    The PDF is read from a temporary file, once per form: qpdf reads a file itself, but a
    Python stream through calls back into Python, which took twice the time."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        with pikepdf.open(file.name) as pdf:
            ranges = form_pages(pdf, len(properties))
            owners = _Owners(pdf, ranges)
        return [_one_form(file.name, form, pages, values, owners)
                for form, (pages, values) in enumerate(zip(ranges, properties))]


def _one_form(path, form, pages, values, owners):
    with pikepdf.open(path) as pdf:
        del pdf.pages[pages.stop:]
        del pdf.pages[:pages.start]
        _keep_structure(pdf, form, owners)
        opening = pdf.Root.get(Name.OpenAction)
        if isinstance(opening, Array) and len(opening):
            opening[0] = pdf.pages[0].obj
        destinations = pdf.Root.get(Name.Dests)
        if destinations is not None:
            for name in [name for name in destinations.keys()
                         if name[1:].startswith(FORM_START)]:
                del destinations[name]
        _set_properties(pdf, values)
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False)  # the XMP says the version already
        return out.getvalue()


def _body(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return parse_xml(package.read("word/document.xml")).find(qn("w:body"))


def _core_properties(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        core = parse_xml(package.read("docProps/core.xml"))
    values = {}
    for element, _, _ in PROPERTIES:
        found = core.find(element, _CORE_NAMESPACES)
        values[element] = (found.text or "") if found is not None else ""
    return values


def _set_properties(pdf, values):
    """The form's properties in the info dictionary and in the XMP LibreOffice wrote (edited in
    place with lxml: pikepdf's XMP editor costs several milliseconds a form)."""
    xmp = etree.fromstring(pdf.Root.Metadata.read_bytes()).getroottree()
    for element, info, xmp_name in PROPERTIES:
        text = values[element]
        if text:
            pdf.docinfo[info] = text
        elif info in pdf.docinfo:
            del pdf.docinfo[info]
        _set_xmp(xmp, xmp_name, text)
    pdf.Root.Metadata.write(etree.tostring(xmp, encoding="utf-8"))


def _set_xmp(xmp, name, text):
    prefix, local = name.split(":")
    tag = f"{{{_XMP_NAMESPACES[prefix]}}}{local}"
    found = xmp.find(f".//{tag}")
    if found is None and text:  # as LibreOffice writes it
        description = etree.SubElement(xmp.find(f".//{{{_RDF}}}RDF"), f"{{{_RDF}}}Description",
                                       {f"{{{_RDF}}}about": ""})
        found = etree.SubElement(description, tag)
        if local in _XMP_LISTS:
            kind = _XMP_LISTS[local]
            item = etree.SubElement(etree.SubElement(found, f"{{{_RDF}}}{kind}"), f"{{{_RDF}}}li")
            if kind == "Alt":
                item.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
    if found is None:
        return
    if not text:
        found.getparent().remove(found)
        return
    item = found.find(f".//{{{_RDF}}}li")
    (found if item is None else item).text = text


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XMP_NAMESPACES = {"dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/"}
_XMP_LISTS = {"title": "Alt", "description": "Alt", "creator": "Seq"}


# ---------------------------------------------------------------------- structure tags

class _Owners:
    """Which form each part of the composed PDF's structure tree belongs to, found once: each
    top-level element (by its place), each ID and each parent tree entry (by key). A form starts
    on a page of its own, so each element belongs to the form of the page it starts on."""

    def __init__(self, pdf, ranges):
        form_of = {pdf.pages[number].obj.objgen: form
                   for form, pages in enumerate(ranges) for number in pages}
        root = pdf.Root.get(Name.StructTreeRoot)
        self.children, self.ids, self.parents = [], {}, {}
        if root is None:
            return
        for document in _as_list(root.get(Name.K)):
            self.children.append([form_of.get(_first_page(child))
                                  for child in _as_list(document.get(Name.K))])
        if Name.IDTree in root:
            self.ids = {str(key): form_of.get(_first_page(value))
                        for key, value in _tree_entries(root.IDTree, Name.Names)}
        if Name.ParentTree in root:
            by_page = {int(page.obj.StructParents): form_of[page.obj.objgen]
                       for page in pdf.pages if Name.StructParents in page.obj}
            self.parents = {int(key): by_page.get(int(key)) if isinstance(value, Array)
                            else form_of.get(_first_page(value))
                            for key, value in _tree_entries(root.ParentTree, Name.Nums)}


def _keep_structure(pdf, form, owners):
    """The structure tree of form number `form`, whose pages are the ones left: its top-level
    elements, and the parent tree and the IDs of what they hold, numbered from 0 as in a lone
    form's PDF."""
    root = pdf.Root.get(Name.StructTreeRoot)
    if root is None:
        return
    pages = {page.obj.objgen for page in pdf.pages}
    for document, places in zip(_as_list(root.get(Name.K)), owners.children):
        if Name.Pg in document and document.Pg.objgen not in pages:
            document.Pg = pdf.pages[0].obj  # as a lone form's: its first page
        children = document.get(Name.K)
        if isinstance(children, Array):
            document.K = Array([child for child, owner in zip(children, places)
                                if owner == form])
    if Name.IDTree in root:
        entries = [(key, value) for key, value in _tree_entries(root.IDTree, Name.Names)
                   if owners.ids.get(str(key)) == form]
        root.IDTree = Dictionary(Names=Array([item for entry in entries for item in entry]))
    if Name.ParentTree in root:
        # The entries of what is left (the pages' marked content, the links), in their order.
        entries = sorted((int(key), value) for key, value
                         in _tree_entries(root.ParentTree, Name.Nums)
                         if owners.parents.get(int(key)) == form)
        numbers = {old: new for new, (old, _) in enumerate(entries)}
        for page in pdf.pages:
            for owner, key in [(page.obj, Name.StructParents),
                               *((annot, Name.StructParent)
                                 for annot in page.obj.get(Name.Annots, []))]:
                if key in owner:
                    owner[key] = numbers[int(owner[key])]
        root.ParentTree = Dictionary(Nums=Array([item for new, (_, value) in enumerate(entries)
                                                 for item in (new, value)]))
        if Name.ParentTreeNextKey in root:
            root.ParentTreeNextKey = len(entries)


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def _first_page(element):
    """The page (objgen) an element's content starts on: its own /Pg, else its first child's."""
    if not isinstance(element, Dictionary):
        return None
    if Name.Pg in element:
        return element.Pg.objgen
    for child in _as_list(element.get(Name.K)):
        page = _first_page(child)
        if page is not None:
            return page
    return None


def _tree_entries(node, kind):
    """(key, value) pairs of a name or number tree, in order."""
    flat = node.get(kind)
    if flat is not None:
        yield from zip(list(flat)[::2], list(flat)[1::2])
    for kid in node.get(Name.Kids, []):
        yield from _tree_entries(kid, kind)
