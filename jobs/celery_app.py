"""The Celery side of the jobs: `celery -A jobs.celery_app worker -Q phieu --concurrency 1`.

The worker builds the service's app once per process (its settings from the same environment as
the service: PHIEU_DATABASE_URL, PHIEU_DATA_DIR, PHIEU_CELERY_BROKER_URL…), so each worker process
has its own LibreOffice engine, and runs jobs.batch.run, the same function as the in-process
path. Tasks are acknowledged only once done, and given back to the queue if the process running
one dies (acks_late, reject_on_worker_lost): the job then resumes with its pending items.
"""

import os

from celery import Celery
from celery.signals import worker_process_shutdown

from jobs import batch

# A task not acknowledged within this many seconds (its worker vanished with the machine) is
# given to another worker; a job that takes longer is then run twice at once, which is safe
# (items are claimed) but wasteful: keep it above the longest batch.
VISIBILITY_TIMEOUT = int(os.environ.get("PHIEU_CELERY_VISIBILITY_TIMEOUT", 3600))

celery = Celery("phieu")
celery.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
)
_app = None


def configure(broker_url, queue=None):
    celery.conf.broker_url = broker_url
    celery.conf.task_default_queue = queue or "phieu"


configure(os.environ.get("PHIEU_CELERY_BROKER_URL") or os.environ.get("CELERY_BROKER_URL"),
          os.environ.get("PHIEU_CELERY_QUEUE"))


def flask_app():
    """This worker process's app, made on its first task."""
    global _app
    if _app is None:
        from app import create_app

        _app = create_app({"JOBS_RESUME": False})
    return _app


@celery.task(name="phieu.run_job", bind=True, max_retries=20)
def run_job(self, job_id):
    try:
        batch.run(flask_app(), job_id)
    except Exception as error:  # LibreOffice or the database unavailable: try again later
        raise self.retry(exc=error, countdown=30) from error


@worker_process_shutdown.connect
def _stop_engine(**_kwargs):
    if _app is not None:
        _app.extensions["converter"].close()
