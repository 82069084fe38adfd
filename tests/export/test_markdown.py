"""The Markdown summary and emergency list match reviewed golden files on the fixed demo journal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journal.export.emergency import render_markdown as render_emergency_markdown
from journal.export.markdown import render_markdown
from journal.summary.emergency import EmergencyList
from journal.summary.model import VisitSummary

GOLDEN = Path(__file__).parent / "golden"
# Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then review the diff.
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def test_visit_summary_markdown_matches_the_golden_file(demo_summary: VisitSummary) -> None:
    _check("summary.md", render_markdown(demo_summary))


def test_empty_journal_summary_markdown_matches_the_golden_file(empty_summary: VisitSummary) -> None:
    _check("summary-empty.md", render_markdown(empty_summary))


def test_emergency_markdown_matches_the_golden_file(demo_emergency: EmergencyList) -> None:
    _check("emergency.md", render_emergency_markdown(demo_emergency))


def test_user_text_cannot_inject_markdown(demo_summary: VisitSummary) -> None:
    text = render_markdown(demo_summary)
    # The note holding a script tag and the table pipes stay literal text.
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "<script>" not in text


@pytest.mark.parametrize(
    "needle", ["| anakinra | daily at 08:00 | 29 | 27 | 1 | 1 | 0 | 93.1% |", "2026-11-12", "thigh-left:A1"]
)
def test_summary_markdown_shows_the_period_figures(demo_summary: VisitSummary, needle: str) -> None:
    assert needle in render_markdown(demo_summary)
