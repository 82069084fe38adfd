"""Syringe inspection: clear is used, foamy waits until it clears, cloudy/discolored/particles are discarded."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal import models as m
from journal.care.inspection import inspect_syringe, leftover_advice
from journal.content import Pack, load_pack
from journal.errors import InspectionError

FIXTURE_PACKS = Path(__file__).resolve().parents[1] / "fixtures" / "packs"


@pytest.fixture(scope="module")
def anakinra() -> Pack:
    return load_pack("anakinra")


@pytest.fixture(scope="module")
def testamab() -> Pack:
    return load_pack("testamab", FIXTURE_PACKS)


def test_clear_syringe_is_used(anakinra: Pack) -> None:
    verdict = inspect_syringe(anakinra, "clear")
    assert verdict.usable and verdict.outcome is m.CheckOutcome.USED


def test_foamy_syringe_is_not_recorded_until_it_has_waited(anakinra: Pack) -> None:
    with pytest.raises(InspectionError, match="minutes it sat") as refused:
        inspect_syringe(anakinra, m.Appearance.FOAMY)
    assert refused.value.look == "foamy" and refused.value.advice == anakinra.appearance("foamy").advice
    with pytest.raises(InspectionError):
        inspect_syringe(anakinra, m.Appearance.FOAMY, waited_minutes=0)


def test_foamy_syringe_is_used_after_waiting_and_the_minutes_are_kept(anakinra: Pack) -> None:
    verdict = inspect_syringe(anakinra, m.Appearance.FOAMY, waited_minutes=4)
    assert verdict.usable
    assert verdict.waited_minutes == 4
    assert verdict.outcome is m.CheckOutcome.USED


@pytest.mark.parametrize("look", ["cloudy", "discolored", "particles"])
def test_cloudy_discolored_or_floating_syringe_is_discarded_with_a_reason(anakinra: Pack, look: str) -> None:
    verdict = inspect_syringe(anakinra, look, waited_minutes=10)
    assert not verdict.usable
    assert verdict.outcome is m.CheckOutcome.DISCARDED
    assert verdict.reason and "do not use" in verdict.reason.lower()


def test_appearance_a_pack_does_not_list_is_never_injected(testamab: Pack) -> None:
    # The synthetic pack lists only clear and yellow: foamy and cloudy are not vouched for.
    assert inspect_syringe(testamab, "clear").usable
    for look in ("foamy", "cloudy", "particles"):
        assert inspect_syringe(testamab, look, waited_minutes=5).outcome is m.CheckOutcome.DISCARDED


def test_medicine_without_a_pack_still_discards_a_cloudy_syringe() -> None:
    assert inspect_syringe(None, "cloudy").outcome is m.CheckOutcome.DISCARDED
    assert inspect_syringe(None, "foamy", waited_minutes=3).usable


def test_leftover_advice_says_never_inject_again(anakinra: Pack, testamab: Pack) -> None:
    assert "do not inject again" in leftover_advice(anakinra)
    assert leftover_advice(testamab) == "Discard any leftover."
