"""The Celery worker's entry point: `celery -A celery_worker worker -Q phieu --concurrency 1`
(README, docs/JOBS.md).

It builds the service's app once, from the same environment as the service (PHIEU_DATABASE_URL,
PHIEU_DATA_DIR, PHIEU_CELERY_BROKER_URL…), and gives Celery that app's Celery app
(jobs.celery_app). Each pool process, forked from this one, runs jobs with the one app it
inherits, and at its start takes a LibreOffice engine and database connections of its own; its
engine is closed when it ends.
"""

from celery.signals import worker_process_init, worker_process_shutdown

from app import create_app, new_converter

flask_app = create_app({"JOBS_RESUME": False})
if "celery" not in flask_app.extensions:
    raise SystemExit("Chưa đặt PHIEU_CELERY_BROKER_URL (ví dụ redis://127.0.0.1:6379/0): tiến "
                     "trình xử lý Celery không biết nhận công việc từ đâu.")
celery_app = flask_app.extensions["celery"]


@worker_process_init.connect
def _own_engine_and_connections(**_kwargs):
    # The engine made with the app here is never started: its LibreOffice profiles would be
    # shared by every pool process. The pooled connections this process opened (the schema's
    # upgrade) must not be used by two processes at once.
    flask_app.extensions["converter"] = new_converter(flask_app.config)
    flask_app.extensions["database"].engine.dispose(close=False)


@worker_process_shutdown.connect
def _stop_engine(**_kwargs):
    flask_app.extensions["converter"].close()
