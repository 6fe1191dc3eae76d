"""Repeated work not redone (documents/cache.py): the same form asked again, as PDF or Word, is
served from memory; blank forms are made once; a changed form is made again; what is issued into
the archive never comes from memory."""

from conftest import example, pdf_pages
from documents.cache import Recent, content_key


def conversions(app):
    return app.extensions["converter"].status()["conversions"]


def test_preview_then_pdf_then_word_is_one_conversion(app, client):
    body = example("phieu-01")
    body["person"]["full_name"] = "Đinh Thị Cache"
    before = conversions(app)
    preview = client.post("/api/v1/phieu-01?format=pdf", json=body)
    download = client.post("/api/v1/phieu-01?format=pdf", json=body)
    word = client.post("/api/v1/phieu-01?format=docx", json=body)
    assert [preview.status_code, download.status_code, word.status_code] == [200, 200, 200]
    assert conversions(app) == before + 1
    assert download.data == preview.data
    assert "Đinh Thị Cache" in "\n".join(pdf_pages(download.data))
    assert word.data[:2] == b"PK"

    body["person"]["full_name"] = "Đinh Thị Khác"
    changed = client.post("/api/v1/phieu-01?format=pdf", json=body)
    assert conversions(app) == before + 2
    assert "Đinh Thị Khác" in "\n".join(pdf_pages(changed.data))


def test_blank_forms_are_made_once(app, client):
    first = client.get("/api/v1/phieu-01/blank?format=pdf")
    before = conversions(app)
    again = client.get("/api/v1/phieu-01/blank?format=pdf")
    assert first.status_code == again.status_code == 200
    assert again.data == first.data and conversions(app) == before


def test_issued_forms_are_converted_each_time(archive):
    body = example("phieu-01")
    converter = archive.app.extensions["converter"]
    before = converter.status()["conversions"]
    # The same content again returns the issued version (issue 15): a correction is a new one.
    corrected = {**body, "place": body.get("place", "") + " (sửa)"}
    first, second = archive.issue(body), archive.issue(corrected, replaces=1)
    assert converter.status()["conversions"] == before + 2
    assert first["code"] != second["code"]


def test_the_key_is_the_template_the_context_and_the_properties():
    context, meta = {"a": "x", "b": [1, 2]}, {"title": "t"}
    key = content_key("template-1", context, meta)
    assert key == content_key("template-1", {"b": [1, 2], "a": "x"}, dict(meta))
    assert key != content_key("template-2", context, meta)
    assert key != content_key("template-1", {**context, "a": "y"}, meta)
    assert key != content_key("template-1", context, {"title": "u"})
    assert content_key("template-1", {"a": object()}, meta) is None  # not cached


def test_memory_is_bounded_the_least_recently_used_going_first():
    recent = Recent(100)
    recent.put("a", b"1" * 40)
    recent.put("b", b"2" * 40)
    assert recent.get("a")  # now the most recent
    recent.put("c", b"3" * 40)
    assert recent.size <= 100
    assert recent.get("b") is None and recent.get("a") and recent.get("c")
    recent.put("huge", b"4" * 101)
    assert recent.get("huge") is None
    recent.resize(0)
    assert recent.size == 0 and recent.get("a") is None
