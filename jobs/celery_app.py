"""Celery, wired the way Flask's documentation shows ("Background Tasks with Celery"):
`celery_init_app(app)` makes a Celery app from the app's settings (CELERY_BROKER_URL,
CELERY_QUEUE, CELERY_VISIBILITY_TIMEOUT), whose tasks run inside the app's context, and keeps it
in app.extensions["celery"]. The service sends jobs through it (jobs.CeleryRunner); the workers,
started from celery_worker.py (`celery -A celery_worker worker -Q phieu --concurrency 1`), run
them with jobs.batch.run, the same function as the in-process path.

A task is acknowledged only once done, and given back to the queue if the process running it
dies (acks_late, reject_on_worker_lost): the job then resumes with its pending items. A task that
fails (LibreOffice or the database unavailable) is tried again RETRY_SECONDS later, up to
MAX_RETRIES times.
"""

from celery import Celery, Task

from jobs import batch

RUN_JOB = "phieu.run_job"  # the task's name on the broker: queued jobs outlive an upgrade
RETRY_SECONDS = 30
MAX_RETRIES = 20


def celery_init_app(app):
    """The Celery app of this Flask app, with its one task, RUN_JOB."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    # Not made the process's default Celery app (set_default): a test process holds several
    # apps, each with its own queue, and each runner sends through its own.
    celery = Celery("phieu", task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        task_default_queue=str(app.config["CELERY_QUEUE"]),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # A task not acknowledged within this many seconds (its worker vanished with the
        # machine) is given to another worker; a job that takes longer is then run twice at
        # once, which is safe (items are claimed) but wasteful: keep it above the longest batch.
        broker_transport_options={
            "visibility_timeout": int(app.config["CELERY_VISIBILITY_TIMEOUT"])},
    )

    # shared=False: the task is this app's own (it runs jobs of this app), never copied into
    # another Celery app made in the same process.
    @celery.task(name=RUN_JOB, bind=True, max_retries=MAX_RETRIES, shared=False)
    def run_job(self, job_id):
        try:
            batch.run(app, job_id)
        except Exception as error:  # LibreOffice or the database unavailable: try again later
            raise self.retry(exc=error, countdown=RETRY_SECONDS) from error

    app.extensions["celery"] = celery
    return celery
