"""The reports' API: query parameters (input) and the year-end results, periodic report and
report calendar (output). Every field is described in Vietnamese."""

from marshmallow import Schema, fields, validate

from forms.rules import REPORTS
from schemas.fields import MAX_YEAR, MIN_YEAR, Text


def about(text):
    return {"metadata": {"description": text}}


def year_param(required=True):
    """A year in a query string (text, so not strict like the JSON bodies' Integer)."""
    return fields.Integer(
        required=required, validate=validate.Range(MIN_YEAR, MAX_YEAR, error=(
            f"Năm: phải từ {MIN_YEAR} đến {MAX_YEAR}")),
        error_messages={"invalid": "Năm: phải là số nguyên",
                        "required": "Năm: không được để trống (tham số year)"},
        **about("Năm báo cáo"))


def _format(choices, default):
    listing = ", ".join(f"«{choice}»" for choice in choices)
    return fields.String(
        load_default=default, validate=validate.OneOf(choices, error=f"format: chỉ nhận {listing}"),
        **about(f"Định dạng trả về: {', '.join(choices)} (mặc định {default})"))


UNIT = "Mã đơn vị (Unit.code). Tài khoản đơn vị: chỉ đơn vị mình (bỏ trống là đơn vị mình); " \
       "văn phòng: đơn vị bất kỳ"


class YearEndQuerySchema(Schema):
    unit = Text("Đơn vị", max_length=40, description=UNIT + " (văn phòng phải ghi)")
    year = year_param()
    person = Text("Họ tên", max_length=200, description=(
        "Chỉ một người: họ tên như trên phiếu (không phân biệt hoa thường; gõ không dấu được nếu "
        "không trùng người khác)"))
    format = _format(["json", "xlsx", "pdf", "docx"], "json")


class PeriodicQuerySchema(Schema):
    unit = Text("Đơn vị", max_length=40, description=UNIT + "; văn phòng bỏ trống: mọi đơn vị")
    year = year_param()
    report = fields.String(
        required=True, validate=validate.OneOf(list(REPORTS), error="report: chỉ nhận " + ", ".join(
            f"«{slug}» ({entry['label']})" for slug, entry in REPORTS.items())),
        error_messages={"required": "report: không được để trống (quy_1, sau_thang, quy_3 "
                                    "hoặc nam)"},
        **about("Kỳ báo cáo: quy_1 (quý I), sau_thang (6 tháng, thay quý II), quy_3 (quý III), "
                "nam (năm, thay quý IV)"))
    format = _format(["pdf", "docx", "json"], "pdf")


class CalendarQuerySchema(Schema):
    year = year_param(required=False)


class ReportUnitSchema(Schema):
    code = fields.String(**about("Mã đơn vị"))
    name = fields.String(**about("Tên đơn vị"))
    parent = fields.String(**about("Cơ quan cấp trên"))


class ExcuseSchema(Schema):
    reason = fields.String(**about("Mã lý do: om_dau, nghi_phep, thai_san, khac"))
    label = fields.String(**about("Lý do, bằng lời"))
    note = fields.String(**about("Ghi chú"))


class MonthCellSchema(Schema):
    month = fields.Integer(**about("Tháng (1–12)"))
    status = fields.String(**about(
        "assessed: đã đánh giá, nhận diện; not_rated: có Phiếu 01 nhưng chưa ghi kết quả nhận "
        "diện; missing: không có Phiếu 01 dù đã quá hạn tự đánh giá (trước ngày 25), tính như "
        "tháng Kém (mục II.3.1, Lưu ý); excused: cấp có thẩm quyền đã ghi nhận lý do vắng, không "
        "tính; upcoming: chưa đến hạn; not_member: không công tác tại đơn vị vào hạn tự đánh giá "
        "(theo danh sách); not_listed: không có trong danh sách, tháng không có phiếu không tính; "
        "before_guidance: trước khi áp dụng Hướng dẫn (mục III.1)"))
    status_label = fields.String(**about("Trạng thái, bằng lời"))
    identification_rating = fields.String(allow_none=True, **about(
        "Kết quả đánh giá, nhận diện biểu hiện: tot, trung_binh, kem"))
    identification_label = fields.String(allow_none=True, **about("Kết quả nhận diện, bằng lời"))
    monthly_rating = fields.String(allow_none=True, **about("Xếp loại tháng (mã)"))
    monthly_label = fields.String(allow_none=True, **about("Xếp loại tháng, bằng lời"))
    document_id = fields.Integer(allow_none=True, **about("Số hồ sơ của Phiếu 01 (bản mới nhất)"))
    code = fields.String(allow_none=True, **about("Mã lưu trữ của Phiếu 01"))
    excuse = fields.Nested(ExcuseSchema, allow_none=True, **about(
        "Lý do vắng cấp có thẩm quyền đã ghi nhận (khi status là excused)"))


class YearCountsSchema(Schema):
    tot = fields.Integer(**about("Số tháng Tốt"))
    trung_binh = fields.Integer(**about("Số tháng Trung bình"))
    kem = fields.Integer(**about("Số tháng Kém, kể cả tháng không có Phiếu 01"))
    chua_danh_gia = fields.Integer(**about(
        "Số tháng chưa đánh giá, nhận diện (không có phiếu, hoặc phiếu chưa ghi kết quả)"))


class FlagSchema(Schema):
    code = fields.String(**about("missing_form (không có Phiếu 01), excused (vắng có lý do) "
                                 "hoặc not_rated"))
    month = fields.Integer(**about("Tháng"))
    message = fields.String(**about("Nội dung, bằng lời"))


class PersonYearSchema(Schema):
    full_name = fields.String(**about("Họ và tên"))
    position = fields.String(**about("Chức vụ"))
    on_roster = fields.Boolean(**about("Có trong danh sách của đơn vị"))
    months = fields.List(fields.Nested(MonthCellSchema), **about("Mười hai tháng, tháng 1 trước"))
    counts = fields.Nested(YearCountsSchema, **about("Số tháng ở từng mức"))
    kem_months = fields.Integer(**about("Số tháng Kém"))
    trung_binh_months = fields.Integer(**about("Số tháng Trung bình"))
    missing_months = fields.List(fields.Integer(), **about(
        "Các tháng không có Phiếu 01 (mục II.3.1, Lưu ý: tháng đó không hoàn thành nhiệm vụ, "
        "tính như tháng Kém)"))
    excused_months = fields.List(fields.Integer(), **about(
        "Các tháng vắng có lý do được cấp có thẩm quyền ghi nhận (không tính)"))
    max_annual_rating = fields.String(allow_none=True, **about(
        "Mức xếp loại năm cao nhất được phép (hoan_thanh, khong_hoan_thanh) hoặc null"))
    max_annual_rating_label = fields.String(allow_none=True, **about("Mức đó, bằng lời"))
    consequence = fields.String(**about(
        "Hệ quả theo mục II.7: none (không giới hạn), cap (không vượt quá Hoàn thành nhiệm vụ), "
        "fail (Không hoàn thành nhiệm vụ)"))
    consequence_label = fields.String(**about("Hệ quả, bằng lời"))
    review_post = fields.Boolean(**about("Cấp có thẩm quyền xem xét thay thế, điều chuyển"))
    message = fields.String(**about("Kết luận theo mục II.7, bằng lời"))
    flags = fields.List(fields.Nested(FlagSchema), **about("Những tháng cần lưu ý"))


class YearEndSummarySchema(Schema):
    people = fields.Integer(**about("Số người"))
    fail = fields.Integer(**about("Số người xếp loại năm ở mức Không hoàn thành nhiệm vụ"))
    cap = fields.Integer(**about("Số người xếp loại năm không vượt quá Hoàn thành nhiệm vụ"))
    with_missing_months = fields.Integer(**about("Số người có tháng không có Phiếu 01"))


class YearEndSchema(Schema):
    unit = fields.Nested(ReportUnitSchema, **about("Đơn vị"))
    year = fields.Integer(**about("Năm"))
    as_of = fields.Date(**about("Ngày lập (tháng sau ngày này chưa tính là thiếu phiếu)"))
    person = fields.String(allow_none=True, **about("Người được hỏi riêng, nếu có"))
    people = fields.List(fields.Nested(PersonYearSchema), **about(
        "Từng người: theo thứ tự danh sách của đơn vị, rồi người có Phiếu 01 mà không có trong "
        "danh sách, theo tên"))
    summary = fields.Nested(YearEndSummarySchema, **about("Tổng hợp"))


class PeriodCountsSchema(Schema):
    people = fields.Integer(**about("Số người (lượt người khi cộng nhiều tháng)"))
    tot = fields.Integer(**about("Tốt"))
    trung_binh = fields.Integer(**about("Trung bình"))
    kem = fields.Integer(**about("Kém"))
    chua_danh_gia = fields.Integer(**about(
        "Chưa đánh giá, nhận diện (không có Phiếu 01 dù đã quá hạn, hoặc phiếu chưa ghi kết quả)"))
    khong_co_phieu = fields.Integer(**about("Trong đó: không có Phiếu 01"))
    chua_den_han = fields.Integer(**about("Chưa đến hạn tự đánh giá, chưa có phiếu"))


class PeriodMonthSchema(PeriodCountsSchema):
    month = fields.Integer(**about("Tháng"))


class PeriodUnitSchema(ReportUnitSchema):
    months = fields.List(fields.Nested(PeriodMonthSchema), **about("Từng tháng trong kỳ"))
    totals = fields.Nested(PeriodCountsSchema, **about("Cộng các tháng trong kỳ"))


class SignSchema(Schema):
    ref = fields.String(**about("Mục trên Phiếu 01 (ví dụ I-1, II.2-3)"))
    content = fields.String(**about("Nội dung"))
    identification = fields.String(**about("Nhận diện biểu hiện"))
    shortcoming = fields.String(**about("Đánh giá kết quả thực hiện (tồn tại)"))
    cause = fields.String(**about("Nguyên nhân"))
    remedy = fields.String(**about("Phương hướng, giải pháp khắc phục"))
    remedy_status = fields.String(allow_none=True, **about("fixed_in_time, not_fixed hoặc null"))
    remedy_status_label = fields.String(**about("Tình trạng khắc phục, bằng lời"))
    side = fields.String(**about(
        "Đánh giá được tính: authority (cấp có thẩm quyền) hoặc self (cá nhân tự đánh giá)"))


class KemPersonSchema(Schema):
    unit = fields.Nested(ReportUnitSchema, **about("Đơn vị"))
    full_name = fields.String(**about("Họ và tên"))
    position = fields.String(**about("Chức vụ"))
    month = fields.Integer(**about("Tháng ở mức Kém"))
    document_id = fields.Integer(**about("Số hồ sơ của Phiếu 01"))
    code = fields.String(**about("Mã lưu trữ của Phiếu 01"))
    monthly_rating = fields.String(allow_none=True, **about("Xếp loại tháng (mã)"))
    monthly_label = fields.String(allow_none=True, **about("Xếp loại tháng, bằng lời"))
    signs = fields.List(fields.Nested(SignSchema), **about(
        "Các mục có biểu hiện (theo nhận diện của cấp có thẩm quyền nếu có, không thì của cá "
        "nhân)"))


class ReportPeriodSchema(Schema):
    from_month = fields.Integer(**about("Từ tháng"))
    to_month = fields.Integer(**about("Đến tháng"))


class PeriodicSchema(Schema):
    report = fields.String(**about("Kỳ báo cáo: quy_1, sau_thang, quy_3, nam"))
    label = fields.String(**about("Tên kỳ báo cáo"))
    year = fields.Integer(**about("Năm"))
    period = fields.Nested(ReportPeriodSchema, **about("Các tháng của kỳ"))
    due = fields.Date(**about("Hạn gửi: ngày cuối cùng được gửi (mục II.8: «trước ngày…», tức "
                              "ngày trước ngày ghi trong Hướng dẫn)"))
    before = fields.Date(**about("Ngày Hướng dẫn ghi: gửi trước ngày này (mục II.8)"))
    replaces = fields.String(allow_none=True, **about("Báo cáo quý được thay (nếu có)"))
    as_of = fields.Date(**about("Ngày lập"))
    all_units = fields.Boolean(**about("Báo cáo chung của nhiều đơn vị (văn phòng)"))
    units = fields.List(fields.Nested(PeriodUnitSchema), **about("Từng đơn vị"))
    months = fields.List(fields.Nested(PeriodMonthSchema), **about("Từng tháng, cộng các đơn vị"))
    totals = fields.Nested(PeriodCountsSchema, **about("Cộng cả kỳ (lượt người)"))
    kem = fields.List(fields.Nested(KemPersonSchema), **about(
        "Cá nhân ở mức Kém: mỗi người, mỗi tháng một mục"))


class CalendarEntrySchema(Schema):
    report = fields.String(**about("Kỳ báo cáo: quy_1, sau_thang, quy_3, nam"))
    label = fields.String(**about("Tên kỳ báo cáo"))
    year = fields.Integer(**about("Năm"))
    from_month = fields.Integer(**about("Từ tháng"))
    to_month = fields.Integer(**about("Đến tháng"))
    due = fields.Date(**about("Hạn gửi: ngày cuối cùng được gửi"))
    before = fields.Date(**about("Ngày Hướng dẫn ghi: gửi trước ngày này (mục II.8)"))
    replaces = fields.String(allow_none=True, **about("Báo cáo quý được thay (nếu có)"))
    past_due = fields.Boolean(**about("Đã quá hạn so với hôm nay"))
