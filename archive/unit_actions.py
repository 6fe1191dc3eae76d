"""What the API (api/units.py) and the web pages (web/unit_pages.py) both do with a unit's month,
each then answering in its own way: find the unit, import the roster, issue the tổng hợp from
the archive, make the month's print packet. Each is audited here, once."""

from archive import audit, roster, service
from archive.actions import stored_file
from archive.unit_month import issued_data, latest_forms, unit_by_code
from documents.make import safe_filename
from documents.packet import (
    TONG_HOP_TITLE,
    merge,
    packet_stem,
    person_title,
    stored_part,
    zip_parts,
)
from forms import FORMS


def reachable_unit(db, principal, code, action):
    """The unit of this code if this account may reach it (a unit account its own unit, the
    secretariat any), else None; a refusal is audited, telling another unit from none."""
    found = unit_by_code(db, code)
    if found is None or (principal.role.has_unit and found.id != principal.unit_id):
        audit.record(db, action, "refused", detail=f"đơn vị «{code}»: " + (
            "không có" if found is None else "đơn vị khác"))
        return None
    return found


def import_roster(db, unit, location, rows):
    """Validates every row, then stores them; RosterError (every bad row; audited) or
    ArchiveError. `location` says where the rows came from ("files" or "json")."""
    try:
        members = roster.validate(rows)
    except roster.RosterError as error:
        audit.record(db, "roster.import", "refused",
                     detail=f"đơn vị {unit.code}: {error.message}")
        raise
    summary = roster.replace(db, unit, members)
    audit.record(db, "roster.import",
                 detail=f"đơn vị {unit.code}: {len(members)} người ({location}); "
                        f"thêm {summary['added']}, cập nhật {summary['updated']}"
                        f", giữ {len(summary['kept'])}")
    return summary


def issue_tong_hop(db, store, converter, settings, user, unit, year, month, overrides, *,
                   replaces=None):
    """Builds the unit's tổng hợp from the archive and issues it as `user` (service.issue, a
    service.Issued: the same tổng hợp again is unchanged, another replaces the version named by
    `replaces`); ArchiveError (no Phiếu 01, 422; an unconfirmed replacement, 409) or StoreError
    (disk)."""
    data = roster.tong_hop_from_archive(db, store, unit, year, month,
                                        start=settings["GUIDANCE_START"], **overrides)
    return service.issue(db, store, converter, settings, user, "tong-hop", data,
                         replaces=replaces,
                         audit_note=f", lập từ hồ sơ ({len(data['rows'])} dòng)")


def month_packet(db, store, unit, year, month, *, fmt, duplex):
    """The unit-month's archived forms as one PDF to print (the tổng hợp first, then each Phiếu
    01 in roster order; each the archived PDF/A, its code printed) or a ZIP; (content, file
    stem). ArchiveError 404 when the month has no form."""
    parts = []
    for document in latest_forms(db, unit.id, year, month, form="tong-hop"):
        parts.append(_stored_part(db, store, document, issued_data(store, document),
                                  TONG_HOP_TITLE))
    people = [person for person in roster.month_forms(db, store, unit.id, year, month)
              if person.document is not None]
    for number, person in enumerate(people, start=1):
        parts.append(_stored_part(db, store, person.document, person.data,
                                  person_title(number, person.document.person_name)))
    if not parts:
        raise service.ArchiveError(f"Hồ sơ chưa có phiếu nào của {unit.name} tháng "
                                   f"{month:02d}/{year}.", 404)
    stem = packet_stem(unit.name, month, year, duplex=duplex, fmt=fmt)
    content = zip_parts(parts) if fmt == "zip" else merge(parts, duplex=duplex, title=stem)
    audit.record(db, "packet", detail=f"đơn vị {unit.code}, tháng {month:02d}/{year}: "
                                      f"{len(parts)} phiếu ({fmt})")
    return content, stem


def _stored_part(db, store, document, data, title):
    stem = FORMS[document.form].metadata(data)["stem"]
    return stored_part(title, f"{safe_filename(stem)}.pdf",
                       stored_file(db, store, document.pdf_sha256, document, "pdf"))
