"""A unit's roster and its month: importing the roster (validate every row, then upsert by
person), each person's latest Phiếu 01 in roster order, the month's status against the
guidance's deadline, and the Phiếu tổng hợp compiled from the archive.

Import rules (docs/ARCHIVE.md, "Danh sách cán bộ"): a person is their name's key
(schemas.fields.name_key: NFC, case-folded, spaces collapsed), as for the documents. A person in
the file is added, or updated to what the file says (name as written, position, dates, order).
A person of the old roster absent from the file is kept, with their dates, after the file's
people (the file's order wins); to stop following someone, give them «Đến ngày». Every row is
checked before anything is written: one bad row refuses the whole file.
"""

from collections import defaultdict
from dataclasses import dataclass

from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError

from archive.models import Document, ExcusedMonth, Member
from archive.service import ArchiveError
from archive.unit_month import excused, issued_data, latest_forms, roster
from forms import clock, rules
from forms.compile import Missing, tong_hop_data
from forms.people import name_key
from forms.vocab import EXCUSE_REASONS, IDENTIFICATION_RATINGS, MONTHLY_RATINGS
from schemas.fields import MAX_YEAR, MIN_YEAR
from schemas.roster import MAX_MEMBERS, MemberInSchema
from schemas.tong_hop import TongHopSchema

STATUS_LABELS = {
    "co_phieu": "Đã có Phiếu số 01",
    "chua_co": "Chưa có Phiếu số 01",
    "qua_han": "Quá hạn, chưa có Phiếu số 01",
    "vang_co_ly_do": "Vắng có lý do được ghi nhận, không cần Phiếu số 01",
}
FLAG_OVERDUE = "quá hạn"
FLAG_NOT_ON_ROSTER = "không có trong danh sách"
FLAG_INACTIVE = "không công tác vào hạn tự đánh giá của tháng theo danh sách"
FLAG_BEFORE_GUIDANCE = "tháng trước khi áp dụng Hướng dẫn (mục III.1)"
NO_FORMS = ("Đơn vị chưa có Phiếu số 01 nào của tháng {month:02d}/{year} trong kho lưu trữ; "
            "hãy phát hành Phiếu số 01 của từng người trước khi lập phiếu tổng hợp.")


class RosterError(ArchiveError):
    """Rows refused: `rows` maps each row's label ("Dòng 5") to {field: [messages]}."""

    def __init__(self, rows, message=None):
        count = len(rows)
        super().__init__(message or f"Danh sách không được nhập: {count} dòng có lỗi; chưa có "
                                    "gì thay đổi. Hãy sửa các dòng được nêu rồi gửi lại.", 422)
        self.rows = rows

    def lines(self):
        """"Dòng 5: Từ ngày: …" for each message, in row order."""
        return [f"{label}: {message}" for label, fields in self.rows.items()
                for messages in fields.values() for message in messages]


# ----------------------------------------------------------------------------- importing


def validate(rows):
    """[(label, raw row)] → the members in roster order, each {"full_name", "position",
    "order" (1…n), "active_from", "active_to", "person_key"}; RosterError listing every bad row
    otherwise. `label` names the row in messages ("Dòng 5" for a file's row)."""
    if not rows:
        raise RosterError({}, "Danh sách không có dòng nào có họ tên; chưa có gì thay đổi.")
    if len(rows) > MAX_MEMBERS:
        raise RosterError({}, f"Danh sách có hơn {MAX_MEMBERS} người; chưa có gì thay đổi.")
    errors = defaultdict(lambda: defaultdict(list))
    loaded, first_of, order_of = [], {}, {}
    schema = MemberInSchema()
    for position, (label, raw) in enumerate(rows):
        if not isinstance(raw, dict):
            errors[label]["_schema"].append("phải là một đối tượng JSON ({…})")
            continue
        try:
            member = schema.load(raw)
        except ValidationError as error:
            for field, messages in error.messages.items():
                if isinstance(messages, dict):  # not expected from these flat fields
                    messages = [str(messages)]
                if field in schema.fields or field == "_schema":
                    errors[label][field].extend(messages)
                else:
                    errors[label][field].extend(f"«{field}»: {m}" for m in messages)
            continue
        key = name_key(member["full_name"])
        if key in first_of:
            errors[label]["full_name"].append(
                f"Họ và tên: «{member['full_name']}» trùng với {first_of[key].lower()}")
        else:
            first_of[key] = label
        if member.get("active_from") and member.get("active_to") \
                and member["active_to"] < member["active_from"]:
            errors[label]["active_to"].append(
                f"Đến ngày: {member['active_to']:%d/%m/%Y} trước Từ ngày "
                f"{member['active_from']:%d/%m/%Y}")
        if member.get("order") is not None:
            if member["order"] in order_of:
                errors[label]["order"].append(f"Thứ tự: số {member['order']} trùng với "
                                              f"{order_of[member['order']].lower()}")
            order_of[member["order"]] = label
        loaded.append((label, position, {**member, "person_key": key}))
    numbered = [label for label, _position, member in loaded if member.get("order") is not None]
    if numbered and len(numbered) < len(loaded):
        for label, _position, member in loaded:
            if member.get("order") is None:
                errors[label]["order"].append("Thứ tự: để trống trong khi các dòng khác có số "
                                              "thứ tự; hãy ghi số cho mọi dòng hoặc bỏ cả cột")
    if errors:
        raise RosterError({label: dict(fields) for label, fields in errors.items()})
    loaded.sort(key=lambda entry: (entry[2].get("order") or 0, entry[1]))
    return [{"full_name": " ".join(member["full_name"].split()),
             "position": " ".join((member.get("position") or "").split()),
             "order": number, "active_from": member.get("active_from"),
             "active_to": member.get("active_to"), "person_key": member["person_key"]}
            for number, (_label, _position, member) in enumerate(loaded, start=1)]


def replace(db, unit, members):
    """Upserts validated `members` (validate's output) into the unit's roster; the old roster's
    people absent from them are kept, after them. Returns {"added", "updated", "kept"}."""
    existing = {member.person_key: member for member in roster(db, unit.id)}
    added = updated = 0
    for values in members:
        member = existing.pop(values["person_key"], None)
        if member is None:
            member = Member(unit_id=unit.id)
            db.add(member)
            added += 1
        else:
            updated += 1
        for field, value in values.items():
            setattr(member, field, value)
    kept = sorted(existing.values(), key=lambda member: (member.order, member.id))
    for number, member in enumerate(kept, start=len(members) + 1):
        member.order = number
    try:
        db.commit()
    except IntegrityError:  # another import of the same unit added the same person meanwhile
        db.rollback()
        raise ArchiveError("Danh sách của đơn vị đang được cập nhật đồng thời ở nơi khác; hãy "
                           "thử lại.", 409) from None
    return {"added": added, "updated": updated, "kept": [member.full_name for member in kept]}


# ------------------------------------------------------------------------------ the month


@dataclass
class PersonMonth:
    """One person of a unit's month: their roster entry (None: not on the roster for that
    month), their latest Phiếu 01 (None: missing) and the data it was issued from."""

    member: Member | None
    document: Document | None
    data: dict | None
    inactive_member: Member | None = None  # on the roster, but owes no form for the month
    excused: ExcusedMonth | None = None  # no form, and the competent level recorded why

    @property
    def full_name(self):
        return self.member.full_name if self.member else self.document.person_name


def month_forms(db, store, unit_id, year, month):
    """Each person of the unit's month in roster order: the members active during the month
    (with their latest Phiếu 01 or None), then the people with a Phiếu 01 who are not, by
    name."""
    documents = {document.person_key: document
                 for document in latest_forms(db, unit_id, year, month)}
    excused_months = excused(db, unit_id, year, month)
    people = []
    for member in roster(db, unit_id, year, month):
        document = documents.pop(member.person_key, None)
        people.append(PersonMonth(
            member, document, issued_data(store, document) if document else None,
            excused=None if document else excused_months.get((member.person_key, month))))
    if documents:
        everyone = {member.person_key: member for member in roster(db, unit_id)}
        for document in documents.values():  # latest_forms' order: by name without accents
            people.append(PersonMonth(None, document, issued_data(store, document),
                                      everyone.get(document.person_key)))
    return people


def _form_summary(document, data):
    monthly, identification = data.get("monthly_rating"), data.get("identification_rating")
    return {"id": document.id, "code": document.code, "version": document.version,
            "monthly_rating": monthly, "monthly_rating_label": MONTHLY_RATINGS.get(monthly),
            "identification_rating": identification,
            "identification_rating_label": IDENTIFICATION_RATINGS.get(identification)}


def month_status(db, store, unit, year, month, today=None, start=rules.GUIDANCE_START):
    """The unit's month: who has a Phiếu 01 and who is missing, as of `today` (default: today in
    Hà Nội). After the deadline (rules.self_assessment_deadline) a missing Phiếu 01 is «quá hạn»
    and the rules suggest Không hoàn thành nhiệm vụ (rules.missing_form), unless the competent
    level recorded why the person is away; before the guidance's `start` nothing is owed."""
    today = today or clock.today()
    missing = rules.missing_form(month, year, today, start)
    rows, counts = [], {"co_phieu": 0, "chua_co": 0, "qua_han": 0, "vang_co_ly_do": 0,
                        "ngoai_danh_sach": 0}
    for person in month_forms(db, store, unit.id, year, month):
        flags, suggestion = [], None
        if person.document is not None:
            status = "co_phieu"
        elif person.excused is not None:
            status = "vang_co_ly_do"
            flags.append(EXCUSE_REASONS[person.excused.reason].lower())
        elif missing["overdue"]:
            status, suggestion = "qua_han", missing["suggestion"]
            flags.append(FLAG_OVERDUE)
        else:
            status = "chua_co"
            if not missing["owed"]:
                flags.append(FLAG_BEFORE_GUIDANCE)
        if person.member is None:
            flags.append(FLAG_INACTIVE if person.inactive_member else FLAG_NOT_ON_ROSTER)
            counts["ngoai_danh_sach"] += 1
        counts[status] += 1
        position = person.member.position if person.member else (
            (person.data.get("person") or {}).get("position"))
        rows.append({
            "full_name": person.full_name, "position": position or None,
            "order": person.member.order if person.member else None,
            "on_roster": person.member is not None, "status": status,
            "status_label": STATUS_LABELS[status], "flags": flags,
            "document": _form_summary(person.document, person.data) if person.document else None,
            "excused": {"id": person.excused.id, "reason": person.excused.reason,
                        "reason_label": EXCUSE_REASONS[person.excused.reason],
                        "note": person.excused.note} if person.excused else None,
            "suggestion": suggestion,
        })
    tong_hop = latest_forms(db, unit.id, year, month, form="tong-hop")
    return {"unit": unit.code, "unit_name": unit.name, "year": year, "month": month,
            "today": today, "deadline": missing["deadline"], "overdue": missing["overdue"],
            "rows": rows, "counts": counts,
            "tong_hop": _form_summary(tong_hop[0], issued_data(store, tong_hop[0]))
            if tong_hop else None}


# ------------------------------------------------------------------------------ tổng hợp


def tong_hop_from_archive(db, store, unit, year, month, *, place=None, signed_on=None,
                          head_name=None, today=None, start=rules.GUIDANCE_START):
    """The Phiếu tổng hợp's validated data for the unit's month in roster order
    (forms.compile.tong_hop_data): a row per latest Phiếu 01, and per member who owes one and has
    none (not excused); ArchiveError (422) when no Phiếu 01 is in."""
    overdue = rules.missing_form(month, year, today or clock.today(), start)["overdue"]
    forms = []
    for person in month_forms(db, store, unit.id, year, month):
        if person.data is not None:
            forms.append(person.data)
        elif person.member is not None and person.excused is None:
            forms.append(Missing(person.member.full_name, overdue))
    if all(isinstance(form, Missing) for form in forms):
        raise ArchiveError(NO_FORMS.format(month=month, year=year), 422)
    raw = tong_hop_data({"name": unit.name, "parent": unit.parent},
                        {"month": month, "year": year}, forms, place=place,
                        signed_on=signed_on, head_name=head_name)
    try:
        return TongHopSchema().load(raw)
    except ValidationError as error:  # a stored Phiếu 01 the schema has since come to refuse
        raise ArchiveError(f"Không lập được phiếu tổng hợp từ hồ sơ: {error.messages}", 422) \
            from None


def period_ok(year, month):
    return MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12
