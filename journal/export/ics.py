"""Appointments and the daily dose as an iCalendar file (RFC 5545), written by hand.

Appointments carry their UTC time. The daily dose uses a floating local time (no zone):
"08:00 every day" should stay 08:00 on the wall clock wherever the phone is, and a
floating time needs no VTIMEZONE block.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from journal import models as m
from journal.export._escape import plain
from journal.summary.model import AppointmentEntry, RegimenEntry, VisitSummary

PRODID = "-//medjournal//medjournal//EN"
LIMIT = 75  # octets per line, not counting CRLF (RFC 5545, 3.1)
_DURATION = {m.ApptKind.LAB: "PT30M", m.ApptKind.SURGERY: "PT2H"}
_STATUS = {m.ApptStatus.PLANNED: "CONFIRMED", m.ApptStatus.CANCELLED: "CANCELLED"}


def text_value(value: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11: backslash, semicolon, comma and newlines."""
    value = plain(value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a UTF-8 character, joined by CRLF."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LIMIT:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    budget = LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > budget:
            parts.append(current)
            current, size, budget = "", 0, LIMIT - 1  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _alarm(trigger: str, description: str) -> list[str]:
    return [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{text_value(description)}",
        f"TRIGGER:{trigger}",
        "END:VALARM",
    ]


def _appointment(appt: AppointmentEntry, stamp: str) -> list[str]:
    title = {m.ApptKind.LAB: "Lab test"}.get(appt.kind, f"{appt.kind.value.capitalize()} appointment")
    if appt.with_whom:
        title += f" with {appt.with_whom}"
    details = [d for d in (appt.purpose, appt.outcome, appt.advice) if d]
    lines = [
        "BEGIN:VEVENT",
        f"UID:{appt.id}@medjournal",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(appt.at)}",
        f"DURATION:{_DURATION.get(appt.kind, 'PT1H')}",
        f"SUMMARY:{text_value(title)}",
    ]
    if details:
        lines.append(f"DESCRIPTION:{text_value(chr(10).join(details))}")
    if appt.status in _STATUS:
        lines.append(f"STATUS:{_STATUS[appt.status]}")
    if appt.status is m.ApptStatus.PLANNED:
        lines += _alarm("-P1D", f"Tomorrow: {title}")
        lines += _alarm("-PT1H", f"In one hour: {title}")
    lines.append("END:VEVENT")
    return lines


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _rrule(step: RegimenEntry, weekday: int | None = None) -> str:
    """The schedule step as an iCalendar repeat rule (RFC 5545): daily, weekly on days, every N days; a split
    dose's part weekly on its day; a cycle's day once in each cycle."""
    if weekday is not None:
        rule = f"FREQ=WEEKLY;BYDAY={_BYDAY[weekday]}"
    elif step.pattern == "cycle":
        rule = f"FREQ=DAILY;INTERVAL={step.days_on + step.days_off}"
    elif step.pattern == "weekly":
        rule = "FREQ=WEEKLY;BYDAY=" + ",".join(_BYDAY[d] for d in step.weekdays)
    elif step.pattern == "every" and step.every_days > 1:
        rule = f"FREQ=DAILY;INTERVAL={step.every_days}"
    else:
        rule = "FREQ=DAILY"
    if step.ends is not None:
        rule += f";UNTIL={step.ends.strftime('%Y%m%d')}T235959"
    return f"RRULE:{rule}"


def _dose_event(
    step: RegimenEntry,
    at: str,
    n: int,
    label: str,
    directions: str | None,
    stamp: str,
    today: date,
    *,
    shift: int = 0,
    weekday: int | None = None,
    part: str = "",
) -> list[str]:
    """One repeating dose event; `shift` days after the step's first day (a cycle's later days on), or on the
    first `weekday` from it (a split dose's part), named by `part` ('dose 2 of 3')."""
    hour, minute = (int(piece) for piece in at.split(":"))
    first = (step.starts or today) + timedelta(days=shift)
    if weekday is not None:
        first += timedelta(days=(weekday - first.weekday()) % 7)
    start = datetime(first.year, first.month, first.day, hour, minute)
    key = (
        f"{n}-{at.replace(':', '')}" + (f"-d{shift}" if shift else "") + (f"-w{weekday}" if weekday is not None else "")
    )
    lines = [
        "BEGIN:VEVENT",
        f"UID:dose-{step.medicine_id}-{key}@medjournal",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{start.strftime('%Y%m%dT%H%M%S')}",
        f"DTEND:{(start + timedelta(minutes=15)).strftime('%Y%m%dT%H%M%S')}",
        _rrule(step, weekday),
        f"SUMMARY:{text_value(f'{label} dose' + (f' ({part})' if part else ''))}",
    ]
    if directions:
        lines.append(f"DESCRIPTION:{text_value(directions)}")
    lines += _alarm("PT0M", f"Time for your {label} dose")
    lines.append("END:VEVENT")
    return lines


def render_ics(data: VisitSummary) -> str:
    """The calendar: appointments of the period and upcoming ones, and each scheduled dose as a repeating event."""
    stamp = _utc(data.generated_at)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:medjournal",
    ]
    seen: set[str] = set()
    for appt in [*data.past_appointments, *data.upcoming_appointments]:
        if appt.id not in seen:
            seen.add(appt.id)
            lines += _appointment(appt, stamp)
    today = data.generated_at.astimezone(ZoneInfo(data.zone)).date()
    meds = {med.id: med for med in data.medicines}
    for n, step in enumerate(data.regimens):
        med = meds.get(step.medicine_id)
        label = med.label if med else step.medicine
        directions = med.directions if med else None
        if step.parts:  # a weekly split dose: each part weekly on its day
            for k, (weekday, at) in enumerate(step.parts, start=1):
                part = f"dose {k} of {len(step.parts)}"
                lines += _dose_event(step, at, n, label, directions, stamp, today, weekday=weekday, part=part)
            continue
        for at in step.times:  # none for a medicine taken as needed
            for shift in range(step.days_on if step.pattern == "cycle" else 1):  # a cycle: each day on
                lines += _dose_event(step, at, n, label, directions, stamp, today, shift=shift)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
