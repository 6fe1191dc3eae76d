"""Months a roster member owes no Phiếu 01, as the competent level records them (II.3.1, Lưu ý 3:
«Trừ trường hợp do yếu tố khách quan, bất khả kháng như: Do đau ốm, nghỉ phép, nghỉ thai sản…»).

An excused month is neither «quá hạn» on the unit's month nor counted at year end
(archive/reports.py). Recording one never replaces another: a second record for the same person
and month is refused until the first is removed, and both acts go to the audit log (written here,
whoever calls: the API or the unit's month page).
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive import audit
from archive.models import ExcusedMonth, Member
from archive.service import ArchiveError
from archive.unit_month import latest_forms
from forms import rules
from forms.people import name_key
from forms.vocab import EXCUSE_REASONS
from schemas.fields import quoted


def as_json(row):
    return {"id": row.id, "full_name": row.full_name, "year": row.year, "month": row.month,
            "reason": row.reason, "reason_label": EXCUSE_REASONS[row.reason], "note": row.note,
            "recorded_by": row.recorded_by.username, "recorded_at": row.recorded_at}


def of_year(db, unit, year):
    query = (select(ExcusedMonth).where(ExcusedMonth.unit_id == unit.id, ExcusedMonth.year == year)
             .order_by(ExcusedMonth.month, ExcusedMonth.full_name))
    return [as_json(row) for row in db.scalars(query)]


def record(db, unit, user, entry, start=rules.GUIDANCE_START):
    """Records `entry` (schemas.roster.ExcusedMonthInSchema's data); ArchiveError when the
    person is not on the roster for that month, has a Phiếu 01 for it, or is already excused."""
    key, year, month = name_key(entry["full_name"]), entry["year"], entry["month"]
    when = f"tháng {month:02d}/{year}"
    member = db.scalar(select(Member).where(Member.unit_id == unit.id, Member.person_key == key))
    if member is None:
        raise ArchiveError(f"«{quoted(entry['full_name'])}» không có trong danh sách cán bộ của "
                           "đơn vị; hãy nhập danh sách trước.", 422)
    if not rules.counts_under_guidance(month, year, start):
        raise ArchiveError(f"{when.capitalize()} trước khi áp dụng Hướng dẫn (mục III.1): không "
                           "cần Phiếu số 01 nên không cần ghi nhận.", 422)
    if not rules.expected_of(member.active_from, member.active_to, month, year):
        raise ArchiveError(f"Theo danh sách, «{member.full_name}» không công tác tại đơn vị vào "
                           f"hạn tự đánh giá {when}: không cần ghi nhận.", 422)
    if any(document.person_key == key for document in latest_forms(db, unit.id, year, month)):
        raise ArchiveError(f"«{member.full_name}» đã có Phiếu số 01 {when}; tháng này được tính "
                           "theo phiếu đó.", 409)
    row = ExcusedMonth(unit_id=unit.id, full_name=member.full_name, person_key=key, year=year,
                       month=month, reason=entry["reason"], note=entry.get("note") or "",
                       recorded_by_id=user.id)
    db.add(row)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise ArchiveError(f"{when.capitalize()} của «{member.full_name}» đã được ghi nhận; muốn "
                           "sửa thì xóa bản ghi đó rồi ghi lại.", 409) from None
    audit.record(db, "excused.record", user=user,
                 detail=f"{unit.code}: {row.full_name}, {when}, {row.reason}")
    return row


def remove(db, unit, user, excused_id):
    """Removes one record of this unit; ArchiveError (404) when there is none."""
    row = db.get(ExcusedMonth, excused_id)
    if row is None or row.unit_id != unit.id:
        raise ArchiveError("Không có bản ghi tháng vắng này.", 404)
    detail = f"{unit.code}: {row.full_name}, tháng {row.month:02d}/{row.year}"
    db.delete(row)
    db.commit()
    audit.record(db, "excused.remove", user=user, detail=detail)
    return row
