"""Opening the journal file: permissions, pragmas, the newer-version guard, migrations, backups."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache, cached_property
from glob import escape as glob_escape
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

from journal.errors import (
    DiskFullError,
    JournalBusyError,
    JournalError,
    NewerJournalError,
    NotAJournalError,
    ReadOnlyJournalError,
)
from journal.files import make_private_dir
from journal.locations import backup_dir
from journal.resources import migrations_root
from journal.store import cipher
from journal.store.held import Connection as HeldConnection
from journal.store.held import held, hold

SQLITE_HEADER = b"SQLite format 3\x00"
# A copy of the journal in progress this old was abandoned (its process number may since be reused).
STALE_PART_SECONDS = 3600
BUSY_TIMEOUT_MS = 5000
MIGRATION_SET = "medjournal"
MIGRATIONS_TABLE = "_sqlite_migrations"
# SQLite's refusal to write into a file that was renamed over or deleted since it was opened.
SQLITE_READONLY_DBMOVED = 1032

# For tests only: caps the journal's size in pages (PRAGMA max_page_count) so a test can
# make the disk "full" for a real `medjournal` process. It can only lower SQLite's limit,
# never raise it, and changes nothing else: a full journal still rolls back cleanly.
ENV_TEST_MAX_PAGES = "MEDJOURNAL_TEST_MAX_PAGE_COUNT"


@cache
def _migrations_module() -> ModuleType:
    path = migrations_root() / "medjournal.py"
    spec = importlib.util.spec_from_file_location("medjournal_migrations", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with the package
        raise JournalError(f"medjournal's migrations are missing ({path}).")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def known_step_names() -> tuple[str, ...]:
    """The names of the schema steps this version knows, in order (sqlite-utils is not imported)."""
    return tuple(step.__name__ for step in _migrations_module().STEPS)


@cache
def migrations() -> Migrations:
    """The journal's schema steps, for sqlite-utils to apply."""
    from sqlite_utils.migrations import Migrations

    steps = Migrations(MIGRATION_SET)
    for step in _migrations_module().STEPS:
        steps(name=step.__name__)(step)
    return steps


@contextlib.contextmanager
def translate_errors(path: Path | None) -> Iterator[None]:
    """Turn SQLite's errors into one sentence a person can act on."""
    where = str(path) if path else "the journal"
    try:
        yield
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_READONLY_DBMOVED:
            raise JournalBusyError(
                f"{where} was replaced while this command waited for it (by `encrypt`, `decrypt`, `passphrase` "
                "or `restore`): nothing was saved; try again."
            ) from exc
        if "disk is full" in text or "database or disk is full" in text:
            raise DiskFullError(
                f"The disk holding {where} is full: nothing was saved. Free some space and try again."
            ) from exc
        if "locked" in text or "busy" in text:
            raise JournalBusyError(
                f"{where} is busy: another program kept it locked. Nothing was saved; try again in a moment."
            ) from exc
        if "readonly" in text or "read-only" in text:
            raise ReadOnlyJournalError(
                f"{where} cannot be written (the file or its folder is read-only): nothing was saved."
            ) from exc
        if "unable to open" in text:
            raise ReadOnlyJournalError(
                f"{where} cannot be opened: check that its folder exists and is writable."
            ) from exc
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            raise NotAJournalError(
                f"{where} is not a medjournal journal or is damaged ({exc}); it was left untouched."
            ) from exc
        if "disk i/o error" in text:
            raise JournalError(
                f"{where} could not be read or written (disk I/O error): nothing was saved. Check the disk."
            ) from exc
        raise


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise ReadOnlyJournalError(f"{path} cannot be read: permission denied.") from exc
    if header and header != SQLITE_HEADER:
        raise NotAJournalError(f"{path} is not a medjournal journal (it is not an SQLite file); it was left untouched.")


class DamagedCopyError(NotAJournalError):
    """A copy of the journal failed SQLite's integrity check: the journal itself is damaged."""

    def __init__(self, message: str, *, result: str) -> None:
        super().__init__(message)
        self.result = result


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def refuse_special(path: Path) -> None:
    """Refuse a FIFO, socket or device at `path` at once: opening one to read would wait forever."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    for test, kind in _SPECIAL_KINDS:
        if test(mode):
            raise NotAJournalError(f"{path} is {kind}, not a journal file; nothing was opened.")


def writable(path: Path) -> bool:
    """Whether the journal file and its folder can be written (SQLite makes its -wal and -shm there)."""
    return os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that only reads `path`: it never checkpoints a leftover WAL into the file, and
    leaves no -wal or -shm behind where there was none.

    Reading a WAL takes its -shm: the one a running program shares, else none at all (the WAL is read
    into this process's memory, so that a read-only medium, a full disk, a disk with no free inode or a
    read-only journal in a writable folder can be read, and no -shm is left there). Only where even that
    fails is the file read alone, and `wal_left_out` then says that changes in the WAL may be missing.
    """
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        if path.with_name(path.name + "-shm").exists():
            # A program may have the journal open: read through its -shm, under SQLite's locks.
            conn = _read_only(path, "mode=ro")
            if _readable(conn):
                return conn
        if _size(wal) == 0:
            pass  # an empty WAL holds no change: the file alone is the whole database
        elif _locked_elsewhere(path) is not False:
            # A program holds the journal in SQLite's exclusive locking mode (it keeps no -shm), or this
            # process has it open: read under SQLite's locks, which wait for it or say it is busy.
            return _read_only(path, "mode=ro")
        else:
            # No program holds it for writing, and no usable -shm: the WAL is read into this process's
            # memory, without file locks and so without making a -shm (SQLite's "unix-none" VFS).
            conn = _read_only(path, "mode=ro&vfs=unix-none")
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # before the first read: the WAL index in memory
            if _readable(conn):
                return conn
            _wal_left_out.add(os.path.realpath(path))
    # No write-ahead log to replay (or none that can be read): the file alone is the whole database.
    return _read_only(path, "mode=ro&immutable=1")


def _read_only(path: Path, query: str) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?{query}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, factory=HeldConnection)
    return hold(conn, path)


# Journals read without their WAL (read_only_connection), by real path: the front ends say so.
_wal_left_out: set[str] = set()


def wal_left_out(path: Path) -> bool:
    """Whether `path` was read without the changes in its WAL (they may be missing from what was shown)."""
    return os.path.realpath(path) in _wal_left_out


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# SQLite's lock bytes in a database file (os_unix.c): PENDING, RESERVED, then 510 SHARED bytes.
_PENDING_BYTE = 0x40000000
_SHARED_FIRST, _SHARED_SIZE = _PENDING_BYTE + 2, 510


def _locked_elsewhere(path: Path) -> bool | None:
    """Whether another process holds SQLite's write lock on `path` (None: cannot tell, or this process has it open).

    Only while this process has no connection on the file: closing the descriptor used here drops every
    POSIX lock this process holds on it (see journal.store.held).
    """
    if held(path):
        return None
    try:
        import fcntl

        fd = os.open(path, os.O_RDONLY)
    except (ImportError, OSError):
        return None
    try:
        # A read lock on the SHARED bytes is refused only while another process holds them for writing.
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, _SHARED_SIZE, _SHARED_FIRST)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)  # releases the probe's lock


def _readable(conn: sqlite3.Connection) -> bool:
    """Whether `conn` can read its database; closed when it cannot (the cause: a -shm it cannot use or make)."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return True  # it reads once the program writing lets it: its queries wait, or say it is busy
        conn.close()
        return False


def _no_room(folder: Path) -> bool:
    """Whether the disk holding `folder` has no free block or no free inode (SQLite could make no -wal or -shm)."""
    try:
        found = os.statvfs(folder)
    except OSError:
        return False
    return found.f_bavail == 0 or (found.f_files > 0 and found.f_favail == 0)


def _refuse_empty(path: Path) -> None:
    # A 0-byte file is not a journal someone started: it may be a placeholder, a failed copy, or
    # the wrong name; making it a journal would hide that.
    with contextlib.suppress(OSError):
        if path.stat().st_size == 0:
            raise NotAJournalError(
                f"{path} is an empty file (0 bytes), not a journal; it was left untouched. "
                "Delete it to start a new journal there."
            )


def _refuse_read_only(path: Path) -> None:
    # SQLite would open a read-only journal, fail at the first write and leave -wal/-shm
    # files behind; say so before touching anything instead.
    if not writable(path):
        raise ReadOnlyJournalError(
            f"{path} cannot be written (the file or its folder is read-only): nothing was opened or changed."
        )


def _create_private(path: Path) -> None:
    # A missing folder is created (0700, every level): the default journal lives in a
    # user-data folder that does not exist on a fresh machine, and `--db new/place.db`
    # is how a person starts a journal somewhere new.
    try:
        make_private_dir(path.parent)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        return
    except PermissionError as exc:
        raise ReadOnlyJournalError(f"Cannot create the journal at {path}: permission denied.") from exc
    except OSError as exc:
        raise JournalError(f"Cannot create the journal at {path}: {exc.strerror}.") from exc


def _test_page_limit(conn: sqlite3.Connection) -> None:
    raw = os.environ.get(ENV_TEST_MAX_PAGES, "").strip()
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return
    current = int(conn.execute("PRAGMA max_page_count").fetchone()[0])
    if int(raw) < current:
        conn.execute(f"PRAGMA max_page_count = {int(raw)}")


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    # quick_check reads every page (about 20 ms for 20,000 doses): a damaged journal is
    # refused before anything is written to it, so a bad sector never costs more records.
    return [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)").fetchall()]


def refuse_damaged(problems: list[str], path: Path | None) -> None:
    """Raise NotAJournalError unless SQLite's quick_check said ok."""
    if problems != ["ok"]:
        raise NotAJournalError(
            f"{path or 'The journal'} is damaged (SQLite's check found {len(problems)} problem(s)); "
            "it was left untouched. `medjournal check` shows them; `medjournal backups` lists backups to restore."
        )


def check_file(path: Path) -> list[str] | None:
    """SQLite's quick_check of an existing journal (it only reads); None when it cannot run.

    For checking on a second thread while the app loads: SQLite holds no Python lock meanwhile.
    Not a read-only connection: that one could not remove the WAL's side files when it closes.
    """
    try:
        conn = (
            hold(
                sqlite3.connect(
                    str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, factory=HeldConnection
                ),
                path,
            )
            if writable(path) and not _no_room(path.parent)
            else read_only_connection(path)  # creates no -wal or -shm beside a read-only journal, or on a full disk
        )
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        return _quick_check(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


class JournalDatabase:
    """An open journal: its sqlite3 connection, and sqlite-utils' Database over it, made only when asked for.

    A journal whose schema is current is opened and read through the connection alone, so a
    quick command such as `emergency` never imports sqlite-utils (and its dateutil, pluggy).
    """

    def __init__(self, conn: sqlite3.Connection, utils: Database | None = None) -> None:
        self.conn = conn
        if utils is not None:
            self.__dict__["utils"] = utils

    @cached_property
    def utils(self) -> Database:
        """sqlite-utils' Database over the same connection."""
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False)

    def __getitem__(self, name: str) -> Any:
        return self.utils[name]

    def __getattr__(self, name: str) -> Any:
        # Everything else a sqlite-utils Database offers (table_names, journal_mode, ...).
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.utils, name)


def applied_names(db: JournalDatabase | sqlite3.Connection) -> list[str]:
    """The schema steps already applied to this journal, in the order they were applied."""
    conn = db.conn if isinstance(db, JournalDatabase) else db
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE])
    if exists.fetchone() is None:
        return []
    rows = conn.execute(
        f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]
    )
    return [str(row[0]) for row in rows.fetchall()]


def table_names(conn: sqlite3.Connection) -> list[str]:
    """The tables in a database, by name."""
    return [str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]


def _refuse_foreign(db: JournalDatabase, path: Path | None) -> None:
    if applied_names(db):
        return
    tables = [name for name in table_names(db.conn) if name != MIGRATIONS_TABLE]
    if tables:
        raise NotAJournalError(
            f"{path or 'This file'} is an SQLite database of another program, not a medjournal journal; "
            "it was left untouched."
        )


def _is_current(conn: sqlite3.Connection) -> bool:
    # The common case: every known step applied and nothing else; anything else (a new file,
    # a pending step, a newer journal) goes through sqlite-utils' Migrations.
    return tuple(applied_names(conn)) == known_step_names()


def connect(
    path: Path | None,
    *,
    create: bool = True,
    daily_backup: bool = True,
    checked: bool = False,
    writing: bool = True,
) -> JournalDatabase:
    """Open (creating if allowed) the journal at `path`, or an in-memory one; migrate it.

    `daily_backup`: take the day's automatic backup if it is not taken yet (False for a
    command that only reads, such as `emergency`, which must answer at once).
    `checked`: `check_file` has just found the file sound; its quick_check is not run again.
    `writing=False`: the command only reads, so a read-only journal is opened read-only
    (leaving no file beside it) instead of refused.
    """
    read_only = False
    if path is None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    else:
        if path.is_dir():
            raise JournalError(f"{path} is a folder, not a journal file.")
        refuse_special(path)
        # A conversion (encrypt, decrypt, passphrase) interrupted: finished or undone first.
        cipher.finish_interrupted(path)
        if not path.exists():
            if not create:
                raise JournalError(
                    f"no journal at {path}: check the name (`medjournal med add NAME` starts a new one)."
                )
            _create_private(path)
        else:
            _refuse_empty(path)
            # Only reading: a file that cannot be written, or a disk that could take no -wal or -shm, is read read-only.
            read_only = not writing and (not writable(path) or _no_room(path.parent))
            if not read_only:
                _refuse_read_only(path)
        encrypted = cipher.is_encrypted(path)  # SQLCipher's file: no SQLite header (see journal.store.cipher)
        # Reading the file outside SQLite, then closing it, would drop the POSIX locks of a
        # connection this process already has on it (see journal.store.held); that connection
        # was opened through here, header checked.
        if not encrypted and not held(path):
            _check_header(path)
        if encrypted:
            with translate_errors(path):  # it reads the file to check the key (and reads it ahead)
                conn = cipher.connect(path, checking=not checked, timeout=BUSY_TIMEOUT_MS / 1000, read_only=read_only)
            checked = checked or cipher.unchanged_since_check(conn)  # it passed one, and is as it was
        elif read_only:
            conn = read_only_connection(path)
        else:
            conn = sqlite3.connect(
                str(path),
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
                factory=HeldConnection,
            )
            hold(conn, path)
            if not writing and not _readable(conn):  # it needs a -shm it cannot make (the disk filled meanwhile)
                conn, read_only = read_only_connection(path), True
    db = JournalDatabase(conn)
    try:
        with translate_errors(path):
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            current = path is not None and _is_current(conn)
            if not current:
                _refuse_newer(db, path)
            if path is not None:
                if not checked:
                    refuse_damaged(_quick_check(conn), path)
                    cipher.note_check_passed(conn, path)
                _refuse_foreign(db, path)
            _test_page_limit(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            # No memory-mapped reads of the journal, whatever this SQLite's build default: a mapped
            # page the disk cannot back ends the process with SIGBUS, which no code can catch.
            conn.execute("PRAGMA mmap_size = 0")
            if read_only:
                if not current:
                    raise ReadOnlyJournalError(
                        f"{path} is read-only and must first be updated by this version of medjournal: "
                        "make it writable (chmod u+w) and try again."
                    )
                return db
            if path is not None and str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode = wal")
            conn.execute("PRAGMA synchronous = FULL")
            if not current:
                _migrate(db, path)
            if path is not None:
                if writing:  # copies killed backups and restores left behind go now, not with tomorrow's backup
                    remove_stale_parts(path)
                if daily_backup:
                    from journal.store import backups

                    backups.daily(db, path)
    except BaseException:
        conn.close()
        raise
    return db


def _refuse_newer(db: JournalDatabase, path: Path | None) -> None:
    known = set(known_step_names())
    unknown = [name for name in applied_names(db) if name not in known]
    if unknown:
        raise NewerJournalError(
            f"{path or 'This journal'} was written by a newer version of medjournal "
            f"(schema step {unknown[-1]}); update medjournal to open it. The file was left untouched."
        )


def has_data(db: JournalDatabase) -> bool:
    """Whether the journal holds any table of ours (so a migration deserves a backup)."""
    return any(name != MIGRATIONS_TABLE for name in table_names(db.conn))


def _migrate(db: JournalDatabase, path: Path | None) -> None:
    steps = migrations()
    pending = steps.pending(db.utils)
    if not pending:
        return
    if path is not None and has_data(db):
        from journal.store import backups

        # If this backup fails the error propagates and no step is applied.
        backups.take(db, path, f"before-{pending[0].name}")
    steps.apply(db.utils)


def backup(db: JournalDatabase, dest: Path) -> Path:
    """Copy the journal to `dest` with SQLite's online backup API, check it and fsync it; never overwrites."""
    if dest.exists():
        raise JournalError(f"{dest} already exists; choose another name.")
    try:
        make_private_dir(dest.parent)
    except OSError as exc:
        raise JournalError(f"Cannot create the folder {dest.parent}: {exc.strerror}.") from exc
    # Written under a temporary name and linked into place only once checked and synced,
    # so a crash or a full disk never leaves a half-written file that looks like a backup.
    part = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    try:
        fd = os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise JournalError(f"Cannot write a backup at {dest}: {exc.strerror}.") from exc
    try:
        target = cipher.open_like(db.conn, part)  # an encrypted journal's backup: the same key
        try:
            with translate_errors(dest):
                db.conn.backup(target)
                result = target.execute("PRAGMA integrity_check").fetchone()[0]
                if result != "ok":
                    raise DamagedCopyError(
                        f"The backup at {dest} failed its integrity check ({result}): the journal is damaged; "
                        "the copy was not kept.",
                        result=str(result),
                    )
                # A backup is one self-contained file: no -wal beside it.
                target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        with open(part, "rb+") as handle:
            os.fsync(handle.fileno())
        _place(part, dest)
    finally:
        part.unlink(missing_ok=True)
    fsync_dir(dest.parent)
    return dest


# A copy in progress: `.NAME.PID.part` in the backup folder (connection.backup), `.JOURNAL.restoring-PID`
# beside the journal (restore), each with the -journal, -wal or -shm SQLite may have made beside it.
_PART = re.compile(r"^\..+\.(?P<pid>\d+)\.part(?:-journal|-wal|-shm)?$")
_RESTORING = re.compile(r"^\..+\.restoring-(?P<pid>\d+)(?:-journal|-wal|-shm)?$")


def _alive(pid: int) -> bool:
    """Whether a process `pid` runs on this machine (one of another user counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # another user's (PermissionError), or no number a process can have
        return True
    return True


def remove_stale_parts(journal: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete the copies that killed backups and restores left half-written or whole; the paths removed.

    A copy is stale when the process that wrote it is gone, or when it is an hour old (its process number
    may since belong to another program). Run whenever the journal is opened to write: a storm of killed
    backups leaves a full-size copy each, and they must not wait for the next day's backup.
    """
    cutoff = (now or datetime.now(UTC)).timestamp() - STALE_PART_SECONDS
    folder = backup_dir(journal)
    found: list[tuple[Path, re.Match[str] | None]] = []
    with contextlib.suppress(OSError):
        found += [(entry, _PART.match(entry.name)) for entry in folder.iterdir() if entry.name.startswith(".")]
    found += [(p, _RESTORING.match(p.name)) for p in journal.parent.glob(f".{glob_escape(journal.name)}.restoring-*")]
    removed: list[Path] = []
    for part, match in found:
        if match is None:
            continue
        with contextlib.suppress(OSError):
            if not _alive(int(match["pid"])) or part.stat().st_mtime < cutoff:
                part.unlink()
                removed.append(part)
    return removed


def _place(part: Path, dest: Path) -> None:
    try:
        os.link(part, dest)  # fails if dest appeared meanwhile: a backup never replaces a file
    except FileExistsError as exc:
        raise JournalError(f"{dest} already exists; choose another name.") from exc
    except OSError:
        # Some file systems (FAT on a USB stick) have no hard links.
        if dest.exists():
            raise JournalError(f"{dest} already exists; choose another name.") from None
        os.replace(part, dest)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
