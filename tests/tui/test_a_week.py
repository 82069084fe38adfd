"""A week of use as a new user lives it: at 80x24, keys only, a new session each morning.

Set-up on Monday, a dose each morning (one skipped, with its reason), a side effect, a check-in,
a box received, and the visit summary exported on Sunday: what the journal holds at the end is
what was typed, and the injection site moved every day.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from textual.pilot import Pilot

from journal import models as m
from journal.store import Store
from journal.tui.app import MedJournalApp, make_app
from tests.tui.test_flows import drive, screen_text, type_text

MONDAY = datetime(2026, 11, 16, 8, 10, tzinfo=UTC)  # before the real clock: nothing is "in the future"
Day = Callable[[Pilot[None], MedJournalApp], Awaitable[None]]


async def _on(pilot: Pilot[None], app: MedJournalApp, screen: str) -> None:
    await pilot.pause()
    assert type(app.screen).__name__ == screen, f"expected {screen}, on {type(app.screen).__name__}"


async def _dose(pilot: Pilot[None], app: MedJournalApp) -> None:
    """`d`, then Enter for a clear syringe, Enter for the suggested spot, Enter to save."""
    await pilot.press("d")
    await _on(pilot, app, "DoseScreen")
    await pilot.press("enter", "enter", "enter")
    await _on(pilot, app, "TodayScreen")


async def _monday(pilot: Pilot[None], app: MedJournalApp) -> None:
    await _on(pilot, app, "WelcomeScreen")
    await type_text(pilot, "Ann")
    await pilot.press("enter")
    await _on(pilot, app, "TodayScreen")
    await _dose(pilot, app)


async def _tuesday(pilot: Pilot[None], app: MedJournalApp) -> None:
    await _dose(pilot, app)
    await pilot.press("s")
    await _on(pilot, app, "EffectsScreen")
    await type_text(pilot, "head")  # picked from the list as typed: Headache
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("escape")
    await _on(pilot, app, "TodayScreen")


async def _wednesday(pilot: Pilot[None], app: MedJournalApp) -> None:
    await _dose(pilot, app)
    await pilot.press("c")
    await _on(pilot, app, "CheckinScreen")
    await pilot.press("3", "tab", "2", "tab", "3", "0", "enter")
    await _on(pilot, app, "TodayScreen")


async def _thursday(pilot: Pilot[None], app: MedJournalApp) -> None:
    await pilot.press("d", "k")
    await pilot.pause()
    await type_text(pilot, "fever since last night")
    await pilot.press("enter")
    await _on(pilot, app, "TodayScreen")


async def _friday(pilot: Pilot[None], app: MedJournalApp) -> None:
    await _dose(pilot, app)
    await pilot.press("m")
    await _on(pilot, app, "MedicinesScreen")
    await pilot.press("tab")  # from the form to the list of medicines
    await pilot.pause()
    for _ in range(8):
        if type(app.screen.focused).__name__ == "FitTable":
            break
        await pilot.press("tab")
        await pilot.pause()
    await pilot.press("b")
    await _on(pilot, app, "BoxDialog")
    await type_text(pilot, "L42")
    await pilot.press("tab")
    await type_text(pilot, "2027-06-30")
    await pilot.press("enter")
    await _on(pilot, app, "MedicinesScreen")
    await pilot.press("escape")
    await _on(pilot, app, "TodayScreen")


async def _saturday(pilot: Pilot[None], app: MedJournalApp) -> None:
    await _dose(pilot, app)


async def _sunday(pilot: Pilot[None], app: MedJournalApp) -> None:
    await _dose(pilot, app)
    assert "Taken" in screen_text(app)
    await pilot.press("x")
    await _on(pilot, app, "ExportScreen")
    await pilot.press("ctrl+s")
    for _ in range(50):  # the export runs on a worker
        if "Written" in screen_text(app) or "Saved" in screen_text(app) or list(Path.home().glob("medjournal-*")):
            break
        await pilot.pause(0.1)
    await pilot.press("escape")
    await _on(pilot, app, "TodayScreen")


WEEK: list[Day] = [_monday, _tuesday, _wednesday, _thursday, _friday, _saturday, _sunday]


def test_a_week_of_daily_use_at_80x24_with_the_keyboard_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    path = tmp_path / "journal.db"
    for n, day in enumerate(WEEK):
        with Store.open(path, daily_backup=False) as store:
            app = make_app(store, now=MONDAY + timedelta(days=n), zone="UTC", blink=False)

            async def steps(pilot: Pilot[None], day: Day = day, app: MedJournalApp = app) -> None:
                await day(pilot, app)

            drive(app, steps, size=(80, 24))

    with Store.open(path, daily_backup=False) as store:
        (med,) = store.tracked_medications()
        assert med.pack == "anakinra"
        doses = sorted(store.doses(med.id), key=lambda d: d.at)
        assert [d.at.date().isoformat() for d in doses] == [
            (MONDAY + timedelta(days=n)).date().isoformat() for n in range(7)
        ]
        assert [d.status for d in doses].count(m.DoseStatus.SKIPPED) == 1
        skipped = next(d for d in doses if d.status is m.DoseStatus.SKIPPED)
        assert skipped.at.weekday() == 3 and skipped.reason == "fever since last night" and skipped.spot is None
        taken = [d for d in doses if d.status is m.DoseStatus.TAKEN]
        assert len(taken) == 6 and all(d.spot and d.check_id for d in taken)
        assert all(a.spot != b.spot for a, b in pairwise(taken))  # the site moved each time
        (effect,) = store.all(m.SideEffect)
        assert effect.symptom == "Headache" and effect.tier is m.Tier.COMMON
        (checkin,) = store.all(m.Checkin)
        assert (checkin.pain, checkin.swelling, checkin.stiffness_minutes) == (3, 2, 30)
        (box,) = store.boxes(med.id)
        assert box.lot == "L42" and box.expires is not None and box.expires.isoformat() == "2027-06-30"
    (summary,) = tmp_path.glob("medjournal-summary-*")
    assert summary.stat().st_size > 0
