"""TUI fixtures: a frozen clock, no cursor blink, and journals filled with fixed data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from journal import models as m
from journal.store import Store
from journal.tui import app as tui_app
from journal.tui.app import MedJournalApp, make_app

# Earlier than the real clock, so no record made here is "in the future" for the models.
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
ZONE = "UTC"
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cursors do not blink, so screenshots do not depend on timing."""
    monkeypatch.setattr(tui_app, "BLINK", False)


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory journal."""
    opened = Store.memory()
    yield opened
    opened.close()


def at(days_ago: int = 0, hour: int = 8, minute: int = 0) -> datetime:
    """A fixed moment `days_ago` days before NOW (negative: after), at hour:minute UTC."""
    return datetime.combine((NOW - timedelta(days=days_ago)).date(), time(hour, minute), tzinfo=UTC)


def put(store: Store, cls: type[m.Record], when: datetime | None = None, **fields: Any) -> Any:
    """Add a record with fixed bookkeeping times (so snapshots do not depend on the real clock)."""
    stamp = when or NOW - timedelta(days=30)
    record = cls.validate({"created_at": stamp, "updated_at": stamp, **fields}, now=NOW)
    return store.add(record)


def seed(store: Store, *, days: int = 20, serious: bool = False) -> m.Medication:
    """A journal in use: profile, anakinra tracked at 08:00, boxes, daily doses, check-ins, an allergy."""
    put(
        store,
        m.Profile,
        name="Ann [bold]Example[/]",
        born=date(1980, 4, 30),
        emergency_contact="Bob Example, 555 0100",
        doctor="Dr Lee, 555 0199",
        pharmacy="Corner Pharmacy",
    )
    med = put(
        store,
        m.Medication,
        name="anakinra",
        generic="anakinra",
        brand="Kineret",
        route="subcutaneous",
        pack="anakinra",
        tracked=True,
        usual_time="08:00",
        # Started before its first dose: the journal holds no dose before a medicine's start.
        started=min(date(2026, 10, 1), (NOW - timedelta(days=days)).date()),
    )
    put(store, m.Medication, name="vitamin D", kind=m.MedKind.VITAMIN, strength="1000 IU")
    put(store, m.Allergy, substance="penicillin", reaction="hives")
    for n in range(0, days, 7):
        put(store, m.SupplyBox, medication_id=med.id, received=(NOW - timedelta(days=days - n)).date(), count=7)
    spots = ["thigh-left:A1", "thigh-right:A1", "stomach-left:A1", "stomach-right:A1"]
    for n in range(days, 0, -1):
        when = at(n, 8, 5)
        check = put(store, m.SyringeCheck, when, medication_id=med.id, at=when, tz=ZONE)
        spot = spots[n % len(spots)]
        put(
            store,
            m.Dose,
            when,
            medication_id=med.id,
            at=when,
            tz=ZONE,
            check_id=check.id,
            region=spot.split(":")[0],
            spot=spot,
            note="[bold]hi[/] and [/]" if n == 1 else None,
        )
        if n % 3 == 0:
            put(store, m.Checkin, when, at=when, tz=ZONE, pain=min(8, 2 + n // 3), swelling=3, stiffness_minutes=30)
    put(
        store,
        m.Appointment,
        at=at(-10, 9, 30),
        tz=ZONE,
        kind=m.ApptKind.DOCTOR,
        with_whom="Dr Lee",
        purpose="three-month review",
    )
    put(store, m.Question, text="Can I travel with the syringes?")
    if serious:
        when = at(0, 7, 0)
        put(
            store,
            m.SideEffect,
            when,
            symptom="rash",
            symptom_key="rash",
            tier=m.Tier.SERIOUS,
            started_at=when,
            tz=ZONE,
        )
    assert isinstance(med, m.Medication)
    return med


def build(store: Store) -> MedJournalApp:
    """The app on `store` with the frozen clock."""
    return make_app(store, now=NOW, zone=ZONE, blink=False)
