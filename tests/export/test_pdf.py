"""The PDF exports hold the medicine names and the last dose time as text, with the period on every page."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from journal.export._pdf import FONT, DocPDF
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


def test_text_outside_latin1_is_replaced_not_fatal(demo_summary: VisitSummary) -> None:
    patient = replace(demo_summary.patient, name="Zoë Łukasz 李 \u2014 “quoted”")
    pages = _pages(render_pdf(replace(demo_summary, patient=patient)))
    assert 'Zoë Lukasz ? - "quoted"' in _flat(pages[0])


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40),
    style=st.sampled_from(["", "B", "I", "BI"]),
    size=st.sampled_from([7.0, 8.5, 10.0, 13.0]),
)
def test_wrapping_measures_text_as_fpdf_does(text: str, style: str, size: float) -> None:
    # The wrapping sums character widths itself (fast); the lines must fit as fpdf measures them.
    pdf = DocPDF(title="t", running="r", generated="g", generated_at=datetime(2026, 11, 20, tzinfo=UTC))
    pdf.set_font(FONT, style, size)
    assert pdf._width(text) == pytest.approx(pdf.get_string_width(text))
    for line in pdf._wrap(text, 40):
        assert pdf.get_string_width(line) <= 40 + 1e-9 or len(line) == 1
