"""The application's use cases: the store read through the care rules (Today, alerts, a dose or side effect)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from journal import models as m
from journal.application import corrections
from journal.application.doses import DoseResult, ExtraDoseError, record_dose
from journal.application.effects import mark_doctor_contacted, record_side_effect, resolve_side_effect
from journal.application.packs import match_pack, warnings_for_new
from journal.application.status import status_line
from journal.application.supply import add_box, discard_box, supply_for
from journal.application.today import build_today
from journal.care.alerts import AlertKind, AlertLevel
from journal.content import Pack, load_pack, spot_distance_cm
from journal.errors import JournalError, NotFoundError, SiteError
from journal.store import Store

FIXTURE_PACKS = Path(__file__).resolve().parents[1] / "fixtures" / "packs"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def synthetic_loader(key: str) -> Pack:
    return load_pack(key, FIXTURE_PACKS)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


@pytest.fixture
def kineret(store: Store) -> m.Medication:
    return store.add(m.Medication(name="Kineret", pack="anakinra", tracked=True, usual_time="08:00"))


def dose(store: Store, med: m.Medication, at: datetime, **options: object) -> DoseResult:
    return record_dose(store, med, at=at, zone="UTC", now=NOW, **options)  # type: ignore[arg-type]


def test_cloudy_syringe_is_recorded_as_discarded_and_never_becomes_a_dose(store: Store, kineret: m.Medication) -> None:
    add_box(store, kineret, received=date(2026, 11, 20), now=NOW)
    result = dose(store, kineret, NOW, appearance="cloudy")
    assert result.discarded and result.dose is None
    assert store.count(m.Dose) == 0
    check = store.all(m.SyringeCheck)[0]
    assert check.outcome is m.CheckOutcome.DISCARDED and check.reason
    supply = supply_for(store, kineret, now=NOW, zone="UTC")
    assert supply is not None and supply.remaining == 6


def test_a_used_syringe_and_its_dose_are_one_syringe(store: Store, kineret: m.Medication) -> None:
    add_box(store, kineret, received=date(2026, 11, 20), now=NOW)
    result = dose(store, kineret, NOW, appearance="foamy", waited_minutes=5, leftover=True)
    assert result.dose is not None and result.check is not None
    assert result.dose.check_id == result.check.id and result.dose.leftover
    assert result.check.waited_minutes == 5
    assert result.leftover_advice and "do not inject again" in result.leftover_advice
    supply = supply_for(store, kineret, now=NOW, zone="UTC")
    assert supply is not None and supply.remaining == 6


def test_a_refused_site_writes_nothing(store: Store, kineret: m.Medication) -> None:
    with pytest.raises(SiteError):
        dose(store, kineret, NOW, appearance="clear", site="buttock-left")
    assert store.count(m.Dose) == 0 and store.count(m.SyringeCheck) == 0


def test_doses_without_a_site_follow_the_suggestions_and_keep_their_distance(
    store: Store, kineret: m.Medication
) -> None:
    pack = load_pack("anakinra")
    spots = []
    for day in range(30):
        result = dose(store, kineret, NOW - timedelta(days=30 - day))
        assert result.suggested and result.dose is not None and result.dose.spot
        spots.append(result.dose.spot)
    for a, b in itertools.pairwise(spots):
        assert spot_distance_cm(pack, a, b) >= pack.sites.spacing_cm


def test_build_today_shows_due_time_last_and_next_site_and_supply(store: Store, kineret: m.Medication) -> None:
    add_box(store, kineret, received=date(2026, 11, 20), now=NOW, lot="L1", expires=date(2027, 1, 1))
    dose(store, kineret, NOW - timedelta(days=1), site="stomach-left:A1")
    early = build_today(store, now=datetime(2026, 11, 25, 6, tzinfo=UTC), zone="UTC")
    view = early.medicines[0]
    assert (view.due_local, view.due_in_minutes, view.overdue_by_minutes) == ("08:00", 120, None)
    assert view.last_site == "stomach-left:A1"
    assert view.suggested_spot and view.suggested_spot != "stomach-left:A1"
    assert (view.syringes_left, view.days_left) == (6, 6)
    late = build_today(store, now=NOW, zone="UTC")
    assert late.medicines[0].overdue_by_minutes == 240
    assert late.needs_attention
    assert any(a.kind is AlertKind.DOSE for a in late.alerts)


def test_alerts_are_sorted_most_urgent_first(store: Store, kineret: m.Medication) -> None:
    store.add(m.Medication(name="Enbrel"))
    dose(store, kineret, datetime(2026, 11, 25, 8, tzinfo=UTC))
    record_side_effect(store, "fever", at=NOW, zone="UTC", now=NOW)
    today = build_today(store, now=NOW, zone="UTC")
    levels = [a.level for a in today.alerts]
    assert levels[0] is AlertLevel.URGENT and levels[-1] is AlertLevel.NOTICE
    assert levels == sorted(levels, key=[AlertLevel.URGENT, AlertLevel.ATTENTION, AlertLevel.NOTICE].index)
    assert "fever - call your doctor now" in status_line(today)


def test_side_effect_tier_is_stored_when_logged_and_closing_it_clears_the_alert(
    store: Store, kineret: m.Medication
) -> None:
    result = record_side_effect(store, "Skin rash", at=NOW, zone="UTC", now=NOW)
    assert (result.effect.tier, result.effect.symptom_key) == (m.Tier.SERIOUS, "rash")
    assert build_today(store, now=NOW, zone="UTC").needs_attention is True
    mark_doctor_contacted(store, "rash", at=NOW, now=NOW)
    today = build_today(store, now=NOW, zone="UTC")
    assert not any(a.kind is AlertKind.SIDE_EFFECT for a in today.alerts)
    resolve_side_effect(store, "skin rash", at=NOW, now=NOW)
    with pytest.raises(NotFoundError):
        resolve_side_effect(store, "rash", at=NOW, now=NOW)


def test_an_injection_site_reaction_is_placed_at_the_last_site_and_blocks_it(
    store: Store, kineret: m.Medication
) -> None:
    dose(store, kineret, NOW - timedelta(hours=3), site="thigh-right")
    result = record_side_effect(store, "bruising", at=NOW, zone="UTC", now=NOW)
    assert result.effect.region == "thigh-right" and result.assumed_region
    view = build_today(store, now=NOW, zone="UTC").medicines[0]
    assert view.suggested_spot and not view.suggested_spot.startswith("thigh-right")


def test_warnings_for_a_new_medicine_name_the_interaction(store: Store, kineret: m.Medication) -> None:
    enbrel = store.add(m.Medication(name="Enbrel"))
    texts = warnings_for_new(store, enbrel, now=NOW)
    assert len(texts) == 1 and "Enbrel (etanercept) interacts with Kineret" in texts[0]
    assert warnings_for_new(store, kineret, now=NOW) == texts


def test_a_medicine_name_finds_its_pack_by_generic_or_brand() -> None:
    for name in ("Kineret", "anakinra", "ANAKINRA 100 mg"):
        found = match_pack([name])
        assert found is not None and found.key == "anakinra"
    assert match_pack(["Enbrel"]) is None


def test_the_synthetic_pack_drives_the_same_overview(store: Store) -> None:
    med = store.add(m.Medication(name="Testix", pack="testamab", tracked=True, usual_time="09:00"))
    store.add(m.Medication(name="Fakerin"))
    box = add_box(store, med, received=date(2026, 11, 20), now=NOW, loader=synthetic_loader)
    assert box.count == 5
    discarded = record_dose(store, med, at=NOW, zone="UTC", now=NOW, appearance="cloudy", loader=synthetic_loader)
    assert discarded.dose is None
    taken = record_dose(store, med, at=NOW, zone="UTC", now=NOW, loader=synthetic_loader)
    assert taken.dose is not None and taken.dose.region == "abdomen-upper"
    effect = record_side_effect(store, "passed out", at=NOW, zone="UTC", now=NOW, loader=synthetic_loader)
    assert effect.effect.tier is m.Tier.SERIOUS
    today = build_today(store, now=NOW, zone="UTC", loader=synthetic_loader)
    assert today.medicines[0].syringes_left == 3 and today.medicines[0].unit == "pen"
    assert any("Fictional interaction." in a.text for a in today.alerts)
    assert today.alerts[0].level is AlertLevel.URGENT


def test_a_medicine_not_started_yet_is_not_overdue(store: Store) -> None:
    med = store.add(m.Medication(name="Kineret", pack="anakinra", tracked=True, started=date(2026, 11, 25)))
    today = build_today(store, now=NOW, zone="UTC")
    assert today.medicines[0].overdue_by_minutes == 240 and today.needs_attention
    store.update(med, now=NOW, started=date(2026, 12, 1))
    later = build_today(store, now=NOW, zone="UTC")
    assert later.medicines[0].starts_on == date(2026, 12, 1)
    assert later.medicines[0].overdue_by_minutes is None and not later.needs_attention
    assert "Kineret starts 2026-12-01" in status_line(later)


def test_status_line_says_when_the_due_time_is_a_default(store: Store) -> None:
    store.add(m.Medication(name="Kineret", pack="anakinra", tracked=True))
    early = build_today(store, now=datetime(2026, 11, 25, 6, tzinfo=UTC), zone="UTC")
    assert status_line(early) == "Kineret due 08:00 (default time, in 2h)"
    late = build_today(store, now=NOW, zone="UTC")
    assert status_line(late) == "Kineret OVERDUE 4h (due 08:00, default time)"


def _two_boxes_and_a_week_of_doses(store: Store, med: m.Medication) -> None:
    today = NOW.date()
    add_box(store, med, received=today - timedelta(days=8), now=NOW, lot="OLD", expires=today - timedelta(days=6))
    add_box(store, med, received=today - timedelta(days=8), now=NOW, lot="NEW", expires=date(2027, 6, 1))
    for back in range(7, 0, -1):
        dose(store, med, NOW - timedelta(days=back))


def test_after_a_box_expired_supply_counts_the_syringes_the_fridge_holds(store: Store, kineret: m.Medication) -> None:
    # Issue 13: boxes were drawn in order of expiry even after one expired, so after an expired
    # box `supply` said 7 syringes left when 2 usable ones were. Two doses came from the old box
    # (on or before its expiry date), five from the new one.
    _two_boxes_and_a_week_of_doses(store, kineret)
    supply = supply_for(store, kineret, now=NOW, zone="UTC")
    assert supply is not None
    assert supply.usable == 2
    assert supply.expired_unused == 5 and supply.unaccounted == 0
    assert [(b.lot, b.remaining) for b in supply.expired_boxes] == [("OLD", 5)]


def test_discarding_a_box_by_its_lot_is_an_edit_that_undo_takes_back(store: Store, kineret: m.Medication) -> None:
    _two_boxes_and_a_week_of_doses(store, kineret)
    box, left = discard_box(store, kineret, lot="old", now=NOW, zone="UTC", reason="expired")
    assert (box.lot, left, box.discarded_at, box.discard_reason) == ("OLD", 5, NOW, "expired")
    supply = supply_for(store, kineret, now=NOW, zone="UTC")
    assert supply is not None and (supply.usable, supply.expired_unused, supply.thrown_away) == (2, 0, 5)
    with pytest.raises(JournalError, match="already thrown away"):
        discard_box(store, kineret, lot="OLD", now=NOW, zone="UTC")
    with pytest.raises(NotFoundError, match="lots recorded: NEW, OLD"):
        discard_box(store, kineret, lot="L9", now=NOW, zone="UTC")
    corrections.undo(store, corrections.last_write(store), now=NOW)
    supply = supply_for(store, kineret, now=NOW, zone="UTC")
    assert supply is not None and (supply.usable, supply.expired_unused, supply.thrown_away) == (2, 5, 0)


def test_a_lot_of_several_boxes_is_discarded_only_when_one_has_syringes_left(
    store: Store, kineret: m.Medication
) -> None:
    for _ in range(3):
        add_box(store, kineret, received=date(2026, 11, 1), now=NOW, lot="K1", expires=date(2027, 6, 1))
    with pytest.raises(JournalError, match="3 boxes of Kineret have lot 'K1'"):
        discard_box(store, kineret, lot="K1", now=NOW, zone="UTC")
    assert all(b.discarded_at is None for b in store.boxes(kineret.id))


def test_a_refused_extra_dose_names_the_dose_taken_from_the_day_it_is_read_on(
    store: Store, kineret: m.Medication
) -> None:
    # 00:40 now, a dose recorded at 00:30 (outside the 08:00 dose's window: an extra one), and one typed for
    # 22:30 yesterday: the dose taken is "today 00:30" (the day the user reads it on), not "tomorrow".
    now = datetime(2026, 11, 26, 0, 40, tzinfo=UTC)
    record_dose(store, kineret, at=now - timedelta(minutes=10), zone="UTC", now=now, extra=True)
    with pytest.raises(ExtraDoseError) as refused:
        record_dose(store, kineret, at=now - timedelta(hours=2, minutes=10), zone="UTC", now=now)
    assert "(today 00:30" in refused.value.message and "tomorrow" not in refused.value.message
    assert store.count(m.Dose) == 1
