"""The jobs API: a batch of Phiếu 01 in (a JSON array, or a spreadsheet and the month's common
fields), a job's progress out."""

from flask import url_for
from flask_smorest.fields import Upload
from marshmallow import INCLUDE, Schema, fields

from schemas.archive import about
from schemas.common import NAME_MAX, BaseSchema
from schemas.fields import MAX_YEAR, MIN_YEAR, Date, Integer, List, Nested, Text

MAX_ITEMS = 1000  # forms in one batch
REPLACE_LABEL = "Thay phiếu đã phát hành"


def replace_existing():
    return fields.Boolean(load_default=False, error_messages={
        "invalid": f"{REPLACE_LABEL}: chỉ nhận true hoặc false"}, metadata={"description": (
            "Người đã có Phiếu số 01 phát hành trong tháng: false (mặc định) thì bỏ qua, giữ "
            "nguyên phiếu đã phát hành và liệt kê trong «skipped_forms»; true thì phiếu trong lô "
            "thay bản hiện hành (thành bản mới, bản cũ vẫn giữ), liệt kê trong «replaced_forms». "
            "Phiếu giống hệt phiếu đã phát hành thì không tạo bản mới («unchanged»)")})


class BatchFormSchema(Schema):
    """One Phiếu 01 as sent: validated on its own when its turn comes, so that a bad form fails
    alone and the others are issued."""

    class Meta:
        unknown = INCLUDE


class BatchSchema(BaseSchema):
    forms = List(Nested(BatchFormSchema, "Phiếu"), "Danh sách phiếu", max_items=MAX_ITEMS,
                 required=True, metadata={"description": (
                     "Các Phiếu số 01 của đơn vị, mỗi phiếu theo đúng dạng của POST "
                     f"/api/v1/phieu-01 (tối đa {MAX_ITEMS} phiếu)")})
    replace_existing = replace_existing()


class BatchSheetSchema(Schema):
    """The form fields sent with the spreadsheet: what every form of the batch shares."""

    file = Upload(required=True, metadata={"description": (
        "Bảng tính .xlsx (hoặc .csv UTF-8) theo mẫu /api/v1/jobs/batch-issue/template.xlsx: mỗi "
        "dòng một mục của phiếu")},
        error_messages={"required": "Tệp: chưa chọn tệp (trường «file»)"})


class FormInteger(Integer):
    """A number typed into a web form (text), with the JSON fields' messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = False


class BatchSheetFieldsSchema(BaseSchema):
    month = FormInteger("Tháng", minimum=1, maximum=12, required=True)
    year = FormInteger("Năm", minimum=MIN_YEAR, maximum=MAX_YEAR, required=True)
    signed_on = Date("Ngày ký", metadata={"description": "Ngày ký các phiếu (NNNN-TT-NN)"})
    head_name = Text("Họ tên thủ trưởng đơn vị", max_length=NAME_MAX)
    place = Text("Địa danh", max_length=100)
    replace_existing = replace_existing()


def _version(attribute):
    def version(item):
        document = getattr(item, attribute)
        return document.version if document is not None else None
    return version


def _link(attribute):
    def link(item):
        document = getattr(item, attribute)
        return url_for("documents.document", document_id=document.id) if document else None
    return link


class JobItemSchema(Schema):
    position = fields.Integer(**about("Thứ tự phiếu trong lô (từ 0)"))
    row = fields.Integer(allow_none=True, **about(
        "Dòng đầu tiên của người này trong bảng tính (lô gửi bằng bảng tính)"))
    label = fields.String(**about("Họ và tên trên phiếu"))
    status = fields.String(**about(
        "pending (chờ), done (đã phát hành bản mới), failed (lỗi), skipped (đã có phiếu phát "
        "hành, bỏ qua) hoặc unchanged (giống hệt phiếu đã phát hành, không tạo bản mới)"))
    error = fields.String(allow_none=True, **about("Lý do lỗi, khi status là failed"))
    document = fields.Function(_link("document"), allow_none=True, **about(
        "Hồ sơ phiếu: bản vừa phát hành (done) hoặc bản hiện hành (skipped, unchanged)"))
    document_id = fields.Integer(allow_none=True, **about("Số hồ sơ của phiếu đó"))
    version = fields.Function(_version("document"), allow_none=True, **about(
        "Số bản của hồ sơ đó"))
    replaced_version = fields.Function(_version("replaced"), allow_none=True, **about(
        "Bản đã bị thay (done, khi lô thay phiếu đã phát hành)"))


class JobFailureSchema(Schema):
    position = fields.Integer(**about("Thứ tự phiếu trong lô (từ 0)"))
    row = fields.Integer(allow_none=True, **about("Dòng đầu tiên của người này trong bảng tính"))
    label = fields.String(**about("Họ và tên trên phiếu"))
    error = fields.String(**about("Lý do lỗi (theo dòng của bảng tính, nếu gửi bảng tính)"))


class JobSchema(Schema):
    id = fields.String(**about("Mã công việc"))
    status = fields.String(**about("queued (đang chờ), running (đang phát hành), done (xong)"))
    status_label = fields.String(**about("Trạng thái, tiếng Việt"))
    replace_existing = fields.Boolean(**about(
        "Lô thay phiếu đã phát hành (true) hay bỏ qua người đã có phiếu (false)"))
    total = fields.Integer(**about("Số phiếu trong lô"))
    done = fields.Integer(**about("Số phiếu đã phát hành bản mới (kể cả bản thay)"))
    replaced = fields.Integer(**about("Trong số đó, số phiếu thay bản đã phát hành"))
    skipped = fields.Integer(**about("Số người đã có phiếu phát hành, được bỏ qua"))
    unchanged = fields.Integer(**about("Số phiếu giống hệt phiếu đã phát hành"))
    failed = fields.Integer(**about("Số phiếu lỗi"))
    pending = fields.Integer(**about("Số phiếu còn chờ"))
    created_at = fields.DateTime(**about("Thời điểm gửi (UTC)"))
    finished_at = fields.DateTime(allow_none=True, **about("Thời điểm xong (UTC)"))
    runs = fields.Integer(**about("Số lần chạy (hơn 1: đã chạy tiếp sau khi bị gián đoạn)"))
    items = fields.List(fields.Nested(JobItemSchema), **about("Từng phiếu trong lô"))
    failures = fields.List(fields.Nested(JobFailureSchema), **about("Các phiếu lỗi và lý do"))
    skipped_items = fields.List(fields.Nested(JobItemSchema), data_key="skipped_forms", **about(
        "Người đã có phiếu phát hành, bỏ qua: mỗi người với bản hiện hành (version, document)"))
    replaced_items = fields.List(fields.Nested(JobItemSchema), data_key="replaced_forms", **about(
        "Phiếu đã thay: bản cũ (replaced_version) → bản mới (version)"))
