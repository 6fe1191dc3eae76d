"""Which Word template a form is filled from: the built-in one (templates_docx/, version 0) or one
the secretariat installed (archive/templates.py, versions 1, 2, …). A template is known by its
bytes' SHA-256: the renderer's caches and a record's template are keyed by it."""

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_docx"
BUILT_IN = 0  # the version number of the template shipped with the code


@dataclass(frozen=True)
class Template:
    """A template's bytes and what names them; compared and hashed by its identity, not by its
    bytes."""

    content: bytes = field(repr=False, compare=False)
    sha256: str
    version: int = BUILT_IN

    @property
    def identity(self):
        """(version, sha256): what a cache of filled forms keys on, and what a record stores."""
        return self.version, self.sha256

    @property
    def label(self):
        return version_label(self.version)


def version_label(version):
    """A template's version as people read it: «mẫu gốc», «bản 3»."""
    return "mẫu gốc" if version == BUILT_IN else f"bản {version}"


def from_bytes(content, version=BUILT_IN):
    return Template(content, hashlib.sha256(content).hexdigest(), version)


@lru_cache(maxsize=None)
def built_in(template_name):
    """The built-in template `template_name` (a form module's TEMPLATE)."""
    return from_bytes((TEMPLATES_DIR / template_name).read_bytes())
