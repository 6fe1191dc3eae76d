"""The print packet from the archive: GET /api/v1/units/<code>/months/<y>/<m>/packet gives the
month's latest tổng hợp, then each person's latest Phiếu 01 in roster order, as the archived
PDF/As themselves (their codes printed), merged with a bookmark per form, or zipped."""

import io
import zipfile
from urllib.parse import unquote

from pypdf import PdfReader
from test_roster import put_json

from conftest import example

PACKET = "/api/v1/units/noi-vu/months/2026/11/packet"


def _phieu(name):
    body = example("phieu-01")
    body["person"]["full_name"] = name
    return body


def _file_name(response):
    return unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''")[1])


def _pages(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_the_month_packet_is_the_archived_forms_in_roster_order(archive):
    assert put_json(archive, [{"full_name": "Trần Thị Bình"}, {"full_name": "Nguyễn Văn An"}]
                    ).status_code == 200
    an = archive.issue(_phieu("Nguyễn Văn An"))
    archive.issue(_phieu("Trần Thị Bình"))
    corrected = {**_phieu("Trần Thị Bình"), "monthly_rating": "hoan_thanh"}
    binh = archive.issue(corrected, replaces=1)  # a correction: only the latest is printed
    outsider = archive.issue(_phieu("Đỗ Văn Khách"))  # not on the roster: after the others
    tong_hop = archive.issue(example("tong-hop"), form="tong-hop")

    response = archive.get(f"{PACKET}?duplex=true", "secretariat")
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert [item.title for item in reader.outline] == [
        "Phiếu tổng hợp", "1. Trần Thị Bình", "2. Nguyễn Văn An", "3. Đỗ Văn Khách"]
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert all(start % 2 == 0 for start in starts)
    codes = [tong_hop["code"], binh["code"], an["code"], outsider["code"]]
    for start, code in zip(starts, codes, strict=True):
        assert f"Mã lưu trữ: {code}" in reader.pages[start].extract_text()

    zipped = archive.get(f"{PACKET}?format=zip", "unit_a")
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as bundle:
        names = bundle.namelist()
        assert names[1] == "002 - Phiếu 01 - Trần Thị Bình - tháng 11-2026.pdf"
        archived = archive.get(f"/api/v1/documents/{binh['id']}/pdf", "unit_a").data
        assert _pages(bundle.read(names[1])) == _pages(archived)

    # The three downloads of one month do not share a name (a second would overwrite the first).
    plain = archive.get(PACKET, "unit_a")
    assert _file_name(plain) == "Hồ sơ in - Phòng Nội vụ - tháng 11-2026.pdf"
    assert _file_name(response) == "Hồ sơ in hai mặt - Phòng Nội vụ - tháng 11-2026.pdf"
    assert _file_name(zipped) == "Hồ sơ in - Phòng Nội vụ - tháng 11-2026.zip"


def test_who_may_print_a_months_packet(archive):
    archive.issue(_phieu("Nguyễn Văn An"))
    assert archive.get(PACKET, None).status_code == 401
    assert archive.get(PACKET, "admin").status_code == 403
    assert archive.get(PACKET, "unit_b").status_code == 404
    assert archive.get("/api/v1/units/tai-chinh/months/2026/11/packet", "unit_b"
                       ).json["message"] == "Hồ sơ chưa có phiếu nào của Phòng Tài chính - Kế " \
                                            "hoạch tháng 11/2026."
    assert archive.get(f"{PACKET}?format=docx", "unit_a").status_code == 422
    assert archive.get("/api/v1/units/noi-vu/months/2026/13/packet", "unit_a").status_code == 404
