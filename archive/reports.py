"""Year-end results and periodic reports, read from the archive.

Both rest on one grid: a unit's people for a year (its roster's members, then whoever has a
Phiếu 01 that year, by name) × the twelve months, each cell what the latest archived Phiếu 01 of
that person and month says. The rules themselves are forms/rules.py's (year_end, signs_shown,
report_calendar); nothing here decides a rating.

A cell's status:
- "assessed": a Phiếu 01 with its identification result (Tốt, Trung bình, Kém);
- "not_rated": a Phiếu 01 whose identification result was left blank (counts as not assessed);
- "missing": no Phiếu 01 although the month's self-assessment deadline (II.6.1, «trước ngày
  25»: the 24th is its last day) has passed; rules.MISSING_MONTH_RULE: the month is Không hoàn
  thành nhiệm vụ and counts as a month Kém at year end;
- "excused": no Phiếu 01, and the competent level recorded why (illness, leave, maternity…,
  II.3.1 Lưu ý 3): not counted;
- "upcoming": no Phiếu 01 and the deadline has not passed yet: not counted;
- "not_member": a roster member not with the unit on the deadline's last day: not counted;
- "not_listed": someone known only from their Phiếu 01 (not on the roster), in a month without
  one: the roster says who owes a form, so not counted;
- "before_guidance": a month before the guidance's start (III.1, setting GUIDANCE_START): not
  counted.
"""


from archive import unit_month
from forms import clock, rules
from forms.people import name_key
from forms.phieu_01 import identification_text
from forms.vocab import EXCUSE_REASONS, IDENTIFICATION_RATINGS, MONTHLY_RATINGS, REMEDY_STATUSES
from schemas.fields import fold, quoted

STATUSES = {
    "assessed": "Đã đánh giá, nhận diện",
    "not_rated": "Có Phiếu số 01 nhưng chưa ghi kết quả nhận diện",
    "missing": "Không có Phiếu số 01",
    "excused": "Vắng có lý do được ghi nhận",
    "upcoming": "Chưa đến hạn tự đánh giá",
    "not_member": "Không công tác tại đơn vị",
    "not_listed": "Không có trong danh sách của đơn vị",
    "before_guidance": "Trước khi áp dụng Hướng dẫn",
}
UNCOUNTED = ("upcoming", "not_member", "not_listed", "before_guidance", "excused")
CONSEQUENCES = {
    "none": "Không giới hạn mức xếp loại năm",
    "cap": "Xếp loại năm không vượt quá mức Hoàn thành nhiệm vụ",
    "fail": "Xếp loại năm ở mức Không hoàn thành nhiệm vụ; xem xét thay thế, điều chuyển "
            "(hoặc chấm dứt hợp đồng lao động)",
}
REPLACES = {"sau_thang": "quý II", "nam": "quý IV"}


class ReportError(Exception):
    def __init__(self, message, status=422):
        super().__init__(message)
        self.message, self.status = message, status


def month_year(month, year):
    return f"{month:02d}/{year}"


# ------------------------------------------------------------------------------ the grid


def _cell(month, year, document, store, member, today, start, excused):
    cell = {"month": month, "status": None, "identification_rating": None,
            "identification_label": None, "monthly_rating": None, "monthly_label": None,
            "document_id": None, "code": None, "data": None, "excuse": None}
    if document is not None:
        data = unit_month.issued_data(store, document)
        rating, monthly = data.get("identification_rating"), data.get("monthly_rating")
        cell.update(status="assessed" if rating else "not_rated", identification_rating=rating,
                    identification_label=IDENTIFICATION_RATINGS.get(rating),
                    monthly_rating=monthly, monthly_label=MONTHLY_RATINGS.get(monthly),
                    document_id=document.id, code=document.code, data=data)
    elif not rules.counts_under_guidance(month, year, start):
        cell["status"] = "before_guidance"
    elif member is None:
        cell["status"] = "not_listed"
    elif not rules.expected_of(member.active_from, member.active_to, month, year):
        cell["status"] = "not_member"
    elif excused is not None:
        cell["status"] = "excused"
        cell["excuse"] = {"reason": excused.reason, "label": EXCUSE_REASONS[excused.reason],
                          "note": excused.note}
    elif not rules.self_assessment_deadline(month, year).missed_on(today):
        cell["status"] = "upcoming"
    else:
        cell["status"] = "missing"
    cell["status_label"] = STATUSES[cell["status"]]
    return cell


def unit_people(db, store, unit, year, today=None, start=rules.GUIDANCE_START):
    """The unit's people for the year with their twelve month cells, roster order first."""
    today = today or clock.today()
    excused = unit_month.excused(db, unit.id, year)
    forms = {}
    names = {}
    for document in unit_month.latest_forms(db, unit.id, year):  # by month: the last wins
        forms.setdefault(document.person_key, {})[document.month] = document
        names[document.person_key] = document.person_name
    members = [member for member in unit_month.roster(db, unit.id)
               if any(rules.expected_of(member.active_from, member.active_to, month, year)
                      for month in range(1, 13))]
    listed = [(member.person_key, member.full_name, member.position or "", member)
              for member in members]
    on_roster = {member.person_key for member in members}
    others = sorted((key for key in forms if key not in on_roster),
                    key=lambda key: (fold(names[key]), names[key]))
    listed += [(key, names[key], None, None) for key in others]

    people = []
    for key, name, position, member in listed:
        months = [_cell(month, year, forms.get(key, {}).get(month), store, member, today, start,
                        excused.get((key, month)))
                  for month in range(1, 13)]
        if position is None:  # from the latest form that names one
            position = next((cell["data"]["person"].get("position") for cell in reversed(months)
                             if cell["data"] and cell["data"]["person"].get("position")), "")
        people.append({"key": key, "full_name": name, "position": position,
                       "on_roster": member is not None, "months": months})
    return people


def _unit_ref(unit):
    return {"code": unit.code, "name": unit.name, "parent": unit.parent or ""}


# ------------------------------------------------------------------------------- year end


def _flags(person, year):
    flags = []
    for cell in person["months"]:
        when = f"Tháng {month_year(cell['month'], year)}"
        if cell["status"] == "missing":
            flags.append({"code": "missing_form", "month": cell["month"],
                          "message": f"{when}: không có Phiếu số 01. {rules.MISSING_MONTH_RULE}"})
        elif cell["status"] == "excused":
            note = f" ({cell['excuse']['note']})" if cell["excuse"]["note"] else ""
            flags.append({"code": "excused", "month": cell["month"], "message": (
                f"{when}: không có Phiếu số 01; cấp có thẩm quyền đã ghi nhận lý do vắng: "
                f"{cell['excuse']['label']}{note}. Tháng này không tính khi xét kết quả năm.")})
        elif cell["status"] == "not_rated":
            flags.append({"code": "not_rated", "month": cell["month"], "message": (
                f"{when}: Phiếu số 01 (mã {cell['code']}) chưa ghi kết quả đánh giá, nhận diện "
                "biểu hiện; tháng này được tính là chưa đánh giá, nhận diện.")})
    return flags


def _year_end_of(person, year):
    monthly = {cell["month"]: cell["identification_rating"] for cell in person["months"]
               if cell["status"] not in UNCOUNTED and cell["status"] != "missing"}
    uncounted = [cell["month"] for cell in person["months"] if cell["status"] in UNCOUNTED]
    missing = [cell["month"] for cell in person["months"] if cell["status"] == "missing"]
    result = rules.year_end(monthly, uncounted=uncounted, missing=missing)
    counts = result["counts"]
    return {
        **{key: person[key] for key in ("full_name", "position", "on_roster", "months")},
        "counts": counts,
        "kem_months": counts["kem"],
        "trung_binh_months": counts["trung_binh"],
        "missing_months": missing,
        "excused_months": [cell["month"] for cell in person["months"]
                           if cell["status"] == "excused"],
        "max_annual_rating": result["max_annual_rating"],
        "max_annual_rating_label": MONTHLY_RATINGS.get(result["max_annual_rating"]),
        "consequence": result["consequence"],
        "consequence_label": CONSEQUENCES[result["consequence"]],
        "review_post": result["review_post"],
        "message": result["message"],
        "flags": _flags(person, year),
    }


def _select_person(people, wanted):
    key = name_key(wanted)
    found = [person for person in people if person["key"] == key]
    if not found:
        found = [person for person in people if fold(person["full_name"]) == fold(wanted)]
    if len(found) == 1:
        return found
    if not found:
        raise ReportError(f"Không có người tên «{quoted(wanted)}» trong danh sách hoặc các "
                          "Phiếu số 01 của đơn vị năm này.", 404)
    names = ", ".join(f"«{person['full_name']}»" for person in found)
    raise ReportError(f"Họ tên «{quoted(wanted)}» khớp nhiều người ({names}); hãy ghi đủ dấu.")


def year_end(db, store, unit, year, *, person=None, today=None, start=rules.GUIDANCE_START):
    """The year-end results of a unit's people (or one person), as the API's JSON says."""
    today = today or clock.today()
    people = unit_people(db, store, unit, year, today, start)
    if person:
        people = _select_person(people, person)
    results = [_year_end_of(one, year) for one in people]
    return {
        "unit": _unit_ref(unit), "year": year, "as_of": today,
        "person": people[0]["full_name"] if person else None,
        "people": results,
        "summary": {
            "people": len(results),
            "fail": sum(r["consequence"] == "fail" for r in results),
            "cap": sum(r["consequence"] == "cap" for r in results),
            "with_missing_months": sum(bool(r["missing_months"]) for r in results),
        },
    }


# ------------------------------------------------------------------------- periodic report


def report_entry(year, report):
    """The calendar's entry (forms/rules.py report_calendar) for this report and year."""
    for entry in rules.report_calendar(year):
        if entry["report"] == report:
            return entry
    raise ReportError(f"Không có loại báo cáo «{quoted(report, 20)}».")


def _empty_counts():
    return {"people": 0, "tot": 0, "trung_binh": 0, "kem": 0, "chua_danh_gia": 0,
            "khong_co_phieu": 0, "chua_den_han": 0}


def _add(counts, cell):
    if cell["status"] in ("not_member", "not_listed", "before_guidance", "excused"):
        return
    counts["people"] += 1
    if cell["status"] == "assessed":
        counts[cell["identification_rating"]] += 1
    elif cell["status"] == "upcoming":
        counts["chua_den_han"] += 1
    else:
        counts["chua_danh_gia"] += 1
        counts["khong_co_phieu"] += cell["status"] == "missing"


def _sign_row(sign):
    assessment = sign["assessment"]
    status = assessment.get("remedy_status")
    return {
        "ref": sign["ref"],
        "content": sign["item"].get("content") or "",
        "identification": identification_text(assessment.get("identification")),
        "shortcoming": assessment.get("result") or "",
        "cause": assessment.get("cause") or "",
        "remedy": assessment.get("remedy") or "",
        "remedy_status": status,
        "remedy_status_label": REMEDY_STATUSES.get(status, "Chưa ghi tình trạng khắc phục"),
        "side": sign["side"],
    }


def periodic(db, store, units, year, report, *, today=None, start=rules.GUIDANCE_START):
    """The Chỉ thị 24 section of a periodic report (II.8) for these units."""
    today = today or clock.today()
    entry = report_entry(year, report)
    first, last = entry["period"]
    months = list(range(first, last + 1))
    totals = {month: _empty_counts() for month in months}
    per_unit, kem = [], []
    for unit in units:
        people = unit_people(db, store, unit, year, today, start)
        unit_counts = {month: _empty_counts() for month in months}
        for person in people:
            for cell in person["months"][first - 1:last]:
                _add(unit_counts[cell["month"]], cell)
                _add(totals[cell["month"]], cell)
                if cell["identification_rating"] == "kem":
                    kem.append({"unit": _unit_ref(unit), "full_name": person["full_name"],
                                "position": person["position"], "month": cell["month"],
                                "document_id": cell["document_id"], "code": cell["code"],
                                "monthly_rating": cell["monthly_rating"],
                                "monthly_label": cell["monthly_label"],
                                "signs": [_sign_row(sign)
                                          for sign in rules.signs_shown(cell["data"])]})
        per_unit.append({**_unit_ref(unit), "months": _month_rows(unit_counts),
                         "totals": _sum(unit_counts.values())})
    kem.sort(key=lambda row: (row["month"], row["unit"]["name"], fold(row["full_name"])))
    return {
        "report": report, "label": entry["label"], "year": year,
        "period": {"from_month": first, "to_month": last}, "due": entry["due"],
        "before": entry["before"],
        "replaces": REPLACES.get(report), "as_of": today,
        "all_units": len(units) != 1, "units": per_unit,
        "months": _month_rows(totals), "totals": _sum(totals.values()), "kem": kem,
    }


def _month_rows(counts):
    return [{"month": month, **values} for month, values in counts.items()]


def _sum(many):
    total = _empty_counts()
    for counts in many:
        for key in total:
            total[key] += counts[key]
    return total


def calendar(year, today=None):
    """The year's periodic reports (II.8), their periods and due dates, and which are past due."""
    today = today or clock.today()
    return [{"report": entry["report"], "label": entry["label"], "year": year,
             "from_month": entry["period"][0], "to_month": entry["period"][1],
             "due": entry["due"], "before": entry["before"],
             "replaces": REPLACES.get(entry["report"]),
             "past_due": today > entry["due"]}
            for entry in rules.report_calendar(year)]
