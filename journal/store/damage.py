"""Records whose stored values cannot be read back (a time written as `226-11-20T08:00:00Z` by an
old version, a value edited by hand): they are left out of what the journal shows, and named.

A damaged record never stops the rest of the journal from working: the store skips it, keeps
it here, and `check`, `status` and Today say which record it is and what it holds.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfoNotFoundError

from journal import locations
from journal.dataclass import dataclass
from journal.files import make_private_dir
from journal.store import connection

if TYPE_CHECKING:
    from journal import models as m
    from journal.store.store import Store

# What reading a stored value raises when it is not what was written: fromisoformat, an Enum,
# json.loads (a ValueError), a wrong type (TypeError), a year past the calendar (OverflowError).
READ_ERRORS = (ValueError, TypeError, OverflowError, KeyError)

# Times the store writes: `2026-11-20T08:00:00Z`. One that does not look like this sorts wrongly
# as text (`226-...` after `2026-...`), so queries that take the latest row pass it by.
TIME_SHAPE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*"


@dataclass(frozen=True)
class DamagedRecord:
    """One stored record that cannot be read: where it is and the raw value at fault."""

    table: str
    id: str
    field: str
    raw: str

    def describe(self) -> str:
        """One line naming the record and the value that cannot be read."""
        if self.raw == EMPTY:
            return f"{self.table} record {self.id}: its {self.field} is empty, and it must hold a value"
        return f"{self.table} record {self.id}: its {self.field} holds {self.raw!r}, which cannot be read"


def tolerant_text(value: bytes) -> str | bytes:
    """A stored text as str, or its bytes when it is not UTF-8 (a record reader then names it as damage)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value


def damaged(table: str, row: Mapping[str, Any], cls: type[m.Record]) -> DamagedRecord:
    """The DamagedRecord for a row of record kind `cls` that could not be read."""
    name, value = cls.bad_field(row) or ("?", None)
    return DamagedRecord(table, _shown(row.get("id", row.get("seq", "?"))), name, _shown(value))


# The raw value of a DamagedRecord whose column is NULL where a value is required.
EMPTY = "\x00NULL"


def _shown(value: Any) -> str:
    # Text that is not UTF-8 comes back as bytes (see `tolerant_text`): shown decoded, the bad bytes as U+FFFD.
    if value is None:
        return EMPTY
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def checked_rows(
    store: Store,
    table: str,
    rows: list[dict[str, Any]],
    *,
    required: tuple[str, ...] = (),
    days: tuple[str, ...] = (),
    times: tuple[str, ...] = (),
    zones: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """The plain rows whose values can be read (text, and the columns named as days, times, zones or 0/1 flags);
    the others are left out and noted as damage.

    For the emergency list, which reads rows without the record classes (journal.models costs its
    start-up); `Record.bad_field` is the same check for a record.
    """
    kept = []
    for row in rows:
        bad = _bad_column(row, required, days, times, zones, flags)
        if bad is None:
            kept.append(row)
        else:
            store.note_damage(DamagedRecord(table, _shown(row.get("id", "?")), bad, _shown(row[bad])))
    return kept


def _bad_column(
    row: Mapping[str, Any],
    required: tuple[str, ...],
    days: tuple[str, ...],
    times: tuple[str, ...],
    zones: tuple[str, ...],
    flags: tuple[str, ...],
) -> str | None:
    for name, value in row.items():
        if value is None:
            if name in required:
                return name
            continue
        if name in flags:
            if value not in (0, 1):
                return name
            continue
        if type(value) is not str:
            return name
        try:
            if name in days:
                date.fromisoformat(value)
            elif name in times:
                datetime.fromisoformat(value)
            elif name in zones:
                _known_zone(value)
        except (*READ_ERRORS, ZoneInfoNotFoundError):
            return name
    return None


@cache
def _known_zone(name: str) -> None:
    from zoneinfo import ZoneInfo

    ZoneInfo(name)


def scan(store: Store) -> list[DamagedRecord]:
    """Read every stored record (deleted ones and history included); the ones that cannot be read."""
    from journal import models

    present = set(connection.table_names(store.db.conn))  # an old journal may lack a newer table
    kinds: list[type[m.Record]] = list(dict.fromkeys(models.BY_TABLE.values()))
    for cls in kinds:
        if cls.table in present:
            store.all(cls, include_deleted=True, order_by="rowid")
    if "history" in present:
        store.history(limit=-1)
    return store.damaged_records()


def scan_file(path: Path) -> list[DamagedRecord]:
    """The damaged records of the journal file at `path`, read without writing to it."""
    from journal.store import backups
    from journal.store.store import Store

    store = Store(connection.JournalDatabase(backups.open_for_reading(path)), path)
    try:
        return scan(store)
    finally:
        store.close()


# --- damage found by a check, told at every start until `check` passes ---------------------


def problems_file(journal: Path) -> Path:
    """Where the problems found by the last checks of a journal are noted (journal.locations)."""
    return locations.problems_file(journal)


def note_problem(journal: Path, text: str, *, now: datetime | None = None) -> None:
    """Note damage a check found, to be told at each start until `medjournal check` passes (best effort)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    said = " ".join(text.split())
    if any(line.endswith(f": {said}") for line in noted_problems(journal)):
        return
    line = f"{stamp}: {said}\n"
    with contextlib.suppress(OSError):
        make_private_dir(problems_file(journal).parent)
        fd = os.open(problems_file(journal), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)


def noted_problems(journal: Path) -> list[str]:
    """The problems noted since `check` last passed, oldest first (none when it cannot be read)."""
    try:
        text = problems_file(journal).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line for line in text.splitlines() if line.strip()]


def clear_problems(journal: Path) -> None:
    """Forget the noted problems: `check` found the journal sound."""
    with contextlib.suppress(OSError):
        problems_file(journal).unlink(missing_ok=True)
