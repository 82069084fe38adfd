"""Backups of the journal: taken, rotated, listed, checked, and restored.

Automatic backups live in a private folder beside the journal (`journal.db.backups/`):
one a day when the journal is opened by the TUI or a command that may write (not by
`emergency` or `export`, which only read and must answer at once; the last 14 kept, or
MEDJOURNAL_BACKUPS_KEEP), one before every schema migration and one before every restore (those are never rotated).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from dataclasses import field
from datetime import UTC, datetime
from pathlib import Path

from journal.dataclass import dataclass
from journal.errors import DiskFullError, JournalBusyError, JournalError, NewerJournalError, NotAJournalError
from journal.files import make_private_dir
from journal.locations import backup_dir
from journal.store import cipher, connection, damage, rules
from journal.store.damage import TIME_SHAPE
from journal.store.rules import Violation

ENV_KEEP = "MEDJOURNAL_BACKUPS_KEEP"
DEFAULT_KEEP = 14
DAILY = "daily"
MANUAL = "manual"
BEFORE_RESTORE = "before-restore"
STALE_PART_SECONDS = connection.STALE_PART_SECONDS

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
    unreadable: list[str] = field(default_factory=list)  # the records that cannot be read, described (validate_source)

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong with the file."""
        return not self.problems and not self.unknown_steps


def keep_count() -> int:
    """How many daily backups to keep (MEDJOURNAL_BACKUPS_KEEP, default 14; 0 turns them off).

    A value that is not a whole number keeps the default (`keep_problem` says so): a typo in a
    setting must not stop a person from recording a dose.
    """
    raw = os.environ.get(ENV_KEEP, "").strip()
    # isascii: str.isdigit also accepts "³", which int() refuses.
    return int(raw) if raw.isascii() and raw.isdigit() else DEFAULT_KEEP


def keep_problem() -> str | None:
    """What is wrong with MEDJOURNAL_BACKUPS_KEEP, if anything, in one sentence."""
    raw = os.environ.get(ENV_KEEP, "").strip()
    if not raw or (raw.isascii() and raw.isdigit()):
        return None
    return (
        f"{ENV_KEEP} must be a whole number of daily backups to keep (0 turns them off), not {raw!r}; "
        f"the last {DEFAULT_KEEP} are kept"
    )


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime(_STAMP)


def take(db: connection.JournalDatabase, journal: Path, kind: str, *, now: datetime | None = None) -> Path:
    """Back up the open journal into its backup folder, under a name that says when and why."""
    folder = backup_dir(journal)
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
    folder = backup_dir(journal)
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


def rotate(journal: Path, keep: int, *, now: datetime | None = None, fresh: Path | None = None) -> list[Path]:
    """Delete daily backups beyond the newest `keep`, and copies left half-written by a crash; the paths removed.

    `fresh`, the backup just taken, is always among those kept: with the clock set back, older
    backups carry later dates than it, and would otherwise push it out at once.
    """
    daily = [b for b in list_backups(journal) if b.kind == DAILY]
    daily.sort(key=lambda b: b.path != fresh)  # stable: the fresh one first, the others newest first
    removed = connection.remove_stale_parts(journal, now=now)
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
    except connection.DamagedCopyError as exc:
        # Damage SQLite's quick_check at opening does not see (a broken index): told at every start.
        damage.note_problem(journal, f"the daily backup found the journal damaged ({exc.result})", now=now)
        return None
    except (JournalError, OSError, sqlite3.Error):
        # The daily copy is a convenience: a full disk or a read-only backup folder must not
        # stop a person from logging today's dose. The journal itself is untouched.
        return None
    rotate(journal, keep, now=now, fresh=taken)
    return taken


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A connection that only reads `path` (see connection.read_only_connection)."""
    if cipher.is_encrypted(path):  # an encrypted journal or backup: opened with its key, read-only too
        return cipher.connect(path, read_only=True)  # type: ignore[no-any-return]
    return connection.read_only_connection(path)


def inspect(path: Path) -> Inspection:
    """Check a journal file without writing to it: header, integrity, foreign keys, schema steps."""
    found = Inspection(path)
    connection.refuse_special(path)
    if not path.is_file():
        raise JournalError(f"There is no journal file at {path}.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(connection.SQLITE_HEADER))
    except OSError as exc:
        raise JournalError(f"{path} cannot be read: {exc.strerror}.") from exc
    if header != connection.SQLITE_HEADER and not cipher.is_encrypted(path):
        found.problems.append("it is not an SQLite file")
        return found
    conn = open_for_reading(path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")
        try:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(20)").fetchall()]
        except sqlite3.DatabaseError as exc:
            found.problems.append(_cannot_read(path, exc))
            return found
        if integrity != ["ok"]:
            found.problems.extend(f"integrity: {line}" for line in integrity)
            return found
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
            found.problems.append(f"foreign key: row {rowid} of {table} points to a missing {parent} row")
        found.steps = connection.applied_names(conn)
        known = set(connection.known_step_names())
        found.unknown_steps = [name for name in found.steps if name not in known]
        tables = set(connection.table_names(conn))
        if not found.steps and tables - {"_sqlite_migrations"}:
            found.problems.append("it is an SQLite database of another program, not a medjournal journal")
        if "history" in tables:
            row = conn.execute(
                "SELECT count(*), max(CASE WHEN at GLOB ? THEN at END) FROM history", [TIME_SHAPE]
            ).fetchone()
            found.records, found.last_change = int(row[0]), row[1]
    except sqlite3.DatabaseError as exc:
        found.problems.append(_cannot_read(path, exc))
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


def _cannot_read(path: Path, exc: sqlite3.DatabaseError) -> str:
    """The problem to report for a file SQLite could not read; raises when the cause is not damage."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        raise JournalBusyError(
            f"{path} is in use: another program holds it locked. Nothing was checked or changed; "
            "try again once it is closed."
        ) from exc
    if "full" in text:
        raise DiskFullError(f"The disk holding {path} is full: it could not be read; nothing was changed.") from exc
    if "unable to open" in text:
        with contextlib.suppress(OSError):
            if os.statvfs(path.parent).f_favail == 0:
                raise DiskFullError(
                    f"The disk holding {path} can take no new file (no free inodes), so SQLite cannot open it; "
                    "nothing was changed."
                ) from exc
    return f"SQLite cannot read it ({exc})"


# A record whose stored values cannot be read: the journal leaves it out of what it shows and names it
# (journal.store.damage), so a backup that holds one is restored, and the record named again.
UNREADABLE = "readable values"
# What the journal itself tolerates in a file never blocks its restore. The rules across records that an
# older version did not hold (the same medicine twice, daily methotrexate, a dose after a stop) are named by
# `check`; an unreadable record is named, and restored with the person's confirmation. Only a record that
# breaks a rule protecting it (a cloudy syringe used, a spot outside its region, a date out of range) is refused.
TOLERATED = rules.ACROSS_RECORDS | {UNREADABLE}


def validate_source(path: Path) -> Inspection:
    """Refuse a file that cannot safely replace the journal: not SQLite, damaged, newer, or breaking a rule.

    Records it holds that cannot be read are not refused: they are listed in `unreadable`.
    """
    found = inspect(path)
    if found.unknown_steps:
        raise NewerJournalError(
            f"{path} was written by a newer version of medjournal (schema step {found.unknown_steps[-1]}); "
            "nothing was restored."
        )
    if found.problems:
        raise NotAJournalError(f"{path} cannot be restored: {found.problems[0]}; nothing was changed.")
    violations = rule_violations(path) if found.steps else []
    found.unreadable = [v.message for v in violations if v.rule == UNREADABLE]
    broken = [v for v in violations if v.rule not in TOLERATED]
    if broken:
        first = "; ".join(v.line() for v in broken[:3])
        more = f" and {len(broken) - 3} more" if len(broken) > 3 else ""
        raise NotAJournalError(
            f"{path} cannot be restored: {len(broken)} rule violation(s) ({first}{more}); nothing was changed."
        )
    return found


def interrupted_conversion(journal: Path) -> str | None:
    """The command whose conversion of the journal is under way or was interrupted (its marker), if any."""
    marker = cipher.marker_path(journal)
    try:
        raw = marker.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return "conversion"
    try:
        import json

        return str(json.loads(raw)["operation"])
    except (ValueError, KeyError, TypeError):
        return "conversion"


def out_of_step(journal: Path, key: bytes | None = None) -> dict[Path, str]:
    """The backups in another state than the journal (plain, encrypted, another key), each with what it is.

    `key`: the journal's raw key when it is encrypted and known; a backup with the journal's salt
    that this key does not open is on an older passphrase. Without it only the salt is compared.
    Reads each backup's first bytes (and, with `key`, its first page); writes nothing.
    """
    journal_salt = cipher.salt_of(journal)
    found: dict[Path, str] = {}
    try:
        listed = list_backups(journal)
    except OSError:
        return found
    for item in listed:
        salt = cipher.salt_of(item.path)
        if journal_salt is None and salt is not None:
            found[item.path] = "encrypted, while the journal is plain"
        elif journal_salt is not None and salt is None:
            found[item.path] = "plain (not encrypted), while the journal is encrypted: anyone can read it"
        elif journal_salt is not None and salt != journal_salt:
            found[item.path] = "encrypted with another journal's passphrase, not this journal's"
        elif journal_salt is not None and key is not None and not cipher.opens_with(item.path, key, journal_salt):
            found[item.path] = "on an old passphrase, not the journal's current one"
    return found


def restorable(path: Path, *, journal: Path | None = None, unlike: str | None = None) -> str:
    """Whether `restore` would take the backup at `path`, in a few words (for `backups`); writes nothing.

    `journal`: the journal it would go into; `unlike`: how the backup differs from it (`out_of_step`).
    """
    journal_salt = cipher.salt_of(journal) if journal is not None else None
    if unlike is not None:
        if journal_salt is None and journal is not None and journal.exists():
            return "cannot be restored into the plain journal: run `medjournal encrypt` first"
        if cipher.salt_of(path) is None:
            return "cannot be restored into the encrypted journal: it is plain"
        if unlike.startswith("on an old passphrase"):
            return "cannot be restored with the journal's passphrase: restore asks for its old one"
        return "cannot be restored with the journal's passphrase: restore asks for its own"
    if cipher.is_encrypted(path) and (journal_salt is None or journal_salt not in cipher.known_salts()):
        return "encrypted: checked when restored"  # checking it here could ask for its passphrase
    try:
        found = validate_source(path)
    except JournalError as exc:
        reason = str(exc).removeprefix(f"{path} ").removeprefix("cannot be restored: ")
        for said in ("; nothing was changed.", "; nothing was restored.", "."):
            reason = reason.removesuffix(said)
        return f"cannot be restored: {reason}"
    if not found.steps:
        return "cannot be restored: an empty database"
    if found.unreadable:
        return f"can be restored ({len(found.unreadable)} unreadable record(s), named when restored)"
    return "can be restored"


def restore(source: Path, journal: Path, *, now: datetime | None = None) -> Path | None:
    """Replace the journal's contents with a checked copy of `source`; the backup of the old journal."""
    found = validate_source(source)
    connection.refuse_special(journal)
    if journal.exists() and journal.resolve() == source.resolve():
        raise JournalError(f"{source} is the journal itself; nothing was restored.")
    if not found.steps:
        raise NotAJournalError(f"{source} is an empty database, not a medjournal journal; nothing was changed.")
    kept: Path | None = None
    _require_room(journal.parent, source.stat().st_size + (journal.stat().st_size if journal.exists() else 0))
    if cipher.is_encrypted(source) and not (journal.exists() and journal.stat().st_size > 0):
        cipher.copy_encrypted(source, journal)  # no journal to restore into: a new one takes the backup's key
    elif journal.exists() and journal.stat().st_size == 0:
        # An empty file holds nothing to keep (and is never opened as a journal).
        _copy_complete(source, part := journal.with_name(f".{journal.name}.restoring-{os.getpid()}"))
        os.replace(part, journal)
        connection.fsync_dir(journal.parent)
        connection.connect(journal).conn.close()
        return None
    if journal.exists() and not inspect(journal).ok:
        if cipher.is_encrypted(source):
            raise JournalError(
                f"{journal} is damaged and {source} is encrypted: move the damaged journal out of the way "
                "first, then restore into its place; nothing was changed."
            )
        # A damaged (or newer) journal cannot be opened to copy it: keep its bytes as they are,
        # once the new journal is complete beside it.
        kept = _replace_damaged(source, journal, now or datetime.now(UTC))
        connection.connect(journal).conn.close()
        return kept
    db = connection.connect(journal)
    try:
        if kept is None and db.conn.execute("SELECT 1 FROM history LIMIT 1").fetchone() is not None:
            kept = take(db, journal, BEFORE_RESTORE, now=now)
        src = open_for_reading(source)
        try:
            cipher.refuse_mixed(src, db.conn, source, journal)
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


# Free inodes a restore needs: the new journal, its -wal and -shm, the copy of the old one.
_INODES_NEEDED = 4


def _require_room(folder: Path, need: int) -> None:
    """Refuse before anything is touched when `folder`'s disk has no room for `need` bytes or new files."""
    try:
        found = os.statvfs(folder)
    except OSError:
        return
    if found.f_files and found.f_favail < _INODES_NEEDED:
        raise DiskFullError(
            f"The disk holding {folder} can take no new file (no free inodes): nothing was restored or changed. "
            "Delete some files and try again."
        )
    free = found.f_bavail * found.f_frsize
    if free < need:
        raise DiskFullError(
            f"The disk holding {folder} is too full to restore ({need // 1024 + 1} KB needed, {free // 1024} KB "
            "free): nothing was restored or changed. Free some space and try again."
        )


def _copy_complete(source: Path, dest: Path) -> None:
    """A checked, synced copy of `source` at the new path `dest` (removed again if anything fails)."""
    try:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise _disk_error(dest.parent, exc) from exc
    try:
        try:
            src, target = open_for_reading(source), sqlite3.connect(str(dest), isolation_level=None)
            try:
                with connection.translate_errors(dest):
                    src.backup(target)
                    result = target.execute("PRAGMA integrity_check").fetchone()[0]
                    if result != "ok":
                        raise NotAJournalError(f"The copy of {source} failed its integrity check ({result}).")
            finally:
                src.close()
                target.close()
            with open(dest, "rb+") as handle:
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _disk_error(dest.parent, exc) from exc
    except BaseException:
        for extra in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{dest}{extra}")
        raise


def _disk_error(folder: Path, exc: OSError) -> JournalError:
    if exc.errno == errno.ENOSPC:
        try:
            no_inodes = os.statvfs(folder).f_favail == 0
        except OSError:
            no_inodes = False
        what = "can take no new file (no free inodes)" if no_inodes else "is full"
        return DiskFullError(f"The disk holding {folder} {what}: nothing was restored or changed.")
    return JournalError(f"Cannot write in {folder}: {exc.strerror}; nothing was restored or changed.")


def _replace_damaged(source: Path, journal: Path, now: datetime) -> Path:
    """Put a checked copy of `source` in place of a journal that cannot be opened; where the old one was kept.

    The new journal is written whole beside the old one first: until it is complete and checked,
    the old file is not moved, renamed or truncated.
    """
    part = journal.with_name(f".{journal.name}.restoring-{os.getpid()}")
    _copy_complete(source, part)
    try:
        return _set_aside(journal, now, replacement=part)
    finally:
        part.unlink(missing_ok=True)


def _set_aside(journal: Path, now: datetime, *, replacement: Path) -> Path:
    """Keep the journal's file (and its -wal, -shm) in the backup folder, and put `replacement` in its place."""
    folder = backup_dir(journal)
    make_private_dir(folder)
    dest = folder / f"{journal.stem}-{_stamp(now)}-{BEFORE_RESTORE}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{journal.stem}-{_stamp(now)}-{n}-{BEFORE_RESTORE}.db"
    try:
        # A second name for the old file: the journal's own path is never empty or missing.
        os.link(journal, dest)
        linked = True
    except OSError:
        linked = False  # no hard links (FAT): moved just before the new one takes its place
    # Its WAL belongs to the old file only: left beside the new one it would be replayed into it.
    for extra in ("-wal", "-shm"):
        sidecar = journal.with_name(journal.name + extra)
        if sidecar.exists():
            os.replace(sidecar, dest.with_name(dest.name + extra))
    if not linked:
        os.replace(journal, dest)
    os.replace(replacement, journal)
    connection.fsync_dir(folder)
    connection.fsync_dir(journal.parent)
    return dest
