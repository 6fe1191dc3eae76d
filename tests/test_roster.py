"""A unit's roster (import from .xlsx/.csv/JSON), its month's status against the guidance's
deadline, and the Phiếu tổng hợp issued from the archive; on SQLite and PostgreSQL, with the real
LibreOffice. Each test issues few forms."""

import csv
import io
import json
import unicodedata
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from archive.models import AuditEvent, Document, Member
from conftest import example, pdf_pages, squash
from forms.compile import tong_hop_row

UNIT = "/api/v1/units/noi-vu"
HEADER = ["STT", "Họ và tên", "Chức vụ", "Từ ngày", "Đến ngày"]


def nfd(text):
    return unicodedata.normalize("NFD", text)


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def delimited(rows, delimiter=","):
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if value is None else value for value in row] for row in rows)
    return output.getvalue().encode("utf-8")


def put_file(archive, data, who="unit_a", name="danh-sach.xlsx", unit=UNIT):
    return archive.client.put(f"{unit}/roster", headers=archive.headers(who),
                              data={"file": (io.BytesIO(data), name)},
                              content_type="multipart/form-data")


def put_json(archive, rows, who="unit_a", unit=UNIT):
    return archive.client.put(f"{unit}/roster", headers=archive.headers(who), json=rows)


def members(archive, who="unit_a"):
    response = archive.get(f"{UNIT}/roster", who)
    assert response.status_code == 200, response.json
    return [(m["order"], m["full_name"], m["position"], m["active_from"], m["active_to"])
            for m in response.json["members"]]


def phieu(name, **changes):
    body = example("phieu-01")
    body["person"] = {"full_name": name, "position": "Chuyên viên"}
    body.update(changes)
    return body


def clean_phieu(name):
    """A Phiếu 01 with no sign and no identification rating decided (the rules suggest Tốt)."""
    body = phieu(name)
    body["sections"] = {"tasks": [{"content": "Tham mưu kế hoạch tháng",
                                   "self": {"result": "Hoàn thành đúng hạn",
                                            "identification": {"level": "khong_co"}}}]}
    body.pop("identification_rating")
    body["monthly_rating"] = "hoan_thanh_xuat_sac"
    return body


# ---------------------------------------------------------------------------- importing


def test_import_xlsx_with_nfd_names_excel_dates_and_the_files_order(archive):
    data = xlsx([
        [],  # a blank line above the header
        ["Thứ tự", nfd("Họ và tên"), "Chức vụ", "Từ ngày", "Đến ngày"],
        [2, nfd("Trần Văn Bình"), nfd("Phó Trưởng phòng"), datetime(2026, 3, 1), None],
        [1, nfd("Nguyễn Thị Ngọc Ánh"), "Trưởng phòng", "01/01/2026", None],
        [None, None, None, None, None],
        ["3", "  Lê   Văn Cường ", "Chuyên viên", None, "31/12/2026"],
    ])
    response = put_file(archive, data)
    assert response.status_code == 200, response.json
    assert (response.json["added"], response.json["updated"], response.json["kept"]) == (3, 0, [])
    assert members(archive) == [
        (1, "Nguyễn Thị Ngọc Ánh", "Trưởng phòng", "2026-01-01", None),
        (2, "Trần Văn Bình", "Phó Trưởng phòng", "2026-03-01", None),
        (3, "Lê Văn Cường", "Chuyên viên", None, "2026-12-31"),
    ]
    # Everything stored is NFC.
    with archive.sessions() as db:
        names = [m.full_name for m in db.query(Member).all()]
    assert all(name == unicodedata.normalize("NFC", name) for name in names)
    # The secretariat reads it too.
    assert members(archive, "secretariat") == members(archive)


def test_a_csv_reimport_updates_by_person_and_keeps_the_absent_after_them(archive):
    first = delimited([HEADER, [1, "Nguyễn Văn An", "Trưởng phòng", "01/01/2026", ""],
                       [2, "Trần Thị Bình", "Chuyên viên", "", ""],
                       [3, "Lê Văn Cường", "Chuyên viên", "", ""]], ";")
    assert put_file(archive, first, name="ds.csv").status_code == 200
    # Same people told apart by case, spacing and composition only; Bình left out; a new one.
    second = [{"full_name": nfd("LÊ VĂN  CƯỜNG"), "position": "Phó Trưởng phòng"},
              {"full_name": "nguyễn văn an", "position": "Trưởng phòng",
               "active_to": "2026-06-30"},
              {"full_name": "Phạm Thu Dung"}]
    response = put_json(archive, second)
    assert response.status_code == 200, response.json
    assert (response.json["added"], response.json["updated"]) == (1, 2)
    assert response.json["kept"] == ["Trần Thị Bình"]
    assert members(archive) == [
        (1, "LÊ VĂN CƯỜNG", "Phó Trưởng phòng", None, None),
        (2, "nguyễn văn an", "Trưởng phòng", None, "2026-06-30"),
        (3, "Phạm Thu Dung", "", None, None),
        (4, "Trần Thị Bình", "Chuyên viên", None, None),
    ]
    assert archive.count(Member) == 4
    with archive.sessions() as db:
        events = db.query(AuditEvent).filter_by(action="roster.import", outcome="ok").all()
    assert len(events) == 2


def test_bad_rows_refuse_the_whole_file_with_a_message_per_row(archive):
    assert put_json(archive, [{"full_name": "Người Cũ"}]).status_code == 200
    data = xlsx([HEADER,
                 [1, "Nguyễn Văn An", "", "01/01/2026", ""],
                 [2, "", "Chuyên viên", "", ""],
                 [3, "Trần Thị Bình", "", "31/02/2026", ""],
                 [4, nfd("nguyễn văn an"), "", "", ""],
                 [5, "Lê Văn Cường", "", "01/05/2026", "01/04/2026"],
                 ["năm", "Phạm Thu Dung", "", "", ""]])
    response = put_file(archive, data)
    assert response.status_code == 422, response.json
    lines = response.json["errors"]["files"]["file"]
    assert lines == [
        "Dòng 3: Họ và tên: không được để trống",
        "Dòng 4: Từ ngày: «31/02/2026» không phải ngày hợp lệ; hãy ghi dạng ngày/tháng/năm, "
        "ví dụ 01/01/2026",
        "Dòng 5: Họ và tên: «nguyễn văn an» trùng với dòng 2",
        "Dòng 6: Đến ngày: 01/04/2026 trước Từ ngày 01/05/2026",
        "Dòng 7: Thứ tự: «năm» phải là số nguyên dương",
    ]
    assert response.json["message"].startswith("Dữ liệu không hợp lệ: Dòng 3: Họ và tên: ")
    assert response.json["message"].endswith("(và 2 lỗi khác).")
    for text in [response.json["message"], *lines]:
        assert text == unicodedata.normalize("NFC", text)
    assert members(archive) == [(1, "Người Cũ", "", None, None)]  # nothing half-imported

    response = put_json(archive, [{"full_name": "A", "order": 1}, {"full_name": "B"},
                                  {"full_name": "C", "ngay_sinh": "1980"}, "D"])
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert errors["1.order"] == ["Thứ tự: để trống trong khi các dòng khác có số thứ tự; hãy "
                                 "ghi số cho mọi dòng hoặc bỏ cả cột"]
    assert "2.ngay_sinh" in errors and errors["3"] == ["phải là một đối tượng JSON ({…})"]
    assert members(archive) == [(1, "Người Cũ", "", None, None)]


def zipped(members_):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive_:
        for name, content in members_.items():
            archive_.writestr(name, content)
    return output.getvalue()


@pytest.mark.parametrize("data, status, words", [
    (b"%PDF-1.7\n1 0 obj << >> endobj\n", 422, "không phải bảng tính"),
    (b"Ho\xf2 t\xean\r\nNguy\xea\xden V\xe3n An\r\n", 422, "UTF-8"),
    (zipped({"xl/workbook.xml": "<workbook/>", "xl/big.xml": bytes(100 * 1024 * 1024 + 1)}),
     422, "quá nhiều dữ liệu"),
    (b"", 422, "rỗng"),
    (delimited([["Họ và tên", "Ngày sinh"], ["An", "1980"]]), 422, "«Ngày sinh» không có"),
    (delimited([["STT", "Chức vụ"], ["1", "Chuyên viên"]]), 422, "chưa có cột «Họ và tên»"),
    (delimited([HEADER]), 422, "không có dòng nào"),
    (b"Ho va ten\n" + b"A" * (3 * 1024 * 1024), 413, "quá lớn"),
], ids=["pdf", "cp1258", "zip-bomb", "empty", "unknown-column", "no-name-column", "no-rows",
        "huge"])
def test_files_that_are_not_a_roster_are_refused(archive, data, status, words):
    response = put_file(archive, data, name="danh-sach.xlsx")
    assert response.status_code == status, response.json
    assert words in response.json["message"]
    assert archive.count(Member) == 0


def test_a_put_without_a_file_or_json(archive):
    response = archive.client.put(f"{UNIT}/roster", headers=archive.headers("unit_a"),
                                  data={"other": "x"}, content_type="multipart/form-data")
    assert response.status_code == 422 and "chưa chọn tệp" in response.json["message"]
    response = archive.client.put(f"{UNIT}/roster", headers=archive.headers("unit_a"),
                                  json={"full_name": "An"})
    assert response.status_code == 422
    assert "mảng JSON" in response.json["errors"]["json"]["_schema"][0]


def test_the_template_downloads_and_reads_back_as_empty(archive):
    response = archive.get(f"{UNIT}/roster/template.xlsx", "unit_a")
    assert response.status_code == 200
    assert "filename*=UTF-8''M%E1%BA%ABu%20danh%20s%C3%A1ch" in \
        response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    filled = load_workbook(io.BytesIO(response.data))
    filled.worksheets[0].append([1, "Nguyễn Văn An", "Chuyên viên", "01/02/2026", None])
    output = io.BytesIO()
    filled.save(output)
    assert put_file(archive, output.getvalue()).status_code == 200
    assert members(archive) == [(1, "Nguyễn Văn An", "Chuyên viên", "2026-02-01", None)]


# ------------------------------------------------------------------------------- roles


def test_roles_and_other_units(archive):
    assert put_json(archive, [{"full_name": "Nguyễn Văn An"}]).status_code == 200
    month = f"{UNIT}/months/2026/11"
    for who in ("unit_b",):  # another unit: 404, like a unit that does not exist
        assert archive.get(f"{UNIT}/roster", who).status_code == 404
        assert archive.get(f"{UNIT}/roster/template.xlsx", who).status_code == 404
        assert archive.get(month, who).status_code == 404
        assert put_json(archive, [{"full_name": "X"}], who).status_code == 404
        response = archive.post(f"{month}/tong-hop", who, json={})
        assert response.status_code == 404
        assert response.json["message"] == "Không tìm thấy đơn vị này."
    assert archive.get("/api/v1/units/khong-co/roster", "unit_a").status_code == 404
    assert archive.get("/api/v1/units/khong-co/roster", "secretariat").status_code == 404
    # The secretariat reads any unit, changes nothing.
    assert archive.get(month, "secretariat").status_code == 200
    assert put_json(archive, [{"full_name": "X"}], "secretariat").status_code == 403
    assert archive.post(f"{month}/tong-hop", "secretariat", json={}).status_code == 403
    # The administrator reads no unit; nobody anonymous.
    for who, status in (("admin", 403), (None, 401)):
        assert archive.get(f"{UNIT}/roster", who).status_code == status
        assert archive.get(month, who).status_code == status
        assert put_json(archive, [{"full_name": "X"}], who).status_code == status
    assert members(archive) == [(1, "Nguyễn Văn An", "", None, None)]
    with archive.sessions() as db:
        refused = db.query(AuditEvent).filter_by(outcome="refused").all()
    assert any("đơn vị khác" in event.detail for event in refused)
    assert any(event.action == "access" for event in refused)
    # A month that does not exist.
    assert archive.get(f"{UNIT}/months/2026/13", "unit_a").status_code == 404
    assert archive.get(f"{UNIT}/months/1999/1", "unit_a").status_code == 404


# ------------------------------------------------------------------------------- status


def test_month_status_in_roster_order_with_the_deadline_before_the_25th(archive):
    assert put_json(archive, [
        {"full_name": "Trần Văn Bình", "position": "Phó Trưởng phòng"},
        {"full_name": "Nguyễn Thị Ngọc Ánh", "position": "Chuyên viên"},
        {"full_name": "Đỗ Văn Cũ", "active_to": "31/10/2026"},  # left before November
        {"full_name": "Hoàng Văn Mới", "active_from": "15/11/2026"},
        {"full_name": "Lý Văn Muộn", "active_from": "25/11/2026"},  # joined after the deadline
    ]).status_code == 200
    anh = archive.issue(phieu(nfd("Nguyễn Thị Ngọc Ánh")))
    other = archive.issue(phieu("Vũ Thị Khách"))

    # II.6.1: «Trước ngày 25 hằng tháng»: the 24th is the last day in time.
    on_time = archive.get(f"{UNIT}/months/2026/11?today=2026-11-24", "unit_a").json
    assert (on_time["deadline"], on_time["overdue"]) == ("2026-11-24", False)
    rows = on_time["rows"]
    assert [(r["full_name"], r["status"], r["flags"], r["on_roster"]) for r in rows] == [
        ("Trần Văn Bình", "chua_co", [], True),
        ("Nguyễn Thị Ngọc Ánh", "co_phieu", [], True),
        ("Hoàng Văn Mới", "chua_co", [], True),
        ("Vũ Thị Khách", "co_phieu", ["không có trong danh sách"], False),
    ]
    assert rows[1]["document"] == {
        "id": anh["id"], "code": anh["code"], "version": 1,
        "monthly_rating": "hoan_thanh_tot", "monthly_rating_label": "Hoàn thành tốt nhiệm vụ",
        "identification_rating": "trung_binh", "identification_rating_label": "Trung bình"}
    assert rows[3]["document"]["id"] == other["id"] and rows[3]["order"] is None
    assert all(row["suggestion"] is None for row in rows)
    assert on_time["counts"] == {"co_phieu": 2, "chua_co": 2, "qua_han": 0,
                                 "vang_co_ly_do": 0, "ngoai_danh_sach": 1}
    assert on_time["tong_hop"] is None

    late = archive.get(f"{UNIT}/months/2026/11?today=2026-11-25", "secretariat").json
    assert late["overdue"] is True
    binh = late["rows"][0]
    assert (binh["status"], binh["status_label"], binh["flags"]) == (
        "qua_han", "Quá hạn, chưa có Phiếu số 01", ["quá hạn"])
    assert binh["suggestion"]["monthly_rating"] == "khong_hoan_thanh"
    assert "II.3.1" in binh["suggestion"]["message"]
    assert "«Không hoàn thành nhiệm vụ»" in binh["suggestion"]["message"]
    assert late["rows"][1]["suggestion"] is None
    assert late["counts"]["qua_han"] == 2
    # October: Cũ was still there, Mới not yet.
    october = archive.get(f"{UNIT}/months/2026/10?today=2026-11-26", "unit_a").json
    assert [row["full_name"] for row in october["rows"]] == [
        "Trần Văn Bình", "Nguyễn Thị Ngọc Ánh", "Đỗ Văn Cũ"]
    # Before the guidance (III.1: from 05/2024) no form is owed: nothing is overdue.
    april = archive.get(f"{UNIT}/months/2024/4?today=2026-11-26", "unit_a").json
    assert april["overdue"] is False and april["counts"]["qua_han"] == 0
    assert "tháng trước khi áp dụng Hướng dẫn (mục III.1)" in april["rows"][0]["flags"]
    assert archive.get(f"{UNIT}/months/2026/11?today=26-11-2026", "unit_a").status_code == 422


# ------------------------------------------------------------------------------ tổng hợp


def test_tong_hop_from_the_archive_equals_the_one_built_by_hand(archive):
    month = f"{UNIT}/months/2026/11"
    response = archive.post(f"{month}/tong-hop", "unit_a", json={})
    assert response.status_code == 422
    assert "chưa có Phiếu số 01 nào của tháng 11/2026" in response.json["message"]

    assert put_json(archive, [{"full_name": "Trần Văn Bình"},
                              {"full_name": "Nguyễn Thị Ngọc Ánh"},
                              {"full_name": "Lê Văn Vắng"},
                              {"full_name": "Phạm Thủ Trưởng"}]).status_code == 200
    archive.issue(phieu("Nguyễn Thị Ngọc Ánh", monthly_rating="hoan_thanh"))
    archive.issue(phieu(nfd("nguyễn thị ngọc ánh")), replaces=1)  # a correction: bản 2 counts
    archive.issue(clean_phieu("Trần Văn Bình"))
    archive.issue(phieu("An Văn Khách", identification_rating="kem"))
    # The head's own Phiếu 01 is assessed above them: no row of their own tổng hợp.
    archive.issue(phieu("Phạm Thủ Trưởng", head_name="Phạm Thủ Trưởng"))

    response = archive.post(f"{month}/tong-hop", "unit_a",
                            json={"signed_on": "2026-11-27", "head_name": "Phạm Thủ Trưởng"})
    assert response.status_code == 201, response.json
    record = response.json
    assert (record["form"], record["version"], record["person_name"]) == ("tong-hop", 1, None)
    assert response.headers["Location"].endswith(f"/api/v1/documents/{record['id']}")

    issued = json.loads(archive.get(record["links"]["json"], "unit_a").data)
    anh = {"full_name": "nguyễn thị ngọc ánh", "result": "Hoàn thành tốt nhiệm vụ",
           "shortcomings": "Mục I-1: Chấp hành giờ giấc làm việc, nội quy cơ quan: Thống nhất "
                           "với cá nhân tự đánh giá\nMục II.2-1: Tham mưu báo cáo sơ kết công tác "
                           "cán bộ quý IV: Chậm 02 ngày; chất lượng báo cáo đạt yêu cầu",
           "cause": "Mục I-1: Chủ quan\nMục II.2-1: Khách quan và chủ quan",
           "remedy_result": "Mục I-1: Đã khắc phục kịp thời\nMục II.2-1: Đã khắc phục kịp thời",
           "identification": "Mục I-1: Có biểu hiện nhưng không thường xuyên ở nội dung chấp "
                             "hành thời giờ làm việc\nMục II.2-1: Có biểu hiện nhưng chưa rõ ở "
                             "nội dung phối hợp tổng hợp số liệu",
           "rating": "trung_binh"}
    # No identification rating decided: the level is left to the competent level (II.6.5).
    binh = {"full_name": "Trần Văn Bình", "result": "Hoàn thành xuất sắc nhiệm vụ",
            "identification": "Không có biểu hiện"}
    # On the roster, no Phiếu 01 past the deadline: II.3.1 (Lưu ý), as the year-end counts it.
    vang = {"full_name": "Lê Văn Vắng", "result": "Không hoàn thành nhiệm vụ",
            "identification": "Không có Phiếu số 01 (mục II.3.1, Lưu ý)", "rating": "kem"}
    khach = {**anh, "full_name": "An Văn Khách", "rating": "kem"}
    by_hand = {"unit": {"name": "Phòng Nội vụ", "parent": "Ủy ban nhân dân quận Nam Từ Liêm"},
               "signed_on": "2026-11-27", "period": {"month": 11, "year": 2026},
               "head_name": "Phạm Thủ Trưởng", "rows": [binh, anh, vang, khach]}
    assert issued == by_hand

    # The same rows posted by hand give the same printed form (but for the archive code).
    pdf = archive.get(record["links"]["pdf"], "unit_a").data
    printed = squash("".join(pdf_pages(pdf)))
    rendered = archive.client.post("/api/v1/tong-hop", json=by_hand,
                                   headers=archive.headers("unit_a"))
    assert rendered.status_code == 200
    assert _without_code(printed, record["code"]) == squash("".join(pdf_pages(rendered.data)))
    assert printed.index(squash("Trần Văn Bình")) < printed.index(squash("nguyễn thị ngọc ánh")) \
        < printed.index(squash("An Văn Khách"))

    status = archive.get(f"{month}?today=2026-11-28", "unit_a").json
    assert status["tong_hop"]["id"] == record["id"]
    # Made again from the same archive with the same fields: the same tổng hợp, no new version.
    again = archive.post(f"{month}/tong-hop", "unit_a",
                         json={"signed_on": "2026-11-27", "head_name": "Phạm Thủ Trưởng"})
    assert again.status_code == 200 and again.json["unchanged"] is True
    assert (again.json["id"], again.json["version"]) == (record["id"], 1)
    # Without them (the Phiếu 01's head name, no date): a change, to confirm; then bản 2.
    refused = archive.post(f"{month}/tong-hop", "unit_a")
    assert refused.status_code == 409 and refused.json["current"]["version"] == 1
    assert "Phiếu tổng hợp của Phòng Nội vụ tháng 11/2026 đã được phát hành: bản 1" \
        in refused.json["message"]
    changed = archive.post(f"{month}/tong-hop?replaces=1", "unit_a")
    assert changed.status_code == 201 and changed.json["version"] == 2
    assert changed.json["replaced"]["version"] == 1
    assert json.loads(archive.get(changed.json["links"]["json"], "unit_a").data)["head_name"] \
        == "Trần Văn Bình"


def _without_code(text, code):
    """The issued form's text without its footer's archive code (the QR code has no text)."""
    return text.replace(squash(f"Mã lưu trữ: {code}"), "").replace(squash(code), "")


def test_tong_hop_request_is_checked(archive):
    response = archive.post(f"{UNIT}/months/2026/11/tong-hop", "unit_a",
                            json={"signed_on": "27/11/2026", "ghi_chu": "x"})
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"signed_on", "ghi_chu"}
    response = archive.post(f"{UNIT}/months/2026/11/tong-hop", "unit_a", data="x",
                            content_type="text/plain")
    assert response.status_code == 415


def test_the_mapping_is_the_pure_functions(archive):
    """The row of one person is forms.compile.tong_hop_row of their issued JSON."""
    body = phieu("Nguyễn Văn An")
    issued = archive.issue(body)
    data = json.loads(archive.get(issued["links"]["json"], "unit_a").data)
    record = archive.post(f"{UNIT}/months/2026/11/tong-hop", "unit_a").json
    compiled = json.loads(archive.get(record["links"]["json"], "unit_a").data)
    assert compiled["rows"] == [tong_hop_row(data)]


# ---------------------------------------------------------------------------- web pages


def web_login(archive, username):
    import re

    from conftest import PASSWORD
    client = archive.app.test_client()
    page = client.get("/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/dang-nhap", data={"username": username, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 303
    page = client.get("/").get_data(as_text=True)  # the session's token, after the login
    return client, re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_the_month_page_uploads_a_roster_and_issues_the_tong_hop(archive):
    import re

    from test_web_archive import assert_locked_down
    client, token = web_login(archive, "unit_a")
    response = client.get("/don-vi")
    assert response.status_code == 302
    assert "/don-vi/noi-vu/" in response.headers["Location"]
    page = "/don-vi/noi-vu/2026/11"
    response = client.get(page)
    assert response.status_code == 200
    assert_locked_down(response)
    html = response.get_data(as_text=True)
    assert "Lập phiếu tổng hợp từ hồ sơ" in html and "Nhập danh sách" in html
    assert 'href="/don-vi"' in html  # in the navigation

    def upload(data, with_token=True):
        form = {"file": (io.BytesIO(data), "ds.xlsx"), "year": "2026", "month": "11"}
        if with_token:
            form["csrf_token"] = token
        return client.post("/don-vi/noi-vu/danh-sach", data=form,
                           content_type="multipart/form-data")

    assert upload(xlsx([HEADER, [1, "Trần Văn Bình"]]), with_token=False).status_code == 400
    response = upload(xlsx([HEADER, [1, "Trần Văn Bình"], [2, ""], [3, "Lê Văn Cường",
                                                                    "", "xx"]]))
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"{page}#danh-sach")
    html = client.get(page).get_data(as_text=True)
    assert "Dòng 3: Họ và tên: không được để trống" in html
    assert "Dòng 4: Từ ngày: «xx» không phải ngày hợp lệ" in html
    assert archive.count(Member) == 0
    assert upload(xlsx([HEADER, [1, "Trần Văn Bình", "Trưởng phòng"],
                        [2, "Nguyễn Thị Ngọc Ánh"]])).status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "Đã nhập danh sách: 2 người mới, 0 người cập nhật." in html
    assert html.index("Trần Văn Bình") < html.index("Nguyễn Thị Ngọc Ánh")
    archive.issue(phieu("Nguyễn Thị Ngọc Ánh"))

    issue_url = "/don-vi/noi-vu/2026/11/tong-hop"
    assert client.post(issue_url, data={}).status_code == 400  # no CSRF token
    # The page's date is typed ngày/tháng/năm, and refused in those words.
    response = client.post(issue_url, data={"csrf_token": token, "signed_on": "31/02/2026"})
    assert response.status_code == 303
    assert "Ngày ký: 31/02/2026 không phải ngày có thật" in client.get(page).get_data(
        as_text=True)
    response = client.post(issue_url, data={"csrf_token": token, "signed_on": "27/11/2026",
                                            "head_name": "Trần Văn Bình"})
    assert response.status_code == 303
    first_record = response.headers["Location"]
    record = client.get(first_record).get_data(as_text=True)
    assert "Đã lưu phiếu tổng hợp tháng 11/2026" in record
    html = client.get(page).get_data(as_text=True)
    assert "Đã phát hành:" in html
    # Made again, the page says which version a change replaces, and confirms it in the post.
    assert "Lập lại phiếu tổng hợp (thay bản 1 nếu số liệu đã đổi)" in html
    assert '<input type="hidden" name="replaces" value="1">' in html
    fields = {"csrf_token": token, "signed_on": "2026-11-27", "replaces": "1"}
    response = client.post(issue_url, data={**fields, "head_name": "Trần Văn Bình"})
    assert response.headers["Location"] == first_record  # the record issued before
    assert re.search(r"Phiếu tổng hợp tháng 11/2026 không đổi so với bản 1 đã phát hành \(mã "
                     r"lưu trữ [0-9A-Z]{4}-[0-9A-Z]{4}\): không tạo bản mới\.",
                     client.get(response.headers["Location"]).get_data(as_text=True))
    response = client.post(issue_url, data={**fields, "head_name": "Lê Văn Khác"})
    assert ", bản 2, thay bản 1." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    # The page seen before bản 2 was issued: its confirmation is stale, nothing is issued.
    response = client.post(issue_url, data={**fields, "head_name": "Người Thứ Ba"})
    assert response.headers["Location"].endswith(f"{page}#tong-hop")
    assert "bản hiện hành là bản 2" in client.get(page).get_data(as_text=True)
    assert archive.count(Document) == 3  # the Phiếu 01 and two tổng hợp
    # October has no Phiếu 01: the reason comes back in Vietnamese.
    response = client.post("/don-vi/noi-vu/2026/10/tong-hop", data={"csrf_token": token})
    assert response.status_code == 303
    assert "chưa có Phiếu số 01 nào của tháng 10/2026" in client.get(
        "/don-vi/noi-vu/2026/10").get_data(as_text=True)


def test_the_month_page_for_other_roles(archive):
    client, token = web_login(archive, "unit_b")
    assert client.get("/don-vi/noi-vu/2026/11").status_code == 404
    assert client.post("/don-vi/noi-vu/2026/11/tong-hop",
                       data={"csrf_token": token}).status_code == 404
    client, token = web_login(archive, "secretariat")
    html = client.get("/don-vi").get_data(as_text=True)
    assert "Phòng Nội vụ" in html and "Phòng Tài chính - Kế hoạch" in html
    response = client.get("/don-vi/noi-vu/2026/11")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Lập phiếu tổng hợp từ hồ sơ" not in html and "Nhập danh sách" not in html
    assert client.post("/don-vi/noi-vu/2026/11/tong-hop",
                       data={"csrf_token": token}).status_code == 403
    client, _token = web_login(archive, "admin")
    assert client.get("/don-vi/noi-vu/2026/11").status_code == 403
    assert archive.app.test_client().get("/don-vi/noi-vu/2026/11").status_code == 302
