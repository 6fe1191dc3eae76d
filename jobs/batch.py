"""The batch issue: all of a unit's Phiếu 01 for a month, from one request, as one job.

`create` validates each form before anything is stored, then stores the job and one item per
form: a valid form's JSON as sent (bounded by its schema), a refused one's reason and no payload
at all; `run` issues every item still pending, a few at a time (one per LibreOffice worker). A bad
form fails alone, with its reason, and the others are issued.

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

KIND = "batch-issue"
FORM = "phieu-01"
STATUS_LABELS = {"queued": "Đang chờ", "running": "Đang phát hành", "done": "Đã xong"}


def create(db, user, forms):
    """A new job for `forms` (dicts as sent), committed; nothing issued yet. Each form is
    validated first: a refused one is stored failed, with its reason and without its payload."""
    job = Job(id=secrets.token_hex(16), kind=KIND, unit_id=user.unit_id, created_by_id=user.id)
    db.add(job)
    for position, form in enumerate(forms):
        try:
            data = SCHEMAS[FORM]().load(form)
        except ValidationError as error:
            db.add(JobItem(job_id=job.id, position=position, label=_label(form), payload="",
                           status="failed", error=_reason(error)))
        else:
            db.add(JobItem(job_id=job.id, position=position,
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


def _reason(error):
    return "; ".join(message for messages in flatten(error.messages).values()
                     for message in messages)


def progress(db, job):
    """{"total", "done", "failed", "pending"} counted from the job's items."""
    counts = dict(db.execute(select(JobItem.status, func.count()).where(JobItem.job_id == job.id)
                             .group_by(JobItem.status)).all())
    done, failed, pending = (counts.get(key, 0) for key in ("done", "failed", "pending"))
    return {"total": done + failed + pending, "done": done, "failed": failed, "pending": pending}


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
            return service.issue(
                db, app.extensions["store"], app.extensions["converter"], app.config, user, FORM,
                data, claim=lambda document: _claim(db, item_id, document),
                audit_note=f" (lô {job.id})")
        except ValidationError as error:  # the schema has since come to refuse it
            db.rollback()
            return _fail(db, item_id, _reason(error))
        except (service.ArchiveError, StoreError) as error:
            db.rollback()
            return _fail(db, item_id, error.message)
        except ConversionError as error:
            db.rollback()
            return error  # not this form's fault: it stays pending


def _claim(db, item_id, document):
    """Marks the item done with its document, in the document's transaction, if still pending."""
    result = db.execute(update(JobItem).where(JobItem.id == item_id, JobItem.status == "pending")
                        .values(status="done", document_id=document.id, error=None))
    return result.rowcount == 1


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
