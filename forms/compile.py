"""The Phiếu tổng hợp compiled from a unit's Phiếu 01 of one month: a pure function over the
Phiếu 01 data (the JSON they were issued from), so the mapping is testable without a database.

One row per Phiếu 01, in the order given (the caller puts the roster's order). The mapping, column
by column (docs/ARCHIVE.md, "Phiếu tổng hợp lập từ hồ sơ"):

- Họ tên ← the person's name as their Phiếu 01 prints it.
- Đánh giá kết quả thực hiện ← the monthly rating's label ("Hoàn thành tốt nhiệm vụ"): the result
  the competent person decided for the month; blank when the Phiếu 01 has none.
- Tồn tại, Nguyên nhân, Kết quả khắc phục, Nhận diện biểu hiện ← the items that show a sign, by
  their effective identification (the authority's when it has a level, else the person's own:
  forms.rules, II.4), one line per item: "content: result" of that side, its cause, its remedy
  status ("Đã khắc phục kịp thời" / "Chưa khắc phục"), and the level's label completed by the
  detail as the Phiếu 01 prints it. With two or more such items each line starts "Mục II.2-1: ".
  No sign: the first three stay blank and Nhận diện biểu hiện says "Không có biểu hiện" (blank
  if nothing on the Phiếu 01 was identified at all).
- Mức (Tốt / TB / Kém) ← the identification rating decided on the Phiếu 01. When it has none the
  column stays blank: II.6.5 leaves the decision to the competent level, so a suggestion is not
  printed as if decided (the tổng hợp's check warns of the blank row).

Besides the Phiếu 01 (docs/REPORTS.md, rules C and E):
- a roster member who owes the month's Phiếu 01 and has none (`Missing`) gets a row saying so:
  «Không hoàn thành nhiệm vụ» and Kém, as the year-end report counts that month
  (forms.rules.MISSING_MONTH_RULE);
- the head's own Phiếu 01 is no row of their tổng hợp: the tổng hợp covers the people the head
  assesses (II.6.4), and the head is assessed by the level above.
"""

from collections import Counter
from dataclasses import dataclass

from forms import rules
from forms.layout import CELL_MAX
from forms.people import name_key
from forms.vocab import IDENTIFICATION_LEVELS, MONTHLY_RATINGS, NO_SIGN, REMEDY_STATUSES

NO_SIGN_TEXT = IDENTIFICATION_LEVELS[NO_SIGN]


def _cell(lines):
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= CELL_MAX else text[:CELL_MAX - 1] + "…"


def _identified(data):
    """Whether any item of the Phiếu 01 carries an identification level (either side)."""
    return any(rules.identification_level(item.get(side))
               for _ref, item in rules.item_refs(data) for side in ("self", "authority"))


def tong_hop_row(data):
    """The tổng hợp's row for one Phiếu 01 (its issued JSON, or validated input)."""
    signs = rules.signs_shown(data)
    prefix = len(signs) > 1

    def line(sign, text):
        text = (text or "").strip()
        return f"Mục {sign['ref']}: {text}" if prefix and text else text

    shortcomings, causes, remedies, identifications = [], [], [], []
    for sign in signs:
        assessment = sign["assessment"]
        identification = assessment.get("identification") or {}
        what = [sign["item"].get("content"), assessment.get("result")]
        shortcomings.append(line(sign, ": ".join(part for part in what if part)
                                 or identification.get("detail")))
        causes.append(line(sign, assessment.get("cause")))
        remedies.append(line(sign, REMEDY_STATUSES.get(assessment.get("remedy_status"))))
        identifications.append(line(sign, " ".join(
            part for part in (IDENTIFICATION_LEVELS[identification["level"]],
                              identification.get("detail")) if part)))
    rating = data.get("identification_rating")
    if not signs and (_identified(data) or rating):
        identifications = [NO_SIGN_TEXT]
    row = {
        "full_name": data["person"]["full_name"],
        "result": MONTHLY_RATINGS.get(data.get("monthly_rating")),
        "shortcomings": _cell(shortcomings),
        "cause": _cell(causes),
        "remedy_result": _cell(remedies),
        "identification": _cell(identifications),
        "rating": rating,
    }
    return {key: value for key, value in row.items() if value}


@dataclass(frozen=True)
class Missing:
    """A roster member who owes the month's Phiếu 01 and has none; `overdue` once its deadline
    has passed."""

    full_name: str
    overdue: bool = True


MISSING_TEXT = "Không có Phiếu số 01 (mục II.3.1, Lưu ý)"
NOT_YET_TEXT = "Chưa có Phiếu số 01 (chưa đến hạn tự đánh giá)"


def missing_row(person):
    """Overdue: «Không hoàn thành nhiệm vụ» and Kém (rules.MISSING_MONTH_RULE). Not yet due:
    said so, and nothing decided."""
    if not person.overdue:
        return {"full_name": person.full_name, "identification": NOT_YET_TEXT}
    return {"full_name": person.full_name, "result": MONTHLY_RATINGS["khong_hoan_thanh"],
            "identification": MISSING_TEXT, "rating": "kem"}


def tong_hop_data(unit, period, forms, *, place=None, signed_on=None, head_name=None):
    """The Phiếu tổng hợp's input (schemas.tong_hop shape, JSON values) for `unit` ({"name",
    "parent"}) and `period` ({"month", "year"}) from `forms` in row order: each the Phiếu 01
    data, or `Missing` for a member who owes one.

    `head_name` defaults to the name most Phiếu 01 give for the unit's head (the first of them
    on a tie); the head's own row is left out. `signed_on` (a date or "YYYY-MM-DD") and `place`
    are left out when not given.
    """
    issued = [form for form in forms if not isinstance(form, Missing)]
    if head_name is None:
        names = Counter(data["head_name"] for data in issued if data.get("head_name"))
        head_name = names.most_common(1)[0][0] if names else None
    head = name_key(head_name)

    def name(form):
        return form.full_name if isinstance(form, Missing) else form["person"]["full_name"]

    rows = [missing_row(form) if isinstance(form, Missing) else tong_hop_row(form)
            for form in forms if not head or name_key(name(form)) != head]
    data = {"unit": {key: value for key, value in unit.items() if value},
            "period": {"month": period["month"], "year": period["year"]},
            "rows": rows}
    if place:
        data["place"] = place
    if signed_on:
        data["signed_on"] = signed_on if isinstance(signed_on, str) else signed_on.isoformat()
    if head_name:
        data["head_name"] = head_name
    return data
