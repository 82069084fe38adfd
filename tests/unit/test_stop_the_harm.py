"""The rules that stop an unsafe dose, at the use case and at the store (issue "Stop the harm").

Every path writes through the store, so the rules across records are tested there too: a journal made
by hand in SQL that breaks one is named by `check` (rules.scan).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from journal import models as m
from journal.application.doses import ExtraDoseError, open_now, record_dose
from journal.application.effects import record_side_effect
from journal.application.medicines import (
    DuplicateMedicineError,
    resume_medication,
    schedule_words,
    stop_medication,
)
from journal.application.today import build_today, medicine_today
from journal.care import regimen
from journal.schedule_spec import parse_regimen
from journal.store import Store
from journal.store.rules import RuleError, scan
from tests.unit.berlin import ZONE, add, at


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


def test_reminders_and_status_share_one_answer_nothing_due_is_never_reminded(store: Store) -> None:
    from journal import reminders

    add(store, "methotrexate", "weekly on fri at 20:00", form="tablet")
    add(store, "ibuprofen", "as needed", form="tablet")
    add(store, "vitamin B12", "every 3 days at 09:00", form="tablet")
    add(store, "anakinra", "daily at 08:00")
    for day, expected in (("2026-12-08", {"anakinra"}), ("2026-12-07", {"anakinra", "vitamin B12"})):
        today = build_today(store, now=at(day, "09:30"), zone=ZONE)
        due = {r.title for r in reminders.due(today) if r.key.startswith("dose:")}
        overdue = {med.name for med in today.medicines if med.state == "overdue"}
        assert due == overdue == expected


def test_a_dose_outside_every_window_is_refused_and_names_the_schedule(store: Store) -> None:
    mtx = add(store, "methotrexate", "weekly on fri at 20:00", form="tablet")
    with pytest.raises(ExtraDoseError) as refused:
        record_dose(store, mtx, at=at("2026-12-08", "09:30"), zone=ZONE, now=at("2026-12-08", "09:31"))
    assert refused.value.refusal.kind is regimen.RefusalKind.NOTHING_DUE
    assert refused.value.reason == "methotrexate is taken weekly on Friday at 20:00, and nothing is due today"
    assert store.count(m.Dose) == 0
    # On purpose, it is recorded as an extra dose; Friday's own dose is still an ordinary one.
    record_dose(store, mtx, at=at("2026-12-08", "09:30"), zone=ZONE, now=at("2026-12-08", "09:31"), extra=True)
    record_dose(store, mtx, at=at("2026-12-11", "20:05"), zone=ZONE, now=at("2026-12-11", "20:05"))
    assert [d.extra for d in store.doses(mtx.id)] == [True, False]


def test_a_late_dose_counts_for_its_day_and_a_second_one_is_extra(store: Store) -> None:
    med = add(store, "anakinra", "daily at 08:00")
    record_dose(store, med, at=at("2026-12-08", "20:15"), zone=ZONE, now=at("2026-12-08", "20:15"))
    evening = medicine_today(store, med, now=at("2026-12-08", "21:00"), zone=ZONE)
    assert evening.state == "taken"
    morning = medicine_today(store, med, now=at("2026-12-09", "07:30"), zone=ZONE)
    assert morning.state == "due" and morning.due_local == "08:00"
    record_dose(store, med, at=at("2026-12-09", "08:05"), zone=ZONE, now=at("2026-12-09", "08:05"))
    with pytest.raises(ExtraDoseError, match=r"already taken \(today 08:05\)"):
        record_dose(store, med, at=at("2026-12-09", "20:01"), zone=ZONE, now=at("2026-12-09", "20:01"))


def test_two_medicines_due_at_once_are_both_open_and_an_overdue_injection_is_among_them(store: Store) -> None:
    anakinra = add(store, "anakinra", "daily at 08:00")
    folic = add(store, "folic acid", "daily at 09:00", form="tablet")
    mtx = add(store, "methotrexate", "weekly on fri at 20:00", form="tablet")
    meds = [anakinra, folic, mtx]
    assert open_now(store, meds, now=at("2026-12-08", "08:31"), zone=ZONE) == [anakinra, folic]
    record_dose(store, folic, at=at("2026-12-08", "08:32"), zone=ZONE, now=at("2026-12-08", "08:32"))
    assert open_now(store, meds, now=at("2026-12-08", "08:33"), zone=ZONE) == [anakinra]


def test_a_medicine_is_active_through_its_stop_date(store: Store) -> None:
    med = add(store, "prednisone", "daily at 08:00", strength="20 mg")
    stop_medication(store, med, on=date(2026, 12, 20), now=at("2026-12-07", "10:00"))
    assert [x.name for x in store.medications(on=date(2026, 12, 20))] == ["prednisone"]
    assert store.tracked_medications(on=date(2026, 12, 7)) != []
    assert store.medications(on=date(2026, 12, 21)) == []
    today = build_today(store, now=at("2026-12-07", "10:00"), zone=ZONE)
    assert [x.state for x in today.medicines] == ["overdue"]
    from journal.summary.emergency import build_emergency_list

    listed = build_emergency_list(store, now=at("2026-12-20", "23:00"), zone=ZONE)
    assert [x.name for x in listed.medicines] == ["prednisone"]
    assert build_emergency_list(store, now=at("2026-12-21", "00:30"), zone=ZONE).medicines == []


def test_a_stop_before_a_dose_recorded_is_refused_at_the_store_naming_the_day(store: Store) -> None:
    med = add(store, "prednisone", "daily at 08:00")
    record_dose(store, med, at=at("2026-12-08", "08:05"), zone=ZONE, now=at("2026-12-08", "08:05"))
    with pytest.raises(RuleError, match="2026-12-08") as refused:
        stop_medication(store, med, on=date(2026, 12, 7), now=at("2026-12-08", "10:00"))
    assert refused.value.rule == "no dose after the stop"
    assert store.get(m.Medication, med.id).stopped is None  # type: ignore[union-attr]
    # The stop on the dose's own day is fine: a medicine is taken through its stop date.
    stop_medication(store, med, on=date(2026, 12, 8), now=at("2026-12-08", "10:00"))
    with pytest.raises(RuleError, match="after the last day"):
        later = at("2026-12-09", "09:00")
        store.add(
            m.Dose.validate({"medication_id": med.id, "at": at("2026-12-09", "08:00"), "tz": ZONE}, now=later),
            now=later,
        )


@pytest.mark.parametrize("spec", ["daily at 09:00", "every 6 days at 09:00", "weekly on mon,thu at 09:00", "as needed"])
def test_methotrexate_more_often_than_weekly_is_refused_under_any_name(store: Store, spec: str) -> None:
    for name in ("methotrexate", "MTX", "Trexall 2.5 mg", "Jylamvo"):
        with pytest.raises(RuleError, match="once a week") as refused:
            add(store, name, spec, form="tablet")
        assert "Institute for Safe Medication Practices" in refused.value.message
    assert store.medications() == [] and store.count(m.Schedule) == 0


@pytest.mark.parametrize("spec", ["weekly on fri at 09:00", "every 7 days at 09:00", "weekly on fri,sat at 08:00"])
def test_methotrexate_once_a_week_or_split_over_two_days_is_accepted(store: Store, spec: str) -> None:
    assert add(store, "methotrexate", spec, form="tablet").name == "methotrexate"


def test_daily_methotrexate_confirmed_as_prescribed_is_kept_and_shown(store: Store) -> None:
    med = add(store, "methotrexate", "daily at 09:00", form="tablet", prescribed_daily=True)
    assert med.prescribed_daily
    words = schedule_words(store, med, today=date(2026, 12, 1))
    assert words == "daily at 09:00 (as prescribed, confirmed by you)"
    # Taking the confirmation back with the daily schedule still there is refused.
    with pytest.raises(RuleError, match="once a week"):
        store.update(med, now=at("2026-12-02", "09:00"), prescribed_daily=False)


def test_the_same_medicine_under_another_name_is_refused(store: Store) -> None:
    add(store, "methotrexate", "weekly on fri at 09:00", form="tablet")
    with pytest.raises(DuplicateMedicineError, match="already on your list as methotrexate"):
        add(store, "MTX", "weekly on fri at 09:00", form="tablet")
    # At the store too, for every path (an edit, an import): a second entry not stopped is refused.
    with pytest.raises(RuleError, match="under another of its names"):
        store.add(m.Medication(name="Rheumatrex"), now=at("2026-12-01", "10:00"))


def test_check_names_each_rule_broken_in_a_journal_written_by_hand(store: Store) -> None:
    mtx = add(store, "methotrexate", "weekly on fri at 09:00", form="tablet")
    pred = add(store, "prednisone", "daily at 08:00", form="tablet")
    record_dose(store, pred, at=at("2026-12-08", "08:05"), zone=ZONE, now=at("2026-12-08", "08:05"))
    conn = store.db.conn
    conn.execute("UPDATE schedules SET spec = 'daily at 09:00' WHERE medication_id = ?", [mtx.id])
    conn.execute("UPDATE medications SET stopped = '2026-12-05' WHERE id = ?", [pred.id])
    conn.execute(
        "INSERT INTO medications (id, created_at, updated_at, name, kind, tracked, prescribed_daily) "
        "VALUES ('twin', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', 'MTX', 'prescription', 0, 0)"
    )
    rules = {(v.table, v.rule) for v in scan(store, now=at("2026-12-09", "10:00"))}
    assert ("schedules", "once a week") in rules
    assert ("medications", "no dose after the stop") in rules
    assert ("doses", "no dose after the stop") in rules
    assert ("medications", "one entry per medicine") in rules


def test_an_allergic_reaction_pauses_the_medicine_until_it_is_resumed(store: Store) -> None:
    med = add(store, "anakinra", "daily at 08:00")
    effect = record_side_effect(
        store, "my lips are swelling", at=at("2026-12-07", "21:00"), zone=ZONE, now=at("2026-12-07", "21:00")
    )
    assert effect.paused is not None and effect.paused.id == med.id
    paused = store.get(m.Medication, med.id)
    assert paused is not None and paused.paused
    view = medicine_today(store, paused, now=at("2026-12-08", "09:30"), zone=ZONE)
    assert view.state == "paused" and view.overdue_by_minutes is None and view.suggested_spot is None
    assert view.paused_since_local == "yesterday 21:00"
    assert open_now(store, [paused], now=at("2026-12-08", "09:30"), zone=ZONE) == []
    with pytest.raises(ExtraDoseError, match="paused since yesterday 21:00") as refused:
        record_dose(store, paused, at=at("2026-12-08", "09:30"), zone=ZONE, now=at("2026-12-08", "09:31"))
    assert refused.value.refusal.kind is regimen.RefusalKind.PAUSED and store.count(m.Dose) == 0
    resumed = resume_medication(store, paused, now=at("2026-12-08", "11:00"), note="Dr Weber: go on")
    assert not resumed.paused and resumed.resume_note == "Dr Weber: go on"
    after = medicine_today(store, resumed, now=at("2026-12-08", "11:01"), zone=ZONE)
    assert after.state == "overdue"
    # A symptom that is not an allergic reaction pauses nothing.
    other = record_side_effect(
        store, "headache", at=at("2026-12-08", "12:00"), zone=ZONE, now=at("2026-12-08", "12:00")
    )
    assert other.paused is None


def test_windows_hold_across_a_trip_and_a_daylight_saving_change() -> None:
    # Daily at 08:00 local: a dose at 07:30 in New York the day after flying counts for that day's dose.
    steps = [regimen.Step(parse_regimen("daily at 08:00"), date(2026, 10, 1))]
    taken = [regimen.Dosing(at("2026-10-25", "08:10"), taken=True)]  # the day Berlin leaves summer time
    refusal = regimen.extra_dose(steps, taken, at("2026-10-25", "20:00"), zone=ZONE)
    assert refusal is not None and refusal.kind is regimen.RefusalKind.TAKEN
    new_york = datetime(2026, 12, 9, 7, 30, tzinfo=ZoneInfo("America/New_York")).astimezone(UTC)
    assert regimen.extra_dose(steps, [], new_york, zone="America/New_York") is None
    assert regimen.extra_dose(steps, [], new_york - timedelta(hours=6), zone="America/New_York") is not None


def test_a_backup_written_before_these_rules_is_still_restored_and_check_names_what_it_breaks(
    tmp_path: Path,
) -> None:
    from journal.store import backups

    old = tmp_path / "old.db"
    with Store.open(old) as written:
        mtx = add(written, "methotrexate", "weekly on fri at 09:00", form="tablet")
        # As an earlier version let it be: methotrexate daily, and MTX beside it.
        written.db.conn.execute("UPDATE schedules SET spec = 'daily at 09:00' WHERE medication_id = ?", [mtx.id])
        written.db.conn.execute(
            "INSERT INTO medications (id, created_at, updated_at, name, kind, tracked, prescribed_daily) "
            "VALUES ('twin', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', 'MTX', 'prescription', 0, 0)"
        )
    assert backups.validate_source(old).steps
    journal = tmp_path / "journal.db"
    Store.open(journal).close()
    backups.restore(old, journal)
    with Store.open(journal) as restored:
        rules = {v.rule for v in scan(restored, now=at("2026-12-09", "10:00"))}
    assert {"once a week", "one entry per medicine"} <= rules
