"""Regimens: when each medicine is taken (daily, weekly, every N days, as needed), and which dose meets which time.

A regimen is written as text, the way `med add --schedule` and `med schedule` take it:

    daily at 08:00[,20:00...]
    weekly on mon[,thu...] at 09:00
    every 2 days at 08:00          (counted from the schedule's first day)
    as needed [max 3 per 24h] [at least 4 hours apart]

The journal only follows the schedule the doctor set; it never suggests one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from journal import models as m
from journal.care import schedule
from journal.dataclass import dataclass
from journal.errors import JournalError

FORMS = (
    "daily at HH:MM[,HH:MM...]",
    "weekly on DAY[,DAY...] at HH:MM",
    "every N days at HH:MM",
    "as needed [max N per 24h] [at least H hours apart]",
)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The journal's setting, not medical advice: how long after its time a dose still shows as overdue on Today
# (after that it is counted as missed, and Today shows the next one).
OVERDUE_SHOWN_FOR = timedelta(hours=12)


class ScheduleError(JournalError):
    """A schedule that cannot be read as typed."""

    def __init__(self, text: str, why: str) -> None:
        super().__init__(f"{text!r} is not a schedule ({why}); use one of: {'; '.join(FORMS)}.")


class Pattern(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    EVERY = "every"
    AS_NEEDED = "as needed"


@dataclass(frozen=True)
class Regimen:
    """One schedule read from its text."""

    pattern: Pattern
    times: tuple[time, ...] = ()
    weekdays: tuple[int, ...] = ()  # 0 is Monday
    every_days: int = 1
    max_per_24h: int | None = None
    min_hours_apart: float | None = None

    @property
    def as_needed(self) -> bool:
        """Taken when needed: no dose is ever due or missed."""
        return self.pattern is Pattern.AS_NEEDED

    def spec(self) -> str:
        """The schedule as text `parse_regimen` reads back to the same regimen."""
        at = ",".join(t.strftime("%H:%M") for t in self.times)
        if self.pattern is Pattern.DAILY:
            return f"daily at {at}"
        if self.pattern is Pattern.WEEKLY:
            return f"weekly on {','.join(DAYS[d][:3] for d in self.weekdays)} at {at}"
        if self.pattern is Pattern.EVERY:
            return f"every {self.every_days} days at {at}"
        limits = []
        if self.max_per_24h is not None:
            limits.append(f"max {self.max_per_24h} per 24h")
        if self.min_hours_apart is not None:
            limits.append(f"at least {_hours(self.min_hours_apart)} hours apart")
        return " ".join(["as needed", *limits])

    def words(self) -> str:
        """The schedule in words: 'weekly on Friday at 09:00'."""
        at = ", ".join(t.strftime("%H:%M") for t in self.times)
        if self.pattern is Pattern.WEEKLY:
            days = [DAYS[d].capitalize() for d in self.weekdays]
            return f"weekly on {' and '.join(days) if len(days) < 3 else ', '.join(days)} at {at}"
        if self.pattern is Pattern.EVERY:
            return f"every {self.every_days} days at {at}" if self.every_days > 1 else f"daily at {at}"
        if self.pattern is Pattern.AS_NEEDED:
            limits = []
            if self.max_per_24h is not None:
                limits.append(f"at most {self.max_per_24h} in 24 hours")
            if self.min_hours_apart is not None:
                limits.append(f"at least {_hours(self.min_hours_apart)} hours apart")
            return ", ".join(["as needed", *limits])
        return f"daily at {at}"


def _hours(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _duration(span: timedelta) -> str:
    """'12 hours', '3.5 days': a gap between doses in words."""
    hours = span.total_seconds() / 3600
    if hours < 48:
        return f"{_hours(round(hours, 1))} hours"
    return f"{_hours(round(hours / 24, 1))} days"


_TIME = r"(\d{1,2}:\d{2})"
_DAILY = re.compile(rf"^daily at ({_TIME}(?:\s*,\s*{_TIME})*)$")
_WEEKLY = re.compile(rf"^weekly on ([a-z]+(?:\s*,\s*[a-z]+)*) at {_TIME}$")
_EVERY = re.compile(rf"^every (\d+) days? at {_TIME}$")
_AS_NEEDED = re.compile(r"^as needed(?: max (\d+) per 24 ?h)?(?: at least (\d+(?:\.\d+)?) hours? apart)?$")


def _clock(text: str, spec: str) -> time:
    # Read by hand, not with strptime: importing _strptime and compiling its patterns costs start-up.
    hours, _, minutes = text.strip().partition(":")
    try:
        return time(int(hours), int(minutes))
    except ValueError:
        raise ScheduleError(spec, f"{text.strip()!r} is not a time of day such as 08:30") from None


def _weekday(text: str, spec: str) -> int:
    word = text.strip()
    for index, name in enumerate(DAYS):
        if len(word) >= 3 and name.startswith(word):
            return index
    raise ScheduleError(spec, f"{word!r} is not a day of the week (mon..sun)")


def parse_regimen(text: str) -> Regimen:
    """A regimen from its text, in any case; ScheduleError, listing the accepted forms, otherwise."""
    spec = " ".join(text.lower().split())
    if found := _DAILY.match(spec):
        times = sorted({_clock(t, text) for t in found.group(1).split(",")})
        return Regimen(Pattern.DAILY, times=tuple(times))
    if found := _WEEKLY.match(spec):
        days = sorted({_weekday(d, text) for d in found.group(1).split(",")})
        return Regimen(Pattern.WEEKLY, times=(_clock(found.group(2), text),), weekdays=tuple(days))
    if found := _EVERY.match(spec):
        n = int(found.group(1))
        if not 1 <= n <= 366:
            raise ScheduleError(text, "the days between doses must be 1 to 366")
        return Regimen(Pattern.EVERY, times=(_clock(found.group(2), text),), every_days=n)
    if found := _AS_NEEDED.match(spec):
        most = int(found.group(1)) if found.group(1) else None
        apart = float(found.group(2)) if found.group(2) else None
        if most is not None and not 1 <= most <= 48:
            raise ScheduleError(text, "the most per 24 hours must be 1 to 48")
        if apart is not None and not 0 < apart <= 168:
            raise ScheduleError(text, "the hours apart must be more than 0 and at most 168")
        return Regimen(Pattern.AS_NEEDED, max_per_24h=most, min_hours_apart=apart)
    raise ScheduleError(text, "its form is not known")


# --- occurrences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A regimen in force from `starts` (a local day) until `ends` (inclusive, or open)."""

    regimen: Regimen
    starts: date
    ends: date | None = None
    dose: str | None = None

    def covers(self, day: date) -> bool:
        """Whether the step is in force on a local day."""
        return self.starts <= day and (self.ends is None or day <= self.ends)

    def meets(self, day: date) -> bool:
        """Whether a dose is scheduled on a local day."""
        if not self.covers(day) or self.regimen.as_needed:
            return False
        if self.regimen.pattern is Pattern.WEEKLY:
            return day.weekday() in self.regimen.weekdays
        if self.regimen.pattern is Pattern.EVERY:
            return (day - self.starts).days % self.regimen.every_days == 0
        return True


def step_on(steps: list[Step], day: date) -> Step | None:
    """The step in force on a local day: of those covering it, the latest to start (the last given, on a tie)."""
    best: Step | None = None
    for step in steps:
        if step.covers(day) and (best is None or step.starts >= best.starts):
            best = step
    return best


def occurrences(steps: list[Step], *, zone: str, since: datetime, until: datetime) -> list[datetime]:
    """The UTC moments doses are scheduled in [since, until), oldest first."""
    tz = ZoneInfo(zone)
    day = since.astimezone(tz).date() - timedelta(days=1)
    last = until.astimezone(tz).date() + timedelta(days=1)
    found: list[datetime] = []
    while day <= last:
        step = step_on(steps, day)
        if step is not None and step.meets(day):
            for at in step.regimen.times:
                moment = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
                if since <= moment < until:
                    found.append(moment)
        day += timedelta(days=1)
    return found


def nearest(moment: datetime, scheduled: list[datetime], gap: timedelta | None = None) -> int | None:
    """The index of the occurrence a moment belongs to: the nearest, within half the gap to its neighbours.

    Beyond the first or the last occurrence, `gap` (the regimen's usual gap, see `usual_gap`) stands in
    for the missing neighbour, so a dose a week before a daily schedule began belongs to no occurrence.
    """
    if not scheduled:
        return None
    i = bisect.bisect_left(scheduled, moment)
    candidates = [k for k in (i - 1, i) if 0 <= k < len(scheduled)]
    k = min(candidates, key=lambda k: abs(scheduled[k] - moment))
    side = k + 1 if moment > scheduled[k] else k - 1
    if 0 <= side < len(scheduled):
        reach = abs(scheduled[side] - scheduled[k])
    elif gap is not None:
        reach = gap
    else:
        other = k - 1 if moment > scheduled[k] else k + 1
        if not 0 <= other < len(scheduled):
            return k  # a single occurrence and no gap to go by: everything belongs to it
        reach = abs(scheduled[other] - scheduled[k])
    return k if abs(moment - scheduled[k]) <= reach / 2 else None


def usual_gap(steps: list[Step]) -> timedelta:
    """The shortest usual time between two doses over the steps (a day for 'daily at 08:00')."""
    gaps = []
    for step in steps:
        regimen, times = step.regimen, max(1, len(step.regimen.times))
        if regimen.pattern is Pattern.WEEKLY:
            gaps.append(timedelta(days=7) / max(1, len(regimen.weekdays)))
        elif regimen.pattern is Pattern.EVERY:
            gaps.append(timedelta(days=regimen.every_days))
        elif regimen.pattern is Pattern.DAILY:
            gaps.append(timedelta(days=1) / times)
    return min(gaps, default=timedelta(days=1))


class State(StrEnum):
    """Where a medicine stands now."""

    TAKEN = "taken"
    SKIPPED = "skipped"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"
    AS_NEEDED = "as_needed"


@dataclass(frozen=True)
class Dosing:
    """A dose's time and status, as the regimen rules read it."""

    at: datetime
    taken: bool
    extra: bool = False


@dataclass
class Now:
    """One medicine's state now: the occurrence that matters, and the dose that met it."""

    state: State
    due_at: datetime | None = None
    taken_at: datetime | None = None
    next_at: datetime | None = None
    missed_at: datetime | None = None


def _span(steps: list[Step]) -> timedelta:
    """How far around a moment to lay out occurrences so that its neighbours on both sides are among them."""
    longest = max((7 if s.regimen.pattern is Pattern.WEEKLY else s.regimen.every_days for s in steps), default=1)
    return timedelta(days=3 * longest + 2)


def state_now(steps: list[Step], doses: list[Dosing], *, now: datetime, zone: str) -> Now:
    """Taken, skipped, due later today, overdue, or not due (with the next time), for a scheduled medicine."""
    tz = ZoneInfo(zone)
    step = step_on(steps, now.astimezone(tz).date())
    if step is not None and step.regimen.as_needed:
        taken = [d.at for d in doses if d.taken and d.at <= now]
        return Now(State.AS_NEEDED, taken_at=max(taken) if taken else None)
    span = _span(steps)
    scheduled = occurrences(steps, zone=zone, since=now - span, until=now + span)
    if not scheduled:
        return Now(State.NOT_DUE)
    gap = usual_gap(steps)
    met: dict[int, Dosing] = {}
    for dose in sorted((d for d in doses if abs(d.at - now) < span), key=lambda d: d.at):
        k = nearest(dose.at, scheduled, gap)
        if k is not None and (k not in met or (dose.taken and not met[k].taken)):
            met[k] = dose
    current = nearest(now, scheduled, gap)
    i = bisect.bisect_right(scheduled, now)
    previous, upcoming = (i - 1 if i > 0 else None), (i if i < len(scheduled) else None)
    if current is None:
        current = previous if previous is not None else upcoming
    assert current is not None
    due = scheduled[current]
    after = scheduled[current + 1] if current + 1 < len(scheduled) else None
    if current in met:
        dose = met[current]
        return Now(State.TAKEN if dose.taken else State.SKIPPED, due_at=due, taken_at=dose.at, next_at=after)
    if due <= now:
        if now - due <= OVERDUE_SHOWN_FOR:
            return Now(State.OVERDUE, due_at=due, next_at=after)
        following = scheduled[upcoming] if upcoming is not None else None
        return Now(State.NOT_DUE, due_at=following, next_at=following, missed_at=due)
    same_day = due.astimezone(tz).date() == now.astimezone(tz).date()
    missed = scheduled[previous] if previous is not None and previous not in met else None
    return Now(State.DUE if same_day else State.NOT_DUE, due_at=due, next_at=due, missed_at=missed)


def steps_for(med: m.Medication, schedules: Sequence[m.Schedule], recent: Sequence[m.Dose]) -> list[Step]:
    """A medicine's schedule steps; one tracked before schedules existed is daily at its usual time."""
    steps = [Step(parse_regimen(s.spec), s.starts, s.ends, s.dose) for s in schedules if s.deleted_at is None]
    if steps or not med.tracked:
        return steps
    usual = schedule.usual_time(med, recent)
    return [Step(Regimen(Pattern.DAILY, times=(usual.at,)), med.started or date(1900, 1, 1))]


def dosings(doses: Sequence[m.Dose]) -> list[Dosing]:
    """Doses as the regimen rules read them: when, and whether taken."""
    return [Dosing(d.at, taken=d.status is m.DoseStatus.TAKEN, extra=d.extra) for d in doses if d.deleted_at is None]


def coverage(steps: list[Step], doses: int, *, since: datetime, zone: str) -> tuple[date, date] | None:
    """(the local day of the first scheduled dose from `since` on, the day of the first one `doses` cannot cover).

    None for a medicine taken as needed, or a schedule that ends before the doses run out.
    """
    tz = ZoneInfo(zone)
    step = step_on(steps, since.astimezone(tz).date())
    if step is not None and step.regimen.as_needed:
        return None
    ahead = usual_gap(steps) * (doses + 1) * 2 + timedelta(days=31)
    scheduled = occurrences(steps, zone=zone, since=since, until=since + ahead)
    if len(scheduled) <= doses:
        return None
    return scheduled[0].astimezone(tz).date(), scheduled[doses].astimezone(tz).date()


# --- extra doses ------------------------------------------------------------------------


# Two doses of a scheduled medicine closer than this share of its usual gap are one and an extra
# (the journal's setting, not medical advice).
CLOSE_SHARE = 0.25


@dataclass(frozen=True)
class Refusal:
    """Why one more dose now would be an extra dose, in a sentence (the time it names is UTC)."""

    reason: str
    earlier: datetime
    # A number the journal chose that the refusal rests on, said as the journal's setting.
    setting: str = ""

    def sentence(self, when: str) -> str:
        """The reason, with the time of the dose taken (`when`, as the user reads it) and any setting."""
        return f"{self.reason} ({when}{'; ' + self.setting if self.setting else ''})"


def _step_near(steps: list[Step], day: date) -> Step | None:
    """The step in force on a local day; on a day outside them all, the step nearest to it in time."""
    found = step_on(steps, day)
    if found is not None or not steps:
        return found
    # Not covered: the day is before a step starts, or after one ends.
    return min(steps, key=lambda s: (s.starts - day) if day < s.starts else (day - (s.ends or day)))


def extra_dose(steps: list[Step], doses: list[Dosing], at: datetime, *, zone: str) -> Refusal | None:
    """Why a dose at `at` would be more than the schedule allows (its occurrence taken, or an as-needed limit).

    A dose dated outside every step (before the medicine was added, say) is held to the nearest step.
    """
    tz = ZoneInfo(zone)
    taken = sorted(d.at for d in doses if d.taken)
    step = _step_near(steps, at.astimezone(tz).date())
    if step is not None and step.regimen.as_needed:
        regimen = step.regimen
        if regimen.min_hours_apart is not None:
            close = [t for t in taken if abs(at - t) < timedelta(hours=regimen.min_hours_apart)]
            if close:
                return Refusal(f"less than {_hours(regimen.min_hours_apart)} hours after the dose taken", close[-1])
        if regimen.max_per_24h is not None:
            window = [t for t in taken if at - timedelta(hours=24) < t <= at]
            if len(window) >= regimen.max_per_24h:
                return Refusal(f"{len(window)} already taken in the 24 hours before, the last", window[-1])
        return None
    if not steps:  # no schedule: no time to take twice, no usual gap
        return None
    span = _span(steps)
    scheduled = occurrences(steps, zone=zone, since=at - span, until=at + span)
    gap = usual_gap(steps)
    k = nearest(at, scheduled, gap)
    if k is not None:
        for t in (t for t in taken if abs(t - at) < span):
            if nearest(t, scheduled, gap) == k:
                return Refusal("the dose for that time was already taken", t)
    # Doses this close count as one whatever time each is nearest to: 19:59 and 20:00 on a daily 08:00
    # fall either side of the middle between two scheduled times, and outside the schedule there is none.
    close = [t for t in taken if abs(t - at) < gap * CLOSE_SHARE]
    if not close:
        return None
    near = min(close, key=lambda t: abs(t - at))
    within = _duration(gap * CLOSE_SHARE)
    return Refusal(
        f"a dose was already taken less than {within} {'before' if near <= at else 'after'}",
        near,
        setting=f"{within} is the journal's setting, a quarter of the usual time between doses",
    )


def as_needed_allowed_from(regimen: Regimen, doses: list[Dosing], *, now: datetime) -> datetime | None:
    """When the next as-needed dose is within its limits (hours apart, count per 24 hours); None if now."""
    taken = sorted(d.at for d in doses if d.taken and d.at <= now)
    earliest = now
    if regimen.min_hours_apart is not None and taken:
        earliest = max(earliest, taken[-1] + timedelta(hours=regimen.min_hours_apart))
    if regimen.max_per_24h is not None:
        window = [t for t in taken if now - timedelta(hours=24) < t]
        if len(window) >= regimen.max_per_24h:
            # The oldest of the last N must have left the 24 hours.
            earliest = max(earliest, window[len(window) - regimen.max_per_24h] + timedelta(hours=24))
    return earliest if earliest > now else None


# --- adherence --------------------------------------------------------------------------


@dataclass
class Adherence:
    """Scheduled doses from `start` to `end`: taken, skipped, missed and extra; as-needed use per week."""

    start: date
    end: date
    expected: int = 0
    taken: int = 0
    skipped: int = 0
    missed: int = 0
    extra: int = 0
    as_needed_doses: int = 0
    missed_at: list[datetime] = field(default_factory=list)
    # Stretches of scheduled doses missed one after another: (first, last), both UTC.
    missed_runs: list[tuple[datetime, datetime]] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        """Taken as a share of the scheduled doses, 0-100; None when none were scheduled."""
        return 100.0 * self.taken / self.expected if self.expected else None

    @property
    def as_needed_per_week(self) -> float | None:
        """As-needed doses per week over the period, or None when there were none."""
        days = (self.end - self.start).days + 1
        return 7.0 * self.as_needed_doses / days if self.as_needed_doses and days > 0 else None


def adherence(
    steps: list[Step], doses: list[Dosing], *, start: date, end: date, zone: str, now: datetime
) -> Adherence:
    """Each scheduled dose of local days `start`..`end` taken, skipped or missed (one not yet due is open)."""
    tz = ZoneInfo(zone)
    result = Adherence(start=start, end=end)
    since = datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    around = occurrences(steps, zone=zone, since=since - _span(steps), until=until + _span(steps))
    met: dict[int, list[Dosing]] = {}
    for dose in doses:
        if not since <= dose.at < until:
            continue
        day_step = step_on(steps, dose.at.astimezone(tz).date())
        if day_step is not None and day_step.regimen.as_needed:
            result.as_needed_doses += dose.taken
            continue
        k = nearest(dose.at, around, usual_gap(steps))
        if k is None:
            result.extra += dose.taken
        else:
            met.setdefault(k, []).append(dose)
    for k, moment in enumerate(around):
        if not since <= moment < until:
            continue
        found = met.get(k, [])
        taken = [d for d in found if d.taken]
        if taken:
            result.expected += 1
            result.taken += 1
            result.extra += len(taken) - 1
        elif found:
            result.expected += 1
            result.skipped += 1
        elif moment + OVERDUE_SHOWN_FOR < now:
            result.expected += 1
            result.missed += 1
            result.missed_at.append(moment)
            if result.missed_runs and result.missed_runs[-1][1] == around[k - 1]:
                result.missed_runs[-1] = (result.missed_runs[-1][0], moment)
            else:
                result.missed_runs.append((moment, moment))
    return result
