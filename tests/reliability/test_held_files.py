"""Reading the journal outside SQLite (its header, a probe of its locks) never costs this process its locks.

Closing any file descriptor on a file releases every POSIX lock the process holds on it,
SQLite's included. Read beside an open connection, the journal could then be changed by
another process under that connection's feet.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from journal import models as m
from journal.store import Store, connection, held

# Another process tries to take the journal out of WAL mode, which SQLite allows only when no
# other connection holds it open.
_LEAVE_WAL = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], timeout=0)\n"
    "try:\n"
    "    print(conn.execute('PRAGMA journal_mode = DELETE').fetchone()[0])\n"
    "except sqlite3.OperationalError as exc:\n"
    "    print(exc)\n"
)


def _other_process_leaves_wal(path: Path) -> str:
    done = subprocess.run([sys.executable, "-c", _LEAVE_WAL, str(path)], capture_output=True, text=True, timeout=30)
    return done.stdout.strip()


def test_checking_a_journal_this_process_has_open_keeps_its_locks(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Store.open(path) as store:
        store.add(m.Allergy(substance="latex"))
        assert held.held(path)
        assert connection.check_file(path) == ["ok"]
        # Still ours: the other process is kept out.
        assert _other_process_leaves_wal(path) == "database is locked"
        assert store.all(m.Allergy)[0].substance == "latex"
    assert not held.held(path)


def test_opening_the_journal_twice_in_one_process_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Store.open(path) as first:
        first.add(m.Allergy(substance="latex"))
        with Store.open(path, daily_backup=False) as second:
            assert len(second.all(m.Allergy)) == 1
        assert _other_process_leaves_wal(path) == "database is locked"


def test_the_check_still_reads_a_journal_no_connection_holds(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Store.open(path) as store:
        store.add(m.Allergy(substance="latex"))
    assert connection.check_file(path) == ["ok"]
    data = bytearray(path.read_bytes())
    data[4096 * 2 + 10 : 4096 * 2 + 200] = bytes(190)  # a damaged page
    path.write_bytes(bytes(data))
    assert connection.check_file(path) != ["ok"]


def test_a_connection_stops_counting_when_closed_or_dropped(tmp_path: Path) -> None:
    import gc

    path = tmp_path / "journal.db"
    Store.open(path).close()
    conn = connection.read_only_connection(path)
    assert held.held(path)
    conn.close()
    conn.close()  # a second close counts nothing
    assert not held.held(path)
    kept = connection.read_only_connection(path)
    dropped = connection.read_only_connection(path)
    del dropped
    gc.collect()
    assert held.held(path)  # `kept` still holds it
    kept.close()
    assert not held.held(path)
