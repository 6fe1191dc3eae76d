"""The pure parts of a unit's month: forms.rules.missing_form (II.6.1 deadline, II.3.1) and
forms.compile (the tổng hợp's rows from Phiếu 01 data). No database, no LibreOffice."""

import unicodedata
from datetime import date

import pytest

from forms import rules
from forms.compile import Missing, tong_hop_data, tong_hop_row
from schemas.tong_hop import TongHopSchema


def sign(level, status=None, detail="phối hợp", result="Chậm 2 ngày", cause="Chủ quan"):
    side = {"result": result, "cause": cause, "identification": {"level": level,
                                                                  "detail": detail}}
    if status:
        side["remedy_status"] = status
    return side


def person(name="Nguyễn Văn An", sections=None, **extra):
    return {"unit": {"name": "Phòng Nội vụ"}, "period": {"month": 11, "year": 2026},
            "person": {"full_name": name}, "sections": sections or {}, **extra}


# ----------------------------------------------------------------------- missing_form


@pytest.mark.parametrize("today, overdue", [
    (date(2026, 11, 1), False), (date(2026, 11, 24), False), (date(2026, 11, 25), True),
    (date(2027, 1, 3), True), (date(2026, 10, 30), False)])
def test_missing_form_is_overdue_from_the_25th(today, overdue):
    """II.6.1: «Trước ngày 25 hằng tháng»: the 24th is the last day in time."""
    result = rules.missing_form(11, 2026, today)
    assert result["deadline"] == date(2026, 11, 24)
    assert result["overdue"] is overdue
    assert (result["suggestion"] is not None) is overdue


@pytest.mark.parametrize("month, year, owed", [(4, 2024, False), (5, 2024, True)])
def test_no_form_is_owed_before_the_guidance(month, year, owed):
    result = rules.missing_form(month, year, date(2026, 1, 1))
    assert result["owed"] is owed and result["overdue"] is owed
    assert rules.missing_form(month, year, date(2026, 1, 1), start=(2024, 6))["owed"] is False


def test_missing_form_suggests_khong_hoan_thanh_citing_ii_3_1():
    suggestion = rules.missing_form(2, 2027, date(2027, 2, 26))["suggestion"]
    assert suggestion["monthly_rating"] == "khong_hoan_thanh"
    assert suggestion["monthly_rating_label"] == "Không hoàn thành nhiệm vụ"
    message = suggestion["message"]
    assert message == unicodedata.normalize("NFC", message)
    assert "tháng 02/2027" in message and "24/02/2027" in message
    assert "II.6.1" in message and "II.3.1" in message
    assert "«Không hoàn thành nhiệm vụ»" in message
    assert rules.MISSING_MONTH_RULE in message  # the words of the year-end report too


@pytest.mark.parametrize("joined, left, owed", [
    (None, None, True), (None, date(2026, 3, 10), False), (None, date(2026, 3, 24), True),
    (date(2026, 3, 24), None, True), (date(2026, 3, 26), None, False)])
def test_a_member_owes_the_months_form_when_with_the_unit_at_its_deadline(joined, left, owed):
    assert rules.expected_of(joined, left, 3, 2026) is owed


# ------------------------------------------------------------------------ tong_hop_row


def test_a_clean_form_gives_no_sign_and_the_suggested_rating():
    data = person(sections={"tasks": [{"content": "Kế hoạch",
                                       "self": {"identification": {"level": "khong_co"}}}]},
                  monthly_rating="hoan_thanh_tot")
    assert tong_hop_row(data) == {"full_name": "Nguyễn Văn An",
                                  "result": "Hoàn thành tốt nhiệm vụ",
                                  "identification": "Không có biểu hiện"}
    # II.6.5: the level is the competent level's to decide: a suggestion is not printed.
    assert tong_hop_row({**data, "identification_rating": "tot"})["rating"] == "tot"


def test_a_form_with_nothing_identified_leaves_the_rating_to_be_decided():
    assert tong_hop_row(person(monthly_rating="hoan_thanh")) == {
        "full_name": "Nguyễn Văn An", "result": "Hoàn thành nhiệm vụ"}
    # A decided rating is printed, even with no item identified.
    assert tong_hop_row(person(identification_rating="tot"))["identification"] \
        == "Không có biểu hiện"


def test_one_sign_is_one_line_without_a_prefix_and_the_authority_counts():
    data = person(sections={"competence": [{
        "content": "Soạn thảo văn bản",
        "self": sign("khong_co"),
        "authority": sign("thuong_xuyen", "not_fixed", detail="thể thức văn bản",
                          result="Sai thể thức 3 văn bản", cause="Chưa rà soát")}]})
    assert tong_hop_row(data) == {
        "full_name": "Nguyễn Văn An",
        "shortcomings": "Soạn thảo văn bản: Sai thể thức 3 văn bản",
        "cause": "Chưa rà soát", "remedy_result": "Chưa khắc phục",
        "identification": "Có biểu hiện thường xuyên ở nội dung thể thức văn bản"}


def test_several_signs_are_one_line_each_with_the_item_ref_and_the_decided_rating_wins():
    data = person(sections={
        "political": [{"content": "Giờ giấc", "self": sign("chua_ro", "fixed_in_time")}],
        "tasks": [{"content": "Báo cáo", "self": sign("khong_co")},
                  {"self": sign("khong_thuong_xuyen", detail="tiến độ", cause=None)}]},
        identification_rating="kem")
    row = tong_hop_row(data)
    assert row["shortcomings"] == "Mục I-1: Giờ giấc: Chậm 2 ngày\nMục II.2-2: Chậm 2 ngày"
    assert row["cause"] == "Mục I-1: Chủ quan"
    assert row["remedy_result"] == "Mục I-1: Đã khắc phục kịp thời"
    assert row["identification"] == ("Mục I-1: Có biểu hiện nhưng chưa rõ ở nội dung phối hợp\n"
                                     "Mục II.2-2: Có biểu hiện nhưng không thường xuyên ở nội "
                                     "dung tiến độ")
    assert row["rating"] == "kem"  # decided, though the rules would suggest Kém too
    data["identification_rating"] = None
    data["sections"]["tasks"][1]["self"]["remedy_status"] = "fixed_in_time"
    assert "rating" not in tong_hop_row(data)  # undecided: no suggestion printed


def test_tong_hop_data_validates_and_takes_the_most_given_head_name():
    forms = [person("A", head_name="Trần Văn Bình"), person("B", head_name="Lê Thủ Trưởng"),
             person("C", head_name="Lê Thủ Trưởng"), person("D")]
    data = tong_hop_data({"name": "Phòng Nội vụ", "parent": None}, {"month": 11, "year": 2026},
                         forms, signed_on=date(2026, 11, 27))
    assert data["head_name"] == "Lê Thủ Trưởng"
    assert data["unit"] == {"name": "Phòng Nội vụ"} and "place" not in data
    assert [row["full_name"] for row in data["rows"]] == ["A", "B", "C", "D"]
    loaded = TongHopSchema().load(data)
    assert loaded["signed_on"] == date(2026, 11, 27)
    assert tong_hop_data({"name": "X"}, {"month": 1, "year": 2027}, forms, head_name="Y",
                         place="Hà Nội")["head_name"] == "Y"


def test_missing_members_get_a_row_and_the_heads_own_form_none():
    forms = [person("Trần Văn Bình", head_name="Trần Văn Bình", identification_rating="tot"),
             person("Nguyễn Văn An", head_name="Trần Văn Bình", identification_rating="tot"),
             Missing("Lê Thị Cúc"), Missing("Phạm Văn Dũng", overdue=False)]
    data = tong_hop_data({"name": "Phòng Nội vụ"}, {"month": 11, "year": 2026}, forms)
    assert [row["full_name"] for row in data["rows"]] == [
        "Nguyễn Văn An", "Lê Thị Cúc", "Phạm Văn Dũng"]
    assert data["rows"][1] == {
        "full_name": "Lê Thị Cúc", "result": "Không hoàn thành nhiệm vụ",
        "identification": "Không có Phiếu số 01 (mục II.3.1, Lưu ý)", "rating": "kem"}
    assert data["rows"][2] == {"full_name": "Phạm Văn Dũng",
                               "identification": "Chưa có Phiếu số 01 (chưa đến hạn tự đánh giá)"}
    TongHopSchema().load(data)


def test_a_very_long_cell_is_cut_to_what_the_schema_takes():
    items = [{"content": "x" * 300, "self": sign("chua_ro", "fixed_in_time")}
             for _ in range(20)]
    row = tong_hop_row(person(sections={"tasks": items}))
    assert len(row["shortcomings"]) == 2000 and row["shortcomings"].endswith("…")
    TongHopSchema().load({"unit": {"name": "X"}, "period": {"month": 1, "year": 2027},
                          "rows": [row]})
