"""The TUI and other processes on the same journal: what they write shows without F5."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from textual.coordinate import Coordinate
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


def test_while_another_program_holds_the_journal_an_edit_and_a_delete_wait_visibly_then_save(tmp_path: Path) -> None:
    from textual.widgets import DataTable, Input

    db = tmp_path / "journal.db"
    with Store.open(db, daily_backup=False) as first:
        seed(first)
    store = Store.open(db, daily_backup=False)
    app = build(store)
    holder = sqlite3.connect(str(db), isolation_level=None)

    async def until(screen: str) -> None:
        for _ in range(40):
            await pilot_ref[0].pause(0.25)
            if type(app.screen).__name__ == screen:
                return
        raise AssertionError(f"still on {type(app.screen).__name__}")

    pilot_ref: list[Pilot[None]] = []

    async def steps(pilot: Pilot[None]) -> None:
        pilot_ref.append(pilot)
        await pilot.press("h")
        table = app.screen.query_one("#timeline", DataTable)
        row = next(r for r in range(table.row_count) if str(table.get_cell_at(Coordinate(r, 1))) == "check-in")
        table.move_cursor(row=row)
        await pilot.press("e")
        note = app.screen.query_one("#edit-note", Input)
        note.value = "written while locked"
        holder.execute("BEGIN IMMEDIATE")  # another program is writing
        note.focus()
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "EditRecordDialog" and app.screen.has_class("-waiting")
        holder.execute("COMMIT")
        await until("HistoryScreen")
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")  # the confirmation's "Delete"
        await pilot.pause(0.3)
        assert app.screen.has_class("-waiting")
        holder.execute("COMMIT")
        for _ in range(40):
            await pilot.pause(0.25)
            if not app.screen.has_class("-waiting"):
                break
        assert not app.screen.has_class("-waiting")

    try:
        drive(app, steps)
    finally:
        holder.close()
    checkins = store.all(m.Checkin, include_deleted=True)
    store.close()
    assert any(c.note == "written while locked" for c in checkins)
    assert any(c.deleted_at is not None for c in checkins)


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
