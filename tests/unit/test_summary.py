"""The visit summary and the emergency list: the period, the figures and the flags a doctor relies on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import pytest

from journal import models as m
from journal.errors import JournalError
from journal.export._document import Table, layout
from journal.store import Store
from journal.summary.build import build_visit_summary, resolve_period
from journal.summary.emergency import build_emergency_list
from journal.summary.model import PeriodBasis

# Earlier than the real clock, so records made here are never "in the future".
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ZONE = "UTC"
SETUP = NOW - timedelta(days=200)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


R = TypeVar("R", bound=m.Record)


def put(store: Store, cls: type[R], when: datetime = SETUP, **fields: Any) -> R:
    """Add a record with fixed bookkeeping times."""
    record = cls.validate({"created_at": when, "updated_at": when, **fields}, now=NOW)
    return store.add(record)


def at(days_ago: int, hour: int = 8, minute: int = 0) -> datetime:
    day = (NOW - timedelta(days=days_ago)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def anakinra(store: Store, **fields: Any) -> m.Medication:
    values: dict[str, Any] = {
        "name": "anakinra",
        "strength": "100 mg",
        "pack": "anakinra",
        "tracked": True,
        "usual_time": "08:00",
        "started": date(2026, 1, 1),
    }
    values.update(fields)
    return put(store, m.Medication, **values)


def visit(store: Store, days_ago: int, status: m.ApptStatus = m.ApptStatus.DONE) -> m.Appointment:
    return put(store, m.Appointment, at=at(days_ago, 10), tz=ZONE, kind=m.ApptKind.DOCTOR, status=status)


# --- the period -------------------------------------------------------------------------


def test_default_period_starts_at_the_last_doctors_visit_marked_done(store: Store) -> None:
    visit(store, 40)
    last = visit(store, 12)
    visit(store, 5, m.ApptStatus.CANCELLED)
    put(store, m.Appointment, at=at(3), tz=ZONE, kind=m.ApptKind.LAB, status=m.ApptStatus.DONE)
    period = resolve_period(store, now=NOW, zone=ZONE)
    assert period.basis is PeriodBasis.LAST_VISIT
    # [since, until): up to now, the current second included.
    assert period.since == last.at and period.until == NOW + timedelta(seconds=1)
    assert period.first_day == last.at.date() and period.last_day == NOW.date()


def test_what_was_written_in_the_second_the_summary_is_made_is_in_it(store: Store) -> None:
    # Records keep whole seconds: `medjournal checkin ... && medjournal export` runs both within
    # one second, and the check-in and the dose must be in the summary.
    med = anakinra(store)
    put(store, m.Checkin, NOW, at=NOW, tz=ZONE, pain=4)
    put(store, m.Dose, NOW, medication_id=med.id, at=NOW, tz=ZONE)
    summary = build_visit_summary(store, now=NOW, zone=ZONE)
    assert [week.pain for week in summary.trend] == [4]
    assert summary.adherence[0].taken == 1


def test_without_a_visit_the_period_is_the_last_90_days(store: Store) -> None:
    period = resolve_period(store, now=NOW, zone=ZONE)
    assert period.basis is PeriodBasis.DEFAULT_DAYS
    assert period.days == 90
    assert period.last_day == NOW.date()


def test_dates_given_are_whole_local_days(store: Store) -> None:
    period = resolve_period(store, now=NOW, zone="Europe/Paris", since=date(2026, 11, 1), until=date(2026, 11, 10))
    assert period.since == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert period.until == datetime(2026, 11, 10, 23, 0, tzinfo=UTC)
    assert (period.first_day, period.last_day) == (date(2026, 11, 1), date(2026, 11, 10))


def test_a_period_ending_before_it_starts_is_refused(store: Store) -> None:
    with pytest.raises(JournalError, match="before the end"):
        resolve_period(store, now=NOW, zone=ZONE, since=date(2026, 11, 10), until=date(2026, 11, 1))


# --- adherence ----------------------------------------------------------------------------


def test_a_dose_taken_before_the_visit_on_visit_day_is_not_missed(store: Store) -> None:
    med = anakinra(store)
    visit(store, 3)
    for days_ago in (3, 2, 1, 0):
        put(store, m.Dose, at(days_ago), medication_id=med.id, at=at(days_ago), tz=ZONE)
    adherence = build_visit_summary(store, now=NOW, zone=ZONE).adherence[0]
    assert (adherence.days_expected, adherence.taken, adherence.missed) == (4, 4, 0)


def test_days_before_the_medicine_was_started_are_not_counted_as_missed(store: Store) -> None:
    med = anakinra(store, started=(NOW - timedelta(days=4)).date())
    put(store, m.Dose, at(1), medication_id=med.id, at=at(1), tz=ZONE)
    put(store, m.Dose, at(0), medication_id=med.id, at=at(0), tz=ZONE)
    adherence = build_visit_summary(store, now=NOW, zone=ZONE).adherence[0]
    assert adherence.days_expected == 5
    assert adherence.missed_dates == [at(4).date(), at(3).date(), at(2).date()]


def test_skipped_and_late_doses_show_in_adherence_and_drift(store: Store) -> None:
    med = anakinra(store, started=(NOW - timedelta(days=2)).date())
    put(store, m.Dose, at(2), medication_id=med.id, at=at(2, 9, 30), tz=ZONE)
    put(store, m.Dose, at(1), medication_id=med.id, at=at(1), tz=ZONE, status=m.DoseStatus.SKIPPED, reason="fever")
    put(store, m.Dose, at(0), medication_id=med.id, at=at(0, 8, 10), tz=ZONE)
    adherence = build_visit_summary(store, now=NOW, zone=ZONE).adherence[0]
    assert (adherence.taken, adherence.skipped, adherence.missed) == (2, 1, 0)
    assert adherence.drift_largest_minutes == 90
    assert adherence.last_dose_local == "2026-11-20 08:10 UTC"


# --- sites, syringes, side effects -----------------------------------------------------------


def test_a_dose_closer_than_the_spacing_to_the_one_before_is_listed(store: Store) -> None:
    med = anakinra(store)
    spots = ["thigh-left:A1", "thigh-left:A2", "thigh-left:A2", "thigh-right:A2"]  # 2.5 cm, 0 cm, other leg
    for days_ago, spot in zip((3, 2, 1, 0), spots, strict=True):
        put(
            store,
            m.Dose,
            at(days_ago),
            medication_id=med.id,
            at=at(days_ago),
            tz=ZONE,
            region=spot.partition(":")[0],
            spot=spot,
        )
    rotation = build_visit_summary(store, now=NOW, zone=ZONE).sites[0]
    assert [(r.previous_local, r.distance_cm) for r in rotation.repeats] == [("2026-11-18 08:00", 0.0)]
    assert "thigh-left:A2" in rotation.repeats[0].site
    assert {u.region: u.doses for u in rotation.regions} == {"thigh-left": 3, "thigh-right": 1}


def test_a_discarded_syringe_is_listed_with_why(store: Store) -> None:
    med = anakinra(store)
    put(
        store,
        m.SyringeCheck,
        at(1),
        medication_id=med.id,
        at=at(1),
        tz=ZONE,
        appearance=m.Appearance.PARTICLES,
        outcome=m.CheckOutcome.DISCARDED,
    )
    discarded = build_visit_summary(store, now=NOW, zone=ZONE).discarded
    assert [(d.appearance, d.reason) for d in discarded] == [
        (m.Appearance.PARTICLES, "Do not use a syringe that has anything floating in it.")
    ]


def test_serious_side_effects_come_first_and_an_open_one_is_called_out(store: Store) -> None:
    anakinra(store)
    put(
        store,
        m.SideEffect,
        at(9),
        symptom="headache",
        symptom_key="headache",
        tier=m.Tier.COMMON,
        started_at=at(9),
        tz=ZONE,
        resolved_at=at(6),
    )
    put(
        store, m.SideEffect, at(2), symptom="fever", symptom_key="fever", tier=m.Tier.SERIOUS, started_at=at(2), tz=ZONE
    )
    put(
        store,
        m.SideEffect,
        at(300),
        symptom="old rash",
        tier=m.Tier.SERIOUS,
        started_at=at(300),
        tz=ZONE,
        resolved_at=at(290),
    )
    summary = build_visit_summary(store, now=NOW, zone=ZONE)
    assert [e.symptom for e in summary.side_effects] == ["fever", "headache"]
    assert summary.side_effects[1].duration_days == 3.0
    assert summary.side_effects[0].open and summary.side_effects[0].advice
    important = next(s for s in layout(summary).sections if s.title == "Important")
    assert any("fever" in line for block in important.blocks if isinstance(block, list) for line in block)


# --- medicines and flags ------------------------------------------------------------------


def test_changes_to_medicines_in_the_period_are_listed(store: Store) -> None:
    med = anakinra(store)
    put(store, m.Medication, name="Ibuprofen", kind=m.MedKind.OTC, started=date(2026, 1, 1))
    store.update(med, now=at(5), strength="200 mg")
    stopped = store.find_medication("Ibuprofen")
    assert stopped is not None
    store.update(stopped, now=at(3), stopped=at(3).date(), stop_reason="stomach ache")
    changes = build_visit_summary(store, now=NOW, zone=ZONE).changes
    described = [(c.name, c.change, c.detail) for c in changes]
    assert ("anakinra", "changed", "strength: 100 mg -> 200 mg") in described
    assert ("Ibuprofen", "stopped", "stomach ache") in described


def test_an_interacting_medicine_and_a_precaution_are_flagged(store: Store) -> None:
    anakinra(store)
    enbrel = put(store, m.Medication, name="Enbrel", strength="50 mg")
    asthma = put(store, m.Condition, name="asthma")
    summary = build_visit_summary(store, now=NOW, zone=ZONE)
    flagged = next(med for med in summary.medicines if med.id == enbrel.id)
    assert flagged.flags and "interacts with anakinra" in flagged.flags[0]
    assert next(c for c in summary.conditions if c.id == asthma.id).flags


# --- the emergency list ---------------------------------------------------------------------


def test_emergency_list_has_every_active_product_and_the_last_dose(store: Store) -> None:
    med = anakinra(store)
    for name, kind in (
        ("Vitamin D", m.MedKind.VITAMIN),
        ("Fish oil", m.MedKind.SUPPLEMENT),
        ("Turmeric", m.MedKind.HERBAL),
        ("Paracetamol", m.MedKind.OTC),
    ):
        put(store, m.Medication, name=name, kind=kind, directions="daily", reason="joints")
    put(store, m.Medication, name="Old pill", stopped=date(2026, 5, 1), started=date(2026, 1, 1))
    put(
        store,
        m.Dose,
        at(0, 7, 45),
        medication_id=med.id,
        at=at(0, 7, 45),
        tz="Europe/Paris",
        spot="stomach-left:B1",
        region="stomach-left",
    )
    data = build_emergency_list(store, now=NOW, zone=ZONE)
    names = {x.name: x for x in data.medicines}
    assert set(names) == {"anakinra", "Vitamin D", "Fish oil", "Turmeric", "Paracetamol"}
    assert names["anakinra"].last_dose_local == "2026-11-20 08:45 CET"
    assert names["anakinra"].last_dose_site == "stomach-left:B1"
    assert names["anakinra"].route == "subcutaneous"
    assert names["Turmeric"].kind == m.MedKind.HERBAL and names["Turmeric"].reason == "joints"
    assert any("interleukin" in w for w in data.warnings)
    assert data.last_updated == at(0, 7, 45)


# --- the doctor's document ------------------------------------------------------------------


def _important(summary: Any) -> list[str]:
    section = next((s for s in layout(summary).sections if s.title == "Important"), None)
    return [line for block in section.blocks if isinstance(block, list) for line in block] if section else []


def _effects_table(summary: Any) -> Any:
    section = next(s for s in layout(summary).sections if s.title.startswith("Side effects"))
    return next(b for b in section.blocks if hasattr(b, "rows"))


def test_the_important_box_labels_each_effect_as_recorded_and_keeps_a_severe_one_after_the_call(store: Store) -> None:
    anakinra(store)
    put(
        store,
        m.SideEffect,
        at(20),
        symptom="redness at the injection site",
        symptom_key="injection-site-reaction",
        tier=m.Tier.COMMON,
        severity=m.Severity.MILD,
        started_at=at(20),
        tz=ZONE,
        note="itchy in the evening",
    )
    put(
        store,
        m.SideEffect,
        at(2),
        symptom="fever",
        symptom_key="fever",
        tier=m.Tier.SERIOUS,
        severity=m.Severity.SEVERE,
        started_at=at(2),
        tz=ZONE,
        doctor_contacted_at=at(1),
    )
    summary = build_visit_summary(store, now=NOW, zone=ZONE)
    lines = _important(summary)
    fever = [line for line in lines if line.startswith("fever")]
    assert len(fever) == 1 and "recorded as serious, severe" in fever[0] and "doctor contacted" in fever[0]
    for line in lines:
        if line.startswith("redness"):
            assert "serious" not in line and "recorded as common, mild" in line
    rows = {row[0]: row for row in _effects_table(summary).rows}
    assert rows["redness at the injection site"][-1] == "itchy in the evening"  # the patient's words only
    assert rows["fever"][-1] == ""


def test_a_long_period_lists_check_ins_by_month_and_missed_days_as_ranges(store: Store) -> None:
    for days_ago in range(0, 730, 3):
        put(store, m.Checkin, at(days_ago + 1), at=at(days_ago + 1), tz=ZONE, pain=days_ago % 10)
    summary = build_visit_summary(
        store, now=NOW, zone=ZONE, period=resolve_period(store, now=NOW, zone=ZONE, since=date(2024, 11, 1))
    )
    section = next(s for s in layout(summary).sections if s.title.startswith("How the treatment"))
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert "monthly" in section.title and table.headers[0] == "Month"
    assert 24 <= len(table.rows) <= 25 and sum(int(r[1]) for r in table.rows) == len(range(0, 730, 3))
    short = build_visit_summary(store, now=NOW, zone=ZONE)
    assert short.trend_months == [] and "weekly" in next(
        s.title for s in layout(short).sections if s.title.startswith("How the treatment")
    )
    from journal.export._document import day_ranges

    days = [date(2026, 1, 3), date(2026, 1, 4), date(2026, 1, 5), date(2026, 2, 10)]
    assert day_ranges(days) == "2026-01-03 to 2026-01-05, 2026-02-10"
