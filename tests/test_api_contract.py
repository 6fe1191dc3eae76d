"""What the generated API tests (tests/test_schemathesis.py) found, each pinned by a plain test:
the spec lists every status an operation answers, with the error body's schema; inputs that
answered 500 answer 4xx."""

import json

from conftest import example


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield f"{method.upper()} {path}", operation


def test_spec_lists_each_status_with_the_error_schema_and_no_default(client):
    spec = client.get("/openapi.json").json
    error = spec["components"]["schemas"]["Error"]
    assert sorted(error["required"]) == ["code", "message", "status"]
    for label, operation in _operations(spec):
        responses = operation["responses"]
        assert "default" not in responses, label
        assert {"401", "503"} <= set(responses), label
        for status, response in responses.items():
            assert response["description"] not in ("OK", "Created", "Accepted"), label
            if int(status) >= 400 and label != "GET /readyz":
                assert response["content"] == {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Error"}}}, (label, status)
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            assert {"400", "413", "422"} <= set(responses), label
    fill = spec["paths"]["/api/v1/phieu-01"]["post"]["responses"]
    assert {"415", "503"} <= set(fill) and "Retry-After" in fill["503"]["headers"]


def test_spec_describes_what_the_service_really_sends(client):
    spec = client.get("/openapi.json").json
    paths = spec["paths"]
    ready = paths["/readyz"]["get"]["responses"]
    assert ready["200"]["content"] == ready["503"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}
    assert "200" in paths["/healthz"]["get"]["responses"]
    # X-Pagination is a JSON text in a header, not an object serialized the OpenAPI way
    listing = paths["/api/v1/documents"]["get"]["responses"]["200"]
    assert listing["headers"]["X-Pagination"]["schema"] == {"type": "string"}
    scans = paths["/api/v1/documents/{document_id}/signed-scans/{scan_id}"]["get"]
    assert set(scans["responses"]["200"]["content"]) == {
        "application/pdf", "image/jpeg", "image/png", "image/tiff"}
    stored_json = paths["/api/v1/documents/{document_id}/json"]["get"]["responses"]["200"]
    assert stored_json["content"]["application/json"]["schema"]["type"] == "object"
    for report, types in [("year-end", {"xlsx", "pdf", "docx"}), ("periodic", {"pdf", "docx"})]:
        content = paths[f"/api/v1/reports/{report}"]["get"]["responses"]["200"]["content"]
        assert "application/json" in content and len(content) == 1 + len(types)
    document = paths["/api/v1/documents/{document_id}"]
    assert document["parameters"][0]["schema"]["maximum"] == 2**31 - 1


def test_a_null_list_of_forms_is_a_422_not_a_500(client):
    response = client.post("/api/v1/packet", json={"phieu_01": None})
    assert response.status_code == 422
    assert response.json["errors"] == {"json": {"phieu_01": [
        "Các Phiếu số 01: không được để trống"]}}


def test_ids_and_pages_past_the_database_integers_are_not_found_or_empty(archive):
    record = archive.issue(example("phieu-01"))
    for url in ["/api/v1/documents/9223372036854775808", "/api/v1/documents/2147483648/json",
                f"/api/v1/documents/{record['id']}/signed-scans/9223372036854775808"]:
        response = archive.get(url, "secretariat")
        assert response.status_code == 404, url
        assert response.json["code"] == 404 and response.json["message"]
    for url, who in [("/api/v1/documents?page=61489146912365174", "secretariat"),
                     ("/api/v1/audit?page=9223372036854775808", "admin")]:
        response = archive.get(url, who)
        assert response.status_code == 200, (url, response.json)
        assert response.json == []
        assert json.loads(response.headers["X-Pagination"])["total"] >= 1
    first = archive.get("/api/v1/documents?page=1", "secretariat")
    assert [row["id"] for row in first.json] == [record["id"]]


def test_a_nul_in_a_filter_is_a_422_not_a_500(archive):
    """Found by the long schemathesis run: PostgreSQL cannot compare a text with a NUL."""
    for url, who, field in [("/api/v1/audit?action=%00", "admin", "action"),
                            ("/api/v1/audit?username=a%00b", "admin", "username"),
                            ("/api/v1/documents?person=%00", "secretariat", "person")]:
        response = archive.get(url, who)
        assert response.status_code == 422, (url, response.json)
        assert field in response.json["errors"]["query"]


def test_a_nul_in_a_path_value_is_not_found_not_a_500(archive):
    for url, who in [("/api/v1/units/a%00b/roster", "secretariat"),
                     ("/api/v1/units/a%00b/months/2026/11", "secretariat"),
                     ("/api/v1/jobs/a%00b", "unit_a"),
                     ("/api/v1/reports/year-end?unit=a%00b&year=2026", "secretariat")]:
        response = archive.get(url, who)
        assert response.status_code in (404, 422), (url, response.status_code)
