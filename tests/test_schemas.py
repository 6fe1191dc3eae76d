"""Input validation, seen from the client: the validate endpoints' 200 (normalized data) and 422
(field path → "<label on the form>: <Vietnamese message>"), plus the 400/413/415 error bodies.

Every case starts from a valid example and changes one value, so the 422 must name exactly that
field; the validate endpoints never start LibreOffice.
"""

import json
import unicodedata

import pytest

from conftest import example, make_app

P01, TH = "phieu-01", "tong-hop"
DELETE = object()  # as a value in a case: remove the key instead of setting it


def nfd(text):
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the case really sends decomposed text
    return decomposed


# ----------------------------------------------------------------------------------- helpers


def post(client, form, body):
    return client.post(f"/api/v1/{form}/validate", json=body)


def post_raw(client, form, text, content_type="application/json"):
    return client.post(f"/api/v1/{form}/validate", data=text, content_type=content_type)


def errors_of(response):
    """The 422's `errors.json`: {dotted path: [messages]}."""
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]["json"]


def data_of(response):
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def _parent(body, path):
    *parents, last = path.split(".")
    node = body
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    return node, int(last) if isinstance(node, list) else last


def changed(form, path, value):
    """The form's example with the value at a dotted path set (or DELETEd)."""
    body = example(form)
    node, key = _parent(body, path)
    if value is DELETE:
        del node[key]
    else:
        node[key] = value
    return body


def value_at(data, path):
    node, key = _parent(data, path)
    return node[key]


def assert_only_error(response, path, label, *words):
    """A 422 whose only failing field is `path`, its message led by the form's label."""
    errors = errors_of(response)
    assert list(errors) == [path], errors
    [message] = errors[path]
    if label is not None:
        assert message.startswith(f"{label}: "), message
    for word in words:
        assert word in message, (word, message)
    return message


# ---------------------------------------------------------------------------------- 1. required

REQUIRED_TEXT = [  # (form, path, label) of the required string fields
    (P01, "unit.name", "Đơn vị"),
    (P01, "person.full_name", "Họ và tên"),
    (TH, "unit.name", "Đơn vị"),
    (TH, "rows.1.full_name", "Họ tên"),
]
REQUIRED = REQUIRED_TEXT + [
    (P01, "unit", "Đơn vị"),
    (P01, "period", "Kỳ đánh giá (tháng, năm)"),
    (P01, "period.month", "Tháng"),
    (P01, "period.year", "Năm"),
    (P01, "person", "Họ và tên"),
    (TH, "period", "Kỳ đánh giá (tháng, năm)"),
    (TH, "period.month", "Tháng"),
]


@pytest.mark.parametrize("missing", [DELETE, None], ids=["absent", "null"])
@pytest.mark.parametrize("form, path, label", REQUIRED)
def test_required_field_missing_or_null(client, form, path, label, missing):
    response = post(client, form, changed(form, path, missing))
    assert errors_of(response) == {path: [f"{label}: không được để trống"]}


@pytest.mark.parametrize("blank", ["", "   ", " \t ", "\n \r\n"], ids=repr)
@pytest.mark.parametrize("form, path, label", REQUIRED_TEXT)
def test_required_text_blank_counts_as_missing(client, form, path, label, blank):
    response = post(client, form, changed(form, path, blank))
    assert errors_of(response) == {path: [f"{label}: không được để trống"]}


def test_optional_blank_text_loads_as_null(client):
    body = changed(P01, "person.position", "   ")
    assert data_of(post(client, P01, body))["person"]["position"] is None


# ----------------------------------------------------------------------------- 2. unknown keys


@pytest.mark.parametrize("form, path", [
    (P01, "chuc_vu"),
    (P01, "person.chuc_vu"),
    (P01, "unit.address"),
    (P01, "period.day"),
    (P01, "sections.khac"),
    (P01, "sections.tasks.0.foo"),
    (P01, "sections.tasks.0.self.score"),
    (P01, "sections.political.0.self.identification.muc"),
    (TH, "rows.2.ghi_chu"),
    (TH, "person"),
])
def test_unknown_key_is_refused_by_name(client, form, path):
    response = post(client, form, changed(form, path, "x"))
    key = path.rsplit(".", 1)[-1]
    assert_only_error(response, path, None, f"«{key}»", "không có trong mẫu phiếu")


# ------------------------------------------------------------------------ 3. trimming and NFC

NAME = "Nguyễn Thị Ngọc Ánh"


@pytest.mark.parametrize("form, path, sent, expected", [
    (P01, "person.full_name", "  Nguyễn Văn A  ", "Nguyễn Văn A"),
    (P01, "person.full_name", "\tNguyễn Văn A\r\n", "Nguyễn Văn A"),
    (P01, "person.full_name", nfd(NAME), NAME),
    (P01, "unit.name", nfd(" Phòng Tài chính – Kế hoạch "), "Phòng Tài chính – Kế hoạch"),
    (TH, "rows.0.full_name", nfd("Lê Minh Đức"), "Lê Minh Đức"),
    (P01, "sections.tasks.0.content", "Dòng 1\r\nDòng 2\r\n", "Dòng 1\nDòng 2"),
    (P01, "sections.tasks.0.content", "Dòng 1\rDòng 2", "Dòng 1\nDòng 2"),
    (P01, "sections.tasks.0.self.result", nfd("Đã sửa\r\nxong"), "Đã sửa\nxong"),
    (P01, "sections.tasks.0.content", "Cột 1\tCột 2", "Cột 1\tCột 2"),
    (P01, "person.full_name", "Nguyễn\tVăn A", "Nguyễn\tVăn A"),
], ids=repr)
def test_text_is_trimmed_and_normalized(client, form, path, sent, expected):
    returned = value_at(data_of(post(client, form, changed(form, path, sent))), path)
    assert returned == expected
    assert unicodedata.is_normalized("NFC", returned)


# ------------------------------------------------------- 4. control characters and newlines

CONTROL_FIELDS = [  # single-line and multi-line fields of both forms
    (P01, "person.full_name", "Họ và tên"),
    (P01, "sections.tasks.0.content", "Nội dung"),
    (P01, "sections.tasks.0.self.result", "Đánh giá kết quả thực hiện"),
    (TH, "rows.1.shortcomings", "Tồn tại"),
]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe",
                                  "\u202e", "\u2067"],
                         ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("form, path, label", CONTROL_FIELDS)
def test_control_character_is_refused(client, form, path, label, char):
    response = post(client, form, changed(form, path, f"Nội{char}dung"))
    assert_only_error(response, path, label, "ký tự điều khiển", f"U+{ord(char):04X}")


@pytest.mark.parametrize("form, path, label", CONTROL_FIELDS)
def test_lone_surrogate_is_refused(client, form, path, label):
    # json= cannot carry a lone surrogate: write the JSON escape into the raw text instead.
    text = json.dumps(changed(form, path, "Nội@SURROGATE@dung")).replace("@SURROGATE@", "\\ud800")
    response = post_raw(client, form, text)
    assert_only_error(response, path, label, "ký tự điều khiển", "U+D800")


@pytest.mark.parametrize("form, path", [(P01, "monthly_rating"), (P01, "person.@SURROGATE@")])
def test_lone_surrogate_in_enum_or_key_is_a_422(client, form, path):
    body = changed(form, path, "@SURROGATE@")
    response = post_raw(client, form, json.dumps(body).replace("@SURROGATE@", "\\ud800"))
    assert response.status_code == 422


@pytest.mark.parametrize("form, path, label", [
    (P01, "person.full_name", "Họ và tên"),
    (P01, "person.position", "Chức vụ"),
    (P01, "unit.name", "Đơn vị"),
    (P01, "unit.parent", "Cơ quan cấp trên"),
    (P01, "head_name", "Họ tên thủ trưởng đơn vị"),
    (TH, "rows.0.full_name", "Họ tên"),
])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028"], ids=repr)
def test_newline_is_refused_in_single_line_field(client, form, path, label, newline):
    response = post(client, form, changed(form, path, f"Nguyễn{newline}Văn A"))
    assert_only_error(response, path, label, "không được xuống dòng")


@pytest.mark.parametrize("form, path", [
    (P01, "sections.tasks.0.content"),
    (P01, "sections.tasks.0.self.result"),
    (P01, "sections.tasks.0.authority.remedy"),
    (P01, "sections.tasks.0.note"),
    (TH, "rows.1.shortcomings"),
])
def test_newline_is_kept_in_multi_line_field(client, form, path):
    text = "Dòng một\nDòng hai\n\nDòng bốn"
    assert value_at(data_of(post(client, form, changed(form, path, text))), path) == text


# ----------------------------------------------------------------------------- 5. length limits

LIMITED = [  # (form, path, label, limit): one field of each kind of limit
    (P01, "person.full_name", "Họ và tên", 200),
    (P01, "head_name", "Họ tên thủ trưởng đơn vị", 200),
    (P01, "unit.name", "Đơn vị", 300),
    (P01, "place", "Địa danh", 100),
    (P01, "sections.tasks.0.self.result", "Đánh giá kết quả thực hiện", 2000),
    (P01, "sections.tasks.0.note", "Ghi chú", 1000),
    (TH, "rows.1.shortcomings", "Tồn tại", 2000),
]


@pytest.mark.parametrize("form, path, label, limit", LIMITED)
def test_one_character_over_the_limit_is_refused(client, form, path, label, limit):
    response = post(client, form, changed(form, path, "ễ" * (limit + 1)))
    assert_only_error(response, path, label, f"dài quá {limit} ký tự", f"hiện có {limit + 1}")


@pytest.mark.parametrize("make", [
    lambda n: "ễ" * n,                        # characters, not UTF-8 bytes, are counted
    lambda n: unicodedata.normalize("NFD", "ễ" * n),  # ... after NFC
    lambda n: "  " + "ễ" * n + "  ",          # ... after trimming
], ids=["nfc", "nfd", "padded"])
@pytest.mark.parametrize("form, path, label, limit", LIMITED)
def test_exactly_at_the_limit_is_accepted(client, form, path, label, limit, make):
    returned = value_at(data_of(post(client, form, changed(form, path, make(limit)))), path)
    assert returned == "ễ" * limit


def test_long_unbroken_word_in_a_cell_is_refused(client):
    path = "sections.political.0.self.cause"
    response = post(client, P01, changed(P01, path, "x" * 3000))
    assert_only_error(response, path, "Nguyên nhân", "dài quá 2000 ký tự", "hiện có 3000")


def item(i):
    return {"content": f"Nội dung {i}"}


def row(i):
    return {"full_name": f"Người {i}", "rating": "tot"}


@pytest.mark.parametrize("form, path, label, limit, make", [
    (P01, "sections.political", "Mục I", 100, item),
    (P01, "sections.tasks", "Mục II.2", 100, item),
    (TH, "rows", "Danh sách cán bộ", 1000, row),
])
def test_too_many_list_items_are_refused(client, form, path, label, limit, make):
    items = [make(i) for i in range(limit + 1)]
    response = post(client, form, changed(form, path, items))
    assert_only_error(response, path, label, f"tối đa {limit} dòng")


@pytest.mark.parametrize("form, path, count, make", [
    (P01, "sections.political", 100, item),
    (P01, "sections.other", 100, item),
    (TH, "rows", 500, row),
    (TH, "rows", 1000, row),
])
def test_list_within_the_limit_is_accepted(client, form, path, count, make):
    items = [make(i) for i in range(count)]
    assert len(value_at(data_of(post(client, form, changed(form, path, items))), path)) == count


# ------------------------------------------------------------------------------ 6. wrong types


@pytest.mark.parametrize("form, path, value, label, words", [
    (P01, "period.month", "11", "Tháng", ["phải là số nguyên"]),
    (P01, "period.month", 11.5, "Tháng", ["phải là số nguyên"]),
    (P01, "period.month", True, "Tháng", ["phải là số nguyên"]),
    (P01, "period.month", 0, "Tháng", ["phải từ 1 đến 12"]),
    (P01, "period.month", 13, "Tháng", ["phải từ 1 đến 12"]),
    (P01, "period.year", 2022, "Năm", ["phải từ 2023 đến 2100"]),
    (P01, "period.year", 2101, "Năm", ["phải từ 2023 đến 2100"]),
    (TH, "period.year", "2026", "Năm", ["phải là số nguyên"]),
    (P01, "sections.tasks", {"content": "x"}, "Mục II.2", ["phải là một danh sách"]),
    (P01, "sections.other", "Không", "Mục IV", ["phải là một danh sách"]),
    (TH, "rows", {"full_name": "x"}, "Danh sách cán bộ", ["phải là một danh sách"]),
    (P01, "signed_on", "24/11/2026", "Ngày ký", ["ngày hợp lệ", "NNNN-TT-NN"]),
    (P01, "signed_on", "2026-02-30", "Ngày ký", ["ngày hợp lệ", "NNNN-TT-NN"]),
    (TH, "signed_on", 20261124, "Ngày ký", ["ngày hợp lệ", "NNNN-TT-NN"]),
    (P01, "signed_on", "1999-01-01", "Ngày ký", ["năm phải từ 2023 đến 2100"]),
    (P01, "person.full_name", 123, "Họ và tên", ["phải là chuỗi ký tự"]),
    (P01, "unit.name", ["Phòng Nội vụ"], "Đơn vị", ["phải là chuỗi ký tự"]),
    (P01, "sections.tasks.0.content", {"text": "x"}, "Nội dung", ["phải là chuỗi ký tự"]),
    (P01, "monthly_rating", 1, "Kết quả đánh giá, xếp loại tháng", ["phải là chuỗi ký tự"]),
], ids=repr)
def test_wrong_type_or_range_is_refused(client, form, path, value, label, words):
    assert_only_error(post(client, form, changed(form, path, value)), path, label, *words)


NOT_OBJECTS = [  # (form, path, label) of the nested objects
    (P01, "person", "Họ và tên"),
    (P01, "unit", "Đơn vị"),
    (TH, "period", "Kỳ đánh giá (tháng, năm)"),
    (P01, "sections", "Các mục đánh giá"),
    (P01, "sections.tasks.0", "Mục II.2"),
    (P01, "sections.tasks.0.self", "Cá nhân tự đánh giá"),
    (P01, "sections.political.0.authority.identification", "Nhận diện biểu hiện"),
    (TH, "rows.0", "Dòng"),
]


@pytest.mark.parametrize("value", ["Nguyễn Văn A", 7, ["x"]], ids=repr)
@pytest.mark.parametrize("form, path, label", NOT_OBJECTS)
def test_non_object_is_refused_at_its_path(client, form, path, label, value):
    assert_only_error(post(client, form, changed(form, path, value)), path, None,
                      "phải là một đối tượng JSON")


@pytest.mark.parametrize("form, path, label", NOT_OBJECTS)
def test_non_object_message_starts_with_the_label(client, form, path, label):
    assert_only_error(post(client, form, changed(form, path, "abc")), path, label)


@pytest.mark.parametrize("form", [P01, TH])
@pytest.mark.parametrize("body", [[], [{"person": {}}], "Phiếu", 3, None], ids=repr)
def test_body_that_is_not_an_object_is_a_schema_error(client, form, body):
    response = post_raw(client, form, json.dumps(body))
    assert_only_error(response, "_schema", None, "phải là một đối tượng JSON")


@pytest.mark.parametrize("form, path", [(P01, "sections.tasks.0"), (TH, "rows.1")])
def test_null_list_item_is_refused(client, form, path):
    errors = errors_of(post(client, form, changed(form, path, None)))
    assert list(errors) == [path], errors


# ------------------------------------------------------------------------------------ 7. enums

LEVEL = "sections.political.0.self.identification.level"
REMEDY = "sections.political.0.self.remedy_status"


@pytest.mark.parametrize("form, path, sent, slug", [
    (P01, "monthly_rating", "hoan_thanh_tot", "hoan_thanh_tot"),
    (P01, "monthly_rating", "HOÀN THÀNH TỐT NHIỆM VỤ", "hoan_thanh_tot"),
    (P01, "monthly_rating", "hoan thanh tot nhiem vu", "hoan_thanh_tot"),
    (P01, "monthly_rating", "Hoàn thành tốt", "hoan_thanh_tot"),
    (P01, "monthly_rating", nfd(" Hoàn thành tốt nhiệm vụ "), "hoan_thanh_tot"),
    (P01, "monthly_rating", "Hoàn thành", "hoan_thanh"),
    (P01, "monthly_rating", "không hoàn thành nhiệm vụ", "khong_hoan_thanh"),
    (P01, "identification_rating", "TB", "trung_binh"),
    (P01, "identification_rating", "Trung bình", "trung_binh"),
    (P01, "identification_rating", "trung_binh", "trung_binh"),
    (P01, "identification_rating", "KÉM", "kem"),
    (P01, LEVEL, "Có biểu hiện nhưng không thường xuyên ở nội dung", "khong_thuong_xuyen"),
    (P01, LEVEL, "co bieu hien thuong xuyen", "thuong_xuyen"),
    (P01, LEVEL, "Không có biểu hiện", "khong_co"),
    (P01, REMEDY, "fixed_in_time", "fixed_in_time"),
    (P01, REMEDY, "Đã khắc phục kịp thời", "fixed_in_time"),
    (P01, REMEDY, "da khac phuc kip thoi", "fixed_in_time"),
    (P01, REMEDY, "chưa khắc phục", "not_fixed"),
    (TH, "rows.0.rating", "kém", "kem"),
    (TH, "rows.0.rating", "Tốt", "tot"),
    (TH, "rows.0.rating", "tb", "trung_binh"),
], ids=repr)
def test_enum_accepts_slug_label_and_short_forms(client, form, path, sent, slug):
    assert value_at(data_of(post(client, form, changed(form, path, sent))), path) == slug


@pytest.mark.parametrize("form, path, value, label, allowed", [
    (P01, "monthly_rating", "gioi", "Kết quả đánh giá, xếp loại tháng",
     ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Không hoàn thành nhiệm vụ"]),
    (P01, "monthly_rating", "Hoàn thành tốt nhiệm", "Kết quả đánh giá, xếp loại tháng",
     ["Hoàn thành tốt nhiệm vụ"]),
    (P01, "identification_rating", "kha", "Kết quả đánh giá, nhận diện biểu hiện",
     ["Tốt", "Trung bình", "Kém"]),
    (P01, LEVEL, "nhe", "Mức nhận diện biểu hiện",
     ["Không có biểu hiện", "Có biểu hiện thường xuyên ở nội dung"]),
    (P01, REMEDY, "fixed", "Tình trạng khắc phục", ["Đã khắc phục kịp thời", "Chưa khắc phục"]),
    (TH, "rows.0.rating", "gioi", "Mức đánh giá, nhận diện biểu hiện",
     ["Tốt", "Trung bình", "Kém"]),
], ids=repr)
def test_unknown_enum_value_lists_the_allowed_labels(client, form, path, value, label, allowed):
    response = post(client, form, changed(form, path, value))
    assert_only_error(response, path, label, f"«{value}»", "không hợp lệ", *allowed)


# ------------------------------------------------------------------- 8. markup passes unchanged


@pytest.mark.parametrize("text", [
    '& < > "', "{{ 7*7 }}", "{% for x in y %}", "<w:p>", "</w:t><w:t>", "]]>", "${x} %s {0}",
], ids=repr)
@pytest.mark.parametrize("form, path", [
    (P01, "person.full_name"), (P01, "sections.tasks.0.content"), (TH, "rows.0.shortcomings"),
])
def test_markup_like_text_is_returned_unchanged(client, form, path, text):
    assert value_at(data_of(post(client, form, changed(form, path, text))), path) == text


# ---------------------------------------------------------------------------- 9. error bodies

SEVERAL_ERRORS = {
    "unit": {"name": " "}, "period": {"month": 13, "year": "2026"},
    "person": {"full_name": "A\x07", "chuc_vu": "x"}, "monthly_rating": "gioi",
}


def test_422_body_shape(client):
    body = post(client, P01, SEVERAL_ERRORS).get_json()
    assert body["code"] == 422
    assert body["status"] == "Unprocessable Entity"
    assert list(body["errors"]) == ["json"]
    errors = body["errors"]["json"]
    assert set(errors) == {"unit.name", "period.month", "period.year", "person.full_name",
                           "person.chuc_vu", "monthly_rating"}
    for path, messages in errors.items():
        assert isinstance(messages, list) and messages, path
        assert all(isinstance(m, str) and unicodedata.is_normalized("NFC", m) for m in messages)
    # The summary names the first three problems and counts the rest.
    first = [m for messages in errors.values() for m in messages][:3]
    assert body["message"].startswith("Dữ liệu không hợp lệ: ")
    assert all(m in body["message"] for m in first)
    assert "(và 3 lỗi khác)" in body["message"]


@pytest.mark.parametrize("path, value", [
    ("monthly_rating", nfd("Giỏi")), ("person." + nfd("chức_vụ"), "x")], ids=["enum", "key"])
def test_messages_quoting_nfd_input_are_nfc(client, path, value):
    errors = errors_of(post(client, P01, changed(P01, path, value)))
    assert len(errors) == 1
    for error_path, messages in errors.items():
        assert unicodedata.is_normalized("NFC", error_path)
        assert all(unicodedata.is_normalized("NFC", m) for m in messages), messages


@pytest.mark.parametrize("text", [
    "{bad", '{"unit": {"name": "Phòng"},}', "{'unit': 1}", b'{"unit": "\xff"}',
    "[" * 100_000,
], ids=lambda t: repr(t[:30]))
@pytest.mark.parametrize("form", [P01, TH])
def test_malformed_json_is_a_400(client, form, text):
    response = post_raw(client, form, text)
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == 400
    assert "JSON" in body["message"] and "không phải JSON hợp lệ" in body["message"]


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain"])
def test_body_that_is_not_json_is_a_415(client, content_type):
    response = post_raw(client, P01, "unit=Ph%C3%B2ng", content_type=content_type)
    assert response.status_code == 415
    assert response.get_json()["code"] == 415
    assert "Content-Type: application/json" in response.get_json()["message"]


@pytest.fixture
def small_client(tmp_path):
    return make_app(tmp_path, MAX_CONTENT_LENGTH=1000).test_client()


def test_oversize_body_is_a_413(small_client):
    body = changed(P01, "person.full_name", "A")
    assert len(json.dumps(body).encode()) > 1000
    response = post(small_client, P01, body)
    assert response.status_code == 413
    assert response.get_json()["code"] == 413
    assert "quá lớn" in response.get_json()["message"] and "1000" in response.get_json()["message"]
    # A body under the limit reaches validation on the same app.
    assert post(small_client, P01, {}).status_code == 422


# ---------------------------------------------------------------- 10. suggestions and warnings


def _warning_codes(response):
    return [warning["code"] for warning in response.get_json()["warnings"]]


def test_phieu_01_example_is_valid_and_consistent(client):
    response = post(client, P01, example(P01))
    assert data_of(response) == example(P01)  # already normalized: returned as sent
    assert response.get_json()["suggestions"]["identification_rating"] == "trung_binh"
    assert "identification_mismatch" not in _warning_codes(response)


def test_identification_rating_against_the_items_is_warned(client):
    response = post(client, P01, changed(P01, "identification_rating", "tot"))
    assert response.status_code == 200
    warnings = response.get_json()["warnings"]
    [warning] = [w for w in warnings if w["code"] == "identification_mismatch"]
    assert warning["field"] == "identification_rating"
    assert "I-1" in warning["message"] and "II.2-1" in warning["message"]
    assert "«Trung bình»" in warning["message"]


def test_tong_hop_example_counts(client):
    response = post(client, TH, example(TH))
    assert response.status_code == 200
    assert response.get_json()["suggestions"]["counts"] == {
        "tot": 2, "trung_binh": 1, "kem": 1, "chua_danh_gia": 0}


@pytest.mark.parametrize("char", ["\x1f", "\x85"], ids=lambda c: f"U+{ord(c):04X}")
def test_trailing_control_character_is_refused_not_trimmed(client, char):
    response = post(client, P01, changed(P01, "person.full_name", f"Nguyễn Văn A{char}"))
    assert_only_error(response, "person.full_name", "Họ và tên", "ký tự điều khiển")
