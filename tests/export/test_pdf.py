"""The PDF exports hold the medicine names and the last dose time as text, with the period on every page."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fontTools.ttLib import TTFont
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journal.export import missing_glyphs_warning
from journal.export._canvas import PT_PER_MM
from journal.export._pdf import DocPDF, pdf_text
from journal.export._ttf import FILES, FONT_DIR, PLACEHOLDER, face
from journal.export.card import render_card_pdf
from journal.export.pdf import render_pdf
from journal.summary.emergency import EmergencyList
from journal.summary.model import VisitSummary
from tests.export.readers import page_texts


def _pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF-")
    return page_texts(content)


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
    figures = (
        f"{adherence.days_expected} {adherence.taken} {adherence.skipped} {adherence.missed} {adherence.extra} 93.1%"
    )
    assert f"anakinra {adherence.schedule} {figures}" in text


def test_emergency_pdf_lists_every_medicine_and_the_last_dose(demo_emergency: EmergencyList) -> None:
    pages = _pages(render_card_pdf(demo_emergency))
    assert len(pages) == 2  # the one-page list, then the wallet card
    first = _flat(pages[0])
    for name in ("anakinra", "Methotrexate", "Vitamin D3", "Echinacea", "Latex"):
        assert name in first
    assert "2026-11-25 08:07 CET" in first
    assert "interleukin antagonist" in first
    assert "last dose 2026-11-25 08:07 CET" in _flat(pages[1])


def test_text_prints_as_typed_in_latin_greek_and_cyrillic(demo_summary: VisitSummary) -> None:
    name = "Zoë Łukasiewicz Зоя Иванова Δήμητρα \u2014 “quoted” ‘it’s’ \u2013 \u2026 \u2022 12 \u20ac"
    name += " \u2212 \u2264 \u2192 µg/m² ℃"
    content = render_pdf(replace(demo_summary, patient=replace(demo_summary.patient, name=name)))
    assert name in _flat(_pages(content)[0])
    assert missing_glyphs_warning(content) is None
    # The document's title (what a PDF reader shows in its title bar) keeps every character.
    metadata = PdfReader(io.BytesIO(content)).metadata
    assert metadata is not None and metadata.title == f"Visit summary: {name}"


def test_a_character_without_a_glyph_prints_as_a_placeholder_and_is_named(demo_summary: VisitSummary) -> None:
    content = render_pdf(replace(demo_summary, patient=replace(demo_summary.patient, name="Li 李 \U0001f41d")))
    assert f"Li {PLACEHOLDER} {PLACEHOLDER}" in _flat(_pages(content)[0])
    assert content.missing == ("李", "\U0001f41d")  # type: ignore[attr-defined]
    warning = missing_glyphs_warning(content)
    assert warning is not None and "U+674E" in warning and "U+1F41D" in warning


def test_the_same_summary_gives_the_same_bytes_dated_when_it_was_generated(demo_summary: VisitSummary) -> None:
    content = render_pdf(demo_summary)
    assert render_pdf(demo_summary) == content
    metadata = PdfReader(io.BytesIO(content)).metadata
    assert metadata is not None and metadata.creation_date == demo_summary.generated_at


def test_a_note_with_parentheses_and_backslashes_prints_as_typed(demo_emergency: EmergencyList) -> None:
    # Unbalanced, escaped-looking and operator-looking: all of it is text.
    note = r"Dr. (Lee) said :-) C:\new\041 \ ) Tj BT /F1 99 Tf (x"
    pages = _pages(render_card_pdf(replace(demo_emergency, notes=note)))
    assert f"Notes: {note}" in _flat(pages[0])


_STYLES = sorted(FILES)


def _font_tools_width(text: str, style: str, size: float) -> float:
    """`text`'s width in mm from the shipped face as fontTools reads it (the placeholder for what it lacks)."""
    font = _FONT_TOOLS[style]
    cmap, metrics, units = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    names = [cmap.get(ord(c), cmap[ord(PLACEHOLDER)]) for c in text]
    width: float = sum(metrics[n][0] for n in names) * size / units / PT_PER_MM
    return width


_FONT_TOOLS = {style: TTFont(FONT_DIR / f"{stem}-subset.ttf") for style, stem in FILES.items()}


@pytest.mark.parametrize("style", _STYLES)
def test_every_character_of_the_face_is_as_wide_as_font_tools_reads_it(style: str) -> None:
    pdf = DocPDF(title="t", running="r", generated="g", generated_at=datetime(2026, 11, 20, tzinfo=UTC))
    pdf.set_font(style, 10)
    cmap = _FONT_TOOLS[style].getBestCmap()
    assert {ord(c) for c in face(style).glyph_of} == set(cmap)
    for code in sorted(cmap):
        assert pdf.width(chr(code)) == pytest.approx(_font_tools_width(chr(code), style, 10)), hex(code)


def test_the_shipped_faces_cover_latin_greek_and_cyrillic() -> None:
    blocks = ((0x41, 0x5A), (0xC0, 0x17F), (0x391, 0x3C9), (0x410, 0x44F))
    letters = [chr(c) for first, last in blocks for c in range(first, last + 1)]
    for style in _STYLES:
        cmap = _FONT_TOOLS[style].getBestCmap()
        assert [c for c in letters if c != "\u03a2" and ord(c) not in cmap and c not in "×÷"] == []


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=60),
    style=st.sampled_from(_STYLES),
    size=st.sampled_from([7.0, 8.5, 10.0, 13.0]),
    width=st.sampled_from([12.0, 40.0, 90.0]),
)
@example(text="\x1b[31mred\x85 \x9b1m\u0080\u009f\x7f\ttab", style="", size=10.0, width=40.0)
def test_any_text_is_wrapped_within_its_width_losing_nothing(text: str, style: str, size: float, width: float) -> None:
    printable = pdf_text(text)
    assert not any((c < " " and c != "\n") or "\x7f" <= c <= "\x9f" for c in printable)
    pdf = DocPDF(title="t", running="r", generated="g", generated_at=datetime(2026, 11, 20, tzinfo=UTC))
    pdf.set_font(style, size)
    lines = pdf._wrap(printable, width)
    for line in lines:
        assert _font_tools_width(line, style, size) <= width + 1e-9 or len(line.rstrip("-")) == 1
    # Nothing is lost: only the spaces where a line was broken, and the hyphens added inside a word.
    joined = "".join("".join(lines).split())
    assert joined.replace("-", "") == "".join(printable.split()).replace("-", "")
