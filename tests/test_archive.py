"""The archive through its API: issuing, versions, downloads, listing, verifying, signed scans,
the integrity check, a crash before the commit, accounts and keys. Every test runs against SQLite
and against the real PostgreSQL server (conftest.archive_app)."""

import io
import json
import os
import re
import time
import unicodedata

import pytest
import segno
from pypdf import PdfReader

from archive import service
from archive.models import ApiKey, Document, SignedScan
from conftest import PASSWORD, example, pdf_pages, squash, unit_b_body

CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


def png_scan():
    buffer = io.BytesIO()
    segno.make("bản quét").save(buffer, kind="png", scale=4)
    return buffer.getvalue()


def upload(content, name):
    return {"file": (io.BytesIO(content), name)}


def test_issuing_archives_json_docx_and_pdfa_with_their_hashes(archive):
    body = example("phieu-01")
    record = archive.issue(body)
    assert CODE.fullmatch(record["code"])
    assert (record["form"], record["year"], record["month"], record["version"]) == (
        "phieu-01", 2026, 11, 1)
    assert record["person_name"] == "Nguyễn Thị Ngọc Ánh"
    assert record["unit"] == {"code": "noi-vu", "name": "Phòng Nội vụ"}
    assert record["issued_by"] == "unit_a" and record["latest"] is True

    parts = {}
    for part in ("pdf", "docx", "json"):
        response = archive.get(record["links"][part], "unit_a")
        assert response.status_code == 200
        assert service.sha256(response.data) == record["sha256"][part]
        assert record["code"] in response.headers["Content-Disposition"]
        parts[part] = response.data
    assert json.loads(parts["json"])["person"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    assert parts["docx"].startswith(b"PK")

    pages = pdf_pages(parts["pdf"])
    assert all(f"Mã lưu trữ: {record['code']}" in page for page in pages)
    assert "NguyễnThịNgọcÁnh" in squash(pages[0])
    reader = PdfReader(io.BytesIO(parts["pdf"]))
    xmp = reader.xmp_metadata
    assert xmp.custom_properties.get("pdfaid:part") == "2" or b"pdfaid:part" in \
        reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert record["code"] in str(reader.metadata.get("/Keywords"))
    assert reader.metadata.title == record["title"]
    assert reader.metadata.author == "Phòng Nội vụ"


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(archive):
    body = example("phieu-01")
    first = archive.issue(body)
    body["monthly_rating"] = "hoan_thanh"
    second = archive.issue(body, replaces=1)
    assert (second["version"], second["previous_id"]) == (2, first["id"])
    assert second["unchanged"] is False and second["replaced"]["id"] == first["id"]
    assert second["code"] != first["code"]
    assert [v["id"] for v in second["versions"]] == [first["id"], second["id"]]

    old = archive.get(first["links"]["self"], "unit_a").json
    assert old["latest"] is False and old["version"] == 1
    assert service.sha256(archive.get(first["links"]["pdf"], "unit_a").data) == \
        first["sha256"]["pdf"]
    assert json.loads(archive.get(first["links"]["json"], "unit_a").data)[
        "monthly_rating"] == "hoan_thanh_tot"
    assert json.loads(archive.get(second["links"]["json"], "unit_a").data)[
        "monthly_rating"] == "hoan_thanh"

    latest = archive.get("/api/v1/documents", "unit_a")
    assert [d["id"] for d in latest.json] == [second["id"]]
    every = archive.get("/api/v1/documents?all_versions=true", "unit_a")
    assert sorted(d["id"] for d in every.json) == [first["id"], second["id"]]


def test_versions_belong_to_one_person_and_month(archive):
    body = example("phieu-01")
    archive.issue(body)
    body["person"]["full_name"] = "Lê Thị Hạ"
    other_person = archive.issue(body)
    body["period"]["month"] = 10
    other_month = archive.issue(body)
    body["person"]["full_name"] = "Lê Thị Hà"  # another person: the accent is part of the name
    different_accent = archive.issue(body)
    tong_hop = archive.issue(example("tong-hop"), form="tong-hop")
    assert {other_person["version"], other_month["version"], different_accent["version"],
            tong_hop["version"]} == {1}
    body["person"]["full_name"] = "  lê  THỊ hà "  # the same person written differently
    assert archive.issue(body, replaces=1)["version"] == 2
    body["person"]["full_name"] = unicodedata.normalize("NFD", "Lê Thị Hà")  # decomposed accents
    assert archive.issue(body, replaces=2)["version"] == 3


def test_a_500_row_tong_hop_is_archived_whole(archive):
    body = example("tong-hop")
    body["rows"] = [{"full_name": f"Cán bộ số {i:03d}", "rating": "tot"} for i in range(1, 501)]
    record = archive.issue(body, form="tong-hop")
    text = squash("".join(pdf_pages(archive.get(record["links"]["pdf"], "unit_a").data)))
    assert "Cánbộsố001" in text and "Cánbộsố500" in text
    assert len(json.loads(archive.get(record["links"]["json"], "unit_a").data)["rows"]) == 500


def _at_once(archive, bodies, query=""):
    from concurrent.futures import ThreadPoolExecutor

    def issue(body):
        return archive.app.test_client().post(f"/api/v1/documents/phieu-01{query}", json=body,
                                              headers=archive.headers("unit_a"))

    archive.app.config["RENDER_CONCURRENCY"] = 0  # the race needs one account's requests at once
    try:
        with ThreadPoolExecutor(len(bodies)) as pool:
            return list(pool.map(issue, bodies))
    finally:
        archive.app.config["RENDER_CONCURRENCY"] = 1


def test_the_same_form_sent_at_once_is_one_record(archive):
    responses = _at_once(archive, [example("phieu-01")] * 4)
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201], [
        r.json for r in responses]
    assert {r.json["id"] for r in responses} == {responses[0].json["id"]}
    assert archive.count(Document) == 1


def test_concurrent_corrections_of_one_version_make_one_new_version(archive):
    first = archive.issue(example("phieu-01"))
    bodies = [{**example("phieu-01"), "head_name": name}
              for name in ("Trần Văn Một", "Trần Văn Hai", "Trần Văn Ba")]
    responses = _at_once(archive, bodies, "?replaces=1")
    assert sorted(r.status_code for r in responses) == [201, 409, 409], [
        r.json for r in responses]
    [second] = [r.json for r in responses if r.status_code == 201]
    assert (second["version"], second["replaced"]["id"]) == (2, first["id"])
    for refused in (r.json for r in responses if r.status_code == 409):
        assert refused["current"]["version"] == 2
        assert "bản hiện hành là bản 2" in refused["message"]
    assert archive.count(Document) == 2


def test_a_request_waiting_for_libreoffice_holds_no_database_connection(archive, monkeypatch):
    """The pool holds fewer connections than the server has threads: a request that kept its
    connection while waiting for a conversion made the others wait for one, even to sign in."""
    converter = archive.app.extensions["converter"]
    pool = archive.app.extensions["database"].engine.pool
    held = []

    def before_wait(release=converter.before_wait):
        release()
        held.append(pool.checkedout())

    monkeypatch.setattr(converter, "before_wait", before_wait)
    backend = archive.app.extensions["database"].engine.dialect.name  # each its own conversion
    body = {**example("phieu-01"), "head_name": f"Trần Thị Chờ {backend}"}
    assert archive.post("/api/v1/phieu-01", "unit_a", json=body).status_code == 200
    archive.issue(body)
    assert held == [0, 0]


def test_a_transaction_that_has_written_keeps_its_connection_while_waiting(archive):
    from sqlalchemy import update

    from archive.db import release
    from archive.models import Unit
    with archive.sessions() as db:
        unit = db.query(Unit).filter_by(code="noi-vu").one()
        release(db)
        assert not db.in_transaction()  # it had only read
        unit.name = "Phòng Nội vụ (tạm)"
        db.flush()
        release(db)
        assert db.in_transaction()
        db.rollback()
        db.execute(update(Unit).where(Unit.code == "noi-vu").values(name="Phòng Nội vụ (tạm)"))
        release(db)
        assert db.in_transaction()
        db.rollback()
        assert db.query(Unit).filter_by(code="noi-vu").one().name == "Phòng Nội vụ"


def test_issuing_the_same_content_again_returns_the_issued_version(archive):
    body = example("phieu-01")
    first = archive.issue(body)
    again = archive.post("/api/v1/documents/phieu-01", "unit_a", json=body)
    assert again.status_code == 200
    assert again.json["unchanged"] is True and again.json["replaced"] is None
    assert (again.json["id"], again.json["version"], again.json["code"]) == (
        first["id"], 1, first["code"])
    assert again.headers["Location"] == f"/api/v1/documents/{first['id']}"
    # The same content in another key order, with spaces around a name: the same form.
    shuffled = dict(reversed(list(body.items())))
    shuffled["person"] = {**body["person"], "full_name": f"  {body['person']['full_name']} "}
    assert archive.post("/api/v1/documents/phieu-01", "unit_a", json=shuffled).status_code == 200
    # Even a confirmation of the standing version makes nothing new for the same content.
    assert archive.post("/api/v1/documents/phieu-01?replaces=1", "unit_a",
                        json=body).json["unchanged"] is True
    assert archive.count(Document) == 1
    events = archive.get("/api/v1/audit?action=issue&page_size=50", "admin").json
    assert [e["detail"] for e in events if e["document_id"] == first["id"]].count(
        f"{first['code']}, bản 1 (không đổi, không tạo bản mới)") == 3
    assert first["unchanged"] is False


def test_a_change_asks_to_confirm_the_version_it_replaces(archive):
    body = example("phieu-01")
    first = archive.issue(body)
    body["monthly_rating"] = "hoan_thanh"
    name = body["person"]["full_name"]
    refused = archive.post("/api/v1/documents/phieu-01", "unit_a", json=body)
    assert refused.status_code == 409
    assert refused.json["message"] == (
        f"Phiếu số 01 của {name} tháng 11/2026 đã được phát hành: bản 1 (mã lưu trữ "
        f"{first['code']}), nội dung khác phiếu gửi lên. Phát hành bản mới sẽ thay bản 1, nên "
        "phải xác nhận thay bản 1 (replaces=1); bản cũ vẫn được giữ trong hồ sơ.")
    assert (refused.json["current"]["id"], refused.json["current"]["version"]) == (first["id"], 1)
    stale = archive.post("/api/v1/documents/phieu-01?replaces=3", "unit_a", json=body)
    assert stale.status_code == 409 and "không phải bản 3" in stale.json["message"]
    assert archive.count(Document) == 1
    second = archive.issue(body, replaces=1)
    assert (second["version"], second["replaced"]["version"]) == (2, 1)
    # A first version replaces nothing.
    body["period"]["month"] = 9
    nothing = archive.post("/api/v1/documents/phieu-01?replaces=1", "unit_a", json=body)
    assert nothing.status_code == 409 and "chưa được phát hành" in nothing.json["message"]
    bad = archive.post("/api/v1/documents/phieu-01?replaces=abc", "unit_a", json=body)
    assert bad.status_code == 422
    assert bad.json["errors"]["query"] == {"replaces": ["replaces: phải là số bản (số nguyên)"]}
    events = archive.get("/api/v1/audit?action=issue&outcome=refused", "admin").json
    assert len(events) == 2 and events[0]["document_id"] == first["id"]


def test_listing_filters_and_paginates(archive):
    body = example("phieu-01")
    for index, name in enumerate(["Nguyễn Thị Ngọc Ánh", "Trần Văn Bình", "Phạm Minh Châu"]):
        body["person"]["full_name"] = name
        body["period"]["month"] = 10 + index % 2
        archive.issue(body)
    archive.issue(example("tong-hop"), form="tong-hop")
    archive.issue(unit_b_body(example("phieu-01")), who="unit_b")

    def names(query, who="unit_a"):
        response = archive.get(f"/api/v1/documents{query}", who)
        assert response.status_code == 200, response.json
        return [d["person_name"] for d in response.json]

    assert names("?person=ngoc anh") == ["Nguyễn Thị Ngọc Ánh"]
    assert names("?person=NGỌC ÁNH") == ["Nguyễn Thị Ngọc Ánh"]
    assert sorted(names("?month=10")) == ["Nguyễn Thị Ngọc Ánh", "Phạm Minh Châu"]
    assert names("?form=tong-hop") == [None]
    assert len(names("?year=2026")) == 4  # unit A's own only
    assert len(names("?year=2026", "secretariat")) == 5
    assert names("?unit=tai-chinh", "secretariat") == ["Nguyễn Thị Ngọc Ánh"]
    assert names("?unit=tai-chinh", "unit_a") == []
    assert names("?person=50%_") == []  # LIKE's wildcards are searched as text

    page = archive.get("/api/v1/documents?page=2&page_size=3", "secretariat")
    assert len(page.json) == 2
    assert json.loads(page.headers["X-Pagination"])["total"] == 5

    bad = archive.get("/api/v1/documents?month=13&form=x", "unit_a")
    assert bad.status_code == 422
    assert bad.json["errors"]["query"]["month"] == ["Tháng: phải từ 1 đến 12"]
    assert "form" in bad.json["errors"]["query"]


def test_a_unit_issues_only_for_itself(archive):
    response = archive.post("/api/v1/documents/phieu-01", "unit_b", json=example("phieu-01"))
    assert response.status_code == 422
    assert "Phòng Tài chính - Kế hoạch" in response.json["errors"]["json"]["unit.name"][0]
    assert archive.count(Document) == 0


def test_bad_input_is_refused_before_anything_is_written(archive):
    body = example("phieu-01")
    body["person"]["full_name"] = "\x07"
    response = archive.post("/api/v1/documents/phieu-01", "unit_a", json=body)
    assert response.status_code == 422 and "person.full_name" in response.json["errors"]["json"]
    assert archive.post("/api/v1/documents/phieu-01", "unit_a", data="{",
                        content_type="application/json").status_code == 400
    assert archive.count(Document) == 0 and not list(archive.store.digests())


def test_template_syntax_in_text_prints_literally_in_the_archived_pdf(archive):
    body = example("phieu-01")
    body["person"]["full_name"] = "{{ 7*7 }} & <b> {% raw %}"
    record = archive.issue(body)
    pdf = archive.get(record["links"]["pdf"], "unit_a").data
    assert squash("{{ 7*7 }} & <b> {% raw %}") in squash(pdf_pages(pdf)[0])


# --- who may do what ----------------------------------------------------------------------

ROLES = [None, "unit_a", "unit_b", "secretariat", "admin"]


@pytest.fixture
def unit_a_record(archive):
    return archive.issue(example("phieu-01"))


READS = {  # expected status per role, for a record of unit A
    None: 401, "unit_a": 200, "unit_b": 404, "secretariat": 200, "admin": 403}


@pytest.mark.parametrize("part", ["self", "pdf", "docx", "json"])
def test_who_reads_a_record(archive, unit_a_record, part):
    for who, status in READS.items():
        response = archive.get(unit_a_record["links"][part], who)
        assert response.status_code == status, (who, part, response.json)
        if status != 200:
            assert response.json["message"]  # Vietnamese, in the error shape
            assert unit_a_record["code"] not in response.get_data(as_text=True)
    # another unit's record and a record that does not exist answer alike
    assert archive.get("/api/v1/documents/999999", "unit_b").json == \
        archive.get(unit_a_record["links"]["self"], "unit_b").json


def test_who_lists_issues_uploads_verifies_and_reads_the_audit_log(archive, unit_a_record):
    pdf = archive.get(unit_a_record["links"]["pdf"], "unit_a").data
    scan_url = f"/api/v1/documents/{unit_a_record['id']}/signed-scan"
    expected = {
        # role: (list, issue phieu-01 of unit A, scan upload, verify match, audit)
        None: (401, 401, 401, 401, 401),
        "unit_a": (200, 200, 403, "document", 403),  # 200: the record issued already
        "unit_b": (200, 422, 403, None, 403),
        "secretariat": (200, 403, 201, "document", 403),
        "admin": (403, 403, 403, 403, 200),
    }
    for who, (listing, issue, scan, verify, audit) in expected.items():
        assert archive.get("/api/v1/documents", who).status_code == listing, who
        assert archive.post("/api/v1/documents/phieu-01", who,
                            json=example("phieu-01")).status_code == issue, who
        assert archive.post(scan_url, who, data=upload(png_scan(), "scan.png")).status_code \
            == scan, who
        response = archive.post("/api/v1/documents/verify", who, data=upload(pdf, "x.pdf"))
        if isinstance(verify, int):
            assert response.status_code == verify, who
        else:
            assert response.status_code == 200 and response.json["match"] == verify, who
        assert archive.get("/api/v1/audit", who).status_code == audit, who
    assert archive.get("/api/v1/documents", None).headers["WWW-Authenticate"].startswith("Bearer")


def test_refusals_and_downloads_are_in_the_audit_log(archive, unit_a_record):
    archive.get(unit_a_record["links"]["pdf"], "unit_a")
    archive.get(unit_a_record["links"]["pdf"], "unit_b")
    archive.get("/api/v1/audit", "unit_a")
    archive.client.get("/api/v1/documents", headers={"Authorization": "Bearer phk_wrong"})
    events = archive.get("/api/v1/audit?page_size=100", "admin").json
    seen = {(e["username"], e["action"], e["outcome"]) for e in events}
    assert ("unit_a", "issue", "ok") in seen
    assert ("unit_a", "download.pdf", "ok") in seen
    assert ("unit_b", "download.pdf", "refused") in seen
    assert ("unit_a", "access", "refused") in seen
    role_refusal = next(e for e in events if e["action"] == "access")
    assert role_refusal["detail"] == "audit.audit_events: vai trò unit"
    assert (None, "auth.key", "refused") in seen
    other_unit = next(e for e in events if e["username"] == "unit_b")
    assert other_unit["detail"] == "phiếu của đơn vị khác"
    assert other_unit["document_id"] == unit_a_record["id"]
    refused = archive.get("/api/v1/audit?outcome=refused", "admin").json
    assert refused and all(e["outcome"] == "refused" for e in refused)


# --- verify and signed scans --------------------------------------------------------------

def test_verify_tells_an_original_from_an_altered_copy(archive, unit_a_record):
    pdf = archive.get(unit_a_record["links"]["pdf"], "unit_a").data

    def verify(content, who="unit_a"):
        response = archive.post("/api/v1/documents/verify", who, data=upload(content, "x.pdf"))
        assert response.status_code == 200
        return response.json

    original = verify(pdf)
    assert original["authentic"] is True and original["match"] == "document"
    assert original["document"]["code"] == unit_a_record["code"]

    altered = bytearray(pdf)
    position = pdf.index(b"stream") + 200  # one byte inside the first content stream
    altered[position] ^= 0x01
    answer = verify(bytes(altered))
    assert answer["authentic"] is False and answer["match"] == "altered"
    assert answer["document"]["code"] == unit_a_record["code"]
    assert "bị sửa" in answer["message"]

    unknown = verify(archive.client.get("/api/v1/phieu-01/blank").data)
    assert unknown == {"authentic": False, "match": None, "document": None,
                       "message": "Không tìm thấy phiếu nào trong kho lưu trữ trùng với tệp này."}
    assert verify(b"not a pdf at all")["match"] is None
    assert verify(bytes(altered), "unit_b")["match"] is None  # another unit's: not found


def test_a_signed_scan_is_kept_beside_the_pdf_with_its_own_hash(archive, unit_a_record):
    url = f"/api/v1/documents/{unit_a_record['id']}/signed-scan"
    scan_pdf = archive.client.get("/api/v1/phieu-01/blank").data  # stands in for a scanned PDF
    for content, name, media_type in [(scan_pdf, "Bản quét.pdf", "application/pdf"),
                                      (png_scan(), "anh.png", "image/png")]:
        response = archive.post(url, "secretariat", data=upload(content, name))
        assert response.status_code == 201, response.json
        assert response.json["media_type"] == media_type
        assert response.json["sha256"] == service.sha256(content)
        downloaded = archive.get(response.json["download"], "unit_a")
        assert downloaded.status_code == 200 and downloaded.data == content
        assert downloaded.mimetype == media_type

    record = archive.get(unit_a_record["links"]["self"], "unit_a").json
    assert [s["filename"] for s in record["scans"]] == ["Bản quét.pdf", "anh.png"]
    odd = archive.post(url, "secretariat", data=upload(png_scan(), "a\u202eb\x07.png"))
    assert odd.json["filename"] == "a\ufffdb\ufffd.png"  # no bidi or control characters kept
    assert record["sha256"] == unit_a_record["sha256"]  # the generated PDF is untouched
    pdf = archive.get(unit_a_record["links"]["pdf"], "unit_a").data
    assert service.sha256(pdf) == unit_a_record["sha256"]["pdf"]

    verified = archive.post("/api/v1/documents/verify", "unit_a", data=upload(png_scan(), "x"))
    assert verified.json["match"] == "signed-scan"


@pytest.mark.parametrize("content", [
    "Đây là văn bản, không phải bản quét".encode(),  # a text file renamed .pdf
    b"%PDF-1.7\nnot really a pdf",  # the right first bytes, nothing behind them
    b"GIF89a......",
])
def test_a_scan_is_judged_by_its_content_not_its_name(archive, unit_a_record, content):
    response = archive.post(f"/api/v1/documents/{unit_a_record['id']}/signed-scan",
                            "secretariat", data=upload(content, "ban-quet.pdf"))
    assert response.status_code == 415
    assert response.json["message"].startswith("Tệp bản quét phải là PDF, JPEG, PNG hoặc TIFF")
    assert archive.count(SignedScan) == 0


def test_a_scan_may_be_larger_than_a_request_by_key_or_by_login_cookie(archive, unit_a_record):
    url = f"/api/v1/documents/{unit_a_record['id']}/signed-scan"
    large = b"\x89PNG\r\n\x1a\n" + bytes(3 * 1024 * 1024)  # over MAX_CONTENT_LENGTH (2 MiB)
    assert archive.post(url, "secretariat", data=upload(large, "a.png")).status_code == 201
    client = archive.app.test_client()
    login(client, "secretariat")
    by_cookie = client.post(url, data=upload(large, "b.png"),
                            headers={"X-CSRFToken": csrf_token(client, "/")})
    assert by_cookie.status_code == 201, by_cookie.json


def test_scan_upload_errors(archive, unit_a_record):
    url = f"/api/v1/documents/{unit_a_record['id']}/signed-scan"
    missing = archive.post(url, "secretariat", data={})
    assert missing.status_code == 422
    assert missing.json["errors"]["files"]["file"] == ["Tệp: chưa chọn tệp (trường «file»)"]
    assert archive.post("/api/v1/documents/999999/signed-scan", "secretariat",
                        data=upload(png_scan(), "a.png")).status_code == 404
    limit = archive.app.config["SCAN_MAX_BYTES"]
    archive.app.config["SCAN_MAX_BYTES"] = 1000
    try:
        big = archive.post(url, "secretariat", data=upload(b"\x89PNG\r\n\x1a\n" + bytes(5000),
                                                          "big.png"))
    finally:
        archive.app.config["SCAN_MAX_BYTES"] = limit
    assert big.status_code == 413 and "1000" in big.json["message"]


# --- files on disk ------------------------------------------------------------------------

def test_check_files_finds_a_changed_and_a_missing_file(archive, unit_a_record):
    runner = archive.app.test_cli_runner()
    result = runner.invoke(args=["check-files"])
    assert result.exit_code == 0 and "0 lỗi" in result.output

    pdf_path = archive.store.path(unit_a_record["sha256"]["pdf"])
    os.chmod(pdf_path, 0o644)
    pdf_path.write_bytes(pdf_path.read_bytes().replace(b"Nguy", b"Nguu", 1) + b" ")
    archive.store.path(unit_a_record["sha256"]["docx"]).unlink()
    result = runner.invoke(args=["check-files"])
    assert result.exit_code == 1
    assert f"phiếu {unit_a_record['code']} (pdf)" in result.output
    assert "đã bị thay đổi" in result.output and "bị thiếu" in result.output

    for part in ("pdf", "docx"):  # changed, missing
        response = archive.get(unit_a_record["links"][part], "unit_a")
        assert response.status_code == 500  # never served as if it were the original
        assert "bị thiếu hoặc không khớp mã băm" in response.json["message"]
    failures = archive.get("/api/v1/audit?outcome=failed", "admin").json
    assert {e["action"] for e in failures} == {"download.pdf", "download.docx"}


def test_stored_files_are_read_only_and_named_by_their_hash(archive, unit_a_record):
    for digest in unit_a_record["sha256"].values():
        path = archive.store.path(digest)
        assert path.stat().st_mode & 0o222 == 0
        assert service.sha256(path.read_bytes()) == digest == path.name
    assert not [p for p in archive.store.root.rglob(".tmp-*")]


def test_a_crash_before_the_commit_leaves_no_record(archive, monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    commit = Session.commit

    def crash(self):
        if not self.new:  # the read-only transaction ended before the conversion
            return commit(self)
        raise OperationalError("COMMIT", {}, Exception("the server went away"))

    monkeypatch.setattr(Session, "commit", crash)
    response = archive.post("/api/v1/documents/phieu-01", "unit_a", json=example("phieu-01"))
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.json["message"].startswith("Cơ sở dữ liệu tạm thời không dùng được")
    assert "went away" not in response.get_data(as_text=True)
    assert archive.count(Document) == 0
    leftovers = list(archive.store.digests())
    assert len(leftovers) == 4  # the JSON, DOCX, PDF and template, named by no record

    runner = archive.app.test_cli_runner()
    result = runner.invoke(args=["check-files"])
    assert result.exit_code == 0 and "4 tệp không thuộc hồ sơ nào" in result.output
    for digest in leftovers:  # older than the hour an issue in progress might need
        os.utime(archive.store.path(digest), (time.time() - 7200, time.time() - 7200))
    result = runner.invoke(args=["check-files", "--remove-unreferenced"])
    assert result.exit_code == 0 and not list(archive.store.digests())
    assert archive.issue(example("phieu-01"))["version"] == 1  # and the service goes on


def test_a_connection_lost_under_a_request_does_not_turn_its_answer_into_a_500(archive,
                                                                            monkeypatch):
    """PostgreSQL stopped while a request holds a session: closing it (a ROLLBACK on a dead
    connection) fails after the answer is made; the answer stands (found by bench.load
    --fault database)."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    def lost(self):
        raise OperationalError("ROLLBACK", {}, Exception("terminating connection"))

    monkeypatch.setattr(Session, "close", lost)
    response = archive.get("/api/v1/documents", "unit_a")
    monkeypatch.undo()
    assert response.status_code == 200


def test_check_files_reports_and_clears_a_killed_writes_temporary_file(archive):
    """A process killed (SIGKILL) between creating a file's temporary copy and renaming it leaves
    the temporary file; it is never read, check-files reports it and, after an hour, removes it."""
    folder = archive.store.root / "ab" / "cd"
    folder.mkdir(parents=True)
    left = folder / ".tmp-interrupted"
    left.write_bytes(b"half a PDF")
    runner = archive.app.test_cli_runner()
    result = runner.invoke(args=["check-files", "--remove-unreferenced"])
    assert result.exit_code == 0 and "tệp tạm của lần ghi bị gián đoạn: .tmp-interrupted" \
        in result.output and left.exists()  # too recent: an issue may be writing it
    os.utime(left, (time.time() - 7200, time.time() - 7200))
    result = runner.invoke(args=["check-files", "--remove-unreferenced"])
    assert "đã xóa tệp tạm" in result.output and not left.exists()


def test_a_full_disk_refuses_the_issue_and_leaves_nothing(archive, monkeypatch):
    import errno
    real_fsync = os.fsync
    calls = []

    def full(handle):
        calls.append(handle)
        if len(calls) == 3:  # the second file fails to reach the disk
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(handle)

    monkeypatch.setattr(os, "fsync", full)
    response = archive.post("/api/v1/documents/phieu-01", "unit_a", json=example("phieu-01"))
    monkeypatch.undo()
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "ổ đĩa đầy" in response.json["message"]
    assert archive.count(Document) == 0
    assert not list(archive.store.root.rglob(".tmp-*"))  # no half-written file


# --- accounts and keys --------------------------------------------------------------------

def test_keys_are_stored_hashed_and_can_be_revoked(archive):
    from sqlalchemy import select
    key = archive.keys["unit_a"]
    with archive.sessions() as db:
        stored = db.scalars(select(ApiKey)).all()
        assert all(key not in (row.key_hash, row.prefix) for row in stored)
        row = next(r for r in stored if r.user.username == "unit_a")
    assert archive.get("/api/v1/documents", "unit_a").status_code == 200
    result = archive.app.test_cli_runner().invoke(args=["revoke-api-key", str(row.id)])
    assert result.exit_code == 0, result.output
    response = archive.get("/api/v1/documents", "unit_a")
    assert response.status_code == 401
    assert response.json["message"] == ("Khóa API không hợp lệ, đã bị thu hồi hoặc tài khoản "
                                        "đã bị khóa.")


def test_a_disabled_account_loses_its_keys_and_sessions(archive):
    runner = archive.app.test_cli_runner()
    client = archive.app.test_client()
    login(client, "unit_a")
    assert client.get("/api/v1/documents").status_code == 200
    assert runner.invoke(args=["disable-user", "unit_a"]).exit_code == 0
    assert archive.get("/api/v1/documents", "unit_a").status_code == 401
    assert client.get("/api/v1/documents").status_code == 401


def csrf_token(client, path="/dang-nhap"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def login(client, username, password=PASSWORD):
    return client.post("/dang-nhap", data={"username": username, "password": password,
                                           "csrf_token": csrf_token(client)})


def test_login_by_password_then_the_api_with_the_cookie_needs_the_csrf_token(archive):
    client = archive.app.test_client()
    wrong = login(client, "unit_a", "sai-mat-khau-roi")
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in wrong.text
    assert client.get("/api/v1/documents").status_code == 401
    right = login(client, "unit_a")
    assert right.status_code == 303
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/api/v1/documents").status_code == 200

    forged = client.post("/api/v1/documents/phieu-01", json=example("phieu-01"))
    assert forged.status_code == 400 and "CSRF" in forged.json["message"]
    token = csrf_token(client, "/")
    issued = client.post("/api/v1/documents/phieu-01", json=example("phieu-01"),
                         headers={"X-CSRFToken": token})
    assert issued.status_code == 201
    assert client.post("/dang-xuat", data={"csrf_token": token}).status_code == 303
    assert client.get("/api/v1/documents").status_code == 401


def test_login_attempts_are_rate_limited(archive):
    client = archive.app.test_client()
    statuses = [login(client, "unit_a", f"sai-mat-khau-{i}").status_code for i in range(11)]
    assert statuses == [401] * 10 + [429]
    assert "quá nhiều lần" in login(client, "unit_a").text  # even the right password waits
    events = archive.get("/api/v1/audit?action=login&page_size=100", "admin").json
    assert sum(e["outcome"] == "refused" for e in events) == 10
    by_name = archive.get("/api/v1/audit?action=login&username=UNIT_A", "admin").json
    assert len(by_name) == 10 and {e["username"] for e in by_name} == {"unit_a"}


def test_a_login_only_redirects_within_the_site(archive):
    client = archive.app.test_client()
    for target in ["https://evil.example/", "//evil.example/x", "/\\evil.example"]:
        response = client.post("/dang-nhap", data={
            "username": "unit_a", "password": PASSWORD, "next": target,
            "csrf_token": csrf_token(client)})
        assert response.headers["Location"] == "/", target
    response = client.post("/dang-nhap", data={
        "username": "unit_a", "password": PASSWORD, "next": "/tong-hop",
        "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/tong-hop"


def test_rendering_without_an_account_follows_the_configuration(archive):
    from app import DEFAULTS
    assert DEFAULTS["ALLOW_ANONYMOUS_RENDER"] is False  # `make run` on 127.0.0.1 turns it on
    archive.app.config["ALLOW_ANONYMOUS_RENDER"] = False
    try:
        anonymous = archive.post("/api/v1/phieu-01/validate", None, json=example("phieu-01"))
        blank = archive.get("/api/v1/phieu-01/blank", None)
        with_key = archive.post("/api/v1/phieu-01/validate", "admin", json=example("phieu-01"))
    finally:
        archive.app.config["ALLOW_ANONYMOUS_RENDER"] = True
    assert blank.status_code == 401
    assert anonymous.status_code == 401 and anonymous.json["message"].startswith("Cần đăng nhập")
    assert with_key.status_code == 200
    assert archive.post("/api/v1/phieu-01/validate", None,
                        json=example("phieu-01")).status_code == 200

