"""The store's write path: history for every change, soft deletes, and BEGIN IMMEDIATE under a second writer."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from journal import models as m
from journal.errors import DiskFullError, JournalBusyError, NotAJournalError, ReadOnlyJournalError
from journal.store import Store, connection

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _history(store: Store) -> list[tuple[str, str, str | None, str | None]]:
    rows = store.db.conn.execute("SELECT action, row_id, before, after FROM history ORDER BY at, rowid").fetchall()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def test_every_change_writes_a_history_row_with_before_and_after(store: Store) -> None:
    allergy = store.add(m.Allergy(substance="latex", created_at=NOW, updated_at=NOW))
    changed = store.update(allergy, now=NOW + timedelta(hours=1), reaction="hives")
    store.delete(changed, now=NOW + timedelta(hours=2))
    store.restore(changed, now=NOW + timedelta(hours=3))

    entries = store.history(limit=10)
    assert [e.action for e in entries] == ["restore", "delete", "update", "insert"]
    assert all(e.row_id == allergy.id and e.table_name == "allergies" for e in entries)
    insert, update = entries[3], entries[2]
    assert insert.before is None and insert.after is not None and insert.after["substance"] == "latex"
    assert update.before is not None and update.before["reaction"] is None
    assert update.after is not None and update.after["reaction"] == "hives"
    assert entries[1].after is not None and entries[1].after["deleted_at"] == "2026-11-20T10:00:00Z"


def test_an_update_that_changes_nothing_writes_nothing(store: Store) -> None:
    allergy = store.add(m.Allergy(substance="latex"))
    store.update(allergy, substance="latex")
    assert [row[0] for row in _history(store)] == ["insert"]


def test_delete_is_soft_and_keeps_the_record(store: Store) -> None:
    med = store.add(m.Medication(name="anakinra", tracked=True))
    store.delete(med, now=NOW)
    assert store.get(m.Medication, med.id) is None
    assert store.medications(include_stopped=True) == []
    kept = store.get(m.Medication, med.id, include_deleted=True)
    assert kept is not None and kept.name == "anakinra" and kept.deleted_at == NOW
    raw = store.db.conn.execute("SELECT name, deleted_at FROM medications").fetchall()
    assert raw == [("anakinra", "2026-11-20T08:00:00Z")]


def test_a_failed_transaction_leaves_no_trace(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.add(m.Allergy(substance="latex"))
        store.add(m.Condition(name="diabetes"))
        raise RuntimeError("the second half failed")
    assert store.count(m.Allergy) == 0 and store.count(m.Condition) == 0
    assert _history(store) == []
    assert not store.db.conn.in_transaction


def test_writes_start_with_begin_immediate(store: Store, journal_path: Path) -> None:
    other = sqlite3.connect(str(journal_path), isolation_level=None, timeout=0)
    try:
        with store.transaction():
            # The write lock is held from the start, before the first write: a second writer waits.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            store.add(m.Allergy(substance="latex"))
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_second_writer_holding_the_lock_briefly_is_waited_for(store: Store, journal_path: Path) -> None:
    other = sqlite3.connect(str(journal_path), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO conditions (id, created_at, updated_at, name) VALUES ('c1', 'x', 'x', 'asthma')")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        store.add(m.Allergy(substance="latex"))
    finally:
        release.join()
        other.close()
    assert time.monotonic() - started >= 0.25
    assert store.count(m.Allergy) == 1
    assert store.db.conn.execute("SELECT name FROM conditions").fetchall() == [("asthma",)]


def test_a_writer_that_never_lets_go_is_one_clear_error(store: Store, journal_path: Path) -> None:
    store.db.conn.execute("PRAGMA busy_timeout = 20")  # keep the test fast; the real wait is 5 s a try
    other = sqlite3.connect(str(journal_path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(JournalBusyError, match=r"busy.*Nothing was saved"):
            store.add(m.Allergy(substance="latex"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.count(m.Allergy) == 0


def test_sqlites_read_only_error_becomes_one_sentence(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, where file modes do not stop writes: open the journal through a
    # read-only URI instead, so SQLite itself refuses the write as it would for a user.
    with Store.open(journal_path) as store:
        store.add(m.Allergy(substance="latex"))
    before = journal_path.read_bytes()
    real_connect = sqlite3.connect

    def read_only(database: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(database) == str(journal_path):
            kwargs["uri"] = True
            database = f"{journal_path.as_uri()}?mode=ro"
        return real_connect(database, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(sqlite3, "connect", read_only)  # the module connection.py calls
    with Store.open(journal_path) as store, pytest.raises(ReadOnlyJournalError, match=r"read-only.*nothing was saved"):
        store.add(m.Allergy(substance="penicillin"))
    monkeypatch.undo()
    assert journal_path.read_bytes() == before


@pytest.mark.parametrize(
    ("message", "error", "words"),
    [
        ("database or disk is full", DiskFullError, "full"),
        ("database is locked", JournalBusyError, "busy"),
        ("attempt to write a readonly database", ReadOnlyJournalError, "read-only"),
        ("file is not a database", NotAJournalError, "damaged"),
        ("database disk image is malformed", NotAJournalError, "damaged"),
    ],
)
def test_sqlite_errors_are_translated(message: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words), connection.translate_errors(Path("j.db")):
        raise sqlite3.OperationalError(message)


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAJournalError, match="another program"):
        Store.open(path)
    assert path.read_bytes() == before


def test_pragmas_on_every_connection(store: Store) -> None:
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == connection.BUSY_TIMEOUT_MS


def test_history_pages_never_skip_changes_made_in_the_same_second(store: Store) -> None:
    now = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with store.transaction():
        for i in range(7):
            store.add(m.Allergy(substance=f"substance {i}", created_at=now, updated_at=now))
    seen: list[str] = []
    page = store.history(limit=3)
    while page:
        seen.extend(entry.row_id for entry in page)
        page = store.history(limit=3, before=page[-1])
    assert len(seen) == len(set(seen)) == 7


def test_a_since_in_another_zone_means_the_same_moment(store: Store) -> None:
    # 08:30 in Paris is 07:30 UTC: a dose at 07:45 UTC came after it, one at 07:15 UTC before.
    paris = ZoneInfo("Europe/Paris")
    med = m.Medication(name="anakinra", tracked=True)
    early = m.Dose.validate({"medication_id": med.id, "at": NOW - timedelta(minutes=45), "tz": "UTC"}, now=NOW)
    late = m.Dose.validate({"medication_id": med.id, "at": NOW - timedelta(minutes=15), "tz": "UTC"}, now=NOW)
    for record in (med, early, late):
        store.add(record)
    since = datetime(2026, 11, 20, 8, 30, tzinfo=paris)
    assert [d.id for d in store.between(m.Dose, "at", since)] == [late.id]
    assert [d.id for d in store.between(m.Dose, "at", until=since)] == [early.id]
