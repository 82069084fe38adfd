"""The emergency list names what was stopped lately and the serious side effects still open, in every format."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from journal import models as m
from journal.export.card import card_qr, page_qr, render_card_html, render_card_pdf
from journal.export.emergency import render_json, render_markdown, render_text
from journal.store import Store
from journal.summary.emergency import build_emergency_list
from tests.export.readers import page_texts

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # in the past: records are validated against the clock


def _journal() -> Store:
    store = Store.memory()
    store.add(m.Medication(name="anakinra", tracked=True))
    # A finished taper (yesterday was its last day), one stopped long ago, one stopped today.
    store.add(m.Medication(name="prednisolone", strength="5 mg", started=date(2026, 11, 1), stopped=date(2026, 12, 7)))
    store.add(m.Medication(name="sulfasalazine", started=date(2025, 1, 1), stopped=date(2026, 6, 1)))
    store.add(m.Medication(name="folic acid", started=date(2026, 1, 1), stopped=date(2026, 12, 8)))
    effect = m.SideEffect(
        symptom="rash on my arms", tier=m.Tier.SERIOUS, started_at=datetime(2026, 12, 7, 9, tzinfo=UTC), tz="UTC"
    )
    store.add(effect, now=NOW)
    store.add(m.SideEffect(symptom="headache", tier=m.Tier.COMMON, started_at=NOW, tz="UTC"), now=NOW)
    resolved = m.SideEffect(symptom="fever", tier=m.Tier.SERIOUS, started_at=NOW, tz="UTC", resolved_at=NOW)
    store.add(resolved, now=NOW)
    return store


def test_the_list_holds_medicines_stopped_in_the_last_90_days_and_open_serious_effects() -> None:
    data = build_emergency_list(_journal(), now=NOW, zone="UTC")
    assert [med.name for med in data.medicines] == ["anakinra", "folic acid"]  # stopped today: still taken today
    assert [(s.name, s.stopped) for s in data.recently_stopped] == [("prednisolone", "2026-12-07")]
    assert data.serious_effects == ["rash on my arms (since 2026-12-07 09:00 UTC)"]


def test_every_format_carries_them() -> None:
    data = build_emergency_list(_journal(), now=NOW, zone="UTC")
    pdf = " ".join(" ".join(page_texts(render_card_pdf(data))).split())
    outputs = {
        "text": render_text(data),
        "markdown": render_markdown(data),
        "html": render_card_html(data),
        "pdf": pdf,
        "page qr": page_qr(data)[0],
        "card qr": card_qr(data)[0],
    }
    for name, out in outputs.items():
        assert "prednisolone 5 mg" in out and "2026-12-07" in out, name
        assert "sulfasalazine" not in out, name
    for name in ("text", "markdown", "html", "pdf", "page qr"):
        assert "Stopped in the last 90 days".upper() in outputs[name].upper(), name
        assert "rash on my arms" in outputs[name], name
        assert "headache" not in outputs[name] and "fever" not in outputs[name], name
    parsed = json.loads(render_json(data))
    assert parsed["recently_stopped"][0]["name"] == "prednisolone"
    assert parsed["serious_effects"] == ["rash on my arms (since 2026-12-07 09:00 UTC)"]
