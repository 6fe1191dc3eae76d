"""The print packet from JSON: a unit-month's tổng hợp and Phiếu 01 as one PDF to print (a
bookmark per form, blank pages for double-sided printing on request) or a ZIP of the separate
PDFs. Stateless, like the forms' endpoints: nothing is archived."""

from flask import Response, current_app
from flask_smorest import abort

from api import Blueprint
from api.forms import account_unit_id, account_unless_open, content_disposition
from archive import templates
from auth import access, context
from documents import packet
from schemas.packet import PacketQuerySchema, PacketSchema

bp = Blueprint("packet", __name__, url_prefix="/api/v1/packet",
               description="Hồ sơ in của đơn vị trong tháng: phiếu tổng hợp rồi các Phiếu số 01, "
                           "một tệp PDF (mỗi phiếu một dấu trang) hoặc tệp ZIP.")

MIMETYPES = {"pdf": "application/pdf", "zip": "application/zip"}


bp.before_request(account_unless_open)


@bp.route("", methods=["POST"])
@access.rendering()
@access.large_upload()
@bp.arguments(PacketSchema, location="json")
@bp.arguments(PacketQuerySchema, location="query")
@bp.doc(summary="Hồ sơ in của đơn vị trong tháng", responses={
    200: {"description": "PDF để in, hoặc ZIP các phiếu",
          "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}
                      for mimetype in MIMETYPES.values()}},
    503: {"description": "LibreOffice chưa cài, đang quá tải hoặc lỗi; có tiêu đề Retry-After."}})
def make_packet(body, query):
    """Phiếu tổng hợp in trước, rồi từng Phiếu số 01 theo thứ tự gửi lên; mỗi phiếu giữ đúng
    trang, số trang và chú thích như khi in riêng."""
    forms = packet.unit_month_forms(body.get("tong_hop"), body["phieu_01"], templates.templates_for(
        context.db(), current_app.extensions["store"], account_unit_id()))
    if not forms:
        abort(422, errors={"json": {"phieu_01": ["Các Phiếu số 01: chưa có phiếu nào"]}})
    first = forms[0].data
    stem = packet.packet_stem(first["unit"]["name"], first["period"]["month"],
                              first["period"]["year"], duplex=query["duplex"],
                              fmt=query["format"])
    parts = packet.convert_forms(forms, settings=current_app.config,
                                 converter=current_app.extensions["converter"],
                                 chunk=current_app.config["PACKET_CHUNK"])
    if query["format"] == "zip":
        content = packet.zip_parts(parts)
    else:
        content = packet.merge(parts, duplex=query["duplex"], title=stem)
    return Response(content, mimetype=MIMETYPES[query["format"]], headers={
        "Content-Disposition": content_disposition(f"{stem}.{query['format']}")})
