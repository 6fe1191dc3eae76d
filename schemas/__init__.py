"""The input schemas (marshmallow), one per official form, keyed like forms.FORMS."""

from schemas.phieu_01 import Phieu01Schema
from schemas.tong_hop import TongHopSchema

SCHEMAS = {"phieu-01": Phieu01Schema, "tong-hop": TongHopSchema}
