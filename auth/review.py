"""The access review: for every route of the app and every method it takes, what each kind of
visitor gets. One place, read by three: tests/test_access_review.py (every rule of the URL map
has a decision here, and the app answers each role as written), docs/SECURITY.md (its table is
generated from here: `python -m auth.review` rewrites it; a test fails when they
differ) and whoever adds a route (a route without a decision fails the suite).

Outcomes are HTTP statuses, or LOGIN: a page sends the visitor to /dang-nhap (302), coming back
after. "Unit B" is another unit's account asking for unit A's things (A's record, A's unit code,
A's job); where a route names nothing of a unit, it is simply a second unit account. Settings are
the defaults (PHIEU_ALLOW_ANONYMOUS_RENDER off).
"""

import sys
from pathlib import Path

LOGIN = "login"
ROLES = {
    "anonymous": "Chưa đăng nhập",
    "unit_a": "Đơn vị A (của mình)",
    "unit_b": "Đơn vị B (của đơn vị A)",
    "secretariat": "Văn phòng",
    "admin": "Quản trị viên",
}
ALL = (200,) * 5
RENDER = (401, 200, 200, 200, 200)  # any account; anonymous when ALLOW_ANONYMOUS_RENDER is on
READ = (401, 200, 404, 200, 403)  # unit A's own thing: unit A and the secretariat
PAGE_READ = (LOGIN, 200, 404, 200, 403)

# (method, rule): (what it is, anonymous, unit A, unit B, secretariat, administrator)
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
        "Phát hành Phiếu số 01 (B gửi phiếu của đơn vị A: 422)", 401, 201, 422, 403, 403),
    ("POST", "/api/v1/documents/tong-hop"): (
        "Phát hành Phiếu tổng hợp (B gửi phiếu của đơn vị A: 422)", 401, 201, 422, 403, 403),
    ("GET", "/api/v1/documents"): (
        "Tra cứu (B: chỉ phiếu của B, không thấy phiếu của A)", 401, 200, 200, 200, 403),
    ("GET", "/api/v1/documents/<int:document_id>"): ("Thông tin một phiếu", *READ),
    ("GET", "/api/v1/documents/<int:document_id>/pdf"): ("Tải PDF đã lưu", *READ),
    ("GET", "/api/v1/documents/<int:document_id>/docx"): ("Tải Word đã lưu", *READ),
    ("GET", "/api/v1/documents/<int:document_id>/json"): ("Tải JSON đã lưu", *READ),
    ("POST", "/api/v1/documents/<int:document_id>/signed-scan"): (
        "Tải lên bản quét đã ký", 401, 403, 403, 201, 403),
    ("GET", "/api/v1/documents/<int:document_id>/signed-scans/<int:scan_id>"): (
        "Tải bản quét đã ký", *READ),
    ("POST", "/api/v1/documents/verify"): (
        "Xác minh tệp (B: «không tìm thấy» với tệp của A)", 401, 200, 200, 200, 403),
    ("GET", "/api/v1/audit"): ("Nhật ký kiểm tra", 401, 403, 403, 403, 200),
    # A unit's roster and month.
    ("GET", "/api/v1/units/<code>/roster"): ("Danh sách cán bộ", *READ),
    ("PUT", "/api/v1/units/<code>/roster"): ("Nhập danh sách cán bộ", 401, 200, 404, 403, 403),
    ("GET", "/api/v1/units/<code>/roster/template.xlsx"): ("Tệp mẫu danh sách", *READ),
    ("GET", "/api/v1/units/<code>/months/<int:year>/<int:month>"): (
        "Tình trạng Phiếu số 01 của tháng", *READ),
    ("POST", "/api/v1/units/<code>/months/<int:year>/<int:month>/tong-hop"): (
        "Lập và phát hành phiếu tổng hợp từ hồ sơ", 401, 201, 404, 403, 403),
    ("GET", "/api/v1/units/<code>/months/<int:year>/<int:month>/packet"): (
        "Hồ sơ in của tháng, từ kho", *READ),
    # Reports.
    ("GET", "/api/v1/reports/year-end"): ("Kết quả cả năm (mục II.7)", *READ),
    ("GET", "/api/v1/reports/periodic"): ("Báo cáo định kỳ (mục II.8)", *READ),
    ("GET", "/api/v1/reports/calendar"): ("Lịch báo cáo", 401, 200, 200, 200, 403),
    # Batch issue.
    ("POST", "/api/v1/jobs/batch-issue"): (
        "Phát hành cả lô (JSON; B gửi phiếu của A: nhận lô, từng phiếu bị trả lại)",
        401, 202, 202, 403, 403),
    ("POST", "/api/v1/jobs/batch-issue/spreadsheet"): (
        "Phát hành cả lô từ bảng tính (đơn vị luôn là đơn vị của tài khoản)",
        401, 202, 202, 403, 403),
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
        401, 303, 303, 303, 303),
    ("POST", "/dang-xuat"): ("Đăng xuất", 303, 303, 303, 303, 303),
    ("GET", "/ho-so"): ("Hồ sơ đã lưu (B: chỉ phiếu của B)", LOGIN, 200, 200, 200, 403),
    ("GET", "/ho-so/<int:document_id>"): ("Trang một phiếu", *PAGE_READ),
    ("POST", "/ho-so/<int:document_id>"): (
        "Tải lên bản quét (về lại trang phiếu)", LOGIN, 403, 403, 303, 403),
    ("GET", "/xac-minh"): ("Trang xác minh tệp", LOGIN, 200, 200, 200, 403),
    ("POST", "/xac-minh"): ("Xác minh tệp", LOGIN, 200, 200, 200, 403),
    ("GET", "/don-vi"): ("Đơn vị theo tháng (đơn vị: chuyển tới tháng của đơn vị mình)",
                         LOGIN, 302, 302, 200, 403),
    ("GET", "/don-vi/<code>"): (
        "Chọn tháng (chuyển tới trang tháng, trang đó xét quyền)", LOGIN, 302, 302, 302, 403),
    ("GET", "/don-vi/<code>/<int:year>/<int:month>"): ("Trang tháng của đơn vị", *PAGE_READ),
    ("POST", "/don-vi/<code>/<int:year>/<int:month>/tong-hop"): (
        "Lập phiếu tổng hợp từ hồ sơ (về trang phiếu)", LOGIN, 303, 404, 403, 403),
    ("POST", "/don-vi/<code>/danh-sach"): (
        "Nhập danh sách cán bộ (về trang tháng)", LOGIN, 303, 404, 403, 403),
    ("GET", "/nhat-ky"): ("Nhật ký kiểm tra", LOGIN, 403, 403, 403, 200),
    ("GET", "/phat-hanh-lo"): ("Trang phát hành cả lô", LOGIN, 200, 200, 403, 403),
    ("GET", "/phat-hanh-lo/<job_id>"): ("Tiến độ một lô", LOGIN, 200, 404, 403, 403),
    ("GET", "/bao-cao"): ("Trang báo cáo", LOGIN, 200, 200, 200, 403),
}

TABLE_START = "<!-- access-table: generated by `python -m auth.review`; do not edit -->"
TABLE_END = "<!-- /access-table -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "SECURITY.md"


def outcomes(key):
    """{role: outcome} of one (method, rule)."""
    return dict(zip(ROLES, DECISIONS[key][1:]))


def _cell(outcome):
    return "→ đăng nhập" if outcome == LOGIN else str(outcome)


def table():
    """The Markdown table of docs/SECURITY.md, in the order of DECISIONS."""
    lines = ["| Phương thức, địa chỉ | Việc | " + " | ".join(ROLES.values()) + " |",
             "| --- | --- | " + " | ".join("---" for _ in ROLES) + " |"]
    for (method, rule), (what, *cells) in DECISIONS.items():
        lines.append(f"| `{method} {rule}` | {what} | "
                     + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines)


def with_table(text):
    """`text` (docs/SECURITY.md) with the table between its markers replaced by table()."""
    head, start, rest = text.partition(TABLE_START)
    _old, end, tail = rest.partition(TABLE_END)
    if not start or not end:
        raise ValueError(f"{DOC.name}: markers of the access table not found")
    return f"{head}{start}\n{table()}\n{end}{tail}"


if __name__ == "__main__":
    DOC.write_text(with_table(DOC.read_text("utf-8")), "utf-8")
    print(f"{DOC}: {len(DECISIONS)} routes", file=sys.stderr)
