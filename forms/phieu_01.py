"""Phiếu số 01 (one person, one month): the template context built from validated input."""

from forms import common, rules
from forms.common import header_context, keep_whole, or_dots
from forms.layout import DOTS_SHORT, PHIEU_01_COLUMNS_MM
from forms.vocab import (
    IDENTIFICATION_LEVELS,
    IDENTIFICATION_RATINGS,
    MONTHLY_RATINGS,
    NO_SIGN,
    REMEDY_STATUSES,
    SECTIONS,
)

TITLE = "Phiếu số 01"
TEMPLATE = "phieu_01.docx"
EMPTY_ITEM = {"content": "", "self": {}, "authority": {}, "note": ""}


def identification_text(identification):
    """The "Nhận diện biểu hiện" cell: footnote 4's wording, completed by the detail."""
    identification = identification or {}
    level, detail = identification.get("level"), identification.get("detail")
    if level is None:
        return detail or ""
    label = IDENTIFICATION_LEVELS[level]
    if level == NO_SIGN:
        return label if not detail else f"{label} ({detail})"
    return f"{label} {detail or DOTS_SHORT}"


def _assessment_cells(assessment):
    assessment = assessment or {}
    remedy = assessment.get("remedy") or ""
    status = assessment.get("remedy_status")
    if status:
        remedy = f"{remedy}\n({REMEDY_STATUSES[status]})" if remedy else REMEDY_STATUSES[status]
    return {
        "result": assessment.get("result") or "",
        "cause": assessment.get("cause") or "",
        "identification": identification_text(assessment.get("identification")),
        "remedy": remedy,
    }


def _item_cells(item):
    cells = {
        "content": item.get("content") or "",
        "self": _assessment_cells(item.get("self")),
        "authority": _assessment_cells(item.get("authority")),
        "note": item.get("note") or "",
    }
    return {**cells, "whole": keep_whole(_printed(cells))}


def _printed(cells):
    """An item's (text, column width in mm) cells, left to right after TT."""
    texts = [cells["content"], *(cells[who][field] for who in ("self", "authority")
                                 for field in ("result", "cause", "identification", "remedy")),
             cells["note"]]
    return list(zip(texts, PHIEU_01_COLUMNS_MM[1:], strict=True))


def estimated_pages(data):
    """Roughly how many pages the filled form prints (forms.common.estimated_pages)."""
    items = [item for items in (data.get("sections") or {}).values() for item in items or []]
    return common.estimated_pages(_printed(_item_cells(item)) for item in items)


def context(data, settings):
    """A section left empty prints one numbered empty row, to be filled by hand if need be."""
    sections = data.get("sections") or {}
    person = data["person"]
    return {
        **header_context(data, settings["PLACE_NAME"]),
        "person_name": person["full_name"],
        "position": person.get("position") or "",
        "unit_name": data["unit"]["name"],
        "sections": {key: [_item_cells(item) for item in sections.get(key) or [{}]]
                     for key in SECTIONS},
        "monthly_rating": or_dots(MONTHLY_RATINGS.get(data.get("monthly_rating"))),
        "identification_rating": or_dots(
            IDENTIFICATION_RATINGS.get(data.get("identification_rating"))),
        "signer_name": person["full_name"],
    }


def blank_context(settings):
    """The guidance's blank form: dotted lines, two empty rows under each section."""
    return {
        **header_context({}, settings["PLACE_NAME"]),
        "person_name": or_dots(None),
        "position": "",
        "unit_name": or_dots(None),
        "sections": {key: [_item_cells(EMPTY_ITEM)] * 2 for key in SECTIONS},
        "monthly_rating": or_dots(None),
        "identification_rating": or_dots(None),
        "signer_name": "",
    }


def metadata(data):
    """Document properties (PDF title, subject, author) and the file name's stem."""
    period = data.get("period")
    if period is None:
        return {"title": "Phiếu đánh giá, nhận diện (mẫu trống)", "subject": "Phiếu số 01",
                "author": "", "stem": "Phiếu 01 - mẫu trống"}
    month = f"{period['month']:02d}/{period['year']}"
    name = data["person"]["full_name"]
    return {
        "title": f"Phiếu đánh giá, nhận diện - {name} - tháng {month}",
        "subject": f"Phiếu số 01, tháng {month}",
        "author": data["unit"]["name"],
        "stem": f"Phiếu 01 - {name} - tháng {period['month']:02d}-{period['year']}",
    }


check = rules.check_phieu_01
