"""Generated API tests: schemathesis reads the service's own /openapi.json and sends every
operation generated requests, valid (positive) and invalid (negative), with an API key of the
role the operation is for and without any, to the Flask app in-process.

Checks on every response: no 500; a status and a content type the operation's spec describes
(no catch-all "default" response: each status is listed); a body matching the described schema;
every error body in the documented shape (`code`, `status`, `message`, and `errors` on a 422),
its message Vietnamese text in NFC.

The CI run is a few hundred examples (docs/RELIABILITY.md, "Generated API tests"); the
operations that convert with LibreOffice get few. TEST_API_EXAMPLES_SCALE=10 multiplies every
budget for a longer run.
"""

import math
import os
import unicodedata

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import ARCHIVE_BACKENDS, Archive, example, new_archive_app

SCALE = float(os.environ.get("TEST_API_EXAMPLES_SCALE", "1"))

# Every operation of the spec: who calls it (an account of that role; a unit account acts for
# its own unit, noi-vu) and how many examples each mode gets, positive and negative. Heavy ones
# (a LibreOffice conversion for a valid request) get few; a test below fails when the spec has an
# operation this table does not list.
LIGHT, HEAVY = (25, 25), (3, 8)
OPERATIONS = {
    "GET /healthz": ("unit_a", (5, 5)),
    "GET /readyz": ("unit_a", (3, 3)),
    "POST /api/v1/phieu-01": ("unit_a", HEAVY),
    "GET /api/v1/phieu-01/blank": ("unit_a", (2, 6)),
    "POST /api/v1/phieu-01/validate": ("unit_a", LIGHT),
    "POST /api/v1/tong-hop": ("unit_a", HEAVY),
    "GET /api/v1/tong-hop/blank": ("unit_a", (2, 6)),
    "POST /api/v1/tong-hop/validate": ("unit_a", LIGHT),
    "POST /api/v1/packet": ("secretariat", HEAVY),
    "POST /api/v1/documents/phieu-01": ("unit_a", HEAVY),
    "POST /api/v1/documents/tong-hop": ("unit_a", HEAVY),
    "GET /api/v1/documents": ("secretariat", LIGHT),
    "GET /api/v1/documents/{document_id}": ("secretariat", LIGHT),
    "GET /api/v1/documents/{document_id}/pdf": ("unit_a", (10, 10)),
    "GET /api/v1/documents/{document_id}/docx": ("unit_a", (10, 10)),
    "GET /api/v1/documents/{document_id}/json": ("unit_a", (10, 10)),
    "POST /api/v1/documents/{document_id}/signed-scan": ("secretariat", (10, 10)),
    "GET /api/v1/documents/{document_id}/signed-scans/{scan_id}": ("secretariat", (10, 10)),
    "POST /api/v1/documents/verify": ("unit_a", (10, 10)),
    "GET /api/v1/audit": ("admin", LIGHT),
    "GET /api/v1/units/{code}/roster": ("secretariat", (10, 10)),
    "PUT /api/v1/units/{code}/roster": ("unit_a", LIGHT),
    "GET /api/v1/units/{code}/roster/template.xlsx": ("unit_a", (3, 5)),
    "GET /api/v1/units/{code}/months/{year}/{month}": ("unit_a", LIGHT),
    "POST /api/v1/units/{code}/months/{year}/{month}/tong-hop": ("unit_a", HEAVY),
    "GET /api/v1/units/{code}/months/{year}/{month}/packet": ("secretariat", HEAVY),
    "GET /api/v1/units/{code}/excused-months": ("secretariat", LIGHT),
    "POST /api/v1/units/{code}/excused-months": ("unit_a", LIGHT),
    "DELETE /api/v1/units/{code}/excused-months/{excused_id}": ("unit_a", (3, 5)),
    "GET /api/v1/reports/year-end": ("unit_a", HEAVY),
    "GET /api/v1/reports/periodic": ("secretariat", HEAVY),
    "GET /api/v1/reports/calendar": ("unit_a", LIGHT),
    "POST /api/v1/jobs/batch-issue": ("unit_a", (10, 15)),
    "POST /api/v1/jobs/batch-issue/spreadsheet": ("unit_a", (10, 15)),
    "GET /api/v1/jobs/batch-issue/template.xlsx": ("unit_a", (2, 3)),
    "GET /api/v1/jobs/{job_id}": ("secretariat", (10, 10)),
    "GET /api/v1/templates": ("secretariat", LIGHT),
    "GET /api/v1/templates/{form}/docx": ("secretariat", (3, 5)),
    "POST /api/v1/templates/{form}/check": ("secretariat", HEAVY),
    "POST /api/v1/templates/{form}": ("secretariat", HEAVY),
    "POST /api/v1/templates/{form}/rollback": ("secretariat", (5, 10)),
}
ANONYMOUS_EXAMPLES = 4  # without an account most answers are a 401 before anything else
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


class NoJobs:
    """Batch jobs are accepted but not run here: tests/test_jobs.py runs them."""

    def submit(self, job_id):
        pass

    def resume(self):
        pass


@pytest.fixture(scope="module", params=ARCHIVE_BACKENDS)
def fuzzed(request, app, tmp_path_factory):
    """An archive app as deployed (no rendering without an account), with a record, a signed
    scan, a roster and a job to find, and its spec loaded by schemathesis."""
    for archived in new_archive_app(request, app, tmp_path_factory,
                                    ALLOW_ANONYMOUS_RENDER=False, JOBS_RESUME=False):
        archived.extensions["jobs"] = NoJobs()
        archive = Archive(archived)
        record = archive.issue(example("phieu-01"))
        scan = archive.post(f"/api/v1/documents/{record['id']}/signed-scan", "secretariat",
                            data={"file": (_pdf(archive, record["id"]), "scan.pdf")})
        assert scan.status_code == 201, scan.json
        roster = archive.client.put("/api/v1/units/noi-vu/roster", headers=archive.headers(
            "unit_a"), json=[{"full_name": "Nguyễn Văn An"}, {"full_name": "Trần Thị Bình"}])
        assert roster.status_code == 200, roster.json
        job = archive.post("/api/v1/jobs/batch-issue", "unit_a",
                           json={"forms": [example("phieu-01")]})
        assert job.status_code == 202, job.json
        excused = archive.post("/api/v1/units/noi-vu/excused-months", "unit_a", json={
            "full_name": "Trần Thị Bình", "year": 2026, "month": 6, "reason": "om_dau"})
        assert excused.status_code == 201, excused.json
        known = {"document_id": record["id"], "scan_id": scan.json["id"], "code": "noi-vu",
                 "year": record["year"], "month": record["month"],
                 "job_id": job.json["id"], "excused_id": excused.json["id"]}
        yield archive, schemathesis.openapi.from_wsgi("/openapi.json", archived), known


def _pdf(archive, document_id):
    import io
    return io.BytesIO(archive.get(f"/api/v1/documents/{document_id}/pdf", "unit_a").data)


def test_every_operation_has_a_budget(fuzzed):
    _archive, schema, _known = fuzzed
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", OPERATIONS)
def test_operation(fuzzed, label, mode):
    archive, schema, known = fuzzed
    who, (positive, negative) = OPERATIONS[label]
    run(archive, schema, known, label, mode, who,
        positive if mode is GenerationMode.POSITIVE else negative)


@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_without_account(fuzzed, label):
    archive, schema, known = fuzzed
    run(archive, schema, known, label, GenerationMode.POSITIVE, None, ANONYMOUS_EXAMPLES)


def run(archive, schema, known, label, mode, who, examples):
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    if mode is GenerationMode.NEGATIVE and not (operation.definition.raw.get("parameters")
                                                or operation.definition.raw.get("requestBody")
                                                or "{" in path):
        pytest.skip("nothing to make invalid: no parameter, no body")
    errors = {status for status, response in operation.definition.raw["responses"].items()
              if "#/components/schemas/Error" in str(response.get("content"))}
    # Generated path values mostly name nothing (a 404); half of the cases use ones that exist.
    names = [name for name in known if f"{{{name}}}" in path]
    strategy = operation.as_strategy(generation_mode=mode)
    if names and mode is GenerationMode.POSITIVE:
        strategy = st.one_of(strategy, operation.as_strategy(
            generation_mode=mode, path_parameters={name: known[name] for name in names}))
    headers = archive.headers(who)

    @settings(max_examples=max(1, math.ceil(examples * SCALE)), deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        if str(response.status_code) in errors:
            error_body_shape(response)

    check()


def error_body_shape(response):
    """An error documented with the Error schema answers JSON {code, status, message[, errors]}:
    code is the status, message is NFC text; a 422 lists its errors by location and field path.
    (Every error status is documented with it except /readyz's 503, its readiness report.)"""
    body = response.json()
    assert isinstance(body, dict), body
    assert body.get("code") == response.status_code, body
    assert isinstance(body.get("status"), str) and body["status"], body
    message = body.get("message")
    assert isinstance(message, str) and message.strip(), body
    assert unicodedata.is_normalized("NFC", message), body
    if response.status_code == 422:
        errors = body.get("errors")
        assert isinstance(errors, dict) and errors, body
        for _location, fields in errors.items():
            assert isinstance(fields, dict) and fields, body
            for path, messages in fields.items():
                assert isinstance(path, str), body
                assert isinstance(messages, list) and messages, body
                assert all(isinstance(m, str) and m.strip()
                           and unicodedata.is_normalized("NFC", m) for m in messages), body
