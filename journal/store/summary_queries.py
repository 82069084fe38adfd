"""Read-only queries the visit summary needs beyond the Store's own helpers."""

from __future__ import annotations

from datetime import datetime

from journal import models as m
from journal.store.damage import TIME_SHAPE
from journal.store.store import Store, history_entries
from journal.when import iso_utc


def first_activity(store: Store) -> datetime | None:
    """When anything was first written to the journal (the start of an 'all time' period)."""
    rows = store._rows("SELECT min(at) AS at FROM history WHERE at GLOB ?", [TIME_SHAPE])
    value = rows[0]["at"]
    return datetime.fromisoformat(value) if value else None


def changes_between(store: Store, table: str, since: datetime, until: datetime) -> list[m.HistoryEntry]:
    """Changes to one table in [since, until), oldest first."""
    rows = store._rows(
        "SELECT * FROM history WHERE table_name = ? AND at >= ? AND at < ? ORDER BY at, rowid",
        [table, iso_utc(since), iso_utc(until)],
    )
    return history_entries(rows, damaged=store.note_damage)


def side_effects_overlapping(store: Store, since: datetime, until: datetime) -> list[m.SideEffect]:
    """Side effects present at some point in [since, until): started before its end, not resolved before its start."""
    return store._load(
        m.SideEffect,
        "SELECT * FROM side_effects WHERE deleted_at IS NULL AND started_at < ? "
        "AND (resolved_at IS NULL OR resolved_at >= ?) ORDER BY started_at, rowid",
        [iso_utc(until), iso_utc(since)],
    )


def supply_boxes(store: Store) -> list[m.SupplyBox]:
    """Every box received, oldest first."""
    return store.all(m.SupplyBox, order_by="received")
