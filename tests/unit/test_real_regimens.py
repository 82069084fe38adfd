"""Schedules real regimens need (issue 25, item 4): several times a day, weekly on several days, the weekly
split dose of methotrexate as one group, every N days, as needed with limits, and cycles of days on and off.

Each is tried at a fixed `now`, in Berlin and in New York, across midnight and a daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from journal import models as m
from journal import reminders
from journal.application.doses import ExtraDoseError, record_dose
from journal.application.status import status_json, status_line
from journal.application.today import build_today
from journal.care import regimen
from journal.schedule_spec import Pattern, ScheduleError, parse_regimen
from journal.store import Store
from journal.store.rules import RuleError, scan
from tests.unit.berlin import ZONE, add, at

NEW_YORK = "America/New_York"
SPLIT = "weekly split fri 08:00, fri 20:00, sat 08:00"


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


def local(zone: str, day: str, hhmm: str) -> datetime:
    """A wall time in `zone` as UTC."""
    return datetime.fromisoformat(f"{day} {hhmm}").replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def wall(slots: list[regimen.Slot], zone: str) -> list[str]:
    """The slots as local 'Fri 2026-12-04 08:00' strings, with the part when there is one."""
    tz = ZoneInfo(zone)
    return [
        slot.at.astimezone(tz).strftime("%a %Y-%m-%d %H:%M") + (f" {slot.part}/{slot.parts}" if slot.parts else "")
        for slot in slots
    ]


def laid_out(spec: str, starts: date, zone: str, since: str, until: str) -> list[str]:
    steps = [regimen.Step(parse_regimen(spec), starts)]
    return wall(
        regimen.slots(steps, zone=zone, since=local(zone, since, "00:00"), until=local(zone, until, "00:00")), zone
    )


@pytest.mark.parametrize(
    ("typed", "spec", "words"),
    [
        ("Daily at 20:00, 08:00", "daily at 08:00,20:00", "daily at 08:00, 20:00"),
        ("weekly on thu,mon at 08:00,20:00", "weekly on mon,thu at 08:00,20:00",
         "weekly on Monday and Thursday at 08:00, 20:00"),
        (
            "weekly split fri 08:00, fri 20:00, sat 8:00",
            SPLIT,
            "weekly, split in 3 doses: Friday 08:00, Friday 20:00 and Saturday 08:00",
        ),
        ("every 3 days at 09:00", "every 3 days at 09:00", "every 3 days at 09:00"),
        ("cycle 21 days on, 7 days off at 09:00", "cycle 21 on 7 off at 09:00",
         "in cycles of 21 days on and 7 days off, at 09:00"),
        ("as needed max 3 per 24h at least 4 hours apart", "as needed max 3 per 24h at least 4 hours apart",
         "as needed, at most 3 in 24 hours, at least 4 hours apart"),
    ],
)  # fmt: skip
def test_every_kind_reads_back_to_itself_and_says_itself_in_words(typed: str, spec: str, words: str) -> None:
    read = parse_regimen(typed)
    assert (read.spec(), read.words()) == (spec, words)
    assert parse_regimen(read.spec()) == read


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("daily at 25:00", "'25:00' is not a time of day"),
        ("weekly on funday at 09:00", "'funday' is not a day of the week"),
        ("weekly split fri 08:00", "a split dose has two parts or more"),
        ("weekly split fri 08:00, fri 08:00", "each part must come after the one before it"),
        ("weekly split fri 20:00, fri 08:00, sat 08:00", "each part must come after the one before it"),
        ("weekly split fri, sat 08:00", "'fri' is not a part such as 'fri 08:00'"),
        ("every 0 days at 08:00", "the days between doses must be 1 to 366"),
        ("cycle 21 on 0 off at 09:00", "the days on and the days off must each be 1 to 366"),
        ("cycle 21 on 7 off", "a cycle is written like 'cycle 21 on 7 off at 09:00'"),
        ("weekly on fri", "a weekly schedule is written like 'weekly on mon,thu at 09:00'"),
        ("once a week", "its form is not known"),
        ("as needed max 0 per 24h", "the most per 24 hours must be 1 to 48"),
    ],
)
def test_bad_input_for_each_kind_is_one_clear_sentence(typed: str, why: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_regimen(typed)
    message = refused.value.message
    assert why in message and "cycle N on M off at HH:MM" in message and "weekly split DAY HH:MM" in message
    assert "\n" not in message and message.endswith(".") and message.count(". ") == 0


def test_several_times_a_day_on_several_weekdays() -> None:
    assert laid_out("weekly on mon,thu at 08:00,20:00", date(2026, 11, 30), ZONE, "2026-11-30", "2026-12-07") == [
        "Mon 2026-11-30 08:00",
        "Mon 2026-11-30 20:00",
        "Thu 2026-12-03 08:00",
        "Thu 2026-12-03 20:00",
    ]


@pytest.mark.parametrize("zone", [ZONE, NEW_YORK])
def test_the_split_dose_is_one_weekly_group_of_numbered_parts(zone: str) -> None:
    assert laid_out(SPLIT, date(2026, 12, 1), zone, "2026-12-01", "2026-12-12") == [
        "Fri 2026-12-04 08:00 1/3",
        "Fri 2026-12-04 20:00 2/3",
        "Sat 2026-12-05 08:00 3/3",
        "Fri 2026-12-11 08:00 1/3",
        "Fri 2026-12-11 20:00 2/3",
    ]


@pytest.mark.parametrize(("zone", "saturday"), [(ZONE, "2026-10-24"), (NEW_YORK, "2026-10-31")])
def test_a_split_dose_across_midnight_and_the_end_of_summer_time_keeps_its_wall_times(zone: str, saturday: str) -> None:
    # Saturday 20:00 then Sunday 08:00, the night the clocks go back: 13 hours apart, each at its wall time.
    steps = [regimen.Step(parse_regimen("weekly split sat 20:00, sun 08:00"), date(2026, 10, 1))]
    sunday = (date.fromisoformat(saturday) + timedelta(days=1)).isoformat()
    found = regimen.slots(steps, zone=zone, since=local(zone, saturday, "00:00"), until=local(zone, sunday, "23:00"))
    assert wall(found, zone)[-2:] == [f"Sat {saturday} 20:00 1/2", f"Sun {sunday} 08:00 2/2"]
    assert (found[-1].at - found[-2].at).total_seconds() == 13 * 3600
    # After midnight the first part is still the one taken, and the second is next; taken at 07:40 it counts.
    taken = [regimen.Dosing(local(zone, saturday, "20:05"), taken=True)]
    now = regimen.state_now(steps, taken, now=local(zone, sunday, "00:30"), zone=zone)
    assert now.state is regimen.State.TAKEN and now.next_at == found[-1].at
    assert regimen.extra_dose(steps, taken, local(zone, sunday, "07:40"), zone=zone) is None
    assert regimen.part_due(steps, found[-1].at, zone=zone) == (2, 2)


def test_the_split_dose_is_logged_part_by_part_and_a_second_group_in_the_week_is_refused(store: Store) -> None:
    mtx = add(store, "methotrexate", SPLIT, form="tablet", strength="7.5 mg")
    for day, hhmm in (("2026-12-04", "08:05"), ("2026-12-04", "20:10"), ("2026-12-05", "08:00")):
        record_dose(store, mtx, at=at(day, hhmm), zone=ZONE, now=at(day, hhmm))
    for day, hhmm, kind in (
        ("2026-12-05", "13:00", regimen.RefusalKind.TAKEN),  # a fourth dose: the group is complete
        ("2026-12-06", "08:00", regimen.RefusalKind.NOTHING_DUE),  # Sunday
        ("2026-12-08", "08:00", regimen.RefusalKind.NOTHING_DUE),  # a second group on Tuesday
    ):
        with pytest.raises(ExtraDoseError) as refused:
            record_dose(store, mtx, at=at(day, hhmm), zone=ZONE, now=at(day, hhmm))
        assert refused.value.refusal.kind is kind
    assert "split in 3 doses" in refused.value.reason
    record_dose(store, mtx, at=at("2026-12-11", "08:00"), zone=ZONE, now=at("2026-12-11", "08:00"))
    assert store.count(m.Dose) == 4 and scan(store, now=at("2026-12-12", "09:00")) == []


def test_today_and_the_reminder_name_the_part_that_is_due(store: Store) -> None:
    mtx = add(store, "methotrexate", SPLIT, form="tablet")
    record_dose(store, mtx, at=at("2026-12-04", "08:05"), zone=ZONE, now=at("2026-12-04", "08:05"))
    today = build_today(store, now=at("2026-12-04", "20:30"), zone=ZONE)
    (view,) = today.medicines
    assert (view.state, view.due_local, view.part) == ("overdue", "20:00", "dose 2 of 3")
    (reminder,) = [r for r in reminders.due(today) if r.key.startswith("dose:")]
    assert reminder.private == "methotrexate 20:00 (dose 2 of 3)"
    assert reminder.details.startswith("methotrexate dose 2 of 3 due at 20:00")
    assert status_line(today) == "methotrexate OVERDUE 30 min (due 20:00, dose 2 of 3)"
    assert status_json(today)["medicines"] == [
        {
            "name": "methotrexate",
            "state": "overdue",
            "schedule": "weekly, split in 3 doses: Friday 08:00, Friday 20:00 and Saturday 08:00",
            "dose": None,
            "due_at": "2026-12-04T19:00:00Z",
            # The part after the one due: Saturday 08:00 in Berlin.
            "next_at": "2026-12-05T07:00:00Z",
            "taken_at": None,
            "part": "dose 2 of 3",
        }
    ]
    # On Tuesday nothing is due: Today and `status` say the next part, and nothing is reminded.
    tuesday = build_today(store, now=at("2026-12-08", "09:00"), zone=ZONE)
    assert tuesday.medicines[0].state == "not_due"
    assert not [r for r in reminders.due(tuesday) if r.title == "methotrexate"]
    assert status_line(tuesday) == "methotrexate next Friday 08:00 (dose 1 of 3), missed 2026-12-05 08:00"


@pytest.mark.parametrize(
    "spec",
    [SPLIT, "weekly split sun 20:00, mon 08:00", "weekly split fri 08:00, fri 20:00", "cycle 1 on 6 off at 09:00"],
)
def test_methotrexate_split_weekly_is_accepted_as_once_a_week(store: Store, spec: str) -> None:
    assert add(store, "methotrexate", spec, form="tablet").name == "methotrexate"


@pytest.mark.parametrize(
    "spec",
    [
        "weekly split mon 08:00, mon 20:00, thu 08:00",  # a part on a third day: a second dose in the week
        "weekly split fri 08:00, sun 08:00",
        "cycle 21 on 7 off at 09:00",
        "cycle 1 on 2 off at 09:00",
    ],
)
def test_methotrexate_twice_in_a_week_is_refused_however_it_is_written(store: Store, spec: str) -> None:
    with pytest.raises(RuleError, match="once a week"):
        add(store, "MTX", spec, form="tablet")
    assert store.count(m.Schedule) == 0


def test_every_n_days_counts_from_the_first_day_at_several_times() -> None:
    assert laid_out("every 3 days at 09:00,21:00", date(2026, 12, 1), NEW_YORK, "2026-12-01", "2026-12-08") == [
        "Tue 2026-12-01 09:00",
        "Tue 2026-12-01 21:00",
        "Fri 2026-12-04 09:00",
        "Fri 2026-12-04 21:00",
        "Mon 2026-12-07 09:00",
        "Mon 2026-12-07 21:00",
    ]


def test_as_needed_holds_its_limits(store: Store) -> None:
    ibuprofen = add(store, "ibuprofen", "as needed max 2 per 24h at least 4 hours apart", form="tablet")
    record_dose(store, ibuprofen, at=at("2026-12-07", "23:00"), zone=ZONE, now=at("2026-12-07", "23:00"))
    with pytest.raises(ExtraDoseError):  # across midnight, 2 hours later
        record_dose(store, ibuprofen, at=at("2026-12-08", "01:00"), zone=ZONE, now=at("2026-12-08", "01:00"))
    record_dose(store, ibuprofen, at=at("2026-12-08", "03:00"), zone=ZONE, now=at("2026-12-08", "03:00"))
    with pytest.raises(ExtraDoseError):  # a third in 24 hours
        record_dose(store, ibuprofen, at=at("2026-12-08", "09:00"), zone=ZONE, now=at("2026-12-08", "09:00"))
    assert store.count(m.Dose) == 2


@pytest.mark.parametrize("zone", [ZONE, NEW_YORK])
def test_a_cycle_counts_days_on_then_off_from_its_first_day(zone: str) -> None:
    got = laid_out("cycle 3 on 2 off at 09:00", date(2026, 12, 1), zone, "2026-12-01", "2026-12-11")
    assert [g[4:14] for g in got] == [
        "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-06", "2026-12-07", "2026-12-08",
    ]  # fmt: skip
    assert parse_regimen("cycle 3 on 2 off at 09:00").pattern is Pattern.CYCLE


def test_a_cycle_across_midnight_on_its_first_day_off(store: Store) -> None:
    pill = add(store, "capecitabine", "cycle 3 on 2 off at 09:00", form="tablet")  # on 1-3 December, off 4-5
    record_dose(store, pill, at=at("2026-12-03", "23:30"), zone=ZONE, now=at("2026-12-03", "23:30"))  # late, same day
    with pytest.raises(ExtraDoseError) as refused:
        record_dose(store, pill, at=at("2026-12-04", "00:30"), zone=ZONE, now=at("2026-12-04", "00:30"))
    assert refused.value.refusal.kind is regimen.RefusalKind.CLOSE  # an hour after the late dose
    with pytest.raises(ExtraDoseError) as refused:
        record_dose(store, pill, at=at("2026-12-05", "09:00"), zone=ZONE, now=at("2026-12-05", "09:00"))
    assert refused.value.refusal.kind is regimen.RefusalKind.NOTHING_DUE
    (view,) = build_today(store, now=at("2026-12-05", "10:00"), zone=ZONE).medicines
    assert view.state == "not_due" and view.next_local is not None and "09:00" in view.next_local
    assert view.next_at == at("2026-12-06", "09:00")


def test_a_cycle_keeps_its_wall_time_when_summer_time_begins() -> None:
    # 2027-03-28: Berlin moves to summer time; the dose stays at 09:00 local, an hour earlier in UTC.
    got = laid_out("cycle 2 on 1 off at 09:00", date(2027, 3, 26), ZONE, "2027-03-26", "2027-03-30")
    assert got == ["Fri 2027-03-26 09:00", "Sat 2027-03-27 09:00", "Mon 2027-03-29 09:00"]
    steps = [regimen.Step(parse_regimen("cycle 2 on 1 off at 09:00"), date(2027, 3, 26))]
    moments = regimen.occurrences(steps, zone=ZONE, since=at("2027-03-26", "00:00"), until=at("2027-03-30", "00:00"))
    assert [t.hour for t in moments] == [8, 8, 7]


def test_the_dose_chooser_lists_every_active_medicine_those_open_now_first(store: Store) -> None:
    from journal.application.doses import dose_choices

    add(store, "folic acid", "daily at 09:00", form="tablet")
    add(store, "anakinra", "daily at 08:00")
    add(store, "methotrexate", SPLIT, form="tablet")
    add(store, "ibuprofen", "as needed", form="tablet")
    add(store, "magnesium", "", form="tablet")  # no schedule
    now = at("2026-12-04", "09:30")  # a Friday: anakinra overdue, folic acid overdue, methotrexate's part 1 open
    choices = dose_choices(store, store.medications(on=date(2026, 12, 4)), now=now, zone=ZONE)
    assert [(c.medication.name, c.open, c.state and c.state.value) for c in choices] == [
        ("anakinra", True, "overdue"),
        ("methotrexate", True, "overdue"),
        ("folic acid", True, "overdue"),
        ("ibuprofen", False, "as_needed"),
        ("magnesium", False, None),
    ]
    assert choices[1].part == (1, 3) and choices[1].due_at == at("2026-12-04", "08:00")
