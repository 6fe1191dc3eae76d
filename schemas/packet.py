"""Input of the stateless print packet: a unit-month's tổng hợp and Phiếu 01, as sent."""

from marshmallow import fields, validate

from schemas.common import BaseSchema
from schemas.fields import List, Nested
from schemas.phieu_01 import Phieu01Schema
from schemas.tong_hop import TongHopSchema

MAX_FORMS = 1000

FORMAT_ERROR = "format: chỉ nhận «pdf» hoặc «zip»"


class PacketSchema(BaseSchema):
    tong_hop = Nested(TongHopSchema, "Phiếu tổng hợp", metadata={
        "description": "Phiếu tổng hợp của đơn vị (in đầu tiên); không có thì bỏ qua"})
    phieu_01 = List(Nested(Phieu01Schema, "Phiếu số 01"), "Các Phiếu số 01",
                    max_items=MAX_FORMS, required=True, metadata={"description": (
                        "Các Phiếu số 01, theo thứ tự in (thứ tự danh sách của đơn vị), mỗi phiếu "
                        "như POST /api/v1/phieu-01")})


class PacketQuerySchema(BaseSchema):
    format = fields.String(load_default="pdf", validate=validate.OneOf(
        ["pdf", "zip"], error=FORMAT_ERROR), metadata={"description": (
            "pdf (mặc định): một tệp để in, mỗi phiếu một dấu trang; zip: từng phiếu một tệp "
            "PDF")})
    duplex = fields.Boolean(load_default=False, metadata={"description": (
        "In hai mặt: thêm trang trắng sau phiếu có số trang lẻ để phiếu sau bắt đầu ở tờ mới")},
        error_messages={"invalid": "duplex: chỉ nhận true hoặc false"})
