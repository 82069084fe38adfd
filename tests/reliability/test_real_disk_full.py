"""A real full disk: a small tmpfs mounted for the test (no page-count trick), full of bytes or of files.

Mounting needs root (or CAP_SYS_ADMIN); where the machine does not allow it the tests are skipped
and say why. The journal must come out whole every time, and each cause gets its own message.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability._helpers import integrity, query, run_cli

# Bytes: room for a journal, its WAL, a backup and the program's own files. Inodes: a few dozen.
SIZE = "3m"
INODES = 64


def _mount(folder: Path, options: str) -> str | None:
    """Mount a tmpfs at `folder`; the reason it could not be, or None."""
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "no mount command on this machine"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True, timeout=30
    )
    if done.returncode != 0:
        return f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not root'})"
    return None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A fresh 3 MB file system with 64 inodes, unmounted afterwards."""
    folder = tmp_path / "disk"
    folder.mkdir()
    why = _mount(folder, f"size={SIZE},nr_inodes={INODES},mode=0700")
    if why:
        pytest.skip(why)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, timeout=30)


def _fill_bytes(disk: Path) -> Path:
    """Fill the disk to its last byte; the filler file, to delete to free the space."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    assert os.statvfs(disk).f_bavail == 0
    return filler


def _fill_inodes(disk: Path) -> Path:
    """Use every free inode; the folder of empty files, to delete to free them."""
    folder = disk / "many"
    folder.mkdir()
    n = 0
    with contextlib.suppress(OSError):
        while True:
            (folder / str(n)).touch()
            n += 1
    assert os.statvfs(disk).f_favail == 0
    return folder


def _journal(disk: Path) -> Path:
    db = disk / "journal.db"
    assert run_cli(db, "med", "add", "anakinra", "--time", "08:00").code == 0
    assert run_cli(db, "dose", "--at", "yesterday 08:00").code == 0
    return db


def _backup_elsewhere(db: Path, where: Path) -> Path:
    copy = where / "good.db"
    assert run_cli(db, "backup", str(copy)).code == 0
    return copy


def _doses(db: Path) -> int:
    return int(query(db, "SELECT count(*) FROM doses")[0][0])


def _damage(db: Path) -> None:
    """Overwrite the second page with garbage: the journal can no longer be opened."""
    with open(db, "r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 4096)


def test_a_write_on_a_full_disk_says_full_and_keeps_every_record(small_disk: Path) -> None:
    db = _journal(small_disk)
    filler = _fill_bytes(small_disk)
    result = run_cli(db, "effect", "headache", "--note", "n" * 50_000)
    result.assert_one_error("full")
    filler.unlink()  # SQLite itself needs room to read a WAL journal (its -shm)
    assert integrity(db) == "ok" and _doses(db) == 1
    assert query(db, "SELECT count(*) FROM side_effects")[0][0] == 0
    assert run_cli(db, "effect", "headache").code == 0


@pytest.mark.parametrize("damaged", [False, True], ids=["sound journal", "damaged journal"])
def test_restore_on_a_full_disk_changes_nothing(small_disk: Path, tmp_path: Path, damaged: bool) -> None:
    db = _journal(small_disk)
    good = _backup_elsewhere(db, tmp_path)
    assert run_cli(db, "dose", "--skip", "travel").code == 0  # the journal now differs from the backup
    if damaged:
        _damage(db)
    before = db.read_bytes()
    filler = _fill_bytes(small_disk)

    run_cli(db, "restore", str(good), "--yes").assert_one_error("full", "nothing was restored")
    assert db.read_bytes() == before, "the live journal was moved, truncated or changed"

    filler.unlink()
    assert run_cli(db, "restore", str(good), "--yes").code == 0
    assert integrity(db) == "ok" and _doses(db) == 1


def test_restore_with_no_inodes_left_changes_nothing_and_says_why(small_disk: Path, tmp_path: Path) -> None:
    db = _journal(small_disk)
    good = _backup_elsewhere(db, tmp_path)
    _damage(db)
    before = db.read_bytes()
    many = _fill_inodes(small_disk)

    error = run_cli(db, "restore", str(good), "--yes").assert_one_error("inode")
    assert "damaged" not in error
    assert db.read_bytes() == before
    # The next command does not start an empty journal in its place.
    assert run_cli(db, "status").code == 1
    assert db.read_bytes() == before

    shutil.rmtree(many)
    assert run_cli(db, "restore", str(good), "--yes").code == 0
    assert _doses(db) == 1


def test_restore_while_another_program_holds_the_journal_locked(tmp_path: Path) -> None:
    db = _journal(tmp_path)
    good = _backup_elsewhere(db, tmp_path / "..")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')\n"
            "c.execute('SELECT count(*) FROM doses').fetchone()\n"
            "print('locked', flush=True); time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = sorted(p.name for p in tmp_path.iterdir())
        error = run_cli(db, "restore", str(good), "--yes").assert_one_error()
        assert "locked" in error or "busy" in error, error
        assert "damaged" not in error and "cannot be restored" not in error
        assert sorted(p.name for p in tmp_path.iterdir()) == before
    finally:
        holder.kill()
        holder.wait()
    conn = sqlite3.connect(str(db))
    assert conn.execute("SELECT count(*) FROM doses").fetchone()[0] == 1
    conn.close()
