"""Backups of the journal: taken, rotated, listed, checked, and restored.

Automatic backups live in a private folder beside the journal (`journal.db.backups/`):
one a day when the journal is opened by the TUI or a command that may write (not by
`emergency` or `export`, which only read and must answer at once; the last 14 kept, or
MEDJOURNAL_BACKUPS_KEEP), one before every schema migration and one before every restore (those are never rotated).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from journal.errors import JournalError, NewerJournalError, NotAJournalError
from journal.store import connection, rules
from journal.store.rules import Violation

ENV_KEEP = "MEDJOURNAL_BACKUPS_KEEP"
DEFAULT_KEEP = 14
DAILY = "daily"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
STALE_PART_SECONDS = 3600

_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?-(?P<kind>[a-z0-9_-]+)\.db$")


@dataclass(frozen=True)
class BackupFile:
    """One backup in a journal's backup folder."""

    path: Path
    kind: str
    taken_at: datetime
    size: int


@dataclass
class Inspection:
    """What a read-only look at a journal file found."""

    path: Path
    problems: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    unknown_steps: list[str] = field(default_factory=list)
    records: int = 0
    last_change: str | None = None

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong with the file."""
        return not self.problems and not self.unknown_steps


def keep_count() -> int:
    """How many daily backups to keep (MEDJOURNAL_BACKUPS_KEEP, default 14; 0 turns them off)."""
    raw = os.environ.get(ENV_KEEP, "").strip()
    if not raw:
        return DEFAULT_KEEP
    if not raw.isdigit():
        raise JournalError(f"{ENV_KEEP} must be a whole number of backups to keep (0 turns them off), not {raw!r}.")
    return int(raw)


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime(_STAMP)


def take(db: connection.JournalDatabase, journal: Path, kind: str, *, now: datetime | None = None) -> Path:
    """Back up the open journal into its backup folder, under a name that says when and why."""
    folder = connection.backup_dir(journal)
    stamp = _stamp(now or datetime.now(UTC))
    for n in range(1, 100):
        suffix = "" if n == 1 else f"-{n}"
        dest = folder / f"{journal.stem}-{stamp}{suffix}-{kind}.db"
        if not dest.exists():
            try:
                return connection.backup(db, dest)
            except JournalError:
                if dest.exists():  # another process took the same name at the same second
                    continue
                raise
    raise JournalError(f"Too many backups named {journal.stem}-{stamp} in {folder}.")


def list_backups(journal: Path) -> list[BackupFile]:
    """The backups of a journal, newest first."""
    folder = connection.backup_dir(journal)
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match or not entry.is_file():
            continue
        taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        found.append(BackupFile(entry, match["kind"], taken, entry.stat().st_size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def rotate(journal: Path, keep: int, *, now: datetime | None = None) -> list[Path]:
    """Delete daily backups beyond the newest `keep`, and copies left half-written by a crash; the paths removed."""
    daily = [b for b in list_backups(journal) if b.kind == DAILY]
    removed: list[Path] = []
    # A `.part` file belongs to a backup in progress; one an hour old was abandoned by a crash.
    cutoff = (now or datetime.now(UTC)).timestamp() - STALE_PART_SECONDS
    folder = connection.backup_dir(journal)
    for part in folder.glob(".*.part") if folder.is_dir() else ():
        with contextlib.suppress(FileNotFoundError):
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed.append(part)
    for old in daily[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
            removed.append(old.path)
    return removed


def daily(db: connection.JournalDatabase, journal: Path, *, now: datetime | None = None) -> Path | None:
    """Take today's automatic backup if the journal holds records and none was taken today."""
    keep = keep_count()
    if keep == 0:
        return None
    now = now or datetime.now(UTC)
    if db.conn.execute("SELECT 1 FROM history LIMIT 1").fetchone() is None:
        return None
    today = now.astimezone(UTC).date()
    if any(b.kind == DAILY and b.taken_at.date() == today for b in list_backups(journal)):
        return None
    try:
        taken: Path | None = take(db, journal, DAILY, now=now)
    except (JournalError, OSError, sqlite3.Error):
        # The daily copy is a convenience: a full disk or a read-only backup folder must not
        # stop a person from logging today's dose. The journal itself is untouched.
        return None
    rotate(journal, keep, now=now)
    return taken


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A connection that only reads `path`, leaving no -wal or -shm behind on read-only media."""
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)
    if writable or path.with_name(path.name + "-wal").exists():
        return sqlite3.connect(str(path), isolation_level=None)
    # Read-only and no write-ahead log to replay: the file alone is the whole database.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None)


def inspect(path: Path) -> Inspection:
    """Check a journal file without writing to it: header, integrity, foreign keys, schema steps."""
    found = Inspection(path)
    if not path.is_file():
        raise JournalError(f"There is no journal file at {path}.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(connection.SQLITE_HEADER))
    except OSError as exc:
        raise JournalError(f"{path} cannot be read: {exc.strerror}.") from exc
    if header != connection.SQLITE_HEADER:
        found.problems.append("it is not an SQLite file")
        return found
    conn = open_for_reading(path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")
        try:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(20)").fetchall()]
        except sqlite3.DatabaseError as exc:
            found.problems.append(f"SQLite cannot read it ({exc})")
            return found
        if integrity != ["ok"]:
            found.problems.extend(f"integrity: {line}" for line in integrity)
            return found
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
            found.problems.append(f"foreign key: row {rowid} of {table} points to a missing {parent} row")
        found.steps = connection.applied_names(conn)
        known = {m.name for m in connection.migrations()._migrations}
        found.unknown_steps = [name for name in found.steps if name not in known]
        tables = set(connection.table_names(conn))
        if not found.steps and tables - {"_sqlite_migrations"}:
            found.problems.append("it is an SQLite database of another program, not a medjournal journal")
        if "history" in tables:
            row = conn.execute("SELECT count(*), max(at) FROM history").fetchone()
            found.records, found.last_change = int(row[0]), row[1]
    except sqlite3.DatabaseError as exc:
        found.problems.append(f"SQLite cannot read it ({exc})")
    finally:
        conn.close()
    return found


def rule_violations(path: Path, *, now: datetime | None = None) -> list[Violation]:
    """The records of a journal file (healthy as SQLite) that break a rule of the journal; writes nothing."""
    from journal.store.store import Store

    conn = open_for_reading(path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")
        with connection.translate_errors(path):
            return rules.scan(Store(connection.JournalDatabase(conn), path), now=now or datetime.now(UTC))
    finally:
        conn.close()


def validate_source(path: Path) -> Inspection:
    """Refuse a file that cannot safely replace the journal: not SQLite, damaged, newer, or breaking a rule."""
    found = inspect(path)
    if found.unknown_steps:
        raise NewerJournalError(
            f"{path} was written by a newer version of medjournal (schema step {found.unknown_steps[-1]}); "
            "nothing was restored."
        )
    if found.problems:
        raise NotAJournalError(f"{path} cannot be restored: {found.problems[0]}; nothing was changed.")
    broken = rule_violations(path) if found.steps else []
    if broken:
        first = "; ".join(v.line() for v in broken[:3])
        more = f" and {len(broken) - 3} more" if len(broken) > 3 else ""
        raise NotAJournalError(
            f"{path} cannot be restored: {len(broken)} rule violation(s) ({first}{more}); "
            "nothing was changed."
        )
    return found


def restore(source: Path, journal: Path, *, now: datetime | None = None) -> Path | None:
    """Replace the journal's contents with a checked copy of `source`; the backup of the old journal."""
    found = validate_source(source)
    if journal.exists() and journal.resolve() == source.resolve():
        raise JournalError(f"{source} is the journal itself; nothing was restored.")
    if not found.steps:
        raise NotAJournalError(f"{source} is an empty database, not a medjournal journal; nothing was changed.")
    kept: Path | None = None
    if journal.exists() and journal.stat().st_size > 0 and not inspect(journal).ok:
        # A damaged (or newer) journal cannot be opened to copy it: keep its bytes as they are.
        kept = _set_aside(journal, now or datetime.now(UTC))
    db = connection.connect(journal)
    try:
        if kept is None and db.conn.execute("SELECT 1 FROM history LIMIT 1").fetchone() is not None:
            kept = take(db, journal, BEFORE_RESTORE, now=now)
        src = open_for_reading(source)
        try:
            with connection.translate_errors(journal):
                # The backup API writes the whole copy in one transaction of the live journal,
                # so a crash half-way leaves the old journal, and an open TUI sees the new one.
                src.backup(db.conn)
        finally:
            src.close()
    finally:
        db.conn.close()
    # Reopen: applies any schema step the restored copy lacks (after its own backup).
    connection.connect(journal).conn.close()
    return kept


def _set_aside(journal: Path, now: datetime) -> Path:
    folder = connection.backup_dir(journal)
    connection.make_private_dir(folder)
    dest = folder / f"{journal.stem}-{_stamp(now)}-{BEFORE_RESTORE}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{journal.stem}-{_stamp(now)}-{n}-{BEFORE_RESTORE}.db"
    os.replace(journal, dest)
    for extra in ("-wal", "-shm"):
        sidecar = journal.with_name(journal.name + extra)
        if sidecar.exists():
            os.replace(sidecar, dest.with_name(dest.name + extra))
    connection.fsync_dir(folder)
    return dest
