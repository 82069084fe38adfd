"""Schema migrations: a new or empty file gets every step, an older journal is backed up first, a newer one refused.

Only one real step exists so far, so an "older" journal is simulated: the real steps plus a
fake later step make today's schema the older one (and `stop_before` builds a journal that
lacks the fake step).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from journal import models as m
from journal.errors import JournalError, NewerJournalError, NotAJournalError
from journal.locations import backup_dir
from journal.store import Store, backups, connection

REAL = list(connection.known_step_names())
FAKE = "m900_add_mood_to_checkins"


def _with_fake_step(fail: bool = False) -> Migrations:
    steps = Migrations(connection.MIGRATION_SET)
    for step in connection._migrations_module().STEPS:  # the real ones, never a patched list
        steps(name=step.__name__)(step)

    @steps(name=FAKE)
    def add_mood(db: Database) -> None:
        db["checkins"].add_column("mood", str)  # type: ignore[union-attr]
        if fail:
            raise RuntimeError("this step is broken")

    return steps


def _pretend(monkeypatch: pytest.MonkeyPatch, steps: Callable[[], Migrations]) -> None:
    """Make this version of medjournal know `steps` (both where the steps are applied and where they are listed)."""
    monkeypatch.setattr(connection, "migrations", steps)
    names = tuple(step.name for step in steps().pending(Database(memory=True)))
    monkeypatch.setattr(connection, "known_step_names", lambda: names)


@pytest.fixture
def newer_code(monkeypatch: pytest.MonkeyPatch) -> Iterator[Migrations]:
    """Pretend this version of medjournal knows one more schema step than the journal has."""
    steps = _with_fake_step()
    _pretend(monkeypatch, lambda: steps)
    yield steps


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()
    }


def test_a_new_journal_gets_every_step_and_no_backup(journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        assert store.schema_steps() == REAL
        assert store.is_empty()
    assert not backup_dir(journal_path).exists()


def test_an_empty_file_is_refused_and_a_missing_one_becomes_a_journal(journal_path: Path) -> None:
    journal_path.touch(mode=0o600)
    with pytest.raises(NotAJournalError, match="empty file"):
        Store.open(journal_path)
    assert journal_path.stat().st_size == 0
    journal_path.unlink()
    with Store.open(journal_path) as store:
        assert store.schema_steps() == REAL
        store.add(m.Allergy(substance="latex"))
    with Store.open(journal_path) as store:
        assert [a.substance for a in store.all(m.Allergy)] == ["latex"]


def test_a_journal_from_a_newer_version_is_refused_untouched(journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        store.add(m.Allergy(substance="latex"))
    conn = sqlite3.connect(journal_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, 'm999_from_the_future', 'x')",
        [connection.MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    before = _files(journal_path.parent)
    with pytest.raises(NewerJournalError, match=r"newer version of medjournal.*m999_from_the_future"):
        Store.open(journal_path)
    assert _files(journal_path.parent) == before  # bytes and mtimes, and no file added beside it


def test_backup_before_a_pending_step_holds_the_old_schema_and_the_data(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(journal_path) as store:  # written by "the previous version": the real steps only
        store.add(m.Allergy(substance="latex"))
        store.add(m.Condition(name="diabetes"))
    for item in backups.list_backups(journal_path):  # keep only what the migration takes
        item.path.unlink()

    _pretend(monkeypatch, lambda: _with_fake_step())
    with Store.open(journal_path) as store:
        assert store.schema_steps() == [*REAL, FAKE]
        assert [a.substance for a in store.all(m.Allergy)] == ["latex"]
        assert "mood" in store.db["checkins"].columns_dict

    taken = [b for b in backups.list_backups(journal_path) if b.kind == f"before-{FAKE}"]
    assert len(taken) == 1
    copy = sqlite3.connect(taken[0].path)
    try:
        steps = [r[0] for r in copy.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert steps == REAL
        assert copy.execute("SELECT substance FROM allergies").fetchall() == [("latex",)]
        assert "mood" not in [r[1] for r in copy.execute("PRAGMA table_info(checkins)")]
    finally:
        copy.close()


def test_no_step_is_applied_when_its_backup_fails(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(journal_path) as store:
        store.add(m.Allergy(substance="latex"))
    _pretend(monkeypatch, lambda: _with_fake_step())

    def no_space(*args: object, **kwargs: object) -> Path:
        raise JournalError("The disk is full.")

    monkeypatch.setattr(backups, "take", no_space)
    with pytest.raises(JournalError, match="full"):
        Store.open(journal_path)
    monkeypatch.undo()
    with Store.open(journal_path) as store:
        assert store.schema_steps() == REAL


def test_a_failing_step_rolls_back_and_leaves_the_journal_as_it_was(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(journal_path) as store:
        store.add(m.Allergy(substance="latex"))
    _pretend(monkeypatch, lambda: _with_fake_step(fail=True))
    with pytest.raises(RuntimeError, match="broken"):
        Store.open(journal_path)
    monkeypatch.undo()
    with Store.open(journal_path) as store:
        assert store.schema_steps() == REAL
        assert "mood" not in store.db["checkins"].columns_dict
        assert [a.substance for a in store.all(m.Allergy)] == ["latex"]


def test_a_journal_missing_a_step_is_brought_up_to_date(journal_path: Path, newer_code: Migrations) -> None:
    raw = Database(sqlite3.connect(journal_path, isolation_level=None))
    newer_code.apply(raw, stop_before=FAKE)
    assert [s.name for s in newer_code.pending(raw)] == [FAKE]
    raw.conn.close()
    with Store.open(journal_path) as store:
        assert store.schema_steps() == [*REAL, FAKE]
        store.add(m.Checkin(pain=2, at=m.utcnow(), tz="UTC"))


def test_restoring_an_older_backup_brings_it_up_to_date(tmp_path: Path, newer_code: Migrations) -> None:
    old = tmp_path / "old-backup.db"
    raw = Database(sqlite3.connect(old, isolation_level=None))
    newer_code.apply(raw, stop_before=FAKE)  # a backup made by the previous version
    raw.table("allergies").insert(
        {"id": "a1", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "substance": "latex"}
    )
    raw.table("history").insert(
        {"id": "h1", "at": "2026-01-01T00:00:00Z", "table_name": "allergies", "row_id": "a1", "action": "insert"}
    )
    raw.conn.close()
    journal = tmp_path / "journal.db"
    with Store.open(journal) as store:
        store.add(m.Allergy(substance="penicillin"))

    backups.restore(old, journal)

    with Store.open(journal) as store:
        assert store.schema_steps() == [*REAL, FAKE]
        assert [a.substance for a in store.all(m.Allergy)] == ["latex"]
    kinds = {b.kind for b in backups.list_backups(journal)}
    assert {"before-restore", f"before-{FAKE}"} <= kinds


def test_every_step_in_the_migrations_file_is_listed_in_order_and_applied_in_that_order() -> None:
    # A step written but left out of STEPS would never be applied; one listed out of order would
    # be applied out of order. A journal whose applied steps equal these opens without sqlite-utils.
    module = connection._migrations_module()
    written = [name for name in vars(module) if name[:1] == "m" and name[1:4].isdigit()]
    assert list(connection.known_step_names()) == sorted(written) == written
    db = Database(memory=True)
    connection.migrations().apply(db)
    assert [row["name"] for row in db.query("SELECT name FROM _sqlite_migrations ORDER BY rowid")] == written


def test_a_current_journal_is_opened_without_sqlite_utils(journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        store.add(m.Allergy(substance="latex"))
    code = (
        "import sys\n"
        "from journal.store import Store\n"
        f"store = Store.open(r'{journal_path}', daily_backup=False)\n"
        "print(store.schema_steps(), 'sqlite_utils' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"{REAL} False"


def test_a_journal_written_before_schedules_keeps_every_medicine_on_its_time(journal_path: Path) -> None:
    """m006: a tracked medicine's usual time becomes 'daily at HH:MM' (or its recent doses' time), nothing lost."""
    released = Migrations(connection.MIGRATION_SET)
    for step in connection._migrations_module().STEPS:
        if step.__name__ < "m004":
            released(name=step.__name__)(step)
    db = Database(str(journal_path))
    released.apply(db)
    stamp = "2026-10-01T09:00:00Z"
    meta = {"created_at": stamp, "updated_at": stamp}
    db["medications"].insert_all(  # type: ignore[union-attr]
        [
            {"id": "a" * 32, "name": "anakinra", "pack": "anakinra", "tracked": 1, "usual_time": "21:00", **meta},
            {"id": "b" * 32, "name": "folic acid", "tracked": 1, "started": "2026-09-15", **meta},
            {"id": "c" * 32, "name": "vitamin D", "tracked": 0, **meta},
        ]
    )
    for day in range(1, 4):
        row = {"medication_id": "b" * 32, "at": f"2026-10-0{day}T07:30:00Z", "tz": "Europe/Paris", "status": "taken"}
        db["doses"].insert({"id": f"{day}" * 32, **row, **meta})  # type: ignore[union-attr]
    db.conn.close()

    with Store.open(journal_path) as store:
        by_name = {med.name: med for med in store.medications()}
        anakinra = store.schedules(by_name["anakinra"].id)
        assert [(s.spec, s.starts.isoformat()) for s in anakinra] == [("daily at 21:00", "2026-10-01")]
        folic = store.schedules(by_name["folic acid"].id)
        # 07:30Z is 09:30 in Paris in October (summer time).
        assert [(s.spec, s.starts.isoformat()) for s in folic] == [("daily at 09:30", "2026-09-15")]
        assert store.schedules(by_name["vitamin D"].id) == []
        assert by_name["anakinra"].form is m.MedForm.INJECTION and by_name["folic acid"].form is None
        assert all(not d.extra for d in store.all(m.Dose)) and len(store.all(m.Dose)) == 3
        assert by_name["anakinra"].usual_time == "21:00"  # the old columns are kept


def test_a_journal_written_by_the_release_before_lab_results_gets_the_table_and_keeps_its_records(
    journal_path: Path,
) -> None:
    steps = connection.migrations()
    raw = Database(sqlite3.connect(journal_path, isolation_level=None))
    steps.apply(raw, stop_before="m004_lab_results")  # what the current release writes
    raw["allergies"].insert(  # type: ignore[union-attr]
        {"id": "a1", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "substance": "latex"}
    )
    assert "lab_results" not in raw.table_names()
    raw.conn.close()
    with Store.open(journal_path) as store:
        assert store.schema_steps() == REAL and "m004_lab_results" in REAL
        assert [a.substance for a in store.all(m.Allergy)] == ["latex"]
        store.add(m.LabResult(test="ALT", value=31.0, unit="U/L", at=m.utcnow(), tz="UTC"))
        assert [r.value for r in store.lab_results(test="alt")] == [31.0]
    assert "before-m004_lab_results" in {b.kind for b in backups.list_backups(journal_path)}
