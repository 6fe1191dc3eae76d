"""Reports read from the archive: a year's results per person (II.7) as JSON, .xlsx, PDF and
Word; the Chỉ thị 24 section of a periodic report (II.8); the report calendar; the /bao-cao page.
Run against SQLite and the real PostgreSQL (conftest.archive_app), with the real LibreOffice.

The forms are issued once per backend (module scope): 19 Phiếu 01 in 2025 for three people of
Phòng Nội vụ and one of Phòng Tài chính - Kế hoạch, a roster of two, and the months the competent
level excused one of them."""

import io
import re
import unicodedata
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from archive import reports
from archive.models import ExcusedMonth, Member, Unit, User
from conftest import ROOT, Archive, pdf_pages, squash
from forms.people import name_key

YEAR = 2025
NOI_VU = {"name": "Phòng Nội vụ", "parent": "Ủy ban nhân dân quận Nam Từ Liêm"}
TAI_CHINH = {"name": "Phòng Tài chính - Kế hoạch", "parent": "Ủy ban nhân dân quận Nam Từ Liêm"}
ARTIFACTS = ROOT / "test-artifacts"

# Who has which result in which month of 2025 (None: a form without the identification result).
PEOPLE = {
    "Nguyễn Văn An": {1: "kem", 2: "kem"},  # 2 Kém → capped at Hoàn thành nhiệm vụ
    "Lê Thị Bình": {1: "kem", 2: "kem", 3: "kem", 4: None},  # 3 Kém → fail
    "Phạm Văn Cường": {1: "trung_binh", 2: "trung_binh", 3: "tot", 5: "trung_binh",
                       6: "trung_binh", 7: "trung_binh"},  # 5 TB → no limit
    "Đỗ Thị Dung": {month: "trung_binh" for month in range(1, 6)} | {8: "kem"},  # 6 → fail
}
OTHER_UNIT = {"Trần Văn Em": {2: "kem"}}
# Cường's months without a form, excused by the competent level (II.3.1, Lưu ý 3).
EXCUSED = {4: ("om_dau", "Nằm viện"), **{month: ("nghi_phep", "") for month in range(8, 13)}}
MONTHLY = {"tot": "hoan_thanh_tot", "trung_binh": "hoan_thanh", "kem": "khong_hoan_thanh",
           None: None}


def item(rating):
    """One item of section I whose identification matches the month's result."""
    if rating == "tot" or rating is None:
        return {"content": "Chấp hành nội quy cơ quan",
                "self": {"result": "Thực hiện nghiêm", "identification": {"level": "khong_co"}}}
    fixed = rating == "trung_binh"
    return {
        "content": "Chấp hành giờ giấc làm việc",
        "self": {"result": "Đi muộn 03 buổi",
                 "identification": {"level": "khong_thuong_xuyen", "detail": "giờ giấc"}},
        "authority": {
            "result": "Đi muộn 03 buổi, chưa khắc phục" if not fixed else "Đi muộn 01 buổi",
            "cause": "Chủ quan",
            "identification": {"level": "thuong_xuyen" if not fixed else "khong_thuong_xuyen",
                               "detail": "chấp hành thời giờ làm việc"},
            "remedy": "Đến cơ quan đúng giờ, báo cáo hằng tuần",
            "remedy_status": "fixed_in_time" if fixed else "not_fixed"},
    }


def body(name, month, rating, unit=NOI_VU, year=YEAR):
    data = {"unit": unit, "period": {"month": month, "year": year},
            "signed_on": date(year, month, 20).isoformat(),
            "person": {"full_name": name, "position": "Chuyên viên"},
            "sections": {"political": [item(rating)]}, "head_name": "Trần Văn Bình"}
    if rating:
        data["identification_rating"] = rating
        data["monthly_rating"] = MONTHLY[rating]
    return data


@pytest.fixture(scope="module")
def site(archive_app):
    """The archive with the forms above and Phòng Nội vụ's roster: Cường first (his months
    without a form excused), then Giang (who left at the end of June 2025 and has no form at
    all). An, Bình and Dung are not on the roster: only their forms' months count."""
    archive = Archive(archive_app)
    for people, unit, who in ((PEOPLE, NOI_VU, "unit_a"), (OTHER_UNIT, TAI_CHINH, "unit_b")):
        for name, months in people.items():
            for month, rating in months.items():
                archive.issue(body(name, month, rating, unit), who=who)
    with archive.sessions() as db:
        unit = db.query(Unit).filter_by(code="noi-vu").one()
        db.add_all([
            Member(unit_id=unit.id, full_name="Phạm Văn Cường", person_key=name_key(
                "Phạm Văn Cường"), position="Phó Trưởng phòng", order=1),
            Member(unit_id=unit.id, full_name="Hoàng Thị Giang", person_key=name_key(
                "Hoàng Thị Giang"), position="Chuyên viên", order=2,
                active_to=date(YEAR, 6, 30)),
        ])
        recorder = db.query(User).filter_by(username="unit_a").one()
        db.add_all([ExcusedMonth(unit_id=unit.id, full_name="Phạm Văn Cường",
                                 person_key=name_key("Phạm Văn Cường"), year=YEAR, month=month,
                                 reason=reason, note=note, recorded_by_id=recorder.id)
                    for month, (reason, note) in EXCUSED.items()])
        db.commit()
    return archive


def year_end(site, who="unit_a", **params):
    query = {"unit": "noi-vu", "year": YEAR, **params}
    return site.get("/api/v1/reports/year-end", who, query_string=query)


def by_name(result):
    return {person["full_name"]: person for person in result["people"]}


def save(name, content):
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)


def filename_star(response):
    header = response.headers["Content-Disposition"]
    from urllib.parse import unquote
    return unquote(re.search(r"filename\*=UTF-8''(.+)$", header).group(1))


def nfc(text):
    return unicodedata.normalize("NFC", text) == text


# ----------------------------------------------------------------------------- year end


def test_year_end_json_people_in_roster_order_then_by_name(site):
    response = year_end(site)
    assert response.status_code == 200, response.json
    result = response.json
    assert [p["full_name"] for p in result["people"]] == [
        "Phạm Văn Cường", "Hoàng Thị Giang",  # the roster
        "Đỗ Thị Dung", "Lê Thị Bình", "Nguyễn Văn An"]  # the others, by name (đ as d)
    assert result["unit"] == {"code": "noi-vu", **NOI_VU}
    assert result["summary"] == {"people": 5, "fail": 3, "cap": 1, "with_missing_months": 1}
    assert "Trần Văn Em" not in response.get_data(as_text=True)  # another unit's person


def test_year_end_two_and_three_months_kem(site):
    people = by_name(year_end(site).json)
    an = people["Nguyễn Văn An"]
    assert (an["kem_months"], an["consequence"], an["max_annual_rating"]) == (2, "cap",
                                                                               "hoan_thanh")
    assert an["max_annual_rating_label"] == "Hoàn thành nhiệm vụ"
    assert an["review_post"] is False
    assert "không vượt quá mức «Hoàn thành nhiệm vụ»" in an["message"]
    assert [c["identification_rating"] for c in an["months"][:3]] == ["kem", "kem", None]
    assert an["months"][0]["monthly_rating"] == "khong_hoan_thanh"
    assert an["months"][0]["code"] and an["months"][0]["status"] == "assessed"

    binh = people["Lê Thị Bình"]
    assert (binh["kem_months"], binh["consequence"]) == (3, "fail")
    assert binh["max_annual_rating"] == "khong_hoan_thanh" and binh["review_post"] is True
    assert "xem xét thay thế, điều chuyển" in binh["message"]
    # Month 4 has a form without the identification result: not assessed, not missing.
    assert binh["months"][3]["status"] == "not_rated"
    assert binh["counts"] == {"tot": 0, "trung_binh": 0, "kem": 3, "chua_danh_gia": 1}
    # Not on the roster: her months without a form are not hers to answer for here.
    assert {c["status"] for c in binh["months"][4:]} == {"not_listed"}
    assert binh["missing_months"] == []
    assert [f["code"] for f in binh["flags"] if f["month"] == 4] == ["not_rated"]


def test_year_end_five_and_six_months_trung_binh_or_below(site):
    people = by_name(year_end(site).json)
    cuong = people["Phạm Văn Cường"]
    assert cuong["trung_binh_months"] == 5 and cuong["kem_months"] == 0
    assert cuong["consequence"] == "none" and cuong["max_annual_rating"] is None
    assert cuong["position"] == "Phó Trưởng phòng" and cuong["on_roster"] is True

    # His months without a form were excused: not counted, so 5 months TB set no limit.
    assert cuong["missing_months"] == [] and cuong["excused_months"] == [4, 8, 9, 10, 11, 12]
    april = cuong["months"][3]
    assert april["status"] == "excused" and april["excuse"] == {
        "reason": "om_dau", "label": "Đau ốm", "note": "Nằm viện"}
    flag = next(f for f in cuong["flags"] if f["month"] == 4)
    assert flag["code"] == "excused" and "Đau ốm (Nằm viện)" in flag["message"]
    assert "không tính" in flag["message"]

    dung = people["Đỗ Thị Dung"]
    assert (dung["trung_binh_months"], dung["kem_months"]) == (5, 1)
    assert dung["consequence"] == "fail"
    assert "6 tháng ở mức Trung bình trở xuống" in dung["message"]
    assert dung["on_roster"] is False


def test_a_month_without_a_form_counts_as_kem_and_says_so(site):
    """II.3.1 (Lưu ý 1): such a month is «Không hoàn thành nhiệm vụ» with the related signs:
    the flag, the counts and the consequence say one thing (docs/REPORTS.md, rule C)."""
    people = by_name(year_end(site).json)
    # Giang left at the end of June: July to December are not hers to answer for.
    giang = people["Hoàng Thị Giang"]
    assert giang["missing_months"] == [1, 2, 3, 4, 5, 6]
    assert giang["months"][3]["status"] == "missing"
    assert giang["months"][3]["status_label"] == "Không có Phiếu số 01"
    assert {c["status"] for c in giang["months"][6:]} == {"not_member"}
    flag = next(f for f in giang["flags"] if f["month"] == 4)
    assert flag["code"] == "missing_form"
    assert flag["message"].startswith("Tháng 04/2025: không có Phiếu số 01.")
    assert "II.3.1" in flag["message"] and "«Không hoàn thành nhiệm vụ»" in flag["message"]
    assert "tính như một tháng Kém" in flag["message"]
    assert giang["counts"] == {"tot": 0, "trung_binh": 0, "kem": 6, "chua_danh_gia": 0}
    assert giang["kem_months"] == 6 and giang["consequence"] == "fail"
    assert "trong đó 6 tháng không có Phiếu số 01, tính như tháng Kém" in giang["message"]
    assert "6 tháng không tính" in giang["message"]
    assert "không giới hạn" not in giang["consequence_label"].lower()
    assert all(nfc(f["message"]) for person in people.values() for f in person["flags"])


def test_months_before_the_guidance_are_not_owed(site):
    """III.1: «Tháng 5/2024: Triển khai Hướng dẫn này»; 2024's January to April are owed by
    nobody, and 2023 is not at all."""
    cuong = by_name(year_end(site, year=2024).json)["Phạm Văn Cường"]
    assert [c["status"] for c in cuong["months"][:4]] == ["before_guidance"] * 4
    assert cuong["missing_months"] == [5, 6, 7, 8, 9, 10, 11, 12]
    result = year_end(site, year=2023).json
    assert all(c["status"] == "before_guidance" for p in result["people"] for c in p["months"])
    assert result["summary"]["fail"] == 0


def test_months_not_due_yet_are_not_missing(site):
    year = date.today().year + 1
    result = year_end(site, year=year).json
    assert [p["full_name"] for p in result["people"]] == ["Phạm Văn Cường"]  # Giang has left
    cuong = result["people"][0]
    assert cuong["missing_months"] == [] and cuong["flags"] == []
    assert {c["status"] for c in cuong["months"]} == {"upcoming"}
    assert cuong["counts"] == {"tot": 0, "trung_binh": 0, "kem": 0, "chua_danh_gia": 0}


def test_year_end_of_one_person_accents_optional(site):
    result = year_end(site, person="le thi binh").json
    assert [p["full_name"] for p in result["people"]] == ["Lê Thị Bình"]
    assert result["person"] == "Lê Thị Bình"
    response = year_end(site, person="Lê Thị Hà")
    assert response.status_code == 404
    assert "Không có người tên «Lê Thị Hà»" in response.json["message"]


def test_year_end_xlsx_reads_back(site):
    response = year_end(site, format="xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert filename_star(response) == "Kết quả nhận diện năm 2025 - Phòng Nội vụ.xlsx"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[0]
    assert head[:5] == ("TT", "Họ và tên", "Chức vụ", "T1", "T2") and head[14] == "T12"
    assert head[-3:] == ("Tháng không có Phiếu 01", "Mức xếp loại năm tối đa",
                         "Hệ quả (mục II.7)")
    assert [row[1] for row in rows[1:]] == [p["full_name"] for p in year_end(site).json["people"]]
    binh = next(row for row in rows if row[1] == "Lê Thị Bình")
    assert binh[3:7] == ("Kém", "Kém", "Kém", "Chưa ghi kết quả")
    assert binh[17] == 3  # Số tháng Kém
    assert binh[-2] == "Không hoàn thành nhiệm vụ"
    cuong = next(row for row in rows if row[1] == "Phạm Văn Cường")
    assert cuong[3:7] == ("Trung bình", "Trung bình", "Tốt", "Vắng có lý do")
    assert cuong[16] == 5 and not cuong[-3] and cuong[-2] is None
    giang = next(row for row in rows if row[1] == "Hoàng Thị Giang")
    assert giang[3] == "Không có phiếu (tính Kém)" and giang[17] == 6
    assert giang[-3] == "1, 2, 3, 4, 5, 6"


def test_year_end_xlsx_writes_names_as_text_never_as_formulas(site):
    """Issue 14.5: a roster name «=HYPERLINK(…)» or «=1+1» was a live formula in the
    secretariat's Excel. Every text cell is stored as text; those a spreadsheet tool would read
    as a formula carry Excel's quote prefix."""
    names = ['=HYPERLINK("http://example.invalid","Bấm")', "+1+1", "-2+3", "@SUM(A1)"]
    with site.sessions() as db:  # the module's site: taken out again below
        unit = db.query(Unit).filter_by(code="noi-vu").one()
        db.add_all([Member(unit_id=unit.id, full_name=name, person_key=name_key(name),
                           position="=1+1", order=10 + i) for i, name in enumerate(names)])
        db.commit()
    try:
        data = year_end(site, format="xlsx").data
    finally:
        with site.sessions() as db:
            db.query(Member).filter(Member.full_name.in_(names)).delete()
            db.commit()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(io.BytesIO(data)).active
    cells = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    for name in names:
        assert cells[name][1].data_type == "s" and cells[name][1].quotePrefix
        assert cells[name][2].value == "=1+1" and cells[name][2].quotePrefix
    assert not cells["Lê Thị Bình"][1].quotePrefix


def test_year_end_pdf_is_landscape_a4_with_the_results(site):
    response = year_end(site, format="pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert filename_star(response) == "Kết quả nhận diện năm 2025 - Phòng Nội vụ.pdf"
    save("ket-qua-nam.pdf", response.data)
    reader = PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (297,
                                                                                           210)
    text = squash("".join(pdf_pages(response.data)))
    for expected in ("ĐẢNGCỘNGSẢNVIỆTNAM", "PHÒNGNỘIVỤ", "TỔNGHỢPKẾTQUẢĐÁNHGIÁ,NHẬNDIỆN",
                     "Năm2025", "LêThịBình", "NguyễnVănAn", "ĐỗThịDung", "T12",
                     "KhôngcóPhiếusố01:tháng1,2,3,4,5,6(tínhnhưthángKém)",
                     "Vắngcólýdo:tháng4,8,9,10,11,12(khôngtính)", "(mụcII.3.1,Lưuý:",
                     "tínhnhưmộtthángKém", "THỦTRƯỞNGĐƠNVỊ",
                     "Tổngsố5người;3ngườixếploạinămởmứcKhônghoànthànhnhiệmvụ"):
        assert expected in text, expected
    fonts = {str(font.get("/BaseFont")) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts and all(re.search(r"TimesNewRoman|LiberationSerif", f) for f in fonts), fonts


def test_year_end_docx(site):
    response = year_end(site, format="docx", person="Nguyễn Văn An")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    assert filename_star(response) == \
        "Kết quả nhận diện năm 2025 - Phòng Nội vụ - Nguyễn Văn An.docx"


# ------------------------------------------------------------------------------ periodic


def periodic(site, who="unit_a", **params):
    query = {"unit": "noi-vu", "year": YEAR, "report": "quy_1", **params}
    return site.get("/api/v1/reports/periodic", who, query_string=query)


def test_periodic_counts_per_month_and_the_people_kem(site):
    response = periodic(site, format="json")
    assert response.status_code == 200, response.json
    result = response.json
    # II.8: «trước ngày mùng 10 của tháng đầu quý kế tiếp»: the 9th is the last day in time.
    assert (result["label"], result["before"], result["due"], result["period"]) == (
        "Báo cáo quý I", "2025-04-10", "2025-04-09", {"from_month": 1, "to_month": 3})
    months = {row["month"]: row for row in result["months"]}
    # Five people each month: Cường, Giang (no form), Dung, Bình, An.
    assert {key: months[1][key] for key in ("people", "tot", "trung_binh", "kem",
                                            "chua_danh_gia", "khong_co_phieu")} == {
        "people": 5, "tot": 0, "trung_binh": 2, "kem": 2, "chua_danh_gia": 1,
        "khong_co_phieu": 1}
    # March: An has no form and is not on the roster, so not counted.
    assert (months[3]["people"], months[3]["tot"], months[3]["trung_binh"], months[3]["kem"],
            months[3]["chua_danh_gia"]) == (4, 1, 1, 1, 1)
    assert result["totals"]["kem"] == 5 and result["totals"]["people"] == 14
    kem = [(row["full_name"], row["month"]) for row in result["kem"]]
    assert kem == [("Lê Thị Bình", 1), ("Nguyễn Văn An", 1), ("Lê Thị Bình", 2),
                   ("Nguyễn Văn An", 2), ("Lê Thị Bình", 3)]
    sign = result["kem"][0]["signs"][0]
    assert sign["ref"] == "I-1" and sign["content"] == "Chấp hành giờ giấc làm việc"
    assert sign["side"] == "authority"
    assert sign["identification"] == \
        "Có biểu hiện thường xuyên ở nội dung chấp hành thời giờ làm việc"
    assert sign["remedy"] == "Đến cơ quan đúng giờ, báo cáo hằng tuần"
    assert sign["remedy_status_label"] == "Chưa khắc phục"
    assert result["all_units"] is False and len(result["units"]) == 1


def test_periodic_six_months_report(site):
    result = periodic(site, format="json", report="sau_thang").json
    assert result["replaces"] == "quý II" and len(result["months"]) == 6
    months = {row["month"]: row for row in result["months"]}
    # April: Giang has no form, Bình's is not rated; Cường is excused, An not on the roster.
    assert months[4]["chua_danh_gia"] == 2 and months[4]["people"] == 3
    assert months[6]["people"] == 2 and months[6]["khong_co_phieu"] == 1  # Cường, Giang
    assert len(result["kem"]) == 5


def test_periodic_pdf(site):
    response = periodic(site)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert filename_star(response) == "Báo cáo quý I năm 2025 - Chỉ thị 24 - Phòng Nội vụ.pdf"
    save("bao-cao-quy-1.pdf", response.data)
    box = PdfReader(io.BytesIO(response.data)).pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = squash("".join(pdf_pages(response.data)))
    for expected in ("BÁOCÁOQUÝI", "QuýInăm2025(tháng01–3/2025)", "Tháng01/2025",
                     "Cộng(lượtngười)", "LêThịBình", "Chấphànhgiờgiấclàmviệc",
                     "Đếncơquanđúnggiờ,báocáohằngtuần(Chưakhắcphục)",
                     "1ngườikhôngcóPhiếusố01", "hạngửitrướcngày10/04/2025", "THỦTRƯỞNGĐƠNVỊ"):
        assert expected in text, expected
    assert "Kếtquảtheođơnvị" not in text  # one unit: no table by unit


def test_periodic_of_every_unit_for_the_secretariat(site):
    response = periodic(site, "secretariat", unit="", format="json")
    result = response.json
    assert result["all_units"] is True
    assert [unit["code"] for unit in result["units"]] == ["noi-vu", "tai-chinh"]
    assert ("Trần Văn Em", 2) in [(row["full_name"], row["month"]) for row in result["kem"]]
    assert result["months"][1]["kem"] == 3
    pdf = periodic(site, "secretariat", unit="", report="nam")
    assert pdf.status_code == 200
    save("bao-cao-nam-moi-don-vi.pdf", pdf.data)
    text = squash("".join(pdf_pages(pdf.data)))
    assert "Kếtquảtheođơnvị" in text and "PhòngTàichính-Kếhoạch" in text
    assert "TrầnVănEm(PhòngTàichính-Kếhoạch)" in text


def test_periodic_docx(site):
    response = periodic(site, format="docx", report="quy_3")
    assert response.status_code == 200 and response.data.startswith(b"PK")


def test_report_calendar(site):
    response = site.get("/api/v1/reports/calendar", "unit_a", query_string={"year": 2026})
    assert response.status_code == 200
    assert [(e["report"], e["before"], e["due"], e["from_month"], e["to_month"])
            for e in response.json] == [
        ("quy_1", "2026-04-10", "2026-04-09", 1, 3),
        ("sau_thang", "2026-07-10", "2026-07-09", 1, 6),
        ("quy_3", "2026-10-10", "2026-10-09", 7, 9),
        ("nam", "2026-12-15", "2026-12-14", 1, 12)]
    assert response.json[1]["replaces"] == "quý II" and response.json[0]["label"] == \
        "Báo cáo quý I"
    this_year = site.get("/api/v1/reports/calendar", "secretariat").json
    assert this_year[0]["year"] == date.today().year


@pytest.mark.parametrize("today, past_due", [
    (date(2026, 4, 9), False), (date(2026, 4, 10), True),  # «trước ngày mùng 10»
    (date(2026, 12, 14), False), (date(2026, 12, 15), True)])  # «trước ngày 15/12»
def test_a_report_sent_on_the_named_day_is_late(today, past_due):
    entry = {"quy_1": 0, "nam": 3}["quy_1" if today.month == 4 else "nam"]
    assert reports.calendar(2026, today=today)[entry]["past_due"] is past_due


# -------------------------------------------------------------------------- roles, input


@pytest.mark.parametrize("path", ["year-end", "periodic"])
def test_a_unit_reads_only_its_own_unit(site, path):
    url = f"/api/v1/reports/{path}"
    query = {"year": YEAR, "report": "quy_1", "format": "json"}
    other = site.get(url, "unit_b", query_string={**query, "unit": "noi-vu"})
    missing = site.get(url, "unit_b", query_string={**query, "unit": "khong-co"})
    assert other.status_code == missing.status_code == 404
    assert other.json["message"] == missing.json["message"] == "Không tìm thấy đơn vị này."
    own = site.get(url, "unit_b", query_string=query)  # no unit: its own
    assert own.status_code == 200
    assert "Trần Văn Em" in own.get_data(as_text=True)
    assert "Lê Thị Bình" not in own.get_data(as_text=True)
    audit = site.get("/api/v1/audit", "admin", query_string={"outcome": "refused"}).json
    assert any("đơn vị «noi-vu»: đơn vị khác" in event["detail"] for event in audit)


def test_the_secretariat_reads_any_unit_and_the_admin_none(site):
    assert year_end(site, "secretariat", unit="tai-chinh").status_code == 200
    assert year_end(site, "admin").status_code == 403
    assert periodic(site, "admin").status_code == 403
    assert site.get("/api/v1/reports/calendar", "admin").status_code == 403
    assert year_end(site, None).status_code == 401
    response = year_end(site, "secretariat", unit="")
    assert response.status_code == 422 and "Đơn vị" in response.json["message"]


@pytest.mark.parametrize("path, params, field", [
    ("year-end", {"year": "abc"}, "Năm: phải là số nguyên"),
    ("year-end", {"year": 1999}, "Năm: phải từ 2023 đến 2100"),
    ("year-end", {"year": None}, "Năm: không được để trống"),
    ("year-end", {"format": "csv"}, "format: chỉ nhận"),
    ("periodic", {"report": "quy_2"}, "report: chỉ nhận"),
    ("periodic", {"report": None}, "report: không được để trống"),
    ("calendar", {"year": "x"}, "Năm: phải là số nguyên"),
])
def test_bad_parameters_are_explained_in_vietnamese(site, path, params, field):
    query = {"unit": "noi-vu", "year": YEAR, "report": "quy_1", **params}
    query = {key: value for key, value in query.items() if value is not None}
    response = site.get(f"/api/v1/reports/{path}", "unit_a", query_string=query)
    assert response.status_code == 422
    assert field in response.json["message"]
    assert nfc(response.json["message"])


# -------------------------------------------------------------------------------- the page


def login(site, username):
    from conftest import PASSWORD
    client = site.app.test_client()
    page = client.get("/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/dang-nhap", data={"username": username, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code in (302, 303)
    return client


def test_the_reports_page(site):
    from test_web_archive import assert_locked_down
    client = login(site, "secretariat")
    response = client.get(f"/bao-cao?year={YEAR}")
    assert response.status_code == 200
    assert_locked_down(response)
    page = response.get_data(as_text=True)
    assert 'href="/bao-cao"' in page  # in the nav
    assert "Phòng Tài chính - Kế hoạch" in page and "Mọi đơn vị" in page
    assert "10/04/2025" in page and "Báo cáo 6 tháng" in page
    assert 'action="/api/v1/reports/year-end"' in page
    # The page's links work with the login cookie.
    assert client.get(f"/api/v1/reports/year-end?unit=noi-vu&year={YEAR}").status_code == 200

    unit_page = login(site, "unit_b").get("/bao-cao").get_data(as_text=True)
    assert "Phòng Tài chính - Kế hoạch" in unit_page and "Mọi đơn vị" not in unit_page
    assert 'value="noi-vu"' not in unit_page

    assert login(site, "admin").get("/bao-cao").status_code == 403
    assert site.app.test_client().get("/bao-cao").status_code in (302, 303)
