"""Months the competent level excuses (II.3.1, Lưu ý 3: đau ốm, nghỉ phép, nghỉ thai sản…):
recorded through the API by the unit or the secretariat, never replaced silently, and then
neither «quá hạn» on the unit's month nor counted at year end. SQLite and PostgreSQL
(conftest.archive_app)."""

import json
import re

import pytest
from sqlalchemy import select

from archive.models import AuditEvent, ExcusedMonth
from conftest import PASSWORD, example

UNIT = "/api/v1/units/noi-vu"
MONTHS = f"{UNIT}/excused-months"


@pytest.fixture
def unit(archive):
    response = archive.client.put(f"{UNIT}/roster", headers=archive.headers("unit_a"), json=[
        {"full_name": "Trần Văn Bình"}, {"full_name": "Nguyễn Thị Ngọc Ánh"},
        {"full_name": "Lê Văn Cũ", "active_to": "10/03/2026"}])
    assert response.status_code == 200
    return archive


def excuse(archive, who="unit_a", **changes):
    body = {"full_name": "Trần Văn Bình", "year": 2026, "month": 3, "reason": "thai_san",
            "note": "Từ 01/03 đến 30/06"} | changes
    return archive.post(MONTHS, who, json=body)


def test_an_excused_month_is_neither_overdue_nor_counted(unit):
    response = excuse(unit, reason="Nghỉ thai sản")  # the label is taken as well as the slug
    assert response.status_code == 201, response.json
    record = response.json
    assert (record["full_name"], record["month"], record["reason"], record["reason_label"],
            record["recorded_by"]) == ("Trần Văn Bình", 3, "thai_san", "Nghỉ thai sản", "unit_a")

    month = unit.get(f"{UNIT}/months/2026/3?today=2026-04-01", "unit_a").json
    binh = next(row for row in month["rows"] if row["full_name"] == "Trần Văn Bình")
    assert (binh["status"], binh["suggestion"]) == ("vang_co_ly_do", None)
    assert binh["flags"] == ["nghỉ thai sản"]
    assert month["counts"]["vang_co_ly_do"] == 1 and month["counts"]["qua_han"] == 1  # Ánh

    year = unit.get("/api/v1/reports/year-end", "secretariat",
                    query_string={"unit": "noi-vu", "year": 2026}).json
    people = {person["full_name"]: person for person in year["people"]}
    assert people["Trần Văn Bình"]["months"][2]["status"] == "excused"
    assert 3 in people["Trần Văn Bình"]["excused_months"]
    assert 3 not in people["Trần Văn Bình"]["missing_months"]
    assert 3 in people["Nguyễn Thị Ngọc Ánh"]["missing_months"]

    listed = unit.get(MONTHS, "secretariat", query_string={"year": 2026}).json
    assert [(row["full_name"], row["month"]) for row in listed] == [("Trần Văn Bình", 3)]
    with unit.sessions() as db:
        actions = db.scalars(select(AuditEvent.action)).all()
    assert "excused.record" in actions


def test_a_record_is_never_replaced_and_removing_it_counts_the_month_again(unit):
    first = excuse(unit).json
    again = excuse(unit, who="secretariat", reason="om_dau")
    assert again.status_code == 409
    assert "đã được ghi nhận" in again.json["message"] and "xóa" in again.json["message"]
    assert unit.count(ExcusedMonth) == 1

    removed = unit.client.delete(f"{MONTHS}/{first['id']}", headers=unit.headers("secretariat"))
    assert removed.status_code == 204
    assert unit.count(ExcusedMonth) == 0
    gone = unit.client.delete(f"{MONTHS}/{first['id']}", headers=unit.headers("unit_a"))
    assert gone.status_code == 404 and gone.json["message"] == "Không có bản ghi tháng vắng này."


@pytest.mark.parametrize("changes, status, words", [
    ({"full_name": "Người Lạ"}, 422, "không có trong danh sách"),
    ({"full_name": "Lê Văn Cũ"}, 422, "không công tác tại đơn vị"),  # left on 10/03
    ({"year": 2024, "month": 4}, 422, "trước khi áp dụng Hướng dẫn"),
    ({"reason": "di_choi"}, 422, "Lý do"),
    ({"month": 13}, 422, "Tháng"),
    ({"note": "x" * 1001}, 422, "Ghi chú"),
])
def test_a_bad_record_is_refused_in_vietnamese(unit, changes, status, words):
    response = excuse(unit, **changes)
    assert response.status_code == status
    assert words in str(response.json), response.json
    assert unit.count(ExcusedMonth) == 0


def test_a_month_with_a_form_needs_no_excuse(unit):
    body = example("phieu-01")
    body["person"] = {"full_name": "Trần Văn Bình", "position": "Chuyên viên"}
    body["period"] = {"month": 3, "year": 2026}
    unit.issue(body)
    response = excuse(unit)
    assert response.status_code == 409 and "đã có Phiếu số 01" in response.json["message"]


@pytest.mark.parametrize("who, status", [(None, 401), ("admin", 403), ("unit_b", 404)])
def test_only_the_unit_and_the_secretariat_record(unit, who, status):
    assert excuse(unit, who=who).status_code == status
    assert unit.count(ExcusedMonth) == 0


# ------------------------------------------------------------------ signs left to the next month

LATE = {"tasks": [{"content": "Báo cáo tháng", "self": {
    "result": "Chậm 5 ngày", "remedy_status": "not_fixed",
    "identification": {"level": "thuong_xuyen", "detail": "tiến độ báo cáo"}}}]}
CLEAN = {"tasks": [{"content": "Báo cáo tháng", "self": {
    "result": "Đúng hạn", "identification": {"level": "khong_co"}}}]}


def form(month, sections, rating):
    body = example("phieu-01")
    body |= {"person": {"full_name": "Trần Văn Bình", "position": "Chuyên viên"},
             "period": {"month": month, "year": 2026}, "sections": sections,
             "identification_rating": rating}
    return body


def carried(archive, who, body):
    response = archive.post("/api/v1/phieu-01/validate", who, json=body)
    assert response.status_code == 200, response.json
    return [w for w in response.json["warnings"] if w["code"] == "sign_carried_over"]


def test_a_sign_left_unremedied_last_month_is_pointed_out(unit):
    """II.4, Kém: «…chậm khắc phục và để kéo dài sang tháng tiếp theo»: the archive knows
    last month's signs, so a unit's check of this month's form names them."""
    october = unit.issue(form(10, LATE, "kem"))
    [warning] = carried(unit, "unit_a", form(11, CLEAN, "tot"))
    assert warning["field"] == "identification_rating"
    message = warning["message"]
    assert f"tháng 10/2026 (mã {october['code']})" in message and "mục II.2-1" in message
    assert "II.4" in message and "kéo dài sang tháng tiếp theo" in message
    # Rated Kém already, another unit's account, or no earlier form: nothing to point out.
    assert carried(unit, "unit_a", form(11, LATE, "kem")) == []
    assert carried(unit, "unit_b", form(11, CLEAN, "tot")) == []
    assert carried(unit, "unit_a", form(12, CLEAN, "tot")) == []
    unit.issue(form(10, CLEAN, "tot"), replaces=1)  # October corrected: the latest counts
    assert carried(unit, "unit_a", form(11, CLEAN, "tot")) == []


# ------------------------------------------------------------------------------ on the page


def page_token(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"',
                     html(client.get(path))).group(1)


def html(response):
    return response.get_data(as_text=True)


def test_the_months_page_records_and_removes_an_excuse(unit):
    client = unit.app.test_client()
    assert client.post("/dang-nhap", data={
        "username": "unit_a", "password": PASSWORD,
        "csrf_token": page_token(client, "/dang-nhap")}).status_code == 303
    page = "/don-vi/noi-vu/2026/3"
    before = html(client.get(page))
    assert "Vắng có lý do…" in before and 'name="reason"' in before
    response = client.post(f"{page}/vang", data={
        "csrf_token": page_token(client, page), "full_name": "Trần Văn Bình",
        "reason": "om_dau", "note": "Nằm viện <3 tuần> & điều trị"})
    assert response.status_code == 303 and response.location.endswith("#tinh-trang")
    after = html(client.get(page))
    assert "Đã ghi nhận: Trần Văn Bình vắng có lý do tháng 03/2026 (đau ốm)" in after
    assert "Vắng có lý do được ghi nhận, không cần Phiếu số 01" in after
    assert "Nằm viện &lt;3 tuần&gt; &amp; điều trị" in after  # text, never markup
    [excused_id] = [row.id for row in _excused(unit)]

    again = client.post(f"{page}/vang", data={
        "csrf_token": page_token(client, page), "full_name": "Trần Văn Bình",
        "reason": "nghi_phep"})
    assert again.status_code == 303
    assert "đã được ghi nhận; muốn sửa thì xóa bản ghi đó" in html(client.get(page))
    assert [row.reason for row in _excused(unit)] == ["om_dau"]  # not replaced

    removed = client.post(f"{page}/vang/{excused_id}/xoa",
                          data={"csrf_token": page_token(client, page)})
    assert removed.status_code == 303
    assert "Đã bỏ ghi nhận vắng của Trần Văn Bình tháng 03/2026." in html(client.get(page))
    assert _excused(unit) == []


def _excused(archive):
    with archive.sessions() as db:
        return db.scalars(select(ExcusedMonth)).all()


def test_the_tong_hop_and_the_year_end_say_the_same_of_a_missing_month(unit):
    """Issue 19: both count a roster member's month without a Phiếu 01 the same way, as
    «Không hoàn thành nhiệm vụ» and Kém (rules.MISSING_MONTH_RULE)."""
    unit.issue(form(10, CLEAN, "tot"))  # Bình has his form; Ánh has none for October 2026
    issued = unit.post(f"{UNIT}/months/2026/10/tong-hop", "unit_a", json={})
    assert issued.status_code == 201, issued.json
    rows = {row["full_name"]: row for row in json.loads(
        unit.get(issued.json["links"]["json"], "unit_a").data)["rows"]}
    assert rows["Nguyễn Thị Ngọc Ánh"]["result"] == "Không hoàn thành nhiệm vụ"
    assert rows["Nguyễn Thị Ngọc Ánh"]["rating"] == "kem"
    assert "Lê Văn Cũ" not in rows  # left on 10/03: owes nothing in October

    year = unit.get("/api/v1/reports/year-end", "unit_a",
                    query_string={"unit": "noi-vu", "year": 2026}).json
    anh = next(p for p in year["people"] if p["full_name"] == "Nguyễn Thị Ngọc Ánh")
    october = anh["months"][9]
    assert october["status"] == "missing" and 10 in anh["missing_months"]
    flag = next(f for f in anh["flags"] if f["month"] == 10)
    assert "«Không hoàn thành nhiệm vụ»" in flag["message"] and "Kém" in flag["message"]
    assert anh["counts"]["kem"] >= 1
