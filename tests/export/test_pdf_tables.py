"""PDF tables: every cell's text is printed, wrapped inside its column, under a header repeated on each page;
text broken across pages keeps its font and colour."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from pypdf import PdfReader

from journal.export._document import Table
from journal.export._pdf import DocPDF, column_widths


def _render(table: Table) -> list[str]:
    pdf = DocPDF(title="Test", running="period", generated="now", generated_at=datetime(2026, 11, 20, tzinfo=UTC))
    pdf.add_page()
    pdf.table_block(table)
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.output())).pages]


def test_a_long_table_repeats_its_header_on_every_page_and_keeps_every_row() -> None:
    rows = [[f"2026-01-{i % 28 + 1:02d}", f"row{i:03d}", "a note " * (i % 5)] for i in range(150)]
    pages = _render(Table(headers=["When", "Which", "Note"], rows=rows))
    assert len(pages) > 2
    for text in pages:
        assert re.search(r"When\s+Which\s+Note", text), text[:200]
    found = re.findall(r"row\d{3}", " ".join(pages))
    assert found == [f"row{i:03d}" for i in range(150)]  # each row once, in order


def test_long_text_wraps_inside_its_column_and_nothing_is_cut() -> None:
    word = "x" * 180  # wider than any column: hyphenated across lines, never dropped
    note = "the swelling went down after two days " * 6
    pages = _render(Table(headers=["Day", "Note", "Code"], rows=[["2026-11-20", f"{note}{word}", "A1"]]))
    broken = re.findall(r"x+-\n", pages[0])
    assert len(broken) >= 2  # each break inside the word is shown by a hyphen
    flat = re.sub(r"\s+", "", pages[0].replace("-\n", ""))
    assert re.sub(r"\s+", "", note + word) in flat
    assert flat.index("A1") > flat.index("2026-11-20")
    lines = pages[0].splitlines()
    assert max(len(line) for line in lines) < 150  # wrapped, not one line running off the page


def test_a_row_taller_than_a_page_is_still_printed_whole() -> None:
    huge = " ".join(f"word{i}" for i in range(1500))
    pages = _render(Table(headers=["Day", "Note"], rows=[["2026-11-20", huge]]))
    text = " ".join(pages)
    assert len(pages) > 1 and "word0" in text and "word1499" in text


def test_a_paragraph_broken_across_pages_keeps_its_font_and_colour_under_the_next_header() -> None:
    pdf = DocPDF(title="Test", running="period", generated="now", generated_at=datetime(2026, 11, 20, tzinfo=UTC))
    pdf.add_page()
    pdf.y = 260
    pdf.set_text_color(160, 0, 0)
    pdf.paragraph(" ".join(f"word{i}" for i in range(300)), size=10, style="B")
    page = PdfReader(io.BytesIO(pdf.output())).pages[1]
    fill: list[float] = []
    colours: dict[str, tuple[float, ...]] = {}  # each line shown and the fill colour it was shown in

    def operator(op: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        if op == b"rg":
            fill[:] = [float(a) for a in args]

    fonts: dict[str, tuple[float, str]] = {}

    def shown(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if font and text.strip():
            # A subset's name is a six-letter tag, a plus and the face's name.
            fonts[text] = (size, str(font["/BaseFont"]).split("+", 1)[-1])
            colours[text] = tuple(fill)

    page.extract_text(visitor_operand_before=operator, visitor_text=shown)
    body = [text for text in colours if text.startswith("word")]
    assert len(body) > 10
    assert {colours[text] for text in body} == {(round(160 / 255, 4), 0.0, 0.0)}
    assert {fonts[text] for text in body} == {(10.0, "DejaVuSans-Bold")}
    assert fonts["Test - period"] == (8.0, "DejaVuSans") and colours["Test - period"] != colours[body[0]]


def _lines(pages: list[str]) -> list[str]:
    return [line.strip() for page in pages for line in page.splitlines()]


def test_words_and_numbers_are_never_broken_and_a_long_name_does_not_squeeze_the_others() -> None:
    long_name = "Extraordinarily long combination product name with several words " * 3
    rows = [
        [long_name, "injection", "100 mg/0.67 mL", "once a day under the skin", "rheumatoid arthritis"],
        ["Methotrexate", "tablet", "2.5 mg", "weekly on Monday", "arthritis"],
    ]
    headers = ["Medicine", "Kind", "Strength", "Directions", "Reason"]
    pdf = DocPDF(title="Test", running="period", generated="now", generated_at=datetime(2026, 11, 20, tzinfo=UTC))
    pdf.add_page()
    pdf.table_block(Table(headers=headers, rows=rows), size=9)
    words = {w for row in rows for cell in row for w in cell.split()} | set(headers)
    pieces = [
        piece
        for page in PdfReader(io.BytesIO(pdf.output())).pages
        for piece in (page.extract_text(extraction_mode="layout") or "").split()
    ]
    for piece in pieces:
        if piece[0].isalpha() or piece[0].isdigit():
            assert piece in words or piece in {"Test", "period", "Generated", "now", "Page", "1", "of", "-"}, piece
    widths = column_widths(headers, rows, 182, 9, pad=2.2)
    assert min(widths) > 12  # every column keeps room for its longest word
    assert widths[0] == max(widths)
