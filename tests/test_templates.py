"""The committed Word templates: built by templates_docx/build.py, lean, in the official layout."""

import re
import zipfile
from io import BytesIO

import pytest
from docx.shared import Mm
from lxml import etree

from forms import layout, wording
from templates_docx import build, ooxml

BUILT = build.build_all()


def part(name, path):
    with zipfile.ZipFile(BytesIO(BUILT[name])) as package:
        return package.read(path).decode("utf-8")


def parts(name):
    with zipfile.ZipFile(BytesIO(BUILT[name])) as package:
        return {info.filename: info.file_size for info in package.infolist()}


@pytest.mark.parametrize("name", build.TEMPLATES)
def test_committed_template_is_what_the_code_builds(name):
    committed = (build.HERE / name).read_bytes()
    assert committed == BUILT[name], f"run `make templates` and commit templates_docx/{name}"
    assert build.build_all()[name] == BUILT[name]  # reproducible, byte for byte


@pytest.mark.parametrize("name", build.TEMPLATES)
def test_template_is_lean(name):
    sizes = parts(name)
    assert not [p for p in sizes if re.search(r"theme|stylesWithEffects|webSettings|fontTable|"
                                              r"numbering|customXml|thumbnail", p)]
    assert sizes["word/styles.xml"] < 5000
    assert sum(sizes.values()) < 60000


@pytest.mark.parametrize("name", build.TEMPLATES)
def test_only_times_new_roman(name):
    styles = part(name, "word/styles.xml")
    fonts = set(re.findall(r'<w:rFonts w:ascii="([^"]+)" w:hAnsi="\1" w:eastAsia="\1" w:cs="\1"/>',
                           styles))
    assert styles.count("<w:rFonts ") == 1
    assert fonts == {"Times New Roman"}
    assert "Theme" not in styles
    document = part(name, "word/document.xml")
    assert "w:rFonts" not in document  # nothing overrides the default


@pytest.mark.parametrize("name", build.TEMPLATES)
def test_a4_landscape_with_the_decree_margins(name):
    document = part(name, "word/document.xml")
    size = re.search(r"<w:pgSz ([^>]+)/>", document).group(1)
    assert f'w:w="{Mm(297).twips}"' in size or 'w:w="16838"' in size
    assert 'w:orient="landscape"' in size
    margins = re.search(r"<w:pgMar ([^>]+)/>", document).group(1)
    for side, mm in (("top", layout.MARGIN_TOP_MM), ("bottom", layout.MARGIN_BOTTOM_MM),
                     ("left", layout.MARGIN_LEFT_MM), ("right", layout.MARGIN_RIGHT_MM)):
        assert f'w:{side}="{Mm(mm).twips}"' in margins
    assert 20 <= layout.MARGIN_TOP_MM <= 25 and 30 <= layout.MARGIN_LEFT_MM <= 35
    assert 15 <= layout.MARGIN_RIGHT_MM <= 20 and 20 <= layout.MARGIN_BOTTOM_MM <= 25


@pytest.mark.parametrize("name", build.TEMPLATES)
def test_page_numbers_from_page_two(name):
    document = part(name, "word/document.xml")
    assert "<w:titlePg/>" in document
    headers = [p for p in parts(name) if p.startswith("word/header")]
    texts = [part(name, p) for p in headers]
    assert sum("PAGE" in t for t in texts) == 1  # the default header; the first page's is empty
    assert len(headers) == 2


@pytest.mark.parametrize("name, columns", [("phieu_01.docx", 11), ("tong_hop.docx", 10)])
def test_table_head_repeats_and_rows_do_not_split(name, columns):
    document = part(name, "word/document.xml")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", document, flags=re.S)
    main = max(tables, key=len)
    assert main.count("<w:gridCol ") == columns
    rows = re.findall(r"<w:tr>.*?</w:tr>", main, flags=re.S)
    # Data rows split only when very tall (forms/common.py keep_whole); every other row never.
    data = [row for row in rows if ".whole }}" in row]
    assert len(data) == (5 if name == "phieu_01.docx" else 1)
    assert all("<w:cantSplit/>" in row for row in rows if row not in data)
    assert all(re.search(r'<w:cantSplit w:val="\{\{ (item|row)\.whole \}\}"/>', row)
               for row in data)
    assert [("<w:tblHeader/>" in row) for row in rows[:3]] == [True, True, False]
    assert 'w:val="single"' in main


def test_phieu_01_footnotes_are_numbered_two_to_seven_with_the_guidance_text():
    """Each mark is text, and opens its note: the marks print in a repeated table head and in a
    packet of many forms as alone. The notes' anchors have invisible marks: beside the number
    in the table's body and the result lines, on the line above the table for the head's."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    document = etree.fromstring(part("phieu_01.docx", "word/document.xml").encode())
    numbers = [run.findtext(f"{w}t") for run in document.iter(f"{w}r")
               if run.find(f"{w}rPr/{w}rStyle[@{w}val='{ooxml.NUMBER_STYLE}']") is not None]
    assert numbers == [str(n) for n in range(2, 8)]
    anchors = []
    for reference in document.iter(f"{w}footnoteReference"):
        run = reference.getparent()
        assert reference.get(f"{w}customMarkFollows") == "1"
        assert run.findtext(f"{w}t") == ooxml.INVISIBLE_MARK
        anchors.append((reference.get(f"{w}id"), run.getparent()))
    assert [fid for fid, _ in anchors] == [str(n - 1) for n in range(2, 8)]
    head_line = {paragraph for _, paragraph in anchors[:3]}
    assert len(head_line) == 1 and "".join(head_line.pop().itertext()).startswith("Đơn vị:")
    for fid, paragraph in anchors[3:]:
        assert f"{int(fid) + 1}{ooxml.INVISIBLE_MARK}" in "".join(paragraph.itertext())
    notes = etree.fromstring(part("phieu_01.docx", "word/footnotes.xml").encode())
    numbers = {note.get(f"{w}id"): note.find(f"{w}p/{w}r") for note in notes
               if note.get(f"{w}type") is None}
    assert {fid: (run.find(f"{w}rPr/{w}rStyle").get(f"{w}val"), run.findtext(f"{w}t"))
            for fid, run in numbers.items()} == {
        str(n - 1): (ooxml.NUMBER_STYLE, str(n)) for n in range(2, 8)}
    footnotes = part("phieu_01.docx", "word/footnotes.xml")
    for paragraphs in wording.FOOTNOTES.values():
        for text in paragraphs:
            assert text in footnotes
    assert "Chi thị" not in footnotes and "Nếu rõ" not in footnotes
