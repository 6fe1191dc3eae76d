"""The guidance's rules, applied as suggestions and warnings.

The competent person decides; nothing here changes what a form prints. Every message is
Vietnamese, NFC. Section numbers in messages (II.4, II.6.1, …) are those of the guidance.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from forms import clock
from forms.people import is_heads_own
from forms.vocab import (
    IDENTIFICATION_LEVELS,
    IDENTIFICATION_RATINGS,
    MONTHLY_RATINGS,
    NO_SIGN,
    SECTIONS,
)

MONTHLY_DEADLINE_DAY = 25  # II.6.1 (staff: «trước ngày 25»), II.6.4 (heads: «chậm nhất ngày 25»)
# III.1: «Tháng 5/2024: Triển khai Hướng dẫn này»: the first month the guidance asks for.
GUIDANCE_START = (2024, 5)
REFS_SHOWN = 3  # how many item refs a message lists before "và … mục khác"

SIDE_LABELS = {"self": "cá nhân tự đánh giá", "authority": "cấp có thẩm quyền đánh giá"}


# ---------------------------------------------------------------------------- Phiếu 01 items


def _items(data):
    """(section key, 0-based index, ref, item) for every Phiếu 01 item, in form order."""
    sections = data.get("sections") or {}
    for key, (number, _title) in SECTIONS.items():
        for index, item in enumerate(sections.get(key) or []):
            yield key, index, f"{number.rstrip('.')}-{index + 1}", item


def item_refs(data):
    """(ref, item) over Phiếu 01's items in form order; ref is e.g. "I-1", "II.2-3", "IV-1"."""
    for _key, _index, ref, item in _items(data):
        yield ref, item


def identification_level(assessment):
    """The level slug an assessment (one side of an item) gives its identification, or None."""
    return ((assessment or {}).get("identification") or {}).get("level")


def _effective(item):
    """The side whose identification counts (II.4): the authority's when it has a level."""
    if identification_level(item.get("authority")):
        return "authority", item["authority"]
    return "self", item.get("self") or {}


@dataclass(frozen=True)
class _Sign:
    """An item that shows a sign, with the assessment (side) that decided it."""

    key: str
    index: int
    ref: str
    side: str
    assessment: dict

    @property
    def fixed(self):
        return self.assessment.get("remedy_status") == "fixed_in_time"


def _signs(data):
    signs = []
    for key, index, ref, item in _items(data):
        side, assessment = _effective(item)
        level = identification_level(assessment)
        if level and level != NO_SIGN:
            signs.append(_Sign(key, index, ref, side, assessment))
    return signs


def _suggest(signs):
    if not signs:
        return "tot"
    if all(sign.fixed for sign in signs):
        return "trung_binh"
    return "kem"


def signs_shown(data):
    """The Phiếu 01 items whose effective identification (II.4: the authority's when it has a
    level) shows a sign, in form order: ref, section key, the item, the deciding side and its
    assessment, and whether it was remedied in time."""
    sections = data.get("sections") or {}
    return [{"ref": sign.ref, "section": sign.key, "item": sections[sign.key][sign.index],
             "side": sign.side, "assessment": sign.assessment, "fixed": sign.fixed}
            for sign in _signs(data)]


def suggest_identification_rating(data):
    """Tốt / Trung bình / Kém as II.4 defines them.

    A sign whose remedy status is unknown counts as not remedied: Kém is "không chủ động
    khắc phục ngay", and nothing on the form says it was.
    """
    return _suggest(_signs(data))


# ------------------------------------------------------------------------------- messages


def _warn(code, field, message):
    return {"code": code, "field": field, "message": unicodedata.normalize("NFC", message)}


def _refs_text(refs):
    shown = ", ".join(refs[:REFS_SHOWN])
    more = len(refs) - REFS_SHOWN
    if len(refs) == 1:
        return f"mục {shown}"
    if more > 0:
        return f"các mục {shown} và {more} mục khác"
    return f"các mục {shown}"


def _ddmmyyyy(day):
    return f"{day:%d/%m/%Y}"


def _quoted(label):
    return f"«{label}»"


# -------------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadline:
    """A deadline as the guidance words it (docs/REPORTS.md, «Hạn»). «Trước ngày D» (before
    day D) leaves D − 1 as the last day in time; «chậm nhất ngày D» (at the latest on day D)
    leaves D itself."""

    named: date  # the day the guidance names
    inclusive: bool  # «chậm nhất»: that day is still in time
    section: str
    wording: str  # the guidance's words, for messages

    @property
    def last_day(self):
        return self.named if self.inclusive else self.named - timedelta(days=1)

    def missed_on(self, day):
        return day > self.last_day


def self_assessment_deadline(month, year):
    """Staff's monthly self-assessment: II.6.1, «Trước ngày 25 hằng tháng, CBCCCVC tự đánh
    giá…»: the 24th is the last day."""
    return Deadline(date(year, month, MONTHLY_DEADLINE_DAY), False, "II.6.1",
                    f"trước ngày {MONTHLY_DEADLINE_DAY} hằng tháng")


def head_deadline(month, year):
    """A unit head's own Phiếu 01 and, sent with it (the second II.6.4: «Riêng đối với cấp
    trưởng, ngoài phiếu số 01 của cá nhân, cần gửi biểu tổng hợp…»), the unit's tổng hợp: the
    first II.6.4, «Chậm nhất ngày 25 hằng tháng»: the 25th is the last day."""
    return Deadline(date(year, month, MONTHLY_DEADLINE_DAY), True, "II.6.4",
                    f"cấp trưởng chậm nhất ngày {MONTHLY_DEADLINE_DAY} hằng tháng, biểu tổng hợp "
                    "gửi cùng Phiếu số 01 của mình")


def phieu_01_deadline(data):
    month, year = data["period"]["month"], data["period"]["year"]
    return head_deadline(month, year) if is_heads_own(data) else self_assessment_deadline(
        month, year)


def counts_under_guidance(month, year, start=GUIDANCE_START):
    """Whether the guidance asks for a Phiếu 01 for this month: from its start (III.1) on."""
    return (year, month) >= tuple(start)


def report_calendar(year):
    """The periodic reports of II.8 for one year, in due-date order: «gửi trước ngày mùng 10
    của tháng đầu quý kế tiếp», «trước ngày mùng 10/7», «trước ngày 15/12». `before` is the day
    the guidance names, `due` the last day in time (the day before).

    The 6-month report replaces quarter II's, the annual report quarter IV's. The annual report
    is due before 15/12, before its period has ended; that is what the guidance prescribes.
    """
    reports = [
        ("quy_1", "Báo cáo quý I", (1, 3), date(year, 4, 10)),
        ("sau_thang", "Báo cáo 6 tháng", (1, 6), date(year, 7, 10)),
        ("quy_3", "Báo cáo quý III", (7, 9), date(year, 10, 10)),
        ("nam", "Báo cáo năm", (1, 12), date(year, 12, 15)),
    ]
    return [
        {"report": report, "label": label, "period": period, "before": before,
         "due": Deadline(before, False, "II.8", f"trước ngày {before:%d/%m}").last_day}
        for report, label, period, before in reports
    ]


def report_to_prepare(today):
    """The periodic report (II.8) a unit works on at `today`: the year's first one still in
    time (on 30/11: «Báo cáo năm», due before 15/12); after the last one's due day, that one."""
    calendar = report_calendar(today.year)
    return next((entry["report"] for entry in calendar if today <= entry["due"]),
                calendar[-1]["report"])


def _date_warnings(data, today, deadline, late_code, late_what):
    """Warnings on signed_on and period shared by both forms."""
    month, year = data["period"]["month"], data["period"]["year"]
    first_day = date(year, month, 1)
    warnings = []
    signed_on = data.get("signed_on")
    if signed_on is not None:
        if deadline.missed_on(signed_on):
            warnings.append(_warn(
                late_code, "signed_on",
                f"Phiếu ký ngày {_ddmmyyyy(signed_on)}, quá hạn {late_what} (mục "
                f"{deadline.section}: {deadline.wording}; ngày cuối cùng trong hạn: "
                f"{_ddmmyyyy(deadline.last_day)}).",
            ))
        if signed_on < first_day:
            warnings.append(_warn(
                "signed_before_period", "signed_on",
                f"Phiếu ký ngày {_ddmmyyyy(signed_on)}, trước khi tháng đánh giá "
                f"{month:02d}/{year} bắt đầu.",
            ))
    today = today or clock.today()
    if first_day > today:
        warnings.append(_warn(
            "period_in_future", "period",
            f"Tháng đánh giá {month:02d}/{year} chưa bắt đầu (hôm nay là {_ddmmyyyy(today)}).",
        ))
    return warnings


# --------------------------------------------------------------------------------- Phiếu 01


def _mismatch_message(given, suggested, signs):
    head = f"Kết quả nhận diện biểu hiện là {_quoted(IDENTIFICATION_RATINGS[given])}"
    tail = f"(gợi ý: {_quoted(IDENTIFICATION_RATINGS[suggested])})."
    if suggested == "tot":
        return f"{head} nhưng không mục nào có biểu hiện {tail}"
    if suggested == "trung_binh" and given == "kem":
        refs = _refs_text([sign.ref for sign in signs])
        return f"{head} nhưng biểu hiện ở {refs} đều đã khắc phục kịp thời {tail}"
    if suggested == "trung_binh":
        refs = _refs_text([sign.ref for sign in signs])
        return f"{head} nhưng {refs} có biểu hiện {tail}"
    refs = _refs_text([sign.ref for sign in signs if not sign.fixed])
    return f"{head} nhưng {refs} có biểu hiện chưa được khắc phục kịp thời {tail}"


def check_phieu_01(data, today=None):
    """Suggested identification rating and advisory warnings for one Phiếu 01."""
    signs = _signs(data)
    suggested = _suggest(signs)
    given = data.get("identification_rating")
    monthly = data.get("monthly_rating")
    warnings = []

    if not monthly:
        warnings.append(_warn(
            "missing_ratings", "monthly_rating",
            "Chưa có kết quả đánh giá, xếp loại tháng; phiếu sẽ in dòng chấm để điền tay.",
        ))
    if not given:
        warnings.append(_warn(
            "missing_ratings", "identification_rating",
            f"Chưa có kết quả đánh giá, nhận diện biểu hiện (gợi ý: "
            f"{_quoted(IDENTIFICATION_RATINGS[suggested])}); phiếu sẽ in dòng chấm để điền tay.",
        ))
    elif given != suggested:
        warnings.append(_warn(
            "identification_mismatch", "identification_rating",
            _mismatch_message(given, suggested, signs),
        ))

    for sign in signs:
        if not sign.assessment.get("remedy_status"):
            warnings.append(_warn(
                "remedy_status_missing",
                f"sections.{sign.key}.{sign.index}.{sign.side}.remedy_status",
                f"Mục {sign.ref} có biểu hiện nhưng chưa ghi đã khắc phục kịp thời hay chưa "
                f"({SIDE_LABELS[sign.side]}); khi chưa rõ, gợi ý coi là chưa khắc phục.",
            ))

    for key, index, ref, item in _items(data):
        for side in SIDE_LABELS:
            identification = (item.get(side) or {}).get("identification") or {}
            level = identification.get("level")
            if level and level != NO_SIGN and not (identification.get("detail") or "").strip():
                warnings.append(_warn(
                    "sign_without_detail", f"sections.{key}.{index}.{side}.identification.detail",
                    f"Mục {ref} ({SIDE_LABELS[side]}): mức "
                    f"{_quoted(IDENTIFICATION_LEVELS[level] + '…')} "
                    "cần nêu rõ nội dung có biểu hiện.",
                ))

    # II.3.1, Lưu ý 3: signs pointed out and not remedied «sẽ xem xét, đánh giá không hoàn thành
    # nhiệm vụ»: any other monthly rating is to be looked at again, «Hoàn thành» included.
    identification = given or suggested
    if identification == "kem" and monthly and monthly != "khong_hoan_thanh":
        which = "là" if given else "gợi ý là"
        warnings.append(_warn(
            "monthly_rating_vs_identification", "monthly_rating",
            f"Kết quả nhận diện biểu hiện {which} {_quoted(IDENTIFICATION_RATINGS['kem'])} nhưng "
            f"xếp loại tháng là {_quoted(MONTHLY_RATINGS[monthly])}. Theo hướng dẫn, biểu hiện vi "
            "phạm đã được chỉ ra mà không chủ động khắc phục hoặc chậm khắc phục thì xem xét "
            "đánh giá không hoàn thành nhiệm vụ; đề nghị xem lại xếp loại tháng.",
        ))

    heads = is_heads_own(data)
    warnings += _date_warnings(
        data, today, phieu_01_deadline(data), "late_self_assessment",
        "tự đánh giá của cấp trưởng" if heads else "tự đánh giá",
    )
    return {
        "suggestions": {
            "identification_rating": suggested,
            "identification_rating_label": IDENTIFICATION_RATINGS[suggested],
        },
        "warnings": warnings,
    }


def carried_over(previous, data, code=None):
    """II.4, Kém: «…không chủ động khắc phục ngay hoặc chậm khắc phục và để kéo dài sang tháng
    tiếp theo». When last month's Phiếu 01 (`previous`, its archive `code`) shows signs not
    remedied in time and this month's is neither rated nor suggested Kém: a warning, or None."""
    unfixed = [sign.ref for sign in _signs(previous) if not sign.fixed]
    if not unfixed or (data.get("identification_rating")
                       or suggest_identification_rating(data)) == "kem":
        return None
    period = previous["period"]
    which = f" (mã {code})" if code else ""
    return _warn(
        "sign_carried_over", "identification_rating",
        f"Phiếu số 01 tháng {period['month']:02d}/{period['year']}{which} có biểu hiện chưa "
        f"khắc phục kịp thời ở {_refs_text(unfixed)}. Theo mục II.4, biểu hiện không chủ động "
        "khắc phục ngay hoặc chậm khắc phục và để kéo dài sang tháng tiếp theo là mức "
        f"{_quoted(IDENTIFICATION_RATINGS['kem'])}: nếu đến tháng này vẫn chưa khắc phục, đề "
        "nghị cấp có thẩm quyền xem xét lại mức nhận diện.",
    )


# ------------------------------------------------------------------------------ tổng hợp


def _counts(ratings):
    counts = dict.fromkeys(IDENTIFICATION_RATINGS, 0) | {"chua_danh_gia": 0}
    for rating in ratings:
        counts[rating or "chua_danh_gia"] += 1
    return counts


def check_tong_hop(data, today=None):
    """Counts per identification level and advisory warnings for one Phiếu tổng hợp."""
    rows = data.get("rows") or []
    warnings = []
    first_row = {}
    for index, row in enumerate(rows):
        line, name = index + 1, row.get("full_name") or ""
        if not row.get("rating"):
            warnings.append(_warn(
                "row_without_rating", f"rows.{index}.rating",
                f"Dòng {line} ({name}) chưa có mức đánh giá, nhận diện biểu hiện (Tốt, TB, Kém).",
            ))
        name_key = unicodedata.normalize("NFC", name.strip().casefold())
        if not name_key:
            continue
        if name_key in first_row:
            warnings.append(_warn(
                "duplicate_name", f"rows.{index}.full_name",
                f"Dòng {line} trùng họ tên {_quoted(name)} với dòng {first_row[name_key] + 1}.",
            ))
        else:
            first_row[name_key] = index

    period = data["period"]
    warnings += _date_warnings(
        data, today, head_deadline(period["month"], period["year"]), "late_compilation",
        "gửi biểu tổng hợp",
    )
    return {
        "suggestions": {"counts": _counts(row.get("rating") for row in rows)},
        "warnings": warnings,
    }


# ------------------------------------------------------------------------------- year end


def year_end(monthly, *, uncounted=(), missing=()):
    """Consequences for the annual rating of a year's monthly identification results (II.7).

    `monthly` maps months 1–12 to an identification slug, or None when the month was not
    assessed; a month left out counts as not assessed too. `uncounted` months (before the
    guidance, not due yet, not with the unit, or excused by the competent level) count in no
    level, "chua_danh_gia" included. `missing` months (no Phiếu 01 past the deadline) count as
    Kém (MISSING_MONTH_RULE).
    """
    months = set(range(1, 13))
    if not set(monthly) | set(uncounted) | set(missing) <= months:
        raise ValueError("months must be 1 to 12")
    if not set(monthly.values()) <= set(IDENTIFICATION_RATINGS) | {None}:
        raise ValueError("unknown identification rating")
    monthly = {**monthly, **dict.fromkeys(missing, "kem")}
    counted = [month for month in range(1, 13) if month not in set(uncounted)]
    counts = _counts(monthly.get(month) for month in counted)
    kem, tb_or_worse = counts["kem"], counts["trung_binh"] + counts["kem"]

    summary = (
        f"{counts['tot']} tháng Tốt, {counts['trung_binh']} tháng Trung bình, {kem} tháng Kém"
    )
    if missing:
        summary += (f" (trong đó {len(missing)} tháng không có Phiếu số 01, tính như tháng Kém "
                    "theo mục II.3.1, Lưu ý)")
    if counts["chua_danh_gia"]:
        summary += f", {counts['chua_danh_gia']} tháng chưa đánh giá, nhận diện"
    if len(counted) < 12:
        summary += (f" ({12 - len(counted)} tháng không tính: trước khi áp dụng Hướng dẫn, chưa "
                    "đến hạn, không công tác tại đơn vị hoặc vắng có lý do được ghi nhận)")
    fail_label = _quoted(MONTHLY_RATINGS["khong_hoan_thanh"])

    # At 3 months Kém both rules apply; the stricter (fail) is checked first.
    if kem >= 3 or tb_or_worse >= 6:
        reason = (
            f"{kem} tháng Kém (từ 3 tháng trở lên)" if kem >= 3
            else f"{tb_or_worse} tháng ở mức Trung bình trở xuống (từ 6 tháng trở lên)"
        )
        return {
            "counts": counts, "max_annual_rating": "khong_hoan_thanh",
            "consequence": "fail", "review_post": True,
            "message": (
                f"Trong năm có {summary}. Do có {reason}, kết quả đánh giá, xếp loại năm ở mức "
                f"{fail_label}; cấp có thẩm quyền xem xét thay thế, điều chuyển sang vị trí công "
                "tác khác hoặc chấm dứt hợp đồng lao động (đối với lao động hợp đồng)."
            ),
        }
    if kem == 2:
        return {
            "counts": counts, "max_annual_rating": "hoan_thanh",
            "consequence": "cap", "review_post": False,
            "message": (
                f"Trong năm có {summary}. Do có 2 tháng Kém, kết quả đánh giá, xếp loại năm "
                f"không vượt quá mức {_quoted(MONTHLY_RATINGS['hoan_thanh'])}."
            ),
        }
    return {
        "counts": counts, "max_annual_rating": None,
        "consequence": "none", "review_post": False,
        "message": (
            f"Trong năm có {summary}: kết quả nhận diện biểu hiện không giới hạn mức xếp loại năm."
        ),
    }


# ------------------------------------------------------------------------ a missing Phiếu 01

# What a month without a Phiếu 01 means, said the same way by the unit's month, the tổng hợp
# compiled from the archive and the year-end report. II.3.1 (Lưu ý 1) rates such a month
# «Không hoàn thành nhiệm vụ» «và sẽ bị gắn với các biểu hiện vi phạm liên quan»: signs that
# nothing shows remedied, which II.4 calls Kém; so II.7 counts it as a month Kém. Lưu ý 3's
# exception (illness, leave, maternity…) is the competent level's to record: such a month is
# excused and not counted.
MISSING_MONTH_RULE = (
    "Theo mục II.3.1 (Lưu ý), cá nhân không thực hiện nghiêm túc việc xây dựng kế hoạch, đánh "
    "giá và báo cáo kết quả thực hiện thì tháng đó được đánh giá «Không hoàn thành nhiệm vụ» và "
    "bị gắn với các biểu hiện vi phạm liên quan; khi xét kết quả năm (mục II.7), tháng này được "
    "tính như một tháng Kém, trừ khi cấp có thẩm quyền ghi nhận lý do khách quan, bất khả kháng "
    "(ốm đau, nghỉ phép, nghỉ thai sản…)."
)


def expected_of(active_from, active_to, month, year):
    """Whether a roster member owes a Phiếu 01 for the month: with the unit on the last day of
    its deadline (II.6.1). Who left on the 10th, or joins on the 26th, owes none."""
    day = self_assessment_deadline(month, year).last_day
    return (active_from is None or active_from <= day) and (active_to is None or active_to >= day)


def missing_form(month, year, today, start=GUIDANCE_START):
    """What the guidance says of a person with no Phiếu 01 for a month, as of `today`.

    Before the guidance's start (III.1) nothing is owed. Until the self-assessment deadline
    (II.6.1, «trước ngày 25»: the 24th included) the form is only not yet in: no suggestion.
    After it, MISSING_MONTH_RULE: suggested, the competent person decides.
    """
    deadline = self_assessment_deadline(month, year)
    owed = counts_under_guidance(month, year, start)
    overdue = owed and deadline.missed_on(today)
    result = {"owed": owed, "overdue": overdue, "deadline": deadline.last_day,
              "suggestion": None}
    if overdue:
        result["suggestion"] = {
            "monthly_rating": "khong_hoan_thanh",
            "monthly_rating_label": MONTHLY_RATINGS["khong_hoan_thanh"],
            "message": unicodedata.normalize("NFC", (
                f"Chưa có Phiếu số 01 tháng {month:02d}/{year} dù đã quá hạn tự đánh giá (mục "
                f"II.6.1: {deadline.wording}; ngày cuối cùng trong hạn: "
                f"{_ddmmyyyy(deadline.last_day)}). {MISSING_MONTH_RULE}")),
        }
    return result


def parse_month(text):
    """"05/2024" → (2024, 5): a month as the settings write it (PHIEU_GUIDANCE_START)."""
    if isinstance(text, (tuple, list)):
        return tuple(text)
    month, _, year = str(text).partition("/")
    if not (month.strip().isdigit() and year.strip().isdigit()) or not 1 <= int(month) <= 12:
        raise ValueError(f"a month is written MM/YYYY, not {text!r}")
    return int(year), int(month)


REPORTS = {entry["report"]: entry for entry in report_calendar(2000)}  # labels, periods
