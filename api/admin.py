"""What the administrator reads over the API: the audit log. Units and accounts are managed with
the command-line tools (archive/cli.py)."""

from api import Blueprint
from api.documents import REFUSALS, SECURITY
from archive import access, audit, db, service
from schemas.archive import AuditEventSchema, AuditQuerySchema

bp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
               description="Nhật ký kiểm tra (chỉ quản trị viên).")


@bp.route("", methods=["GET"])
@access.require("admin")
@bp.arguments(AuditQuerySchema, location="query")
@bp.response(200, AuditEventSchema(many=True))
@bp.paginate(page_size=50, max_page_size=500)
@bp.doc(security=SECURITY, responses=REFUSALS,
        summary="Nhật ký kiểm tra: mọi lần phát hành, tải về, tải lên, đăng nhập và từ chối")
def audit_events(query, pagination_parameters):
    """Mới nhất trước; số trang trong tiêu đề X-Pagination."""
    db_session = db.session()
    selection = audit.events(**query)
    pagination_parameters.item_count = service.count(db_session, selection)
    return db_session.scalars(selection.offset(pagination_parameters.first_item)
                              .limit(pagination_parameters.page_size)).all()
