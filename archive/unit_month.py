"""What the archive holds for a unit and a period: its roster for a month, the months excused, and
the latest version of each person's Phiếu 01 (or the unit's tổng hợp) with the data it was
issued from.

Rosters, the month's status, the tổng hợp built from the archive, the print packet and the
year-end and periodic reports all read through these few queries.
"""

import calendar
import json
from datetime import date

from sqlalchemy import select

from archive.models import Document, ExcusedMonth, Member, Unit
from archive.service import is_latest_clause
from forms import rules
from forms.people import name_key


def month_bounds(year, month):
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def unit_by_code(db, code):
    """The unit of this code, or None."""
    return db.scalar(select(Unit).where(Unit.code == code))


def units(db):
    """Every unit, by name."""
    return db.scalars(select(Unit).order_by(Unit.name, Unit.code)).all()


def roster(db, unit_id, year=None, month=None):
    """The unit's members in roster order; with a month, only those who owe its Phiếu 01: with
    the unit on the last day of its deadline (rules.expected_of)."""
    members = db.scalars(select(Member).where(Member.unit_id == unit_id)
                         .order_by(Member.order, Member.id)).all()
    if month is None:
        return members
    return [member for member in members
            if rules.expected_of(member.active_from, member.active_to, month, year)]


def excused(db, unit_id, year, month=None):
    """The months the competent level excused, by (person key, month)."""
    query = select(ExcusedMonth).where(ExcusedMonth.unit_id == unit_id, ExcusedMonth.year == year)
    if month is not None:
        query = query.where(ExcusedMonth.month == month)
    return {(row.person_key, row.month): row for row in db.scalars(query)}


def latest_forms(db, unit_id, year, month=None, form="phieu-01"):
    """The latest version of each person's form (or of the tổng hợp) for a year, or one month."""
    query = select(Document).where(Document.unit_id == unit_id, Document.form == form,
                                   Document.year == year, is_latest_clause())
    if month is not None:
        query = query.where(Document.month == month)
    return db.scalars(query.order_by(Document.month, Document.person_search)).all()


def previous_form(db, store, unit_id, full_name, year, month):
    """This person's latest Phiếu 01 of the month before, with its data; None when there is
    none."""
    year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    document = db.scalar(select(Document).where(
        Document.unit_id == unit_id, Document.form == "phieu-01",
        Document.person_key == name_key(full_name), Document.year == year,
        Document.month == month, is_latest_clause()))
    return (document, issued_data(store, document)) if document else None


def issued_data(store, document):
    """The normalized JSON a document was issued from (as stored beside its PDF)."""
    return json.loads(store.get(document.json_sha256))
