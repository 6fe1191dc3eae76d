"""Parts shared by both forms' input: the unit, the period, the header and signature fields."""

from marshmallow import RAISE, Schema

from schemas.fields import MAX_YEAR, MIN_YEAR, Date, Integer, Nested, Text

NAME_MAX = 200
UNIT_MAX = 300
CELL_MAX = 2000  # one table cell: a long paragraph, still far less than a page
NOTE_MAX = 1000


class BaseSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    error_messages = {
        "unknown": "trường này không có trong mẫu phiếu (hãy bỏ đi hoặc sửa lại tên)",
        "type": "phải là một đối tượng JSON ({…})",
    }


class UnitSchema(BaseSchema):
    name = Text("Đơn vị", max_length=UNIT_MAX, required=True,
                description="Tên đơn vị, in ở dòng «Đơn vị:» và (chữ in hoa, đậm) ở góc trên bên trái")
    parent = Text("Cơ quan cấp trên", max_length=UNIT_MAX,
                  description="Cơ quan cấp trên trực tiếp, in hoa phía trên tên đơn vị")


class PeriodSchema(BaseSchema):
    month = Integer("Tháng", minimum=1, maximum=12, required=True,
                    metadata={"description": "Tháng đánh giá (1–12)"})
    year = Integer("Năm", minimum=MIN_YEAR, maximum=MAX_YEAR, required=True,
                   metadata={"description": f"Năm đánh giá ({MIN_YEAR}–{MAX_YEAR})"})


class HeaderFieldsMixin(Schema):
    """What every form prints in its header and signature block."""

    unit = Nested(UnitSchema, "Đơn vị", required=True)
    place = Text("Địa danh", max_length=100,
                 description="Địa danh ở dòng ngày tháng; mặc định theo cấu hình (Nam Từ Liêm)")
    signed_on = Date("Ngày ký", metadata={
        "description": "Ngày ký phiếu, dạng NNNN-TT-NN; để trống thì in dòng chấm để ghi tay"})
    period = Nested(PeriodSchema, "Kỳ đánh giá (tháng, năm)", required=True)
    head_name = Text("Họ tên thủ trưởng đơn vị", max_length=NAME_MAX,
                     description="Họ tên thủ trưởng đơn vị, in dưới chữ ký")
