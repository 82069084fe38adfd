"""MedTimer's JSON backup (Android app): medicines with their reminders, and the events (doses taken or skipped).

A full backup is `{"medicines": {"version", "list"}, "events": {"version", "list"}, ...}`, each part there only if
the user chose it; an export of medicines alone is `{"version", "list"}`. Older files have fewer keys: every field
may be missing. Times are seconds since 1970 in UTC; reminders' times are minutes after local midnight.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time
from typing import Any

from journal.importers import ImportFileError, Intake, Left, Medicine, Parsed, name_key, row_hash

# The backup versions this reader knows (MedTimer's own files up to version 9); another is refused, as MedTimer
# refuses a version it does not know.
VERSIONS = range(1, 10)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A reminder's second and later doses carry a suffix in the event's name: "Omega 3 (1/2)".
_SUFFIX = re.compile(r"\s*\(\d+/\d+\)$")
# Seconds since 1970 the journal can hold: 1900 to 2100.
_EARLIEST, _LATEST = -2_208_988_800, 4_102_444_800
_STATUS_LEFT = {
    "RAISED": "a reminder never answered in MedTimer (neither taken nor skipped)",
    "ACKNOWLEDGED": "a reminder acknowledged in MedTimer, neither taken nor skipped",
    "DELETED": "deleted in MedTimer",
}


def parse(text: str, *, name: str) -> Parsed:
    """A MedTimer backup's medicines and events; ImportFileError (naming the file `name`) when it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{name} is not a readable MedTimer backup: its JSON is broken or cut short "
            f"at line {exc.lineno}, column {exc.colno} ({exc.msg})."
        ) from None
    if not isinstance(data, dict):
        raise ImportFileError(f"{name} is not a MedTimer backup: it holds no medicines or events.")
    parsed = Parsed(format="medtimer")
    if "list" in data:  # an export of medicines alone
        medicines: Any = _part(data, name, "medicines")
        events: Any = []
    elif "medicines" in data or "events" in data:
        medicines = _part(data["medicines"], name, "medicines") if "medicines" in data else []
        events = _part(data["events"], name, "events") if "events" in data else []
    else:
        raise ImportFileError(f"{name} is not a MedTimer backup: it holds no medicines or events.")
    for entry in medicines:
        _medicine(entry, parsed)
    known = {name_key(m.name) for m in parsed.medicines}
    for entry in events:
        _event(entry, parsed, known)
    return parsed


def _part(part: Any, name: str, what: str) -> list[Any]:
    if not isinstance(part, dict):
        raise ImportFileError(f"{name} is not a MedTimer backup: its {what} are not a versioned list.")
    version = part.get("version")
    if type(version) is not int or version not in VERSIONS:
        raise ImportFileError(
            f"{name} is a MedTimer backup of version {version!r}, which this import does not know "
            f"(it reads versions {VERSIONS.start} to {VERSIONS.stop - 1})."
        )
    items = part.get("list")
    if items is None:
        return []
    if not isinstance(items, list):
        raise ImportFileError(f"{name} is not a MedTimer backup: its {what} are not a list.")
    return items


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _medicine(entry: Any, parsed: Parsed) -> None:
    info = entry.get("medicine") if isinstance(entry, dict) else None
    med_name = _text(info.get("name")) if isinstance(info, dict) else None
    if med_name is None or not isinstance(info, dict) or not isinstance(entry, dict):
        parsed.left.append(Left(what="a medicine", why="it has no name in the backup"))
        return
    if name_key(med_name) in {name_key(m.name) for m in parsed.medicines}:
        parsed.left.append(Left(what=f"medicine {med_name}", why="the backup lists it twice; the first is kept"))
        return
    reminders = entry.get("reminders") or []
    if not isinstance(reminders, list):
        reminders = []
    usable = [r for r in reminders if isinstance(r, dict) and r.get("active", True) is not False]
    spec, why = schedule_of(usable)
    directions = "; ".join(_direction(r) for r in usable if _direction(r)) or None
    parsed.medicines.append(
        Medicine(
            name=med_name,
            key="medicine:" + name_key(med_name),
            spec=spec,
            unscheduled=why,
            directions=directions,
            note=_text(info.get("notes")),
        )
    )


def _direction(reminder: dict[str, Any]) -> str:
    minutes = reminder.get("timeInMinutes")
    at = _clock(minutes) if type(minutes) is int else None
    parts = [
        f"{_text(reminder.get('amount'))}" if _text(reminder.get("amount")) else "",
        f"at {at.strftime('%H:%M')}" if at else "",
        _text(reminder.get("instructions")) or "",
    ]
    return " ".join(p for p in parts if p)


def _clock(minutes: int) -> time | None:
    return time(minutes // 60, minutes % 60) if 0 <= minutes < 24 * 60 else None


def schedule_of(reminders: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """The journal's schedule for a medicine's active reminders, or (None, why it does not map onto the grammar).

    Daily times and weekdays map; cycles of days on and off, periods, days of the month and intervals do not.
    """
    if not reminders:
        return None, None
    times: set[time] = set()
    weekdays: set[tuple[bool, ...]] = set()
    for reminder in reminders:
        minutes = reminder.get("timeInMinutes")
        at = _clock(minutes) if type(minutes) is int else None
        if at is None:
            return None, "a reminder has no time of day"
        if _number(reminder.get("intervalStart")) or reminder.get("windowedInterval") is True:
            return None, "a reminder repeats at an interval of hours, which the journal's schedules cannot express"
        if _number(reminder.get("pauseDays")) > 0 and _number(reminder.get("consecutiveDays"), 1) > 0:
            on, off = _number(reminder.get("consecutiveDays"), 1), _number(reminder.get("pauseDays"))
            cycle = f"{_days(on)} on, {_days(off)} off"
            return None, f"a reminder follows a cycle ({cycle}), which the journal's schedules cannot express"
        if _number(reminder.get("periodStart")) or _number(reminder.get("periodEnd")):
            return None, "a reminder is limited to a period of dates, which the journal's schedules cannot express"
        mask = reminder.get("activeDaysOfMonth", -1)
        if type(mask) is int and mask != -1 and mask & 0x7FFFFFFF != 0x7FFFFFFF:
            return None, "a reminder is limited to days of the month, which the journal's schedules cannot express"
        days = reminder.get("days")
        if days is None:
            days = [True] * 7
        if not (isinstance(days, list) and len(days) == 7 and all(isinstance(d, bool) for d in days)):
            return None, "a reminder's days of the week cannot be read"
        if not any(days):
            return None, "a reminder is set for no day of the week"
        times.add(at)
        weekdays.add(tuple(days))
    if len(weekdays) > 1:
        return None, "its reminders fall on different days of the week, which one schedule cannot express"
    days = next(iter(weekdays))
    clock = ",".join(t.strftime("%H:%M") for t in sorted(times))
    if all(days):
        return f"daily at {clock}", None
    if len(times) > 1:
        return None, "it has several times on some days of the week only, which one schedule cannot express"
    return f"weekly on {','.join(d for d, on in zip(DAYS, days, strict=True) if on)} at {clock}", None


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _number(value: Any, default: int = 0) -> int:
    return value if type(value) is int else default


def _event(entry: Any, parsed: Parsed, known: set[str]) -> None:
    if not isinstance(entry, dict):
        parsed.left.append(Left(what="an event", why="it cannot be read"))
        return
    raw = _text(entry.get("medicineName"))
    med_name = _SUFFIX.sub("", raw) if raw else None
    reminded = entry.get("remindedTimestamp")
    processed = entry.get("processedTimestamp")
    status = entry.get("status")
    when = _moment(reminded)
    what = f"{med_name or 'an event'}" + (f" reminded {when:%Y-%m-%d %H:%M} UTC" if when else "")
    if med_name is None:
        parsed.left.append(Left(what=what, why="it names no medicine"))
        return
    if status in _STATUS_LEFT:
        parsed.left.append(Left(what=what, why=_STATUS_LEFT[status]))
        return
    if status not in ("TAKEN", "SKIPPED"):
        parsed.left.append(Left(what=what, why=f"its status {status!r} is not taken or skipped"))
        return
    # A dose taken is when it was marked taken; a dose skipped is the one that was due.
    at = (_moment(processed) or when) if status == "TAKEN" else when
    if at is None:
        parsed.left.append(Left(what=what, why="it has no time that can be read"))
        return
    if name_key(med_name) not in known:
        known.add(name_key(med_name))
        parsed.medicines.append(Medicine(name=med_name, key="medicine:" + name_key(med_name)))
    # Events carry no id of their own in older files: the reminder and its time name one, whatever its status now.
    key = row_hash(name_key(med_name), entry.get("reminderId"), reminded)
    parsed.intakes.append(
        Intake(
            medicine=med_name,
            key=key,
            at=at,
            taken=status == "TAKEN",
            reason=None if status == "TAKEN" else "skipped in MedTimer",
            note=_text(entry.get("notes")),
        )
    )


def _moment(value: Any) -> datetime | None:
    if type(value) is not int or value <= 0 or not _EARLIEST <= value < _LATEST:
        return None
    return datetime.fromtimestamp(value, tz=UTC)
