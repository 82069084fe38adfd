"""The daily schedule: usual time, today's status, adherence over a period and drift."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from journal import models as m
from journal.care import schedule
from journal.care.schedule import TimeSource, UsualTime

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
EIGHT = UsualTime(at=time(8, 0), source=TimeSource.SET)
MED = m.Medication(name="Kineret", pack="anakinra", tracked=True)


def dose(at: datetime, *, tz: str = "UTC", status: m.DoseStatus = m.DoseStatus.TAKEN) -> m.Dose:
    return m.Dose(medication_id=MED.id, at=at, tz=tz, status=status, reason="x" if status.value != "taken" else None)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_usual_time_is_the_one_set_on_the_medicine() -> None:
    usual = schedule.usual_time(MED.changed(**{"usual_time": "21:15"}), [dose(utc(20, 8))])
    assert (usual.at, usual.source) == (time(21, 15), TimeSource.SET)


def test_without_a_set_time_the_usual_time_is_the_median_local_time_of_recent_doses() -> None:
    doses = [dose(utc(20, 7, 50)), dose(utc(21, 8, 10)), dose(utc(22, 9, 0))]
    usual = schedule.usual_time(MED, doses)
    assert (usual.at, usual.source) == (time(8, 10), TimeSource.MEDIAN)
    assert "recent doses" in usual.text


def test_with_no_time_and_no_doses_the_dose_is_due_at_eight_and_it_says_so() -> None:
    usual = schedule.usual_time(MED, [])
    assert (usual.at, usual.source) == (time(8, 0), TimeSource.DEFAULT)
    assert "no usual time set" in usual.text


def test_dose_not_yet_due_shows_when_it_is_due() -> None:
    status = schedule.today_status(EIGHT, [], now=utc(25, 6), zone="UTC")
    assert status.due_at == utc(25, 8)
    assert status.due_in == timedelta(hours=2)
    assert status.overdue_by is None and status.taken_at is None


def test_dose_not_taken_after_its_time_is_overdue_by_the_difference() -> None:
    status = schedule.today_status(EIGHT, [dose(utc(24, 8))], now=utc(25, 9, 30), zone="UTC")
    assert status.overdue_by == timedelta(minutes=90)


def test_taken_dose_shows_when_it_was_taken_and_is_not_overdue() -> None:
    status = schedule.today_status(EIGHT, [dose(utc(25, 8, 20))], now=utc(25, 12), zone="UTC")
    assert status.taken_at == utc(25, 8, 20)
    assert status.overdue_by is None and status.done


def test_skipped_dose_is_done_and_not_overdue() -> None:
    status = schedule.today_status(EIGHT, [dose(utc(25, 7), status=m.DoseStatus.SKIPPED)], now=utc(25, 12), zone="UTC")
    assert status.skipped and status.overdue_by is None


def test_due_time_is_the_usual_local_time_where_the_person_is() -> None:
    status = schedule.today_status(EIGHT, [], now=utc(25, 12), zone="America/New_York")
    assert status.due_at == utc(25, 13)  # 08:00 EST


def test_a_dose_counts_on_the_local_day_of_the_zone_it_was_taken_in() -> None:
    # 23:30 in New York on the 24th is 04:30 UTC on the 25th: it is the 24th's dose.
    late = dose(utc(25, 4, 30), tz="America/New_York")
    result = schedule.adherence([late], start=date(2026, 11, 24), end=date(2026, 11, 25))
    assert result.taken == 1
    assert result.missed_dates == [date(2026, 11, 25)]


def test_adherence_counts_days_without_any_record_as_missed() -> None:
    doses = [
        dose(utc(20, 8)),
        dose(utc(21, 8), status=m.DoseStatus.SKIPPED),
        dose(utc(23, 8)),
        dose(utc(24, 8), status=m.DoseStatus.MISSED),
    ]
    result = schedule.adherence(doses, start=date(2026, 11, 20), end=date(2026, 11, 24))
    assert (result.expected, result.taken, result.skipped, result.missed) == (5, 2, 1, 2)
    assert result.missed_dates == [date(2026, 11, 22), date(2026, 11, 24)]
    assert result.percent == 40.0


def test_longest_gap_is_between_taken_doses() -> None:
    doses = [dose(utc(20, 8)), dose(utc(21, 9)), dose(utc(24, 7))]
    result = schedule.adherence(doses, start=date(2026, 11, 20), end=date(2026, 11, 24))
    assert result.longest_gap == timedelta(days=2, hours=22)


def test_today_is_not_missed_while_it_is_still_open() -> None:
    result = schedule.adherence(
        [dose(utc(24, 8))], start=date(2026, 11, 24), end=date(2026, 11, 25), today=date(2026, 11, 25)
    )
    assert (result.expected, result.missed) == (1, 0)


def test_drift_gives_median_and_largest_difference_from_the_usual_time() -> None:
    doses = [dose(utc(20, 8, 10)), dose(utc(21, 7, 40)), dose(utc(22, 9, 30)), dose(utc(23, 8, 0))]
    result = schedule.drift(doses, time(8, 0))
    assert result.count == 4
    assert result.median_minutes == 5.0
    assert result.largest_minutes == 90


def test_drift_across_midnight_is_a_short_difference_not_a_day() -> None:
    result = schedule.drift([dose(utc(21, 0, 30))], time(23, 30))
    assert result.largest_minutes == 60


@given(st.lists(st.integers(min_value=-720, max_value=720), min_size=1, max_size=40))
def test_the_drift_median_is_the_median(diffs: list[int]) -> None:
    # Written out instead of importing statistics: it must still be the median, even counts averaged.
    assert schedule._median(diffs) == statistics.median(diffs)
