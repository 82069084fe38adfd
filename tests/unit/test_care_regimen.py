"""Regimens: schedules read from text, their occurrences, which dose meets which, extra doses, adherence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal.care.regimen import (
    Dosing,
    RefusalKind,
    State,
    Step,
    adherence,
    belongs,
    extra_dose,
    occurrences,
    slots,
    state_now,
)
from journal.schedule_spec import Pattern, ScheduleError, parse_regimen

PARIS = "Europe/Paris"


def local(day: date, hhmm: str, zone: str = "UTC") -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def steps(spec: str, starts: date = date(2026, 1, 1)) -> list[Step]:
    return [Step(parse_regimen(spec), starts)]


@pytest.mark.parametrize(
    ("text", "spec", "words"),
    [
        ("Daily at 8:00", "daily at 08:00", "daily at 08:00"),
        ("daily at 20:00, 08:00", "daily at 08:00,20:00", "daily at 08:00, 20:00"),
        ("WEEKLY ON Friday AT 09:00", "weekly on fri at 09:00", "weekly on Friday at 09:00"),
        ("weekly on mon,thu at 07:30", "weekly on mon,thu at 07:30", "weekly on Monday and Thursday at 07:30"),
        ("every 2 days at 08:00", "every 2 days at 08:00", "every 2 days at 08:00"),
        ("as needed", "as needed", "as needed"),
        (
            "as needed max 3 per 24h at least 4 hours apart",
            "as needed max 3 per 24h at least 4 hours apart",
            "as needed, at most 3 in 24 hours, at least 4 hours apart",
        ),
    ],
)
def test_a_schedule_is_read_in_any_case_and_written_back_the_same(text: str, spec: str, words: str) -> None:
    regimen = parse_regimen(text)
    assert regimen.spec() == spec
    assert parse_regimen(regimen.spec()) == regimen
    assert regimen.words() == words


@pytest.mark.parametrize(
    "text",
    ["once a week", "daily at 25:00", "weekly on funday at 09:00", "every 0 days at 08:00", "as needed max 0 per 24h"],
)
def test_a_bad_schedule_names_the_accepted_forms(text: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_regimen(text)
    assert "weekly on DAY[,DAY...] at HH:MM" in refused.value.message
    assert "as needed [max N per 24h]" in refused.value.message


def test_weekly_and_every_n_days_fall_on_their_days() -> None:
    start = date(2026, 11, 2)  # a Monday
    weekly = occurrences(
        steps("weekly on fri at 09:00", start),
        zone="UTC",
        since=local(start, "00:00"),
        until=local(start + timedelta(days=21), "00:00"),
    )
    assert [o.date() for o in weekly] == [date(2026, 11, 6), date(2026, 11, 13), date(2026, 11, 20)]
    other = occurrences(
        steps("every 2 days at 08:00", start),
        zone="UTC",
        since=local(start, "00:00"),
        until=local(start + timedelta(days=7), "00:00"),
    )
    assert [o.day for o in other] == [2, 4, 6, 8]


def test_a_dose_at_half_past_midnight_belongs_to_last_nights_21_00() -> None:
    day = date(2026, 11, 20)
    scheduled = slots(
        steps("daily at 21:00"),
        zone=PARIS,
        since=local(day, "00:00", PARIS) - timedelta(days=2),
        until=local(day, "00:00", PARIS) + timedelta(days=2),
    )
    k = belongs(local(day, "00:30", PARIS), scheduled)
    assert k is not None and scheduled[k].at == local(day - timedelta(days=1), "21:00", PARIS)


def _window(spec: str, starts: date, moment: datetime) -> datetime | None:
    """The scheduled time a dose at `moment` counts for, or None."""
    found = slots(steps(spec, starts), zone=PARIS, since=moment - timedelta(days=30), until=moment + timedelta(days=30))
    k = belongs(moment, found)
    return None if k is None else found[k].at


def test_a_dose_counts_for_a_time_from_a_quarter_gap_before_until_the_end_of_its_day() -> None:
    day = date(2026, 12, 8)  # a Tuesday
    morning = local(day, "08:00", PARIS)
    # Daily at 08:00: from 02:00 (6 hours, a quarter of a day, before) to midnight: 20:15 is today's, late.
    assert _window("daily at 08:00", date(2026, 11, 1), local(day, "01:59", PARIS)) is None
    assert _window("daily at 08:00", date(2026, 11, 1), local(day, "02:00", PARIS)) == morning
    assert _window("daily at 08:00", date(2026, 11, 1), local(day, "20:15", PARIS)) == morning
    assert _window("daily at 08:00", date(2026, 11, 1), local(day, "23:59", PARIS)) == morning
    # Daily at 22:00: late until 12 hours after, across midnight.
    late = local(day + timedelta(days=1), "09:59", PARIS)
    assert _window("daily at 22:00", date(2026, 11, 1), late) == local(day, "22:00", PARIS)
    # Weekly on Friday: nothing counts on Tuesday or Thursday, the window never opens on a day with no dose.
    friday = date(2026, 12, 11)
    assert _window("weekly on fri at 20:00", date(2026, 11, 1), local(day, "09:30", PARIS)) is None
    assert (
        _window("weekly on fri at 20:00", date(2026, 11, 1), local(friday - timedelta(days=1), "23:00", PARIS)) is None
    )
    assert _window("weekly on fri at 20:00", date(2026, 11, 1), local(friday, "07:00", PARIS)) == local(
        friday, "20:00", PARIS
    )
    # Every 3 days from 1 December: 7 December's dose; on 8 December nothing is due.
    assert _window("every 3 days at 09:00", date(2026, 12, 1), local(day, "09:00", PARIS)) is None
    assert _window("every 3 days at 09:00", date(2026, 12, 1), local(day - timedelta(days=1), "21:00", PARIS)) == (
        local(day - timedelta(days=1), "09:00", PARIS)
    )


def test_a_window_keeps_the_local_wall_time_across_a_daylight_saving_change() -> None:
    # Paris leaves summer time on 25 October 2026: the day has 25 hours, the dose is still at 08:00 local.
    day = date(2026, 10, 25)
    found = slots(
        steps("daily at 08:00"), zone=PARIS, since=local(day, "00:00", PARIS), until=local(day, "23:00", PARIS)
    )
    assert [s.at for s in found] == [local(day, "08:00", PARIS)]
    assert found[0].opens == found[0].at - timedelta(hours=6)
    assert found[0].closes == local(day + timedelta(days=1), "00:00", PARIS)
    assert found[0].closes - local(day, "00:00", PARIS) == timedelta(hours=25)


@given(st.integers(min_value=0, max_value=24 * 60 * 6))
def test_a_moment_counts_for_at_most_one_time_and_only_inside_its_window(minutes: int) -> None:
    start = local(date(2026, 11, 16), "00:00")
    scheduled = slots(
        steps("daily at 08:00,20:00"), zone="UTC", since=start - timedelta(days=1), until=start + timedelta(days=8)
    )
    moment = start + timedelta(minutes=minutes)
    k = belongs(moment, scheduled)
    holding = [s for s in scheduled if s.opens <= moment < s.closes]
    assert (k is None) == (not holding)
    if k is not None:
        assert all(abs(scheduled[k].at - moment) <= abs(s.at - moment) for s in holding)


def test_a_dose_logged_at_00_30_keeps_the_evening_dose_open_that_day() -> None:
    day = date(2026, 11, 20)
    doses = [Dosing(local(day, "00:30"), taken=True)]
    morning = state_now(steps("daily at 21:00"), doses, now=local(day, "10:00"), zone="UTC")
    assert morning.state is State.DUE and morning.due_at == local(day, "21:00")
    night = state_now(steps("daily at 21:00"), doses, now=local(day, "21:30"), zone="UTC")
    assert night.state is State.OVERDUE


def test_a_weekly_medicine_is_not_due_on_other_days_and_says_when_next() -> None:
    tuesday = date(2026, 11, 17)
    friday_dose = [Dosing(local(date(2026, 11, 13), "09:05"), taken=True)]
    now = state_now(steps("weekly on fri at 09:00"), friday_dose, now=local(tuesday, "10:00"), zone="UTC")
    assert now.state is State.NOT_DUE
    monday = state_now(steps("weekly on fri at 09:00"), friday_dose, now=local(date(2026, 11, 16), "10:00"), zone="UTC")
    # Friday's dose counted for Friday; on Monday nothing is due and the next one is Friday.
    assert monday.state is State.NOT_DUE and monday.next_at == local(date(2026, 11, 20), "09:00")
    assert now.next_at == local(date(2026, 11, 20), "09:00")
    on_friday = state_now(
        steps("weekly on fri at 09:00"), friday_dose, now=local(date(2026, 11, 20), "10:00"), zone="UTC"
    )
    assert on_friday.state is State.OVERDUE


def test_a_second_dose_for_the_same_time_and_as_needed_limits_are_extra() -> None:
    day = date(2026, 11, 20)
    taken = [Dosing(local(day, "08:10"), taken=True)]
    refused = extra_dose(steps("daily at 08:00"), taken, local(day, "09:00"), zone="UTC")
    assert refused is not None and refused.earlier == local(day, "08:10")
    assert extra_dose(steps("daily at 08:00"), taken, local(day + timedelta(days=1), "08:00"), zone="UTC") is None
    # Before a schedule's first day (a medicine added today, yesterday's dose typed in), a dose is held to the
    # first step: the night before is that day's late dose, 03:00 on the first day is its dose, already taken.
    first_day = steps("daily at 08:00", day)
    assert extra_dose(first_day, taken, local(day - timedelta(days=1), "23:50"), zone="UTC") is None
    early = extra_dose(first_day, taken, local(day, "03:00"), zone="UTC")
    assert early is not None and early.kind is RefusalKind.TAKEN
    limits = steps("as needed max 2 per 24h at least 4 hours apart")
    assert extra_dose(limits, taken, local(day, "10:00"), zone="UTC") is not None  # 2 hours apart
    two = [*taken, Dosing(local(day, "13:00"), taken=True)]
    assert extra_dose(limits, two, local(day, "18:00"), zone="UTC") is not None  # the third in 24 hours
    assert extra_dose(limits, two, local(day + timedelta(days=1), "09:00"), zone="UTC") is None


def test_as_needed_limits_hold_for_a_dose_dated_before_the_medicine_was_added() -> None:
    # Added just after midnight, the dose taken yesterday evening recorded afterwards: the limits still count.
    added = date(2026, 12, 2)
    limits = steps("as needed max 2 per 24h at least 4 hours apart", added)
    evening = [Dosing(local(added - timedelta(days=1), "14:30"), taken=True)]
    refused = extra_dose(limits, evening, local(added - timedelta(days=1), "17:30"), zone="UTC")
    assert refused is not None and "less than 4 hours" in refused.reason
    assert extra_dose(limits, evening, local(added - timedelta(days=1), "19:30"), zone="UTC") is None


def test_two_doses_close_together_are_one_too_many_wherever_they_fall() -> None:
    # Daily at 22:30 from today, and 00:30 now: a dose now belongs to no scheduled time, and a second
    # one a minute later is still an extra dose.
    today = date(2026, 12, 2)
    evenings = steps("daily at 22:30", today)
    first = [Dosing(local(today, "00:30"), taken=True)]
    refused = extra_dose(evenings, first, local(today, "00:31"), zone="UTC")
    assert refused is not None and refused.earlier == local(today, "00:30")
    assert refused.sentence("00:30") == (
        "a dose was already taken less than 6 hours before "
        "(00:30; 6 hours is the journal's setting, a quarter of the usual time between doses)"
    )
    assert extra_dose(evenings, first, local(today, "22:30"), zone="UTC") is None  # the first scheduled dose
    # Daily at 08:00: 19:59 is nearest today's 08:00 and 20:00 tomorrow's, yet they are one minute apart.
    mornings = steps("daily at 08:00")
    evening = [Dosing(local(today, "19:59"), taken=True)]
    refused = extra_dose(mornings, evening, local(today, "20:00"), zone="UTC")
    assert refused is not None and refused.earlier == local(today, "19:59")
    # A late dose and the next one early, more than a quarter of a day apart, are each their own.
    late = [Dosing(local(today, "19:00"), taken=True)]
    assert extra_dose(mornings, late, local(today + timedelta(days=1), "06:00"), zone="UTC") is None
    assert extra_dose([], evening, local(today, "20:00"), zone="UTC") is None  # no schedule, no usual gap
    weekly = steps("weekly on fri at 09:00", date(2026, 12, 4))
    long_before = [Dosing(local(date(2026, 11, 20), "09:00"), taken=True)]
    refused = extra_dose(weekly, long_before, local(date(2026, 11, 21), "09:00"), zone="UTC")
    assert refused is not None and "42 hours" in refused.reason
    # A Wednesday has no dose of a Friday medicine; a Friday of its schedule has one.
    wednesday = extra_dose(weekly, long_before, local(date(2026, 12, 9), "09:00"), zone="UTC")
    assert wednesday is not None and wednesday.kind is RefusalKind.NOTHING_DUE
    assert wednesday.sentence("today") == "is taken weekly on Friday at 09:00, and nothing is due today"
    assert extra_dose(weekly, long_before, local(date(2026, 12, 11), "09:00"), zone="UTC") is None


def test_adherence_counts_scheduled_doses_taken_missed_and_extra_with_missed_runs() -> None:
    start = date(2026, 11, 2)
    regimen = steps("weekly on mon at 08:00", start)
    doses = [
        Dosing(local(date(2026, 11, 2), "08:05"), taken=True),
        Dosing(local(date(2026, 11, 2), "09:00"), taken=True),  # a second one: extra
        Dosing(local(date(2026, 11, 30), "08:00"), taken=True),
    ]
    found = adherence(
        regimen, doses, start=start, end=date(2026, 11, 30), zone="UTC", now=local(date(2026, 12, 1), "08:00")
    )
    assert (found.expected, found.taken, found.missed, found.extra) == (5, 2, 3, 1)
    assert found.missed_runs == [(local(date(2026, 11, 9), "08:00"), local(date(2026, 11, 23), "08:00"))]


def test_as_needed_doses_are_counted_per_week_and_never_missed() -> None:
    start = date(2026, 11, 2)
    doses = [Dosing(local(start + timedelta(days=n), "12:00"), taken=True) for n in (0, 3, 10)]
    found = adherence(
        steps("as needed", start),
        doses,
        start=start,
        end=start + timedelta(days=13),
        zone="UTC",
        now=local(date(2026, 12, 1), "08:00"),
    )
    assert (found.expected, found.missed, found.as_needed_doses) == (0, 0, 3)
    assert found.as_needed_per_week == pytest.approx(1.5)
    assert parse_regimen("as needed").pattern is Pattern.AS_NEEDED


def test_a_supply_lasts_until_the_first_scheduled_dose_it_cannot_cover() -> None:
    from journal.care.regimen import coverage

    tuesday = local(date(2026, 12, 1), "17:00")
    weekly = steps("weekly on fri at 09:00", date(2026, 11, 1))
    # Twelve tablets for Fridays from 4 December: the thirteenth Friday, 26 February, has none.
    assert coverage(weekly, 12, since=tuesday, zone="UTC") == (date(2026, 12, 4), date(2027, 2, 26))
    daily = steps("daily at 08:00", date(2026, 11, 1))
    assert coverage(daily, 7, since=tuesday, zone="UTC") == (date(2026, 12, 2), date(2026, 12, 9))
    assert coverage(steps("as needed"), 7, since=tuesday, zone="UTC") is None


def test_an_as_needed_medicine_says_when_its_limits_allow_the_next_dose() -> None:
    from journal.care.regimen import as_needed_allowed_from

    day = date(2026, 11, 20)
    limits = parse_regimen("as needed max 2 per 24h at least 4 hours apart")
    one = [Dosing(local(day, "08:00"), taken=True)]
    assert as_needed_allowed_from(limits, one, now=local(day, "10:00")) == local(day, "12:00")
    assert as_needed_allowed_from(limits, one, now=local(day, "13:00")) is None
    two = [*one, Dosing(local(day, "13:00"), taken=True)]
    # Two in the last 24 hours: the next when the 08:00 one is 24 hours old.
    assert as_needed_allowed_from(limits, two, now=local(day, "18:00")) == local(day + timedelta(days=1), "08:00")


@given(
    spec=st.sampled_from(
        ["daily at 08:00", "daily at 08:00, 20:00", "weekly on fri at 20:00", "every 3 days at 09:00",
         "weekly split fri 08:00, fri 20:00, sat 08:00", "cycle 3 on 2 off at 07:30"]
    ),
    minutes=st.lists(st.integers(min_value=0, max_value=60 * 24 * 90), max_size=40),
)  # fmt: skip
def test_searching_the_windows_by_time_finds_what_holding_each_window_finds(spec: str, minutes: list[int]) -> None:
    # belongs_each bisects the windows by time; it must choose as the plain scan over every window does.
    from journal.care.regimen import belongs_each

    start = datetime(2026, 3, 1, tzinfo=UTC)  # across Paris's change to summer time
    scheduled = slots(steps(spec, date(2026, 3, 1)), zone=PARIS, since=start, until=start + timedelta(days=90))
    moments = [start + timedelta(minutes=m) for m in minutes]

    def scan(moment: datetime) -> int | None:
        held = [k for k, slot in enumerate(scheduled) if slot.holds(moment)]
        return min(held, key=lambda k: (abs(scheduled[k].at - moment), k), default=None)

    assert belongs_each(moments, scheduled) == [scan(moment) for moment in moments]
    assert [belongs(moment, scheduled) for moment in moments] == [scan(moment) for moment in moments]
