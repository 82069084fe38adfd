"""Every format works on a journal with nothing in it, and says so rather than failing."""

from __future__ import annotations

import io
import json
import zipfile

import icalendar
import pytest
from fhir.resources.R4B.bundle import Bundle

from journal.export import SUMMARY_FORMATS
from journal.export.card import render_card_html, render_card_pdf
from journal.export.emergency import render_json, render_markdown, render_text
from journal.summary.emergency import EmergencyList
from journal.summary.model import VisitSummary
from tests.export.readers import pdf_text


@pytest.mark.parametrize("name", sorted(SUMMARY_FORMATS))
def test_every_summary_format_renders_an_empty_journal(empty_summary: VisitSummary, name: str) -> None:
    content = SUMMARY_FORMATS[name].render(empty_summary)
    assert content
    if name == "pdf":
        text = pdf_text(content)
        assert "No medicines recorded." in text
    elif name == "csv":
        assert "doses.csv" in zipfile.ZipFile(io.BytesIO(content)).namelist()
    elif name == "fhir":
        bundle = Bundle.model_validate_json(content)
        sections = bundle.entry[0].resource.section  # type: ignore[index,union-attr]
        assert all(s.emptyReason is not None for s in sections)
    elif name == "ics":
        assert not list(icalendar.Calendar.from_ical(content.decode()).walk("VEVENT"))
    else:
        assert "No medicines recorded." in content.decode()


def test_every_emergency_format_renders_an_empty_journal(empty_emergency: EmergencyList) -> None:
    assert "No medicines recorded" in render_text(empty_emergency)
    assert "No medicines recorded" in render_markdown(empty_emergency)
    assert json.loads(render_json(empty_emergency))["medicines"] == []
    assert "No medicines recorded" in render_card_html(empty_emergency)
    assert "No medicines recorded" in render_card_html(empty_emergency, wallet_only=True)
    for wallet_only in (False, True):
        pdf = render_card_pdf(empty_emergency, wallet_only=wallet_only)
        assert "No medicines recorded" in pdf_text(pdf)
