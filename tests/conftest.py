import copy
import json
import re
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("work")


def make_app(work_dir, **overrides):
    """An app for one test; its LibreOffice workers start only if it converts."""
    return create_app({"TESTING": True, "WORK_DIR": str(work_dir), "CONVERT_WARM_START": False,
                       **overrides})


@pytest.fixture(scope="session")
def app(work_dir):
    app = create_app({"TESTING": True, "WORK_DIR": str(work_dir)})
    yield app
    app.extensions["converter"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def example(name):
    """A fresh copy of examples/<name>.json, safe to modify."""
    return copy.deepcopy(json.loads((EXAMPLES / f"{name}.json").read_text("utf-8")))


def pdf_pages(data):
    """Each page's extracted text, NFC."""
    return [unicodedata.normalize("NFC", page.extract_text() or "")
            for page in PdfReader(BytesIO(data)).pages]


def squash(text):
    """NFC with all whitespace removed: a value wrapped over several lines of a cell still
    matches."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def string_leaves(value):
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from string_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from string_leaves(item)
