"""Liveness and readiness, for load balancers and operators."""

from flask import current_app

from api import Blueprint

bp = Blueprint("health", __name__, description="Tình trạng dịch vụ.")


@bp.route("/healthz")
@bp.doc(summary="Dịch vụ còn chạy")
def healthz():
    return {"status": "ok"}


@bp.route("/readyz")
@bp.doc(summary="Sẵn sàng tạo PDF (LibreOffice)",
        responses={503: {"description": "Chưa sẵn sàng: LibreOffice chưa cài"}})
def readyz():
    converter = current_app.extensions["converter"].status()
    ready = converter["soffice"] is not None
    body = {"status": "ready" if ready else "unavailable", "converter": converter}
    if not ready:
        body["message"] = "Chưa tìm thấy LibreOffice (soffice) trên máy chủ."
    return body, 200 if ready else 503, {} if ready else {"Retry-After": "300"}
