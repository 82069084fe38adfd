"""A schedule as text, the way `med add --schedule` and `med schedule` take it, read into a Regimen and written back.

    daily at 08:00[,20:00...]
    weekly on mon[,thu...] at 09:00
    every 2 days at 08:00          (counted from the schedule's first day)
    as needed [max 3 per 24h] [at least 4 hours apart]

Only the grammar lives here, below the records (a Schedule's spec is checked and written back in this form when
it is made); what a regimen means for the doses is journal.care.regimen's.
"""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum

from journal.dataclass import dataclass
from journal.errors import JournalError

FORMS = (
    "daily at HH:MM[,HH:MM...]",
    "weekly on DAY[,DAY...] at HH:MM",
    "every N days at HH:MM",
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
