"""What an attacker tries, refused early and cheaply with a clear Vietnamese 4xx (issue 14).

Each test holds one case found by the review, and fails without its fix."""

import io
import logging
import re

import pytest
from sqlalchemy import select
from test_archive import login
from test_jobs import wait_done
from test_web import csrf_token, post_file

from archive.models import AuditEvent, JobItem
from auth import access, context
from bench.attack import far_cells, header_row, raw_xlsx, text_cell
from conftest import PASSWORD, Archive, example, make_app
from sheets import table as sheets


@pytest.fixture
def web(work_dir):
    return make_app(work_dir).test_client()


def test_a_sheet_of_cells_in_the_last_column_is_read_within_bounds():
    """Issue 14.1: a few KB naming column XFD in every row made the reader fill 16,384 cells a
    row. Now no row read is wider than the bound, and what lies past it is not read."""
    data = raw_xlsx(far_cells(3000))
    assert len(data) < 40_000
    with sheets.open_table(data, is_header_cell=lambda folded: True, subject="bảng") as table:
        widths = [len(cells) for _, cells in table.rows]
    assert len(widths) == 3001 and max(widths) <= sheets.SHEET_MAX_COLUMNS


@pytest.mark.parametrize("path", ["/tong-hop/nhap-bang"])
def test_ten_thousand_rows_in_a_small_file_are_refused_at_the_bound(web, path):
    """Issue 14.1: 10,000 such rows under a header (a file of a few KB) are refused at the
    10,001st, with a Vietnamese message naming the bound."""
    response = post_file(web, raw_xlsx(far_cells(10_000)))
    assert response.status_code == 422
    assert "dài hơn 10000 dòng" in response.json["message"]


def test_the_row_bound_counts_blank_rows_and_is_a_setting(work_dir):
    web = make_app(work_dir, SHEET_MAX_ROWS=10).test_client()
    rows = header_row() + "".join(f'<row r="{n}"></row>' for n in range(2, 12))
    response = post_file(web, raw_xlsx(rows))
    assert response.status_code == 422
    assert "dài hơn 10 dòng" in response.json["message"]
    csv = "Họ tên\n" + "Lê Văn A\n" * 10
    response = web.post("/tong-hop/nhap-bang", headers={"X-CSRFToken": csrf_token(web)},
                        data={"text": csv})
    assert response.status_code == 422 and "dài hơn 10 dòng" in response.json["message"]


def test_a_value_just_past_the_columns_read_is_refused_by_name(web):
    rows = header_row() + '<row r="2">' + text_cell("A2", "Lê Văn A") + text_cell("BI2", "x") \
        + "</row>"
    response = post_file(web, raw_xlsx(rows))
    assert response.status_code == 422
    assert "Dòng 2 có dữ liệu ở cột BI, ngoài 60 cột đầu" in response.json["message"]


@pytest.mark.parametrize("method, path", [
    ("put", "/api/v1/units/noi-vu/roster"),
    ("post", "/api/v1/units/noi-vu/months/2026/11/tong-hop"),
])
def test_json_nested_ten_thousand_deep_is_a_400(archive, method, path):
    """Issue 14.8: ten thousand «[» to the roster or the month's tổng hợp were a 500
    (RecursionError in the JSON parser)."""
    response = getattr(archive.client, method)(
        path, headers={**archive.headers("unit_a"), "Content-Type": "application/json"},
        data="[" * 10_000 + "]" * 10_000)
    assert response.status_code == 400
    assert "lồng nhau quá sâu" in response.json["message"]


def test_readiness_details_are_for_operators_only(archive):
    """Issue 14.13: anonymous /readyz showed soffice process ids, memory, restart counts and the
    last error's text. From another address it is the state alone; an administrator, or the
    machine itself, still sees all."""
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    ready = archive.client.get("/readyz", environ_base=outside)
    assert ready.status_code in (200, 503)
    assert set(ready.json) <= {"status", "message"} and ready.json["status"] in (
        "ready", "unavailable")
    as_admin = archive.client.get("/readyz", headers=archive.headers("admin"),
                                  environ_base=outside)
    assert "soffice_pid" in as_admin.json["converter"]["workers"][0]
    assert "database" in archive.client.get("/readyz").json  # from 127.0.0.1
    as_unit = archive.client.get("/readyz", headers=archive.headers("unit_a"),
                                 environ_base=outside)
    assert "converter" not in as_unit.json


@pytest.mark.parametrize("form", ["phieu-01", "tong-hop"])
def test_a_form_of_thousands_of_line_breaks_is_refused_before_rendering(client, form):
    """Issue 14.2: rendering line breaks costs time growing with the square of their number
    (400,000 in one Phiếu 01 held the process for 32 s). A form may hold 2,000."""
    body = example(form)
    lines = "a\n" * 100  # 99 breaks once trimmed: within a cell's bound of 100
    if form == "phieu-01":
        body["sections"]["tasks"] = [dict(body["sections"]["tasks"][0], content=lines)] * 25
    else:
        body["rows"] = [dict(body["rows"][0], shortcomings=lines)] * 25
    response = client.post(f"/api/v1/{form}", json=body)
    assert response.status_code == 422
    assert "2475 lần xuống dòng" in response.json["message"]
    assert "tối đa 2000" in response.json["message"]
    body = example(form)
    response = client.post(f"/api/v1/{form}/validate", json=body)
    assert response.status_code == 200


@pytest.mark.parametrize("breaks, status", [(100, 200), (101, 422)])
def test_a_cell_of_hundreds_of_short_lines_is_refused_by_name(client, breaks, status):
    """One cell of 990 short lines is one row over some thirty pages, and its conversion took
    77 s, past the time limit: a cell holds at most 100 line breaks."""
    body = example("phieu-01")
    body["sections"]["tasks"][0]["content"] = "đ\n" * breaks + "đ"
    response = client.post("/api/v1/phieu-01/validate", json=body)
    assert response.status_code == status
    if status == 422:
        assert response.json["errors"]["json"]["sections.tasks.0.content"] == [
            "Nội dung: xuống dòng hoặc tab 101 lần trong một ô, tối đa 100; hãy gộp các dòng "
            "ngắn lại"]


def test_tabs_count_with_line_breaks_and_the_bounds_are_settings(client, work_dir):
    """Tabs become runs of their own as line breaks do (docxtpl), at the same cost: they count
    together, per cell and per form, and both bounds are settings."""
    body = example("phieu-01")
    body["sections"]["tasks"][0]["content"] = "đ\t" * 60 + "đ\n" * 41 + "đ"
    response = client.post("/api/v1/phieu-01/validate", json=body)
    assert response.status_code == 422
    assert "xuống dòng hoặc tab 101 lần" in str(response.json["errors"])
    strict = make_app(work_dir, MAX_LINE_BREAKS=10, CELL_MAX_LINE_BREAKS=5).test_client()
    body["sections"]["tasks"][0]["content"] = "đ\t" * 6 + "đ"
    response = strict.post("/api/v1/phieu-01/validate", json=body)
    assert response.status_code == 422
    assert "xuống dòng hoặc tab 6 lần trong một ô, tối đa 5" in str(response.json["errors"])
    body["sections"]["tasks"] = [dict(body["sections"]["tasks"][0], content="đ\tđ\tđ")] * 6
    response = strict.post("/api/v1/phieu-01/validate", json=body)
    assert response.status_code == 422
    assert "12 lần xuống dòng hoặc tab" in response.json["message"]
    assert "tối đa 10 (PHIEU_MAX_LINE_BREAKS)" in response.json["message"]


def test_a_form_too_long_to_print_is_refused_before_it_is_made(client, work_dir):
    """A 500-row tổng hợp of 300 characters a row prints some 334 pages and took LibreOffice
    76 s, past the conversion's limit: 422 at once, naming the estimate and the bound."""
    body = example("tong-hop")
    row = dict(body["rows"][0], shortcomings="Chậm tiến độ báo cáo tháng; " * 11)
    body["rows"] = [dict(row, full_name=f"Cán bộ số {i}") for i in range(500)]
    response = client.post("/api/v1/tong-hop/validate", json=body)
    assert response.status_code == 422
    message = response.json["message"]
    assert "Phiếu quá dài để in: ước tính khoảng" in message and "tối đa 100 trang" in message
    body["rows"] = [{"full_name": f"Cán bộ số {i}", "rating": "tot"} for i in range(500)]
    assert client.post("/api/v1/tong-hop/validate", json=body).status_code == 200
    # The bound is a setting: the example Phiếu 01 prints 3 pages.
    small = make_app(work_dir, MAX_FORM_PAGES=2).test_client()
    response = small.post("/api/v1/phieu-01/validate", json=example("phieu-01"))
    assert response.status_code == 422 and "khoảng 3 trang, tối đa 2 trang" in \
        response.json["message"]


def test_one_client_holds_at_most_one_libreoffice_worker(work_dir):
    """Issue 14: eight clients sending the worst form held both LibreOffice workers, and an
    ordinary form waited past the queue's limit. A client (an account from one address, else an
    address) has RENDER_CONCURRENCY conversions running at most; the next is a 429 at once."""
    client = make_app(work_dir, RENDER_CONCURRENCY=1).test_client()
    with access.in_flight.hold("address:127.0.0.1", 1):
        busy = client.post("/api/v1/phieu-01?format=docx", json=example("phieu-01"))
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "2"
    assert busy.json["message"] == ("Bạn đang có 1 yêu cầu tạo phiếu chưa xong; hãy chờ xong "
                                    "rồi thử lại (PHIEU_RENDER_CONCURRENCY).")
    assert client.post("/api/v1/phieu-01?format=docx", json=example("phieu-01")).status_code \
        == 200
    with access.in_flight.hold("address:10.0.0.9", 1):  # someone else's conversion
        assert client.post("/api/v1/phieu-01?format=docx",
                           json=example("phieu-01")).status_code == 200


def _log_out(client):
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/").get_data(as_text=True))[1]
    return client.post("/dang-xuat", data={"csrf_token": token})


def _logged_in(archive, username):
    client = archive.app.test_client()
    assert login(client, username).status_code == 303
    return client


def test_a_copied_login_cookie_stops_working_at_logout(archive):
    """Issue 14.4: after «Đăng xuất» a copy of the cookie still read documents, and each use
    signed it again, so it never ended."""
    client = _logged_in(archive, "unit_a")
    name = archive.app.config["SESSION_COOKIE_NAME"]
    copy = archive.app.test_client()
    copy.set_cookie(name, client.get_cookie(name).value)
    assert copy.get("/api/v1/documents").status_code == 200
    assert _log_out(client).status_code == 303
    assert copy.get("/api/v1/documents").status_code == 401
    assert client.get("/api/v1/documents").status_code == 401
    again = _logged_in(archive, "unit_a")  # a new login works
    assert again.get("/api/v1/documents").status_code == 200


def test_a_session_ends_after_its_absolute_lifetime_however_busy(archive):
    client = _logged_in(archive, "unit_a")
    assert client.get("/api/v1/documents").status_code == 200
    with client.session_transaction() as session:
        session["since"] -= archive.app.config["SESSION_ABSOLUTE_LIFETIME"] + 1
    assert client.get("/api/v1/documents").status_code == 401


def test_logging_out_ends_that_login_only(archive):
    """A unit account is shared by colleagues on their own PCs: one logging out does not log
    the others out."""
    mine, colleague = _logged_in(archive, "unit_a"), _logged_in(archive, "unit_a")
    assert _log_out(mine).status_code == 303
    assert mine.get("/api/v1/documents").status_code == 401
    assert colleague.get("/api/v1/documents").status_code == 200


@pytest.mark.parametrize("name", ["unit_a\x00", "unit\x00_a", "\x00"])
def test_a_nul_in_the_login_name_is_a_wrong_login_not_a_500(archive, name):
    """Issue 14.9: on PostgreSQL a NUL in the login name was a 500 (it cannot compare or store
    one); now it is no one's name, and the audit log keeps it replaced by «�»."""
    response = login(archive.app.test_client(), name)
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.get_data(as_text=True)
    events = archive.get("/api/v1/audit?action=login&page_size=10", "admin").json
    assert events[0]["outcome"] == "refused" and "\x00" not in events[0]["username"]


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\u00ad", "\u200e", "\u200f", "\ufeff"])
def test_names_that_print_alike_are_the_same_name(client, invisible):
    """Issue 14.11: names differing only by an invisible character made separate people who
    print identically. One-line values lose those characters; a content keeps its text."""
    body = example("phieu-01")
    body["person"]["full_name"] = f"Nguyễn{invisible} Thị{invisible}{invisible} Ngọc Ánh"
    body["unit"]["name"] = f"Phòng{invisible} Nội vụ"
    data = client.post("/api/v1/phieu-01/validate", json=body).json["data"]
    assert data["person"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    assert data["unit"]["name"] == "Phòng Nội vụ"
    body["person"]["full_name"] = invisible * 3
    response = client.post("/api/v1/phieu-01/validate", json=body)
    assert response.status_code == 422 and "Họ và tên" in response.json["message"]


def _pdf(objects, trailer):
    """A PDF of these objects (numbered from 1), written by hand."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} {trailer} >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


PAGE = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"]
SELF_REFERRING = {
    "an Info dictionary that is a reference to itself": _pdf([*PAGE, "4 0 R"],
                                                             "/Root 1 0 R /Info 4 0 R"),
    "a page tree whose kid is itself": _pdf(
        ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"],
        "/Root 1 0 R"),
}


@pytest.mark.parametrize("content", SELF_REFERRING.values(), ids=SELF_REFERRING.keys())
def test_a_pdf_that_refers_to_itself_is_no_500(archive, content):
    """Issue 14.7: such a PDF sent to «Xác minh tệp» or as a signed scan was a 500."""
    record = archive.issue(example("phieu-01"))
    verified = archive.post("/api/v1/documents/verify", "unit_a",
                            data={"file": (io.BytesIO(content), "x.pdf")})
    assert verified.status_code == 200 and verified.json["match"] is None
    scan = archive.post(f"/api/v1/documents/{record['id']}/signed-scan", "secretariat",
                        data={"file": (io.BytesIO(content), "ban-quet.pdf")})
    assert scan.status_code in (201, 415), scan.json


def test_a_batch_with_the_same_person_twice_is_refused_before_it_starts(archive):
    """Issue 14.14: a batch holding the same person twice raced against itself (two items
    failed «đang được phát hành đồng thời»). Decided: refused up front, naming both forms."""
    first = example("phieu-01")
    other_month = {**first, "period": {"month": 10, "year": 2026}}
    again = {**first, "person": {"full_name": " nguyễn thị  ngọc ánh\u200b"}}
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a",
                            json={"forms": [first, other_month, again]})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["forms"] == [
        "Phiếu 3: cùng người, cùng tháng với phiếu 1 («nguyễn thị  ngọc ánh», tháng 11/2026); "
        "mỗi lô chỉ một phiếu cho một người trong một tháng, hãy bỏ bớt một phiếu"]
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a",
                            json={"forms": [first, other_month]})
    assert response.status_code == 202
    status = wait_done(archive, response.headers["Location"])  # none left running after
    assert (status["done"], status["failed"]) == (2, 0)


def test_junk_api_keys_are_throttled_and_do_not_flood_the_audit_log(work_dir):
    """Issue 14.12: 1,000 requests with a junk key wrote 1,000 audit rows in 5 s."""
    app = make_app(work_dir, BAD_KEY_RATE_LIMIT="5 per minute")
    client = app.test_client()
    statuses = [client.get("/api/v1/documents", headers={"Authorization": "Bearer phk_junk"})
                .status_code for _ in range(12)]
    assert statuses == [401] * 5 + [429] * 7
    last = client.get("/api/v1/documents", headers={"Authorization": "Bearer phk_junk"})
    assert "khóa API sai" in last.json["message"] and last.headers["Retry-After"] == "60"
    with app.app_context():
        assert context.db().query(AuditEvent).filter_by(action="auth.key").count() == 5


def test_wrong_passwords_from_elsewhere_do_not_lock_the_user_out(work_dir):
    """Issue 14.10: ten wrong passwords from any address locked a named account for the hour.
    Wrong passwords count per name from each address; across addresses the name has a higher
    limit of its own, which still stops guessing from many addresses."""
    app = make_app(work_dir, LOGIN_RATE_LIMIT="3 per minute",
                   LOGIN_NAME_RATE_LIMIT="8 per minute")
    Archive(app)  # its accounts

    def attempt(address, password):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return login(client, "unit_a", password).status_code

    assert [attempt("203.0.113.1", "sai") for _ in range(4)] == [401, 401, 401, 429]
    assert attempt("198.51.100.9", PASSWORD) == 303  # the user, at their own PC
    elsewhere = [attempt(f"203.0.113.{n}", "sai") for n in range(2, 8)]
    assert elsewhere[:4] == [401] * 4 and elsewhere[-1] == 429  # the name's limit: 8 a minute
    assert attempt("198.51.100.9", PASSWORD) == 429  # past the name's own limit


def test_a_pdf_of_deeply_nested_dictionaries_writes_no_log_flood(archive, caplog):
    """Issue 14.12: a PDF of nested dictionaries sent to «Xác minh tệp» wrote 1,771 warning lines
    to the log (pypdf's, about the file); a file anyone sends writes none."""
    nested = "<< /A " * 2000 + "1" + " >>" * 2000
    content = _pdf([*PAGE, nested], "/Root 1 0 R /Info 4 0 R")
    caplog.set_level(logging.WARNING)
    verified = archive.post("/api/v1/documents/verify", "unit_a",
                            data={"file": (io.BytesIO(content), "x.pdf")})
    assert verified.status_code == 200 and verified.json["match"] is None
    assert [record for record in caplog.records if record.name.startswith("pypdf")] == []


def test_a_refused_batch_form_is_stored_without_its_payload(archive):
    """Issue 14.6: a batch stored every payload before validating it (two 29 MB bodies grew the
    archive's database by 88 MB, every item refused). Now each form is validated first: a
    refused one keeps its reason and nothing of what it carried; 14.9: a NUL in its name (which
    PostgreSQL cannot store) no longer loses the batch."""
    good = example("phieu-01")
    junk = {**example("phieu-01"), "person": {"full_name": "Lê\x00 Văn Rác"},
            "ghi_chu_rac": "x" * 1_000_000}
    response = archive.post("/api/v1/jobs/batch-issue", "unit_a", json={"forms": [junk, good]})
    assert response.status_code == 202, response.json
    status = wait_done(archive, response.headers["Location"])
    assert (status["done"], status["failed"]) == (1, 1)
    with archive.sessions() as db:
        refused, issued = db.scalars(select(JobItem).order_by(JobItem.position)).all()
    assert (refused.status, refused.payload, refused.label) == ("failed", "", "Lê Văn Rác")
    assert "ghi_chu_rac" in refused.error and "không có trong mẫu" in refused.error
    assert issued.status == "done" and len(issued.payload) < 20_000
