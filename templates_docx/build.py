"""Builds the Word templates of the forms and reports: `python -m templates_docx.build` (or `make
templates`).

The .docx files are committed so a secretariat can open them in Word; this code is their source,
so a layout change is a reviewed code change. The output is byte-for-byte reproducible (fixed zip
timestamps and metadata) and lean: python-docx's default template carries ~790 KB of styles that
LibreOffice would parse on every conversion, so its styles are replaced by the handful used here
and its unused parts are dropped.

Each template has its builder module (phieu_01.py, tong_hop.py, ket_qua_nam.py,
bao_cao_dinh_ky.py), made of the blocks every form shares (blocks.py) and of WordprocessingML
pieces (ooxml.py). The Jinja tags placed there are filled by documents/render.py from the contexts
in forms/.
"""

import sys
from pathlib import Path

from templates_docx import bao_cao_dinh_ky, ket_qua_nam, phieu_01, tong_hop
from templates_docx.ooxml import reproducible_bytes

HERE = Path(__file__).resolve().parent

TEMPLATES = {"phieu_01.docx": phieu_01.build, "tong_hop.docx": tong_hop.build,
             "ket_qua_nam.docx": ket_qua_nam.build, "bao_cao_dinh_ky.docx": bao_cao_dinh_ky.build}


def build_all():
    return {name: reproducible_bytes(build()) for name, build in TEMPLATES.items()}


def main(argv=None):
    out_dir = Path(argv[0]) if argv else HERE
    for name, data in build_all().items():
        (out_dir / name).write_bytes(data)
        print(f"{out_dir / name}: {len(data)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
