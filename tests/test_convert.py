"""The LibreOffice conversion, with the real soffice: concurrency, time limit, a full queue."""

import subprocess
import threading
import time

import pytest

from app import create_app
from conftest import example, pdf_pages
from forms.convert import ConversionTimeout, Converter, ConverterBusy
from forms.documents import FORMS, make_document
from schemas.phieu_01 import Phieu01Schema


def docx_for(name):
    body = example("phieu-01")
    body["person"]["full_name"] = name
    return make_document(FORMS["phieu-01"], Phieu01Schema().load(body), "docx",
                         settings={"PLACE_NAME": "Nam Từ Liêm"}, converter=None).content


def soffice_processes(marker):
    """Processes whose command line mentions `marker` (a profile or job directory)."""
    out = subprocess.run(["ps", "-eo", "pid,stat,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if marker in line and "ps -eo" not in line]


def test_two_conversions_at_once_both_succeed(client):
    names = ["Lý Thị Hoa", "Đỗ Văn Hùng"]
    results = {}

    def convert(name):
        body = example("phieu-01")
        body["person"]["full_name"] = name
        response = client.application.test_client().post("/api/v1/phieu-01", json=body)
        results[name] = (response.status_code, response.data)

    threads = [threading.Thread(target=convert, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for name in names:
        status, data = results[name]
        assert status == 200
        text = "\n".join(pdf_pages(data))
        assert name in text
        assert [other for other in names if other != name][0] not in text


def test_a_conversion_past_its_limit_is_killed_and_the_next_one_works(tmp_path):
    docx = docx_for("Vũ Minh Tâm")
    converter = Converter(work_dir=tmp_path / "engine", slots=1, timeout=0.2, queue_timeout=5)
    with pytest.raises(ConversionTimeout) as caught:
        converter.convert(docx)
    assert "quá" in caught.value.message
    assert soffice_processes(str(converter.home)) == []  # no stray or zombie soffice
    assert list((converter.home / "jobs").iterdir()) == []  # no temporary file left
    assert converter.status()["timeouts"] == 1

    converter.timeout = 120
    pdf = converter.convert(docx)
    assert "Vũ Minh Tâm" in "\n".join(pdf_pages(pdf))
    assert converter.status()["conversions"] == 1


def test_timeout_through_the_api_is_a_503_in_vietnamese(tmp_path):
    app = create_app({"WORK_DIR": str(tmp_path), "CONVERT_TIMEOUT": 0.2})
    response = app.test_client().post("/api/v1/phieu-01", json=example("phieu-01"))
    assert response.status_code == 503
    assert "giây" in response.json["message"]
    assert int(response.headers["Retry-After"]) > 0


def test_a_full_queue_answers_busy_at_once(tmp_path):
    docx = docx_for("Ngô Thị Lan")
    converter = Converter(work_dir=tmp_path / "engine", slots=1, timeout=120, queue_timeout=0.05)
    first = threading.Thread(target=converter.convert, args=(docx,))
    first.start()
    deadline = time.monotonic() + 10
    while converter.status()["busy"] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    with pytest.raises(ConverterBusy) as caught:
        converter.convert(docx)
    assert time.monotonic() - started < 1
    assert "bận" in caught.value.message
    first.join(timeout=120)
    assert converter.status() | {"soffice": None} == {
        "soffice": None, "slots": 1, "busy": 0, "conversions": 1, "failures": 0, "timeouts": 0}


def test_two_converters_on_one_work_dir_keep_apart(tmp_path):
    first, second = (Converter(work_dir=tmp_path) for _ in range(2))
    assert first.home != second.home and first.home.parent == second.home.parent == tmp_path
    home = second.home
    del second
    assert not home.exists()  # removed with its converter
