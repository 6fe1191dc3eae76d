"""What the administrator reads over the API: the audit log. Units and accounts are managed with
the command-line tools (commands/admin.py)."""

from api import Blueprint
from api.documents import REFUSALS, SECURITY, page_of
from archive import audit
from archive.roles import Permission
from auth import access
from schemas.archive import AuditEventSchema, AuditQuerySchema

bp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
               description="Nhật ký kiểm tra (chỉ quản trị viên).")


@bp.route("", methods=["GET"])
@access.require(Permission.READ_AUDIT)
@bp.arguments(AuditQuerySchema, location="query")
@bp.response(200, AuditEventSchema(many=True))
@bp.paginate(page_size=50, max_page_size=500)
@bp.doc(security=SECURITY, responses=REFUSALS,
        summary="Nhật ký kiểm tra: mọi lần phát hành, tải về, tải lên, đăng nhập và từ chối")
def audit_events(query, pagination_parameters):
    """Mới nhất trước; số trang trong tiêu đề X-Pagination."""
    return page_of(audit.events(**query), pagination_parameters)
