"""Fills a Word template with a form's context (docxtpl): DOCX bytes out.

Values are data, never template: autoescape keeps `&`, `<` and XML intact, and the sandboxed
Jinja environment limits what the templates' own tags may do. A value holding `{{ 7*7 }}` or
`{% for %}` is substituted as text and prints as typed.
"""

import io
from functools import lru_cache
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_docx"


@lru_cache(maxsize=None)
def _template_bytes(name):
    return (TEMPLATES_DIR / name).read_bytes()


def render_docx(template_name, context, metadata):
    """The filled document; `metadata` gives the document properties (title, subject, author)."""
    template = DocxTemplate(io.BytesIO(_template_bytes(template_name)))
    template.render(context, SandboxedEnvironment(autoescape=True), autoescape=True)
    properties = template.docx.core_properties
    properties.title = metadata["title"]
    properties.subject = metadata["subject"]
    properties.author = metadata["author"]
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
