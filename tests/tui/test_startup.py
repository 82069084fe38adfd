"""Start-up: what the app leaves until after Today is drawn still happens."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from journal import models as m
from journal.store import Store, backups
from journal.tui.app import BACKUP_DELAY, make_app
from tests.tui.conftest import NOW, ZONE
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
