"""Error bodies: flask-smorest's shape, Vietnamese messages, field paths flattened; the
archive's refusals (ArchiveError, StoreError) made HTTP errors of that shape (`refusal`).

`{"code": 422, "status": "Unprocessable Entity", "message": "…",
  "errors": {"json": {"person.full_name": ["Họ và tên: không được để trống"]}}}`
"""

from apispec import BasePlugin
from marshmallow import Schema, fields
from werkzeug.exceptions import default_exceptions

from archive.store import StoreError
from schemas.archive import VersionSchema

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    404: "Không có địa chỉ này.",
    405: "Địa chỉ này không nhận phương thức {method}.",
    413: "Dữ liệu gửi lên quá lớn (tối đa {limit} byte).",
    415: "Hãy gửi dữ liệu JSON, với tiêu đề Content-Type: application/json.",
    422: "Dữ liệu không hợp lệ",
    500: "Lỗi máy chủ ngoài dự kiến; hãy thử lại hoặc báo quản trị viên.",
    503: "Dịch vụ tạm thời chưa sẵn sàng; hãy thử lại sau ít phút.",
}



def summary(errors):
    """One sentence naming the first few problems, for clients that show only `message`."""
    pairs = [(path, message) for location in errors.values() if isinstance(location, dict)
             for path, messages in location.items() for message in messages]
    if not pairs:
        return MESSAGES[422] + "."
    shown = "; ".join(message for _path, message in pairs[:3])
    more = f" (và {len(pairs) - 3} lỗi khác)" if len(pairs) > 3 else ""
    end = "" if not more and shown.endswith((".", "?", "!")) else "."
    return f"{MESSAGES[422]}: {shown}{more}{end}"


def refusal(error):
    """The HTTP error for an archive's ArchiveError or StoreError, as `abort` would raise it: a
    422 names its field in `errors` (its `message` then sums them up); a full or read-only disk
    is a 503 to retry in a minute; any other, its status and message."""
    if isinstance(error, StoreError):
        status, data = 503, {"message": error.message, "headers": {"Retry-After": "60"}}
    elif error.status == 422:
        status, data = 422, {"errors": {"json": {error.field: [error.message]}}}
    else:
        status, data = error.status, {"message": error.message}
        if getattr(error, "current", None) is not None:
            data["current"] = VersionSchema().dump(error.current)
    http_error = default_exceptions[status]()
    http_error.data = data
    return http_error


class ErrorSchema(Schema):
    """The body of every error answer (documentation only; Api.handle_http_exception makes it)."""

    code = fields.Integer(required=True, metadata={"description": "Mã trạng thái HTTP"})
    status = fields.String(required=True, metadata={
        "description": "Tên trạng thái HTTP (tiếng Anh, theo chuẩn HTTP)"})
    message = fields.String(required=True, metadata={
        "description": "Thông báo lỗi tiếng Việt, đọc được ngay"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.List(fields.String())),
        metadata={"description": (
            "Có ở lỗi 422: từng lỗi theo vị trí (json, query, files, form) rồi theo đường dẫn "
            "trường (ví dụ «person.full_name»), mỗi đường dẫn một danh sách thông báo")})
    current = fields.Nested(VersionSchema, metadata={"description": (
        "Có ở lỗi 409 khi phát hành: bản hiện hành của phiếu (số hồ sơ, mã lưu trữ, bản), bản mà "
        "yêu cầu phải xác nhận thay bằng tham số replaces")})


def _error_content():
    return {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


RETRY_AFTER = {"Retry-After": {"description": "Số giây nên chờ trước khi thử lại",
                               "schema": {"type": "string"}}}
BAD_KEYS = ("quá nhiều lần dùng khóa API sai từ địa chỉ này (PHIEU_BAD_KEY_RATE_LIMIT); thử lại "
            "sau số giây ở Retry-After")
SUCCESS = {"OK": "Thành công", "Created": "Đã tạo", "Accepted": "Đã nhận, đang xử lý"}
PAGINATION = {"description": (
    "Thông tin phân trang, dạng JSON: total (tổng số), total_pages, first_page, last_page, page, "
    "previous_page, next_page"), "schema": {"type": "string"}}


class ErrorResponses(BasePlugin):
    """Documents, on every operation, the error answers the service's common machinery gives (a
    wrong API key: 401; the database unreachable: 503; a body too large, not JSON or broken: 413,
    415, 400; a path value of the wrong type: 404), each with the error body's schema, instead of
    flask-smorest's catch-all "default" response: a client (and the generated API tests) can see
    exactly which statuses an operation answers."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            for status in list(responses):
                if str(status) != status:
                    responses[str(status)] = responses.pop(status)
            body = operation.get("requestBody", {}).get("content", {})
            common = {"401": "Khóa API sai, đã bị thu hồi, hoặc tài khoản đã bị khóa",
                      "429": BAD_KEYS[:1].upper() + BAD_KEYS[1:],
                      "503": "Cơ sở dữ liệu tạm thời không dùng được; chưa có gì được lưu"}
            if body:
                common["413"] = "Dữ liệu gửi lên quá lớn"
            if "application/json" in body:
                common["400"] = "Nội dung gửi lên không phải JSON hợp lệ (hoặc không phải UTF-8)"
                if len(body) == 1:
                    common["415"] = ("Không gửi JSON (tiêu đề Content-Type: "
                                     "application/json)")
            if "{" in (path or ""):
                common["404"] = "Không có địa chỉ này (giá trị trong đường dẫn không đúng kiểu)"
            if "parameters" in operation or body or "422" in responses:
                common["422"] = ("Dữ liệu không hợp lệ: «errors» nêu từng lỗi theo vị trí và "
                                 "đường dẫn trường")
            for status, description in common.items():
                responses.setdefault(status, {"description": description})
            if "BAD_KEY_RATE_LIMIT" not in responses["429"]["description"]:  # a view's own 429
                responses["429"] = {**responses["429"], "description": (
                    f"{responses['429']['description'].removesuffix('.')}; hoặc {BAD_KEYS}")}
            for status, response in responses.items():
                if int(status) >= 400 and isinstance(response, str):  # flask-smorest's own
                    responses[status] = {"description": common.get(status, MESSAGES.get(
                        int(status), response)).removesuffix(".")}
            for status, response in responses.items():
                if isinstance(response, dict) and response.get("description") in SUCCESS:
                    response["description"] = SUCCESS[response["description"]]
                if int(status) >= 400 and isinstance(response, dict) and "content" not in response:
                    response["content"] = _error_content()
                if status in ("429", "503") and isinstance(response, dict):
                    response.setdefault("headers", {}).update(RETRY_AFTER)
                if isinstance(response, dict) and "X-Pagination" in response.get("headers", {}):
                    response["headers"]["X-Pagination"] = PAGINATION
