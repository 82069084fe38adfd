"""Schedule steps that mean what the prescription says (issue "One regimen truth"): one step at a time, an
explicit replacement, and a taper that ends the medicine (`med schedule ... --then stop`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine

from journal import models as m
from journal import reminders
from journal.application.doses import ExtraDoseError, record_dose
from journal.application.medicines import add_schedule
from journal.application.status import status_json, status_line
from journal.application.today import build_today
from journal.care import regimen
from journal.care.alerts import AlertKind
from journal.schedule_spec import parse_regimen
from journal.store import Store
from journal.store.rules import RuleError, scan
from journal.summary.build import build_visit_summary, resolve_period
from tests.unit.berlin import ZONE, add, at

NOW = at("2026-12-01", "09:00")


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


def _med(store: Store, name: str) -> m.Medication:
    found = store.find_medication(name, on=date(2026, 12, 1))
    assert found is not None
    return found


def test_a_step_overlapping_another_is_refused_naming_it(store: Store) -> None:
    pred = add(store, "prednisone", "daily at 08:00", form="tablet", started=date(2026, 12, 1))
    with pytest.raises(RuleError, match=r"overlaps the step daily at 08:00, from 2026-12-01") as refused:
        add_schedule(store, pred, "daily at 08:00", starts=date(2026, 12, 5), dose="20 mg", now=NOW)
    assert refused.value.rule == "one step at a time"
    assert len(store.schedules(pred.id)) == 1
    # Two taper steps that follow each other are accepted; a third sharing a day with the second is not.
    other = add(store, "hydrocortisone", "daily at 07:00", form="tablet")
    (base,) = store.schedules(other.id)
    store.update(base, now=NOW, ends=date(2026, 12, 4))
    add_schedule(store, other, "daily at 07:00", starts=date(2026, 12, 5), ends=date(2026, 12, 9), now=NOW)
    with pytest.raises(RuleError, match="from 2026-12-05 until 2026-12-09"):
        add_schedule(store, other, "daily at 07:00", starts=date(2026, 12, 9), now=NOW)


def test_replace_ends_the_step_before_in_the_same_write(store: Store) -> None:
    pred = add(store, "prednisone", "daily at 08:00", form="tablet")
    done = add_schedule(store, pred, "daily at 08:00", starts=date(2026, 12, 5), dose="20 mg", now=NOW, replace=True)
    assert [s.ends for s in done.ended] == [date(2026, 12, 4)] and done.removed == []
    assert [(s.starts, s.ends, s.dose) for s in store.schedules(pred.id)] == [
        (date(2026, 12, 1), date(2026, 12, 4), None),
        (date(2026, 12, 5), None, "20 mg"),
    ]
    # A step starting on or after the new one's first day is removed, not ended.
    again = add_schedule(store, pred, "daily at 09:00", starts=date(2026, 12, 5), now=NOW, replace=True)
    assert [s.dose for s in again.removed] == ["20 mg"]
    assert [s.spec for s in store.schedules(pred.id)] == ["daily at 08:00", "daily at 09:00"]


def test_a_step_that_stops_needs_its_last_day(store: Store) -> None:
    pred = add(store, "prednisone", "daily at 08:00", form="tablet")
    with pytest.raises(Exception, match="needs its last day"):
        add_schedule(store, pred, "daily at 08:00", starts=date(2026, 12, 5), now=NOW, then_stop=True, replace=True)
    with pytest.raises(RuleError, match="needs its last day"):
        store.add(m.Schedule(medication_id=pred.id, spec="daily at 08:00", starts=date(2027, 1, 1), then_stop=True))


def _taper(store: Store) -> m.Medication:
    """Prednisone 20 mg daily from 1 December, then 10 mg from the 5th to the 7th, then stop."""
    pred = add(store, "prednisone", "daily at 08:00", form="tablet")
    done = add_schedule(
        store,
        pred,
        "daily at 08:00",
        starts=date(2026, 12, 5),
        ends=date(2026, 12, 7),
        dose="10 mg",
        now=NOW,
        then_stop=True,
        replace=True,
    )
    assert done.stops_after == date(2026, 12, 7)
    return _med(store, "prednisone")


def test_a_taper_that_ends_leaves_nothing_due_after_its_last_day(store: Store) -> None:
    pred = _taper(store)
    assert pred.stopped == date(2026, 12, 7)
    last = build_today(store, now=at("2026-12-07", "09:30"), zone=ZONE)
    (view,) = last.medicines
    assert view.state == "overdue" and [r.title for r in reminders.due(last)] == ["prednisone"]
    record_dose(store, pred, at=at("2026-12-07", "09:31"), zone=ZONE, now=at("2026-12-07", "09:31"))
    for day in ("2026-12-08", "2026-12-09", "2027-03-01"):
        after = build_today(store, now=at(day, "09:30"), zone=ZONE)
        assert after.medicines == [] and reminders.due(after) == [] and not after.needs_attention
        assert status_json(after)["medicines"] == []
    # Nothing can follow a step after which the medicine stops.
    with pytest.raises(RuleError, match="the medicine stops after it"):
        store.add(m.Schedule(medication_id=pred.id, spec="daily at 08:00", starts=date(2026, 12, 20)), now=NOW)


def test_check_names_overlapping_steps_in_a_journal_written_by_hand(store: Store) -> None:
    pred = add(store, "prednisone", "daily at 08:00", form="tablet")
    (stamp,) = store.db.conn.execute("SELECT created_at FROM schedules").fetchone()
    # Written after the first step, as an earlier version let a step be: over the one before it.
    store.db.conn.execute(
        "INSERT INTO schedules (id, created_at, updated_at, medication_id, spec, starts, dose, then_stop) "
        "VALUES ('taper', ?, ?, ?, 'daily at 08:00', '2026-12-05', '20 mg', 0)",
        [stamp, stamp, pred.id],
    )
    found = [v for v in scan(store, now=at("2026-12-09", "10:00")) if v.rule == "one step at a time"]
    assert [(v.table, v.record_id) for v in found] == [("schedules", "taper")]
    assert "overlaps the step daily at 08:00, from 2026-12-01" in found[0].message


def _tapering(store: Store) -> m.Medication:
    """Prednisone 20 mg daily at 08:00 until 4 December, 10 mg from the 5th to the 7th, then stop."""
    pred = add(store, "prednisone", "daily at 08:00", form="tablet")
    (base,) = store.schedules(pred.id)
    store.update(base, now=NOW, dose="20 mg", ends=date(2026, 12, 4))
    add_schedule(
        store,
        pred,
        "daily at 08:00",
        starts=date(2026, 12, 5),
        ends=date(2026, 12, 7),
        dose="10 mg",
        now=NOW,
        then_stop=True,
    )
    return _med(store, "prednisone")


def test_the_steps_dose_is_shown_where_it_is_due_and_saved_with_the_dose(store: Store) -> None:
    pred = _tapering(store)
    morning = build_today(store, now=at("2026-12-04", "09:00"), zone=ZONE)
    (view,) = morning.medicines
    assert view.state == "overdue" and view.amount == "20 mg"
    assert status_line(morning).startswith("prednisone 20 mg OVERDUE 1h")
    medicines = status_json(morning)["medicines"]
    assert isinstance(medicines, list)
    (shown,) = medicines
    assert shown["dose"] == "20 mg" and shown["next_at"] == "2026-12-05T07:00:00Z"
    assert [r.details for r in reminders.due(morning)] == ["prednisone 20 mg due at 08:00, overdue 1h."]
    # Taken, the next one is the next step's: Today says 10 mg from tomorrow.
    taken = record_dose(store, pred, at=at("2026-12-04", "09:05"), zone=ZONE, now=at("2026-12-04", "09:05"))
    assert taken.dose is not None and taken.dose.amount == "20 mg" and "20 mg" in taken.dose.describe()
    evening = build_today(store, now=at("2026-12-04", "21:00"), zone=ZONE)
    assert evening.medicines[0].state == "taken" and evening.medicines[0].amount == "20 mg"
    tomorrow = build_today(store, now=at("2026-12-05", "07:00"), zone=ZONE)
    assert tomorrow.medicines[0].state == "due" and tomorrow.medicines[0].amount == "10 mg"
    step_two = record_dose(store, pred, at=at("2026-12-05", "08:10"), zone=ZONE, now=at("2026-12-05", "08:10"))
    assert step_two.dose is not None and step_two.dose.amount == "10 mg"


def test_an_as_needed_dose_past_its_limit_is_refused_then_with_extra_raises_an_alert_for_the_day(
    store: Store,
) -> None:
    ibu = add(
        store, "ibuprofen", "as needed max 3 per 24h at least 4 hours apart", form="tablet", started=date(2026, 12, 1)
    )
    for hhmm in ("08:00", "12:30", "17:00"):
        record_dose(store, ibu, at=at("2026-12-08", hhmm), zone=ZONE, now=at("2026-12-08", hhmm))
    with pytest.raises(ExtraDoseError, match="3 already taken in the 24 hours before"):
        record_dose(store, ibu, at=at("2026-12-08", "21:30"), zone=ZONE, now=at("2026-12-08", "21:30"))
    with pytest.raises(ExtraDoseError, match="less than 4 hours"):
        record_dose(store, ibu, at=at("2026-12-08", "19:00"), zone=ZONE, now=at("2026-12-08", "21:30"))
    # The store holds the rule on every path, not only the use case.
    with pytest.raises(RuleError, match="not marked extra"):
        late = at("2026-12-08", "21:30")
        store.add(m.Dose.validate({"medication_id": ibu.id, "at": late, "tz": ZONE}, now=late), now=late)
    before = build_today(store, now=at("2026-12-08", "21:30"), zone=ZONE)
    assert not before.needs_attention
    record_dose(store, ibu, at=at("2026-12-08", "21:30"), zone=ZONE, now=at("2026-12-08", "21:30"), extra=True)
    after = build_today(store, now=at("2026-12-08", "21:31"), zone=ZONE)
    (limit,) = [a for a in after.alerts if a.kind is AlertKind.LIMIT]
    assert after.needs_attention and limit.title == "ibuprofen above its limit today"
    assert "21:30" in limit.text and "ibuprofen above its limit today" in status_line(after)
    # Until the day ends: the next morning nothing is raised.
    assert not build_today(store, now=at("2026-12-09", "08:00"), zone=ZONE).needs_attention
    period = resolve_period(store, now=at("2026-12-09", "08:00"), zone=ZONE, days=7)
    summary = build_visit_summary(store, now=at("2026-12-09", "08:00"), zone=ZONE, period=period)
    (entry,) = summary.adherence
    assert entry.as_needed and entry.above_limit == 1 and entry.missed == 0 and entry.drift_count == 0
    assert entry.as_needed_text() == "ibuprofen: taken as needed 4 times, about 4 a week; above the limit 1 time"


def test_adherence_counts_from_the_start_date_so_back_dated_doses_count(store: Store) -> None:
    # Added on 1 December, started on 23 November; the eight doses since then typed in afterwards.
    folic = add(store, "folic acid", "daily at 08:00", form="tablet", started=date(2026, 11, 23))
    for day in range(23, 31):
        moment = at(f"2026-11-{day}", "08:10")
        record_dose(store, folic, at=moment, zone=ZONE, now=at("2026-12-01", "09:05"))
    now = at("2026-12-01", "07:00")
    period = resolve_period(store, now=now, zone=ZONE, days=30)
    (entry,) = build_visit_summary(store, now=now, zone=ZONE, period=period).adherence
    assert (entry.days_expected, entry.taken, entry.missed) == (8, 8, 0)
    # Without a start date, from the first dose typed in.
    with time_machine.travel(at("2026-12-01", "09:00"), tick=False):  # the day it is typed in
        b12 = add(store, "vitamin B12", "daily at 09:00", form="tablet")
    for day in (28, 29, 30):
        record_dose(store, b12, at=at(f"2026-11-{day}", "09:00"), zone=ZONE, now=at("2026-12-01", "09:05"))
    entries = build_visit_summary(store, now=now, zone=ZONE, period=period).adherence
    b12_entry = next(e for e in entries if e.medicine == "vitamin B12")
    assert (b12_entry.days_expected, b12_entry.taken, b12_entry.missed) == (3, 3, 0)


def test_a_taper_that_ended_in_the_period_is_in_the_summarys_adherence(store: Store) -> None:
    pred = _tapering(store)
    for day in ("01", "02", "03", "04", "05", "07"):
        record_dose(store, pred, at=at(f"2026-12-{day}", "08:05"), zone=ZONE, now=at(f"2026-12-{day}", "08:05"))
    now = at("2026-12-20", "09:00")
    period = resolve_period(store, now=now, zone=ZONE, days=30)
    (entry,) = build_visit_summary(store, now=now, zone=ZONE, period=period).adherence
    assert (entry.days_expected, entry.taken, entry.missed) == (7, 6, 1)


def test_no_step_is_in_force_after_a_step_that_stops_even_one_written_before_the_rule() -> None:
    daily = parse_regimen("daily at 08:00")
    # As an older journal may hold them: an open base step under a taper that stops.
    steps = regimen.last_day_held(
        [
            regimen.Step(daily, date(2026, 12, 1), dose="20 mg"),
            regimen.Step(daily, date(2026, 12, 5), date(2026, 12, 7), "10 mg", then_stop=True),
        ]
    )
    assert regimen.last_day(steps) == date(2026, 12, 7)
    assert regimen.state_now(steps, [], now=at("2026-12-09", "09:30"), zone=ZONE).state is regimen.State.NOT_DUE
    assert regimen.state_now(steps, [], now=at("2026-12-07", "09:30"), zone=ZONE).state is regimen.State.OVERDUE


def test_replacing_a_step_that_stopped_the_medicine_takes_its_stop_back(store: Store) -> None:
    pred = _taper(store)  # 10 mg from the 5th to the 7th, then stop
    assert pred.stopped == date(2026, 12, 7)
    # The doctor extends the taper: 5 mg from the 6th to the 10th, then stop.
    done = add_schedule(
        store,
        pred,
        "daily at 08:00",
        starts=date(2026, 12, 6),
        ends=date(2026, 12, 10),
        dose="5 mg",
        now=NOW,
        then_stop=True,
        replace=True,
    )
    assert [(s.ends, s.then_stop) for s in done.ended] == [(date(2026, 12, 5), False)]
    assert _med(store, "prednisone").stopped == date(2026, 12, 10)
    on_the_ninth = build_today(store, now=at("2026-12-09", "07:00"), zone=ZONE).medicines
    assert [(v.state, v.amount) for v in on_the_ninth] == [("due", "5 mg")]
