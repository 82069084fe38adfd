"""A schedule as text, the way `med add --schedule` and `med schedule` take it, read into a Regimen and written back.

    daily at 08:00[,20:00...]
    weekly on mon[,thu...] at 09:00[,21:00...]
    weekly split fri 08:00, fri 20:00, sat 08:00   (one weekly dose taken in parts, in this order)
    every 2 days at 08:00[,20:00...]               (counted from the schedule's first day)
    cycle 21 on 7 off at 09:00[,21:00...]          (days on, then days off, from the schedule's first day)
    as needed [max 3 per 24h] [at least 4 hours apart]

Only the grammar lives here, below the records (a Schedule's spec is checked and written back in this form when
it is made); what a regimen means for the doses is journal.care.regimen's.
"""

from __future__ import annotations

import itertools
import re
from datetime import time
from enum import StrEnum

from journal.dataclass import dataclass
from journal.errors import JournalError

FORMS = (
    "daily at HH:MM[,HH:MM...]",
    "weekly on DAY[,DAY...] at HH:MM[,HH:MM...]",
    "weekly split DAY HH:MM, DAY HH:MM[, DAY HH:MM...]",
    "every N days at HH:MM[,HH:MM...]",
    "cycle N on M off at HH:MM[,HH:MM...]",
    "as needed [max N per 24h] [at least H hours apart]",
)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ScheduleError(JournalError):
    """A schedule that cannot be read as typed."""

    def __init__(self, text: str, why: str) -> None:
        super().__init__(f"{text!r} is not a schedule ({why}); use one of: {'; '.join(FORMS)}.")


class Pattern(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    EVERY = "every"
    SPLIT = "weekly split"
    CYCLE = "cycle"
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
    # A weekly split dose: its parts (day, time) in the order they are taken; `weekdays` and `times` then hold
    # the days it falls on and the parts' times in that order.
    parts: tuple[tuple[int, time], ...] = ()
    # A cycle: days on (a dose at each time), then days off, from the schedule's first day.
    days_on: int = 0
    days_off: int = 0

    def times_on(self, weekday: int) -> tuple[time, ...]:
        """The times of the doses on a day of the week the regimen meets (a split dose's parts on that day)."""
        if self.pattern is Pattern.SPLIT:
            return tuple(at for day, at in self.parts if day == weekday)
        return self.times

    def part(self, weekday: int, at: time) -> int:
        """Which part (1, 2, ...) of a split dose falls on that day at that time; 0 for any other regimen."""
        return self.parts.index((weekday, at)) + 1 if (weekday, at) in self.parts else 0

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
        if self.pattern is Pattern.SPLIT:
            return "weekly split " + ", ".join(f"{DAYS[d][:3]} {t.strftime('%H:%M')}" for d, t in self.parts)
        if self.pattern is Pattern.CYCLE:
            return f"cycle {self.days_on} on {self.days_off} off at {at}"
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
        if self.pattern is Pattern.SPLIT:
            each = [f"{DAYS[d].capitalize()} {t.strftime('%H:%M')}" for d, t in self.parts]
            return f"weekly, split in {len(each)} doses: {', '.join(each[:-1])} and {each[-1]}"
        if self.pattern is Pattern.CYCLE:
            return f"in cycles of {_days(self.days_on)} on and {_days(self.days_off)} off, at {at}"
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


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


_TIME = r"(\d{1,2}:\d{2})"
_TIMES = rf"({_TIME}(?:\s*,\s*{_TIME})*)"
_DAILY = re.compile(rf"^daily at {_TIMES}$")
_WEEKLY = re.compile(rf"^weekly on ([a-z]+(?:\s*,\s*[a-z]+)*) at {_TIMES}$")
_SPLIT = re.compile(r"^weekly split (?:dose )?(.+)$")
_PART = re.compile(rf"^([a-z]+)\s+(?:at\s+)?{_TIME}$")
_EVERY = re.compile(rf"^every (\d+) days? at {_TIMES}$")
_CYCLE = re.compile(rf"^cycle (\d+) (?:days? )?on,? (\d+) (?:days? )?off at {_TIMES}$")
# How each form begins, its name and an example: a schedule that begins like one is told how that one is written.
_EXAMPLES = (
    ("daily", "a daily schedule", "daily at 08:00,20:00"),
    ("weekly split", "a weekly split dose", "weekly split fri 08:00, fri 20:00, sat 08:00"),
    ("weekly", "a weekly schedule", "weekly on mon,thu at 09:00"),
    ("every", "a schedule every N days", "every 3 days at 09:00"),
    ("cycle", "a cycle", "cycle 21 on 7 off at 09:00"),
    ("as needed", "a schedule as needed", "as needed max 3 per 24h at least 4 hours apart"),
)
# The longest cycle, on and off days alike: a year.
MOST_DAYS = 366
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


def _clocks(texts: str, spec: str) -> tuple[time, ...]:
    """The times of a comma-separated list, in order, each once."""
    return tuple(sorted({_clock(t, spec) for t in texts.split(",")}))


def _split(parts_text: str, spec: str) -> Regimen:
    """A weekly split dose: two or more parts, each a day and a time, each after the one before within the week."""
    parts: list[tuple[int, time]] = []
    for piece in parts_text.split(","):
        found = _PART.match(piece.strip())
        if found is None:
            raise ScheduleError(spec, f"{piece.strip()!r} is not a part such as 'fri 08:00'")
        parts.append((_weekday(found.group(1), spec), _clock(found.group(2), spec)))
    if len(parts) < 2:
        raise ScheduleError(spec, "a split dose has two parts or more, such as 'fri 08:00, fri 20:00'")
    first = parts[0][0]

    def minute_of_week(part: tuple[int, time]) -> int:
        return ((part[0] - first) % 7) * 1440 + part[1].hour * 60 + part[1].minute

    offsets = [minute_of_week(part) for part in parts]
    if any(later <= earlier for earlier, later in itertools.pairwise(offsets)):
        raise ScheduleError(spec, "each part must come after the one before it, within one week")
    days = tuple(sorted({day for day, _ in parts}))
    return Regimen(Pattern.SPLIT, times=tuple(at for _, at in parts), weekdays=days, parts=tuple(parts))


def parse_regimen(text: str) -> Regimen:
    """A regimen from its text, in any case; ScheduleError, listing the accepted forms, otherwise."""
    spec = " ".join(text.lower().split())
    if found := _DAILY.match(spec):
        return Regimen(Pattern.DAILY, times=_clocks(found.group(1), text))
    if found := _WEEKLY.match(spec):
        days = sorted({_weekday(d, text) for d in found.group(1).split(",")})
        return Regimen(Pattern.WEEKLY, times=_clocks(found.group(2), text), weekdays=tuple(days))
    if found := _SPLIT.match(spec):
        return _split(found.group(1), text)
    if found := _EVERY.match(spec):
        n = int(found.group(1))
        if not 1 <= n <= MOST_DAYS:
            raise ScheduleError(text, f"the days between doses must be 1 to {MOST_DAYS}")
        return Regimen(Pattern.EVERY, times=_clocks(found.group(2), text), every_days=n)
    if found := _CYCLE.match(spec):
        on, off = int(found.group(1)), int(found.group(2))
        if not (1 <= on <= MOST_DAYS and 1 <= off <= MOST_DAYS):
            raise ScheduleError(text, f"the days on and the days off must each be 1 to {MOST_DAYS}")
        return Regimen(Pattern.CYCLE, times=_clocks(found.group(3), text), days_on=on, days_off=off)
    if found := _AS_NEEDED.match(spec):
        most = int(found.group(1)) if found.group(1) else None
        apart = float(found.group(2)) if found.group(2) else None
        if most is not None and not 1 <= most <= 48:
            raise ScheduleError(text, "the most per 24 hours must be 1 to 48")
        if apart is not None and not 0 < apart <= 168:
            raise ScheduleError(text, "the hours apart must be more than 0 and at most 168")
        return Regimen(Pattern.AS_NEEDED, max_per_24h=most, min_hours_apart=apart)
    for start, name, example in _EXAMPLES:
        if spec.startswith(start):
            raise ScheduleError(text, f"{name} is written like '{example}'")
    raise ScheduleError(text, "its form is not known")
