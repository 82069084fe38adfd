"""Reminders: what is worth a notification now, read from Today, and when one is repeated.

What is due comes from `journal.application.today.build_today` (the same Today the TUI and `status` show):
a scheduled dose whose time has come and that is not logged or skipped (Today's OVERDUE), each serious
alert, a reorder date reached.
A notification is seen by whoever looks at the screen: unless details are asked for, it names
only the medicine and a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, tzinfo

from journal.application.today import Today
from journal.care import alerts as al
from journal.care.supply import reorder_words
from journal.dataclass import dataclass

DEFAULT_EVERY_MINUTES = 15
APP_TITLE = "medjournal"


@dataclass(kw_only=True, frozen=True)
class Reminder:
    """One notification: `key` names what it is about, so it is repeated, not duplicated."""

    key: str
    title: str
    private: str
    details: str
    repeats: bool = False  # an overdue dose is repeated every N minutes until logged or skipped

    def body(self, *, details: bool) -> str:
        """The notification's text: the private one (medicine and time) unless details were asked for."""
        return self.details if details else self.private


def due(today: Today) -> list[Reminder]:
    """Everything in Today that deserves a notification now, most urgent first."""
    found: list[Reminder] = []
    for alert in today.alerts:
        if alert.level is al.AlertLevel.URGENT:  # today: a serious side effect, until closed
            since = alert.since.astimezone(_zone(today)).strftime("%H:%M") if alert.since else ""
            found.append(
                Reminder(
                    key=f"alert:{alert.kind}:{alert.record_id or alert.medication_id}",
                    title=APP_TITLE,
                    private=f"An urgent alert{' since ' + since if since else ''}: open medjournal.",
                    details=f"{alert.title}. {alert.text}",
                )
            )
    for med in today.medicines:
        # The same answer as Today and `status` (OVERDUE): never a medicine with nothing due today, one
        # taken as needed, or one paused.
        if med.dose_wanted_now:
            late = f", overdue {al.duration_text(med.overdue_by_minutes)}" if med.overdue_by_minutes else ""
            spot = f"; suggested spot: {med.suggested_label}" if med.suggested_label else ""
            # A split dose's part is named: 'dose 2 of 3' says which of the week's parts this is.
            part = f" ({med.part})" if med.part else ""
            what = " ".join(p for p in (med.name, med.amount, med.part) if p)
            found.append(
                Reminder(
                    key=f"dose:{med.medication_id}:{today.day.isoformat()}",
                    title=med.name,
                    private=f"{med.name} {med.due_local}{part}",
                    details=f"{what} due at {med.due_local}{late}{spot}.",
                    repeats=True,
                )
            )
        if med.reorder_due and med.reorder_by is not None:
            reorder = reorder_words(med.reorder_by, today.day, med.name)
            found.append(
                Reminder(
                    key=f"reorder:{med.medication_id}:{med.reorder_by.isoformat()}",
                    title=med.name,
                    private=f"{med.name}: {reorder_words(med.reorder_by, today.day)}",
                    details=(
                        f"{reorder[:1].upper()}{reorder[1:]}: {med.syringes_left} left, "
                        f"the first day without is {med.runs_out_on.isoformat() if med.runs_out_on else 'soon'}."
                    ),
                )
            )
    return found


def _zone(today: Today) -> tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(today.zone)


def to_send(
    reminders: Iterable[Reminder], sent: Mapping[str, datetime], *, now: datetime, every_minutes: int
) -> list[Reminder]:
    """The reminders to send now: new ones, and repeating ones last sent `every_minutes` ago or more.

    One that does not repeat (a serious alert, a reorder date) is sent once a day at most.
    """
    # Half a minute of slack: a timer firing every 15 minutes may run a few seconds early.
    every = timedelta(minutes=every_minutes) - timedelta(seconds=30)
    chosen: list[Reminder] = []
    for reminder in reminders:
        last = sent.get(reminder.key)
        if last is None or now - last >= (every if reminder.repeats else timedelta(days=1)):
            chosen.append(reminder)
    return chosen


def forget_answered(sent: dict[str, datetime], reminders: Iterable[Reminder], *, now: datetime) -> None:
    """Drop what is no longer due (a dose logged, an alert closed), and anything older than two days."""
    current = {r.key for r in reminders}
    for key, when in list(sent.items()):
        if (key not in current and key.startswith("dose:")) or now - when > timedelta(days=2):
            del sent[key]
