"""Opening a journal without its daily backup, and taking that backup later."""

from __future__ import annotations

from pathlib import Path

from journal import models as m
from journal.store import Store, backups


def test_a_reading_open_leaves_the_daily_backup_to_later(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Store.open(path) as store:
        store.add(m.Allergy(substance="latex"))
    with Store.open(path, daily_backup=False) as store:
        assert backups.list_backups(path) == []
        taken = store.daily_backup()
        assert taken is not None and taken.exists()
        assert store.daily_backup() is None  # once a day
    with Store.open(path) as store:  # an ordinary open the same day takes no second one
        pass
    assert [b.kind for b in backups.list_backups(path)] == ["daily"]


def test_an_in_memory_journal_has_no_backup() -> None:
    with Store.memory() as store:
        store.add(m.Allergy(substance="latex"))
        assert store.daily_backup() is None
