"""Restore is never blocked by what the journal itself tolerates (issue 31, Deliver 3).

A journal holding one unreadable record (a dose time stored as `226-11-20T08:00:00Z`) still opens,
leaving the record out and naming it; its backups must restore the same way, with the record named
and the person's confirmation. A record that breaks a rule protecting it is still refused.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from tests.reliability._helpers import query, run_cli, snapshot
from tests.reliability.test_failure_paths import _journal_with_a_dose, _write_damaged_dose


def _damaged_journal_and_its_backup(tmp_path: Path) -> tuple[Path, Path, str]:
    db = tmp_path / "journal.db"
    _journal_with_a_dose(db)
    bad_id = _write_damaged_dose(db)
    saved = tmp_path / "saved.db"
    assert run_cli(db, "backup", str(saved)).code == 0
    assert run_cli(db, "allergy", "add", "latex").code == 0  # a change after the backup
    return db, saved, bad_id


def test_a_backup_holding_an_unreadable_record_is_restored_and_the_record_named(tmp_path: Path) -> None:
    db, saved, bad_id = _damaged_journal_and_its_backup(tmp_path)
    done = run_cli(db, "restore", str(saved), "--yes")
    assert done.code == 0, done.err
    assert "Traceback" not in done.err
    assert f"doses record {bad_id}" in done.out and "226-11-20" in done.out
    assert "1 record(s) above cannot be read" in done.out
    assert query(db, "SELECT count(*) FROM allergies")[0][0] == 0  # the backup's contents, not the later ones
    assert query(db, "SELECT count(*) FROM doses WHERE id = ?", (bad_id,))[0][0] == 1  # restored as it was
    # The journal keeps working, and keeps naming the record.
    assert run_cli(db, "emergency").code == 0
    assert bad_id in run_cli(db, "check").out


def test_restoring_an_unreadable_record_asks_first(tmp_path: Path) -> None:
    db, saved, _bad_id = _damaged_journal_and_its_backup(tmp_path)
    before = snapshot(tmp_path)
    refused = run_cli(db, "restore", str(saved), stdin=subprocess.DEVNULL)
    refused.assert_one_error("--yes")
    assert "cannot be read" in refused.out  # named before the question
    assert snapshot(tmp_path) == before


def test_backups_says_which_backups_can_be_restored(tmp_path: Path) -> None:
    db, _saved, _bad_id = _damaged_journal_and_its_backup(tmp_path)
    assert run_cli(db, "backup").code == 0  # a manual backup in the backup folder, with the unreadable record
    folder = db.with_name(db.name + ".backups")
    (kept,) = folder.glob("*-manual.db")
    broken = folder / kept.name.replace("-manual.db", "-2-manual.db")
    broken.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])
    shown = run_cli(db, "backups")
    assert shown.code == 0, shown.err
    assert "can be restored (1 unreadable record(s)" in shown.out
    assert "cannot be restored: SQLite cannot read it" in shown.out


def test_a_record_breaking_a_safety_rule_is_still_refused(tmp_path: Path) -> None:
    db, saved, _bad_id = _damaged_journal_and_its_backup(tmp_path)
    conn = sqlite3.connect(saved)
    with conn:
        conn.execute("UPDATE medications SET started = '1850-01-01'")  # readable, but outside 1900-2100
    conn.close()
    before = snapshot(tmp_path)
    run_cli(db, "restore", str(saved), "--yes").assert_one_error("rule violation", "1900-2100")
    assert snapshot(tmp_path) == before
