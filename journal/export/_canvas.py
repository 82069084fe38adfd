"""A4 pages drawn in millimetres from the top-left corner, written out as a PDF by pydyf.

Text is set in the four base-14 Helvetica faces (every PDF reader has them, so nothing is
embedded) with WinAnsiEncoding: each string is encoded as cp1252 and written as a PDF
string, so what it holds is always data, never an operator. Drawing state (colours, line
width, dash, font) is written into a page only when it changes there.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import pydyf

from journal.export._helvetica import char_widths

PT_PER_MM = 72 / 25.4
A4_W_MM, A4_H_MM = 210.0, 297.0
# Bézier control distance that draws a quarter circle (4/3 * (sqrt(2) - 1)).
_KAPPA = 0.5522847498
# Style ("", "B", "I", "BI") -> (resource name, BaseFont).
FACES = {
    "": ("F1", "Helvetica"),
    "B": ("F2", "Helvetica-Bold"),
    "I": ("F3", "Helvetica-Oblique"),
    "BI": ("F4", "Helvetica-BoldOblique"),
}
_WIDTHS = {style: char_widths(base) for style, (_, base) in FACES.items()}

RGB = tuple[int, int, int]


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
        self._char_widths = _WIDTHS[""]
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
        """Helvetica in `style` ("", "B" bold, "I" oblique, "BI") at `size` points."""
        self.font_style = style
        self.font_size_pt = size
        self.font_size = size / PT_PER_MM
        self._char_widths = _WIDTHS[style]

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
        """How wide `text` is in the current font, in mm (the base-14 fonts have no kerning)."""
        widths = self._char_widths
        try:
            units = sum(map(widths.__getitem__, text))
        except KeyError:  # drawn as '?': see text()
            units = sum(widths.get(c, widths["?"]) for c in text)
        return units * self.font_size / 1000

    # -- drawing -----------------------------------------------------------------------

    def text(self, x: float, y: float, text: str) -> None:
        """`text` with its baseline starting at (x, y); a character cp1252 lacks prints as '?'."""
        page = self._current(fill=self._text_rgb)
        stream = page.stream
        stream.begin_text()
        font = (self.font_style, self.font_size_pt)
        if page.font != font:
            stream.set_font_size(FACES[self.font_style][0], self.font_size_pt)
            page.font = font
        stream.move_text_to(_pt(x), _pt(self.h - y))
        # pydyf.String escapes backslashes and parentheses in the bytes it is given.
        stream.show_text_string(text.encode("cp1252", errors="replace"))
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

    def output(self) -> bytes:
        """The PDF: its pages, the four Helvetica faces and the document info (the same input, the same bytes)."""
        pdf = pydyf.PDF()
        pdf.info["Title"] = pydyf.String(self._title)
        pdf.info["Creator"] = pydyf.String("medjournal")
        pdf.info["CreationDate"] = pydyf.String(_pdf_date(self._created))
        fonts = pydyf.Dictionary()
        for name, base in FACES.values():
            font = pydyf.Dictionary(
                {"Type": "/Font", "Subtype": "/Type1", "BaseFont": f"/{base}", "Encoding": "/WinAnsiEncoding"}
            )
            pdf.add_object(font)
            fonts[name] = font.reference
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
        return out.getvalue()


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
