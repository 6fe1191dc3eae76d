import unicodedata
from datetime import date, datetime, timezone

import pytest

from forms import clock, rules

TODAY = date(2026, 12, 1)


def assessment(level=None, status=None, detail="chậm trả lời văn bản"):
    return {
        "result": "Chậm 2 ngày",
        "cause": "Chủ quan",
        "identification": {"level": level, "detail": detail} if level else None,
        "remedy": "Khắc phục trong tháng",
        "remedy_status": status,
    }


def item(self=None, authority=None):
    return {"content": "Nội dung", "self": self, "authority": authority, "note": None}


def phieu(sections=None, **overrides):
    data = {
        "unit": {"name": "Phòng Nội vụ", "parent": None},
        "place": "Nam Từ Liêm",
        "signed_on": date(2026, 11, 24),
        "period": {"month": 11, "year": 2026},
        "person": {"full_name": "Nguyễn Thị Ngọc Ánh", "position": None},
        "sections": sections if sections is not None else {},
        "monthly_rating": "hoan_thanh",
        "identification_rating": None,
        "head_name": None,
    }
    data.update(overrides)
    return data


def tong_hop(rows, **overrides):
    data = {
        "unit": {"name": "Phòng Nội vụ", "parent": None},
        "place": None,
        "signed_on": date(2026, 11, 25),
        "period": {"month": 11, "year": 2026},
        "head_name": None,
        "rows": rows,
    }
    data.update(overrides)
    return data


def row(name, rating="tot"):
    return {"full_name": name, "result": None, "shortcomings": None, "cause": None,
            "remedy_result": None, "identification": None, "rating": rating}


def warnings_of(result, code):
    found = [w for w in result["warnings"] if w["code"] == code]
    for w in found:
        assert unicodedata.is_normalized("NFC", w["message"])
    return found


def codes(result):
    return {w["code"] for w in result["warnings"]}


# ------------------------------------------------------------------------------- item_refs


def test_item_refs_in_form_order_with_section_numbers():
    data = phieu({
        "other": [item(), item(), item()],
        "political": [item()],
        "tasks": [item()],
        "competence": [item(), item()],
    })
    assert [ref for ref, _ in rules.item_refs(data)] == [
        "I-1", "II.1-1", "II.1-2", "II.2-1", "IV-1", "IV-2", "IV-3",
    ]


def test_item_refs_absent_or_none_sections():
    assert list(rules.item_refs(phieu())) == []
    assert list(rules.item_refs(phieu() | {"sections": None})) == []
    data = phieu({"prior_shortcomings": [item()], "tasks": None})
    assert [ref for ref, _ in rules.item_refs(data)] == ["III-1"]
    del data["sections"]
    assert list(rules.item_refs(data)) == []


# ------------------------------------------------------------------------------ suggestion


def test_suggestion_tot_without_signs():
    assert rules.suggest_identification_rating(phieu()) == "tot"
    data = phieu({"tasks": [item(self=assessment("khong_co")), item(), item(self=assessment())]})
    assert rules.suggest_identification_rating(data) == "tot"


def test_suggestion_trung_binh_when_every_sign_fixed_in_time():
    data = phieu({
        "political": [item(self=assessment("chua_ro", "fixed_in_time"))],
        "tasks": [item(self=assessment("thuong_xuyen", "fixed_in_time")),
                  item(self=assessment("khong_co"))],
    })
    assert rules.suggest_identification_rating(data) == "trung_binh"


@pytest.mark.parametrize("status", ["not_fixed", None])
def test_suggestion_kem_when_a_sign_is_not_fixed_or_unknown(status):
    data = phieu({
        "political": [item(self=assessment("chua_ro", "fixed_in_time"))],
        "other": [item(self=assessment("khong_thuong_xuyen", status))],
    })
    assert rules.suggest_identification_rating(data) == "kem"


def test_authority_level_overrides_self():
    # Self saw nothing, the authority saw a sign not remedied.
    data = phieu({"tasks": [item(self=assessment("khong_co"),
                                 authority=assessment("chua_ro", "not_fixed"))]})
    assert rules.suggest_identification_rating(data) == "kem"
    # Self saw an unremedied sign, the authority found none.
    data = phieu({"tasks": [item(self=assessment("thuong_xuyen", "not_fixed"),
                                 authority=assessment("khong_co"))]})
    assert rules.suggest_identification_rating(data) == "tot"


def test_remedy_status_comes_from_the_side_the_level_came_from():
    data = phieu({"tasks": [item(self=assessment("chua_ro", "not_fixed"),
                                 authority=assessment("chua_ro", "fixed_in_time"))]})
    assert rules.suggest_identification_rating(data) == "trung_binh"
    data = phieu({"tasks": [item(self=assessment("chua_ro", "fixed_in_time"),
                                 authority=assessment("chua_ro", "not_fixed"))]})
    assert rules.suggest_identification_rating(data) == "kem"


def test_authority_without_level_falls_back_to_self():
    authority = assessment(status="fixed_in_time")  # result and cause only, no identification
    data = phieu({"tasks": [item(self=assessment("chua_ro", "not_fixed"), authority=authority)]})
    assert rules.suggest_identification_rating(data) == "kem"
    authority["identification"] = {"level": None, "detail": None}
    assert rules.suggest_identification_rating(data) == "kem"


# --------------------------------------------------------------------------- check_phieu_01


def test_clean_phieu_has_suggestion_and_no_warnings():
    data = phieu({"tasks": [item(self=assessment("chua_ro", "fixed_in_time"))]},
                 identification_rating="trung_binh")
    result = rules.check_phieu_01(data, today=TODAY)
    assert result == {
        "suggestions": {"identification_rating": "trung_binh",
                        "identification_rating_label": "Trung bình"},
        "warnings": [],
    }


def test_clean_phieu_without_sections():
    data = phieu(identification_rating="tot")
    del data["sections"]
    result = rules.check_phieu_01(data, today=TODAY)
    assert result["suggestions"]["identification_rating_label"] == "Tốt"
    assert result["warnings"] == []


def test_identification_mismatch_tot_given_sign_shown():
    data = phieu({"tasks": [item(self=assessment("chua_ro", "fixed_in_time"))]},
                 identification_rating="tot")
    [w] = warnings_of(rules.check_phieu_01(data, today=TODAY), "identification_mismatch")
    assert w["field"] == "identification_rating"
    assert w["message"] == (
        "Kết quả nhận diện biểu hiện là «Tốt» nhưng mục II.2-1 có biểu hiện (gợi ý: «Trung bình»)."
    )


def test_identification_mismatch_names_only_unremedied_items_for_kem():
    data = phieu({
        "political": [item(self=assessment("chua_ro", "fixed_in_time"))],
        "tasks": [item(), item(authority=assessment("thuong_xuyen", "not_fixed"))],
    }, identification_rating="trung_binh")
    [w] = warnings_of(rules.check_phieu_01(data, today=TODAY), "identification_mismatch")
    assert "«Trung bình»" in w["message"]
    assert "mục II.2-2 có biểu hiện chưa được khắc phục kịp thời" in w["message"]
    assert "I-1" not in w["message"]
    assert w["message"].endswith("(gợi ý: «Kém»).")


def test_identification_mismatch_kem_given_all_fixed():
    data = phieu({"tasks": [item(self=assessment("chua_ro", "fixed_in_time"))]},
                 identification_rating="kem")
    [w] = warnings_of(rules.check_phieu_01(data, today=TODAY), "identification_mismatch")
    assert "mục II.2-1 đều đã khắc phục kịp thời" in w["message"]
    assert "(gợi ý: «Trung bình»)" in w["message"]


def test_identification_mismatch_sign_given_but_none_shown():
    data = phieu({"tasks": [item(self=assessment("khong_co"))]}, identification_rating="kem")
    [w] = warnings_of(rules.check_phieu_01(data, today=TODAY), "identification_mismatch")
    assert "«Kém» nhưng không mục nào có biểu hiện (gợi ý: «Tốt»)" in w["message"]


def test_identification_mismatch_lists_first_refs_only():
    signs = [item(self=assessment("chua_ro", "fixed_in_time")) for _ in range(5)]
    data = phieu({"other": signs}, identification_rating="tot")
    [w] = warnings_of(rules.check_phieu_01(data, today=TODAY), "identification_mismatch")
    assert "các mục IV-1, IV-2, IV-3 và 2 mục khác có biểu hiện" in w["message"]
    assert "IV-4" not in w["message"]


def test_no_mismatch_when_given_equals_suggestion():
    data = phieu({"tasks": [item(self=assessment("chua_ro", "not_fixed"))]},
                 identification_rating="kem")
    assert "identification_mismatch" not in codes(rules.check_phieu_01(data, today=TODAY))


def test_remedy_status_missing_points_at_the_deciding_side():
    data = phieu({
        "political": [item(self=assessment("chua_ro", "fixed_in_time"))],
        "tasks": [item(self=assessment("khong_co"), authority=assessment("thuong_xuyen"))],
        "other": [item(self=assessment("chua_ro"))],
    }, identification_rating="kem")
    found = warnings_of(rules.check_phieu_01(data, today=TODAY), "remedy_status_missing")
    assert [w["field"] for w in found] == [
        "sections.tasks.0.authority.remedy_status",
        "sections.other.0.self.remedy_status",
    ]
    assert "Mục II.2-1" in found[0]["message"]
    assert "cấp có thẩm quyền" in found[0]["message"]
    assert "Mục IV-1" in found[1]["message"]


def test_remedy_status_not_needed_without_a_sign():
    # The self side lacks a status but the authority's "no sign" decides.
    data = phieu({"tasks": [item(self=assessment("chua_ro"), authority=assessment("khong_co")),
                            item(self=assessment("khong_co"))]},
                 identification_rating="tot")
    assert "remedy_status_missing" not in codes(rules.check_phieu_01(data, today=TODAY))


@pytest.mark.parametrize("level", ["chua_ro", "khong_thuong_xuyen", "thuong_xuyen"])
@pytest.mark.parametrize("detail", [None, "", "   "])
def test_sign_without_detail(level, detail):
    data = phieu({"competence": [item(self=assessment("khong_co"),
                                      authority=assessment(level, "not_fixed", detail))]},
                 identification_rating="kem")
    [w] = warnings_of(rules.check_phieu_01(data, today=TODAY), "sign_without_detail")
    assert w["field"] == "sections.competence.0.authority.identification.detail"
    assert "Mục II.1-1" in w["message"]
    assert "ở nội dung" in w["message"]
    assert "nêu rõ nội dung" in w["message"]


def test_sign_without_detail_checks_both_sides():
    data = phieu({"tasks": [item(self=assessment("chua_ro", "fixed_in_time", None),
                                 authority=assessment("chua_ro", "fixed_in_time", None))]},
                 identification_rating="trung_binh")
    found = warnings_of(rules.check_phieu_01(data, today=TODAY), "sign_without_detail")
    assert [w["field"] for w in found] == [
        "sections.tasks.0.self.identification.detail",
        "sections.tasks.0.authority.identification.detail",
    ]


def test_no_sign_needs_no_detail():
    data = phieu({"tasks": [item(self=assessment("khong_co", detail=None)),
                            item(self=assessment("chua_ro", "fixed_in_time", "Chậm báo cáo"))]},
                 identification_rating="trung_binh")
    assert "sign_without_detail" not in codes(rules.check_phieu_01(data, today=TODAY))


@pytest.mark.parametrize("monthly", ["hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh"])
def test_monthly_rating_vs_given_kem(monthly):
    """II.3.1, Lưu ý 3: signs not remedied «sẽ xem xét, đánh giá không hoàn thành nhiệm vụ»,
    whatever else the month was rated, «Hoàn thành nhiệm vụ» included."""
    data = phieu(monthly_rating=monthly, identification_rating="kem",
                 sections={"tasks": [item(self=assessment("chua_ro", "not_fixed"))]})
    [w] = warnings_of(rules.check_phieu_01(data, today=TODAY), "monthly_rating_vs_identification")
    assert w["field"] == "monthly_rating"
    assert "«Kém»" in w["message"]
    assert "không hoàn thành nhiệm vụ" in w["message"]
    assert "xem lại" in w["message"]


def test_monthly_rating_vs_suggested_kem_when_not_given():
    data = phieu(monthly_rating="hoan_thanh_tot", identification_rating=None,
                 sections={"tasks": [item(self=assessment("chua_ro", "not_fixed"))]})
    [w] = warnings_of(rules.check_phieu_01(data, today=TODAY), "monthly_rating_vs_identification")
    assert "gợi ý là «Kém»" in w["message"]


@pytest.mark.parametrize("monthly, given", [
    ("khong_hoan_thanh", "kem"),
    ("hoan_thanh_xuat_sac", "trung_binh"),
    ("hoan_thanh_tot", "tot"),  # given wins over the suggested Kém
])
def test_monthly_rating_vs_identification_quiet(monthly, given):
    data = phieu(monthly_rating=monthly, identification_rating=given,
                 sections={"tasks": [item(self=assessment("chua_ro", "not_fixed"))]})
    result = rules.check_phieu_01(data, today=TODAY)
    assert "monthly_rating_vs_identification" not in codes(result)


@pytest.mark.parametrize("signed_on, late", [
    (date(2026, 11, 1), False),
    (date(2026, 11, 24), False),
    (date(2026, 11, 25), True),  # II.6.1: «trước ngày 25», so the 25th is late
    (date(2026, 11, 26), True),
    (date(2026, 12, 2), True),
])
def test_late_self_assessment(signed_on, late):
    data = phieu(signed_on=signed_on, identification_rating="tot")
    found = warnings_of(rules.check_phieu_01(data, today=date(2027, 1, 1)), "late_self_assessment")
    assert bool(found) == late
    if late:
        assert found[0]["field"] == "signed_on"
        assert signed_on.strftime("%d/%m/%Y") in found[0]["message"]
        assert "II.6.1: trước ngày 25 hằng tháng" in found[0]["message"]
        assert "ngày cuối cùng trong hạn: 24/11/2026" in found[0]["message"]


@pytest.mark.parametrize("signed_on, late", [
    (date(2026, 11, 24), False),
    (date(2026, 11, 25), False),  # II.6.4: heads «chậm nhất ngày 25», the 25th included
    (date(2026, 11, 26), True),
])
def test_a_heads_own_form_is_late_after_the_25th(signed_on, late):
    data = phieu(signed_on=signed_on, identification_rating="tot",
                 person={"full_name": "Trần Văn Bình", "position": "Trưởng phòng"},
                 head_name="trần  văn bình")
    found = warnings_of(rules.check_phieu_01(data, today=date(2027, 1, 1)), "late_self_assessment")
    assert bool(found) == late
    if late:
        assert "cấp trưởng" in found[0]["message"] and "II.6.4" in found[0]["message"]
        assert "ngày cuối cùng trong hạn: 25/11/2026" in found[0]["message"]


@pytest.mark.parametrize("signed_on, early", [
    (date(2026, 10, 31), True),
    (date(2025, 11, 20), True),
    (date(2026, 11, 1), False),
])
def test_signed_before_period(signed_on, early):
    data = phieu(signed_on=signed_on, identification_rating="tot")
    result = rules.check_phieu_01(data, today=TODAY)
    found = warnings_of(result, "signed_before_period")
    assert bool(found) == early
    assert "late_self_assessment" not in codes(result)
    if early:
        assert found[0]["field"] == "signed_on"
        assert signed_on.strftime("%d/%m/%Y") in found[0]["message"]
        assert "11/2026" in found[0]["message"]


def test_no_date_warnings_without_signed_on():
    data = phieu(signed_on=None, identification_rating="tot")
    assert rules.check_phieu_01(data, today=TODAY)["warnings"] == []
    del data["signed_on"]
    assert rules.check_phieu_01(data, today=TODAY)["warnings"] == []


@pytest.mark.parametrize("today, future", [
    (date(2026, 10, 31), True),
    (date(2026, 11, 1), False),
    (date(2026, 11, 30), False),
])
def test_period_in_future(today, future):
    data = phieu(signed_on=None, identification_rating="tot")
    found = warnings_of(rules.check_phieu_01(data, today=today), "period_in_future")
    assert bool(found) == future
    if future:
        assert found[0]["field"] == "period"
        assert "11/2026" in found[0]["message"]
        assert today.strftime("%d/%m/%Y") in found[0]["message"]


def test_period_in_future_defaults_to_today():
    future = clock.today().replace(day=1).replace(year=clock.today().year + 1)
    data = phieu(signed_on=None, identification_rating="tot",
                 period={"month": future.month, "year": future.year})
    assert "period_in_future" in codes(rules.check_phieu_01(data))
    past = {"month": 1, "year": 2020}
    assert "period_in_future" not in codes(rules.check_phieu_01(phieu(
        signed_on=None, identification_rating="tot", period=past)))


@pytest.mark.parametrize("instant, future", [
    (datetime(2026, 10, 31, 16, 59, tzinfo=timezone.utc), True),  # 23:59 on 31/10 in Hà Nội
    (datetime(2026, 10, 31, 17, 30, tzinfo=timezone.utc), False),  # 00:30 on 1/11 in Hà Nội
])
def test_today_is_judged_in_ha_noi_time(monkeypatch, instant, future):
    """Issue 19.G: from 00:00 to 07:00 in Hà Nội the UTC date is the day before; every date the
    guidance sets is judged in Hà Nội time (forms/clock.py)."""
    class At(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz)

    monkeypatch.setattr(clock, "datetime", At)
    assert clock.today() == (date(2026, 10, 31) if future else date(2026, 11, 1))
    data = phieu(signed_on=None, identification_rating="tot")  # November 2026
    assert ("period_in_future" in codes(rules.check_phieu_01(data))) == future


def test_missing_ratings_one_warning_each():
    data = phieu({"tasks": [item(self=assessment("chua_ro", "fixed_in_time"))]},
                 monthly_rating=None)
    del data["identification_rating"]
    result = rules.check_phieu_01(data, today=TODAY)
    found = warnings_of(result, "missing_ratings")
    assert [w["field"] for w in found] == ["monthly_rating", "identification_rating"]
    assert "xếp loại tháng" in found[0]["message"]
    assert "dòng chấm" in found[0]["message"]
    assert "nhận diện biểu hiện" in found[1]["message"]
    assert "«Trung bình»" in found[1]["message"]
    assert "identification_mismatch" not in codes(result)


def test_missing_ratings_quiet_when_both_given():
    data = phieu(monthly_rating="hoan_thanh", identification_rating="tot")
    assert "missing_ratings" not in codes(rules.check_phieu_01(data, today=TODAY))


def test_every_phieu_message_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Chậm trả lời văn bản")
    data = phieu({"tasks": [item(self=assessment("chua_ro", None, ""),
                                 authority=assessment("thuong_xuyen", None, decomposed))]},
                 monthly_rating="hoan_thanh_tot", identification_rating="tot",
                 signed_on=date(2026, 12, 1), period={"month": 12, "year": 2026})
    result = rules.check_phieu_01(data, today=date(2026, 11, 1))
    assert len(result["warnings"]) >= 4
    for w in result["warnings"]:
        assert unicodedata.is_normalized("NFC", w["message"]), w


# ----------------------------------------------------------------------------- tổng hợp


def test_tong_hop_counts_and_clean():
    rows = [row("Nguyễn Văn An"), row("Trần Thị Bình", "kem"), row("Lê Văn Cường", "tot"),
            row("Phạm Thị Dung", "trung_binh")]
    result = rules.check_tong_hop(tong_hop(rows), today=TODAY)
    assert result["suggestions"]["counts"] == {"tot": 2, "trung_binh": 1, "kem": 1,
                                               "chua_danh_gia": 0}
    assert result["warnings"] == []


def test_tong_hop_without_rows():
    data = tong_hop([])
    del data["rows"]
    result = rules.check_tong_hop(data, today=TODAY)
    assert result["suggestions"]["counts"] == {"tot": 0, "trung_binh": 0, "kem": 0,
                                               "chua_danh_gia": 0}
    assert result["warnings"] == []


def test_row_without_rating():
    rows = [row("Nguyễn Văn An"), row("Trần Thị Bình", None)]
    del rows[0]["rating"]
    result = rules.check_tong_hop(tong_hop(rows), today=TODAY)
    assert result["suggestions"]["counts"]["chua_danh_gia"] == 2
    found = warnings_of(result, "row_without_rating")
    assert [w["field"] for w in found] == ["rows.0.rating", "rows.1.rating"]
    assert "Dòng 2 (Trần Thị Bình)" in found[1]["message"]


def test_duplicate_name_after_casefold():
    rows = [row("Nguyễn Văn An"), row("Trần Thị Bình"), row("NGUYỄN VĂN AN"),
            row(unicodedata.normalize("NFD", "Trần Thị Bình"))]
    found = warnings_of(rules.check_tong_hop(tong_hop(rows), today=TODAY), "duplicate_name")
    assert [w["field"] for w in found] == ["rows.2.full_name", "rows.3.full_name"]
    assert "Dòng 3" in found[0]["message"] and "dòng 1" in found[0]["message"]
    assert "Dòng 4" in found[1]["message"] and "dòng 2" in found[1]["message"]


def test_different_names_are_not_duplicates():
    rows = [row("Nguyễn Văn An"), row("Nguyễn Văn Ân"), row("Nguyễn Văn Anh")]
    assert "duplicate_name" not in codes(rules.check_tong_hop(tong_hop(rows), today=TODAY))


@pytest.mark.parametrize("signed_on, late", [
    (date(2026, 11, 24), False),
    (date(2026, 11, 25), False),
    (date(2026, 11, 26), True),  # the head sends it with their own Phiếu 01 (II.6.4): by the 25th
    (date(2026, 11, 28), True),
    (date(2026, 11, 29), True),
    (date(2027, 1, 3), True),
])
def test_late_compilation(signed_on, late):
    data = tong_hop([row("Nguyễn Văn An")], signed_on=signed_on)
    found = warnings_of(rules.check_tong_hop(data, today=date(2027, 2, 1)), "late_compilation")
    assert bool(found) == late
    if late:
        assert found[0]["field"] == "signed_on"
        assert signed_on.strftime("%d/%m/%Y") in found[0]["message"]
        assert "ngày cuối cùng trong hạn: 25/11/2026" in found[0]["message"]
        assert "II.6.4" in found[0]["message"] and "28" not in found[0]["message"][-40:]


def test_tong_hop_signed_before_period_and_future():
    data = tong_hop([row("Nguyễn Văn An")], signed_on=date(2026, 10, 30))
    result = rules.check_tong_hop(data, today=date(2026, 10, 30))
    assert codes(result) == {"signed_before_period", "period_in_future"}
    result = rules.check_tong_hop(tong_hop([row("Nguyễn Văn An")], signed_on=None),
                                  today=date(2026, 11, 1))
    assert result["warnings"] == []


# ------------------------------------------------------------------------------- year_end


def year(kem=0, tb=0, tot=0):
    ratings = ["kem"] * kem + ["trung_binh"] * tb + ["tot"] * tot
    return {month: rating for month, rating in enumerate(ratings, start=1)}


@pytest.mark.parametrize("kem, consequence, cap", [
    (0, "none", None),
    (1, "none", None),
    (2, "cap", "hoan_thanh"),
    (3, "fail", "khong_hoan_thanh"),
    (4, "fail", "khong_hoan_thanh"),
])
def test_year_end_by_kem_months(kem, consequence, cap):
    result = rules.year_end(year(kem=kem, tot=12 - kem))
    assert result["consequence"] == consequence
    assert result["max_annual_rating"] == cap
    assert result["review_post"] is (consequence == "fail")
    assert result["counts"] == {"tot": 12 - kem, "trung_binh": 0, "kem": kem, "chua_danh_gia": 0}
    assert f"{kem} tháng Kém" in result["message"]
    assert unicodedata.is_normalized("NFC", result["message"])


def test_year_end_cap_message():
    message = rules.year_end(year(kem=2, tot=10))["message"]
    assert "không vượt quá mức «Hoàn thành nhiệm vụ»" in message


def test_year_end_fail_message():
    message = rules.year_end(year(kem=3, tot=9))["message"]
    assert "«Không hoàn thành nhiệm vụ»" in message
    assert "điều chuyển" in message and "chấm dứt hợp đồng lao động" in message


def test_year_end_exactly_three_kem_fail_wins_over_cap():
    result = rules.year_end(year(kem=3))
    assert (result["consequence"], result["max_annual_rating"]) == ("fail", "khong_hoan_thanh")
    assert "3 tháng Kém (từ 3 tháng trở lên)" in result["message"]


def test_year_end_five_vs_six_months_trung_binh():
    assert rules.year_end(year(tb=5, tot=7))["consequence"] == "none"
    result = rules.year_end(year(tb=6, tot=6))
    assert result["consequence"] == "fail"
    assert result["review_post"] is True
    assert "6 tháng ở mức Trung bình trở xuống" in result["message"]


def test_year_end_trung_binh_and_kem_counted_together():
    assert rules.year_end(year(kem=1, tb=4))["consequence"] == "none"
    assert rules.year_end(year(kem=1, tb=5))["consequence"] == "fail"
    assert rules.year_end(year(kem=2, tb=3))["consequence"] == "cap"
    result = rules.year_end(year(kem=2, tb=4))
    assert result["consequence"] == "fail"
    assert "6 tháng ở mức Trung bình trở xuống" in result["message"]


def test_year_end_unassessed_months():
    monthly = {1: "kem", 2: None, 3: "tot"}
    result = rules.year_end(monthly)
    assert result["counts"] == {"tot": 1, "trung_binh": 0, "kem": 1, "chua_danh_gia": 10}
    assert result["consequence"] == "none"
    assert "10 tháng chưa đánh giá" in result["message"]
    assert "chưa đánh giá" not in rules.year_end(year(tot=12))["message"]
    assert rules.year_end({})["counts"]["chua_danh_gia"] == 12


@pytest.mark.parametrize("missing, consequence", [((), "none"), ((3,), "cap"), ((3, 4), "fail")])
def test_a_missing_month_counts_as_kem(missing, consequence):
    """II.3.1 (Lưu ý): a month without a Phiếu 01 is «Không hoàn thành nhiệm vụ», with the
    related signs attached: at year end it counts as a month Kém, and the message says so."""
    monthly = {month: "tot" for month in range(1, 13) if month not in missing} | {1: "kem"}
    result = rules.year_end(monthly, missing=missing)
    assert result["counts"]["kem"] == 1 + len(missing)
    assert result["consequence"] == consequence
    if missing:
        assert f"trong đó {len(missing)} tháng không có Phiếu số 01, tính như tháng Kém" in \
            result["message"]


def test_excused_and_early_months_are_not_counted():
    result = rules.year_end({month: "kem" for month in (5, 6)} | {7: "tot"},
                            uncounted=[1, 2, 3, 4, 8, 9, 10, 11, 12])
    assert result["counts"] == {"tot": 1, "trung_binh": 0, "kem": 2, "chua_danh_gia": 0}
    assert result["consequence"] == "cap"
    assert "9 tháng không tính" in result["message"]


@pytest.mark.parametrize("monthly", [{0: "tot"}, {13: "tot"}, {1: "xuat_sac"}])
def test_year_end_rejects_bad_input(monthly):
    with pytest.raises(ValueError):
        rules.year_end(monthly)


# ------------------------------------------------------------------------------- calendar


def test_monthly_deadlines():
    staff, head = rules.self_assessment_deadline(11, 2026), rules.head_deadline(11, 2026)
    assert (staff.named, staff.last_day, staff.section) == (
        date(2026, 11, 25), date(2026, 11, 24), "II.6.1")
    assert (head.named, head.last_day, head.section) == (
        date(2026, 11, 25), date(2026, 11, 25), "II.6.4")
    assert not staff.missed_on(date(2026, 11, 24)) and staff.missed_on(date(2026, 11, 25))
    assert not head.missed_on(date(2026, 11, 25)) and head.missed_on(date(2026, 11, 26))


@pytest.mark.parametrize("month, year, counted", [
    (4, 2024, False), (5, 2024, True), (12, 2023, False), (1, 2025, True)])
def test_the_guidance_starts_in_may_2024(month, year, counted):
    assert rules.counts_under_guidance(month, year) is counted
    assert rules.counts_under_guidance(month, year, start=(2023, 1)) is True


def test_report_calendar():
    calendar = rules.report_calendar(2026)
    # II.8: «trước ngày mùng 10…», «trước ngày 15/12»: the day before is the last in time.
    assert [(r["report"], r["label"], r["period"], r["before"], r["due"]) for r in calendar] == [
        ("quy_1", "Báo cáo quý I", (1, 3), date(2026, 4, 10), date(2026, 4, 9)),
        ("sau_thang", "Báo cáo 6 tháng", (1, 6), date(2026, 7, 10), date(2026, 7, 9)),
        ("quy_3", "Báo cáo quý III", (7, 9), date(2026, 10, 10), date(2026, 10, 9)),
        ("nam", "Báo cáo năm", (1, 12), date(2026, 12, 15), date(2026, 12, 14)),
    ]
    for r in calendar:
        assert unicodedata.is_normalized("NFC", r["label"])


@pytest.mark.parametrize("today, report", [
    (date(2026, 1, 5), "quy_1"), (date(2026, 4, 9), "quy_1"), (date(2026, 4, 10), "sau_thang"),
    (date(2026, 8, 1), "quy_3"), (date(2026, 11, 30), "nam"), (date(2026, 12, 14), "nam"),
    (date(2026, 12, 28), "nam"),
])
def test_the_report_to_prepare_is_the_next_one_due(today, report):
    assert rules.report_to_prepare(today) == report
