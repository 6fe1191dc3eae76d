"""The forms' Word templates as data: the built-in ones (templates_docx/, version 0) by default; a
template the secretariat installed, district-wide or for one unit, in their place. Each installed
version is a file of the store and a row of `form_templates`, kept for ever; installing or rolling
back makes one version active for its form and unit. A record stores the version and hash it was
filled from (archive/service.py), so it can be filled again as it was (`of_record`).

The command line (commands/templates.py), the API (api/templates.py) and the page «Mẫu phiếu»
(web/templates_page.py) all come here.
"""

from functools import lru_cache

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from archive import audit
from archive.models import FormTemplate, Unit
from archive.service import ArchiveError
from archive.template_check import TemplateRefused, check, editable, tags
from archive.unit_month import issued_data
from documents.make import make_document
from documents.template import BUILT_IN, built_in, from_bytes, version_label
from forms import FORMS
from forms.template_tags import ROW_LOOPS
from schemas import SCHEMAS


def form_of(slug):
    if slug not in FORMS:
        raise ArchiveError(f"Không có loại phiếu «{slug}»; các loại phiếu: "
                           f"{', '.join(FORMS)}.", 404, field="form")
    return FORMS[slug]


def unit_of(db, code):
    """The unit of this code, or None for no code (district-wide)."""
    if not code:
        return None
    unit = db.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise ArchiveError(f"Không có đơn vị mã «{code}».", 404, field="unit")
    return unit


def _active(db, slug, unit_id):
    return db.scalar(select(FormTemplate).where(
        FormTemplate.form == slug, FormTemplate.unit_id.is_(None) if unit_id is None
        else FormTemplate.unit_id == unit_id, FormTemplate.active)
        .order_by(FormTemplate.version.desc()).limit(1))


def installed(db, slug, unit_id=None):
    """The row of the template that fills form `slug` for this unit (its own, else the
    district's), or None: the built-in one."""
    return (unit_id is not None and _active(db, slug, unit_id)) or _active(db, slug, None)


def current(db, store, slug, unit_id=None):
    """The documents.template.Template that fills form `slug` for the unit `unit_id` (None: a
    form of no unit, or the district's). Its `identity` (version, sha256) names it."""
    row = installed(db, slug, unit_id)
    if row is None:
        return built_in(form_of(slug).TEMPLATE)
    return _stored(store, row.sha256, row.version)


@lru_cache(maxsize=32)
def _stored(store, digest, version):
    """The template kept in the store under `digest`; a missing or altered file is a 503 (the
    administrator's `flask check-files` names it), never a form filled from other bytes. Read
    and checked once: a digest names the same bytes for ever (a refusal is not kept)."""
    try:
        template = from_bytes(store.get(digest), version)
    except OSError:
        template = None
    if template is None or template.sha256 != digest:
        raise ArchiveError(f"Tệp mẫu phiếu ({version_label(version)}) trong kho bị thiếu hoặc "
                           "hỏng; hãy báo quản trị viên (flask check-files).", 503)
    return template


def for_editing(db, store, slug, unit_code=None):
    """(the Template in use for the district or `unit_code`, its bytes to open in Word)."""
    unit = unit_of(db, unit_code)
    template = current(db, store, slug, unit.id if unit else None)
    return template, editable(template.content)


def templates_for(db, store, unit_id):
    """Every form's current template for this unit: slug → Template."""
    return {slug: current(db, store, slug, unit_id) for slug in FORMS}


def of_record(store, document):
    """The Template a record was filled from (None for a record issued before templates were
    kept, which the built-in one filled)."""
    if document.template_sha256 is None:
        return None
    return _stored(store, document.template_sha256, document.template_version)


def refill(store, settings, converter, document, fmt="pdf"):
    """The record made again from its stored data, with its code and its own template: its
    PDF/A, or its DOCX (bytes)."""
    data = SCHEMAS[document.form]().load(issued_data(store, document))
    return make_document(FORMS[document.form], data, fmt, settings=settings,
                         converter=converter, archive_code=document.code, pdfa=True,
                         template=of_record(store, document)).content


def guess_form(content, settings):
    """The form whose row loop the template holds (a template says nothing else of its form),
    or None."""
    try:
        written = " ".join(tags(content, settings)).replace("%}", " %}")
    except TemplateRefused:
        return None
    found = [slug for slug, loops in ROW_LOOPS.items()
             if all(f" in {loop} " in written for loop in loops)]
    return found[0] if len(found) == 1 else None


def install(db, store, converter, settings, slug, content, *, unit_code=None, user=None,
            filename=""):
    """Checks `content` as form `slug`'s template (archive/template_check.py: TemplateRefused,
    nothing changed) and makes it the active one, district-wide or for `unit_code`, as the
    form's next version. Returns (the FormTemplate, template_check.Checked)."""
    form_of(slug)
    unit = unit_of(db, unit_code)
    checked = check(slug, content, settings, converter)
    digest = store.put(checked.content)
    for _attempt in range(3):
        version = (db.scalar(select(func.max(FormTemplate.version))
                             .where(FormTemplate.form == slug)) or 0) + 1
        _deactivate(db, slug, unit)
        row = FormTemplate(form=slug, version=version, unit_id=unit.id if unit else None,
                           sha256=digest, filename=(filename or "")[:255], active=True,
                           installed_by_id=user.id if user else None)
        db.add(row)
        try:
            db.commit()
        except IntegrityError:  # another install took this version
            db.rollback()
            continue
        audit.record(db, "template-install", user=user,
                     detail=f"{slug} bản {version}{_scope(unit)}, {digest[:12]}")
        return row, checked
    raise ArchiveError("Một mẫu khác đang được cài đồng thời; hãy thử lại.", 409)


def rollback(db, slug, version, *, unit_code=None, user=None):
    """Makes version `version` of form `slug` the active one again, for the district or the
    unit it was installed for; version 0 (BUILT_IN) drops the installed ones of `unit_code`'s
    scope (the unit then uses the district's, the district the built-in one). Returns the row
    made active, or None."""
    form_of(slug)
    if version == BUILT_IN:
        unit = unit_of(db, unit_code)
        _deactivate(db, slug, unit)
        row = None
    else:
        row = db.scalar(select(FormTemplate).where(FormTemplate.form == slug,
                                                   FormTemplate.version == version))
        if row is None:
            raise ArchiveError(f"Mẫu «{slug}» không có bản {version}.", 404, field="version")
        unit = row.unit
        if unit_code and (unit is None or unit.code != unit_code):
            raise ArchiveError(f"Bản {version} của mẫu «{slug}» được cài cho "
                               f"{_scope(unit).removeprefix(', ') or 'toàn đảng bộ'}, không "
                               f"phải cho đơn vị «{unit_code}».", 422, field="unit")
        _deactivate(db, slug, unit)
        row.active = True
    db.commit()
    audit.record(db, "template-rollback", user=user,
                 detail=f"{slug} về bản {version}{_scope(unit)}")
    return row


def _deactivate(db, slug, unit):
    db.execute(update(FormTemplate).where(
        FormTemplate.form == slug, FormTemplate.unit_id.is_(None) if unit is None
        else FormTemplate.unit_id == unit.id).values(active=False))


def _scope(unit):
    return f", đơn vị {unit.code}" if unit else ""


def listing(db):
    """Every installed version, by form then newest first."""
    return db.scalars(select(FormTemplate).order_by(FormTemplate.form,
                                                    FormTemplate.version.desc())).all()


def refusal(error):
    """A TemplateRefused as the archive's 422."""
    return ArchiveError("Mẫu chưa dùng được:\n" + "\n".join(f"- {p}" for p in error.problems),
                        422, field="file")

