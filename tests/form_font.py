"""Which characters the forms' own typeface can draw: the cmap of Liberation Serif (Times New
Roman's metric twin, what the templates name), read from the font files the machine has.

A character outside it is drawn by LibreOffice in whatever fallback font the machine has (or as
an empty box): see docs/RELIABILITY.md, "Property tests".
"""

import struct
from functools import lru_cache
from pathlib import Path

FONT_DIRS = [Path("/usr/share/fonts/truetype/liberation2"),
             Path("/usr/share/fonts/truetype/liberation")]
STYLES = ["Regular", "Bold", "Italic", "BoldItalic"]


def _cmap(path):
    """The code points a TrueType font maps to a glyph (cmap formats 4 and 12)."""
    data = path.read_bytes()
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack(">II", data[20 + 16 * i:28 + 16 * i])
              for i in range(struct.unpack(">H", data[4:6])[0])}
    base = tables[b"cmap"][0]
    points = set()
    for i in range(struct.unpack(">H", data[base + 2:base + 4])[0]):
        offset = base + struct.unpack(">I", data[base + 8 + 8 * i:base + 12 + 8 * i])[0]
        kind = struct.unpack(">H", data[offset:offset + 2])[0]
        if kind == 4:
            count = struct.unpack(">H", data[offset + 6:offset + 8])[0] // 2
            ends = struct.unpack(f">{count}H", data[offset + 14:offset + 14 + 2 * count])
            at = offset + 16 + 2 * count
            starts = struct.unpack(f">{count}H", data[at:at + 2 * count])
            deltas = struct.unpack(f">{count}h", data[at + 2 * count:at + 4 * count])
            ranges_at = at + 4 * count
            range_offsets = struct.unpack(f">{count}H", data[ranges_at:ranges_at + 2 * count])
            for seg, (start, end) in enumerate(zip(starts, ends)):
                for code in range(start, end + 1):
                    if code == 0xFFFF:
                        continue
                    if range_offsets[seg] == 0:
                        glyph = (code + deltas[seg]) & 0xFFFF
                    else:
                        where = (ranges_at + 2 * seg + range_offsets[seg]
                                 + 2 * (code - start))
                        glyph = struct.unpack(">H", data[where:where + 2])[0]
                        glyph = (glyph + deltas[seg]) & 0xFFFF if glyph else 0
                    if glyph:
                        points.add(code)
        elif kind == 12:
            groups = struct.unpack(">I", data[offset + 12:offset + 16])[0]
            for g in range(groups):
                start, end, glyph = struct.unpack(
                    ">III", data[offset + 16 + 12 * g:offset + 28 + 12 * g])
                points.update(range(start, end + 1))
    return points


@lru_cache(maxsize=None)
def covered():
    """Code points every style of the form's font draws (a value may print bold or italic)."""
    for folder in FONT_DIRS:
        files = [folder / f"LiberationSerif-{style}.ttf" for style in STYLES]
        if all(path.exists() for path in files):
            return frozenset.intersection(*(frozenset(_cmap(path)) for path in files))
    raise RuntimeError("Liberation Serif not found (fonts-liberation2)")
