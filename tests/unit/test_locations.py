"""Where medjournal keeps its files (journal/locations.py): what a user can set, and what sits where."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from journal import locations


def test_the_journal_is_db_then_medjournal_db_then_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(locations.ENV_DB, raising=False)
    assert locations.resolve_db_path() == tmp_path / "data" / "medjournal" / "journal.db"
    monkeypatch.setenv(locations.ENV_DB, str(tmp_path / "from-env.db"))
    assert locations.resolve_db_path() == tmp_path / "from-env.db"
    assert locations.resolve_db_path(tmp_path / "given.db") == tmp_path / "given.db"


def test_the_state_files_follow_xdg_state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = tmp_path / "state" / "medjournal"
    assert locations.reminders_state_file() == folder / "reminders.json"
    assert locations.remembered_keys_file() == folder / "remembered-keys"
    assert locations.checked_journals_file() == folder / "checked-journals"


def test_the_pack_cache_follows_medjournal_cache_dir_else_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(locations.ENV_CACHE_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert locations.pack_cache_dir() == tmp_path / "cache" / "medjournal" / "packs"
    monkeypatch.setenv(locations.ENV_CACHE_DIR, str(tmp_path / "mine"))
    assert locations.pack_cache_dir() == tmp_path / "mine" / "packs"


def test_backups_and_the_problems_found_sit_beside_the_journal(tmp_path: Path) -> None:
    journal = tmp_path / "journal.db"
    assert locations.backup_dir(journal) == tmp_path / "journal.db.backups"
    assert locations.problems_file(journal).parent == locations.backup_dir(journal)
    assert locations.journal_files(journal) == [
        journal,
        tmp_path / "journal.db-wal",
        tmp_path / "journal.db-shm",
        tmp_path / "journal.db-journal",
    ]
    moment = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert locations.manual_backup_path(tmp_path, journal, moment) == tmp_path / "journal-20261120T083000Z.db"


def test_units_and_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert locations.systemd_user_dir() == tmp_path / "config" / "systemd" / "user"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert locations.export_dir() == tmp_path
    assert locations.default_export_path(tmp_path, date(2026, 11, 20), ".pdf") == (
        tmp_path / "medjournal-summary-2026-11-20.pdf"
    )
