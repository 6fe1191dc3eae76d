"""An archived form: its code and QR code in every page's footer, exported as PDF/A-2b with XMP
metadata; an unarchived one looks as it always did. With the real LibreOffice, poppler-utils
(pdftoppm) and zbar-tools (zbarimg)."""

import io
import re
import subprocess
import zipfile

import pytest
from pypdf import PdfReader
from test_documents import embedded_fonts

from conftest import example, pdf_pages
from documents.make import make_document
from forms import FORMS, layout, wording
from schemas.phieu_01 import Phieu01Schema
from schemas.tong_hop import TongHopSchema

CODE = "7K3Q-X9MD"
STAMP = f"{wording.ARCHIVE_CODE_LABEL}: {CODE}"
SCHEMAS = {"phieu-01": Phieu01Schema, "tong-hop": TongHopSchema}


def long_tong_hop():
    body = example("tong-hop")
    body["rows"] = [{"full_name": f"Cán bộ số {i:02d}", "rating": "tot"} for i in range(1, 61)]
    return body


CASES = {"phieu-01": ("phieu-01", example("phieu-01")),  # 3 pages
         "tong-hop": ("tong-hop", example("tong-hop")),
         "tong-hop-60": ("tong-hop", long_tong_hop())}  # 4 pages


def make(app, case, fmt="pdf", **archive):
    slug, body = CASES[case]
    return make_document(FORMS[slug], SCHEMAS[slug]().load(body), fmt, settings=app.config,
                         converter=app.extensions["converter"], **archive).content


@pytest.fixture(scope="module")
def pdfs(app):
    """Each case as today's PDF and as the archive makes it (stamped, PDF/A-2b)."""
    return {case: {"plain": make(app, case), "archived": make(app, case, archive_code=CODE,
                                                               pdfa=True)}
            for case in CASES}


def grey_pages(pdf, dpi=50):
    """Each page as rows of grey pixels (pdftoppm's PGM)."""
    out = subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-"], input=pdf,
                         capture_output=True, check=True).stdout
    pages = []
    while out:
        _, width, height, _, out = out.split(maxsplit=4)  # P5 width height 255 pixels…
        width, height = int(width), int(height)
        pages.append([out[row * width:(row + 1) * width] for row in range(height)])
        out = out[width * height:]
    return pages


def footer_parts(docx):
    return [docx.read(name).decode() for name in docx.namelist()
            if re.fullmatch(r"word/footer\d+\.xml", name)]


@pytest.mark.parametrize("case", CASES)
def test_every_page_prints_the_archive_code(pdfs, case):
    pages = pdf_pages(pdfs[case]["archived"])
    assert len(pages) > 1 or case == "tong-hop"
    for number, page in enumerate(pages, start=1):
        assert STAMP in page, f"page {number}"


@pytest.mark.parametrize("case", ["phieu-01", "tong-hop"])
def test_the_qr_code_reads_back_as_the_archive_code(pdfs, case, tmp_path):
    (tmp_path / "f.pdf").write_bytes(pdfs[case]["archived"])
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", tmp_path / "f.pdf",
                    tmp_path / "page"], check=True)
    [png] = tmp_path.glob("page*.png")
    decoded = subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True, text=True)
    assert decoded.stdout.strip() == CODE, decoded.stderr


@pytest.mark.parametrize("case", CASES)
def test_the_stamp_stays_in_the_bottom_margin(pdfs, case):
    plain, archived = grey_pages(pdfs[case]["plain"]), grey_pages(pdfs[case]["archived"])
    assert len(archived) == len(plain)
    for number, (before, after) in enumerate(zip(plain, archived), start=1):
        height = len(before)
        margin_top = height - round(height * layout.MARGIN_BOTTOM_MM / layout.PAGE_HEIGHT_MM)
        assert before[:margin_top] == after[:margin_top], f"page {number} changed above the margin"
        assert before[margin_top:] != after[margin_top:], f"no stamp on page {number}"


@pytest.mark.parametrize("case", CASES)
def test_without_a_code_the_footer_is_empty(pdfs, case):
    pdf = pdfs[case]["plain"]
    assert wording.ARCHIVE_CODE_LABEL not in "\n".join(pdf_pages(pdf))
    assert not any(page.images for page in PdfReader(io.BytesIO(pdf)).pages)
    assert not PdfReader(io.BytesIO(pdf)).metadata.get("/Keywords")


def test_without_a_code_the_docx_footers_hold_no_picture(app):
    with zipfile.ZipFile(io.BytesIO(make(app, "phieu-01", "docx"))) as docx:
        footers = footer_parts(docx)
        assert not [name for name in docx.namelist() if name.startswith("word/media/")]
    assert len(footers) == 2  # the first page's and the other pages'
    assert not any(wording.ARCHIVE_CODE_LABEL in xml or "<w:drawing>" in xml for xml in footers)


def test_an_archived_docx_stamps_both_footers_and_holds_the_code_in_its_keywords(app):
    with zipfile.ZipFile(io.BytesIO(make(app, "tong-hop", "docx", archive_code=CODE))) as docx:
        footers = footer_parts(docx)
        core = docx.read("docProps/core.xml").decode()
        images = [name for name in docx.namelist() if name.startswith("word/media/")]
    assert len(footers) == 2 and len(images) == 1  # one image, shown by both footers
    assert all(STAMP in xml and "<w:drawing>" in xml for xml in footers)
    # Word rejects a document whose pictures share an id.
    ids = [i for xml in footers for i in re.findall(r'<wp:docPr id="(\d+)"', xml)]
    assert len(ids) == len(set(ids)) == 2
    assert f"<cp:keywords>{CODE}</cp:keywords>" in core


@pytest.mark.parametrize("case", ["phieu-01", "tong-hop"])
def test_an_archived_pdf_is_pdfa_2b_with_its_metadata_in_xmp(pdfs, case):
    pdf = pdfs[case]["archived"]
    slug, body = CASES[case]
    meta = FORMS[slug].metadata(SCHEMAS[slug]().load(body))
    xmp = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data()
    xmp = xmp.decode("utf-8")

    def field(name):
        match = re.search(rf"<{name}>(.*?)</{name}>", xmp, flags=re.S)
        assert match, f"no {name} in the XMP"
        return match.group(1)

    assert field("pdfaid:part") == "2" and field("pdfaid:conformance") == "B"
    assert meta["title"] in field("dc:title")
    assert body["unit"]["name"] == meta["author"] and meta["author"] in field("dc:creator")
    assert meta["subject"] in field("dc:description")
    assert CODE in field("pdf:Keywords")
    fonts = embedded_fonts(pdf)
    assert fonts and all(fonts.values()), fonts
