"""The TrueType faces the PDFs are set in, read with struct alone, and cut down to each document's glyphs.

The faces are the DejaVu Sans subsets in journal/export/fonts/ (made by make_subset.py
there, under the licence in fonts/LICENSE.txt). From each file this reads what a PDF
needs: the Unicode cmap, the advance widths and the few metrics of a font descriptor.
`Face.subset` keeps every glyph id (the PDF maps character ids to glyph ids one to one,
/Identity) and empties every glyph the document does not draw, so a PDF embeds a few
kilobytes per face.
"""

from __future__ import annotations

import struct
from dataclasses import field
from functools import cache
from itertools import accumulate, pairwise
from pathlib import Path

from journal.dataclass import dataclass

FONT_DIR = Path(__file__).parent / "fonts"
# Style ("", "B", "I", "BI") -> file stem.
FILES = {
    "": "DejaVuSans",
    "B": "DejaVuSans-Bold",
    "I": "DejaVuSans-Oblique",
    "BI": "DejaVuSans-BoldOblique",
}
PLACEHOLDER = "\ufffd"  # drawn for a character the face has no glyph for
_KEPT_TABLES = (b"OS/2", b"head", b"hhea", b"maxp", b"hmtx", b"loca", b"glyf")
# Composite glyph flags (the TrueType 'glyf' table).
_ARGS_ARE_WORDS, _HAS_SCALE, _MORE, _HAS_XY_SCALE, _HAS_2X2 = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


@dataclass(eq=False)
class Face:
    """One TrueType face: its glyph for each character, the glyph widths and the descriptor metrics."""

    name: str
    data: bytes
    tables: dict[bytes, tuple[int, int]]
    units_per_em: int
    glyph_of: dict[str, int]
    advances: list[int]
    ascent: int
    descent: int
    bbox: tuple[int, int, int, int]
    italic_angle: float
    cap_height: int
    bold: bool
    width_of: dict[str, int] = field(default_factory=dict)
    # Each character's glyph id as the four hex digits a content stream shows.
    hex_of: dict[str, bytes] = field(default_factory=dict)
    _ranges: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.width_of = {char: self.advances[gid] for char, gid in self.glyph_of.items()}
        self.hex_of = {char: b"%04X" % gid for char, gid in self.glyph_of.items()}

    def table(self, tag: bytes) -> bytes:
        """The bytes of one table."""
        offset, length = self.tables[tag]
        return self.data[offset : offset + length]

    def _glyph_ranges(self) -> list[tuple[int, int]]:
        if self._ranges:
            return self._ranges
        head = self.table(b"head")
        loca = self.table(b"loca")
        count = len(self.advances)
        if struct.unpack_from(">h", head, 50)[0]:
            offsets = struct.unpack_from(f">{count + 1}I", loca)
        else:
            offsets = tuple(2 * o for o in struct.unpack_from(f">{count + 1}H", loca))
        self._ranges = list(pairwise(offsets))
        return self._ranges

    def subset(self, used: set[int]) -> bytes:
        """A TrueType file with the glyphs in `used` (and the parts of composite ones), the others empty."""
        glyf = self.table(b"glyf")
        ranges = self._glyph_ranges()
        keep = {0} | used
        todo = list(keep)
        while todo:  # a composite glyph draws other glyphs: keep those too
            start, end = ranges[todo.pop()]
            if end - start < 10 or struct.unpack_from(">h", glyf, start)[0] >= 0:
                continue
            at = start + 10
            while True:
                flags, component = struct.unpack_from(">HH", glyf, at)
                if component not in keep:
                    keep.add(component)
                    todo.append(component)
                at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
                at += 2 if flags & _HAS_SCALE else 4 if flags & _HAS_XY_SCALE else 8 if flags & _HAS_2X2 else 0
                if not flags & _MORE:
                    break
        pieces: list[bytes] = []
        sizes = [0] * (len(ranges) + 1)
        for gid in sorted(keep):
            start, end = ranges[gid]
            if end > start:
                piece = glyf[start:end]
                piece += b"\0" * (-len(piece) % 4)
                pieces.append(piece)
                sizes[gid + 1] = len(piece)
        offsets = list(accumulate(sizes))
        head = bytearray(self.table(b"head"))
        struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
        struct.pack_into(">h", head, 50, 1)  # long loca offsets
        tables = {tag: self.table(tag) for tag in _KEPT_TABLES}
        tables[b"head"] = bytes(head)
        tables[b"loca"] = struct.pack(f">{len(offsets)}I", *offsets)
        tables[b"glyf"] = b"".join(pieces)
        data, where = _sfnt(tables)
        font = bytearray(data)
        struct.pack_into(">I", font, where[b"head"] + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
        return bytes(font)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(data) // 4}I", data)
    return sum(words) & 0xFFFFFFFF


def _sfnt(tables: dict[bytes, bytes]) -> tuple[bytes, dict[bytes, int]]:
    """A TrueType file from its tables, in tag order, each padded to four bytes; and where each table starts."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    directory = [struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)]
    body: list[bytes] = []
    where: dict[bytes, int] = {}
    offset = 12 + 16 * count
    for tag in tags:
        where[tag] = offset
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag, _checksum(data), offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    return b"".join(directory + body), where


def _cmap(data: bytes, offset: int) -> dict[str, int]:
    """The Unicode (3,1) or (0,3) format-4 subtable as character -> glyph id."""
    count = struct.unpack_from(">H", data, offset + 2)[0]
    for i in range(count):
        platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
        at = offset + sub
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack_from(">H", data, at)[0] == 4:
            break
    else:
        raise ValueError("the font has no Unicode format-4 cmap")
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    range_at = at + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", data, range_at)
    glyphs: dict[str, int] = {}
    for i, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets, strict=True)):
        if start == 0xFFFF:
            continue
        for code in range(start, end + 1):
            if range_offset == 0:
                gid = (code + delta) & 0xFFFF
            else:
                gid = struct.unpack_from(">H", data, range_at + 2 * i + range_offset + 2 * (code - start))[0]
                gid = (gid + delta) & 0xFFFF if gid else 0
            if gid:
                glyphs[chr(code)] = gid
    return glyphs


@cache
def face(style: str) -> Face:
    """The face for a style ("", "B", "I", "BI"), read once per process."""
    stem = FILES[style]
    data = (FONT_DIR / f"{stem}-subset.ttf").read_bytes()
    count = struct.unpack_from(">H", data, 4)[0]
    tables: dict[bytes, tuple[int, int]] = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = (offset, length)

    def at(tag: bytes) -> int:
        return tables[tag][0]

    units = struct.unpack_from(">H", data, at(b"head") + 18)[0]
    bbox = struct.unpack_from(">4h", data, at(b"head") + 36)
    ascent, descent = struct.unpack_from(">hh", data, at(b"hhea") + 4)
    metrics = struct.unpack_from(">H", data, at(b"hhea") + 34)[0]
    glyph_count = struct.unpack_from(">H", data, at(b"maxp") + 4)[0]
    advances = list(struct.unpack_from(f">{metrics * 2}H", data, at(b"hmtx"))[::2])
    advances += [advances[-1]] * (glyph_count - metrics)
    italic = struct.unpack_from(">i", data, at(b"post") + 4)[0] / 65536
    result = Face(
        name=stem,
        data=data,
        tables=tables,
        units_per_em=units,
        glyph_of=_cmap(data, at(b"cmap")),
        advances=advances,
        ascent=ascent,
        descent=descent,
        bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
        italic_angle=italic,
        cap_height=0,
        bold="Bold" in stem,
    )
    # The height of a capital H: the font descriptor's CapHeight (the subset's OS/2 table predates it).
    start, end = result._glyph_ranges()[result.glyph_of["H"]]
    glyf = at(b"glyf")
    result.cap_height = struct.unpack_from(">h", data, glyf + start + 8)[0] if end > start else ascent
    return result
