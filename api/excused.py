"""Months a roster member owes no Phiếu 01, as the competent level records them (II.3.1, Lưu ý 3:
đau ốm, nghỉ phép, nghỉ thai sản…): /api/v1/units/<code>/excused-months.

The unit's own account and the secretariat record and remove them (a unit head decides for their
people; the level above for the head); everyone who reads the unit reads them. An excused month is
not «quá hạn» on the unit's month and not counted at year end (docs/REPORTS.md, rule C).
"""

from flask import current_app

from api import Blueprint
from api.documents import REFUSALS, SECURITY
from api.units import NOT_FOUND_DOC, unit_for
from archive import excused
from archive.roles import Permission
from auth import access, context
from schemas.roster import ExcusedMonthInSchema, ExcusedMonthSchema, ExcusedQuerySchema

bp = Blueprint("excused", __name__, url_prefix="/api/v1/units",
               description="Tháng vắng có lý do: cấp có thẩm quyền ghi nhận người không phải có "
                           "Phiếu số 01 của một tháng (đau ốm, nghỉ phép, nghỉ thai sản…).")


@bp.route("/<code>/excused-months", methods=["GET"])
@access.require(Permission.READ_UNITS)
@bp.arguments(ExcusedQuerySchema, location="query")
@bp.response(200, ExcusedMonthSchema(many=True))
@bp.doc(security=SECURITY, summary="Các tháng vắng có lý do của đơn vị trong năm",
        responses={**REFUSALS, **NOT_FOUND_DOC})
def list_months(query, code):
    """Theo tháng, rồi theo họ tên."""
    return excused.of_year(context.db(), unit_for(code, "excused.read"), query["year"])


@bp.route("/<code>/excused-months", methods=["POST"])
@access.require(Permission.EXCUSE_MONTHS)
@bp.arguments(ExcusedMonthInSchema)
@bp.response(201, ExcusedMonthSchema)
@bp.doc(security=SECURITY, summary="Ghi nhận một tháng vắng có lý do",
        responses={**REFUSALS, **NOT_FOUND_DOC,
                   409: {"description": "Tháng đó đã được ghi nhận, hoặc người đó đã có Phiếu "
                                        "số 01 của tháng"},
                   422: {"description": "Dữ liệu sai; người không có trong danh sách hoặc không "
                                        "phải có phiếu tháng đó"}})
def record_month(body, code):
    """Người phải có trong danh sách cán bộ của đơn vị và phải có Phiếu số 01 tháng đó. Bản ghi
    đã có thì không bị thay: muốn sửa, xóa bản ghi cũ rồi ghi lại."""
    row = excused.record(context.db(), unit_for(code, "excused.record"), access.current_user(),
                         body, start=current_app.config["GUIDANCE_START"])
    return excused.as_json(row)


@bp.route("/<code>/excused-months/<int:excused_id>", methods=["DELETE"])
@access.require(Permission.EXCUSE_MONTHS)
@bp.response(204)
@bp.doc(security=SECURITY, summary="Xóa một bản ghi tháng vắng",
        responses={**REFUSALS, **NOT_FOUND_DOC})
def remove_month(code, excused_id):
    """Tháng đó lại được tính: không có phiếu thì là tháng không có Phiếu số 01."""
    excused.remove(context.db(), unit_for(code, "excused.remove"), access.current_user(),
                   excused_id)
