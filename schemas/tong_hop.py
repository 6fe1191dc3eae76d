"""Input of the Phiếu tổng hợp (one unit, one month): the API's contract, described at /docs."""

from forms import tong_hop
from forms.tong_hop_columns import RATING, RATING_TITLE, TEXTS
from forms.vocab import IDENTIFICATION_RATINGS
from schemas.common import BaseSchema, HeaderFieldsMixin
from schemas.fields import Choice, List, Nested, Text
from schemas.phieu_01 import IDENTIFICATION_ALIASES

MAX_ROWS = 1000


def _text(column):
    return Text(column.title, max_length=column.max_length, required=column.required,
                multiline=column.multiline)


# One field per text column of the form (forms/tong_hop_columns.py), then the rating, which the
# form prints as a mark in its level's column.
RowSchema = BaseSchema.from_dict({
    **{column.key: _text(column) for column in TEXTS},
    RATING: Choice(RATING_TITLE, IDENTIFICATION_RATINGS, aliases=IDENTIFICATION_ALIASES),
}, name="RowSchema")


class TongHopSchema(HeaderFieldsMixin, BaseSchema):
    FORM = tong_hop
    rows = List(Nested(RowSchema, "Dòng"), "Danh sách cán bộ", max_items=MAX_ROWS,
                metadata={"description": "Một dòng cho mỗi người, theo thứ tự in trên phiếu"})
