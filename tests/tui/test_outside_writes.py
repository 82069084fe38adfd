"""The TUI and other processes on the same journal: what they write shows without F5."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot

from journal import models as m
from journal.store import Store
from tests.tui.conftest import NOW, ZONE, build, put, seed
from tests.tui.test_flows import drive, screen_text


def test_today_shows_a_dose_another_process_logged_within_two_seconds(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    with Store.open(db, daily_backup=False) as first:
        seed(first)
    store = Store.open(db, daily_backup=False)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        assert "OVERDUE" in screen_text(app)
        with Store.open(db, daily_backup=False) as other:  # as `medjournal dose` would, from a shell
            med = other.tracked_medications()[0]
            when = NOW - timedelta(minutes=30)
            put(other, m.Dose, when, medication_id=med.id, at=when, tz=ZONE, region="thigh-left", spot="thigh-left:B2")
        await pilot.pause(2.0)
        shown = screen_text(app)
        assert "Taken at" in shown and "OVERDUE" not in shown

    try:
        drive(app, steps)
    finally:
        store.close()


def test_while_another_program_holds_the_journal_the_dose_waits_visibly_then_saves(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    with Store.open(db, daily_backup=False) as first:
        seed(first)
    store = Store.open(db, daily_backup=False)
    app = build(store)
    holder = sqlite3.connect(str(db), isolation_level=None)

    async def steps(pilot: Pilot[None]) -> None:
        holder.execute("BEGIN IMMEDIATE")  # another program is writing
        await pilot.press("d", "enter", "enter", "enter")
        await pilot.pause(0.3)
        # The app answered at once: the dose screen is still up, saying it waits, what was typed kept.
        assert type(app.screen).__name__ == "DoseScreen"
        assert app.screen.has_class("-waiting")
        assert any("Waiting for the journal" in str(n.message) for n in app._notifications)
        holder.execute("COMMIT")
        for _ in range(40):
            await pilot.pause(0.25)
            if type(app.screen).__name__ == "TodayScreen":
                break
        assert type(app.screen).__name__ == "TodayScreen"
        assert "Taken at" in screen_text(app)

    try:
        drive(app, steps)
    finally:
        holder.close()
    taken = [d for d in store.all(m.Dose) if d.at == NOW]
    store.close()
    assert len(taken) == 1


def test_a_users_control_characters_show_escaped_on_screen(store: Store) -> None:
    from textual.widgets import DataTable

    seed(store)
    put(store, m.Medication, name="evil\x1b]0;pwned\x07\x1b[2J", kind=m.MedKind.SUPPLEMENT)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query(DataTable).first()
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "evil\\x1b]0;pwned\\x07\\x1b[2J" in names

    drive(app, steps)
