"""Reading on a full disk or a read-only medium (issue 31, Deliver 7).

The emergency list and the other reading commands must work with no free byte, no free inode, a
read-only medium and a leftover WAL: reading a WAL needed a new `-shm`, so they failed with "disk I/O
error" or "check that its folder exists". Real file systems: a small tmpfs mounted as root (skipped
elsewhere, as in test_real_disk_full), remounted read-only for the read-only medium.

An encrypted journal too; and `encrypt`, `decrypt` and `passphrase` near a full disk (no byte, a few
KB, no inode) give one `error:` line before anything is asked or written (`decrypt` and `passphrase`
were a traceback: finding the key opened the journal to write), or, when the disk fills half-way,
leave the journal and its backups as they were (a `-journal` of the held original was left beside
it). Tries and losses (December 2026): 9 conversions refused, 3 run out of room: 0 records lost,
0 files left.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal.store import connection
from tests.reliability._helpers import run_cli
from tests.reliability.test_real_disk_full import _fill_bytes, _fill_inodes, _journal, small_disk

__all__ = ["small_disk"]  # the fixture, imported for the tests below

READING = [("emergency",), ("status",), ("allergy", "list"), ("med", "list"), ("history",), ("check",), ("export",)]


def _leave_a_wal(db: Path, scratch: Path) -> None:
    """Put beside `db` a WAL holding one committed allergy not yet folded in, as a killed program leaves it."""
    copy = scratch / "copy.db"
    shutil.copy(db, copy)
    holder = sqlite3.connect(str(copy), isolation_level=None)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute(
        "INSERT INTO allergies (id, substance, created_at, updated_at) "
        "VALUES ('a1', 'latex', '2026-11-01T08:00:00Z', '2026-11-01T08:00:00Z')"
    )
    shutil.copy(copy, db)
    shutil.copy(f"{copy}-wal", f"{db}-wal")
    holder.close()


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _reads(db: Path, *, wal: bool) -> None:
    for args in READING:
        done = run_cli(db, *args)
        assert done.code in (0, 3), (args, done.err)  # status: 3 when a dose is due
        assert "Traceback" not in done.err and "error:" not in done.err, (args, done.err)
        assert "anakinra" in done.out or args in {("check",), ("allergy", "list"), ("export",)}, (args, done.out)
    if wal:  # the change still only in the WAL is shown
        assert "latex" in run_cli(db, "allergy", "list").out
        assert "latex" in run_cli(db, "emergency").out


@pytest.mark.parametrize("wal", [False, True], ids=["no WAL", "leftover WAL"])
@pytest.mark.parametrize("full", ["bytes", "inodes"])
def test_reading_commands_work_on_a_full_disk(small_disk: Path, tmp_path: Path, full: str, wal: bool) -> None:
    db = _journal(small_disk)
    if wal:
        _leave_a_wal(db, tmp_path)
    (_fill_bytes if full == "bytes" else _fill_inodes)(small_disk)
    before = _names(small_disk)
    _reads(db, wal=wal)
    assert _names(small_disk) == before  # no -wal or -shm made (nor left empty)


@pytest.fixture
def read_only_medium(small_disk: Path, tmp_path: Path) -> Iterator[Path]:
    """A journal with a leftover WAL on a file system remounted read-only."""
    db = _journal(small_disk)
    _leave_a_wal(db, tmp_path)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True, timeout=30)
    yield db


def test_reading_commands_work_on_a_read_only_medium_with_a_leftover_wal(read_only_medium: Path) -> None:
    db = read_only_medium
    _reads(db, wal=True)
    run_cli(db, "allergy", "add", "pollen").assert_one_error("read-only")


def test_reading_a_leftover_wal_leaves_no_shm_beside_it(tmp_path: Path) -> None:
    # As a 0444 journal in a writable folder is read (it cannot be written, so it is opened read-only):
    # SQLite's read-only connection made a -shm there and left it.
    db = tmp_path / "journal.db"
    assert run_cli(db, "allergy", "add", "pollen").code == 0
    _leave_a_wal(db, tmp_path / "..")
    before = _names(tmp_path)
    conn = connection.read_only_connection(db)
    try:
        found = sorted(str(row[0]) for row in conn.execute("SELECT substance FROM allergies"))
    finally:
        conn.close()
    assert found == ["latex", "pollen"]
    assert _names(tmp_path) == before
    assert not connection.wal_left_out(db)


def test_a_wal_that_cannot_be_read_is_said_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from journal.cli import cli

    db = tmp_path / "journal.db"
    assert run_cli(db, "allergy", "add", "pollen").code == 0
    _leave_a_wal(db, tmp_path / "..")
    monkeypatch.setattr(connection, "writable", lambda _path: False)  # a read-only journal
    monkeypatch.setattr(connection, "_readable", lambda conn: conn.close())  # no way to read the WAL here
    done = CliRunner().invoke(cli, ["--db", str(db), "allergy", "list"])
    assert done.exit_code == 0, done.output
    assert "pollen" in done.stdout and "latex" not in done.stdout  # the file alone
    assert "changes may be missing" in done.stderr


PASSPHRASE = {"MEDJOURNAL_PASSPHRASE": "purple elephant 42", "MEDJOURNAL_NEW_PASSPHRASE": "seven green apples"}


def _encrypted_journal(disk: Path) -> Path:
    db = _journal(disk)
    done = run_cli(db, "encrypt", env=PASSPHRASE)
    assert done.code == 0, done.err
    return db


@pytest.mark.parametrize("full", ["bytes", "inodes"])
def test_reading_an_encrypted_journal_works_on_a_full_disk(small_disk: Path, full: str) -> None:
    db = _encrypted_journal(small_disk)
    (_fill_bytes if full == "bytes" else _fill_inodes)(small_disk)
    before = _names(small_disk)
    for args in READING:
        done = run_cli(db, *args, env=PASSPHRASE)
        assert done.code in (0, 3), (args, done.err)
        assert "Traceback" not in done.err and "error:" not in done.err, (args, done.err)
        assert "anakinra" in done.out or args in {("check",), ("allergy", "list"), ("export",)}, (args, done.out)
    assert _names(small_disk) == before  # no -wal, -shm, marker or copy made (nor left empty)


def _all_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("room", ["no byte", "a few KB", "no inode"])
@pytest.mark.parametrize("operation", ["encrypt", "decrypt", "passphrase"])
def test_a_conversion_near_a_full_disk_is_one_error_line_and_changes_nothing(
    small_disk: Path, operation: str, room: str
) -> None:
    db = _journal(small_disk) if operation == "encrypt" else _encrypted_journal(small_disk)
    if room == "no inode":
        filler = _fill_inodes(small_disk)
    else:
        filler = _fill_bytes(small_disk)
        if room == "a few KB":  # room for the marker, not for the new copy of the journal
            os.truncate(filler, filler.stat().st_size - 16 * 1024)
    journal_files = {p.name for p in small_disk.iterdir()} - {filler.name}
    before = {name: data for name, data in _all_bytes(small_disk).items() if name.split("/")[0] in journal_files}

    run_cli(db, operation, env=PASSPHRASE).assert_one_error()
    after = {name: data for name, data in _all_bytes(small_disk).items() if name.split("/")[0] in journal_files}
    assert after == before  # the journal and its backups byte for byte as they were
    assert sorted({p.name for p in small_disk.iterdir()} - {filler.name}) == sorted(journal_files)  # nothing left

    # With room again, the same command works and the journal reads as before.
    shutil.rmtree(filler) if filler.is_dir() else filler.unlink()
    done = run_cli(db, operation, env=PASSPHRASE)
    assert done.code == 0, done.err
    phrase = PASSPHRASE["MEDJOURNAL_NEW_PASSPHRASE" if operation == "passphrase" else "MEDJOURNAL_PASSPHRASE"]
    listed = run_cli(db, "med", "list", env={"MEDJOURNAL_PASSPHRASE": phrase})
    assert listed.code == 0 and "anakinra" in listed.out, listed.err


@pytest.mark.parametrize("operation", ["encrypt", "decrypt", "passphrase"])
def test_a_conversion_that_runs_out_of_room_half_way_leaves_the_journal_as_it_was(
    small_disk: Path, operation: str
) -> None:
    """Past the check for room (the disk filled meanwhile): the copy fails, the original stays, nothing is left."""
    from journal.errors import JournalError
    from journal.store import cipher

    db = _journal(small_disk) if operation == "encrypt" else _encrypted_journal(small_disk)
    salt = cipher.salt_of(db) or os.urandom(cipher.SALT_BYTES)
    key = cipher.derive(PASSPHRASE["MEDJOURNAL_PASSPHRASE"], salt)
    filler = _fill_bytes(small_disk)
    os.truncate(filler, filler.stat().st_size - 16 * 1024)  # the marker fits, the new copy does not
    before = {name: data for name, data in _all_bytes(small_disk).items() if name != filler.name}
    try:
        with pytest.raises(JournalError, match="left as it was"):
            if operation == "encrypt":
                cipher.encrypt_journal(db, key, salt)
            elif operation == "decrypt":
                cipher.decrypt_journal(db, key, salt)
            else:
                cipher.change_key(db, (key, salt), cipher.derive("another", salt))
    finally:
        cipher.forget_in_process()
    after = {name: data for name, data in _all_bytes(small_disk).items() if name != filler.name}
    assert sorted(after) == sorted(before)  # no copy, marker or -journal left
    # Every file as it was: the backups byte for byte; the journal holds the same records, in the same
    # state (held, it was taken out of WAL mode, which its header records; the next opening puts it back).
    assert {name: data for name, data in after.items() if name != db.name} == {
        name: data for name, data in before.items() if name != db.name
    }
    assert (cipher.salt_of(db) is None) == (operation == "encrypt")
    filler.unlink()
    phrase = PASSPHRASE["MEDJOURNAL_PASSPHRASE"]
    listed = run_cli(db, "med", "list", env={"MEDJOURNAL_PASSPHRASE": phrase})
    assert listed.code == 0 and "anakinra" in listed.out, listed.err
    assert run_cli(db, "check", env={"MEDJOURNAL_PASSPHRASE": phrase}).code == 0
