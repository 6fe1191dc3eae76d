"""Input of the Phiếu tổng hợp (one unit, one month): the API's contract, described at /docs."""

from forms.vocab import IDENTIFICATION_RATINGS
from forms.layout import CELL_MAX
from schemas.common import NAME_MAX, BaseSchema, HeaderFieldsMixin
from schemas.fields import Choice, List, Nested, Text
from schemas.phieu_01 import IDENTIFICATION_ALIASES

MAX_ROWS = 1000


class RowSchema(BaseSchema):
    full_name = Text("Họ tên", max_length=NAME_MAX, required=True)
    result = Text("Đánh giá kết quả thực hiện", max_length=CELL_MAX, multiline=True)
    shortcomings = Text("Tồn tại", max_length=CELL_MAX, multiline=True)
    cause = Text("Nguyên nhân", max_length=CELL_MAX, multiline=True)
    remedy_result = Text("Kết quả khắc phục", max_length=CELL_MAX, multiline=True)
    identification = Text("Nhận diện biểu hiện", max_length=CELL_MAX, multiline=True)
    rating = Choice("Mức đánh giá, nhận diện biểu hiện", IDENTIFICATION_RATINGS,
                    aliases=IDENTIFICATION_ALIASES)


class TongHopSchema(HeaderFieldsMixin, BaseSchema):
    rows = List(Nested(RowSchema, "Dòng"), "Danh sách cán bộ", max_items=MAX_ROWS,
                metadata={"description": "Một dòng cho mỗi người, theo thứ tự in trên phiếu"})
