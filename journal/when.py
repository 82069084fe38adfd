"""Reading the times and dates people type: `08:30`, `yesterday 21:00`, `2026-11-20 08:00`."""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.errors import WhenError, WhenRangeError

# The years a journal entry can be about: a mistyped year (0226, 20026) is refused at once.
MIN_YEAR, MAX_YEAR = 1900, 2100


def _in_range(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise WhenRangeError(f"'{text}' is not between the years {MIN_YEAR} and {MAX_YEAR}")


_ZONEINFO_MARKER = "zoneinfo/"


def local_zone_name() -> str:
    """The IANA name of this machine's time zone (TZ, then /etc/localtime), else UTC.

    A TZ that names no zone is a WhenError: read as UTC without a word, it would put every dose
    at the wrong hour.
    """
    env = os.environ.get("TZ", "")
    if env.strip():
        return _tz_variable(env)
    candidates: list[str] = []
    try:
        target = str(Path("/etc/localtime").resolve())
        if _ZONEINFO_MARKER in target:
            candidates.append(target.split(_ZONEINFO_MARKER, 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    for name in candidates:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def _tz_variable(raw: str) -> str:
    name = raw.strip().lstrip(":")
    if name.startswith("/"):  # TZ=:/usr/share/zoneinfo/Europe/Paris, the POSIX form of a zone file
        with contextlib.suppress(OSError):
            target = str(Path(name).resolve())
            if _ZONEINFO_MARKER in target:
                name = target.split(_ZONEINFO_MARKER, 1)[1]
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise WhenError(
            f"TZ={raw!r} is not a time zone name such as Europe/Paris: set TZ to one, or unset it to use "
            "the system's zone"
        ) from None
    return name


_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_AGO = re.compile(r"^(\d{1,12})\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?)\s+ago$")
_TIME = re.compile(r"^(\d{1,2})(?::?(\d{2}))?\s*(am|pm)?$")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _parse_time(text: str) -> time:
    match = _TIME.match(text.strip().lower())
    if not match:
        raise WhenError(f"'{text}' is not a time of day such as 08:30")
    hour, minute, ampm = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if ampm:
        if not 1 <= hour <= 12:
            raise WhenError(f"'{text}' is not a time of day such as 08:30")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise WhenError(f"'{text}' is not a time of day such as 08:30")
    return time(hour, minute)


# A bare time this little ahead of the clock still means today (a clock a few minutes off, typing ahead).
BARE_TIME_GRACE = timedelta(minutes=5)


def parse_date(text: str, *, today: date) -> date:
    """A calendar date from ISO-8601, `today`, `yesterday`, `tomorrow` or a weekday name."""
    word = text.strip().lower()
    if word in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[word])
    if word in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS.index(word)) % 7
        return today - timedelta(days=back)
    try:
        found = date.fromisoformat(word)
    except ValueError:
        raise WhenError(f"'{text}' is not a date such as 2026-11-20, today or yesterday") from None
    _in_range(found.year, text)
    return found


def parse_when(text: str, *, now: datetime, zone: str, ahead: bool = False) -> datetime:
    """An aware UTC datetime for what the user typed, read in `zone` relative to `now`; years 1900-2100.

    A bare time of day means the latest such moment up to now (at 00:07, `23:50` is last night),
    unless `ahead` (an appointment), when it means today's.
    """
    tz = ZoneInfo(zone)
    try:
        moment = _parse_when(text, now=now, tz=tz, ahead=ahead)
        local_year = moment.astimezone(tz).year
    except OverflowError:  # `1000000 days ago`, or a date at the very end of the calendar
        raise WhenRangeError(f"'{text}' is not between the years {MIN_YEAR} and {MAX_YEAR}") from None
    _in_range(local_year, text)
    return moment


def _parse_when(text: str, *, now: datetime, tz: ZoneInfo, ahead: bool) -> datetime:
    raw = text.strip()
    word = raw.lower()
    local_now = now.astimezone(tz)
    if not word:
        raise WhenError("the time is empty; type a time such as 08:30")
    if word == "now":
        return now.astimezone(UTC).replace(microsecond=0)
    ago = _AGO.match(word)
    if ago:
        amount, unit = int(ago.group(1)), ago.group(2)[0]
        delta = {"m": timedelta(minutes=amount), "h": timedelta(hours=amount), "d": timedelta(days=amount)}[unit]
        return (now - delta).astimezone(UTC).replace(microsecond=0)
    # Full ISO-8601, with or without an offset.
    iso = raw.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", raw) else raw
    if re.match(r"^\d{4}-\d{2}-\d{2}T", iso):
        try:
            parsed = datetime.fromisoformat(iso)
        except ValueError:
            raise WhenError(f"'{text}' is not a date and time such as 2026-11-20 08:00") from None
        return _localize(parsed, tz).astimezone(UTC).replace(microsecond=0)
    parts = word.split(None, 1)
    try:
        day = parse_date(parts[0], today=local_now.date())
    except WhenRangeError:
        raise
    except WhenError:
        day = None
    if day is not None:
        moment = _parse_time(parts[1]) if len(parts) > 1 else time(0, 0)
    else:
        day, moment = local_now.date(), _parse_time(word)
        if not ahead and _localize(datetime.combine(day, moment), tz) > local_now + BARE_TIME_GRACE:
            day -= timedelta(days=1)
    return _localize(datetime.combine(day, moment), tz).astimezone(UTC)


def _localize(value: datetime, tz: ZoneInfo) -> datetime:
    """Attach the zone to a naive wall-clock time; a time skipped by a DST change moves forward."""
    if value.tzinfo is not None:
        return value
    aware = value.replace(tzinfo=tz)
    # A wall time that does not exist (spring forward) does not survive a round trip.
    round_trip = aware.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != value:
        return round_trip
    return aware


def format_local(moment: datetime, zone: str, *, with_zone: bool = False) -> str:
    """`2026-11-20 08:00` in the zone a record was made in (its abbreviation on request)."""
    local = moment.astimezone(ZoneInfo(zone))
    text = local.strftime("%Y-%m-%d %H:%M")
    return f"{text} {local.tzname()}" if with_zone else text


def format_near(moment: datetime, zone: str, *, now: datetime) -> str:
    """'today 08:00', 'yesterday 23:50', 'tomorrow 09:00', 'Friday 09:00' within a week, else '2026-11-20 08:00'."""
    tz = ZoneInfo(zone)
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    clock = local.strftime("%H:%M")
    named = {0: "today", -1: "yesterday", 1: "tomorrow"}
    if days in named:
        return f"{named[days]} {clock}"
    if 1 < days < 7:
        return f"{local.strftime('%A')} {clock}"
    return local.strftime("%Y-%m-%d %H:%M")


def format_day(day: date, *, today: date) -> str:
    """'today', 'yesterday', 'tomorrow', 'on Friday' within a week, else 'on 2026-11-20'."""
    days = (day - today).days
    named = {0: "today", -1: "yesterday", 1: "tomorrow"}
    if days in named:
        return named[days]
    if 1 < days < 7:
        return f"on {day.strftime('%A')}"
    return f"on {day.isoformat()}"


def iso_utc(moment: datetime) -> str:
    """`2026-11-20T07:00:00Z`: the moment in UTC, to the second, as the journal stores every time."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a time needs its time zone")
    u = moment.astimezone(UTC)
    # Formatted by hand: strftime("%Y") writes year 226 as "226" on Linux, which sorts wrongly.
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def now_utc() -> datetime:
    """The current moment, UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)
