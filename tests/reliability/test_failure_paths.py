"""The failure paths away from kill -9 and full disks (issue 16): a damaged stored value, a missing
or special journal file, an output path that is the journal, a read-only journal, escape sequences."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability._helpers import Result, run_cli

# What the version before issue 16 wrote for `dose --at "0226-11-20 08:00"`: strftime's %Y did not
# pad the year, so the stored time is not ISO-8601 and Python cannot read it back.
OLD_BAD_TIME = "226-11-20T08:00:00Z"


def _journal_with_a_dose(db: Path) -> None:
    assert run_cli(db, "med", "add", "anakinra", "--time", "04:00").code == 0  # a dose now is in a window at any hour
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


def test_every_tui_screen_opens_on_a_journal_with_damaged_records(tmp_path: Path) -> None:
    import asyncio

    from journal.store import Store
    from journal.tui.app import make_app
    from journal.tui.screens import SCREENS

    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    assert run_cli(db, "effect", "headache").code == 0
    assert run_cli(db, "appt", "add", "tomorrow 09:00", "doctor").code == 0
    _write_damaged_dose(db)
    conn = sqlite3.connect(str(db))  # a damaged time in every other kind of record too
    with conn:
        for table in ("side_effects", "appointments", "medications", "allergies"):
            column = {"side_effects": "started_at", "appointments": "at"}.get(table, "created_at")
            conn.execute(
                f"UPDATE {table} SET {column} = ? WHERE rowid = (SELECT max(rowid) FROM {table})", [OLD_BAD_TIME]
            )
    conn.close()

    async def run() -> list[str]:
        seen = []
        with Store.open(db, daily_backup=False) as store:
            app = make_app(store, zone="UTC", blink=False)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                for entry in SCREENS:
                    if entry.name == "welcome":
                        continue
                    await pilot.press(entry.key)
                    await pilot.pause()
                    seen.append(type(app.screen).__name__)
                    await pilot.press("escape")
                    await pilot.pause()
        return seen

    assert asyncio.run(run()) == [e.cls for e in SCREENS if e.name != "welcome"]


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


# --- 4: an output path is never the journal ----------------------------------------------------


def _journal_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("target", ["journal.db", "journal.db-wal", "journal.db-shm", "backup", "link", "dotted"])
@pytest.mark.parametrize("command", [("export",), ("emergency",), ("emergency", "--format", "html")])
def test_an_output_path_is_never_the_journal_or_its_files(
    tmp_path: Path, target: str, command: tuple[str, ...]
) -> None:
    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    assert run_cli(db, "backup").code == 0
    backup = next((tmp_path / "journal.db.backups").glob("*.db"))
    names = {
        "backup": backup,
        "link": tmp_path / "hard-link.md",
        "dotted": tmp_path / "sub" / ".." / "journal.db",
    }
    (tmp_path / "sub").mkdir()
    os.link(db, tmp_path / "hard-link.md")
    output = names.get(target, tmp_path / target)
    before = _journal_files(tmp_path)
    run_cli(db, *command, "-o", str(output), "--force").assert_one_error("journal", "nothing was written")
    assert _journal_files(tmp_path) == before


# --- 8: control characters are shown, never obeyed ---------------------------------------------

HOSTILE = "\x1b]0;pwned\x07\x1b[2J"


def test_error_and_output_lines_show_control_characters_escaped(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    refused = run_cli(db, "dose", "--med", HOSTILE)
    line = refused.assert_one_error()
    assert "\x1b" not in refused.err and "\x07" not in refused.err
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in line

    assert run_cli(db, "med", "add", f"vitamin{HOSTILE}", "--kind", "vitamin").code == 0
    for args in (("med", "list"), ("history",), ("emergency",)):
        shown = run_cli(db, *args)
        assert shown.code == 0, shown.err
        assert "\x1b" not in shown.out + shown.err and "\x07" not in shown.out + shown.err, args
    assert "\\x1b]0;pwned" in run_cli(db, "med", "list").out


def test_visible_keeps_lines_and_tabs_and_escapes_the_rest() -> None:
    from journal.visible import visible

    assert visible("a\tb\nc") == "a\tb\nc"
    assert visible("x\x1b[2J\x9b\u202e") == "x\\x1b[2J\\x9b\\u202e"


# --- 9: a FIFO, socket or device at the journal path --------------------------------------------


@pytest.mark.parametrize("args", [("emergency",), ("status",), ("check",), ("dose",), ("restore", "X", "--yes")])
def test_a_fifo_at_the_journal_path_is_refused_at_once(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "journal.db"
    os.mkfifo(db)
    if "X" in args:
        source = tmp_path / "good.db"
        assert run_cli(source, "med", "add", "anakinra").code == 0
        args = tuple(str(source) if a == "X" else a for a in args)
    run_cli(db, *args).assert_one_error("fifo")
    assert stat.S_ISFIFO(os.stat(db).st_mode)


def test_a_fifo_given_to_restore_is_refused_at_once(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    os.mkfifo(tmp_path / "pipe.db")
    run_cli(db, "restore", str(tmp_path / "pipe.db"), "--yes").assert_one_error("fifo")


def test_the_tui_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    from journal.errors import NotAJournalError
    from journal.store.opening import open_while_loading

    db = tmp_path / "journal.db"
    os.mkfifo(db)
    with pytest.raises(NotAJournalError, match="FIFO"):
        open_while_loading(db).result()


# --- 7: a read-only journal can still be read ----------------------------------------------------


@pytest.fixture
def read_only_journal(tmp_path: Path) -> Iterator[Path]:
    """A journal on read-only media: a tmpfs remounted read-only as root, else a 0400 file in a 0500 folder."""
    import subprocess

    folder = tmp_path / "media"
    folder.mkdir()
    mounted = os.geteuid() == 0 and (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True).returncode
        == 0
    )
    if os.geteuid() == 0 and not mounted:
        pytest.skip("as root a 0400 file is still writable, and no tmpfs can be mounted read-only here")
    db = folder / "journal.db"
    _journal_with_a_dose(db)
    try:
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            db.chmod(0o400)
            folder.chmod(0o500)
        yield db
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o700)


def test_a_read_only_journal_can_be_read_and_nothing_is_left_beside_it(read_only_journal: Path) -> None:
    db = read_only_journal
    before = _journal_files(db.parent)
    reading: tuple[tuple[str, ...], ...] = (
        ("emergency",),
        ("status",),
        ("history",),
        ("export",),
        ("med", "list"),
        ("supply",),
        ("check",),
    )
    for args in reading:
        result = run_cli(db, *args)
        assert result.code in (0, 3) and "Traceback" not in result.err, (args, result.err)
        assert "anakinra" in result.out or args == ("check",), (args, result.out)
    for args in (("dose", "--skip", "travel"), ("allergy", "add", "latex")):
        run_cli(db, *args).assert_one_error("read-only")
    assert _journal_files(db.parent) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["journal.db", "journal.db.backups"]


# --- 12: smaller failure paths -------------------------------------------------------------------


def test_a_zero_byte_file_is_not_made_a_journal(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    db.touch()
    for args in (("emergency",), ("dose",), ("allergy", "add", "latex")):
        run_cli(db, *args).assert_one_error("empty file")
    assert db.stat().st_size == 0 and sorted(os.listdir(tmp_path)) == ["journal.db"]
    # A good backup can still be restored over it.
    source = tmp_path / "source.db"
    _journal_with_a_dose(source)
    assert run_cli(db, "restore", str(source), "--yes").code == 0
    assert "anakinra" in run_cli(db, "med", "list").out


# --- 6: damage found by a check is told until `check` passes -------------------------------------


def _break_an_index(db: Path) -> None:
    """Make an index disagree with its table: SQLite's quick_check (run at every open) does not see it."""
    conn = sqlite3.connect(str(db), isolation_level=None)
    try:
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute(
            """UPDATE sqlite_master SET sql = 'CREATE INDEX "idx_doses_at" ON "doses" ("tz")' """
            "WHERE name = 'idx_doses_at'"
        )
        conn.execute("PRAGMA writable_schema=OFF")
    finally:
        conn.close()
    conn = sqlite3.connect(str(db))
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    conn.close()


def test_damage_found_by_the_daily_backup_is_told_until_check_passes(tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    shutil.rmtree(tmp_path / "journal.db.backups")  # today's backup is due again
    _break_an_index(db)

    wrote = run_cli(db, "allergy", "add", "latex")  # the daily backup runs, and finds the damage
    assert wrote.code == 0
    status = run_cli(db, "status")
    assert status.code == 1 and "JOURNAL DAMAGED" in status.out
    listed = run_cli(db, "backups")
    assert "damaged" in listed.out and "idx_doses_at" in listed.out
    assert "damaged" in run_cli(db, "allergy", "add", "pollen").err  # every write says so
    run_cli(db, "check").assert_one_error("problem")
    assert run_cli(db, "status").code == 1  # a failed check does not clear it

    conn = sqlite3.connect(str(db), isolation_level=None)  # the repair: the index rebuilt
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute(
        """UPDATE sqlite_master SET sql = 'CREATE INDEX "idx_doses_at" ON "doses" ("at")' """
        "WHERE name = 'idx_doses_at'"
    )
    conn.execute("PRAGMA writable_schema=OFF")
    conn.close()
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("REINDEX")
    conn.close()
    assert run_cli(db, "check").code == 0
    after = run_cli(db, "status")
    assert after.code in (0, 3) and "DAMAGED" not in after.out


def test_rotation_keeps_the_fresh_backup_when_the_clock_is_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from journal import models as m
    from journal.store import Store, backups

    monkeypatch.setenv(backups.ENV_KEEP, "3")
    db = tmp_path / "journal.db"
    ahead = datetime(2027, 6, 1, 8, 0, tzinfo=UTC)
    with Store.open(db, daily_backup=False) as store:
        store.add(m.Allergy(substance="latex"))
        for i in range(3):  # taken while the clock was months ahead
            backups.take(store.db, db, backups.DAILY, now=ahead + timedelta(days=i))
        fresh = backups.daily(store.db, db, now=datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    assert fresh is not None and fresh.exists()
    daily = [b for b in backups.list_backups(db) if b.kind == backups.DAILY]
    assert len(daily) == 3 and fresh in [b.path for b in daily]


def test_rotation_removes_what_killed_backups_and_restores_left(tmp_path: Path) -> None:
    import time

    from journal.locations import backup_dir
    from journal.store import backups

    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    folder = backup_dir(db)
    left = [folder / f".journal-x.db.{n}.part{suffix}" for n, suffix in enumerate(("", "-wal", "-shm", "-journal"))]
    left.append(tmp_path / ".journal.db.restoring-4242")
    young = folder / f".journal-y.db.{os.getpid()}.part-wal"  # its process runs: a copy in progress
    old = time.time() - 2 * backups.STALE_PART_SECONDS
    for path in [*left, young]:
        path.write_bytes(b"x")
        if path != young:
            os.utime(path, (old, old))
    removed = backups.rotate(db, 14)
    assert sorted(removed) == sorted(left)
    assert young.exists() and db.exists()


def test_check_leaves_a_leftover_wal_as_it_found_it(tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    # A WAL with a committed change not yet folded in, as a process killed while open leaves it.
    holder = sqlite3.connect(str(db), isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("PRAGMA user_version = 7")
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    shutil.copy(f"{db}-wal", f"{copy}-wal")
    holder.close()
    before = (copy.read_bytes(), Path(f"{copy}-wal").read_bytes())
    assert len(before[1]) > 0
    assert run_cli(copy, "check").code == 0
    assert (copy.read_bytes(), Path(f"{copy}-wal").read_bytes()) == before


@pytest.mark.parametrize("tz", ["Mars/Base", "Europe/Pariss", "CET-1CEST,M3.5.0,M10.5.0/3"])
def test_a_tz_that_names_no_zone_is_said_not_taken_for_utc(tmp_path: Path, tz: str) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    run_cli(db, "dose", "--at", "08:00", env={"TZ": tz}).assert_one_error("TZ=", "time zone")
    run_cli(db, "status", env={"TZ": tz}).assert_one_error("TZ=")
    listed = run_cli(db, "emergency", env={"TZ": tz})  # the list still prints, its times in UTC
    assert listed.code == 0 and "anakinra" in listed.out and "TZ=" in listed.err


@pytest.mark.parametrize("tz", [":Europe/Paris", ":/usr/share/zoneinfo/Europe/Paris", "Europe/Paris"])
def test_the_posix_forms_of_a_real_zone_are_understood(tmp_path: Path, tz: str) -> None:
    if not Path("/usr/share/zoneinfo/Europe/Paris").exists():
        pytest.skip("no system zone files here")
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    listed = run_cli(db, "emergency", env={"TZ": tz})
    assert listed.code == 0 and listed.err == "" and ("CET" in listed.out or "CEST" in listed.out)


# --- 5: an error after the commit never reads as "nothing was saved" ---------------------------


def test_an_error_after_the_commit_says_the_record_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from journal import models as m
    from journal.application import doses
    from journal.cli.group import run
    from journal.errors import DiskFullError
    from journal.store import Store

    db = tmp_path / "journal.db"
    # 04:00: a dose now is in a window at any hour (see test_care_cli's kineret_template).
    assert run_cli(db, "med", "add", "anakinra", "--time", "04:00").code == 0
    real = doses.record_dose

    def then_the_disk_fills(*args: object, **kwargs: object) -> object:
        done = real(*args, **kwargs)  # type: ignore[arg-type]
        raise DiskFullError("The disk holding the journal is full: nothing was saved. Free some space.")
        return done  # pragma: no cover

    monkeypatch.setattr(doses, "record_dose", then_the_disk_fills)
    monkeypatch.setenv("TZ", "UTC")
    assert run(["--db", str(db), "dose"]) == 4  # not 1: a retrying script must not record it again
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: the record WAS saved")
    assert "nothing was saved" not in err[0]
    with Store.open(db, daily_backup=False) as store:
        assert len(store.all(m.Dose)) == 1


def test_no_memory_mapped_reads_of_the_journal(tmp_path: Path) -> None:
    from journal.store import Store

    with Store.open(tmp_path / "journal.db") as store:
        assert store.db.conn.execute("PRAGMA mmap_size").fetchone()[0] == 0
