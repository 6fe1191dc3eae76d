"""Who an account is, and what that lets it do: the roles, and the one table of permissions every
check of the API and the pages reads (`auth.access.require`, `web.archive_pages.account_page`).

A role's value is what the database stores in `users.role` and what the audit log writes.

Where a permission reaches a unit's things (its records, roster, months, reports, jobs), a role
that `has_unit` reaches its own unit only: another unit's thing answers 404 like one that does not
exist. A role without a unit reaches every unit.

Adding a role: a member of Role (value, label, short label), its permissions in GRANTS, and its
column of decisions in auth/review.py (`python -m auth.review` then rewrites docs/SECURITY.md).
"""

from enum import Enum, StrEnum


class Role(StrEnum):
    """An account's role. Each member: (stored value, label, short label for table headings)."""

    UNIT = "unit", "Tài khoản đơn vị", "Đơn vị"
    SECRETARIAT = "secretariat", "Văn phòng (bộ phận tổng hợp)", "Văn phòng"
    ADMIN = "admin", "Quản trị viên", "Quản trị viên"

    def __new__(cls, value, label, short):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label, member.short = label, short
        return member

    @property
    def has_unit(self):
        """An account of this role belongs to one unit, acts for it and reaches it only."""
        return self is Role.UNIT

    def can(self, permission):
        return self in GRANTS[permission]


class Permission(Enum):
    """What an account may do; the value is its description in docs/SECURITY.md."""

    READ_DOCUMENTS = "Tra cứu, xem, tải về phiếu đã lưu và bản quét đã ký; xác minh tệp"
    ISSUE = ("Phát hành phiếu của đơn vị mình (từng phiếu, cả lô, phiếu tổng hợp lập từ hồ sơ), "
             "sửa phiếu")
    UPLOAD_SCANS = "Tải lên bản quét đã ký"
    READ_JOBS = "Xem tiến độ phát hành cả lô"
    READ_UNITS = "Xem danh sách cán bộ, tình trạng tháng và hồ sơ in của đơn vị"
    MANAGE_ROSTER = "Nhập danh sách cán bộ của đơn vị mình"
    EXCUSE_MONTHS = ("Ghi nhận, xóa tháng vắng có lý do (đau ốm, nghỉ phép, nghỉ thai sản…) của "
                     "người trong đơn vị")
    READ_REPORTS = "Xem báo cáo (kết quả cả năm, báo cáo định kỳ, lịch báo cáo)"
    MANAGE_TEMPLATES = ("Tải về, kiểm tra, cài và quay lại mẫu phiếu Word (chung hoặc cho từng "
                        "đơn vị)")
    READ_AUDIT = "Đọc nhật ký kiểm tra"
    SERVER_DETAIL = ("Xem chi tiết vận hành trong `/readyz` (từng tiến trình LibreOffice, hàng "
                     "đợi, cơ sở dữ liệu)")


# Permission → the roles that hold it. ISSUE and MANAGE_ROSTER act for the account's own unit:
# only a role that has_unit can hold them.
GRANTS = {
    Permission.READ_DOCUMENTS: {Role.UNIT, Role.SECRETARIAT},
    Permission.ISSUE: {Role.UNIT},
    Permission.UPLOAD_SCANS: {Role.SECRETARIAT},
    Permission.READ_JOBS: {Role.UNIT, Role.SECRETARIAT},
    Permission.READ_UNITS: {Role.UNIT, Role.SECRETARIAT},
    Permission.MANAGE_ROSTER: {Role.UNIT},
    Permission.EXCUSE_MONTHS: {Role.UNIT, Role.SECRETARIAT},
    Permission.READ_REPORTS: {Role.UNIT, Role.SECRETARIAT},
    Permission.MANAGE_TEMPLATES: {Role.SECRETARIAT, Role.ADMIN},
    Permission.READ_AUDIT: {Role.ADMIN},
    Permission.SERVER_DETAIL: {Role.ADMIN},
}
