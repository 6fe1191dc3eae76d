"""The batch issue page (/phat-hanh-lo) and the unit month page's print packet links, server side
(Flask test client), on SQLite and PostgreSQL: who reaches the page, a job's page for its own unit
only, the links to the month's packet when the month has an archived form."""

import io
import re
import zipfile

from sqlalchemy import select
from test_roster import phieu, web_login
from test_web_archive import assert_locked_down

from archive.models import AuditEvent, User
from conftest import example
from forms import clock
from jobs import batch
from sheets.batch import SheetForm

PAGE = "/phat-hanh-lo"
MONTH_PAGE = "/don-vi/noi-vu/2026/11"
PACKET = "/api/v1/units/noi-vu/months/2026/11/packet"


def text(response):
    return response.get_data(as_text=True)


def job_of(archive, username, names=("Nguyễn Văn An", "Trần Thị Bình"), month=10):
    """A job of `username`'s unit, created and not run (the page only reads it)."""
    forms = []
    for name in names:
        body = example("phieu-01")
        body["person"]["full_name"] = name
        body["period"] = {"month": month, "year": 2026}
        forms.append(body)
    with archive.sessions() as db:
        user = db.scalar(select(User).where(User.username == username))
        return batch.create(db, user, [SheetForm(form) for form in forms]).id


def test_the_batch_page_for_a_unit_account(archive):
    client, _token = web_login(archive, "unit_a")
    response = client.get(PAGE)
    assert response.status_code == 200
    ids = assert_locked_down(response)
    assert ids == {"b-file", "b-month", "b-year", "b-signed-on", "b-head", "b-place"}
    page = text(response)
    assert f'href="{PAGE}"' in page  # in the navigation
    assert "<h1>Phát hành cả lô" in page and "Phòng Nội vụ" in page
    assert 'href="/api/v1/jobs/batch-issue/template.xlsx"' in page
    assert 'data-api="/api/v1/jobs/batch-issue/spreadsheet"' in page
    assert 'data-jobs="/api/v1/jobs"' in page and "data-job=" not in page
    assert '<script src="/static/web/batch.js">' in page
    assert 'role="alert"' in page and "<progress" in page
    assert ">Phát hành cả lô</button>" in page
    today = clock.today()
    assert f'<option value="{today.month}" selected>' in page
    assert f'id="b-year" name="year" value="{today.year}"' in page
    assert 'value="Nam Từ Liêm"' in page  # the place, by default the service's
    # The template it links to is the API's.
    assert client.get("/api/v1/jobs/batch-issue/template.xlsx").data.startswith(b"PK")
    # The unit month page links to it for a unit account.
    assert f'href="{PAGE}"' in text(client.get(MONTH_PAGE))


def test_only_unit_accounts_reach_the_batch_page(archive):
    response = archive.app.test_client().get(PAGE)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/dang-nhap?next={PAGE}"
    for username in ("secretariat", "admin"):
        client, _token = web_login(archive, username)
        response = client.get(PAGE)
        assert response.status_code == 403, username
        assert "Trang này dành cho tài khoản đơn vị" in text(response)
        assert f'href="{PAGE}"' not in text(client.get("/"))  # not in their navigation
    client, _token = web_login(archive, "secretariat")
    assert f'href="{PAGE}"' not in text(client.get(MONTH_PAGE))


def test_a_job_page_is_for_the_unit_that_sent_it(archive):
    job_id = job_of(archive, "unit_a")
    client, _token = web_login(archive, "unit_a")
    response = client.get(f"{PAGE}/{job_id}")
    assert response.status_code == 200
    assert_locked_down(response)
    page = text(response)
    assert f'data-job="{job_id}"' in page
    assert 'data-job-year="2026" data-job-month="10"' in page

    other, _token = web_login(archive, "unit_b")
    refused = other.get(f"{PAGE}/{job_id}")
    missing = other.get(f"{PAGE}/{'0' * 32}")
    assert refused.status_code == missing.status_code == 404
    for response in (refused, missing):
        page = text(response)
        assert "Không tìm thấy công việc" in page
        assert "Không có công việc phát hành này (hoặc đó là công việc của đơn vị khác)." in page
        assert job_id not in page.replace(f"{PAGE}/{job_id}", "")
    with archive.sessions() as db:
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == "job.read")
                            .order_by(AuditEvent.id)).all()
    assert [(e.outcome, e.username, e.detail) for e in events] == [
        ("refused", "unit_b", f"lô «{job_id}»: đơn vị khác"),
        ("refused", "unit_b", f"lô «{'0' * 32}»: không có")]
    # The secretariat reads jobs through the API, but the page is for issuing: 403.
    client, _token = web_login(archive, "secretariat")
    assert client.get(f"{PAGE}/{job_id}").status_code == 403


def test_a_job_without_a_readable_month_still_opens(archive):
    with archive.sessions() as db:
        user = db.scalar(select(User).where(User.username == "unit_a"))
        job_id = batch.create(db, user, [SheetForm({"person": {"full_name": "Ai đó"},
                                                    "period": "x"})]).id
    client, _token = web_login(archive, "unit_a")
    response = client.get(f"{PAGE}/{job_id}")
    assert response.status_code == 200
    assert f'data-job="{job_id}"' in text(response) and "data-job-year" not in text(response)


def packet_links(page):
    section = re.search(r'<section id="ho-so-in".*?</section>', page, re.S)
    return re.findall(r'href="([^"]+)"', section.group(0)) if section else []


def test_the_month_page_links_the_print_packet_once_a_form_is_archived(archive):
    client, _token = web_login(archive, "unit_a")
    page = text(client.get(MONTH_PAGE))
    assert "Hồ sơ in" not in page and packet_links(page) == []

    archive.issue(phieu("Nguyễn Thị Ngọc Ánh"))
    page = text(client.get(MONTH_PAGE))
    assert ">Hồ sơ in</h2>" in page
    assert "Tháng này chưa có phiếu tổng hợp." in page
    links = [link.replace("&amp;", "&") for link in packet_links(page)]
    assert links == [f"{PACKET}?format=pdf", f"{PACKET}?format=pdf&duplex=true",
                     f"{PACKET}?format=zip"]
    assert "Tải PDF để in" in page and "Tải PDF in hai mặt" in page
    assert "Tải ZIP (mỗi phiếu một tệp PDF)" in page
    # The login cookie is enough for these GETs.
    pdf, duplex, zipped = (client.get(link) for link in links)
    assert pdf.status_code == duplex.status_code == zipped.status_code == 200
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert duplex.data.startswith(b"%PDF")
    assert zipfile.ZipFile(io.BytesIO(zipped.data)).namelist()
    # Another month, still empty: no links.
    assert packet_links(text(client.get("/don-vi/noi-vu/2026/10"))) == []

    # The secretariat sees them too; the other unit does not reach the page at all.
    client, _token = web_login(archive, "secretariat")
    assert len(packet_links(text(client.get(MONTH_PAGE)))) == 3
    client, _token = web_login(archive, "unit_b")
    assert client.get(MONTH_PAGE).status_code == 404
    assert client.get(f"{PACKET}?format=pdf").status_code == 404


def test_a_month_with_only_its_tong_hop_links_the_packet(archive):
    body = example("tong-hop")
    body["period"] = {"month": 11, "year": 2026}
    archive.issue(body, form="tong-hop")
    client, _token = web_login(archive, "unit_a")
    page = text(client.get(MONTH_PAGE))
    assert len(packet_links(page)) == 3
    assert "phiếu tổng hợp mới nhất trước" in page
