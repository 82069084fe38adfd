"""Backups and restore: consistent while another program writes, rotated, checked before a restore."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journal import models as m
from journal.locations import backup_dir
from journal.store import Store, backups
from tests.reliability._helpers import cli_env, integrity, query, run_cli, snapshot

WRITER = """
import sys
from journal import models as m
from journal.store import Store

with Store.open(sys.argv[1]) as store:
    med = store.add(m.Medication(name="anakinra", tracked=True))
    i = 0
    while True:
        i += 1
        with store.transaction():
            check = store.add(m.SyringeCheck(medication_id=med.id, at=m.utcnow(), tz="UTC"))
            store.add(m.Dose(medication_id=med.id, at=m.utcnow(), tz="UTC", check_id=check.id))
            store.add(m.Allergy(substance=f"a{i}", reaction="x" * 500))
        if i == 1:
            print("started", flush=True)
"""


def _consistent(path: Path) -> int:
    """A backup is a journal whose every transaction is whole; how many records it holds."""
    assert integrity(path) == "ok"
    assert query(path, "PRAGMA foreign_key_check") == []
    doses = query(path, "SELECT count(*) FROM doses")[0][0]
    assert query(path, "SELECT count(*) FROM syringe_checks")[0][0] == doses
    assert query(path, "SELECT count(*) FROM allergies")[0][0] == doses
    assert query(path, "SELECT count(*) FROM history")[0][0] == 3 * doses + 1
    assert query(path, "PRAGMA journal_mode")[0][0] == "delete"
    return int(doses)


def test_backup_is_consistent_while_another_program_writes(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=cli_env()
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "started"
        counts = []
        for i in range(4):
            dest = tmp_path / "out" / f"copy{i}.db"
            done = run_cli(path, "backup", str(dest))
            assert done.code == 0, done.err
            assert f"to {dest}" in done.out
            counts.append(_consistent(dest))
            assert dest.stat().st_mode & 0o777 == 0o600
            assert not dest.with_name(dest.name + "-wal").exists()
        assert writer.poll() is None, "the writer stopped while backups were taken"
    finally:
        writer.kill()
        writer.wait()
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0, counts
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o700


def test_backup_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    dest = tmp_path / "precious.db"
    dest.write_bytes(b"do not overwrite me")
    run_cli(path, "backup", str(dest)).assert_one_error("already exists")
    assert dest.read_bytes() == b"do not overwrite me"
    # A folder as DEST: a new dated file inside it.
    done = run_cli(path, "backup", str(tmp_path))
    assert done.code == 0 and len(list(tmp_path.glob("journal-*.db"))) == 1


def test_one_automatic_backup_a_day(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    assert backups.list_backups(path) == []  # an empty journal has nothing to protect
    # The emergency list only reads and must answer at once: the day's backup waits for a write.
    assert run_cli(path, "emergency").code == 0
    assert backups.list_backups(path) == []
    for substance in ("pollen", "nickel", "wasp stings"):
        assert run_cli(path, "allergy", "add", substance).code == 0
    found = backups.list_backups(path)
    assert [b.kind for b in found] == ["daily"]
    # Taken when the journal was opened, before that command's write.
    assert query(found[0].path, "SELECT substance FROM allergies") == [("latex",)]
    assert backup_dir(path).stat().st_mode & 0o777 == 0o700
    assert found[0].path.stat().st_mode & 0o777 == 0o600
    listing = run_cli(path, "backups")
    assert listing.code == 0 and "daily" in listing.out and str(found[0].path) in listing.out


def test_daily_backups_rotate_and_keep_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.db"
    monkeypatch.setenv(backups.ENV_KEEP, "3")
    day = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    with Store.open(path) as store:
        store.add(m.Allergy(substance="latex"))
        backups.take(store.db, path, backups.MANUAL, now=day - timedelta(days=30))
        for i in range(6):
            assert backups.daily(store.db, path, now=day + timedelta(days=i)) is not None
            assert backups.daily(store.db, path, now=day + timedelta(days=i, hours=3)) is None
    found = backups.list_backups(path)
    daily = [b.taken_at.date().isoformat() for b in found if b.kind == "daily"]
    # The real open above also took today's; the three newest dated ones are what is left.
    assert len(daily) == 3
    assert daily == sorted(daily, reverse=True)
    assert [b.kind for b in found].count("manual") == 1


def test_keep_zero_turns_daily_backups_off_and_bad_values_are_told_but_block_nothing(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    assert run_cli(path, "allergy", "add", "pollen", env={backups.ENV_KEEP: "0"}).code == 0
    assert backups.list_backups(path) == []
    # A typo in the setting never stops a record: it is named, and the default kept.
    typo = run_cli(path, "allergy", "add", "nickel", env={backups.ENV_KEEP: "lots"})
    assert typo.code == 0 and backups.ENV_KEEP in typo.err and "'lots'" in typo.err
    assert query(path, "SELECT count(*) FROM allergies") == [(3,)]
    assert [b.kind for b in backups.list_backups(path)] == ["daily"]
    listed = run_cli(path, "backups", env={backups.ENV_KEEP: "lots"})
    assert backups.ENV_KEEP in listed.out


# --- restore ---------------------------------------------------------------------------------------


def _substances(path: Path) -> list[str]:
    return sorted(str(r[0]) for r in query(path, "SELECT substance FROM allergies"))


def test_restore_replaces_the_journal_and_keeps_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    saved = tmp_path / "saved.db"
    assert run_cli(path, "backup", str(saved)).code == 0
    assert run_cli(path, "allergy", "add", "penicillin").code == 0
    saved_bytes = saved.read_bytes()

    with Store.open(path) as open_elsewhere:  # as if the TUI were open during the restore
        assert open_elsewhere.count(m.Allergy) == 2
        done = run_cli(path, "restore", str(saved), "--yes")
        assert done.code == 0, done.err
        assert open_elsewhere.count(m.Allergy) == 1  # it sees the restored journal at once

    assert _substances(path) == ["latex"]
    assert saved.read_bytes() == saved_bytes, "restore changed its source"
    kept = [b for b in backups.list_backups(path) if b.kind == "before-restore"]
    assert len(kept) == 1 and f"kept as {kept[0].path}" in done.out
    assert _substances(kept[0].path) == ["latex", "penicillin"]
    assert run_cli(path, "check").code == 0
    assert query(path, "PRAGMA journal_mode")[0][0] == "wal"
    assert path.stat().st_mode & 0o777 == 0o600


def _make_source(kind: str, folder: Path, good: Path) -> Path:
    src = folder / f"{kind}.db"
    data = good.read_bytes()
    if kind == "not-sqlite":
        src.write_text("these are my notes, not a journal\n" * 50)
    elif kind == "damaged":
        src.write_bytes(data[: len(data) // 2])
    elif kind == "newer":
        src.write_bytes(data)
        conn = sqlite3.connect(src)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('medjournal', 'm999', 'x')"
        )
        conn.commit()
        conn.close()
    elif kind == "foreign":
        conn = sqlite3.connect(src)
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.commit()
        conn.close()
    elif kind == "zero-bytes":
        src.write_bytes(b"")
    elif kind == "empty-sqlite":
        conn = sqlite3.connect(src)
        conn.execute("PRAGMA user_version = 1")  # a valid SQLite file with no tables at all
        conn.close()
    return src


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("not-sqlite", "not an sqlite file"),
        ("damaged", "cannot be restored"),
        ("newer", "newer version"),
        ("foreign", "another program"),
        ("zero-bytes", "not an sqlite file"),
        ("empty-sqlite", "not a medjournal journal"),
        ("missing", "no journal file"),
    ],
)
def test_restore_refuses_a_bad_source_and_changes_nothing(kind: str, words: str, tmp_path: Path) -> None:
    path = tmp_path / "journal" / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    assert run_cli(path, "allergy", "add", "penicillin").code == 0
    good = tmp_path / "good.db"
    assert run_cli(path, "backup", str(good)).code == 0
    src = _make_source(kind, tmp_path, good)
    before = snapshot(path.parent)
    run_cli(path, "restore", str(src), "--yes").assert_one_error(words)
    assert snapshot(path.parent) == before


def test_restore_asks_first(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    saved = tmp_path / "saved.db"
    assert run_cli(path, "backup", str(saved)).code == 0
    assert run_cli(path, "allergy", "add", "penicillin").code == 0
    before = snapshot(tmp_path)
    run_cli(path, "restore", str(saved), stdin=subprocess.DEVNULL).assert_one_error("--yes")
    assert snapshot(tmp_path) == before


def test_restore_over_a_damaged_journal_keeps_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    saved = tmp_path / "saved.db"
    assert run_cli(path, "backup", str(saved)).code == 0
    data = path.read_bytes()
    damaged = data[:4096] + bytes(len(data) - 4096)
    path.write_bytes(damaged)
    run_cli(path, "emergency").assert_one_error("damaged")
    done = run_cli(path, "restore", str(saved), "--yes")
    assert done.code == 0, done.err
    assert _substances(path) == ["latex"]
    kept = [b for b in backups.list_backups(path) if b.kind == "before-restore"]
    assert len(kept) == 1 and kept[0].path.read_bytes() == damaged


def test_a_copy_abandoned_by_a_crash_is_cleaned_up(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    folder = backup_dir(path)
    folder.mkdir(mode=0o700)
    stale = folder / ".journal-20261101T080000Z-daily.db.4242.part"
    stale.write_bytes(b"half a copy")
    os.utime(stale, (0, 0))
    in_progress = folder / f".journal-20261125T080000Z-manual.db.{os.getpid()}.part"  # its process runs
    in_progress.write_bytes(b"another process is writing this one")
    assert run_cli(path, "allergy", "add", "pollen").code == 0  # the day's first write: backup, then rotation
    assert not stale.exists() and in_progress.exists()
    assert [b.kind for b in backups.list_backups(path)] == ["daily"]
