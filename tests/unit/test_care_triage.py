"""Side-effect triage: serious means call the doctor now; common ones when severe or lingering; others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journal import models as m
from journal.care import alerts, triage
from journal.care.triage import Action
from journal.content import load_pack

FIXTURE_PACKS = Path(__file__).resolve().parents[1] / "fixtures" / "packs"
ANAKINRA = load_pack("anakinra")
TESTAMAB = load_pack("testamab", FIXTURE_PACKS)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "rash",
        "Hives",
        "flu-like symptoms",
        "fever",
        "sore throat",
        "chills",
        "coughing",
        "wheezing",
        "chest pain",
        "hot, red, swollen area on the skin",
        "I have a rash and a headache",
    ],
)
def test_serious_side_effects_say_call_your_doctor_now(text: str) -> None:
    result = triage.triage(ANAKINRA, text)
    assert result.tier is m.Tier.SERIOUS
    assert result.action is Action.CALL_NOW
    assert "call your doctor now" in result.headline
    assert result.advice == ANAKINRA.side_effects.advice.serious


@pytest.mark.parametrize("text", ["headache", "nausea", "diarrhoea", "runny nose", "stomach ache", "bruising"])
def test_common_side_effects_are_common_and_only_watched_when_mild(text: str) -> None:
    result = triage.triage(ANAKINRA, text, m.Severity.MILD)
    assert (result.tier, result.action) == (m.Tier.COMMON, Action.WATCH)


def test_a_severe_common_side_effect_says_tell_your_doctor() -> None:
    result = triage.triage(ANAKINRA, "headache", m.Severity.SEVERE)
    assert result.action is Action.TELL_DOCTOR


def test_injection_site_reactions_are_recognised_as_such() -> None:
    result = triage.triage(ANAKINRA, "sore thigh")
    assert result.symptom_key == "injection-site" and result.injection_site


def test_unknown_text_is_tier_other_with_the_packs_advice_to_call_about_unusual_problems() -> None:
    result = triage.triage(ANAKINRA, "purple toes")
    assert result.tier is m.Tier.OTHER
    assert result.symptom_key is None
    assert result.advice == ANAKINRA.side_effects.advice.other


def test_tiers_come_from_the_pack_not_from_code() -> None:
    assert triage.triage(TESTAMAB, "passed out").tier is m.Tier.SERIOUS
    assert triage.triage(TESTAMAB, "dizzy").tier is m.Tier.COMMON
    assert triage.triage(TESTAMAB, "rash").tier is m.Tier.OTHER
    assert triage.triage(TESTAMAB, "passed out").advice == "Go to hospital (fictional)."


def test_across_packs_the_most_serious_verdict_wins() -> None:
    assert triage.triage_all([TESTAMAB, ANAKINRA], "rash").tier is m.Tier.SERIOUS
    assert triage.triage_all([], "rash").tier is m.Tier.OTHER


def effect(**changes: object) -> m.SideEffect:
    base = m.SideEffect(symptom="rash", symptom_key="rash", tier=m.Tier.SERIOUS, started_at=NOW, tz="UTC")
    return base.changed(**changes)


def test_a_serious_side_effect_stays_an_open_alert_until_resolved_or_the_doctor_is_contacted() -> None:
    assert triage.current_action(effect(), now=NOW + timedelta(days=30), lingering=7) is Action.CALL_NOW
    assert triage.current_action(effect(resolved_at=NOW), now=NOW, lingering=7) is None
    assert triage.current_action(effect(doctor_contacted_at=NOW), now=NOW, lingering=7) is None
    found = alerts.side_effect_alerts([effect()], [ANAKINRA], now=NOW)
    assert found[0].level is alerts.AlertLevel.URGENT and found[0].needs_attention


def test_a_common_side_effect_still_there_after_the_packs_lingering_days_says_tell_your_doctor() -> None:
    headache = effect(symptom="headache", symptom_key="headache", tier=m.Tier.COMMON)
    days = ANAKINRA.side_effects.lingering_days
    assert triage.current_action(headache, now=NOW + timedelta(days=days - 1), lingering=days) is Action.WATCH
    assert triage.current_action(headache, now=NOW + timedelta(days=days), lingering=days) is Action.TELL_DOCTOR
    assert triage.lingering_days([TESTAMAB], "dizziness") == 2
    found = alerts.side_effect_alerts([headache], [ANAKINRA], now=NOW + timedelta(days=days))
    assert found[0].level is alerts.AlertLevel.ATTENTION and "tell your doctor" in found[0].title
