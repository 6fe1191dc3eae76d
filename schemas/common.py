"""Parts shared by both forms' input: the unit, the period, the header and signature fields."""

from marshmallow import RAISE, Schema, ValidationError, validates_schema

from forms.layout import CELL_MAX, NAME_MAX  # noqa: F401  (imported from here too)
from schemas.fields import (
    MAX_YEAR,
    MIN_YEAR,
    Date,
    Integer,
    Nested,
    Text,
    breaks_in,
    quoted,
    setting,
)

UNIT_MAX = 300
NOTE_MAX = 1000
# Line breaks and tabs in one form, all its cells together (the setting MAX_LINE_BREAKS):
# rendering them costs time that grows with the square of their number (400,000 took 32 s,
# holding the whole process); 2,000 take a few ms, and are more than a form of a hundred items of
# several lines each holds.
MAX_LINE_BREAKS = 2000
# Pages a form may print, as forms.common.estimated_pages reckons them (the setting
# MAX_FORM_PAGES): LibreOffice lays out a few pages a second, a long table more slowly (94 pages
# took 22 s, 265 took 164 s, past the conversion's limit of 60 s; docs/SECURITY.md).
MAX_FORM_PAGES = 100




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
                description="Tên đơn vị, in ở dòng «Đơn vị:» và (chữ in hoa, đậm) ở góc trên bên "
                            "trái")
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

    FORM = None  # the form module (forms.FORMS) whose printed length is bounded

    @validates_schema
    def _printed_length(self, data, **kwargs):
        if self.FORM is None:
            return
        pages, most = self.FORM.estimated_pages(data), setting("MAX_FORM_PAGES", MAX_FORM_PAGES)
        if pages > most:
            raise ValidationError(
                f"Phiếu quá dài để in: ước tính khoảng {pages} trang, tối đa {most} trang "
                "(PHIEU_MAX_FORM_PAGES); hãy chia thành nhiều phiếu hoặc rút gọn nội dung các ô.",
                "_schema")

    @validates_schema
    def _line_breaks(self, data, **kwargs):
        breaks, most = _line_breaks_in(data), setting("MAX_LINE_BREAKS", MAX_LINE_BREAKS)
        if breaks > most:
            raise ValidationError(
                f"Phiếu có {breaks} lần xuống dòng hoặc tab trong các ô, quá mức tối đa "
                f"{most} (PHIEU_MAX_LINE_BREAKS); hãy gộp các dòng ngắn lại.", "_schema")


def _line_breaks_in(value):
    if isinstance(value, str):
        return breaks_in(value)
    if isinstance(value, dict):
        return sum(_line_breaks_in(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_line_breaks_in(item) for item in value)
    return 0


UNKNOWN_FIELD = BaseSchema.error_messages["unknown"]


def flatten(errors, prefix=""):
    """{"person": {"full_name": [m]}} → {"person.full_name": [m]}; a schema-level "_schema"
    error belongs to its parent's path; an unknown field's message names the field."""
    flat = {}
    for key, value in errors.items():
        name = quoted(str(key), limit=100)
        path = prefix if key == "_schema" else f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            flat.update(flatten(value, path))
        else:
            messages = [f"«{quoted(str(key))}»: {m}" if m == UNKNOWN_FIELD else m for m in value]
            flat.setdefault(path or "_schema", []).extend(messages)
    return flat
