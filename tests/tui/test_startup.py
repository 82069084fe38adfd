"""Start-up: what the app leaves until after Today is drawn still happens."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from textual.pilot import Pilot

from journal import models as m
from journal.startup import pause_gc, resume_gc
from journal.store import Store, backups
from journal.tui.app import BACKUP_DELAY, make_app
from journal.tui.screens.today import TodayScreen
from tests.tui.conftest import NOW, ZONE, build, seed
from tests.tui.test_flows import drive


def _journal(path: Path) -> None:
    with Store.open(path, daily_backup=False) as store:
        store.add(m.Allergy(substance="latex"))


def test_the_daily_backup_is_taken_soon_after_today_is_drawn(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    _journal(path)
    store = Store.open(path, daily_backup=False)
    app = make_app(store, now=NOW, zone=ZONE, blink=False, backup_later=True)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        await pilot.pause(BACKUP_DELAY + 0.3)
        assert [b.kind for b in backups.list_backups(path)] == ["daily"]

    try:
        drive(app, steps)
    finally:
        store.close()


def test_without_backup_later_the_app_takes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    _journal(path)
    store = Store.open(path, daily_backup=False)
    app = make_app(store, now=NOW, zone=ZONE, blink=False)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause(BACKUP_DELAY + 0.3)
        assert backups.list_backups(path) == []

    try:
        drive(app, steps)
    finally:
        store.close()


def test_the_collector_paused_for_start_up_runs_again_once_today_is_drawn() -> None:
    store = Store.memory()
    seed(store)
    app = build(store)
    seen: dict[str, bool] = {}

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            seen["while composing"] = gc.isenabled()
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            seen["once drawn"] = gc.isenabled()

    pause_gc()
    try:
        asyncio.run(go())
    finally:
        resume_gc()  # should the app not have resumed it
        gc.unfreeze()
        store.close()
    assert seen == {"while composing": False, "once drawn": True}
