"""The same batch jobs on Celery: a real Redis server (scripts/test-redis.sh, started by `make
test`) and a real worker process started here, with its own LibreOffice engine, on the test's
database and files. Its pool process is killed in the middle of a job: the broker gives the job
back, a new process resumes it, and every form is issued exactly once."""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from test_jobs import _forms, wait_done

from archive.models import Document, Job
from conftest import ARCHIVE_BACKENDS, Archive, new_archive_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=ARCHIVE_BACKENDS)
def celery_app(request, app, tmp_path_factory):
    broker = os.environ.get("TEST_REDIS_URL")
    if not broker:
        pytest.skip("TEST_REDIS_URL is not set; `make test` starts Redis and sets it")
    queue = f"phieu-test-{os.getpid()}-{secrets.token_hex(4)}"
    yield from new_archive_app(request, app, tmp_path_factory, CELERY_BROKER_URL=broker,
                               CELERY_QUEUE=queue)


@pytest.fixture(scope="module")
def worker(celery_app, tmp_path_factory):
    """`celery -A celery_worker worker` for this app's database and files, one pool process."""
    config = celery_app.config
    log = (tmp_path_factory.mktemp("celery") / "worker.log").open("wb")
    env = {**os.environ, "PHIEU_DATABASE_URL": config["DATABASE_URL"],
           "PHIEU_DATA_DIR": config["DATA_DIR"], "PHIEU_WORK_DIR": config["WORK_DIR"],
           "PHIEU_CELERY_BROKER_URL": config["CELERY_BROKER_URL"],
           "PHIEU_CELERY_QUEUE": config["CELERY_QUEUE"], "PHIEU_CONVERT_WORKERS": "1",
           "PHIEU_DATABASE_AUTO_UPGRADE": "false"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_worker", "worker", "--pool", "prefork",
         "--concurrency", "1", "-Q", config["CELERY_QUEUE"], "--loglevel", "INFO",
         "-n", f"{config['CELERY_QUEUE']}@%h", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()


@pytest.fixture
def archive(celery_app, worker):
    return Archive(celery_app)


def _pool_process(worker):
    """The worker's pool process (the one that runs tasks): the main process's child."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def test_a_batch_runs_on_the_celery_worker(archive, worker):
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a",
                            json={"forms": _forms() + [{"person": {}}]})
    assert response.status_code == 202, response.json
    status = wait_done(archive, response.headers["Location"], timeout=180)
    assert (status["done"], status["failed"]) == (3, 1)
    assert status["failures"][0]["error"].startswith("Đơn vị: không được để trống")


def test_a_worker_killed_mid_job_loses_no_form_and_issues_none_twice(archive, worker):
    names = [f"Người thứ {number:02d}" for number in range(10)]
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a", json={"forms": _forms(names)})
    location = response.headers["Location"]
    deadline = time.monotonic() + 180
    while archive.get(location, "unit_a").json["done"] < 2:
        assert time.monotonic() < deadline, "the worker issued nothing"
        time.sleep(0.05)
    victim = _pool_process(worker)
    os.kill(victim, signal.SIGKILL)
    interrupted = archive.get(location, "unit_a").json
    assert interrupted["done"] < 10, "killed while the job still had forms to issue"

    status = wait_done(archive, location, timeout=240)
    assert (status["done"], status["failed"]) == (10, 0)
    assert _pool_process(worker) != victim
    with archive.sessions() as db:
        documents = db.execute(select(Document.person_name, Document.version)
                               .order_by(Document.person_name)).all()
        assert documents == [(name, 1) for name in names]
        assert db.get(Job, response.json["id"]).runs >= 2
