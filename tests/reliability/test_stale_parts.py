"""Stale `.part` copies are removed whenever the journal is opened to write (issue 31, Deliver 11).

A storm of killed backups left a full-size copy each (28 of a 6 MB journal), removed only by the next
day's backup an hour later at the earliest. A copy whose process is gone is removed at the next write.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from journal.locations import backup_dir
from tests.reliability._helpers import run_cli


def _dead_pid() -> int:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_copies_left_by_killed_backups_go_at_the_next_write(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "allergy", "add", "latex").code == 0
    folder = backup_dir(db)
    folder.mkdir(mode=0o700, exist_ok=True)
    dead = _dead_pid()
    # Fresh copies (not an hour old), of a process that is gone: as `kill -9` during `backup` leaves them.
    left = [folder / f".journal-20261207T080000Z-{n}-manual.db.{dead}.part" for n in range(2, 6)]
    left.append(folder / f".journal-20261207T080000Z-7-manual.db.{dead}.part-journal")
    left.append(tmp_path / f".journal.db.restoring-{dead}")
    running = folder / f".journal-20261207T080000Z-9-manual.db.{os.getpid()}.part"  # its process runs
    for path in [*left, running]:
        path.write_bytes(b"\0" * 65536)
    # No daily backup (and so no rotation) on this write: the opening itself cleans up.
    done = run_cli(db, "allergy", "add", "pollen", env={"MEDJOURNAL_BACKUPS_KEEP": "0"})
    assert done.code == 0, done.err
    assert [p.name for p in left if p.exists()] == []
    assert running.exists()


def test_a_command_that_only_reads_removes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "allergy", "add", "latex").code == 0
    folder = backup_dir(db)
    folder.mkdir(mode=0o700, exist_ok=True)
    stale = folder / f".journal-20261207T080000Z-2-manual.db.{_dead_pid()}.part"
    stale.write_bytes(b"\0" * 4096)
    assert run_cli(db, "emergency").code == 0
    assert stale.exists()
