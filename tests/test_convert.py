"""The conversion engine with the real LibreOffice: warm workers, a bounded queue, time limits,
crashes and renewals. Each case checks what the caller gets, that no process or file is left
behind, and that the engine serves again."""

import copy
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app import create_app
from conftest import example, make_app, pdf_pages
from documents.make import make_document
from forms import FORMS
from office.engine import (
    ConversionTimeout,
    Converter,
    ConverterBusy,
    ConverterMissing,
    QueueTimeout,
)
from schemas.phieu_01 import Phieu01Schema
from schemas.tong_hop import TongHopSchema

SETTINGS = {"PLACE_NAME": "Nam Từ Liêm"}


def phieu_docx(name):
    body = example("phieu-01")
    body["person"]["full_name"] = name
    return make_document(FORMS["phieu-01"], Phieu01Schema().load(body), "docx",
                         settings=SETTINGS, converter=None).content


@pytest.fixture(scope="module")
def long_docx():
    """A 150-row tổng hợp (some 90 pages, within PHIEU_MAX_FORM_PAGES): long enough to convert
    (seconds) to act during it."""
    body = example("tong-hop")
    body["rows"] = [{"full_name": f"Cán bộ số {i}", "shortcomings": "Tồn tại " * 30,
                     "rating": "tot"} for i in range(150)]
    return make_document(FORMS["tong-hop"], TongHopSchema().load(body), "docx",
                         settings=SETTINGS, converter=None).content


@pytest.fixture
def engine(tmp_path):
    converters = []

    def make(**options):
        converter = Converter(work_dir=tmp_path, **options)
        converters.append(converter)
        return converter

    yield make
    for converter in converters:
        converter.close()
        assert not converter.home.exists()
    assert_no_leftover_processes(converters)


def assert_no_leftover_processes(converters):
    """No soffice or helper of these converters runs, and no child of ours is a zombie."""
    out = subprocess.run(["ps", "-eo", "pid,ppid,stat,args"], capture_output=True,
                         text=True).stdout.splitlines()[1:]
    homes = [str(c.home) for c in converters]
    for line in out:
        pid, ppid, stat, args = line.split(None, 3)
        assert not any(home in args for home in homes), line
        assert not (int(ppid) == os.getpid() and stat.startswith("Z")), line


def ready(converter, timeout=60):
    converter.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = converter.status()
        if all(w["state"] == "idle" for w in status["workers"]):
            return status
        time.sleep(0.05)
    raise AssertionError(f"engine not ready: {converter.status()}")


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def in_thread(function, *args):
    result = {}

    def run():
        try:
            result["value"] = function(*args)
        except Exception as error:  # handed to the test to assert on
            result["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_warm_workers_convert_and_report_their_state(engine):
    converter = engine(workers=2)
    status = ready(converter)
    assert status["ready"] and len({w["soffice_pid"] for w in status["workers"]}) == 2
    pdf = converter.convert(phieu_docx("Lý Thị Hoa"))
    assert "Lý Thị Hoa" in "\n".join(pdf_pages(pdf))
    assert converter.status()["conversions"] == 1
    assert sorted(os.listdir(converter.home)) == ["profile-0", "profile-1"]  # no temp files


def test_pdfa_2b_is_available(engine):
    converter = engine(workers=1)
    pdf = converter.convert(phieu_docx("Lý Thị Hoa"), pdfa=True)
    assert b"pdfaid:part" in pdf and b"pdfaid:conformance" in pdf
    assert b"<pdfaid:part>2</pdfaid:part>" in pdf or b'pdfaid:part="2"' in pdf


def test_soffice_killed_mid_conversion_is_replaced_and_the_request_retried(engine, long_docx):
    converter = engine(workers=2)
    ready(converter)
    thread, result = in_thread(converter.convert, long_docx)
    wait_for(lambda: any(w.state == "busy" for w in converter.workers))
    victim = next(w for w in converter.workers if w.state == "busy")
    old_pid = victim.soffice_pid
    time.sleep(0.2)
    os.kill(old_pid, signal.SIGKILL)
    thread.join(timeout=120)
    assert "error" not in result, result
    assert "Cán bộ số 149" in "\n".join(pdf_pages(result["value"]))
    status = converter.status()
    assert status["crashes"] == 1 and status["retries"] == 1
    wait_for(lambda: victim.state == "idle")
    assert victim.restarts == 1 and victim.soffice_pid != old_pid
    assert not Path(f"/proc/{old_pid}").exists()
    assert converter.convert(phieu_docx("Đỗ Văn Hùng"))


def test_soffice_killed_while_idle_is_noticed_and_replaced(engine):
    converter = engine(workers=1)
    ready(converter)
    worker = converter.workers[0]
    old_pid = worker.soffice_pid
    os.kill(old_pid, signal.SIGKILL)
    wait_for(lambda: worker.restarts == 1 and worker.state == "idle", timeout=30)
    assert worker.soffice_pid != old_pid
    assert "Đỗ Văn Hùng" in "\n".join(pdf_pages(converter.convert(phieu_docx("Đỗ Văn Hùng"))))


def test_conversion_past_its_limit_is_killed_then_the_next_one_succeeds(engine, long_docx):
    converter = engine(workers=1, timeout=0.3)
    ready(converter)
    old_pid = converter.workers[0].soffice_pid
    started = time.monotonic()
    with pytest.raises(ConversionTimeout) as caught:
        converter.convert(long_docx)
    assert time.monotonic() - started < 5
    assert "0.3 giây" in caught.value.message
    assert converter.status()["timeouts"] == 1
    converter.timeout = 120
    pdf = converter.convert(phieu_docx("Vũ Minh Tâm"))
    assert "Vũ Minh Tâm" in "\n".join(pdf_pages(pdf))
    assert converter.workers[0].restarts == 1 and not Path(f"/proc/{old_pid}").exists()


def test_a_full_queue_is_refused_at_once_and_running_work_finishes(engine, long_docx):
    converter = engine(workers=1, queue_size=1)
    ready(converter)
    first, first_result = in_thread(converter.convert, long_docx)
    wait_for(lambda: converter.workers[0].state == "busy")
    second, second_result = in_thread(converter.convert, phieu_docx("Ngô Thị Lan"))
    wait_for(lambda: converter.status()["queue"]["waiting"] == 1)
    started = time.monotonic()
    with pytest.raises(ConverterBusy) as caught:
        converter.convert(phieu_docx("Ngô Thị Lan"))
    assert time.monotonic() - started < 0.5
    assert caught.value.retry_after > 0 and "bận" in caught.value.message
    first.join(timeout=120)
    second.join(timeout=120)
    assert "value" in first_result and "value" in second_result


def test_waiting_too_long_is_told_so_without_stopping_the_running_conversion(engine, long_docx):
    converter = engine(workers=1, queue_timeout=0.2)
    ready(converter)
    first, first_result = in_thread(converter.convert, long_docx)
    wait_for(lambda: converter.workers[0].state == "busy")
    with pytest.raises(QueueTimeout) as caught:
        converter.convert(phieu_docx("Ngô Thị Lan"))
    assert "Đã chờ" in caught.value.message
    first.join(timeout=120)
    assert "value" in first_result
    assert converter.status()["timeouts"] == 0


def test_worker_renewed_after_n_conversions_without_failing_a_request(engine):
    converter = engine(workers=1, max_conversions=2)
    ready(converter)
    worker = converter.workers[0]
    pids = []
    for name in ("Một", "Hai", "Ba"):
        wait_for(lambda: worker.state == "idle")
        pids.append(worker.soffice_pid)
        assert name in "\n".join(pdf_pages(converter.convert(phieu_docx(f"Người {name}"))))
    assert pids[0] == pids[1] != pids[2]
    assert worker.restarts == 1


def test_worker_renewed_when_its_memory_passes_the_threshold(engine):
    converter = engine(workers=1, max_memory_mb=1)
    ready(converter)
    for name in ("Một", "Hai"):
        assert converter.convert(phieu_docx(f"Người {name}"))
    wait_for(lambda: converter.workers[0].restarts == 2)


def test_without_libreoffice_the_engine_says_so(engine):
    converter = engine(soffice="/nonexistent/soffice.bin")
    with pytest.raises(ConverterMissing) as caught:
        converter.convert(phieu_docx("A"))
    assert "LibreOffice" in caught.value.message
    assert converter.status()["ready"] is False


def test_fifty_concurrent_requests_get_correct_distinct_pdfs(app):
    names = [f"Nguyễn Văn Số {i:02d}" for i in range(50)]
    results = {}

    def post(name):
        body = example("phieu-01")
        body["person"]["full_name"] = name
        response = app.test_client().post("/api/v1/phieu-01", json=copy.deepcopy(body))
        results[name] = (response.status_code, response.data)

    threads = [threading.Thread(target=post, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert {status for status, _ in results.values()} == {200}
    for name, (_, pdf) in results.items():
        text = "\n".join(pdf_pages(pdf))
        assert name in text
        assert sum(other in text for other in names) == 1


def test_timeout_through_the_api_is_a_503_in_vietnamese(tmp_path, long_docx):
    app = make_app(tmp_path, CONVERT_TIMEOUT=0.2, CONVERT_WORKERS=1)
    body = example("tong-hop")
    body["rows"] = [{"full_name": f"Cán bộ {i}", "shortcomings": "Tồn tại " * 30}
                    for i in range(150)]
    response = app.test_client().post("/api/v1/tong-hop", json=body)
    assert response.status_code == 503
    assert response.json["message"].startswith("Chuyển sang PDF quá 0.2 giây")
    assert int(response.headers["Retry-After"]) > 0
    app.extensions["converter"].close()


def test_readiness_reports_each_worker(client):
    wait_for(lambda: client.get("/readyz").status_code == 200)
    body = client.get("/readyz").json
    workers = body["converter"]["workers"]
    assert len(workers) >= 1
    assert {"state", "conversions", "restarts", "soffice_pid", "rss_mb"} <= set(workers[0])
    assert body["converter"]["queue"]["size"] == 100


def test_without_python3_uno_the_engine_says_so(engine):
    converter = engine(python=sys.executable)  # the venv's Python: no uno
    with pytest.raises(ConverterMissing) as caught:
        converter.convert(phieu_docx("A"))
    assert "python3-uno" in caught.value.message


def test_libreoffice_runs_below_the_web_tier_s_cpu_priority(engine):
    """PHIEU_CONVERT_NICE: with every core converting, reads still get the CPU first."""
    converter = engine(workers=1, nice=7)
    worker = ready(converter)["workers"][0]
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, worker["soffice_pid"]) == min(own + 7, 19)
    assert "Lý Thị Hoa" in "\n".join(pdf_pages(converter.convert(phieu_docx("Lý Thị Hoa"))))


@pytest.mark.parametrize("value", ["20", "-1", "nhanh"])
def test_a_cpu_priority_out_of_range_stops_the_service_with_a_vietnamese_message(
        monkeypatch, value):
    monkeypatch.setenv("PHIEU_CONVERT_NICE", value)
    with pytest.raises(RuntimeError, match="PHIEU_CONVERT_NICE phải là số nguyên từ 0 đến 19"):
        create_app({"DATABASE_URL": "sqlite://"})
