"""What the API (api/units.py) and the web pages (web/unit_pages.py) both do with a unit's month,
each then answering in its own way: import the roster, issue the tổng hợp from the archive. Each
is audited here, once."""

from flask import current_app

from archive import access, audit, db, roster, service
from archive.models import User
from archive.store import StoreError


def import_roster(unit, location, rows):
    """Validates every row, then stores them; RosterError (every bad row; audited) or
    ArchiveError. `location` says where the rows came from ("files" or "json")."""
    try:
        members = roster.validate(rows)
    except roster.RosterError as error:
        audit.record("roster.import", "refused", detail=f"đơn vị {unit.code}: {error.message}")
        raise
    summary = roster.replace(db.session(), unit, members)
    audit.record("roster.import", detail=f"đơn vị {unit.code}: {len(members)} người ({location}); "
                                         f"thêm {summary['added']}, cập nhật {summary['updated']}"
                                         f", giữ {len(summary['kept'])}")
    return summary


def issue_tong_hop(unit, year, month, overrides):
    """Builds the tổng hợp from the archive and issues it as the current (unit) account;
    ArchiveError (no Phiếu 01, 422) or StoreError (disk)."""
    db_session, store = db.session(), current_app.extensions["store"]
    data = roster.tong_hop_from_archive(db_session, store, unit, year, month, **overrides)
    user = db_session.get(User, access.current().user_id)
    try:
        document = service.issue(db_session, store, user, "tong-hop", data,
                                 settings=current_app.config,
                                 converter=current_app.extensions["converter"])
    except StoreError as error:
        audit.record("issue", "failed", detail=str(error))
        raise
    audit.record("issue", document_id=document.id,
                 detail=f"{document.code}, bản {document.version}, lập từ hồ sơ "
                        f"({len(data['rows'])} Phiếu số 01)")
    return document
