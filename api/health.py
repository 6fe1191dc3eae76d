"""Liveness and readiness, for load balancers and operators."""

from flask import current_app

from api import Blueprint

bp = Blueprint("health", __name__, description="Tình trạng dịch vụ.")


@bp.route("/healthz")
@bp.doc(summary="Dịch vụ còn chạy")
def healthz():
    return {"status": "ok"}


@bp.route("/readyz")
@bp.doc(summary="Sẵn sàng tạo PDF: từng tiến trình LibreOffice, hàng đợi, số lần khởi động lại",
        responses={503: {"description": "Chưa sẵn sàng: LibreOffice đang khởi động hoặc chưa cài"}})
def readyz():
    converter = current_app.extensions["converter"]
    converter.start()  # a lazily started engine warms up when first asked
    status = converter.status()
    body = {"status": "ready" if status["ready"] else "unavailable", "converter": status}
    if status["ready"]:
        return body
    body["message"] = status["missing"] or "LibreOffice đang khởi động; hãy thử lại sau ít giây."
    return body, 503, {"Retry-After": "300" if status["missing"] else "2"}
