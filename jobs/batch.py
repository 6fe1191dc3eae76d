"""The batch issue: all of a unit's Phiếu 01 for a month, from one request, as one job.

`create` validates each form before anything is stored, then stores the job and one item per
form: a valid form's JSON as sent (bounded by its schema), a refused one's reason and no payload
at all; `run` issues every item still pending, a few at a time (one per LibreOffice worker). A bad
form fails alone, with its reason (by its sheet row, «Dòng 5 (Nguyễn Văn A): …», when it came
from a spreadsheet), and the others are issued.

A person already issued that month is, by default, skipped and left as issued (the item names
the version that stands); with the job's `replace_existing`, their form replaces that version
(service.issue's `replaces`). Either way a form identical to the issued one is `unchanged`.

An item is marked done in the same transaction that commits its document, and only if it was
still pending (archive.service.issue's `claim`). A worker lost in the middle leaves its item
pending, to be issued when the job runs again; two runs of one job never issue an item twice.
"""

import json
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from marshmallow import ValidationError
from sqlalchemy import func, select, update

from archive import service
from archive.models import Job, JobItem, User
from archive.store import StoreError
from office.engine import ConversionError
from schemas import SCHEMAS
from schemas.common import flatten
from sheets.batch import row_of

KIND = "batch-issue"
FORM = "phieu-01"
STATUS_LABELS = {"queued": "Đang chờ", "running": "Đang phát hành", "done": "Đã xong"}
STATUSES = ("done", "failed", "pending", "skipped", "unchanged")  # an item's


def create(db, user, entries, *, replace_existing=False):
    """A new job for `entries` (sheets.batch.SheetForm: a form as sent, with its sheet rows and
    problems if it came from a spreadsheet), committed; nothing issued yet. Each form is
    validated first: a refused one is stored failed, with its reason and without its payload."""
    job = Job(id=secrets.token_hex(16), kind=KIND, unit_id=user.unit_id, created_by_id=user.id,
              replace_existing=replace_existing)
    db.add(job)
    for position, (form, rows, problems) in enumerate(entries):
        row = rows[""] if rows else None
        reason, data = "; ".join(problems), None
        if not reason:  # the sheet's values are right: the schema's turn
            try:
                data = SCHEMAS[FORM]().load(form)
            except ValidationError as error:
                reason = _reason(error, rows, _label(form))
        if reason:
            db.add(JobItem(job_id=job.id, position=position, label=_label(form), payload="",
                           row=row, status="failed", error=reason))
        else:
            db.add(JobItem(job_id=job.id, position=position, row=row,
                           label=data["person"]["full_name"][:200],
                           payload=json.dumps(form, ensure_ascii=False)))
    db.commit()
    return job


def _label(form):
    """The name a refused form gives, as far as it can be shown and stored: printable
    characters only (PostgreSQL stores no NUL)."""
    person = form.get("person") if isinstance(form, dict) else None
    name = person.get("full_name") if isinstance(person, dict) else None
    if not isinstance(name, str):
        return ""
    return "".join(char for char in name if char.isprintable())[:200]


def _reason(error, rows=None, name=""):
    """A schema's refusal in one line; each message prefixed by its sheet row if `rows`."""
    messages = flatten(error.messages)
    if not rows:
        return "; ".join(message for texts in messages.values() for message in texts)
    who = f" ({name})" if name else ""
    return "; ".join(f"Dòng {row_of(rows, path)}{who}: {message}"
                     for path, texts in messages.items() for message in texts)


def progress(db, job):
    """{"total", "done", "failed", "pending", "skipped", "unchanged", "replaced"} counted from
    the job's items ("replaced": those done that replaced a version)."""
    counts = dict(db.execute(select(JobItem.status, func.count()).where(JobItem.job_id == job.id)
                             .group_by(JobItem.status)).all())
    result = {key: counts.get(key, 0) for key in STATUSES}
    result["total"] = sum(result.values())
    result["replaced"] = db.scalar(select(func.count()).where(
        JobItem.job_id == job.id, JobItem.status == "done", JobItem.replaced_id.is_not(None)))
    return result


def run(app, job_id):
    """Issues every pending item of the job; the one function both the service's thread pool
    and the Celery workers call."""
    with app.app_context():
        database = app.extensions["database"]
        with database.sessions() as db:
            job = db.get(Job, job_id)
            if job is None or job.status == "done":
                return
            job.status, job.runs = "running", job.runs + 1
            job.started_at = job.started_at or _now()
            db.commit()
            pending = db.scalars(select(JobItem.id).where(JobItem.job_id == job_id,
                                                          JobItem.status == "pending")
                                 .order_by(JobItem.position)).all()
        workers = app.extensions["converter"].capacity
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for outcome in pool.map(lambda item_id: _issue_item(app, item_id), pending):
                if isinstance(outcome, ConversionError):  # the engine is down: retry later
                    raise outcome
        with database.sessions() as db:
            job = db.get(Job, job_id)
            if not db.scalar(select(func.count()).where(JobItem.job_id == job_id,
                                                        JobItem.status == "pending")):
                job.status, job.finished_at = "done", _now()
                db.commit()


def _issue_item(app, item_id):
    with app.app_context(), app.extensions["database"].sessions() as db:
        item = db.get(JobItem, item_id)
        if item.status != "pending":
            return None
        job = db.get(Job, item.job_id)
        user = db.get(User, job.created_by_id)
        try:
            data = SCHEMAS[FORM]().load(json.loads(item.payload))
            previous, same = service.standing(db, user, FORM, data)
            if previous is not None and (same or not job.replace_existing):
                return _settle(db, item_id, "unchanged" if same else "skipped", previous)
            issued = service.issue(
                db, app.extensions["store"], app.extensions["converter"], app.config, user, FORM,
                data, replaces=previous.version if previous else None,
                claim=lambda document: _claim(db, item_id, document, previous),
                audit_note=f" (lô {job.id})")
            if issued is not None and issued.unchanged:  # issued alike meanwhile
                return _settle(db, item_id, "unchanged", issued.document)
            return issued
        except ValidationError as error:  # the schema has since come to refuse it
            db.rollback()
            return _fail(db, item_id, _reason(error))
        except (service.ArchiveError, StoreError) as error:
            db.rollback()
            return _fail(db, item_id, error.message)
        except ConversionError as error:
            db.rollback()
            return error  # not this form's fault: it stays pending


def _claim(db, item_id, document, previous):
    """Marks the item done with its document, in the document's transaction, if still pending."""
    result = db.execute(update(JobItem).where(JobItem.id == item_id, JobItem.status == "pending")
                        .values(status="done", document_id=document.id, error=None,
                                replaced_id=previous.id if previous else None))
    return result.rowcount == 1


def _settle(db, item_id, status, document):
    """Marks the item skipped or unchanged, naming the version that stands."""
    db.execute(update(JobItem).where(JobItem.id == item_id, JobItem.status == "pending")
               .values(status=status, document_id=document.id))
    db.commit()
    return None


def _fail(db, item_id, message):
    db.execute(update(JobItem).where(JobItem.id == item_id, JobItem.status == "pending")
               .values(status="failed", error=message))
    db.commit()
    return None


def unfinished(db):
    """Ids of the jobs not done: to run again when the service starts (in-process jobs)."""
    return db.scalars(select(Job.id).where(Job.status != "done").order_by(Job.created_at)).all()


def _now():
    return datetime.now(timezone.utc)
