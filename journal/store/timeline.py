"""The timeline: every record of every kind, newest first, one page at a time.

Paging is by key (the moment, the table and the id of the last entry shown), never by
offset, and each table is asked only for one page's worth of rows through its time
index, so the first page of a ten-year journal costs the same as that of a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from journal import models as m
from journal.dataclass import dataclass
from journal.store.store import Store
from journal.when import iso_utc

# Which column dates each kind of record on the timeline; kinds without a moment of
# their own (a medicine, an allergy) sit at the moment they were recorded.
TIME_COLUMNS: dict[str, str] = {
    m.Dose.table: "at",
    m.SyringeCheck.table: "at",
    m.SideEffect.table: "started_at",
    m.Checkin.table: "at",
    m.Appointment.table: "at",
    m.Medication.table: "created_at",
    m.SupplyBox.table: "created_at",
    m.Allergy.table: "created_at",
    m.Condition.table: "created_at",
    m.Question.table: "created_at",
    m.LabResult.table: "at",
    m.Profile.table: "created_at",
}
KINDS: tuple[str, ...] = tuple(TIME_COLUMNS)
PAGE_SIZE = 50


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the next page starts strictly after this entry."""

    at: str
    kind: str
    id: str


@dataclass(frozen=True)
class TimelineEntry:
    """One record on the timeline."""

    kind: str
    at: datetime
    record: m.Record

    @property
    def cursor(self) -> Cursor:
        """The key that pages past this entry."""
        return Cursor(iso_utc(self.at), self.kind, self.record.id)


@dataclass(frozen=True)
class TimelinePage:
    """A page of entries, newest first, and the cursor for the next page (None at the end)."""

    entries: list[TimelineEntry]
    next: Cursor | None


def _when(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def timeline_page(
    store: Store,
    *,
    limit: int = PAGE_SIZE,
    after: Cursor | None = None,
    kinds: Iterable[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> TimelinePage:
    """One page of live records of the given kinds in [since, until), newest first, after `after`."""
    wanted = [k for k in (KINDS if kinds is None else tuple(kinds)) if k in TIME_COLUMNS]
    if not wanted or limit < 1:
        return TimelinePage([], None)
    parts: list[str] = []
    params: list[Any] = []
    for kind in wanted:
        column = TIME_COLUMNS[kind]
        clauses = ["deleted_at IS NULL"]
        where: list[Any] = []
        if since is not None:
            clauses.append(f"[{column}] >= ?")
            where.append(iso_utc(since))
        if until is not None:
            clauses.append(f"[{column}] < ?")
            where.append(iso_utc(until))
        if after is not None:
            # Row-value comparison, in the same order as the ORDER BY of the whole query.
            clauses.append(f"([{column}], ?, id) < (?, ?, ?)")
            where.extend([kind, after.at, after.kind, after.id])
        parts.append(
            f"SELECT * FROM (SELECT ? AS kind, id, [{column}] AS sort_at FROM [{kind}] "
            f"WHERE {' AND '.join(clauses)} ORDER BY [{column}] DESC, id DESC LIMIT ?)"
        )
        params.extend([kind, *where, limit + 1])
    rows = store._rows(
        " UNION ALL ".join(parts) + " ORDER BY sort_at DESC, kind DESC, id DESC LIMIT ?",
        [*params, limit + 1],
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    records = _load(store, rows)
    entries = [
        TimelineEntry(row["kind"], _when(row["sort_at"]), records[(row["kind"], row["id"])])
        for row in rows
        if (row["kind"], row["id"]) in records
    ]
    return TimelinePage(entries, entries[-1].cursor if has_more and entries else None)


def _load(store: Store, rows: list[dict[str, Any]]) -> dict[tuple[str, str], m.Record]:
    by_kind: dict[str, list[str]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row["id"])
    found: dict[tuple[str, str], m.Record] = {}
    for kind, ids in by_kind.items():
        cls = m.BY_TABLE[kind]
        marks = ", ".join("?" for _ in ids)
        for record in store._load(cls, f"SELECT * FROM [{kind}] WHERE id IN ({marks})", ids):
            found[(kind, record.id)] = record
    return found


def timeline_count(store: Store, *, kinds: Iterable[str] | None = None) -> int:
    """How many live records the timeline holds for the given kinds."""
    wanted = [k for k in (KINDS if kinds is None else tuple(kinds)) if k in TIME_COLUMNS]
    total = 0
    for kind in wanted:
        total += int(store._rows(f"SELECT count(*) AS n FROM [{kind}] WHERE deleted_at IS NULL")[0]["n"])
    return total
