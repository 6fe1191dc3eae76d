"""Background jobs (the batch issue of a unit's forms), run where the deployment says:

- by default inside the service, on a small thread pool: `make run` needs nothing else, and jobs
  left unfinished by a stopped service are run again when it starts;
- with CELERY_BROKER_URL (or PHIEU_CELERY_BROKER_URL) set, e.g. redis://host:6379/0, on Celery
  workers (`celery -A celery_worker worker`, README), on this machine or others, each worker
  process with its own LibreOffice engine; the Celery app is made by jobs.celery_app.

Both call the same function, jobs.batch.run.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.exc import SQLAlchemyError

from jobs import batch
from jobs.celery_app import RUN_JOB, celery_init_app

log = logging.getLogger(__name__)
RETRY_SECONDS = 30  # after LibreOffice or the database was unavailable


class ThreadRunner:
    """Runs jobs in this process, one at a time (each uses every LibreOffice worker)."""

    def __init__(self, app):
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="job")

    def submit(self, job_id):
        self.pool.submit(self._run, job_id)

    def _run(self, job_id):
        try:
            batch.run(self.app, job_id)
        except Exception as error:  # noqa: BLE001 - a job thread must not die silently
            # Its kind only: the text of a database error holds the statement's parameters (a
            # form's data). The traceback at DEBUG level.
            log.error("job %s stopped (%s); it will be run again in %s s", job_id,
                      type(error).__name__, RETRY_SECONDS)
            log.debug("traceback of job %s", job_id, exc_info=True)
            self._later(self.submit, job_id)

    def resume(self):
        """Runs again the jobs a stopped service left unfinished; in the background, so that the
        service starts even while its database is unreachable (then it tries again later)."""
        self.pool.submit(self._resume)

    def _resume(self):
        try:
            with self.app.extensions["database"].sessions() as db:
                unfinished = batch.unfinished(db)
        except SQLAlchemyError as error:
            log.warning("unfinished jobs not looked for (%s); again in %s s",
                        type(error).__name__, RETRY_SECONDS)
            self._later(self.resume)
            return
        for job_id in unfinished:
            log.info("job %s was not finished: running it again", job_id)
            self.submit(job_id)

    @staticmethod
    def _later(function, *args):
        timer = threading.Timer(RETRY_SECONDS, function, args=args)
        timer.daemon = True
        timer.start()


class CeleryRunner:
    """Sends jobs to the Celery workers; the broker keeps a job until a worker has finished it."""

    def __init__(self, celery):
        self.task = celery.tasks[RUN_JOB]

    def submit(self, job_id):
        self.task.delay(job_id)

    def resume(self):
        pass  # the broker redelivers what a lost worker had not acknowledged


def init_app(app):
    if app.config.get("CELERY_BROKER_URL"):
        runner = CeleryRunner(celery_init_app(app))
    else:
        runner = ThreadRunner(app)
    app.extensions["jobs"] = runner
    if app.config.get("JOBS_RESUME", True):
        runner.resume()


def submit(app, job_id):
    app.extensions["jobs"].submit(job_id)
