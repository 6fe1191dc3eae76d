"""Batch issue as a background job, on the service's own thread pool (the default): a JSON array
or a spreadsheet in, a job id at once, progress on GET /api/v1/jobs/<id>; a bad form fails alone
with its reason; a job interrupted and run again (or run twice at once) issues each form once.
Real LibreOffice, SQLite and PostgreSQL."""

import threading
import time

import pytest
from sqlalchemy import func, select
from test_batch_sheet import ROWS, filled_template

from archive.models import Document, Job, JobItem, User
from conftest import example, unit_b_body
from jobs import batch
from sheets.batch import SheetForm

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]


def _forms(names=NAMES):
    forms = []
    for name in names:
        body = example("phieu-01")
        body["person"]["full_name"] = name
        forms.append(body)
    return forms


def wait_done(archive, location, who="unit_a", timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = archive.get(location, who).json
        if status["status"] == "done":
            return status
        time.sleep(0.2)
    raise AssertionError(f"job not done in {timeout} s: {status}")


def _documents(archive):
    with archive.sessions() as db:
        return db.execute(select(Document.person_name, Document.version)
                          .where(Document.form == "phieu-01")
                          .order_by(Document.person_name)).all()


def test_a_batch_answers_at_once_and_a_bad_form_fails_alone_with_its_reason(archive):
    forms = _forms()
    forms.insert(1, {**example("phieu-01"), "person": {"position": "Chuyên viên"}})
    forms.insert(3, unit_b_body(_forms(["Phạm Thị Dung"])[0]))
    started = time.monotonic()
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a", json={"forms": forms})
    assert response.status_code == 202, response.json
    assert time.monotonic() - started < 2, "the reply does not wait for the forms"
    assert response.json["total"] == 5
    assert response.headers["Location"] == f"/api/v1/jobs/{response.json['id']}"

    status = wait_done(archive, response.headers["Location"])
    assert (status["total"], status["done"], status["failed"], status["pending"]) == (5, 3, 2, 0)
    reasons = {failure["position"]: failure["error"] for failure in status["failures"]}
    assert reasons[1] == "Họ và tên: không được để trống"
    assert reasons[3].startswith("Đơn vị: «Phòng Tài chính - Kế hoạch» không phải đơn vị")
    assert [item["status"] for item in status["items"]] == [
        "done", "failed", "done", "failed", "done"]
    assert all(item["document"].startswith("/api/v1/documents/")
               for item in status["items"] if item["status"] == "done")
    assert _documents(archive) == sorted((name, 1) for name in NAMES)
    assert status["status_label"] == "Đã xong"


def test_a_spreadsheet_batch_takes_the_month_from_the_form_and_the_unit_from_the_account(archive):
    response = archive.post("/api/v1/jobs/batch-issue/spreadsheet", "unit_a", data={
        "file": (__import__("io").BytesIO(filled_template(ROWS)), "lo.xlsx"),
        "month": "10", "year": "2026", "signed_on": "2026-10-24", "head_name": "Trần Văn Bình"})
    assert response.status_code == 202, response.json
    status = wait_done(archive, response.headers["Location"])
    assert (status["done"], status["failed"]) == (2, 0)
    with archive.sessions() as db:
        documents = db.scalars(select(Document).order_by(Document.person_search)).all()
        assert [(d.person_name, d.month, d.year) for d in documents] == [
            ("Lê Thị Bình", 10, 2026), ("Nguyễn Văn An", 10, 2026)]


def _stored_json(archive, person_name):
    with archive.sessions() as db:
        document = db.scalars(select(Document).where(Document.person_name == person_name)
                              .order_by(Document.version.desc())).first()
        return document.version, __import__("json").loads(archive.store.get(document.json_sha256))


def _issued_before(archive):
    """An issued with a detailed form (two items more than the batch's), Cường with exactly
    the batch's form."""
    an, _, cuong = _forms()
    detailed = __import__("copy").deepcopy(an)
    detailed["sections"]["tasks"] = detailed["sections"].get("tasks", []) + [
        {"content": "Việc riêng thứ nhất"}, {"content": "Việc riêng thứ hai"}]
    first = archive.issue(detailed)
    assert archive.issue(cuong)["version"] == 1
    return first, detailed


def test_a_batch_by_default_skips_people_already_issued_and_names_their_version(archive):
    first, detailed = _issued_before(archive)
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a", json={"forms": _forms()})
    assert response.status_code == 202, response.json
    assert response.json["replace_existing"] is False
    status = wait_done(archive, response.headers["Location"])
    assert (status["total"], status["done"], status["skipped"], status["unchanged"],
            status["replaced"], status["failed"]) == (3, 1, 1, 1, 0, 0)
    assert [(item["label"], item["status"], item["version"]) for item in status["items"]] == [
        ("Nguyễn Văn An", "skipped", 1), ("Trần Thị Bình", "done", 1),
        ("Lê Văn Cường", "unchanged", 1)]
    skipped, = status["skipped_forms"]
    assert (skipped["label"], skipped["version"], skipped["document"]) == (
        "Nguyễn Văn An", 1, f"/api/v1/documents/{first['id']}")
    assert status["replaced_forms"] == []
    # An's detailed form stands as it was issued.
    version, data = _stored_json(archive, "Nguyễn Văn An")
    assert version == 1 and data["sections"] == detailed["sections"]
    assert _documents(archive) == sorted((name, 1) for name in NAMES)


def test_a_batch_told_to_replace_names_each_replaced_version(archive):
    _issued_before(archive)
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a",
                            json={"forms": _forms(), "replace_existing": True})
    assert response.status_code == 202, response.json
    status = wait_done(archive, response.headers["Location"])
    assert (status["done"], status["replaced"], status["skipped"], status["unchanged"]) == (
        2, 1, 0, 1)
    replaced, = status["replaced_forms"]
    assert (replaced["label"], replaced["replaced_version"], replaced["version"]) == (
        "Nguyễn Văn An", 1, 2)
    version, data = _stored_json(archive, "Nguyễn Văn An")
    assert version == 2 and data["sections"] == _forms()[0]["sections"]
    assert archive.post("/api/v1/jobs/batch-issue", "unit_a", json={
        "forms": _forms(), "replace_existing": "có"}).json["errors"]["json"] == {
        "replace_existing": ["Thay phiếu đã phát hành: chỉ nhận true hoặc false"]}


def test_a_spreadsheet_batch_refuses_only_the_form_of_a_bad_row_naming_the_row(archive):
    from test_batch_sheet import row
    bad = [*ROWS, row(full_name="Nguyễn Văn An", section="IX", content="Nội dung lạc mục"),
           row(full_name="Phạm Văn Dũng", section="I", content="a" * 2001)]
    response = archive.post("/api/v1/jobs/batch-issue/spreadsheet", "unit_a", data={
        "file": (__import__("io").BytesIO(filled_template(bad)), "lo.xlsx"),
        "month": "10", "year": "2026"})
    assert response.status_code == 202, response.json
    status = wait_done(archive, response.headers["Location"])
    assert (status["done"], status["failed"]) == (1, 2)
    failures = {failure["label"]: failure for failure in status["failures"]}
    an, dung = failures["Nguyễn Văn An"], failures["Phạm Văn Dũng"]
    assert an["row"] == 4 and an["error"] == (
        "Dòng 8 (Nguyễn Văn An): «Mục» ghi «IX», không có trong phiếu; hãy ghi một trong: I, "
        "II.1, II.2, III, IV.")
    assert dung["row"] == 9 and dung["error"].startswith("Dòng 9 (Phạm Văn Dũng): Nội dung: ")
    with archive.sessions() as db:
        assert db.scalars(select(Document.person_name)).all() == ["Lê Thị Bình"]


def test_a_spreadsheet_batch_takes_the_choice_to_replace(archive):
    data = {"month": "10", "year": "2026"}
    first = archive.post("/api/v1/jobs/batch-issue/spreadsheet", "unit_a", data={
        **data, "file": (__import__("io").BytesIO(filled_template(ROWS[:1])), "lo.xlsx")})
    assert wait_done(archive, first.headers["Location"])["done"] == 1
    again = archive.post("/api/v1/jobs/batch-issue/spreadsheet", "unit_a", data={
        **data, "replace_existing": "true",
        "file": (__import__("io").BytesIO(filled_template(ROWS)), "lo.xlsx")})
    status = wait_done(archive, again.headers["Location"])
    assert status["replace_existing"] is True
    assert [(item["label"], item["status"], item["replaced_version"], item["version"])
            for item in status["items"]] == [
        ("Nguyễn Văn An", "done", 1, 2), ("Lê Thị Bình", "done", None, 1)]


@pytest.mark.parametrize("body, message", [
    ({"forms": []}, "chưa có phiếu nào"),
    ({"forms": "abc"}, "Danh sách phiếu"),
    ([], "JSON"),
    ({"forms": [{}] * 1001}, "1000"),
    ({"forms": [{}, "không phải phiếu"]}, "Phiếu: phải là một đối tượng JSON"),
])
def test_a_batch_that_is_not_a_list_of_forms_is_refused_whole(archive, body, message):
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a", json=body)
    assert response.status_code == 422
    assert message in response.json["message"]
    assert archive.count(Job) == 0


def test_a_spreadsheet_that_cannot_be_read_is_refused_with_the_reason(archive):
    response = archive.post("/api/v1/jobs/batch-issue/spreadsheet", "unit_a", data={
        "file": (__import__("io").BytesIO(b"%PDF-1.4 not a sheet"), "lo.xlsx"),
        "month": "10", "year": "2026"})
    assert response.status_code == 422
    assert "không phải bảng tính" in response.json["message"]
    response = archive.post("/api/v1/jobs/batch-issue/spreadsheet", "unit_a", data={
        "file": (__import__("io").BytesIO(filled_template(ROWS)), "lo.xlsx"), "month": "13",
        "year": "2026"})
    assert response.status_code == 422
    assert "Tháng" in response.json["message"]
    assert archive.count(Job) == 0


def test_who_may_send_and_read_a_job(archive):
    assert archive.post("/api/v1/jobs/batch-issue", None, json={"forms": _forms()}).status_code \
        == 401
    assert archive.post("/api/v1/jobs/batch-issue", "secretariat",
                        json={"forms": _forms()}).status_code == 403
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a", json={"forms": _forms()[:1]})
    location = response.headers["Location"]
    wait_done(archive, location)
    assert archive.get(location, "unit_b").status_code == 404
    assert archive.get(location, "unit_b").json["message"] == archive.get(
        "/api/v1/jobs/khong-co", "unit_b").json["message"]
    assert archive.get(location, "secretariat").status_code == 200
    assert archive.get(location, "admin").status_code == 403


def test_template_download(archive):
    response = archive.client.get("/api/v1/jobs/batch-issue/template.xlsx")
    assert response.status_code == 200
    assert response.data.startswith(b"PK")
    assert "filename*=UTF-8''M%E1%BA%ABu" in response.headers["Content-Disposition"]


def _job(archive, names):
    with archive.sessions() as db:
        user = db.scalar(select(User).where(User.username == "unit_a"))
        return batch.create(db, user, [SheetForm(form) for form in _forms(names)]).id


def test_an_interrupted_job_runs_again_at_start_and_issues_only_what_was_left(archive):
    """A job with one form already issued (its item done) and the rest pending, as a service
    stopped mid-batch leaves it: the runner's resume, at start, issues the rest once."""
    job_id = _job(archive, NAMES)
    with archive.sessions() as db:
        first = db.scalar(select(JobItem).where(JobItem.job_id == job_id,
                                                JobItem.position == 0))
        db.delete(first)  # stands for: issued before the stop
        db.commit()
    archive.app.extensions["jobs"].resume()
    status = wait_done(archive, f"/api/v1/jobs/{job_id}")
    assert (status["done"], status["failed"]) == (2, 0)
    assert _documents(archive) == sorted((name, 1) for name in NAMES[1:])


def test_two_runs_of_one_job_at_once_issue_each_form_once(archive):
    names = [f"Người số {number}" for number in range(6)]
    job_id = _job(archive, names)
    runs = [threading.Thread(target=batch.run, args=(archive.app, job_id)) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(120)
    assert _documents(archive) == sorted((name, 1) for name in names)
    with archive.sessions() as db:
        assert db.scalar(select(func.count()).where(JobItem.job_id == job_id,
                                                    JobItem.status == "done")) == 6
        assert db.get(Job, job_id).status == "done"
