"""The access review (docs/SECURITY.md): every rule of the app's URL map, with every method it
takes, has a decision in auth/review.py; the document's table is generated from those
decisions; and the app answers each role exactly as decided, asked with real parameters (unit
A's record, scan, job and unit code). API routes are asked with the role's API key, pages with
its login cookie and the page's CSRF token. SQLite only: the roles are decided above the
database. Forms are filled as Word where the route allows it (no LibreOffice)."""

import io
import re
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import select
from test_batch_sheet import ROWS, filled_template

from app import create_app
from archive.models import Job
from archive.roles import GRANTS, Permission
from auth import review as access_review
from auth.review import DECISIONS, LOGIN, VISITORS
from conftest import PASSWORD, Archive, example
from sheets import tong_hop as tong_hop_sheet

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
UNIT_A = {"name": "Phòng Nội vụ", "parent": "Ủy ban nhân dân quận Nam Từ Liêm"}
PERIOD = {"month": 11, "year": 2026}
FILES = {"/docs/assets/<path:filename>": "swagger-ui.css",
         "/static/web/<path:filename>": "app.css"}


def url_map_routes(app):
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods - SKIPPED_METHODS}


def test_every_route_of_the_app_has_a_decision_and_every_decision_a_route(tmp_path):
    app = create_app({"TESTING": True, "WORK_DIR": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite3",
                      "DATA_DIR": str(tmp_path / "files"), "CONVERT_WARM_START": False})
    routes = url_map_routes(app)
    assert not routes - DECISIONS.keys(), (
        "routes without a decision in auth/review.py (add one, then run "
        "`python -m auth.review`)", sorted(routes - DECISIONS.keys()))
    assert not DECISIONS.keys() - routes, ("decisions for routes the app does not have",
                                           sorted(DECISIONS.keys() - routes))
    for key, (what, *cells) in DECISIONS.items():
        assert what and len(cells) == len(VISITORS), key
        assert all(cell == LOGIN or cell in (200, 201, 202, 204, 302, 303, 401, 403, 404, 422)
                   for cell in cells), key
    app.extensions["database"].engine.dispose()


def test_the_security_document_shows_exactly_the_decisions():
    text = access_review.DOC.read_text("utf-8")
    assert text == access_review.with_tables(text), (
        "docs/SECURITY.md's table differs from auth/review.py: run "
        "`python -m auth.review`")
    for (method, rule) in DECISIONS:
        assert f"`{method} {rule}`" in text


def test_every_permission_has_its_roles_and_acting_for_a_unit_needs_one():
    """archive/roles.py: a permission missing from GRANTS would fail at its first check; issuing
    and importing a roster act for the account's own unit, which a role without a unit lacks."""
    assert set(GRANTS) == set(Permission)
    for permission in (Permission.ISSUE, Permission.MANAGE_ROSTER):
        assert all(role.has_unit for role in GRANTS[permission]), permission


# ---------------------------------------------------------------------- the walk

def png():
    output = io.BytesIO()
    Image.new("L", (8, 8), 255).save(output, "PNG")
    return output.getvalue()


def minimal_phieu_01():
    return {"unit": UNIT_A, "period": PERIOD, "person": {"full_name": "Nguyễn Văn Thử"}}


def upload(content, name):
    return (io.BytesIO(content), name)


def _csrf(client, path="/"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def _logged_in(app, who):
    """A client with `who`'s login cookie (anonymous: none) and its page's CSRF token."""
    client = app.test_client()
    if who != "anonymous":
        response = client.post("/dang-nhap", data={
            "username": who, "password": PASSWORD, "csrf_token": _csrf(client, "/dang-nhap")})
        assert response.status_code == 303, who
    return client, _csrf(client)


def _login_attempt(site, who):
    client = site.app.test_client()
    token = _csrf(client, "/dang-nhap")
    credentials = ({"username": "khong-co-ai", "password": "sai-mat-khau-nay"}
                   if who == "anonymous" else {"username": who, "password": PASSWORD})
    return client.post("/dang-nhap", data={**credentials, "csrf_token": token})


def _logout(site, who):
    client, token = _logged_in(site.app, who)
    return client.post("/dang-xuat", headers={"X-CSRFToken": token})


# (method, rule) → the request's keyword arguments for that role; plain GETs need none.
BODIES = {
    ("POST", "/api/v1/phieu-01"): lambda who: {"json": minimal_phieu_01(),
                                               "query_string": {"format": "docx"}},
    ("GET", "/api/v1/phieu-01/blank"): lambda who: {"query_string": {"format": "docx"}},
    ("POST", "/api/v1/phieu-01/validate"): lambda who: {"json": minimal_phieu_01()},
    ("POST", "/api/v1/tong-hop"): lambda who: {"json": example("tong-hop"),
                                               "query_string": {"format": "docx"}},
    ("GET", "/api/v1/tong-hop/blank"): lambda who: {"query_string": {"format": "docx"}},
    ("POST", "/api/v1/tong-hop/validate"): lambda who: {"json": example("tong-hop")},
    ("POST", "/api/v1/packet"): lambda who: {"json": {"phieu_01": [minimal_phieu_01()]},
                                             "query_string": {"format": "zip"}},
    # Forms not issued yet (one already issued answers 200 or 409): another person than the
    # site's Phiếu 01, another month than the tổng hợp the unit's month route makes.
    ("POST", "/api/v1/documents/phieu-01"): lambda who: {"json": {
        **example("phieu-01"), "person": {"full_name": "Trần Văn Quyền"}}},
    ("POST", "/api/v1/documents/tong-hop"): lambda who: {"json": {
        **example("tong-hop"), "period": {"month": 10, "year": 2026}}},
    ("POST", "/api/v1/documents/<int:document_id>/signed-scan"): lambda who: {
        "data": {"file": upload(png(), "ban-quet.png")}},
    ("POST", "/api/v1/documents/verify"): lambda who: {
        "data": {"file": upload(b"%PDF-1.7 not archived", "tep.pdf")}},
    ("GET", "/api/v1/units/<code>/excused-months"): lambda who: {"query_string": {"year": 2026}},
    ("POST", "/api/v1/units/<code>/excused-months"): lambda who: {"json": {
        "full_name": "Nguyễn Thị Ngọc Ánh", "year": 2026,
        "month": {"secretariat": 8}.get(who, 9), "reason": "nghi_phep"}},
    ("PUT", "/api/v1/units/<code>/roster"): lambda who: {
        "json": [{"full_name": "Nguyễn Thị Ngọc Ánh"}, {"full_name": "Nguyễn Văn Thử"}]},
    ("GET", "/api/v1/reports/year-end"): lambda who: {
        "query_string": {"unit": "noi-vu", "year": 2026}},
    ("GET", "/api/v1/reports/periodic"): lambda who: {
        "query_string": {"unit": "noi-vu", "year": 2026, "report": "nam", "format": "json"}},
    ("POST", "/api/v1/jobs/batch-issue"): lambda who: {  # no person: the item fails, fast
        "json": {"forms": [{"unit": UNIT_A, "period": PERIOD}]}},
    ("POST", "/api/v1/jobs/batch-issue/spreadsheet"): lambda who: {"data": {
        "file": upload(filled_template(ROWS[:1]), "lo.xlsx"), "month": "11", "year": "2026"}},
    ("POST", "/tong-hop/nhap-bang"): lambda who: {
        "data": {"file": upload(tong_hop_sheet.template_xlsx(), "bang.xlsx")}},
    ("POST", "/ho-so/<int:document_id>"): lambda who: {
        "data": {"file": upload(png(), "ban-quet.png")}},
    ("POST", "/xac-minh"): lambda who: {
        "data": {"file": upload(b"%PDF-1.7 not archived", "tep.pdf")}},
    ("POST", "/don-vi/<code>/<int:year>/<int:month>/tong-hop"): lambda who: {"data": {}},
    ("POST", "/api/v1/templates/<form>/check"): lambda who: {
        "data": {"file": upload(b"not a template", "mau.docx")}},
    ("POST", "/api/v1/templates/<form>"): lambda who: {
        "data": {"file": upload(b"not a template", "mau.docx")}},
    ("POST", "/api/v1/templates/<form>/rollback"): lambda who: {"json": {"version": 0}},
    ("POST", "/mau-phieu/kiem-tra"): lambda who: {"data": {
        "form": "tong-hop", "file": upload(b"not a template", "mau.docx")}},
    ("POST", "/mau-phieu/quay-lai"): lambda who: {"data": {"form": "tong-hop", "version": "0"}},
    ("POST", "/don-vi/<code>/<int:year>/<int:month>/vang"): lambda who: {"data": {
        "full_name": "Nguyễn Thị Ngọc Ánh", "reason": "om_dau"}},
    ("POST", "/don-vi/<code>/danh-sach"): lambda who: {"data": {
        "file": upload("Họ và tên\r\nNguyễn Thị Ngọc Ánh\r\n".encode(), "danh-sach.csv"),
        "year": "2026", "month": "11"}},
}
OWN_CLIENT = {("POST", "/dang-nhap"): _login_attempt, ("POST", "/dang-xuat"): _logout}


class Site:
    """One archive for the walk: unit A (noi-vu) has a Phiếu 01 of 11/2026 with a signed scan,
    and a finished job; every role has its key and a logged-in client. The app keeps the
    default settings but the login limit (every role logs in several times from 127.0.0.1)."""

    def __init__(self, shared, root):
        self.app = create_app({
            "TESTING": True, "WORK_DIR": str(root / "work"),
            "DATABASE_URL": f"sqlite:///{root}/archive.sqlite3", "DATA_DIR": str(root / "files"),
            "CONVERT_WARM_START": False, "LOGIN_RATE_LIMIT": "1000 per minute"},
            converter=shared.extensions["converter"])
        self.archive = Archive(self.app)
        document = self.archive.issue(example("phieu-01"))
        scan = self.archive.post(f"/api/v1/documents/{document['id']}/signed-scan",
                                 "secretariat", data={"file": upload(png(), "quet.png")})
        assert scan.status_code == 201, scan.json
        job = self.archive.post("/api/v1/jobs/batch-issue", "unit_a",
                                json={"forms": [{"unit": UNIT_A, "period": PERIOD}]})
        assert job.status_code == 202, job.json
        self.jobs_done()
        roster = self.archive.client.put("/api/v1/units/noi-vu/roster", json=[
            {"full_name": "Nguyễn Thị Ngọc Ánh"}], headers=self.archive.headers("unit_a"))
        assert roster.status_code == 200, roster.json
        excused = [self.archive.post("/api/v1/units/noi-vu/excused-months", "unit_a", json={
            "full_name": "Nguyễn Thị Ngọc Ánh", "year": 2026, "month": month,
            "reason": "om_dau"}).json["id"] for month in (6, 7)]
        self.values = {"document_id": document["id"], "scan_id": scan.json["id"],
                       "job_id": job.json["id"], "code": "noi-vu", "year": 2026, "month": 11,
                       "excused_id": excused[0], "form": "tong-hop", "digest": "0" * 64}
        # What one role acts on alone, so that no role's walk finds it gone by another's.
        self.own_values = {"secretariat": {"excused_id": excused[1]}}
        self.clients = {who: _logged_in(self.app, who) for who in VISITORS}

    def url(self, rule, who=None):
        values = {**self.values, **self.own_values.get(who, {})}
        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>",
                      lambda match: str(FILES.get(rule) if match.group(1) == "filename"
                                        else values[match.group(1)]), rule)

    def ask(self, method, rule, who):
        if (method, rule) in OWN_CLIENT:
            return OWN_CLIENT[method, rule](self, who)
        kwargs = BODIES.get((method, rule), lambda who: {})(who)
        if rule.startswith("/api/"):
            client, headers = self.archive.client, self.archive.headers(
                None if who == "anonymous" else who)
        else:
            client, token = self.clients[who]
            headers = {"X-CSRFToken": token}
        return client.open(self.url(rule, who), method=method, headers=headers, **kwargs)

    def jobs_done(self, timeout=120):
        """Waits for the background jobs (they convert while later requests run)."""
        deadline = time.monotonic() + timeout
        with self.archive.sessions() as db:
            while db.scalars(select(Job.status).where(Job.status != "done")).first():
                assert time.monotonic() < deadline, "jobs not done"
                time.sleep(0.2)
                db.expire_all()


@pytest.fixture(scope="module")
def site(app, tmp_path_factory):
    site = Site(app, tmp_path_factory.mktemp("access-review"))
    yield site
    site.jobs_done()
    site.app.extensions["database"].engine.dispose()


def outcome_of(response):
    if response.status_code == 302 and urlsplit(response.location).path == "/dang-nhap":
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("who", VISITORS)
def test_each_route_answers_this_role_as_decided(site, who):
    wrong = []
    for (method, rule) in DECISIONS:
        expected = access_review.outcomes((method, rule))[who]
        response = site.ask(method, rule, who)
        if outcome_of(response) != expected:
            wrong.append(f"{method} {rule}: {outcome_of(response)} (decided: {expected}) "
                         f"{response.get_data(as_text=True)[:200]!r}")
        if rule.endswith("/spreadsheet"):
            site.jobs_done()
    site.jobs_done()
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("who", ["unit_b", "secretariat"])
def test_another_units_account_never_sees_unit_as_record_in_a_list(site, who):
    """What the table cannot say: unit B's list and verify answer 200, without A's record."""
    listing = site.archive.get("/api/v1/documents", who, query_string={"all_versions": "true"})
    ids = {row["id"] for row in listing.json}
    assert (site.values["document_id"] in ids) == (who == "secretariat")
    pdf = site.archive.get(f"/api/v1/documents/{site.values['document_id']}/pdf", "unit_a")
    verified = site.archive.post("/api/v1/documents/verify", who,
                                 data={"file": upload(pdf.data, "phieu.pdf")})
    assert verified.json["authentic"] is (who == "secretariat")
