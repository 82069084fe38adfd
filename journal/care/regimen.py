"""Regimens: when each medicine is taken (daily, weekly, every N days, as needed), and which dose meets which time.

A regimen is written as text, the way `med add --schedule` and `med schedule` take it:

    daily at 08:00[,20:00...]
    weekly on mon[,thu...] at 09:00[,21:00...]
    weekly split fri 08:00, fri 20:00, sat 08:00   (one weekly dose taken in parts, in this order)
    every 2 days at 08:00[,20:00...]               (counted from the schedule's first day)
    cycle 21 on 7 off at 09:00[,21:00...]          (days on, then days off, from the schedule's first day)
    as needed [max 3 per 24h] [at least 4 hours apart]

(journal/schedule_spec.py holds the grammar; docs/schedules.md describes it for the user.)

The journal only follows the schedule the doctor set; it never suggests one.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

from journal import models as m
from journal.care import schedule
from journal.dataclass import dataclass
from journal.schedule_spec import Pattern, Regimen, _hours, parse_regimen

# The journal's setting, not medical advice: how long after its time a dose still shows as overdue on Today
# (after that it is counted as missed, and Today shows the next one).
OVERDUE_SHOWN_FOR = timedelta(hours=12)
# The journal's setting, not medical advice: a dose counts for a scheduled time from this share of the usual
# gap before it (see Slot), and two doses of a scheduled medicine closer than it are one and an extra.
CLOSE_SHARE = 0.25
# How far from a moment the scheduled doses whose windows can hold it lie (see Slot and extra_dose).
WINDOW_REACH = timedelta(days=2)


def more_often_than_weekly(regimen: Regimen) -> bool:
    """Whether a regimen gives doses more often than once a week: daily, every N < 7 days, as needed, weekly
    on days (or a split dose whose parts fall on days) that do not fit in two days in a row, or a cycle of more
    than two days on or shorter than a week. A weekly dose split over two days in a row is one dose a week: its
    parts are one group, and a part on a third day would be a second group in the week."""
    if regimen.pattern in (Pattern.WEEKLY, Pattern.SPLIT):
        days = set(regimen.weekdays)
        return not any(days <= {first, (first + 1) % 7} for first in range(7))
    if regimen.pattern is Pattern.EVERY:
        return regimen.every_days < 7
    if regimen.pattern is Pattern.CYCLE:
        return regimen.days_on > 2 or regimen.days_on + regimen.days_off < 7
    return True


def _duration(span: timedelta) -> str:
    """'12 hours', '3.5 days': a gap between doses in words."""
    hours = span.total_seconds() / 3600
    if hours < 48:
        return f"{_hours(round(hours, 1))} hours"
    return f"{_hours(round(hours / 24, 1))} days"


# --- occurrences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A regimen in force from `starts` (a local day) until `ends` (inclusive, or open)."""

    regimen: Regimen
    starts: date
    ends: date | None = None
    dose: str | None = None
    # The medicine stops after this step's last day (a taper's end): no step is in force after it.
    then_stop: bool = False

    def covers(self, day: date) -> bool:
        """Whether the step is in force on a local day."""
        return self.starts <= day and (self.ends is None or day <= self.ends)

    def meets(self, day: date) -> bool:
        """Whether a dose is scheduled on a local day."""
        if not self.covers(day) or self.regimen.as_needed:
            return False
        if self.regimen.pattern is Pattern.WEEKLY:
            return day.weekday() in self.regimen.weekdays
        if self.regimen.pattern is Pattern.SPLIT:
            return day.weekday() in self.regimen.weekdays
        if self.regimen.pattern is Pattern.EVERY:
            return (day - self.starts).days % self.regimen.every_days == 0
        if self.regimen.pattern is Pattern.CYCLE:
            return (day - self.starts).days % (self.regimen.days_on + self.regimen.days_off) < self.regimen.days_on
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
    return [slot.at for slot in slots(steps, zone=zone, since=since, until=until)]


@dataclass(frozen=True)
class Slot:
    """One scheduled dose: when it is due, and the window in which a dose taken counts for it (UTC).

    The window opens a quarter of the usual gap before the time (CLOSE_SHARE, the journal's setting), but
    never on a local day on which the schedule has no dose, and it closes when the time has been overdue
    for OVERDUE_SHOWN_FOR or at the end of its local day, whichever is later: a late dose on the same day
    counts for that day. A dose outside every window is an extra dose.
    """

    at: datetime
    opens: datetime
    closes: datetime
    # For a weekly split dose: which part this is (1, 2, ...) of how many; 0 of 0 for any other schedule.
    part: int = 0
    parts: int = 0

    def holds(self, moment: datetime) -> bool:
        """Whether a dose at `moment` counts for this scheduled dose."""
        return self.opens <= moment < self.closes


def _gap(regimen: Regimen) -> timedelta:
    """The usual time between two doses of one regimen (a day for 'daily at 08:00', 12 hours for two times; for
    a split dose, the shortest time between two of its parts)."""
    within_day = timedelta(days=1) / max(1, len(regimen.times))
    several = len(regimen.times) > 1  # several times on a day: the day's doses are the nearest to each other
    if regimen.pattern is Pattern.SPLIT:
        first = regimen.parts[0][0]
        minutes = [((d - first) % 7) * 1440 + t.hour * 60 + t.minute for d, t in regimen.parts]
        return timedelta(
            minutes=min(b - a for a, b in zip(minutes, [*minutes[1:], minutes[0] + 7 * 1440], strict=True))
        )
    if regimen.pattern is Pattern.WEEKLY:
        return within_day if several else timedelta(days=7) / max(1, len(regimen.weekdays))
    if regimen.pattern is Pattern.EVERY:
        return within_day if several else timedelta(days=regimen.every_days)
    return within_day


def _longest_days(regimen: Regimen) -> int:
    """The most days from one dose of a regimen to the next (a week for a weekly one, a cycle's days off + 1)."""
    if regimen.pattern in (Pattern.WEEKLY, Pattern.SPLIT):
        return 7
    if regimen.pattern is Pattern.CYCLE:
        return regimen.days_off + 1
    return regimen.every_days


def _cycle_days(regimen: Regimen) -> int:
    """The days after which a regimen counted from its first day repeats (1 for one that is not counted)."""
    if regimen.pattern is Pattern.EVERY:
        return regimen.every_days
    if regimen.pattern is Pattern.CYCLE:
        return regimen.days_on + regimen.days_off
    return 1


def slots(steps: list[Step], *, zone: str, since: datetime, until: datetime) -> list[Slot]:
    """The doses scheduled in [since, until), oldest first, each with its window."""
    tz = ZoneInfo(zone)
    day = since.astimezone(tz).date() - timedelta(days=1)
    last = until.astimezone(tz).date() + timedelta(days=1)
    found: list[Slot] = []
    while day <= last:
        step = step_on(steps, day)
        if step is not None and step.meets(day):
            before = step_on(steps, day - timedelta(days=1))
            dose_the_day_before = before is not None and before.meets(day - timedelta(days=1))
            start_of_day = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
            end_of_day = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
            early = _gap(step.regimen) * CLOSE_SHARE
            parts = len(step.regimen.parts)
            for at in step.regimen.times_on(day.weekday()):
                moment = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
                if since <= moment < until:
                    opens = moment - early if dose_the_day_before else max(moment - early, start_of_day)
                    closes = max(moment + OVERDUE_SHOWN_FOR, end_of_day)
                    found.append(Slot(moment, opens, closes, step.regimen.part(day.weekday(), at), parts))
        day += timedelta(days=1)
    return found


def belongs(moment: datetime, scheduled: Sequence[Slot]) -> int | None:
    """The index of the scheduled dose a dose at `moment` counts for: of the windows that hold it, the
    nearest time (the earlier on a tie); None outside every window."""
    return belongs_each([moment], scheduled)[0]


def belongs_each(moments: Sequence[datetime], scheduled: Sequence[Slot]) -> list[int | None]:
    """`belongs` for each of `moments`: the scheduled doses (oldest first, as `slots` gives them) are
    searched by time, so ten years of doses are not each held against ten years of windows."""
    if not scheduled:
        return [None] * len(moments)
    times = [slot.at for slot in scheduled]
    # A window holding a moment belongs to a dose due at most `before` after it, or `after` before it.
    before = max(slot.at - slot.opens for slot in scheduled)
    after = max(slot.closes - slot.at for slot in scheduled)
    ordered = all(a <= b for a, b in pairwise(times))
    found: list[int | None] = []
    for moment in moments:
        near = (
            range(bisect.bisect_left(times, moment - after), bisect.bisect_right(times, moment + before))
            if ordered
            else range(len(scheduled))
        )
        held = [k for k in near if scheduled[k].holds(moment)]
        found.append(min(held, key=lambda k: (abs(scheduled[k].at - moment), k), default=None))
    return found


def part_due(steps: list[Step], at: datetime, *, zone: str) -> tuple[int, int] | None:
    """(part, parts) of the weekly split dose due at `at` ((2, 3): dose 2 of 3); None for any other dose."""
    for slot in slots(steps, zone=zone, since=at, until=at + timedelta(minutes=1)):
        if slot.at == at and slot.parts:
            return slot.part, slot.parts
    return None


def usual_gap(steps: list[Step]) -> timedelta:
    """The shortest usual time between two doses over the steps (a day for 'daily at 08:00')."""
    return min((_gap(s.regimen) for s in steps if not s.regimen.as_needed), default=timedelta(days=1))


class State(StrEnum):
    """Where a medicine stands now."""

    TAKEN = "taken"
    SKIPPED = "skipped"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"
    AS_NEEDED = "as_needed"
    PAUSED = "paused"


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


def reach(steps: list[Step]) -> timedelta:
    """How far around a moment to lay out occurrences so that its neighbours on both sides are among them (and
    the doses that decide whether a dose then is an extra one)."""
    longest = max((_longest_days(s.regimen) for s in steps), default=1)
    return timedelta(days=3 * longest + 2)


def _met(scheduled: Sequence[Slot], doses: Sequence[Dosing]) -> dict[int, Dosing]:
    """The dose that met each scheduled dose (a taken one over a skip), by index."""
    met: dict[int, Dosing] = {}
    for dose in sorted(doses, key=lambda d: d.at):
        k = belongs(dose.at, scheduled)
        if k is not None and (k not in met or (dose.taken and not met[k].taken)):
            met[k] = dose
    return met


def state_now(
    steps: list[Step], doses: list[Dosing], *, now: datetime, zone: str, paused_since: datetime | None = None
) -> Now:
    """Taken, skipped, due later today, overdue, not due (with the next time), as needed, or paused."""
    if paused_since is not None and paused_since <= now:
        return Now(State.PAUSED)
    tz = ZoneInfo(zone)
    step = step_on(steps, now.astimezone(tz).date())
    if step is not None and step.regimen.as_needed:
        taken = [d.at for d in doses if d.taken and d.at <= now]
        return Now(State.AS_NEEDED, taken_at=max(taken) if taken else None)
    span = reach(steps)
    scheduled = slots(steps, zone=zone, since=now - span, until=now + span)
    if not scheduled:
        return Now(State.NOT_DUE)
    met = _met(scheduled, [d for d in doses if abs(d.at - now) < span])
    i = bisect.bisect_right([slot.at for slot in scheduled], now)
    previous, upcoming = (i - 1 if i > 0 else None), (i if i < len(scheduled) else None)
    following = scheduled[upcoming].at if upcoming is not None else None
    current = belongs(now, scheduled)
    if current is not None:
        due = scheduled[current].at
        after = scheduled[current + 1].at if current + 1 < len(scheduled) else None
        if current in met:
            dose = met[current]
            return Now(State.TAKEN if dose.taken else State.SKIPPED, due_at=due, taken_at=dose.at, next_at=after)
        if due <= now:
            if now - due <= OVERDUE_SHOWN_FOR:
                return Now(State.OVERDUE, due_at=due, next_at=after)
            # Too late to show as overdue: missed, though a dose taken still counts for it until its window closes.
            return Now(State.NOT_DUE, due_at=following, next_at=following, missed_at=due)
        before = current - 1
        missed = scheduled[before].at if before >= 0 and before not in met and scheduled[before].closes <= now else None
        return Now(State.DUE, due_at=due, next_at=due, missed_at=missed)
    missed = scheduled[previous].at if previous is not None and previous not in met else None
    if following is None:
        return Now(State.NOT_DUE, missed_at=missed)
    same_day = following.astimezone(tz).date() == now.astimezone(tz).date()
    return Now(State.DUE if same_day else State.NOT_DUE, due_at=following, next_at=following, missed_at=missed)


def steps_for(med: m.Medication, schedules: Sequence[m.Schedule], recent: Sequence[m.Dose]) -> list[Step]:
    """A medicine's schedule steps; one tracked before schedules existed is daily at its usual time."""
    steps = [
        Step(parse_regimen(s.spec), s.starts, s.ends, s.dose, s.then_stop) for s in schedules if s.deleted_at is None
    ]
    if steps or not med.tracked:
        return last_day_held(steps)
    usual = schedule.usual_time(med, recent)
    return [Step(Regimen(Pattern.DAILY, times=(usual.at,)), med.started or date(1900, 1, 1))]


def last_day(steps: Sequence[Step]) -> date | None:
    """The last day any dose is due: the end of the first step that stops the medicine after it, if one does."""
    return min((s.ends for s in steps if s.then_stop and s.ends is not None), default=None)


def last_day_held(steps: list[Step]) -> list[Step]:
    """The steps, none in force after the last day a step that stops the medicine sets (a taper that ends does
    not fall back to the schedule before it)."""
    stop = last_day(steps)
    if stop is None:
        return steps
    return [
        s if s.ends is not None and s.ends <= stop else Step(s.regimen, s.starts, stop, s.dose, s.then_stop)
        for s in steps
        if s.starts <= stop
    ]


def amount_at(steps: list[Step], at: datetime, *, zone: str) -> str | None:
    """The dose amount ('20 mg') of the step a dose at `at` falls under: the step of the scheduled dose it counts
    for (a late dose after midnight is the day before's), else the step in force on its local day; None when that
    step names no amount."""
    if not steps:
        return None
    scheduled = slots(steps, zone=zone, since=at - WINDOW_REACH, until=at + WINDOW_REACH)
    k = belongs(at, scheduled)
    moment = scheduled[k].at if k is not None else at
    step = step_on(steps, moment.astimezone(ZoneInfo(zone)).date())
    return step.dose if step is not None else None


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


class RefusalKind(StrEnum):
    """Why one more dose would be an extra dose."""

    TAKEN = "taken"  # the scheduled dose it counts for was already taken
    CLOSE = "close"  # a dose was taken less than a quarter of the usual gap before or after
    LIMIT = "limit"  # an as-needed limit (hours apart, most in 24 hours)
    NOTHING_DUE = "nothing_due"  # a day on which the schedule has no dose
    OUTSIDE = "outside"  # a day with a scheduled dose, but outside its window
    PAUSED = "paused"  # the medicine is paused (a suspected allergic reaction)


@dataclass(frozen=True)
class Refusal:
    """Why one more dose at a moment would be an extra dose, with what the sentence names (times in UTC)."""

    kind: RefusalKind
    reason: str
    # The dose taken that the refusal rests on (TAKEN, CLOSE, LIMIT).
    earlier: datetime | None = None
    # The schedule in words and the local day of the dose refused (NOTHING_DUE, OUTSIDE).
    schedule: str = ""
    day: date | None = None
    # The scheduled dose whose window the dose missed (OUTSIDE).
    slot: Slot | None = None
    # A number the journal chose that the refusal rests on, said as the journal's setting.
    setting: str = ""

    def sentence(self, when: str) -> str:
        """The reason, with `when` (the earlier dose, the day or the dose refused, as the user reads it) and any
        setting; a reason that names the schedule or the pause begins with its verb, for the medicine's name."""
        if self.kind in (RefusalKind.NOTHING_DUE, RefusalKind.OUTSIDE, RefusalKind.PAUSED):
            return f"{self.reason.format(when=when)}{' (' + self.setting + ')' if self.setting else ''}"
        return f"{self.reason} ({when}{'; ' + self.setting if self.setting else ''})"


def _step_near(steps: list[Step], day: date) -> Step | None:
    """The step in force on a local day; on a day outside them all, the step nearest to it in time."""
    found = step_on(steps, day)
    if found is not None or not steps:
        return found
    # Not covered: the day is before a step starts, or after one ends.
    return min(steps, key=lambda s: (s.starts - day) if day < s.starts else (day - (s.ends or day)))


def _held_back(steps: list[Step], day: date) -> list[Step]:
    """The steps, the first one reaching back over `day` when it is before the schedule began (a medicine added
    today, and yesterday's dose typed in): that dose is held to the first step, not called an extra one."""
    first = min(steps, key=lambda s: s.starts)
    if day >= first.starts:
        return steps
    cycle = _cycle_days(first.regimen)
    # Back by whole cycles, so that an every-N-days schedule keeps its days.
    cycles = -(-((first.starts - day).days + 8) // cycle)
    back = first.starts - timedelta(days=cycle * cycles)
    return [Step(first.regimen, back, first.starts - timedelta(days=1), first.dose), *steps]


def extra_dose(
    steps: list[Step], doses: list[Dosing], at: datetime, *, zone: str, paused_since: datetime | None = None
) -> Refusal | None:
    """Why a dose at `at` would be more than the schedule allows; None when it is an ordinary dose.

    Refused: any dose while the medicine is paused; a dose for a scheduled time already taken; one closer
    than a quarter of the usual gap to a dose taken; one on a day the schedule has no dose, or outside the
    window of the day's scheduled dose (see Slot); an as-needed dose past its limits. A dose dated outside
    every step (before the medicine was added, say) is held to the nearest step.
    """
    if paused_since is not None and paused_since <= at:
        return Refusal(RefusalKind.PAUSED, "is paused since {when}", earlier=paused_since)
    tz = ZoneInfo(zone)
    taken = sorted(d.at for d in doses if d.taken)
    day = at.astimezone(tz).date()
    step = _step_near(steps, day)
    if step is not None and step.regimen.as_needed:
        regimen = step.regimen
        if regimen.min_hours_apart is not None:
            close = [t for t in taken if abs(at - t) < timedelta(hours=regimen.min_hours_apart)]
            if close:
                hours = _hours(regimen.min_hours_apart)
                return Refusal(RefusalKind.LIMIT, f"less than {hours} hours after the dose taken", close[-1])
        if regimen.max_per_24h is not None:
            window = [t for t in taken if at - timedelta(hours=24) < t <= at]
            if len(window) >= regimen.max_per_24h:
                reason = f"{len(window)} already taken in the 24 hours before, the last"
                return Refusal(RefusalKind.LIMIT, reason, window[-1])
        return None
    if step is None:  # no schedule: no time to take twice, no usual gap
        return None
    steps = _held_back(steps, day)
    span = reach(steps)
    # A window opens less than a day before its time (it never reaches into a day with no dose) and closes at most
    # a day after it: the scheduled doses within two days hold every window that can hold `at`.
    scheduled = slots(steps, zone=zone, since=at - WINDOW_REACH, until=at + WINDOW_REACH)
    gap = usual_gap(steps)
    k = belongs(at, scheduled)
    if k is not None:
        for t in (t for t in taken if abs(t - at) < span):
            if belongs(t, scheduled) == k:
                return Refusal(RefusalKind.TAKEN, "the dose for that time was already taken", t)
    # Doses this close count as one whatever time each counts for: where two windows meet, or outside them.
    close = [t for t in taken if abs(t - at) < gap * CLOSE_SHARE]
    if close:
        near = min(close, key=lambda t: abs(t - at))
        within = _duration(gap * CLOSE_SHARE)
        return Refusal(
            RefusalKind.CLOSE,
            f"a dose was already taken less than {within} {'before' if near <= at else 'after'}",
            near,
            setting=f"{within} is the journal's setting, a quarter of the usual time between doses",
        )
    if k is not None:
        return None
    words = step.regimen.words()
    same_day = [slot for slot in scheduled if slot.at.astimezone(tz).date() == day]
    if not same_day:
        return Refusal(
            RefusalKind.NOTHING_DUE, f"is taken {words}, and nothing is due {{when}}", schedule=words, day=day
        )
    # Within a day that has a scheduled dose, a window closes no earlier than the day ends: the dose is early.
    slot = min(same_day, key=lambda s: abs(s.at - at))
    due, opens = (t.astimezone(tz).strftime("%H:%M") for t in (slot.at, slot.opens))
    return Refusal(
        RefusalKind.OUTSIDE,
        f"is taken {words}, and {{when}} is too early to count as the dose due at {due}",
        schedule=words,
        day=day,
        slot=slot,
        setting=f"a dose counts for it from {opens}: the journal's setting, a quarter of the usual time between doses",
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


def limit_breaks(steps: list[Step], doses: Sequence[Dosing], *, zone: str) -> list[datetime]:
    """The as-needed doses taken past a limit of their day's step (closer than its hours apart to the dose taken
    before, or beyond its most in the 24 hours before them), oldest first: each was an extra dose on purpose."""
    tz = ZoneInfo(zone)
    taken = sorted(d.at for d in doses if d.taken)
    found: list[datetime] = []
    for i, at in enumerate(taken):
        step = step_on(steps, at.astimezone(tz).date())
        if step is None or not step.regimen.as_needed:
            continue
        plan = step.regimen
        too_close = (
            plan.min_hours_apart is not None and i > 0 and at - taken[i - 1] < timedelta(hours=plan.min_hours_apart)
        )
        within = i - bisect.bisect_right(taken, at - timedelta(hours=24), hi=i)
        too_many = plan.max_per_24h is not None and within >= plan.max_per_24h
        if too_close or too_many:
            found.append(at)
    return found


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
    # As-needed doses taken past a limit (see limit_breaks).
    above_limit: int = 0
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


def adherence(steps: list[Step], doses: list[Dosing], *, start: date, end: date, zone: str, now: datetime) -> Adherence:
    """Each scheduled dose of local days `start`..`end` taken, skipped or missed (one not yet due is open).

    Days before the first step (a medicine started before it was typed in, its doses back-dated) are held to the
    first step, as extra_dose holds such a dose.
    """
    tz = ZoneInfo(zone)
    if steps:
        steps = _held_back(steps, start)
    result = Adherence(start=start, end=end)
    since = datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    around = slots(steps, zone=zone, since=since - reach(steps), until=until + reach(steps))
    met: dict[int, list[Dosing]] = {}
    scheduled_doses: list[Dosing] = []
    for dose in doses:
        if not since <= dose.at < until:
            continue
        day_step = step_on(steps, dose.at.astimezone(tz).date())
        if day_step is not None and day_step.regimen.as_needed:
            result.as_needed_doses += dose.taken
            continue
        scheduled_doses.append(dose)
    for dose, k in zip(scheduled_doses, belongs_each([d.at for d in scheduled_doses], around), strict=True):
        if k is None:
            result.extra += dose.taken
        else:
            met.setdefault(k, []).append(dose)
    breaks = limit_breaks(steps, [d for d in doses if d.at < until], zone=zone)
    result.above_limit = sum(since <= at < until for at in breaks)
    for k, slot in enumerate(around):
        moment = slot.at
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
        elif slot.closes <= now:
            result.expected += 1
            result.missed += 1
            result.missed_at.append(moment)
            if result.missed_runs and result.missed_runs[-1][1] == around[k - 1].at:
                result.missed_runs[-1] = (result.missed_runs[-1][0], moment)
            else:
                result.missed_runs.append((moment, moment))
    return result
