"""The TUI under the same failures: an error screen for a bad file, and a full disk that keeps what was typed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("journal.tui.app", reason="the TUI has not landed yet")

from textual.pilot import Pilot
from textual.widgets import Input, Static

from journal import models as m
from journal.store import Store
from journal.tui import app as tui_app
from tests.reliability._helpers import integrity, query, snapshot
from tests.reliability.test_bad_files import CASES, _apply


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui_app, "BLINK", False)


@pytest.mark.parametrize("case", list(CASES))
def test_the_tui_shows_an_error_screen_and_writes_nothing(
    case: str, tmp_path: Path, good_journal: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.db"
    _apply(case, path, good_journal)
    before = snapshot(tmp_path)
    seen: dict[str, str] = {}
    run_error_app = tui_app.OpenErrorApp.run

    def headless(self: tui_app.OpenErrorApp, **_kwargs: Any) -> None:
        async def look(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            seen["message"] = str(self.query_one("#open-error-message", Static).render())
            await pilot.press("q")

        run_error_app(self, headless=True, size=(100, 30), auto_pilot=look)

    def must_not_open(self: Any, **_kwargs: Any) -> None:
        raise AssertionError("the journal app opened a bad file")

    monkeypatch.setattr(tui_app.OpenErrorApp, "run", headless)
    monkeypatch.setattr(tui_app.MedJournalApp, "run", must_not_open)
    with pytest.raises(SystemExit) as ended:
        tui_app.run(path)
    assert ended.value.code == 1
    assert CASES[case][1] in seen["message"].lower()
    assert snapshot(tmp_path) == before


def test_a_full_disk_in_the_tui_keeps_the_input_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    note = "stiff in the morning, better after the walk. " * 200  # needs new pages
    with Store.open(path) as store:
        store.add(m.Medication(name="anakinra", tracked=True))
        pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
        store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
        app = tui_app.make_app(store, zone="UTC")
        errors: list[str] = []

        async def go() -> None:
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                await pilot.press("c")
                await pilot.pause()
                await pilot.press("4")
                app.screen.query_one("#checkin-note", Input).value = note
                app.screen.query_one("#pain", Input).focus()
                await pilot.press("enter")
                await pilot.pause()
                errors.append(str(app.screen.query_one("#checkin-error", Static).render()))
                assert type(app.screen).__name__ == "CheckinScreen"
                assert app.screen.query_one("#pain", Input).value == "4"
                assert app.screen.query_one("#checkin-note", Input).value == note
                # Space freed: the same typed values save.
                store.db.conn.execute("PRAGMA max_page_count = 1073741823")
                app.screen.query_one("#pain", Input).focus()
                await pilot.press("enter")
                await pilot.pause()
                assert type(app.screen).__name__ != "CheckinScreen"

        asyncio.run(go())
    assert "full" in errors[0].lower() and "nothing was saved" in errors[0].lower(), errors
    assert integrity(path) == "ok"
    assert query(path, "SELECT pain, note FROM checkins") == [(4, note.strip())]
