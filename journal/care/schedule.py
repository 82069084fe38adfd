"""The daily schedule: when today's dose is due, whether it was taken, adherence and drift."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from journal import models as m
from journal.dataclass import dataclass

DEFAULT_TIME = time(8, 0)
# How many recent doses the median usual time is taken over.
RECENT_FOR_MEDIAN = 14


class TimeSource(StrEnum):
    """Where the usual dose time came from."""

    SET = "set"
    MEDIAN = "median"
    DEFAULT = "default"


@dataclass(kw_only=True)
class UsualTime:
    """The time of day a daily dose is due, and how it was decided."""

    at: time
    source: TimeSource

    @property
    def text(self) -> str:
        """'08:00', with how it was chosen when it was not set by the user."""
        hhmm = self.at.strftime("%H:%M")
        if self.source is TimeSource.MEDIAN:
            return f"{hhmm} (usual time of your recent doses)"
        if self.source is TimeSource.DEFAULT:
            return f"{hhmm} (no usual time set)"
        return hhmm


def local_time(dose: m.Dose) -> time:
    """The wall-clock time a dose was taken, in the zone it was recorded in."""
    return dose.at.astimezone(ZoneInfo(dose.tz)).time().replace(second=0, microsecond=0)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def usual_time(med: m.Medication, doses: Iterable[m.Dose]) -> UsualTime:
    """The medicine's set time; else the median local time of its recent taken doses; else 08:00."""
    if med.usual_time:
        return UsualTime(at=time.fromisoformat(med.usual_time), source=TimeSource.SET)
    taken = sorted((d for d in doses if d.status is m.DoseStatus.TAKEN), key=lambda d: d.at, reverse=True)
    recent = [_minutes(local_time(d)) for d in taken[:RECENT_FOR_MEDIAN]]
    if not recent:
        return UsualTime(at=DEFAULT_TIME, source=TimeSource.DEFAULT)
    # The lower median (statistics.median_low), written out: importing statistics costs every start.
    middle = sorted(recent)[(len(recent) - 1) // 2]
    return UsualTime(at=time(middle // 60, middle % 60), source=TimeSource.MEDIAN)


@dataclass(kw_only=True)
class DayStatus:
    """Today's dose of one medicine."""

    day: date
    due_at: datetime
    taken_at: datetime | None = None
    skipped: bool = False
    skip_reason: str | None = None
    overdue_by: timedelta | None = None
    due_in: timedelta | None = None

    @property
    def done(self) -> bool:
        """Taken or deliberately skipped: nothing more to do today."""
        return self.taken_at is not None or self.skipped


def due_at(day: date, usual: UsualTime, zone: str) -> datetime:
    """The UTC moment the dose of a local day is due."""
    local = datetime.combine(day, usual.at).replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


def doses_on(doses: Iterable[m.Dose], day: date) -> list[m.Dose]:
    """The doses whose local day (in their own zone) is `day`, oldest first."""
    return sorted((d for d in doses if m.local_day(d.at, d.tz) == day), key=lambda d: d.at)


def today_status(usual: UsualTime, doses: Iterable[m.Dose], *, now: datetime, zone: str) -> DayStatus:
    """Due at, taken at and overdue by, for the local day of `now` in `zone`."""
    day = now.astimezone(ZoneInfo(zone)).date()
    due = due_at(day, usual, zone)
    todays = doses_on(doses, day)
    taken = [d for d in todays if d.status is m.DoseStatus.TAKEN]
    skipped = [d for d in todays if d.status is m.DoseStatus.SKIPPED]
    status = DayStatus(day=day, due_at=due)
    if taken:
        status.taken_at = taken[-1].at
    elif skipped:
        status.skipped = True
        status.skip_reason = skipped[-1].reason
    elif now > due:
        status.overdue_by = now - due
    else:
        status.due_in = due - now
    return status


@dataclass(kw_only=True)
class Adherence:
    """How many expected daily doses were taken, skipped or missed over a period."""

    start: date
    end: date
    expected: int
    taken: int
    skipped: int
    missed: int
    missed_dates: list[date]
    longest_gap: timedelta | None = None

    @property
    def percent(self) -> float | None:
        """Taken days as a share of expected days, 0-100; None when none were expected."""
        return 100.0 * self.taken / self.expected if self.expected else None


def adherence(doses: Iterable[m.Dose], *, start: date, end: date, today: date | None = None) -> Adherence:
    """Days from `start` to `end` (inclusive) taken, skipped or missed; a day with no record is missed.

    `today`, when in the period and not yet taken or skipped, is still open and is not counted.
    """
    records = [d for d in doses if d.deleted_at is None]
    by_day: dict[date, set[m.DoseStatus]] = {}
    for dose in records:
        by_day.setdefault(m.local_day(dose.at, dose.tz), set()).add(dose.status)
    taken = skipped = 0
    missed: list[date] = []
    expected = 0
    day = start
    while day <= end:
        statuses = by_day.get(day, set())
        if m.DoseStatus.TAKEN in statuses:
            taken += 1
        elif m.DoseStatus.SKIPPED in statuses:
            skipped += 1
        elif day == today:
            day += timedelta(days=1)
            continue
        else:
            missed.append(day)
        expected += 1
        day += timedelta(days=1)
    in_period = sorted(
        d.at for d in records if d.status is m.DoseStatus.TAKEN and start <= m.local_day(d.at, d.tz) <= end
    )
    gaps = [b - a for a, b in itertools.pairwise(in_period)]
    return Adherence(
        start=start,
        end=end,
        expected=expected,
        taken=taken,
        skipped=skipped,
        missed=len(missed),
        missed_dates=missed,
        longest_gap=max(gaps) if gaps else None,
    )


@dataclass(kw_only=True)
class Drift:
    """How far dose times strayed from the usual time, in minutes (positive: later)."""

    count: int
    median_minutes: float | None = None
    largest_minutes: int | None = None


def _signed_difference(actual: time, usual: time) -> int:
    # Wrapped to -12h..+12h: a dose at 00:30 for a 23:30 usual time is one hour late, not 23 early.
    diff = (_minutes(actual) - _minutes(usual)) % 1440
    return diff - 1440 if diff >= 720 else diff


def _median(values: list[int]) -> float:
    # statistics.median, written out: importing statistics (fractions, decimal) costs every start.
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def drift(doses: Sequence[m.Dose], usual: time) -> Drift:
    """Median and largest difference between taken doses' local times and the usual time."""
    diffs = [_signed_difference(local_time(d), usual) for d in doses if d.status is m.DoseStatus.TAKEN]
    if not diffs:
        return Drift(count=0)
    return Drift(
        count=len(diffs),
        median_minutes=_median(diffs),
        largest_minutes=max(diffs, key=abs),
    )
