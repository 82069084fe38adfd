"""Benefit over time: weekly and monthly averages of pain, swelling and stiffness from the check-ins."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from journal import models as m
from journal.dataclass import dataclass


@dataclass(kw_only=True)
class WeekAverage:
    """Averages of the check-ins of one ISO week (local time); None where nothing was scored."""

    year: int
    week: int
    starts: date
    checkins: int
    pain: float | None = None
    swelling: float | None = None
    stiffness_minutes: float | None = None

    @property
    def label(self) -> str:
        """'2026-W47'."""
        return f"{self.year}-W{self.week:02d}"


def _mean(values: list[int]) -> float | None:
    # Not statistics.fmean: importing statistics costs start-up time.
    return round(sum(values) / len(values), 1) if values else None


def weekly_trend(checkins: Iterable[m.Checkin]) -> list[WeekAverage]:
    """Weekly averages, oldest week first; weeks with no check-in are left out."""
    weeks: dict[tuple[int, int], list[m.Checkin]] = {}
    for checkin in checkins:
        if checkin.deleted_at is not None:
            continue
        year, week, _ = m.local_day(checkin.at, checkin.tz).isocalendar()
        weeks.setdefault((year, week), []).append(checkin)
    trend: list[WeekAverage] = []
    for (year, week), items in sorted(weeks.items()):
        trend.append(
            WeekAverage(
                year=year,
                week=week,
                starts=date.fromisocalendar(year, week, 1),
                checkins=len(items),
                pain=_mean([c.pain for c in items if c.pain is not None]),
                swelling=_mean([c.swelling for c in items if c.swelling is not None]),
                stiffness_minutes=_mean([c.stiffness_minutes for c in items if c.stiffness_minutes is not None]),
            )
        )
    return trend


@dataclass(kw_only=True)
class MonthAverage:
    """Averages of the check-ins of one calendar month (local time); None where nothing was scored."""

    starts: date
    checkins: int
    pain: float | None = None
    swelling: float | None = None
    stiffness_minutes: float | None = None


def monthly_trend(checkins: Iterable[m.Checkin]) -> list[MonthAverage]:
    """Monthly averages, oldest month first; months with no check-in are left out."""
    months: dict[date, list[m.Checkin]] = {}
    for checkin in checkins:
        if checkin.deleted_at is not None:
            continue
        months.setdefault(m.local_day(checkin.at, checkin.tz).replace(day=1), []).append(checkin)
    return [
        MonthAverage(
            starts=starts,
            checkins=len(items),
            pain=_mean([c.pain for c in items if c.pain is not None]),
            swelling=_mean([c.swelling for c in items if c.swelling is not None]),
            stiffness_minutes=_mean([c.stiffness_minutes for c in items if c.stiffness_minutes is not None]),
        )
        for starts, items in sorted(months.items())
    ]
