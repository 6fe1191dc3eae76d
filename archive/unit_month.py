"""What the archive holds for a unit and a period: its roster for a month, and the latest version
of each person's Phiếu 01 (or the unit's tổng hợp) with the data it was issued from.

Rosters, the month's status, the tổng hợp built from the archive, the print packet and the
year-end and periodic reports all read through these few queries.
"""

import calendar
import json
from datetime import date

from sqlalchemy import or_, select

from archive.models import Document, Member, Unit
from archive.service import is_latest_clause


def month_bounds(year, month):
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def unit_by_code(db, code):
    """The unit of this code, or None."""
    return db.scalar(select(Unit).where(Unit.code == code))


def units(db):
    """Every unit, by name."""
    return db.scalars(select(Unit).order_by(Unit.name, Unit.code)).all()


def roster(db, unit_id, year=None, month=None):
    """The unit's members in roster order; with a month, only those active during it."""
    query = select(Member).where(Member.unit_id == unit_id)
    if month is not None:
        first, last = month_bounds(year, month)
        query = query.where(or_(Member.active_from.is_(None), Member.active_from <= last),
                            or_(Member.active_to.is_(None), Member.active_to >= first))
    return db.scalars(query.order_by(Member.order, Member.id)).all()


def latest_forms(db, unit_id, year, month=None, form="phieu-01"):
    """The latest version of each person's form (or of the tổng hợp) for a year, or one month."""
    query = select(Document).where(Document.unit_id == unit_id, Document.form == form,
                                   Document.year == year, is_latest_clause())
    if month is not None:
        query = query.where(Document.month == month)
    return db.scalars(query.order_by(Document.month, Document.person_search)).all()


def issued_data(store, document):
    """The normalized JSON a document was issued from (as stored beside its PDF)."""
    return json.loads(store.get(document.json_sha256))
