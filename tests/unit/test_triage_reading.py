"""A side effect is read as the patient meant it: denials, the injection site, and "nothing is wrong"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from journal import models as m
from journal.application.effects import NothingWrongError, record_side_effect
from journal.application.today import build_today
from journal.care.alerts import AlertKind
from journal.store import Store

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    opened.add(m.Medication(name="Kineret", pack="anakinra", tracked=True, usual_time="08:00"))
    yield opened
    opened.close()


@pytest.mark.parametrize(
    "text", ["no side effects today, feel fine", "I do not have hives", "no fever, chills or cough"]
)
def test_a_text_that_says_nothing_is_wrong_records_nothing_and_raises_no_alert(store: Store, text: str) -> None:
    with pytest.raises(NothingWrongError, match="nothing is wrong"):
        record_side_effect(store, text, at=NOW, zone="UTC", now=NOW)
    assert store.count(m.SideEffect) == 0
    assert not any(a.kind is AlertKind.SIDE_EFFECT for a in build_today(store, now=NOW, zone="UTC").alerts)
    assert not store.medications()[0].paused  # "no hives" pauses nothing


def test_a_denied_emergency_sign_is_neither_an_emergency_nor_a_pause(store: Store) -> None:
    result = record_side_effect(store, "not short of breath, only a runny nose", at=NOW, zone="UTC", now=NOW)
    assert (result.effect.tier, result.effect.symptom_key) == (m.Tier.COMMON, "runny-nose")
    assert result.paused is None and not store.medications()[0].paused
    assert result.triage.understood_line == "Understood: runny nose (common); not: short of breath."


def test_a_red_spot_at_the_injection_is_a_site_reaction_not_a_rash(store: Store) -> None:
    result = record_side_effect(store, "little red bump at the injection spot", at=NOW, zone="UTC", now=NOW)
    assert (result.effect.tier, result.effect.symptom_key) == (m.Tier.COMMON, "injection-site")
    rash = record_side_effect(store, "red spots on my arms", at=NOW, zone="UTC", now=NOW)
    assert (rash.effect.tier, rash.effect.symptom_key) == (m.Tier.SERIOUS, "rash")


def test_not_feeling_well_is_still_recorded_as_something_wrong(store: Store) -> None:
    result = record_side_effect(store, "not feeling well", at=NOW, zone="UTC", now=NOW)
    assert result.effect.tier is m.Tier.OTHER
    assert any(a.kind is AlertKind.SIDE_EFFECT for a in build_today(store, now=NOW, zone="UTC").alerts)
