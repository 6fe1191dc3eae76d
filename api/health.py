"""Liveness and readiness, for load balancers and operators."""

from flask import current_app

from api import Blueprint

bp = Blueprint("health", __name__, description="Tình trạng dịch vụ.")


@bp.route("/healthz")
@bp.doc(summary="Dịch vụ còn chạy")
def healthz():
    return {"status": "ok"}


@bp.route("/readyz")
@bp.doc(summary="Sẵn sàng: từng tiến trình LibreOffice, hàng đợi, số lần khởi động lại; cơ sở "
                "dữ liệu của kho lưu trữ",
        responses={503: {"description": "Chưa sẵn sàng: LibreOffice đang khởi động hoặc chưa cài, "
                                        "hoặc cơ sở dữ liệu không kết nối được"}})
def readyz():
    converter = current_app.extensions["converter"]
    converter.start()  # a lazily started engine warms up when first asked
    status = converter.status()
    database = current_app.extensions["database"].status()
    ready = status["ready"] and database["ok"]
    body = {"status": "ready" if ready else "unavailable", "converter": status,
            "database": database}
    if ready:
        return body
    if not database["ok"]:
        body["message"] = "Cơ sở dữ liệu của kho lưu trữ không kết nối được."
        return body, 503, {"Retry-After": "30"}
    body["message"] = status["missing"] or "LibreOffice đang khởi động; hãy thử lại sau ít giây."
    return body, 503, {"Retry-After": "300" if status["missing"] else "2"}
