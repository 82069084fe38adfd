"""The PDF page machinery both PDF exports share, drawn on our own Canvas (pydyf, pure Python).

Text is set in DejaVu Sans, embedded (see _canvas.py): Latin, Greek and Cyrillic letters,
punctuation, arrows and common symbols print as typed. A character the font lacks is
drawn as a visible placeholder and named by `missing_warning`; nothing is replaced silently.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from journal.export._canvas import Canvas, PDFBytes
from journal.export._chart import trend_chart
from journal.export._document import Table
from journal.export._escape import plain
from journal.export._wrap import measure, wrap
from journal.summary.model import WeekTrend

_SPACING = str.maketrans(
    {
        "\t": " ",
        "\u00a0": " ",
        # Invisible unless a word is broken there; the wrapping here hyphenates visibly itself.
        "\u00ad": None,
        "\u200b": None,
    }
)


def pdf_text(text: str) -> str:
    """User text ready to draw: control characters removed, tabs as spaces, composed (NFC) so é is one glyph."""
    text = plain(text).translate(_SPACING)
    return text if text.isascii() else unicodedata.normalize("NFC", text)


class DocPDF(Canvas):
    """A4 pages whose header carries the title and period and whose footer the page number.

    Text flows down the page from a cursor (`y`) between the margins, in mm; every page gets
    its footer ("Page N of M") once all pages exist, in output().
    """

    def __init__(self, *, title: str, running: str, generated: str, generated_at: datetime) -> None:
        super().__init__(title=plain(title), created=generated_at)
        self.doc_title = pdf_text(title)
        self.running = pdf_text(running)
        self.generated = pdf_text(generated)
        self.l_margin, self.t_margin, self.r_margin, self.b_margin = 14.0, 20.0, 14.0, 16.0
        self.c_margin = 1.0  # between a cell's edge and its text
        self.page_break_trigger = self.h - self.b_margin
        self.y = self.t_margin
        self.show_header = True
        self._footed = False  # footers are drawn once, when the PDF is first written

    def add_page(self) -> None:
        """A new page, its header drawn, the cursor under it; text broken across keeps its font and colour."""
        super().add_page()
        self.y = self.t_margin
        with self.kept_state():
            self.header()

    def output(self) -> PDFBytes:
        """The PDF, with "Page N of M" on every page."""
        if not self._footed:
            with self.kept_state():
                for number in range(1, self.page_count + 1):
                    self.go_to_page(number)
                    self.footer(number)
            self._footed = True
        return super().output()

    def header(self) -> None:
        """Title and period on the left, generation time on the right, on every page."""
        if not self.show_header:
            return
        self.y = 8
        self.set_font("", 8)
        self.set_text_color(70, 70, 70)
        self.text_line(f"{self.doc_title} - {self.running}", height=4)
        self.ln(4)
        self.text_line(f"Generated {self.generated}", height=4)
        self.ln(4)
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, 17, self.w - self.r_margin, 17)
        self.set_text_color(0, 0, 0)
        self.y = 20

    def footer(self, number: int) -> None:
        """Page N of M."""
        if not self.show_header:
            return
        self.y = self.h - 11
        self.set_font("", 8)
        self.set_text_color(70, 70, 70)
        self.text_line(f"Page {number} of {self.page_count}", height=5, align="C")
        self.set_text_color(0, 0, 0)

    # -- the cursor --------------------------------------------------------------------

    def ln(self, height: float) -> None:
        """Move the cursor down `height` mm."""
        self.y += height

    def text_line(self, text: str, *, height: float, align: str = "L") -> None:
        """One line of text in a box `height` mm high at the cursor, between the margins (the cursor stays).

        `align`: "L" left, "C" centred or "R" right.
        """
        left, right = self.l_margin + self.c_margin, self.w - self.r_margin - self.c_margin
        if align == "L":
            x = left
        else:
            spare = right - left - self.width(text)
            x = left + (spare / 2 if align == "C" else spare)
        self.text(x, self._baseline(height), text)

    # -- blocks ------------------------------------------------------------------------

    def heading(
        self, text: str, *, size: float = 13, color: tuple[int, int, int] = (0, 0, 0), keep: float = 30
    ) -> None:
        """A section heading, moved to a new page unless `keep` mm of what follows fit under it."""
        if self.y + size * 0.5 + keep > self.h - self.b_margin:
            self.add_page()
        self.ln(2)
        self.set_font("B", size)
        self.set_text_color(*color)
        self.flow(pdf_text(text), line_h=size * 0.5)
        self.set_text_color(0, 0, 0)
        self.set_draw_color(60, 60, 60)
        self.line(self.l_margin, self.y + 0.5, self.w - self.r_margin, self.y + 0.5)
        self.ln(2)

    def paragraph(self, text: str, *, size: float = 10, style: str = "") -> None:
        """A wrapped paragraph of plain text."""
        self.set_font(style, size)
        self.flow(pdf_text(text), line_h=size * 0.48)
        self.ln(1.5)

    def bullets(self, items: list[str], *, size: float = 10) -> None:
        """A bullet list, hanging indent."""
        self.set_font("", size)
        line_h = size * 0.48
        for item in items:
            self._break_for(line_h)
            self.text(self.l_margin + self.c_margin, self._baseline(line_h), "-")
            self.flow(pdf_text(item), line_h=line_h, indent=4)
        self.ln(1.5)

    def flow(self, text: str, *, line_h: float, indent: float = 0, width: float | None = None) -> None:
        """Text wrapped to `width` mm (default: to the right margin), a line at a time, a new page when one is full.

        Each line sits `indent` mm right of the left margin plus the cell margin, its baseline
        a little below the middle of its `line_h`, as in the table cells.
        """
        x = self.l_margin + indent
        if width is None:
            width = self.w - self.r_margin - x - 2 * self.c_margin
        for line in self._wrap(text, width):
            self._break_for(line_h)
            self.text(x + self.c_margin, self._baseline(line_h), line)
            self.y += line_h

    def _break_for(self, height: float) -> None:
        if self.y + height > self.page_break_trigger:
            self.add_page()

    def _baseline(self, line_h: float) -> float:
        # The baseline of a line `line_h` high that starts at the cursor: the text looks centred in it.
        return self.y + 0.5 * line_h + 0.3 * self.font_size

    def table_block(self, table: Table, *, size: float = 8.5) -> None:
        """A table with a shaded header row repeated on each page; widths follow the content.

        Drawn cell by cell from words wrapped here, each row as one rectangle per cell.
        """
        self.set_font("", size)
        usable = self.w - self.l_margin - self.r_margin
        cells = [[pdf_text(c) for c in row] for row in table.rows]
        headers = [pdf_text(h) for h in table.headers]
        widths = column_widths(headers, cells, usable, size, pad=2.2)
        line_h, pad = size * 0.5, 0.8
        header = self._table_row(headers, widths, "B", size)
        rows = [self._table_row(row, widths, "", size) for row in cells]
        first = min(3, len(rows[0])) if rows else 0
        if self.y + (len(header) + first) * line_h + 4 * pad > self.page_break_trigger:
            self.add_page()  # never a header alone at the foot of a page
        self._draw_row(header, widths, line_h, pad, heading=True, size=size)
        for lines in rows:
            fresh = False  # whether only the header is on this page yet
            while lines:
                fits = int((self.page_break_trigger - self.y - 2 * pad) / line_h)
                if len(lines) <= fits:
                    self._draw_row(lines, widths, line_h, pad, heading=False, size=size)
                    break
                # A row that does not fit goes whole to the next page; one taller than a page
                # (a long note) is continued there, under the header again.
                if not fresh and (fits < 3 or len(lines) <= self._lines_on_a_new_page(header, line_h, pad)):
                    self._table_page(header, widths, line_h, pad, size)
                    fresh = True
                    continue
                self._draw_row(lines[: max(fits, 1)], widths, line_h, pad, heading=False, size=size)
                lines = lines[max(fits, 1) :]
                self._table_page(header, widths, line_h, pad, size)
                fresh = True
        self.ln(2)

    def _lines_on_a_new_page(self, header: list[list[str]], line_h: float, pad: float) -> int:
        below_header = self.page_break_trigger - self.t_margin - (len(header) * line_h + 2 * pad)
        return int((below_header - 2 * pad) / line_h)

    def _table_page(self, header: list[list[str]], widths: list[float], line_h: float, pad: float, size: float) -> None:
        self.add_page()
        self._draw_row(header, widths, line_h, pad, heading=True, size=size)

    def _table_row(self, cells: list[str], widths: list[float], style: str, size: float) -> list[list[str]]:
        """Each cell's wrapped lines, as columns: lines[i] is the i-th line of every cell ('' past its end)."""
        self.set_font(style, size)
        wrapped = [self._wrap(cell, width - 1.6) for cell, width in zip(cells, widths, strict=True)]
        depth = max(len(lines) for lines in wrapped)
        return [[lines[i] if i < len(lines) else "" for lines in wrapped] for i in range(depth)]

    def _wrap(self, text: str, width: float) -> list[str]:
        """`text` broken into lines no wider than `width` mm in the current font (see journal.export._wrap)."""
        return wrap(text, width, measure(self.font_style, self.font_size_pt))

    def _draw_row(
        self, lines: list[list[str]], widths: list[float], line_h: float, pad: float, *, heading: bool, size: float
    ) -> None:
        top = self.y
        height = len(lines) * line_h + 2 * pad
        self.set_font("B" if heading else "", size)
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.2)
        if heading:
            self.set_fill_color(230, 230, 230)
        x = self.l_margin
        # Each line left in its cell and vertically centred in its line height.
        baseline = top + pad + 0.5 * line_h + 0.3 * self.font_size
        for col, width in enumerate(widths):
            self.rect(x, top, width, height, style="DF" if heading else "D")
            for i, line in enumerate(lines):
                if line[col]:
                    self.text(x + pad, baseline + i * line_h, line[col])
            x += width
        self.set_fill_color(255, 255, 255)
        self.y = top + height

    def trend(self, weeks: list[WeekTrend]) -> None:
        """The weekly check-in chart: pain and swelling 0-10 (left axis), stiffness minutes (right)."""
        chart = trend_chart(weeks)
        height = 62.0
        if self.y + height + 12 > self.h - self.b_margin:
            self.add_page()
        left, top = self.l_margin + 12, self.y + 4
        width, plot_h = self.w - self.l_margin - self.r_margin - 26, height - 16

        def pt(x: float, y: float) -> tuple[float, float]:
            return left + x * width, top + (1 - y) * plot_h

        self.set_font("", 7)
        self.set_draw_color(200, 200, 200)
        self.set_line_width(0.2)
        for y, label in chart.left_ticks:
            _, yy = pt(0, y)
            self.line(left, yy, left + width, yy)
            self.text(left - 2 - self.width(label), yy + 1, label)
        self.set_text_color(40, 130, 60)
        for y, label in chart.right_ticks:
            _, yy = pt(0, y)
            self.text(left + width + 2, yy + 1, label)
        self.text(left + width + 2, top - 2, chart.right_title)
        self.set_text_color(0, 0, 0)
        self.text(left - 11, top - 2, chart.left_title)
        for x, label in chart.x_labels:
            xx, yy = pt(x, 0)
            self.text(xx - self.width(label) / 2, yy + 4, label)
        self.set_draw_color(120, 120, 120)
        self.rect(left, top, width, plot_h)
        self.set_line_width(0.7)
        for series in chart.series:
            self.set_draw_color(*series.rgb)
            self.set_fill_color(*series.rgb)
            self.set_dash(2 if series.dashed else 0, 1.5)
            points = [pt(x, y) for x, y in series.points]
            if len(points) > 1:
                self.polyline(points)
            self.set_dash()
            for px, py in points if chart.markers else []:
                self.circle(px, py, 1.0, style="F")
        legend_y = top + plot_h + 9
        for i, series in enumerate(chart.series):
            lx = left + i * 60
            self.set_draw_color(*series.rgb)
            self.set_dash(2 if series.dashed else 0, 1.5)
            self.line(lx, legend_y - 1, lx + 8, legend_y - 1)
            self.set_dash()
            self.text(lx + 10, legend_y, series.name)
        self.set_line_width(0.2)
        self.set_draw_color(0, 0, 0)
        self.set_fill_color(255, 255, 255)
        self.y = top + height


def column_widths(headers: list[str], rows: list[list[str]], usable: float, size: float, pad: float) -> list[float]:
    """Widths in mm from the content, as a browser lays out an automatic table.

    Each column needs at least its longest word (at most 45% of the table: a longer word is
    hyphenated) and would like its longest line; when not everything fits on one line the
    room beyond the minimums goes to the columns in proportion to what more they would like.
    """
    bold, regular = measure("B", size), measure("", size)
    least, most = [], []
    for col, header in enumerate(headers):
        cells = [row[col] for row in rows]
        words = [bold(w) for w in header.split()] + [regular(w) for cell in cells for w in cell.split()]
        lines = [bold(header)] + [regular(line) for cell in cells for line in cell.split("\n")]
        low = min(max(words, default=0.0), usable * 0.45) + pad
        least.append(low)
        most.append(max(max(lines, default=0.0) + pad, low))
    if sum(most) <= usable:
        return [w * usable / sum(most) for w in most]
    if sum(least) >= usable:
        return [w * usable / sum(least) for w in least]
    spare = usable - sum(least)
    wanted = sum(hi - lo for lo, hi in zip(least, most, strict=True))
    return [lo + spare * (hi - lo) / wanted for lo, hi in zip(least, most, strict=True)]
