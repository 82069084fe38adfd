"""The PDF exports hold the medicine names and the last dose time as text, with the period on every page."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

from journal.export._canvas import PT_PER_MM
from journal.export._pdf import DocPDF, winansi
from journal.export.card import render_card_pdf
from journal.export.pdf import render_pdf
from journal.summary.emergency import EmergencyList
from journal.summary.model import VisitSummary


def _pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF-")
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def summary_pages(demo_summary: VisitSummary) -> list[str]:
    return _pages(render_pdf(demo_summary))


def test_summary_pdf_lists_every_medicine_and_the_last_dose(summary_pages: list[str]) -> None:
    text = _flat(" ".join(summary_pages))
    for name in ("anakinra", "Methotrexate", "Vitamin D3", "Echinacea"):
        assert name in text
    assert "2026-11-25 08:07 CET" in text


def test_every_summary_page_carries_the_period_generation_time_and_page_number(summary_pages: list[str]) -> None:
    assert len(summary_pages) > 1
    for number, page in enumerate(summary_pages, start=1):
        flat = _flat(page)
        assert "2026-10-28 to 2026-11-25" in flat
        assert "Generated 2026-11-25 10:00 CET" in flat
        assert f"Page {number} of {len(summary_pages)}" in flat


def test_summary_pdf_shows_the_same_adherence_figures(summary_pages: list[str], demo_summary: VisitSummary) -> None:
    text = _flat(" ".join(summary_pages))
    adherence = demo_summary.adherence[0]
    assert f"anakinra {adherence.days_expected} {adherence.taken} {adherence.skipped} {adherence.missed} 93.1%" in text


def test_emergency_pdf_lists_every_medicine_and_the_last_dose(demo_emergency: EmergencyList) -> None:
    pages = _pages(render_card_pdf(demo_emergency))
    assert len(pages) == 2  # the one-page list, then the wallet card
    first = _flat(pages[0])
    for name in ("anakinra", "Methotrexate", "Vitamin D3", "Echinacea", "Latex"):
        assert name in first
    assert "2026-11-25 08:07 CET" in first
    assert "interleukin antagonist" in first
    assert "last dose 2026-11-25 08:07 CET" in _flat(pages[1])


def test_text_prints_as_typed_where_the_font_has_it_and_is_reduced_where_not(demo_summary: VisitSummary) -> None:
    name = "Zoë Łukasz 李 \u2014 “quoted” ‘it’s’ \u2013 \u2026 \u2022 12 \u20ac"
    content = render_pdf(replace(demo_summary, patient=replace(demo_summary.patient, name=name)))
    assert "Zoë Lukasz ? \u2014 “quoted” ‘it’s’ \u2013 \u2026 \u2022 12 \u20ac" in _flat(_pages(content)[0])
    # The document's title (what a PDF reader shows in its title bar) keeps every character.
    assert PdfReader(io.BytesIO(content)).metadata.title == f"Visit summary: {name}"


def test_the_same_summary_gives_the_same_bytes_dated_when_it_was_generated(demo_summary: VisitSummary) -> None:
    content = render_pdf(demo_summary)
    assert render_pdf(demo_summary) == content
    assert PdfReader(io.BytesIO(content)).metadata.creation_date == demo_summary.generated_at


def test_a_note_with_parentheses_and_backslashes_prints_as_typed(demo_emergency: EmergencyList) -> None:
    # Unbalanced, escaped-looking and operator-looking: all of it is text.
    note = r"Dr. (Lee) said :-) C:\new\041 \ ) Tj BT /F1 99 Tf (x"
    pages = _pages(render_card_pdf(replace(demo_emergency, notes=note)))
    assert f"Notes: {note}" in _flat(pages[0])


# Helvetica's faces by our style names, and where WinAnsiEncoding prints another glyph's shape
# (no-break space as the space, soft hyphen as the hyphen: PDF 1.7, Annex D).
_FACES = {"": "Helvetica", "B": "Helvetica-Bold", "I": "Helvetica-Oblique", "BI": "Helvetica-BoldOblique"}
_SAME_GLYPH = {"\u00a0": " ", "\u00ad": "-"}


def _adobe_width(text: str, style: str, size: float) -> float:
    """`text`'s width in mm from pypdf's copy of Adobe's Core14 AFM metrics."""
    widths = CORE_FONT_METRICS[_FACES[style]].character_widths
    return sum(widths[_SAME_GLYPH.get(c, c)] for c in text) * size / 1000 / PT_PER_MM


def _winansi_characters() -> list[str]:
    """Every character a WinAnsiEncoding font prints: cp1252's bytes 0x20-0xFF, less DEL and its five holes."""
    out = []
    for byte in range(0x20, 0x100):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        if char != "\x7f":
            out.append(char)
    return out


PRINTABLE = frozenset(_winansi_characters())


@pytest.mark.parametrize("style", sorted(_FACES))
def test_every_printable_character_is_as_wide_as_adobe_says(style: str) -> None:
    pdf = DocPDF(title="t", running="r", generated="g", generated_at=datetime(2026, 11, 20, tzinfo=UTC))
    pdf.set_font(style, 10)
    for char in sorted(PRINTABLE):
        assert pdf.width(char) == pytest.approx(_adobe_width(char, style, 10)), repr(char)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=60),
    style=st.sampled_from(sorted(_FACES)),
    size=st.sampled_from([7.0, 8.5, 10.0, 13.0]),
    width=st.sampled_from([12.0, 40.0, 90.0]),
)
@example(text="\x1b[31mred\x85 \x9b1m\u0080\u009f\x7f\ttab", style="", size=10.0, width=40.0)
def test_any_text_is_reduced_to_what_the_font_prints_and_wrapped_within_its_width(
    text: str, style: str, size: float, width: float
) -> None:
    printable = winansi(text)
    assert all(c == "\n" or c in PRINTABLE for c in printable)
    pdf = DocPDF(title="t", running="r", generated="g", generated_at=datetime(2026, 11, 20, tzinfo=UTC))
    pdf.set_font(style, size)
    lines = pdf._wrap(printable, width)
    for line in lines:
        assert _adobe_width(line, style, size) <= width + 1e-9 or len(line) == 1
    # Nothing is lost: only the spaces where a line was broken.
    assert "".join("".join(lines).split()) == "".join(printable.split())
