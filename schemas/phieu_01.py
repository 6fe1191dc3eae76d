"""Input of Phiếu số 01 (one person, one month): the API's contract, described at /docs."""

from forms import phieu_01
from forms.layout import CELL_MAX
from forms.vocab import (
    IDENTIFICATION_LEVELS,
    IDENTIFICATION_RATINGS,
    MONTHLY_RATINGS,
    REMEDY_STATUSES,
    SECTIONS,
)
from schemas.common import NAME_MAX, NOTE_MAX, BaseSchema, HeaderFieldsMixin
from schemas.fields import Choice, List, Nested, Text

MAX_ITEMS = 100  # per section

# Short forms people write for the labels ("Hoàn thành tốt", "TB") are accepted too.
RATING_ALIASES = {slug: [label.removesuffix(" nhiệm vụ")]
                  for slug, label in MONTHLY_RATINGS.items()}
LEVEL_ALIASES = {slug: [label.removesuffix(" ở nội dung")]
                 for slug, label in IDENTIFICATION_LEVELS.items()}
IDENTIFICATION_ALIASES = {"trung_binh": ["TB"]}


class IdentificationSchema(BaseSchema):
    level = Choice("Mức nhận diện biểu hiện", IDENTIFICATION_LEVELS, aliases=LEVEL_ALIASES)
    detail = Text("Nội dung có biểu hiện", max_length=CELL_MAX, multiline=True,
                  description="Nội dung mà biểu hiện liên quan (in sau «… ở nội dung»)")


class AssessmentSchema(BaseSchema):
    result = Text("Đánh giá kết quả thực hiện", max_length=CELL_MAX, multiline=True)
    cause = Text("Nguyên nhân", max_length=CELL_MAX, multiline=True)
    identification = Nested(IdentificationSchema, "Nhận diện biểu hiện")
    remedy = Text("Phương hướng, giải pháp khắc phục", max_length=CELL_MAX, multiline=True)
    remedy_status = Choice("Tình trạng khắc phục", REMEDY_STATUSES)


class ItemSchema(BaseSchema):
    content = Text("Nội dung", max_length=CELL_MAX, multiline=True)
    self = Nested(AssessmentSchema, "Cá nhân tự đánh giá")
    authority = Nested(AssessmentSchema, "Cấp có thẩm quyền đánh giá")
    note = Text("Ghi chú", max_length=NOTE_MAX, multiline=True)


def _section_field(number, title):
    label = f"Mục {number.rstrip('.')}"
    return List(Nested(ItemSchema, label), label, max_items=MAX_ITEMS,
                metadata={"description": f"Mục {number} {title}"})


# One list per section of the form, keyed as in vocab.SECTIONS.
SectionsSchema = BaseSchema.from_dict(
    {key: _section_field(*heading) for key, heading in SECTIONS.items()}, name="SectionsSchema")


class PersonSchema(BaseSchema):
    full_name = Text("Họ và tên", max_length=NAME_MAX, required=True)
    position = Text("Chức vụ", max_length=NAME_MAX)


class Phieu01Schema(HeaderFieldsMixin, BaseSchema):
    FORM = phieu_01
    person = Nested(PersonSchema, "Họ và tên", required=True)
    sections = Nested(SectionsSchema, "Các mục đánh giá")
    monthly_rating = Choice("Kết quả đánh giá, xếp loại tháng", MONTHLY_RATINGS,
                            aliases=RATING_ALIASES)
    identification_rating = Choice("Kết quả đánh giá, nhận diện biểu hiện",
                                   IDENTIFICATION_RATINGS, aliases=IDENTIFICATION_ALIASES)
