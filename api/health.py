"""Liveness and readiness, for load balancers and operators."""

import ipaddress

from flask import current_app, request
from marshmallow import Schema, fields

from api import Blueprint
from archive.roles import Permission
from auth import access

bp = Blueprint("health", __name__, description="Tình trạng dịch vụ.")


class HealthSchema(Schema):
    status = fields.String(metadata={"description": "Luôn là «ok» khi dịch vụ còn chạy"})


class ReadinessSchema(Schema):
    status = fields.String(required=True, metadata={
        "description": "«ready» (sẵn sàng) hoặc «unavailable» (chưa sẵn sàng)"})
    converter = fields.Dict(metadata={
        "description": "LibreOffice: từng tiến trình (trạng thái, số lần chuyển, khởi động lại, bộ "
                       "nhớ, lỗi gần nhất), hàng đợi, các số đếm. Chỉ cho quản trị viên và cho "
                       "máy chủ tự hỏi (127.0.0.1)"})
    database = fields.Dict(metadata={
        "description": "Cơ sở dữ liệu của kho: kết nối được không, loại, lược đồ đã mới nhất. "
                       "Chỉ cho quản trị viên và cho máy chủ tự hỏi (127.0.0.1)"})
    message = fields.String(metadata={"description": "Khi chưa sẵn sàng: vì sao"})


@bp.route("/healthz")
@bp.response(200, HealthSchema)
@bp.doc(summary="Dịch vụ còn chạy")
def healthz():
    return {"status": "ok"}


@bp.route("/readyz")
@bp.response(200, ReadinessSchema)
@bp.alt_response(503, schema=ReadinessSchema, headers={"Retry-After": {
    "description": "Số giây nên chờ trước khi hỏi lại", "schema": {"type": "string"}}},
    description="Chưa sẵn sàng: LibreOffice đang khởi động hoặc chưa cài, hoặc cơ sở dữ liệu "
                "không kết nối được (cùng dạng như khi sẵn sàng, kèm «message»)")
@bp.doc(summary="Sẵn sàng; cho quản trị viên và máy chủ tự hỏi: từng tiến trình LibreOffice, "
                "hàng đợi, số lần khởi động lại; cơ sở dữ liệu của kho lưu trữ")
def readyz():
    converter = current_app.extensions["converter"]
    converter.start()  # a lazily started engine warms up when first asked
    status = converter.status()
    database = current_app.extensions["database"].status()
    ready = status["ready"] and database["ok"]
    detailed = _for_operators()
    body = {"status": "ready" if ready else "unavailable"}
    if detailed:
        body.update(converter=status, database=database)
    if ready:
        return body
    if not database["ok"]:
        body["message"] = "Cơ sở dữ liệu của kho lưu trữ không kết nối được."
        return body, 503, {"Retry-After": "30"}
    body["message"] = (status["missing"] if detailed else None) or (
        "LibreOffice chưa dùng được trên máy chủ." if status["missing"]
        else "LibreOffice đang khởi động; hãy thử lại sau ít giây.")
    return body, 503, {"Retry-After": "300" if status["missing"] else "2"}


def _for_operators():
    """Whether the asker sees the detail (process ids, memory, restarts, the last error's
    text): an account holding SERVER_DETAIL (the administrator), or the machine itself (its
    monitoring, an operator's shell)."""
    if access.can(Permission.SERVER_DETAIL):
        return True
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
