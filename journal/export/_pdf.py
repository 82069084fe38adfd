"""The PDF page machinery both PDF exports share (fpdf2, pure Python).

fpdf2 ships no Unicode font and no pip dependency of the journal does either, so PDFs
use the built-in Helvetica (Latin-1): typographic punctuation is mapped to ASCII,
accented letters outside Latin-1 lose their accent, and anything else prints as '?'.
The HTML export shows every character.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from fpdf import FPDF, XPos, YPos

from journal.export._chart import trend_chart
from journal.export._document import Table
from journal.export._escape import plain
from journal.summary.model import WeekTrend

FONT = "helvetica"
_ASCII = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2022": "*",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2192": "->",
        "\u2264": "<=",
        "\u2265": ">=",
        "\t": " ",
        # Letters with a stroke have no decomposition to a base letter.
        "\u0141": "L",
        "\u0142": "l",
        "\u0110": "D",
        "\u0111": "d",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u0131": "i",
        "\u20ac": "EUR",
    }
)


def latin(text: str) -> str:
    """Text the built-in PDF font can show: see the module note for what is replaced."""
    text = plain(text).translate(_ASCII)
    out: list[str] = []
    for char in text:
        if char == "\n" or 0x20 <= ord(char) <= 0xFF:
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append(base if base and all(0x20 <= ord(c) <= 0xFF for c in base) else "?")
    return "".join(out)


class DocPDF(FPDF):
    """A4 pages whose header carries the title and period and whose footer the page number."""

    def __init__(self, *, title: str, running: str, generated: str, generated_at: datetime, **kwargs: Any) -> None:
        super().__init__(format=kwargs.pop("format", "A4"), **kwargs)
        self.doc_title = latin(title)
        self.running = latin(running)
        self.generated = latin(generated)
        self.set_creation_date(generated_at)
        self.set_title(self.doc_title)
        self.set_creator("medjournal")
        self.set_margins(14, 20, 14)
        self.set_auto_page_break(True, margin=16)
        self.show_header = True
        self._widths: dict[tuple[str, str, float, str], float] = {}

    def header(self) -> None:
        """Title and period on the left, generation time on the right, on every page."""
        if not self.show_header:
            return
        self.set_y(8)
        self.set_font(FONT, "", 8)
        self.set_text_color(70, 70, 70)
        self.cell(0, 4, f"{self.doc_title} - {self.running}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.cell(0, 4, f"Generated {self.generated}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, 17, self.w - self.r_margin, 17)
        self.set_text_color(0, 0, 0)
        self.set_y(20)

    def footer(self) -> None:
        """Page N of M."""
        if not self.show_header:
            return
        self.set_y(-11)
        self.set_font(FONT, "", 8)
        self.set_text_color(70, 70, 70)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    # -- blocks ------------------------------------------------------------------------

    def heading(
        self, text: str, *, size: float = 13, color: tuple[int, int, int] = (0, 0, 0), keep: float = 30
    ) -> None:
        """A section heading, moved to a new page unless `keep` mm of what follows fit under it."""
        if self.get_y() + size * 0.5 + keep > self.h - self.b_margin:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.set_text_color(*color)
        self.flow(latin(text), line_h=size * 0.5)
        self.set_text_color(0, 0, 0)
        self.set_draw_color(60, 60, 60)
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.ln(2)

    def paragraph(self, text: str, *, size: float = 10, style: str = "") -> None:
        """A wrapped paragraph of plain text."""
        self.set_font(FONT, style, size)
        self.flow(latin(text), line_h=size * 0.48)
        self.ln(1.5)

    def bullets(self, items: list[str], *, size: float = 10) -> None:
        """A bullet list, hanging indent."""
        self.set_font(FONT, "", size)
        line_h = size * 0.48
        for item in items:
            self._break_for(line_h)
            self.text(self.l_margin + self.c_margin, self._baseline(line_h), "-")
            self.flow(latin(item), line_h=line_h, indent=4)
        self.ln(1.5)

    def flow(self, text: str, *, line_h: float, indent: float = 0) -> None:
        """Text wrapped to the page width (less `indent` mm), a line at a time, a new page when one is full.

        Placed as multi_cell places it (inside the cell margin, vertically centred in each line),
        drawn with text(): multi_cell measures and lays out every character again for each line.
        """
        x = self.l_margin + indent
        width = self.w - self.r_margin - x - 2 * self.c_margin
        for line in self._wrap(text, width):
            self._break_for(line_h)
            self.text(x + self.c_margin, self._baseline(line_h), line)
            self.set_y(self.get_y() + line_h)

    def _break_for(self, height: float) -> None:
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def _baseline(self, line_h: float) -> float:
        # Where cell() puts the baseline of a line `line_h` high that starts at the current y.
        return self.get_y() + 0.5 * line_h + 0.3 * self.font_size

    def table_block(self, table: Table, *, size: float = 8.5) -> None:
        """A table with a shaded header row repeated on each page; widths follow the content.

        Drawn cell by cell with words wrapped here: fpdf's own table measures every line
        character by character, twice, which made the PDF export several times slower.
        """
        self.set_font(FONT, "", size)
        weights = _column_widths(table)
        usable = self.w - self.l_margin - self.r_margin
        widths = [usable * w / sum(weights) for w in weights]
        line_h, pad = size * 0.5, 0.8
        header = self._table_row([latin(h) for h in table.headers], widths, "B", size)
        rows = [self._table_row([latin(c) for c in row], widths, "", size) for row in table.rows]
        first = min(3, len(rows[0])) if rows else 0
        if self.get_y() + (len(header) + first) * line_h + 4 * pad > self.page_break_trigger:
            self.add_page()  # never a header alone at the foot of a page
        self._draw_row(header, widths, line_h, pad, heading=True, size=size)
        for lines in rows:
            fresh = False  # whether only the header is on this page yet
            while lines:
                fits = int((self.page_break_trigger - self.get_y() - 2 * pad) / line_h)
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
        self.set_font(FONT, style, size)
        wrapped = [self._wrap(cell, width - 1.6) for cell, width in zip(cells, widths, strict=True)]
        depth = max(len(lines) for lines in wrapped)
        return [[lines[i] if i < len(lines) else "" for lines in wrapped] for i in range(depth)]

    def _wrap(self, text: str, width: float) -> list[str]:
        """`text` broken into lines no wider than `width` mm, at spaces (inside a word only if it must)."""
        space = self._width(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, line_w = "", 0.0
            for word in paragraph.split():
                word_w = self._width(word)
                # The built-in fonts have no kerning: a line is as wide as its words and spaces.
                if line and line_w + space + word_w <= width:
                    line, line_w = f"{line} {word}", line_w + space + word_w
                    continue
                if not line and word_w <= width:
                    line, line_w = word, word_w
                    continue
                if line:
                    lines.append(line)
                line = word
                while self._width(line) > width and len(line) > 1:
                    cut = len(line) - 1
                    while cut > 1 and self._width(line[:cut]) > width:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
                line_w = self._width(line)
            lines.append(line)
        return lines or [""]

    def _width(self, text: str) -> float:
        """get_string_width of a built-in font, summed from its character widths (remembered per font).

        get_string_width shapes each string into fragments first: wrapping a summary measured
        hundreds of words that way. A test holds this to get_string_width.
        """
        key = (self.font_family, self.font_style, self.font_size_pt, text)
        width = self._widths.get(key)
        if width is None:
            widths = getattr(self.current_font, "cw", None)
            if isinstance(widths, dict) and all(c in widths for c in text):
                width = sum(widths[c] for c in text) * self.font_size / 1000
            else:
                width = self.get_string_width(text)
            self._widths[key] = width
        return width

    def _draw_row(
        self, lines: list[list[str]], widths: list[float], line_h: float, pad: float, *, heading: bool, size: float
    ) -> None:
        top = self.get_y()
        height = len(lines) * line_h + 2 * pad
        self.set_font(FONT, "B" if heading else "", size)
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.2)
        if heading:
            self.set_fill_color(230, 230, 230)
        x = self.l_margin
        # Placed where cell() would put it (left, vertically centred in the line), but with
        # text(): the lines are already wrapped, and cell() costs ten times as much per line.
        baseline = top + pad + 0.5 * line_h + 0.3 * self.font_size
        for col, width in enumerate(widths):
            self.rect(x, top, width, height, style="DF" if heading else "D")
            for i, line in enumerate(lines):
                if line[col]:
                    self.text(x + pad, baseline + i * line_h, line[col])
            x += width
        self.set_fill_color(255, 255, 255)
        self.set_xy(self.l_margin, top + height)

    def trend(self, weeks: list[WeekTrend]) -> None:
        """The weekly check-in chart: pain and swelling 0-10 (left axis), stiffness minutes (right)."""
        chart = trend_chart(weeks)
        height = 62.0
        if self.get_y() + height + 12 > self.h - self.b_margin:
            self.add_page()
        left, top = self.l_margin + 12, self.get_y() + 4
        width, plot_h = self.w - self.l_margin - self.r_margin - 26, height - 16

        def pt(x: float, y: float) -> tuple[float, float]:
            return left + x * width, top + (1 - y) * plot_h

        self.set_font(FONT, "", 7)
        self.set_draw_color(200, 200, 200)
        self.set_line_width(0.2)
        for y, label in chart.left_ticks:
            _, yy = pt(0, y)
            self.line(left, yy, left + width, yy)
            self.text(left - 2 - self.get_string_width(label), yy + 1, label)
        self.set_text_color(40, 130, 60)
        for y, label in chart.right_ticks:
            _, yy = pt(0, y)
            self.text(left + width + 2, yy + 1, label)
        self.text(left + width + 2, top - 2, chart.right_title)
        self.set_text_color(0, 0, 0)
        self.text(left - 11, top - 2, chart.left_title)
        for x, label in chart.x_labels:
            xx, yy = pt(x, 0)
            self.text(xx - self.get_string_width(label) / 2, yy + 4, label)
        self.set_draw_color(120, 120, 120)
        self.rect(left, top, width, plot_h)
        self.set_line_width(0.7)
        for series in chart.series:
            self.set_draw_color(*series.rgb)
            self.set_fill_color(*series.rgb)
            self.set_dash_pattern(dash=2, gap=1.5) if series.dashed else self.set_dash_pattern()
            points = [pt(x, y) for x, y in series.points]
            if len(points) > 1:
                self.polyline(points)
            self.set_dash_pattern()
            for px, py in points if chart.markers else []:
                self.circle(px, py, 1.0, style="F")
        legend_y = top + plot_h + 9
        for i, series in enumerate(chart.series):
            lx = left + i * 60
            self.set_draw_color(*series.rgb)
            self.set_dash_pattern(dash=2, gap=1.5) if series.dashed else self.set_dash_pattern()
            self.line(lx, legend_y - 1, lx + 8, legend_y - 1)
            self.set_dash_pattern()
            self.text(lx + 10, legend_y, series.name)
        self.set_line_width(0.2)
        self.set_draw_color(0, 0, 0)
        self.set_fill_color(255, 255, 255)
        self.set_y(top + height)


def _column_widths(table: Table) -> tuple[float, ...]:
    # Weights from the longest word and the typical length in each column, so short codes
    # stay narrow and free text gets the room.
    columns = list(zip(table.headers, *table.rows, strict=False)) if table.rows else [(h,) for h in table.headers]
    weights = []
    for column in columns:
        longest_word = max((len(w) for cell in column for w in cell.split()), default=4)
        average = sum(len(cell) for cell in column) / len(column)
        weights.append(max(4.0, longest_word * 1.2, min(average, 60.0) * 0.9))
    return tuple(weights)
