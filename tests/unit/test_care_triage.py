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


def test_a_watched_side_effect_gives_the_leaflets_rule_and_the_check_back_as_a_journal_setting() -> None:
    result = triage.triage(ANAKINRA, "headache")
    assert result.action is Action.WATCH
    assert result.advice.startswith("Tell your doctor if this is severe or does not go away.")
    assert "Journal setting, not medical advice" in result.advice and "7 days" in result.advice
    assert "will remind you" not in result.advice


def test_allergic_reaction_signs_ask_for_emergency_help_and_stay_urgent_until_closed() -> None:
    result = triage.triage(ANAKINRA, "my lips and tongue are swelling up")
    assert (result.tier, result.action) == (m.Tier.SERIOUS, Action.EMERGENCY)
    assert "emergency" in result.advice and "get emergency help now" in result.headline
    logged = effect(symptom="lips swelling", symptom_key="allergic-reaction")
    assert triage.current_action(logged, now=NOW, lingering=7, packs=[ANAKINRA]) is Action.EMERGENCY
    # Without the pack (as in a summary) it is still a serious effect to call about.
    assert triage.current_action(logged, now=NOW, lingering=7) is Action.CALL_NOW
    (alert,) = alerts.side_effect_alerts([logged], [ANAKINRA], now=NOW)
    assert alert.level is alerts.AlertLevel.URGENT and alert.title == "lips swelling - get emergency help now"
    assert ANAKINRA.side_effects.advice.emergency in alert.text


def test_severity_words_in_a_logged_common_effect_ask_to_tell_the_doctor_at_once() -> None:
    logged = effect(symptom="headache that won't go away", symptom_key="headache", tier=m.Tier.COMMON)
    assert triage.current_action(logged, now=NOW, lingering=7) is Action.TELL_DOCTOR
    (alert,) = alerts.side_effect_alerts([logged], [ANAKINRA], now=NOW)
    assert alert.level is alerts.AlertLevel.ATTENTION and "tell your doctor" in alert.title


def test_an_unlisted_side_effect_keeps_a_standing_alert_until_resolved() -> None:
    logged = effect(symptom="purple toes", symptom_key=None, tier=m.Tier.OTHER)
    (alert,) = alerts.side_effect_alerts([logged], [ANAKINRA], now=NOW + timedelta(days=30))
    assert alert.level is alerts.AlertLevel.ATTENTION
    assert alert.title == "purple toes - call your doctor if it is unusual"
    assert ANAKINRA.side_effects.advice.other in alert.text
    assert alerts.side_effect_alerts([logged.changed(resolved_at=NOW)], [ANAKINRA], now=NOW) == []


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
