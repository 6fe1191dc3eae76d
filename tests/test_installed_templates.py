"""Word templates the secretariat edits (issue 18), with the real LibreOffice and the real
database: the built-in template opened and changed as Word would, installed from the command
line, and what users then print; the mistakes the check catches, and that nothing changes for
users when it does; a unit's own template; rolling back; records naming their template."""

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.shared import Mm
from pypdf import PdfReader
from sqlalchemy import select
from test_layout import (
    assert_a4_landscape,
    check_phieu_01,
    check_tong_hop,
    last_row_end,
    page_texts,
    phieu_01_body,
    tong_hop_body,
)
from test_web_archive import page_token

from archive import templates
from archive.models import Document, FormTemplate
from archive.template_check import check, editable, prepared
from conftest import PASSWORD, example, unit_b_body
from documents.template import built_in
from forms import FORMS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER = "ĐẢNG BỘ QUẬN NAM TỪ LIÊM"
TITLES = {"tong-hop": ("PHIẾU TỔNG HỢP ĐÁNH GIÁ, NHẬN DIỆN", "PHIẾU TỔNG HỢP KẾT QUẢ THÁNG"),
          "phieu-01": ("PHIẾU ĐÁNH GIÁ, NHẬN DIỆN", "PHIẾU TỰ ĐÁNH GIÁ, NHẬN DIỆN")}


def edited(slug, *changes, margin_left_mm=None):
    """The built-in template opened with python-docx, `changes` (old, new) made in the text of
    its paragraphs (body, cells, footers), saved: what a person does in Word."""
    document = open_docx(io.BytesIO(built_in(FORMS[slug].TEMPLATE).content))
    parts = [document.element, *(footer._element for footer in (
        document.sections[0].footer, document.sections[0].first_page_footer))]
    for old, new in changes:
        found = False
        for part in parts:
            for text in part.iter(f"{W}t"):
                if text.text and old in text.text:
                    text.text, found = text.text.replace(old, new), True
        assert found, old
    if margin_left_mm is not None:
        document.sections[0].left_margin = Mm(margin_left_mm)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def secretariat_edit(slug, title=None):
    return edited(slug, ("{{ issuer_parent }}", HEADER),
                  (TITLES[slug][0], title or TITLES[slug][1]), margin_left_mm=25)


def login(app, username):
    client = app.test_client()
    response = client.post("/dang-nhap", data={
        "username": username, "password": PASSWORD, "csrf_token": page_token(client)})
    assert response.status_code == 303
    return client


def run(app, *args):
    return app.test_cli_runner().invoke(args=["templates", *map(str, args)])


def saved(tmp_path, content, name="mau.docx"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def text_of(pdf):
    return "".join(page_texts(pdf))


def squashed(text):
    return "".join(text.split())


def test_a_template_edited_in_word_is_installed_and_printed(archive, tmp_path):
    app = archive.app
    exported = tmp_path / "tong-hop.docx"
    result = run(app, "export", "tong-hop", exported)
    assert result.exit_code == 0 and "mẫu gốc" in result.output
    # What Word opens: no tag in a row's properties (Word calls that unreadable), which the
    # service puts back on installing.
    assert b'="{{' not in _parts(exported.read_bytes())["word/document.xml"]
    assert _parts(prepared(exported.read_bytes(), app.config))["word/document.xml"] == \
        _parts(built_in("tong_hop.docx").content)["word/document.xml"]

    body = tong_hop_body(20)
    built = archive.post("/api/v1/tong-hop", "unit_a", json=body).data
    file = saved(tmp_path, secretariat_edit("tong-hop"))
    preview = tmp_path / "xem-truoc"
    result = run(app, "install", "tong-hop", file, "--preview", preview)
    assert result.exit_code == 0, result.output
    assert "Đã cài Phiếu tổng hợp bản 1 cho toàn đảng bộ" in result.output
    previews = sorted(path.name for path in preview.iterdir())
    assert previews == ["Phiếu trống.pdf", "Phiếu điền theo dữ liệu mẫu.pdf"]

    # The form the unit prints: the new header and title, the old ones gone, the layout rules.
    response = archive.post("/api/v1/tong-hop", "unit_a", json=body)
    assert response.status_code == 200, response.json
    pages = page_texts(response.data)
    assert squashed(HEADER) in pages[0] and squashed(TITLES["tong-hop"][1]) in pages[0]
    assert squashed(TITLES["tong-hop"][0]) not in pages[0]
    assert "ỦYBANNHÂNDÂNQUẬN" not in pages[0]
    check_tong_hop(pages, 20)
    assert_a4_landscape(response.data)
    # The left margin is 25 mm, not 30: the names print 5 mm further left.
    moved = _left_of(built, "Người số 1") - _left_of(response.data, "Người số 1")
    assert abs(moved - Mm(5).pt) < 0.5, moved

    # The print packet composes it: the tổng hợp first, with its new title.
    packet = archive.post("/api/v1/packet", "unit_a", json={
        "tong_hop": tong_hop_body(4), "phieu_01": [example("phieu-01")]})
    assert packet.status_code == 200, packet.json
    reader = PdfReader(io.BytesIO(packet.data))
    starts = sorted(reader.get_destination_page_number(item) for item in reader.outline)
    packet_pages = page_texts(packet.data)
    check_tong_hop(packet_pages[:starts[1]], 4)
    assert squashed(TITLES["tong-hop"][1]) in packet_pages[0]
    assert squashed(TITLES["phieu-01"][0]) in packet_pages[starts[1]]  # still the built-in

    # The archived record names its template, and prints with it.
    issued = archive.issue(example("tong-hop"), form="tong-hop")
    with archive.sessions() as db:
        record = db.get(Document, issued["id"])
        row = db.scalar(select(FormTemplate))
        assert (record.template_version, record.template_sha256) == (1, row.sha256)
    pdf = archive.get(issued["links"]["pdf"], "unit_a").data
    assert squashed(TITLES["tong-hop"][1]) in text_of(pdf)
    assert issued["template"] == {"version": 1, "label": "bản 1", "sha256": row.sha256}
    page = login(app, "unit_a").get(f"/ho-so/{issued['id']}").get_data(as_text=True)
    assert (f"<dt>Mẫu phiếu</dt><dd>bản 1 <span class=\"muted\">(SHA-256 <code>"
            f"{row.sha256[:12]}</code>)</span></dd>") in page


def _left_of(pdf, text):
    """Where page 1 starts drawing `text`, from the left, in points."""
    xs = []
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    page.extract_text(visitor_text=lambda drawn, cm, tm, *_: drawn.startswith(text) and xs.append(
        tm[4] * cm[0] + cm[4]))
    return min(xs)


def test_the_example_of_each_form_shows_the_change(archive, tmp_path):
    app = archive.app
    file = saved(tmp_path, secretariat_edit("phieu-01"))
    checked = run(app, "check", file)  # the form guessed from the template's row loops
    assert checked.exit_code == 0 and "Mẫu đạt: dùng được cho Phiếu số 01." in checked.output
    assert archive.count(FormTemplate) == 0
    result = run(app, "install", "phieu-01", file)
    assert result.exit_code == 0, result.output
    response = archive.post("/api/v1/phieu-01", "unit_a", json=example("phieu-01"))
    first = page_texts(response.data)[0]
    assert squashed(HEADER) in first and squashed(TITLES["phieu-01"][1]) in first
    assert_a4_landscape(response.data)
    # The layout rules on a longer one, alone and in a print packet.
    body = phieu_01_body(16)
    pages = page_texts(archive.post("/api/v1/phieu-01", "unit_a", json=body).data)
    check_phieu_01(pages, last_row_end(body))
    packet = archive.post("/api/v1/packet", "unit_a",
                          json={"phieu_01": [body, example("phieu-01")]})
    reader = PdfReader(io.BytesIO(packet.data))
    starts = sorted(reader.get_destination_page_number(item) for item in reader.outline)
    assert page_texts(packet.data)[:starts[1]] == pages


MISTAKES = {
    "a broken tag": (
        lambda: edited("tong-hop", ("{{ row.full_name }}", "{{ row.full_name }")),
        ["Thẻ chưa đóng hoặc thiếu dấu ngoặc ở bảng 2, hàng 4, ô 2: «{{ row.full_name }»"]),
    "an unknown variable": (
        lambda: edited("tong-hop", ("{{ row.full_name }}", "{{ row.ho_ten }}")),
        ["Biến «row.ho_ten» không có trong Phiếu tổng hợp (bảng 2, hàng 4, ô 2: "
         "«{{ row.ho_ten }}»)"]),
    "a missing row loop": (
        lambda: edited("tong-hop", ("{%tr for row in rows %}", "")),
        ["Thẻ sai ở bảng 2, hàng 5, ô 1: «{%tr endfor %}» — thẻ đóng không khớp với thẻ mở nào"]),
    "a row loop that is not a row's": (
        lambda: edited("tong-hop", ("{%tr for row in rows %}", "{% for row in rows %}")),
        ["Vòng lặp «{% for row in rows %}» phải nằm một mình trong một hàng của bảng, viết "
         "«{%tr for …%}» (bảng 2, hàng 3, ô 1)"]),
    "a loop inside the row loop": (
        lambda: edited("tong-hop", ("{{ row.full_name }}",
                                    "{% for other in rows %}{{ other.full_name }}{% endfor %}")),
        ["Mỗi vòng lặp các dòng chỉ được có một lần, không lồng trong vòng lặp khác (bảng 2, "
         "hàng 4, ô 2"]),
    "a row loop closed as a paragraph's": (
        lambda: edited("tong-hop", ("{%tr endfor %}", "{% endfor %}")),
        ["Mẫu có 1 thẻ «{%tr for …%}» nhưng 0 thẻ «{%tr endfor %}»"]),
    "the number column moved": (
        lambda: edited("tong-hop", ("{{ loop.index }}", "§§"), ("{{ row.full_name }}",
                                                                 "{{ loop.index }}"),
                       ("§§", "{{ row.full_name }}")),
        ["Ô đầu của hàng dữ liệu (bảng 2, hàng 4) phải là số thứ tự {{ loop.index }}"]),
    "a required tag deleted": (
        lambda: edited("tong-hop", ("{{ row.shortcomings }}", "")),
        ["Mẫu thiếu thẻ «{{ row.shortcomings }}» (Tồn tại) mà Phiếu tổng hợp cần"]),
    "the footer's archive code deleted": (
        lambda: edited("tong-hop", ("{{ archive_stamp.code }}", "")),
        ["Chân trang (trang đầu) phải giữ nguyên dòng", "Chân trang (các trang) phải giữ"]),
    "a call escaping the sandbox": (
        lambda: edited("tong-hop", ("{{ month_line }}",
                                    "{{ month_line.__class__.__mro__[1].__subclasses__() }}")),
        ["Mẫu chỉ được in dữ liệu của phiếu, lặp và điều kiện; không được gọi hàm"]),
    "a bottom margin without room for the QR code": (
        lambda: _margin("tong-hop", bottom=12),
        ["Lề dưới 12 mm không đủ chỗ cho mã lưu trữ và mã QR"]),
    "not a Word file": (lambda: b"%PDF-1.7 not a template", ["không phải tệp Word (.docx)"]),
}


def _margin(slug, bottom):
    document = open_docx(io.BytesIO(built_in(FORMS[slug].TEMPLATE).content))
    document.sections[0].bottom_margin = Mm(bottom)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _deleted_head_row():
    document = open_docx(io.BytesIO(built_in("tong_hop.docx").content))
    table = document.tables[1]._tbl
    table.remove(table.tr_lst[1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


MISTAKES["a deleted head row"] = (_deleted_head_row, [
    "Bảng 2 phải giữ 2 hàng tiêu đề ở đầu bảng, đánh dấu «Lặp lại hàng tiêu đề ở đầu mỗi "
    "trang» (Repeat as header row); hiện còn 1"])


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_refused_with_its_place_and_nothing_changes(archive, tmp_path, mistake):
    make, messages = MISTAKES[mistake]
    before = archive.post("/api/v1/tong-hop", "unit_a", json=example("tong-hop"))
    file = saved(tmp_path, make())
    result = run(archive.app, "install", "tong-hop", file)
    assert result.exit_code == 1
    assert result.output.startswith("Error: Mẫu chưa dùng được:") or \
        "không phải tệp Word" in result.output, result.output
    for message in messages:
        assert message in result.output, result.output
    checked = run(archive.app, "check", file, "--form", "tong-hop")
    assert checked.exit_code == 1 and messages[0] in checked.output
    assert archive.count(FormTemplate) == 0
    assert "Chưa cài mẫu nào" in run(archive.app, "list").output
    after = archive.post("/api/v1/tong-hop", "unit_a", json=example("tong-hop"))
    assert page_texts(after.data) == page_texts(before.data)


def test_a_unit_s_template_reaches_that_unit_only(archive, tmp_path):
    file = saved(tmp_path, secretariat_edit("tong-hop"))
    result = run(archive.app, "install", "tong-hop", file, "--unit", "noi-vu")
    assert result.exit_code == 0 and "cho đơn vị noi-vu" in result.output, result.output
    title = squashed(TITLES["tong-hop"][1])
    own = archive.post("/api/v1/tong-hop", "unit_a", json=example("tong-hop"))
    other = archive.post("/api/v1/tong-hop", "unit_b", json=unit_b_body(example("tong-hop")))
    district = archive.post("/api/v1/tong-hop", "secretariat", json=example("tong-hop"))
    assert title in text_of(own.data)
    assert title not in text_of(other.data) and title not in text_of(district.data)
    issued = archive.issue(unit_b_body(example("tong-hop")), who="unit_b", form="tong-hop")
    with archive.sessions() as db:
        assert db.get(Document, issued["id"]).template_version == 0  # the built-in one

    # A district-wide template reaches the other units; the unit keeps its own.
    district_file = saved(tmp_path, secretariat_edit("tong-hop", "PHIẾU TỔNG HỢP CỦA ĐẢNG BỘ"),
                          "chung.docx")
    assert run(archive.app, "install", "tong-hop", district_file).exit_code == 0
    other = archive.post("/api/v1/tong-hop", "unit_b", json=unit_b_body(example("tong-hop")))
    own = archive.post("/api/v1/tong-hop", "unit_a", json=example("tong-hop"))
    assert "PHIẾUTỔNGHỢPCỦAĐẢNGBỘ" in text_of(other.data) and title in text_of(own.data)
    listing = run(archive.app, "list").output
    assert "* tong-hop\tbản 2\ttoàn đảng bộ" in listing
    assert "* tong-hop\tbản 1\tnoi-vu" in listing


def _parts(docx):
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_a_rollback_restores_the_previous_output_byte_for_byte(archive, tmp_path):
    app, body = archive.app, example("tong-hop")
    first = saved(tmp_path, secretariat_edit("tong-hop"), "1.docx")
    second = saved(tmp_path, secretariat_edit("tong-hop", "PHIẾU TỔNG HỢP BẢN HAI"), "2.docx")
    assert run(app, "install", "tong-hop", first).exit_code == 0
    before = archive.post("/api/v1/tong-hop?format=docx", "unit_a", json=body).data
    issued = archive.issue(body, form="tong-hop")
    assert run(app, "install", "tong-hop", second).exit_code == 0
    changed = archive.post("/api/v1/tong-hop?format=docx", "unit_a", json=body).data
    assert _parts(changed)["word/document.xml"] != _parts(before)["word/document.xml"]

    # The old record, filled again, uses its own template version, not the current one.
    with archive.sessions() as db:
        record = db.get(Document, issued["id"])
        again = templates.refill(archive.store, app.config, app.extensions["converter"],
                                 record, "docx")
        assert _parts(again) == _parts(archive.store.get(record.docx_sha256))

    refilled = tmp_path / "lai.pdf"
    result = run(app, "refill", issued["code"], refilled)
    assert result.exit_code == 0 and "bản 1." in result.output, result.output
    again_text = text_of(refilled.read_bytes())
    assert squashed(TITLES["tong-hop"][1]) in again_text and "BẢNHAI" not in again_text
    assert squashed(issued["code"]) in again_text  # its own archive code in the footer

    result = run(app, "rollback", "tong-hop", 1)
    assert result.exit_code == 0 and "Đang dùng Phiếu tổng hợp bản 1" in result.output
    after = archive.post("/api/v1/tong-hop?format=docx", "unit_a", json=body).data
    assert _parts(after) == _parts(before)
    assert "* tong-hop\tbản 1" in run(app, "list").output

    result = run(app, "rollback", "tong-hop", 0)
    assert result.exit_code == 0
    built = archive.post("/api/v1/tong-hop?format=docx", "unit_a", json=body).data
    assert squashed(TITLES["tong-hop"][0]) in text_of(
        archive.post("/api/v1/tong-hop", "unit_a", json=body).data)
    assert _parts(built) != _parts(before)
    result = run(app, "rollback", "tong-hop", 7)
    assert result.exit_code == 1 and "Mẫu «tong-hop» không có bản 7." in result.output


def _repacked(slug, change):
    """The built-in template with `change(name, data)` applied to each of its parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(built_in(FORMS[slug].TEMPLATE).content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))
    return out.getvalue()


def _bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        target.writestr("word/document.xml", b"<" + b" " * (20 * 1024 * 1024) + b"/>")
    return out.getvalue()


ATTACKS = {
    "a zip bomb": (_bomb, "khi giải nén nặng 20480 KB, quá giới hạn 10240 KB "
                          "(TEMPLATE_MAX_UNPACKED_BYTES)"),
    "an XML entity": (lambda: _repacked("tong-hop", lambda name, data: data.replace(
        b"<w:document ", b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document ')
        if name == "word/document.xml" else data), "có khai báo DOCTYPE/ENTITY trong "
                                                   "word/document.xml"),
    "a link to a file outside": (lambda: _repacked("tong-hop", lambda name, data: data.replace(
        b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/image" Target="http://10.0.0.1/x.png" '
        b'TargetMode="External"/></Relationships>') if name == "word/_rels/document.xml.rels"
        else data), "liên kết tới tệp hoặc địa chỉ bên ngoài (http://10.0.0.1/x.png)"),
    "a field fetching a picture": (lambda: _repacked("tong-hop", lambda name, data: data.replace(
        b"<w:body>", b'<w:body><w:p><w:fldSimple w:instr=" INCLUDEPICTURE http://10.0.0.1/x.png '
        b'"/></w:p>') if name == "word/document.xml" else data),
        "có trường INCLUDEPICTURE lấy nội dung từ tệp hay chương trình bên ngoài"),
    "a file too large": (lambda: b"PK" + b"\0" * (1024 * 1024 + 1),
                         "quá giới hạn 1024 KB (TEMPLATE_MAX_BYTES)"),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_attack_in_a_template_is_refused_before_it_is_unpacked(archive, tmp_path, attack):
    make, message = ATTACKS[attack]
    result = run(archive.app, "install", "tong-hop", saved(tmp_path, make()))
    assert result.exit_code == 1 and message in result.output, result.output
    assert archive.count(FormTemplate) == 0


def test_the_guide_lists_every_tag():
    from forms.template_tags import TAGS
    guide = (Path(__file__).resolve().parent.parent / "docs" / "TEMPLATES.md").read_text("utf-8")
    for tags in TAGS.values():
        for tag in tags:
            assert f"`{tag.written}`" in guide, tag.written


def test_the_page_shows_the_check_s_messages_the_preview_and_activates(archive):
    client = login(archive.app, "secretariat")
    page = client.get("/mau-phieu")
    assert page.status_code == 200 and "Chưa cài mẫu nào" in page.get_data(as_text=True)
    token = page_token(client, "/mau-phieu")

    def upload(content):
        return client.post("/mau-phieu/kiem-tra", data={
            "csrf_token": token, "form": "tong-hop", "unit": "",
            "file": (io.BytesIO(content), "mau.docx")})

    refused = upload(edited("tong-hop", ("{{ row.full_name }}", "{{ row.ho_ten }}")))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Mẫu chưa dùng được" in text
    assert ("Biến «row.ho_ten» không có trong Phiếu tổng hợp (bảng 2, hàng 4, ô 2: "
            "«{{ row.ho_ten }}»)") in text
    assert archive.count(FormTemplate) == 0

    checked = upload(secretariat_edit("tong-hop"))
    text = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "Mẫu đạt: Phiếu tổng hợp, cho toàn đảng bộ" in text
    previews = re.findall(r'<iframe src="(/mau-phieu/xem-truoc/[0-9a-f]{64}\.pdf)"', text)
    assert len(previews) == 2
    preview = client.get(previews[0])
    assert preview.mimetype == "application/pdf"
    assert squashed(TITLES["tong-hop"][1]) in text_of(preview.data)
    assert client.get("/mau-phieu/xem-truoc/" + "0" * 64 + ".pdf").status_code == 404
    assert archive.count(FormTemplate) == 0  # checked, not yet in use

    digest = re.search(r'name="sha256" value="([0-9a-f]{64})"', text).group(1)
    activated = client.post("/mau-phieu/kich-hoat", data={"csrf_token": token, "sha256": digest})
    assert activated.status_code == 303
    text = client.get("/mau-phieu").get_data(as_text=True)
    assert "Đã kích hoạt Phiếu tổng hợp bản 1 cho toàn đảng bộ" in text
    assert "<strong>đang dùng</strong>" in text
    response = archive.post("/api/v1/tong-hop", "unit_a", json=example("tong-hop"))
    assert squashed(TITLES["tong-hop"][1]) in text_of(response.data)
    again = client.post("/mau-phieu/kich-hoat", data={"csrf_token": token, "sha256": digest})
    assert "Chưa có tệp mẫu đã kiểm tra để kích hoạt" in client.get(
        again.location).get_data(as_text=True)
    assert login(archive.app, "unit_a").get("/mau-phieu").status_code == 403


def test_the_api_checks_installs_and_rolls_back(archive):
    def post(path, content):
        return archive.post(f"/api/v1/templates/tong-hop{path}", "admin",
                            data={"file": (io.BytesIO(content), "mau.docx")})

    refused = post("/check", _margin("tong-hop", bottom=12))
    assert refused.status_code == 422
    assert refused.json["errors"]["files"]["file"][0].startswith(
        "Lề dưới 12 mm không đủ chỗ cho mã lưu trữ và mã QR")
    content = secretariat_edit("tong-hop")
    assert post("/check", content).json == {
        "ok": True, "previews": ["Phiếu điền theo dữ liệu mẫu", "Phiếu trống"]}
    installed = post("", content)
    assert installed.status_code == 201, installed.json
    assert (installed.json["version"], installed.json["active"], installed.json["unit"],
            installed.json["installed_by"]) == (1, True, None, "admin")
    download = archive.get("/api/v1/templates/tong-hop/docx", "secretariat")
    config = archive.app.config
    assert _parts(prepared(download.data, config)) == _parts(prepared(content, config))
    assert archive.get("/api/v1/templates", "unit_a").status_code == 403
    rolled = archive.post("/api/v1/templates/tong-hop/rollback", "admin", json={"version": 0})
    assert rolled.status_code == 200 and [row["active"] for row in rolled.json] == [False]
    assert _parts(archive.get("/api/v1/templates/tong-hop/docx", "admin").data) == \
        _parts(editable(built_in("tong_hop.docx").content))
    missing = archive.post("/api/v1/templates/tong-hop/rollback", "admin", json={"version": 9})
    assert missing.status_code == 404 and missing.json["message"] == \
        "Mẫu «tong-hop» không có bản 9."


def test_a_template_saved_by_libreoffice_is_accepted_and_prints_as_before(archive, tmp_path):
    """LibreOffice rewrites the whole file on saving, and drops the rows' keep-whole tag."""
    app = archive.app
    exported = tmp_path / "tong-hop.docx"
    assert run(app, "export", "tong-hop", exported).exit_code == 0
    out = tmp_path / "luu"
    soffice = Path(app.config["SOFFICE"]).with_name("soffice")  # the wrapper: first start
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out),
                    str(exported)], check=True, capture_output=True, timeout=120)
    saved_by_libreoffice = (out / "tong-hop.docx").read_bytes()
    assert b"{{ row.whole }}" not in _parts(saved_by_libreoffice)["word/document.xml"]
    body = tong_hop_body(12, long=True)
    before = page_texts(archive.post("/api/v1/tong-hop", "unit_a", json=body).data)
    result = run(app, "install", "tong-hop", saved(tmp_path, saved_by_libreoffice))
    assert result.exit_code == 0, result.output
    after = page_texts(archive.post("/api/v1/tong-hop", "unit_a", json=body).data)
    check_tong_hop(after, 12)
    assert after == before


@pytest.mark.parametrize("slug", FORMS)
def test_a_note_under_the_signature_and_a_header_line_added_pass_the_check(app, slug):
    document = open_docx(io.BytesIO(built_in(FORMS[slug].TEMPLATE).content))
    document.add_paragraph("Ghi chú: phiếu lập thành 02 bản, lưu tại Văn phòng Đảng ủy.")
    document.tables[0].rows[0].cells[0].paragraphs[0].insert_paragraph_before(HEADER)
    out = io.BytesIO()
    document.save(out)
    with app.app_context():
        checked = check(slug, out.getvalue(), app.config, app.extensions["converter"])
    pages = page_texts(checked.previews["Phiếu điền theo dữ liệu mẫu"])
    assert squashed(HEADER) in pages[0]
    assert "Ghichú:phiếulậpthành02bản" in pages[-1]


def test_records_issued_before_the_upgrade_keep_everything_and_name_no_template(tmp_path):
    """Migration 0006 on an archive of 0005 with a record (SQLite's table rebuilt by Alembic's
    batch mode): the record stays whole, its template is «không ghi»; and back down."""
    from datetime import datetime, timezone

    from alembic import command

    from archive.db import Database
    from archive.models import Base

    database = Database(f"sqlite:///{tmp_path}/archive.sqlite3")
    config = database.alembic_config()
    command.upgrade(config, "0005")
    tables, now = Base.metadata.tables, datetime.now(timezone.utc)
    record = {"id": 1, "code": "ABCD-EFGH", "unit_id": 1, "form": "tong-hop", "year": 2026,
              "month": 11, "person_name": None, "person_key": "", "person_search": "",
              "version": 1, "previous_id": None, "title": "Phiếu tổng hợp", "issued_at": now,
              "issued_by_id": 1, "json_sha256": "a" * 64, "docx_sha256": "b" * 64,
              "pdf_sha256": "c" * 64}
    with database.engine.begin() as connection:
        connection.execute(tables["units"].insert().values(
            id=1, code="noi-vu", name="Phòng Nội vụ", parent=None, created_at=now))
        connection.execute(tables["users"].insert().values(
            id=1, username="anh", display_name="Anh", role="unit", unit_id=1,
            password_hash=None, active=True, created_at=now))
        connection.execute(tables["documents"].insert().values(**record))
    database.upgrade()
    with database.sessions() as db:
        document = db.get(Document, 1)
        assert {key: getattr(document, key) for key in record if key != "issued_at"} == \
            {key: value for key, value in record.items() if key != "issued_at"}
        assert (document.template_version, document.template_sha256) == (None, None)
        assert templates.of_record(None, document) is None  # filled again: the built-in one
    command.downgrade(config, "0005")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT code FROM documents").all() == [("ABCD-EFGH",)]
    database.engine.dispose()
