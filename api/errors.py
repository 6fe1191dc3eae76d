"""Error bodies: flask-smorest's shape, Vietnamese messages, field paths flattened.

`{"code": 422, "status": "Unprocessable Entity", "message": "…",
  "errors": {"json": {"person.full_name": ["Họ và tên: không được để trống"]}}}`
"""

from schemas.common import BaseSchema
from schemas.fields import quoted

UNKNOWN_FIELD = BaseSchema.error_messages["unknown"]
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


def flatten(errors, prefix=""):
    """{"person": {"full_name": [m]}} → {"person.full_name": [m]}; a schema-level "_schema"
    error belongs to its parent's path; an unknown field's message names the field."""
    flat = {}
    for key, value in errors.items():
        name = quoted(str(key), limit=100)
        path = prefix if key == "_schema" else f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            flat.update(flatten(value, path))
        else:
            messages = [f"«{quoted(str(key))}»: {m}" if m == UNKNOWN_FIELD else m for m in value]
            flat.setdefault(path or "_schema", []).extend(messages)
    return flat


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
