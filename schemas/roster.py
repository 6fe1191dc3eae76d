"""A unit's roster (danh sách cán bộ) and its month: one row of the roster as a file or a JSON
list gives it (input), and what the API answers about the roster, the month's status and the
tổng hợp built from the archive (output)."""

import re
from datetime import date, datetime

from marshmallow import Schema, ValidationError, fields
from openpyxl.utils.datetime import from_excel

from forms.vocab import EXCUSE_REASONS
from schemas.archive import about
from schemas.common import NAME_MAX, NOTE_MAX, BaseSchema
from schemas.fields import MAX_YEAR, MIN_YEAR, Choice, Date, Integer, Text
from schemas.reports import year_param

MAX_MEMBERS = 1000
MAX_ORDER = 100_000
DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")  # dd/mm/yyyy, as Vietnamese write it
ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
EXCEL_SERIALS = (20_000, 80_000)  # 1954–2119: a number in a date column is Excel's day count


class RosterDate(fields.Date):
    """dd/mm/yyyy (also with «.» or «-»), yyyy-mm-dd, an Excel date cell or day number."""

    def __init__(self, label, **kwargs):
        super().__init__(allow_none=True, metadata={"description": f"{label}: ngày dạng "
                                                    "dd/mm/yyyy hoặc yyyy-mm-dd; để trống nếu "
                                                    "không giới hạn"}, **kwargs)
        self.label = label

    def _error(self, value):
        return ValidationError(f"{self.label}: «{str(value)[:40]}» không phải ngày hợp lệ; hãy "
                               "ghi dạng ngày/tháng/năm, ví dụ 01/01/2026")

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if not EXCEL_SERIALS[0] <= value <= EXCEL_SERIALS[1]:
                raise self._error(value)
            day = from_excel(value).date()
        elif isinstance(value, str):
            text = value.strip().split(" ")[0]  # "01/01/2026 00:00" as Excel may show it
            match = DAY.fullmatch(text)
            parts = (match.group(3), match.group(2), match.group(1)) if match else None
            match = ISO_DAY.fullmatch(text)
            parts = parts or ((match.group(1), match.group(2), match.group(3)) if match else None)
            if parts is None:
                raise self._error(value)
            try:
                day = date(*map(int, parts))
            except ValueError:
                raise self._error(value) from None
        else:
            raise self._error(value)
        if not MIN_YEAR - 50 <= day.year <= MAX_YEAR:
            raise self._error(value)
        return day


class Order(fields.Integer):
    """A positive whole number; "3" and 3.0 (a spreadsheet's number) count as 3."""

    def __init__(self):
        super().__init__(allow_none=True, metadata={
            "description": "Thứ tự trên danh sách (số nguyên dương); để trống: theo thứ tự dòng",
            "minimum": 1, "maximum": MAX_ORDER})

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().rstrip(".")
        try:
            number = float(text) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or number != int(number) or not 1 <= number <= MAX_ORDER:
            raise ValidationError(f"Thứ tự: «{text[:20]}» phải là số nguyên dương")
        return int(number)


class MemberInSchema(BaseSchema):
    """One person of the roster, as a row of the file or an item of the JSON list."""

    order = Order()
    full_name = Text("Họ và tên", max_length=NAME_MAX, required=True)
    position = Text("Chức vụ", max_length=NAME_MAX)
    active_from = RosterDate("Từ ngày")
    active_to = RosterDate("Đến ngày")


# ---------------------------------------------------------------------------- output


class MemberSchema(Schema):
    order = fields.Integer(**about("Thứ tự trên danh sách (thứ tự các dòng của phiếu tổng hợp)"))
    full_name = fields.String(**about("Họ và tên"))
    position = fields.String(**about("Chức vụ"))
    active_from = fields.Date(allow_none=True, **about("Từ ngày (trống: không giới hạn)"))
    active_to = fields.Date(allow_none=True, **about("Đến ngày (trống: vẫn đang công tác)"))


class RosterSchema(Schema):
    unit = fields.String(**about("Mã đơn vị"))
    unit_name = fields.String(**about("Tên đơn vị"))
    members = fields.List(fields.Nested(MemberSchema), **about("Các thành viên, theo thứ tự"))


class RosterImportSchema(RosterSchema):
    added = fields.Integer(**about("Số người mới thêm vào danh sách"))
    updated = fields.Integer(**about("Số người đã có, được cập nhật theo tệp"))
    kept = fields.List(fields.String(), **about(
        "Những người có trong danh sách cũ mà tệp không có: vẫn được giữ (kể cả ngày công "
        "tác), xếp sau những người trong tệp; muốn thôi theo dõi thì ghi «Đến ngày»"))


class LatestFormSchema(Schema):
    id = fields.Integer(**about("Số hồ sơ của Phiếu số 01 (bản mới nhất)"))
    code = fields.String(**about("Mã lưu trữ"))
    version = fields.Integer(**about("Lần phát hành"))
    monthly_rating = fields.String(allow_none=True, **about("Xếp loại tháng (mã)"))
    monthly_rating_label = fields.String(allow_none=True, **about("Xếp loại tháng (nhãn)"))
    identification_rating = fields.String(allow_none=True, **about(
        "Kết quả đánh giá, nhận diện biểu hiện (mã: tot, trung_binh, kem)"))
    identification_rating_label = fields.String(allow_none=True, **about(
        "Kết quả đánh giá, nhận diện biểu hiện (nhãn)"))


class SuggestionSchema(Schema):
    monthly_rating = fields.String(**about("Xếp loại tháng được gợi ý (mã)"))
    monthly_rating_label = fields.String(**about("Xếp loại tháng được gợi ý (nhãn)"))
    message = fields.String(**about("Căn cứ của gợi ý, theo Hướng dẫn"))


class ExcusedOnRowSchema(Schema):
    id = fields.Integer(**about("Số bản ghi (để xóa: DELETE …/excused-months/<id>)"))
    reason = fields.String(**about("Mã lý do"))
    reason_label = fields.String(**about("Lý do, bằng lời"))
    note = fields.String(**about("Ghi chú"))


class StatusRowSchema(Schema):
    full_name = fields.String(**about("Họ và tên"))
    position = fields.String(allow_none=True, **about("Chức vụ (theo danh sách)"))
    order = fields.Integer(allow_none=True, **about("Thứ tự trên danh sách (trống: không có "
                                                    "trong danh sách)"))
    on_roster = fields.Boolean(**about("Có trong danh sách của đơn vị"))
    status = fields.String(**about(
        "co_phieu (đã có Phiếu số 01), chua_co (chưa có, còn trong hạn), qua_han (quá hạn "
        "mà chưa có) hoặc vang_co_ly_do (cấp có thẩm quyền đã ghi nhận lý do vắng)"))
    status_label = fields.String(**about("Tình trạng, bằng lời"))
    flags = fields.List(fields.String(), **about(
        "Các lưu ý: «quá hạn», «không có trong danh sách», lý do vắng, «tháng trước khi áp "
        "dụng Hướng dẫn (mục III.1)»"))
    document = fields.Nested(LatestFormSchema, allow_none=True, **about(
        "Phiếu số 01 mới nhất của tháng (trống: chưa có)"))
    suggestion = fields.Nested(SuggestionSchema, allow_none=True, **about(
        "Gợi ý theo Hướng dẫn khi quá hạn mà chưa có phiếu"))
    excused = fields.Nested(ExcusedOnRowSchema, allow_none=True, **about(
        "Lý do vắng đã được ghi nhận (khi tình trạng là vang_co_ly_do)"))


class MonthStatusSchema(Schema):
    unit = fields.String(**about("Mã đơn vị"))
    unit_name = fields.String(**about("Tên đơn vị"))
    year = fields.Integer(**about("Năm"))
    month = fields.Integer(**about("Tháng"))
    today = fields.Date(**about("Ngày xét tình trạng"))
    deadline = fields.Date(**about("Ngày cuối cùng trong hạn tự đánh giá (mục II.6.1: trước "
                                   "ngày 25, tức ngày 24)"))
    overdue = fields.Boolean(**about("Đã quá hạn tự đánh giá"))
    rows = fields.List(fields.Nested(StatusRowSchema), **about(
        "Mỗi người một dòng: người trong danh sách theo thứ tự, rồi người có phiếu mà không có "
        "trong danh sách, theo tên"))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), **about(
        "Số người theo tình trạng (co_phieu, chua_co, qua_han, vang_co_ly_do) và số người "
        "ngoài danh sách (ngoai_danh_sach)"))
    tong_hop = fields.Nested(LatestFormSchema, allow_none=True, **about(
        "Phiếu tổng hợp mới nhất của tháng, nếu đã phát hành"))


class TongHopRequestSchema(BaseSchema):
    """What a request may change in the tổng hợp built from the archive."""

    place = Text("Địa danh", max_length=100,
                 description="Địa danh ở dòng ngày tháng; mặc định theo cấu hình")
    signed_on = Date("Ngày ký", metadata={
        "description": "Ngày ký phiếu tổng hợp, dạng NNNN-TT-NN; để trống thì in dòng chấm"})
    head_name = Text("Họ tên thủ trưởng đơn vị", max_length=NAME_MAX,
                     description="Họ tên thủ trưởng, in dưới chữ ký; mặc định lấy từ Phiếu số "
                                 "01 mới nhất có ghi")


# ------------------------------------------------------------------------- excused months


class ExcusedMonthInSchema(BaseSchema):
    """A month a roster member owes no Phiếu 01, as the competent level records it."""

    full_name = Text("Họ và tên", max_length=NAME_MAX, required=True)
    year = Integer("Năm", minimum=MIN_YEAR, maximum=MAX_YEAR, required=True)
    month = Integer("Tháng", minimum=1, maximum=12, required=True)
    reason = Choice("Lý do", EXCUSE_REASONS, required=True)
    note = Text("Ghi chú", max_length=NOTE_MAX)


class ExcusedQuerySchema(Schema):
    year = year_param()


class ExcusedMonthSchema(Schema):
    id = fields.Integer(**about("Số bản ghi (để xóa)"))
    full_name = fields.String(**about("Họ và tên"))
    year = fields.Integer(**about("Năm"))
    month = fields.Integer(**about("Tháng"))
    reason = fields.String(**about("Mã lý do: " + ", ".join(EXCUSE_REASONS)))
    reason_label = fields.String(**about("Lý do, bằng lời"))
    note = fields.String(**about("Ghi chú"))
    recorded_by = fields.String(**about("Tài khoản đã ghi nhận"))
    recorded_at = fields.DateTime(**about("Thời điểm ghi nhận (UTC)"))
