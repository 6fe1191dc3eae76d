"""The pagination rules of docs/LAYOUT.md, checked on the PDFs users get, across input sizes, with
the real LibreOffice: each page's text as poppler's pdftotext reads it.

CI checks a spread of sizes; `TEST_LAYOUT_SIZES=all make test PYTEST_ARGS=tests/test_layout.py`
checks every size (tổng hợp 1–300 rows, Phiếu 01 0–40 items, short and long texts).
"""

import copy
import io
import os
import re
import subprocess

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import example, squash

ALL = os.environ.get("TEST_LAYOUT_SIZES") == "all"
TONG_HOP_ROWS = range(1, 301) if ALL else (1, 2, 3, 4, 5, 6, 7, 12, 14, 20, 28, 40, 300)
PHIEU_01_ITEMS = range(0, 41) if ALL else (0, 1, 2, 3, 6, 10, 12, 16, 20, 40)
SECTIONS = ("political", "competence", "tasks", "prior_shortcomings", "other")
A4_LANDSCAPE = (842, 595)  # points, rounded
LONG = ("Rà soát, tổng hợp và báo cáo kết quả thực hiện nhiệm vụ chuyên môn theo kế hoạch công "
        "tác của đơn vị, có phối hợp với các phòng, ban liên quan; ")
LONG_PIECES = [squash(LONG)[i:i + 12] for i in range(0, len(squash(LONG)) - 12, 6)]


def page_texts(pdf):
    """Each page's text (poppler's pdftotext, in the order it is drawn: a cell's lines
    together), squashed: NFC, no whitespace."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return [squash(page) for page in out.split("\f")[:-1]]


def tong_hop_body(rows, long=False):
    body = example("tong-hop")
    template = body["rows"]
    body["rows"] = []
    for i in range(rows):
        row = copy.deepcopy(template[i % len(template)])
        row["full_name"] = f"Người số {i + 1}"
        if long:
            row["shortcomings"] = LONG * 2 + f"hết dòng {i + 1}"
        body["rows"].append(row)
    return body


def phieu_01_body(items, long=False):
    """`items` items spread over the five sections, each with a content naming it."""
    body = example("phieu-01")
    template = [item for key in SECTIONS for item in body["sections"].get(key, [])]
    body["sections"] = {key: [] for key in SECTIONS}
    for i in range(items):
        item = copy.deepcopy(template[i % len(template)])
        item["content"] = (f"Việc số {i + 1}. " + (LONG * 3 if long else item["content"])
                           + f" (hết việc số {i + 1})")
        body["sections"][SECTIONS[i * len(SECTIONS) // max(items, 1)]].append(item)
    return body


def last_row_end(body):
    """What ends the table's last row: IV's last item, or IV's title above its empty row."""
    other = body["sections"]["other"]
    if other:
        return squash(other[-1]["content"]).rsplit("(", 1)[1]  # «hếtviệcsốN)»
    return "Nhữngnộidungkhácdocấpcóthẩmquyềnchỉra"


SECTION_TITLES = ("Nhómtiêuchívềchínhtrị", "Nhómtiêuchíkếtquả", "Nănglựcvàkỹnăng",
                  "Thựchiệnnhiệmvụtheokếhoạch", "Việcthựchiệnnhữngtồntại", "Nhữngnộidungkhác")


def check_tong_hop(pages, rows):
    """The rules on one tổng hợp's pages (`rows` people, named «Người số N»)."""
    signature = [i for i, text in enumerate(pages) if "THỦTRƯỞNGĐƠNVỊ" in text]
    assert signature == [len(pages) - 1], "the signature ends the form, once"
    assert "Ngườisố1" in pages[0], "the first page holds the table's first row"
    last = pages[-1]
    assert (f"Ngườisố{rows}" in last or f"hếtdòng{rows}" in last) and "Cộng" in last, \
        "the signature's page holds (the end of) the last person's row and «Cộng»"
    for number, text in enumerate(pages[1:], start=2):
        assert any(piece in text for piece in ("Ngườisố", "hếtdòng", *LONG_PIECES)), \
            f"page {number} holds (a piece of) a person's row, not a head alone"


def check_phieu_01(pages, last):
    """The rules on one Phiếu 01's pages (`last`: what ends the table's last row)."""
    signature = [i for i, text in enumerate(pages) if "NGƯỜITHỰCHIỆN" in text]
    assert signature == [len(pages) - 1], "the signature ends the form, once"
    assert SECTION_TITLES[0] in pages[0], "the first page holds the table's first row"
    final = pages[-1]
    assert "Kếtquảđánhgiá,xếploạitháng6" in final and "nhậndiệnbiểuhiện7" in final
    assert last in final, "the signature's page holds (the end of) the table's last row"
    for number, text in enumerate(pages, start=1):
        assert "Nộidung2" in text and "thựchiện3" in text and "biểuhiện4" in text, \
            f"page {number}'s table head keeps the footnote marks"
        for title in SECTION_TITLES:
            at = text.find(title)
            if at != -1:  # an item's number after it: «1.», not the «1.» of «II.1.»
                assert re.search(r"(?<![I.])\d+\.", text[at + len(title):]), \
                    f"page {number}: the title «{title}» with its first row"
        if number > 1:
            assert any(piece in text for piece in ("Việcsố", "hếtviệcsố", *SECTION_TITLES,
                                                   *LONG_PIECES)), \
                f"page {number} holds a row of content, not a head alone"


def assert_a4_landscape(pdf):
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) \
            == A4_LANDSCAPE


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
@pytest.mark.parametrize("rows", TONG_HOP_ROWS)
def test_tong_hop_pages_obey_the_rules(client, rows, long):
    if long and rows > 40 and not ALL:
        pytest.skip("CI checks long texts up to 40 rows")
    response = client.post("/api/v1/tong-hop", json=tong_hop_body(rows, long))
    assert response.status_code == 200, response.json
    check_tong_hop(page_texts(response.data), rows)


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
@pytest.mark.parametrize("items", PHIEU_01_ITEMS)
def test_phieu_01_pages_obey_the_rules(client, items, long):
    body = phieu_01_body(items, long)
    response = client.post("/api/v1/phieu-01", json=body)
    assert response.status_code == 200, response.json
    check_phieu_01(page_texts(response.data), last_row_end(body))


def test_small_forms_print_on_the_fewest_pages(client):
    """Pages are not wasted: what fits on one page (a tổng hợp of three, a Phiếu 01 of one item
    with its footnotes) is not spread over more."""
    expected = {("tong-hop", 1): 1, ("tong-hop", 2): 1, ("tong-hop", 3): 1,
                ("phieu-01", 0): 2, ("phieu-01", 1): 2}
    for (form, size), pages in expected.items():
        body = tong_hop_body(size) if form == "tong-hop" else phieu_01_body(size)
        response = client.post(f"/api/v1/{form}", json=body)
        assert len(page_texts(response.data)) == pages, (form, size)


def test_blank_forms_have_the_guidance_page_count(client):
    """The guidance's paper forms: Phiếu 01 on two pages, page 1 to the head of II.2 (its
    footnotes 2–4), page 2 the rest with the signatures and footnotes 5–7; tổng hợp on one."""
    pdf = client.get("/api/v1/phieu-01/blank").data
    assert_a4_landscape(pdf)
    first, second = page_texts(pdf)
    assert "II.1." in first and "II.2" not in first and "Căncứcácnộidung" in first
    assert first.index("Nhómtiêuchívềchínhtrị") < first.index("Nănglựcvàkỹnăng")
    for text in ("II.2Thựchiệnnhiệmvụ", "IIIViệcthựchiện", "IVNhữngnộidungkhác",
                 "NGƯỜITHỰCHIỆN", "5Đềnghịđánhgiárõ", "6Xếploạiở4mứcđộ", "7Xếploạiở3mứcđộ"):
        assert text in second, text
    assert len(page_texts(client.get("/api/v1/tong-hop/blank").data)) == 1


def test_the_guidance_numbering_and_dots(client):
    first = page_texts(client.get("/api/v1/phieu-01/blank").data)[0]
    assert "ngày.....tháng.....năm20..." in first and "năm20...." not in first
    assert "Tháng...../20...." in first  # the month line keeps the guidance's four dots


def test_a_print_packet_obeys_the_rules_form_by_form(client):
    """Each form in a packet is laid out as alone: its pages obey the same rules."""
    sizes = (1, 6, 10)
    forms = [phieu_01_body(items) for items in sizes]
    response = client.post("/api/v1/packet", json={"tong_hop": tong_hop_body(4),
                                                   "phieu_01": forms})
    assert response.status_code == 200, response.json
    reader = PdfReader(io.BytesIO(response.data))
    starts = sorted(reader.get_destination_page_number(item) for item in reader.outline)
    pages = page_texts(response.data)
    bounds = list(zip(starts, starts[1:] + [len(pages)]))
    check_tong_hop(pages[slice(*bounds[0])], 4)
    for (start, end), body in zip(bounds[1:], forms):
        check_phieu_01(pages[start:end], last_row_end(body))


def test_an_archived_form_obeys_the_rules(archive):
    """The archive's PDF/A prints its code and QR code in the bottom margin: the same pages."""
    issued = archive.issue(tong_hop_body(4), form="tong-hop")
    pdf = archive.get(issued["links"]["pdf"], "unit_a").data
    pages = page_texts(pdf)
    check_tong_hop(pages, 4)
    assert all("Mãlưutrữ" in text for text in pages)
    assert_without_marks(pdf)


def assert_without_marks(pdf):
    """A whole PDF, with none of the pagination's bookmarks left in it."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert document.check_pdf_syntax() == []
        names = [str(name) for name in document.Root.get("/Dests", {}).keys()]
    assert not [name for name in names if name.startswith("/pg")]
    assert b"/pg1r" not in pdf


@pytest.mark.parametrize("items", [6, 20])
def test_the_pdf_keeps_none_of_the_pagination_s_marks(client, items):
    """Laid out once (6 items) or again with rows cut (20 long items): no bookmark is left."""
    response = client.post("/api/v1/phieu-01", json=phieu_01_body(items, long=items > 6))
    assert_without_marks(response.data)


@pytest.mark.parametrize("form", ["phieu-01", "tong-hop"])
def test_a_row_over_several_pages_says_on_each_whose_it_is(client, form):
    """A row taller than what is left of a page is cut where the page ends: each later piece
    repeats the number with «(tiếp)» under it (and the tổng hợp's name); no word is lost."""
    if form == "phieu-01":
        body = phieu_01_body(1)
        body["sections"]["political"][0]["content"] = (
            "Việc số 1. " + LONG * 13 + "(hết việc số 1)")
        continued, last = "1.(tiếp)", "(hếtviệcsố1)"
    else:
        body = tong_hop_body(1)
        body["rows"][0]["shortcomings"] = LONG * 13 + "hết dòng 1"
        continued, last = "1(tiếp)Ngườisố1", "hếtdòng1"
    response = client.post(f"/api/v1/{form}", json=body)
    assert response.status_code == 200, response.json
    pages = page_texts(response.data)
    ends = [i for i, text in enumerate(pages) if last in text]
    assert len(ends) == 1 and ends[0] >= 2, "the row runs over three pages or more"
    assert continued not in pages[0]
    for number, text in enumerate(pages[1:ends[0] + 1], start=2):
        assert continued in text, f"page {number} names the row it continues"
    words = squash(LONG).split(",")[0]  # «Ràsoát»: one per copy of LONG
    assert sum(text.count(words) for text in pages) == 13


def test_phieu_01_of_the_example_items_six_times_as_long(client):
    """Eight of the example's items, each content six times over, round the sections: rows cut
    over pages, a row whose first line would stand alone at a page's foot (it moves, with the
    section's title), and the last row shared with the signature's page."""
    body = example("phieu-01")
    template = [item for key in SECTIONS for item in body["sections"].get(key, [])]
    body["sections"] = {key: [] for key in SECTIONS}
    for i in range(8):
        item = copy.deepcopy(template[i % len(template)])
        item["content"] = (item["content"] + " ") * 6
        body["sections"][SECTIONS[i % len(SECTIONS)]].append(item)
    response = client.post("/api/v1/phieu-01", json=body)
    assert response.status_code == 200, response.json
    last = squash(body["sections"]["other"][-1]["content"])[-12:]
    check_phieu_01(page_texts(response.data), last)
