"""The failure paths away from kill -9 and full disks (issue 16): a damaged stored value, a missing
or special journal file, an output path that is the journal, a read-only journal, escape sequences."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.reliability._helpers import Result, run_cli

# What the version before issue 16 wrote for `dose --at "0226-11-20 08:00"`: strftime's %Y did not
# pad the year, so the stored time is not ISO-8601 and Python cannot read it back.
OLD_BAD_TIME = "226-11-20T08:00:00Z"


def _journal_with_a_dose(db: Path) -> None:
    assert run_cli(db, "med", "add", "anakinra", "--time", "08:00").code == 0
    assert run_cli(db, "dose", "--at", "yesterday 08:00", "--site", "thigh-left").code == 0


def _write_damaged_dose(db: Path) -> str:
    """A copy of the journal's dose with its time as the old code stored it, inserted by SQL."""
    conn = sqlite3.connect(str(db))
    try:
        cursor = conn.execute("SELECT * FROM doses LIMIT 1")
        names = [d[0] for d in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
        row.update(id="d" * 32, at=OLD_BAD_TIME, created_at=OLD_BAD_TIME, updated_at=OLD_BAD_TIME)
        marks = ", ".join("?" for _ in names)
        with conn:
            conn.execute(f"INSERT INTO doses ({', '.join(names)}) VALUES ({marks})", list(row.values()))
            conn.execute(
                "INSERT INTO history (id, at, table_name, row_id, action, before, after) "
                "VALUES ('h-old', ?, 'doses', ?, 'insert', NULL, '{}')",
                [OLD_BAD_TIME, row["id"]],
            )
    finally:
        conn.close()
    return str(row["id"])


# --- 1: a mistyped year ----------------------------------------------------------------------


@pytest.mark.parametrize("when", ["0226-11-20 08:00", "0999-01-01", "1899-12-31 23:00", "2101-01-01 00:00"])
def test_a_year_outside_1900_to_2100_is_one_error_and_stores_nothing(tmp_path: Path, when: str) -> None:
    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    before = run_cli(db, "history", "--limit", "1000").out
    run_cli(db, "dose", "--at", when).assert_one_error("between the years 1900 and 2100")
    assert run_cli(db, "history", "--limit", "1000").out == before


@pytest.mark.parametrize("when", ["1000000 days ago", "9999999999 days ago", "9999-12-31 23:59", "0001-01-01 00:00"])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Adak"])
def test_calendar_end_times_are_one_error_in_every_zone(tmp_path: Path, when: str, zone: str) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    run_cli(db, "dose", "--at", when, env={"TZ": zone}).assert_one_error()


def test_a_damaged_stored_time_does_not_break_the_journal(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    bad_id = _write_damaged_dose(db)

    emergency = run_cli(db, "emergency")
    assert emergency.code == 0, emergency.err
    assert "anakinra" in emergency.out and "Traceback" not in emergency.err
    # The real last dose, not the damaged one (which sorts after it as text).
    assert "Last dose" in emergency.out or "last dose" in emergency.out.lower()

    status = run_cli(db, "status")
    assert status.code == 1 and "Traceback" not in status.err, status.err
    assert "JOURNAL DAMAGED" in status.out and "anakinra" in status.out

    for args in (("history",), ("export",), ("supply",), ("med", "list"), ("dose", "--skip", "travel")):
        result = run_cli(db, *args)
        assert result.code == 0 and "Traceback" not in result.err, (args, result.err)

    check = run_cli(db, "check")
    assert check.code == 1
    assert f"doses record {bad_id}" in check.out and OLD_BAD_TIME in check.out
    assert "history record h-old" in check.out
    assert check.err.startswith("error: ")


def test_the_tui_starts_on_a_journal_with_a_damaged_time(tmp_path: Path) -> None:
    import asyncio

    from textual.widgets import Static

    from journal.store import Store
    from journal.tui.app import make_app

    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    _write_damaged_dose(db)

    async def run() -> str:
        with Store.open(db, daily_backup=False) as store:
            app = make_app(store, zone="UTC", blink=False)
            async with app.run_test(size=(100, 40)) as pilot:
                await pilot.pause()
                banner = app.screen.query_one("#danger-banner", Static)
                return str(banner.render()) if banner.has_class("-shown") else ""

    shown = asyncio.run(run())
    assert "DAMAGED" in shown and OLD_BAD_TIME in shown


# --- 10: reading never creates a journal ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("emergency",), ("status",), ("export",), ("history",), ("supply",), ("med", "list"), ("check",)],
)
def test_reading_commands_never_create_a_journal(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "typo.db"
    run_cli(db, *args).assert_one_error(f"no journal at {db}")
    assert sorted(os.listdir(tmp_path)) == []


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


__all__ = ["Result"]
