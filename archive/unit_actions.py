"""What the API (api/units.py) and the web pages (web/unit_pages.py) both do with a unit's month,
each then answering in its own way: import the roster, issue the tổng hợp from the archive, make
the month's print packet. Each is audited here, once."""

from flask import current_app

from archive import audit, db, roster, service
from auth import access
from archive.actions import stored_file
from archive.models import User
from archive.store import StoreError
from archive.unit_month import issued_data, latest_forms, unit_by_code
from forms import FORMS
from documents.make import safe_filename
from documents.packet import (TONG_HOP_TITLE, merge, packet_stem, person_title, stored_part,
                              zip_parts)


def reachable_unit(code, action):
    """The unit of this code if this account may reach it (a unit account its own unit, the
    secretariat any), else None; a refusal is audited, telling another unit from none."""
    found = unit_by_code(db.session(), code)
    principal = access.current()
    if found is None or (principal.role.has_unit and found.id != principal.unit_id):
        audit.record(action, "refused", detail=f"đơn vị «{code}»: " + (
            "không có" if found is None else "đơn vị khác"))
        return None
    return found


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


def month_packet(unit, year, month, *, fmt, duplex):
    """The unit-month's archived forms as one PDF to print (the tổng hợp first, then each Phiếu
    01 in roster order; each the archived PDF/A, its code printed) or a ZIP; (content, file
    stem). ArchiveError 404 when the month has no form."""
    db_session, store = db.session(), current_app.extensions["store"]
    parts = []
    for document in latest_forms(db_session, unit.id, year, month, form="tong-hop"):
        parts.append(_stored_part(document, issued_data(store, document), TONG_HOP_TITLE))
    people = [person for person in roster.month_forms(db_session, store, unit.id, year, month)
              if person.document is not None]
    for number, person in enumerate(people, start=1):
        parts.append(_stored_part(person.document, person.data,
                                  person_title(number, person.document.person_name)))
    if not parts:
        raise service.ArchiveError(f"Hồ sơ chưa có phiếu nào của {unit.name} tháng "
                                   f"{month:02d}/{year}.", 404)
    stem = packet_stem(unit.name, month, year)
    content = zip_parts(parts) if fmt == "zip" else merge(parts, duplex=duplex, title=stem)
    audit.record("packet", detail=f"đơn vị {unit.code}, tháng {month:02d}/{year}: "
                                  f"{len(parts)} phiếu ({fmt})")
    return content, stem


def _stored_part(document, data, title):
    stem = FORMS[document.form].metadata(data)["stem"]
    return stored_part(title, f"{safe_filename(stem)}.pdf",
                       stored_file(document.pdf_sha256, document, "pdf"))
