"""The print packet's engine: forms composed into one document per chunk, converted once and cut
back into forms, each exactly as it prints alone; then merged with bookmarks (and blank pages for
double-sided printing) or zipped."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from conftest import example, pdf_pages, squash
from documents.make import make_document
from documents.packet import Form, convert_forms, merge, stored_part, zip_parts
from forms import phieu_01, tong_hop
from schemas import SCHEMAS

SETTINGS = {"PLACE_NAME": "Nam Từ Liêm"}


def _phieu(name, extra_tasks=0, note=None):
    data = example("phieu-01")
    data["person"]["full_name"] = name
    data["sections"]["tasks"] = data["sections"]["tasks"] * (1 + extra_tasks)
    if note:
        data["sections"]["other"] = [{"content": note}]
    return SCHEMAS["phieu-01"]().load(data)


@pytest.fixture(scope="module")
def converter(app):
    return app.extensions["converter"]


@pytest.fixture(scope="module")
def forms():
    """A tổng hợp, then Phiếu 01 of 3, 4 and 2–3 pages in an order that puts odd-length forms
    before others (where LibreOffice needs its page styles set again)."""
    people = [("Nguyễn Văn An", 0), ("Trần Thị Bình", 5), ("Lê Văn Cường", 0),
              ("Phạm Thị Dung", 0), ("Hoàng Văn Em", 5)]
    return [Form(tong_hop, SCHEMAS["tong-hop"]().load(example("tong-hop")), "Phiếu tổng hợp"),
            *(Form(phieu_01, _phieu(name, extra, note="{{ 7*7 }} & <w:p> {% if %}"),
                   f"{number}. {name}")
              for number, (name, extra) in enumerate(people, start=1))]


@pytest.fixture(scope="module")
def parts(forms, converter):
    return list(convert_forms(forms, settings=SETTINGS, converter=converter, chunk=3))


def _alone(form, converter):
    pdf = make_document(form.module, form.data, "pdf", settings=SETTINGS,
                        converter=converter).content
    return pdf_pages(pdf)


def test_each_form_prints_in_the_packet_as_it_prints_alone(forms, parts, converter):
    """Same pages, same text on each: page numbers from 2 and restarting with each form, the
    footnotes numbered 2–7 in every form, template syntax printed literally."""
    assert [part.title for part in parts] == [form.title for form in forms]
    lengths = set()
    for form, part in zip(forms, parts, strict=True):
        alone = _alone(form, converter)
        together = pdf_pages(_pdf(part))
        # Spaces aside: the packet is not tagged, and tags change how text extraction spaces words.
        assert [squash(text) for text in together] == [squash(text) for text in alone], form.title
        lengths.add(len(alone))
    assert {2, 3} <= lengths or {3, 4} <= lengths  # odd and even lengths were both exercised
    first = pdf_pages(_pdf(parts[2]))
    assert not first[0].startswith("1"), "a form's first page carries no page number"
    assert first[1].startswith("2")
    assert squash("{{ 7*7 }} & <w:p> {% if %}") in squash("".join(first))


def _pdf(part):
    return zip_member(zip_parts([part]), 0)


def zip_member(content, index):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(archive.namelist()[index])


def test_merged_packet_has_a_bookmark_per_form_at_its_first_page(parts):
    reader = PdfReader(io.BytesIO(merge(parts, title="Hồ sơ tháng 11/2026")))
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    expected, page = [], 0
    for part in parts:
        expected.append(page)
        page += len(part.pages)
    assert [item.title for item in reader.outline] == [part.title for part in parts]
    assert starts == expected
    assert len(reader.pages) == page
    assert reader.metadata.title == "Hồ sơ tháng 11/2026"
    for page in reader.pages:  # every page landscape A4
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)


def test_duplex_adds_a_blank_page_after_each_form_of_odd_length(parts):
    reader = PdfReader(io.BytesIO(merge(parts, duplex=True)))
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert all(start % 2 == 0 for start in starts), "each form starts on the front of a sheet"
    odd = sum(len(part.pages) % 2 for part in parts[:-1])
    assert odd > 0
    assert len(reader.pages) == sum(len(part.pages) for part in parts) + odd
    for start, part in zip(starts, parts[:-1], strict=False):
        if len(part.pages) % 2:
            assert not reader.pages[start + len(part.pages)].extract_text().strip()


def test_zip_holds_each_form_as_its_own_pdf_with_a_vietnamese_name(parts):
    with zipfile.ZipFile(io.BytesIO(zip_parts(parts))) as archive:
        names = archive.namelist()
        assert names[0] == "001 - Phiếu tổng hợp - Phòng Nội vụ - tháng 11-2026.pdf"
        assert names[2] == "003 - Phiếu 01 - Trần Thị Bình - tháng 11-2026.pdf"
        for name, part in zip(names, parts, strict=True):
            assert len(PdfReader(io.BytesIO(archive.read(name))).pages) == len(part.pages)


def test_stored_pdfs_merge_the_same_way(parts):
    whole = _pdf(parts[1])
    part = stored_part("1. Nguyễn Văn An", "a.pdf", whole)
    reader = PdfReader(io.BytesIO(merge([part, part], duplex=True)))
    assert len(reader.pages) == 2 * len(part.pages) + len(part.pages) % 2


# ------------------------------------------------------------------------ POST /api/v1/packet


def _body(names=("Nguyễn Văn An", "Trần Thị Bình")):
    forms = []
    for name in names:
        form = example("phieu-01")
        form["person"]["full_name"] = name
        forms.append(form)
    return {"tong_hop": example("tong-hop"), "phieu_01": forms}


def test_the_packet_from_json_is_one_pdf_with_a_bookmark_per_form(client):
    response = client.post("/api/v1/packet?duplex=true", json=_body())
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    # «Hồ sơ in hai mặt - Phòng Nội vụ - tháng 11-2026.pdf»
    assert ("filename*=UTF-8''H%E1%BB%93%20s%C6%A1%20in%20hai%20m%E1%BA%B7t%20-%20Ph%C3%B2ng%20"
            "N%E1%BB%99i%20v%E1%BB%A5%20-%20th%C3%A1ng%2011-2026.pdf"
            ) in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert [item.title for item in reader.outline] == [
        "Phiếu tổng hợp", "1. Nguyễn Văn An", "2. Trần Thị Bình"]
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert all(start % 2 == 0 for start in starts)
    texts = pdf_pages(response.data)
    assert "PHIẾU TỔNG HỢP ĐÁNH GIÁ, NHẬN DIỆN" in texts[0]
    assert "Họ và tên: Trần Thị Bình" in texts[starts[2]]


def test_the_packet_as_a_zip_of_separate_pdfs(client):
    response = client.post("/api/v1/packet?format=zip", json=_body())
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.namelist() == [
            "001 - Phiếu tổng hợp - Phòng Nội vụ - tháng 11-2026.pdf",
            "002 - Phiếu 01 - Nguyễn Văn An - tháng 11-2026.pdf",
            "003 - Phiếu 01 - Trần Thị Bình - tháng 11-2026.pdf"]


@pytest.mark.parametrize("query, body, field, message", [
    ("", {"phieu_01": [{"unit": {"name": "X"}, "period": {"month": 11, "year": 2026}}]},
     "phieu_01.0.person", "Họ và tên: không được để trống"),
    ("", {"phieu_01": []}, "phieu_01", "Các Phiếu số 01: chưa có phiếu nào"),
    ("", {"tong_hop": example("tong-hop")}, "phieu_01", "Các Phiếu số 01: không được để trống"),
    ("?format=docx", None, "format", "format: chỉ nhận «pdf» hoặc «zip»"),
    ("?duplex=maybe", None, "duplex", "duplex: chỉ nhận true hoặc false"),
])
def test_a_bad_packet_is_refused_naming_the_field(client, query, body, field, message):
    response = client.post(f"/api/v1/packet{query}", json=body or _body(names=("A",)))
    assert response.status_code == 422, response.json
    errors = {path: messages for location in response.json["errors"].values()
              for path, messages in location.items()}
    assert errors[field] == [message]


def test_the_packet_needs_an_account_unless_rendering_is_open(work_dir):
    from conftest import make_app
    closed = make_app(work_dir, ALLOW_ANONYMOUS_RENDER=False)
    response = closed.test_client().post("/api/v1/packet", json=_body())
    assert response.status_code == 401


def test_forms_issued_alone_stay_tagged_and_the_print_packet_is_not(parts, converter):
    """Tagging (the structure screen readers follow) is left out of print packets only: it costs
    LibreOffice a fifth of a packet's time, and a packet is for printing."""
    alone = make_document(phieu_01, _phieu("Nguyễn Văn An"), "pdf", settings=SETTINGS,
                          converter=converter).content
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(alone)).trailer["/Root"]
    packet = PdfReader(io.BytesIO(merge(parts)))
    assert "/StructTreeRoot" not in packet.trailer["/Root"]
