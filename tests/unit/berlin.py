"""A patient in Berlin: wall times as UTC, and a medicine added on 1 December 2026 on its schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from journal import models as m
from journal.application.medicines import add_medication
from journal.store import Store

ZONE = "Europe/Berlin"


def at(day: str, hhmm: str) -> datetime:
    """A Berlin wall time ('2026-12-08', '08:05') as UTC."""
    return datetime.fromisoformat(f"{day} {hhmm}").replace(tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


def add(store: Store, name: str, spec: str, **values: object) -> m.Medication:
    """A medicine added on 1 December 2026 at 09:00, on the schedule `spec`."""
    return add_medication(
        store, {"name": name, **values}, now=at("2026-12-01", "09:00"), today=date(2026, 12, 1), spec=spec
    )
