"""The access review: for every route of the app and every method it takes, what each kind of
visitor gets. One place, read by three: tests/test_access_review.py (every rule of the URL map
has a decision here, and the app answers each visitor as written), docs/SECURITY.md (its tables
are generated from here and from archive/roles.py: `python -m auth.review` rewrites them; a test
fails when they differ) and whoever adds a route (a route without a decision fails the suite).

Outcomes are HTTP statuses, or LOGIN: a page sends the visitor to /dang-nhap (302), coming back
after. The visitors are anonymous, two unit accounts, then one per other role of
archive/roles.py: "unit A" asks for its own unit's things, "unit B" is another unit's account
asking for unit A's things (A's record, A's unit code, A's job); where a route names nothing of a
unit, it is simply a second unit account. Settings are the defaults (PHIEU_ALLOW_ANONYMOUS_RENDER
off).

The decisions are written by who gets what (`only`, `accounts`, `everyone`): a visitor left
unnamed by `only` gets 403, so a new role starts refused everywhere, and the walk of
tests/test_access_review.py shows where the permission table lets it through.
"""

import sys
from pathlib import Path

from archive.roles import GRANTS, Role

LOGIN = "login"
ANONYMOUS = "anonymous"
VISITORS = {  # name (the test account's username): column heading
    ANONYMOUS: "Chưa đăng nhập",
    "unit_a": "Đơn vị A (của mình)",
    "unit_b": "Đơn vị B (của đơn vị A)",
    **{role.value: role.short for role in Role if not role.has_unit},
}


def everyone(outcome):
    """The same outcome for every visitor, anonymous included."""
    return (outcome,) * len(VISITORS)


def accounts(anonymous, outcome):
    """`anonymous` without an account, `outcome` for every account."""
    return (anonymous,) + (outcome,) * (len(VISITORS) - 1)


def only(anonymous, **outcomes):
    """`anonymous` without an account; the visitors named get theirs, every other account 403."""
    unknown = outcomes.keys() - VISITORS.keys()
    if unknown:
        raise ValueError(f"not a visitor: {sorted(unknown)}")
    return (anonymous,) + tuple(outcomes.get(who, 403) for who in list(VISITORS)[1:])


ALL = everyone(200)
RENDER = accounts(401, 200)  # any account; anonymous when ALLOW_ANONYMOUS_RENDER is on
READ = only(401, unit_a=200, unit_b=404, secretariat=200)  # unit A's own thing
PAGE_READ = only(LOGIN, unit_a=200, unit_b=404, secretariat=200)
TEMPLATES = only(401, secretariat=200, admin=200)
PAGE_TEMPLATES = only(LOGIN, secretariat=200, admin=200)

# (method, rule): (what it is, *the outcome for each visitor, in the order of VISITORS)
DECISIONS = {
    # Health and the API's documentation: public, nothing of anyone's in them.
    ("GET", "/healthz"): ("Dịch vụ còn chạy", *ALL),
    ("GET", "/readyz"): ("Sẵn sàng (LibreOffice, cơ sở dữ liệu)", *ALL),
    ("GET", "/openapi.json"): ("Đặc tả OpenAPI", *ALL),
    ("GET", "/docs"): ("Tài liệu API (Swagger UI)", *ALL),
    ("GET", "/docs/assets/<path:filename>"): ("Tệp của Swagger UI", *ALL),
    # Filling forms without saving: any account.
    ("POST", "/api/v1/phieu-01"): ("Điền Phiếu số 01 (PDF, Word)", *RENDER),
    ("GET", "/api/v1/phieu-01/blank"): ("Phiếu số 01 trống", *RENDER),
    ("POST", "/api/v1/phieu-01/validate"): ("Kiểm tra dữ liệu Phiếu số 01", *RENDER),
    ("POST", "/api/v1/tong-hop"): ("Điền Phiếu tổng hợp", *RENDER),
    ("GET", "/api/v1/tong-hop/blank"): ("Phiếu tổng hợp trống", *RENDER),
    ("POST", "/api/v1/tong-hop/validate"): ("Kiểm tra dữ liệu Phiếu tổng hợp", *RENDER),
    ("POST", "/api/v1/packet"): ("Hồ sơ in từ JSON (không lưu)", *RENDER),
    # The archive.
    ("POST", "/api/v1/documents/phieu-01"): (
        "Phát hành Phiếu số 01 (B gửi phiếu của đơn vị A: 422)",
        *only(401, unit_a=201, unit_b=422)),
    ("POST", "/api/v1/documents/tong-hop"): (
        "Phát hành Phiếu tổng hợp (B gửi phiếu của đơn vị A: 422)",
        *only(401, unit_a=201, unit_b=422)),
    ("GET", "/api/v1/documents"): (
        "Tra cứu (B: chỉ phiếu của B, không thấy phiếu của A)",
        *only(401, unit_a=200, unit_b=200, secretariat=200)),
    ("GET", "/api/v1/documents/<int:document_id>"): ("Thông tin một phiếu", *READ),
    ("GET", "/api/v1/documents/<int:document_id>/pdf"): ("Tải PDF đã lưu", *READ),
    ("GET", "/api/v1/documents/<int:document_id>/docx"): ("Tải Word đã lưu", *READ),
    ("GET", "/api/v1/documents/<int:document_id>/json"): ("Tải JSON đã lưu", *READ),
    ("POST", "/api/v1/documents/<int:document_id>/signed-scan"): (
        "Tải lên bản quét đã ký", *only(401, secretariat=201)),
    ("GET", "/api/v1/documents/<int:document_id>/signed-scans/<int:scan_id>"): (
        "Tải bản quét đã ký", *READ),
    ("POST", "/api/v1/documents/verify"): (
        "Xác minh tệp (B: «không tìm thấy» với tệp của A)",
        *only(401, unit_a=200, unit_b=200, secretariat=200)),
    ("GET", "/api/v1/audit"): ("Nhật ký kiểm tra", *only(401, admin=200)),
    # The forms' Word templates: the secretariat and the administrator.
    ("GET", "/api/v1/templates"): ("Các bản mẫu phiếu đã cài", *TEMPLATES),
    ("GET", "/api/v1/templates/<form>/docx"): ("Tải mẫu phiếu đang dùng (.docx)", *TEMPLATES),
    ("POST", "/api/v1/templates/<form>/check"): (
        "Kiểm tra tệp mẫu (tệp không phải .docx: 422)", *only(401, secretariat=422, admin=422)),
    ("POST", "/api/v1/templates/<form>"): (
        "Kiểm tra rồi cài tệp mẫu (tệp không phải .docx: 422)",
        *only(401, secretariat=422, admin=422)),
    ("POST", "/api/v1/templates/<form>/rollback"): ("Dùng lại một bản mẫu (0: mẫu gốc)",
                                                    *TEMPLATES),
    # A unit's roster and month.
    ("GET", "/api/v1/units/<code>/roster"): ("Danh sách cán bộ", *READ),
    ("PUT", "/api/v1/units/<code>/roster"): (
        "Nhập danh sách cán bộ", *only(401, unit_a=200, unit_b=404)),
    ("GET", "/api/v1/units/<code>/roster/template.xlsx"): ("Tệp mẫu danh sách", *READ),
    ("GET", "/api/v1/units/<code>/months/<int:year>/<int:month>"): (
        "Tình trạng Phiếu số 01 của tháng", *READ),
    ("POST", "/api/v1/units/<code>/months/<int:year>/<int:month>/tong-hop"): (
        "Lập và phát hành phiếu tổng hợp từ hồ sơ", *only(401, unit_a=201, unit_b=404)),
    ("GET", "/api/v1/units/<code>/months/<int:year>/<int:month>/packet"): (
        "Hồ sơ in của tháng, từ kho", *READ),
    ("GET", "/api/v1/units/<code>/excused-months"): ("Các tháng vắng có lý do", *READ),
    ("POST", "/api/v1/units/<code>/excused-months"): (
        "Ghi nhận tháng vắng có lý do (cấp có thẩm quyền: đơn vị, văn phòng)",
        *only(401, unit_a=201, unit_b=404, secretariat=201)),
    ("DELETE", "/api/v1/units/<code>/excused-months/<int:excused_id>"): (
        "Xóa bản ghi tháng vắng", *only(401, unit_a=204, unit_b=404, secretariat=204)),
    # Reports.
    ("GET", "/api/v1/reports/year-end"): ("Kết quả cả năm (mục II.7)", *READ),
    ("GET", "/api/v1/reports/periodic"): ("Báo cáo định kỳ (mục II.8)", *READ),
    ("GET", "/api/v1/reports/calendar"): (
        "Lịch báo cáo", *only(401, unit_a=200, unit_b=200, secretariat=200)),
    # Batch issue.
    ("POST", "/api/v1/jobs/batch-issue"): (
        "Phát hành cả lô (JSON; B gửi phiếu của A: nhận lô, từng phiếu bị trả lại)",
        *only(401, unit_a=202, unit_b=202)),
    ("POST", "/api/v1/jobs/batch-issue/spreadsheet"): (
        "Phát hành cả lô từ bảng tính (đơn vị luôn là đơn vị của tài khoản)",
        *only(401, unit_a=202, unit_b=202)),
    ("GET", "/api/v1/jobs/batch-issue/template.xlsx"): ("Mẫu bảng tính phát hành lô", *ALL),
    ("GET", "/api/v1/jobs/<job_id>"): ("Tiến độ một lô", *READ),
    # The web pages. Filling a form is open; the archive's pages need a login.
    ("GET", "/"): ("Trang chủ", *ALL),
    ("GET", "/phieu-01"): ("Trang Phiếu số 01 (xem trước, tải về: qua API ở trên)", *ALL),
    ("GET", "/tong-hop"): ("Trang Phiếu tổng hợp", *ALL),
    ("GET", "/tong-hop/mau-bang.xlsx"): ("Mẫu bảng của Phiếu tổng hợp", *ALL),
    ("POST", "/tong-hop/nhap-bang"): ("Đọc dòng từ bảng tính (không lưu; cần mã CSRF)", *ALL),
    ("GET", "/static/web/<path:filename>"): ("Tệp tĩnh của trang (JS, CSS)", *ALL),
    ("GET", "/dang-nhap"): ("Trang đăng nhập", *ALL),
    ("POST", "/dang-nhap"): (
        "Đăng nhập (chưa đăng nhập: mật khẩu sai; các vai trò: mật khẩu của mình)",
        *accounts(401, 303)),
    ("POST", "/dang-xuat"): ("Đăng xuất", *everyone(303)),
    ("GET", "/ho-so"): ("Hồ sơ đã lưu (B: chỉ phiếu của B)",
                        *only(LOGIN, unit_a=200, unit_b=200, secretariat=200)),
    ("GET", "/ho-so/<int:document_id>"): ("Trang một phiếu", *PAGE_READ),
    ("POST", "/ho-so/<int:document_id>"): (
        "Tải lên bản quét (về lại trang phiếu)", *only(LOGIN, secretariat=303)),
    ("GET", "/xac-minh"): (
        "Trang xác minh tệp", *only(LOGIN, unit_a=200, unit_b=200, secretariat=200)),
    ("POST", "/xac-minh"): (
        "Xác minh tệp", *only(LOGIN, unit_a=200, unit_b=200, secretariat=200)),
    ("GET", "/don-vi"): ("Đơn vị theo tháng (đơn vị: chuyển tới tháng của đơn vị mình)",
                         *only(LOGIN, unit_a=302, unit_b=302, secretariat=200)),
    ("GET", "/don-vi/<code>"): (
        "Chọn tháng (chuyển tới trang tháng, trang đó xét quyền)",
        *only(LOGIN, unit_a=302, unit_b=302, secretariat=302)),
    ("GET", "/don-vi/<code>/<int:year>/<int:month>"): ("Trang tháng của đơn vị", *PAGE_READ),
    ("POST", "/don-vi/<code>/<int:year>/<int:month>/tong-hop"): (
        "Lập phiếu tổng hợp từ hồ sơ (về trang phiếu)", *only(LOGIN, unit_a=303, unit_b=404)),
    ("POST", "/don-vi/<code>/danh-sach"): (
        "Nhập danh sách cán bộ (về trang tháng)", *only(LOGIN, unit_a=303, unit_b=404)),
    ("POST", "/don-vi/<code>/<int:year>/<int:month>/vang"): (
        "Ghi nhận tháng vắng có lý do (về trang tháng)",
        *only(LOGIN, unit_a=303, unit_b=404, secretariat=303)),
    ("POST", "/don-vi/<code>/<int:year>/<int:month>/vang/<int:excused_id>/xoa"): (
        "Bỏ ghi nhận tháng vắng (về trang tháng)",
        *only(LOGIN, unit_a=303, unit_b=404, secretariat=303)),
    ("GET", "/nhat-ky"): ("Nhật ký kiểm tra", *only(LOGIN, admin=200)),
    ("GET", "/mau-phieu"): ("Trang mẫu phiếu", *PAGE_TEMPLATES),
    ("GET", "/mau-phieu/<form>.docx"): ("Tải mẫu phiếu đang dùng", *PAGE_TEMPLATES),
    ("POST", "/mau-phieu/kiem-tra"): ("Kiểm tra tệp mẫu (tệp không phải .docx: 422)",
                                      *only(LOGIN, secretariat=422, admin=422)),
    ("GET", "/mau-phieu/xem-truoc/<digest>.pdf"): (
        "Bản xem trước (chỉ của tệp vừa kiểm tra trong phiên đăng nhập; tệp khác: 404)",
        *only(LOGIN, secretariat=404, admin=404)),
    ("POST", "/mau-phieu/kich-hoat"): ("Kích hoạt mẫu đã kiểm tra (về trang mẫu phiếu)",
                                       *only(LOGIN, secretariat=303, admin=303)),
    ("POST", "/mau-phieu/quay-lai"): ("Dùng lại một bản mẫu (về trang mẫu phiếu)",
                                      *only(LOGIN, secretariat=303, admin=303)),
    ("GET", "/phat-hanh-lo"): ("Trang phát hành cả lô", *only(LOGIN, unit_a=200, unit_b=200)),
    ("GET", "/phat-hanh-lo/<job_id>"): (
        "Tiến độ một lô", *only(LOGIN, unit_a=200, unit_b=404)),
    ("GET", "/bao-cao"): (
        "Trang báo cáo", *only(LOGIN, unit_a=200, unit_b=200, secretariat=200)),
}

DOC = Path(__file__).resolve().parent.parent / "docs" / "SECURITY.md"


def outcomes(key):
    """{visitor: outcome} of one (method, rule)."""
    return dict(zip(VISITORS, DECISIONS[key][1:]))


def _cell(outcome):
    return "→ đăng nhập" if outcome == LOGIN else str(outcome)


def _row(*cells):
    return "| " + " | ".join(cells) + " |"


def access_table():
    """The decisions as a Markdown table, in the order of DECISIONS."""
    lines = [_row("Phương thức, địa chỉ", "Việc", *VISITORS.values()),
             _row(*["---"] * (2 + len(VISITORS)))]
    for (method, rule), (what, *cells) in DECISIONS.items():
        lines.append(_row(f"`{method} {rule}`", what, *map(_cell, cells)))
    return "\n".join(lines)


def permission_table():
    """archive/roles.py's permissions as a Markdown table: which role holds which."""
    lines = [_row("Quyền", *(role.short for role in Role)), _row(*["---"] * (1 + len(Role)))]
    for permission, roles in GRANTS.items():
        lines.append(_row(permission.value, *("✓" if role in roles else "—" for role in Role)))
    return "\n".join(lines)


TABLES = {"access-table": access_table, "permission-table": permission_table}


def markers(name):
    return (f"<!-- {name}: generated by `python -m auth.review`; do not edit -->",
            f"<!-- /{name} -->")


def with_tables(text):
    """`text` (docs/SECURITY.md) with each table of TABLES, between its markers, made anew."""
    for name, make in TABLES.items():
        start, end = markers(name)
        head, found_start, rest = text.partition(start)
        _old, found_end, tail = rest.partition(end)
        if not found_start or not found_end:
            raise ValueError(f"{DOC.name}: markers of the {name} not found")
        text = f"{head}{start}\n{make()}\n{end}{tail}"
    return text


if __name__ == "__main__":
    DOC.write_text(with_tables(DOC.read_text("utf-8")), "utf-8")
    print(f"{DOC}: {len(DECISIONS)} routes, {len(GRANTS)} permissions", file=sys.stderr)
