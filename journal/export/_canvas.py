"""A4 pages drawn in millimetres from the top-left corner, written out as a PDF by pydyf.

Text is set in DejaVu Sans (journal/export/_ttf.py), embedded as a Type 0 font with
Identity-H encoding: each character is written as its two-byte glyph id in a hex string, so
what a string holds is always data, never an operator, and a ToUnicode map lets a reader
extract the text as typed. A character the face has no glyph for is drawn as the
replacement character and listed in `PDFBytes.missing`. Drawing state (colours, line
width, dash, font) is written into a page only when it changes there.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import pydyf

from journal.export._ttf import PLACEHOLDER, Face, face

PT_PER_MM = 72 / 25.4
A4_W_MM, A4_H_MM = 210.0, 297.0
# Bézier control distance that draws a quarter circle (4/3 * (sqrt(2) - 1)).
_KAPPA = 0.5522847498
# Style ("", "B", "I", "BI") -> resource name.
FACES = {"": "F1", "B": "F2", "I": "F3", "BI": "F4"}

RGB = tuple[int, int, int]


class PDFBytes(bytes):
    """A PDF file's bytes, and the characters in it that no glyph could show (drawn as a placeholder)."""

    missing: tuple[str, ...] = ()


class _Page:
    """One page's content stream and the state already written into it (PDF's defaults at first)."""

    __slots__ = ("dash", "fill", "font", "line_width", "stream", "stroke")

    def __init__(self) -> None:
        self.stream = pydyf.Stream(compress=True)
        # Projecting square line ends: rules and table borders meet without a notch at the corners.
        self.stream.set_line_cap(2)
        self.fill: RGB = (0, 0, 0)
        self.stroke: RGB = (0, 0, 0)
        self.line_width: float | None = None  # PDF's default is 1 pt: always written before a first stroke
        self.dash: tuple[float, ...] = ()
        self.font: tuple[str, float] | None = None


class Canvas:
    """A4 pages to draw text, lines, rectangles and circles on, in mm from the top-left corner."""

    def __init__(self, *, title: str, created: datetime) -> None:
        self.w, self.h = A4_W_MM, A4_H_MM
        self._title = title
        self._created = created
        self._pages: list[_Page] = []
        self._page: _Page | None = None
        self.font_style = ""
        self.font_size_pt = 10.0
        self.font_size = self.font_size_pt / PT_PER_MM
        self._face = face("")
        self._used: dict[str, set[int]] = {}  # glyph ids drawn, per style
        self._missing: dict[str, None] = {}  # characters drawn as the placeholder, in order
        self._text_rgb: RGB = (0, 0, 0)
        self._fill_rgb: RGB = (0, 0, 0)
        self._draw_rgb: RGB = (0, 0, 0)
        self._line_width = 0.2
        self._dash: tuple[float, ...] = ()

    # -- pages -------------------------------------------------------------------------

    def add_page(self) -> None:
        """Start a new page and draw on it from now on."""
        self._page = _Page()
        self._pages.append(self._page)

    @property
    def page_count(self) -> int:
        """How many pages there are so far."""
        return len(self._pages)

    def go_to_page(self, number: int) -> None:
        """Draw on page `number` (counted from 1), for what needs every page to exist first."""
        self._page = self._pages[number - 1]

    # -- state -------------------------------------------------------------------------

    def set_font(self, style: str, size: float) -> None:
        """DejaVu Sans in `style` ("", "B" bold, "I" oblique, "BI") at `size` points."""
        self.font_style = style
        self.font_size_pt = size
        self.font_size = size / PT_PER_MM
        self._face = face(style)

    def set_text_color(self, r: int, g: int, b: int) -> None:
        """The colour of text drawn from now on (0-255 each)."""
        self._text_rgb = (r, g, b)

    def set_fill_color(self, r: int, g: int, b: int) -> None:
        """The colour shapes are filled with from now on (0-255 each)."""
        self._fill_rgb = (r, g, b)

    def set_draw_color(self, r: int, g: int, b: int) -> None:
        """The colour of lines and outlines from now on (0-255 each)."""
        self._draw_rgb = (r, g, b)

    def set_line_width(self, width: float) -> None:
        """The width of lines and outlines, in mm."""
        self._line_width = width

    def set_dash(self, dash: float = 0, gap: float | None = None) -> None:
        """Dashed lines of `dash` mm with `gap` mm between (default: `dash`); no dash, solid lines."""
        self._dash = (dash, dash if gap is None else gap) if dash > 0 else ()

    @contextmanager
    def kept_state(self) -> Iterator[None]:
        """Draw inside (a page header, say) and find the font, colours, line width and dash as they were."""
        saved = (self._text_rgb, self._fill_rgb, self._draw_rgb, self._line_width, self._dash)
        style, size = self.font_style, self.font_size_pt
        try:
            yield
        finally:
            self._text_rgb, self._fill_rgb, self._draw_rgb, self._line_width, self._dash = saved
            self.set_font(style, size)

    def width(self, text: str) -> float:
        """How wide `text` is in the current font, in mm (glyphs set one after another, no kerning)."""
        widths = self._face.width_of
        try:
            units = sum(map(widths.__getitem__, text))
        except KeyError:  # drawn as the placeholder: see text()
            units = sum(widths.get(c, widths[PLACEHOLDER]) for c in text)
        return units * self.font_size / self._face.units_per_em

    # -- drawing -----------------------------------------------------------------------

    def text(self, x: float, y: float, text: str) -> None:
        """`text` with its baseline starting at (x, y); a character the face lacks is drawn as the placeholder."""
        page = self._current(fill=self._text_rgb)
        stream = page.stream
        stream.begin_text()
        font = (self.font_style, self.font_size_pt)
        if page.font != font:
            stream.set_font_size(FACES[self.font_style], self.font_size_pt)
            page.font = font
        stream.move_text_to(_pt(x), _pt(self.h - y))
        typeface = self._face
        used = self._used.setdefault(self.font_style, set())
        try:
            codes = b"".join(map(typeface.hex_of.__getitem__, text))
            used.update(map(typeface.glyph_of.__getitem__, text))
        except KeyError:  # a character the face lacks: the placeholder, and it is named
            for char in text:
                if char not in typeface.glyph_of:
                    self._missing[char] = None
            shown = [c if c in typeface.glyph_of else PLACEHOLDER for c in text]
            codes = b"".join(map(typeface.hex_of.__getitem__, shown))
            used.update(map(typeface.glyph_of.__getitem__, shown))
        stream.stream.append(b"<" + codes + b"> Tj")
        stream.end_text()

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """A straight line from (x1, y1) to (x2, y2)."""
        self.polyline([(x1, y1), (x2, y2)])

    def polyline(self, points: Sequence[tuple[float, float]]) -> None:
        """Straight lines through `points`, in order (an open path)."""
        stream = self._current(stroke=True).stream
        (x, y), *rest = points
        stream.move_to(_pt(x), _pt(self.h - y))
        for x, y in rest:
            stream.line_to(_pt(x), _pt(self.h - y))
        stream.stroke()

    def rect(self, x: float, y: float, w: float, h: float, style: str = "D") -> None:
        """A rectangle from its top-left corner: outlined ("D"), filled ("F") or both ("DF")."""
        stream = self._paint_start(style)
        # From the top-left corner, downwards: a dashed outline starts its pattern there.
        stream.rectangle(_pt(x), _pt(self.h - y), _pt(w), -_pt(h))
        _paint(stream, style)

    def circle(self, x: float, y: float, radius: float, style: str = "F") -> None:
        """A circle around (x, y), from four Bézier arcs: filled ("F"), outlined ("D") or both ("DF")."""
        stream = self._paint_start(style)
        cx, cy, r = x * PT_PER_MM, (self.h - y) * PT_PER_MM, radius * PT_PER_MM
        k = r * _KAPPA
        # From the rightmost point, counter-clockwise, one quarter at a time: (control, control, end).
        quarters = (
            ((r, k), (k, r), (0, r)),
            ((-k, r), (-r, k), (-r, 0)),
            ((-r, -k), (-k, -r), (0, -r)),
            ((k, -r), (r, -k), (r, 0)),
        )
        stream.move_to(round(cx + r, 2), round(cy, 2))
        for quarter in quarters:
            stream.curve_to(*(round(v, 2) for dx, dy in quarter for v in (cx + dx, cy + dy)))
        stream.close()
        _paint(stream, style)

    def _paint_start(self, style: str) -> pydyf.Stream:
        if style not in ("D", "F", "DF", "FD"):
            raise ValueError(f"unknown paint style {style!r}")
        return self._current(fill=self._fill_rgb if "F" in style else None, stroke="D" in style).stream

    def _current(self, *, fill: RGB | None = None, stroke: bool = False) -> _Page:
        """The page drawn on, with the fill colour (and, to stroke, the line state) written into it."""
        page = self._page
        if page is None:
            raise RuntimeError("add_page() first")
        stream = page.stream
        if fill is not None and page.fill != fill:
            stream.set_color_rgb(*_rgb(fill))
            page.fill = fill
        if stroke:
            if page.stroke != self._draw_rgb:
                stream.set_color_rgb(*_rgb(self._draw_rgb), stroke=True)
                page.stroke = self._draw_rgb
            if page.line_width != self._line_width:
                stream.set_line_width(round(self._line_width * PT_PER_MM, 3))
                page.line_width = self._line_width
            if page.dash != self._dash:
                stream.set_dash([round(v * PT_PER_MM, 3) for v in self._dash], 0)
                page.dash = self._dash
        return page

    # -- the file ----------------------------------------------------------------------

    def output(self) -> PDFBytes:
        """The PDF: its pages, the glyphs it draws of each face, the document info (the same input, the same bytes)."""
        pdf = pydyf.PDF()
        pdf.info["Title"] = pydyf.String(self._title)
        pdf.info["Creator"] = pydyf.String("medjournal")
        pdf.info["CreationDate"] = pydyf.String(_pdf_date(self._created))
        fonts = pydyf.Dictionary()
        for style, name in FACES.items():
            if style in self._used:
                fonts[name] = _embed(pdf, face(style), self._used[style])
        resources = pydyf.Dictionary({"Font": fonts})
        pdf.add_object(resources)
        media_box = pydyf.Array([0, 0, _pt(self.w), _pt(self.h)])
        for page in self._pages:
            pdf.add_object(page.stream)
            pdf.add_page(
                pydyf.Dictionary(
                    {
                        "Type": "/Page",
                        "Parent": pdf.pages.reference,
                        "MediaBox": media_box,
                        "Resources": resources.reference,
                        "Contents": page.stream.reference,
                    }
                )
            )
        out = io.BytesIO()
        # compress: the small objects go into one compressed object stream (PDF 1.5 and later).
        pdf.write(out, version=b"1.7", identifier=False, compress=True)
        result = PDFBytes(out.getvalue())
        result.missing = tuple(self._missing)
        return result


def _embed(pdf: pydyf.PDF, font: Face, used: set[int]) -> bytes:
    """A Type 0 font (Identity-H, a CIDFontType2 of the glyphs in `used`, a ToUnicode map); its reference."""
    gids = sorted(used)
    # A subset's name starts with six capital letters, the same for the same glyphs.
    digest = zlib.crc32(",".join(map(str, gids)).encode()) | (1 << 31)
    tag = "".join(chr(65 + (digest >> (5 * i)) % 26) for i in range(6))
    base = f"/{tag}+{font.name}"
    scale = 1000 / font.units_per_em
    file = pydyf.Stream([font.subset(used)], compress=True)
    file.extra["Length1"] = len(file.stream[0])
    pdf.add_object(file)
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": base,
            "Flags": 32 | (64 if font.italic_angle else 0) | (1 << 18 if font.bold else 0),
            "FontBBox": pydyf.Array([round(v * scale) for v in font.bbox]),
            "ItalicAngle": font.italic_angle,
            "Ascent": round(font.ascent * scale),
            "Descent": round(font.descent * scale),
            "CapHeight": round(font.cap_height * scale),
            "StemV": 120 if font.bold else 80,
            "FontFile2": file.reference,
        }
    )
    pdf.add_object(descriptor)
    # Runs of consecutive glyph ids as "first [w w w]", written as raw bytes (thousands of small
    # objects through pydyf would cost more than the rest of the font).
    runs: list[bytes] = []
    previous = -2
    for gid in gids:
        width = b"%d" % round(font.advances[gid] * scale)
        if runs and gid == previous + 1:
            runs[-1] += b" " + width
        else:
            runs.append(b"%d [" % gid + width)
        previous = gid
    widths = b"[" + b"] ".join(runs) + (b"]]" if runs else b"]")
    cid_font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": base,
            "CIDSystemInfo": pydyf.Dictionary(
                {"Registry": pydyf.String("Adobe"), "Ordering": pydyf.String("Identity"), "Supplement": 0}
            ),
            "FontDescriptor": descriptor.reference,
            "W": widths,
            "CIDToGIDMap": "/Identity",
        }
    )
    pdf.add_object(cid_font)
    to_unicode = pydyf.Stream([_to_unicode(font, gids)], compress=True)
    pdf.add_object(to_unicode)
    type0 = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": base,
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid_font.reference]),
            "ToUnicode": to_unicode.reference,
        }
    )
    pdf.add_object(type0)
    reference: bytes = type0.reference
    return reference


def _to_unicode(font: Face, gids: list[int]) -> bytes:
    """The CMap that maps each glyph id drawn back to its character (the first one, for a shared glyph)."""
    char_of: dict[int, str] = {}
    for char, gid in font.glyph_of.items():
        char_of.setdefault(gid, char)
    pairs = [(gid, char_of[gid]) for gid in gids if gid in char_of]
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        lines += [b"<%04X> <%s>" % (gid, char.encode("utf-16-be").hex().upper().encode()) for gid, char in chunk]
        lines.append(b"endbfchar")
    lines += [b"endcmap CMapName currentdict /CMap defineresource pop end end"]
    return b"\n".join(lines)


def _paint(stream: pydyf.Stream, style: str) -> None:
    if style == "D":
        stream.stroke()
    elif style == "F":
        stream.fill()
    else:
        stream.fill_and_stroke()


def _pt(mm: float) -> float:
    """mm as points, to 1/100 pt (what a PDF needs; fewer digits, smaller pages)."""
    return round(mm * PT_PER_MM, 2)


def _rgb(rgb: RGB) -> tuple[float, float, float]:
    return (round(rgb[0] / 255, 4), round(rgb[1] / 255, 4), round(rgb[2] / 255, 4))


def _pdf_date(moment: datetime) -> str:
    """A PDF date (D:YYYYMMDDHHmmSS), in UTC when the moment knows its zone."""
    if moment.tzinfo is None:
        return moment.strftime("D:%Y%m%d%H%M%S")
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")
