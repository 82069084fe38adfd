"""Benefit over weeks: weekly averages of the check-ins, by ISO week in local time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from journal import models as m
from journal.care.benefit import weekly_trend


def checkin(at: datetime, tz: str = "UTC", **scores: int) -> m.Checkin:
    fields: dict[str, Any] = scores  # the scores are keyword arguments of Checkin, each an int
    return m.Checkin(at=at, tz=tz, **fields)


def test_weekly_averages_of_pain_swelling_and_stiffness() -> None:
    items = [
        checkin(datetime(2026, 11, 16, 9, tzinfo=UTC), pain=6, swelling=4, stiffness_minutes=60),
        checkin(datetime(2026, 11, 18, 9, tzinfo=UTC), pain=4, stiffness_minutes=30),
        checkin(datetime(2026, 11, 24, 9, tzinfo=UTC), pain=2, swelling=1),
    ]
    trend = weekly_trend(items)
    assert [w.label for w in trend] == ["2026-W47", "2026-W48"]
    assert (trend[0].pain, trend[0].swelling, trend[0].stiffness_minutes, trend[0].checkins) == (5.0, 4.0, 45.0, 2)
    assert trend[0].starts == date(2026, 11, 16)
    assert (trend[1].pain, trend[1].stiffness_minutes) == (2.0, None)


def test_a_check_in_belongs_to_the_week_of_its_local_day() -> None:
    # Sunday 23:30 in New York is Monday 04:30 UTC: still the earlier week.
    late_sunday = checkin(datetime(2026, 11, 23, 4, 30, tzinfo=UTC), tz="America/New_York", pain=3)
    assert [w.label for w in weekly_trend([late_sunday])] == ["2026-W47"]
