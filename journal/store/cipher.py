"""Encrypted journals (SQLCipher): recognising one, finding its key, opening it, and converting files.

An encrypted journal is an SQLCipher 4 file: it does not start with "SQLite format 3", its first
16 bytes are the salt of the key derivation, and its size is a whole number of pages. Only such a
file makes this module import `sqlcipher3` (and `keyring`): a plain journal never pays for them.

The key is the raw 32-byte key SQLCipher derives from the passphrase (PBKDF2-HMAC-SHA512, 256,000
rounds, the file's salt): derived here once, it opens the file and every backup of it (they keep
its salt) without paying the derivation again. It comes from, in order: this process's memory,
MEDJOURNAL_PASSPHRASE, the system keyring (when the user chose to remember it), the terminal.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from journal.errors import JournalBusyError, JournalError, NotAJournalError

ENV_PASSPHRASE = "MEDJOURNAL_PASSPHRASE"
KEYRING_SERVICE = "medjournal"
SALT_BYTES = 16
KDF_ROUNDS = 256_000  # SQLCipher 4's default, so that the passphrase alone opens the file in any SQLCipher tool
KEY_BYTES = 32
_SQLITE_HEADER = b"SQLite format 3\x00"
_SMALLEST_PAGE = 512

LOST_PASSPHRASE = (
    "If the passphrase is lost, the journal and its backups cannot be read by anyone, you included: "
    "there is no way to recover it."
)


class PassphraseError(JournalError):
    """The journal is encrypted and no passphrase given opens it."""


# Raw keys this process has found, by the salt of the file they open (a journal and its backups share one).
_keys: dict[bytes, bytes] = {}
# The resolved paths this process opened encrypted: their header is not read again while open (see read_ahead).
_opened: set[str] = set()


def _ask_terminal(prompt: str) -> str | None:
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(prompt)


# How a passphrase is asked for when no other source has one: the terminal for the CLI; the TUI
# sets None (it asks on a screen of its own) and tests set what they like.
ask: Callable[[str], str | None] | None = _ask_terminal


def salt_of(path: Path) -> bytes | None:
    """The salt of an encrypted journal file, or None when the file is not one (plain SQLite, empty, other)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SALT_BYTES)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return None
    if len(head) < SALT_BYTES or head == _SQLITE_HEADER or size % _SMALLEST_PAGE:
        return None
    return head


def is_encrypted(path: Path) -> bool:
    """Whether `path` is an encrypted journal (without disturbing a connection this process has open on it)."""
    from journal.store.connection import held_open

    if held_open(path) is True:
        return os.path.realpath(path) in _opened
    return salt_of(path) is not None


def is_cipher_connection(conn: object) -> bool:
    """Whether a connection was opened here, on an encrypted file."""
    return getattr(conn, "raw_key", None) is not None


def derive(passphrase: str, salt: bytes) -> bytes:
    """The raw key SQLCipher derives from `passphrase` for a file with this salt."""
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_BYTES)


def key_pragma(key: bytes, salt: bytes | None = None) -> str:
    """The raw-key literal for PRAGMA key/rekey and ATTACH ... KEY (with the salt: a new file takes it)."""
    return f"x'{key.hex()}{salt.hex() if salt else ''}'"


# --- the connection -------------------------------------------------------------------------


def _translate(exc: Exception) -> sqlite3.Error:
    # sqlcipher3's errors are its own classes: the same error as the standard module's class, so
    # that every `except sqlite3.Error` in the journal (and in sqlite-utils) treats both alike.
    cls = getattr(sqlite3, type(exc).__name__, sqlite3.DatabaseError)
    new: sqlite3.Error = cls(*exc.args)
    for name in ("sqlite_errorcode", "sqlite_errorname"):
        with contextlib.suppress(AttributeError):
            setattr(new, name, getattr(exc, name))
    return new


def _wrapped(method: Any, error: type[Exception]) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except error as exc:
            raise _translate(exc) from exc

    call.__name__ = getattr(method, "__name__", "call")
    return call


@cache
def _connection_class() -> type[Any]:
    import sqlcipher3

    error = sqlcipher3.Error
    cursor_methods = ("execute", "executemany", "executescript", "fetchone", "fetchmany", "fetchall", "__next__")
    cursor = type(
        "CipherCursor",
        (sqlcipher3.Cursor,),
        {name: _wrapped(getattr(sqlcipher3.Cursor, name), error) for name in cursor_methods},
    )

    def make_cursor(self: Any, factory: Any = cursor) -> Any:
        return sqlcipher3.Connection.cursor(self, factory)

    conn_methods = ("execute", "executemany", "executescript", "commit", "rollback", "backup", "__exit__")
    namespace: dict[str, Any] = {name: _wrapped(getattr(sqlcipher3.Connection, name), error) for name in conn_methods}
    namespace["cursor"] = _wrapped(make_cursor, error)
    namespace["raw_key"] = None
    namespace["salt"] = None
    return type("CipherConnection", (sqlcipher3.Connection,), namespace)


def open_file(target: Path | str, key: bytes | None, salt: bytes | None = None, **kwargs: Any) -> Any:
    """An SQLCipher connection to `target` keyed with `key` (None: a plain file), not yet checked."""
    options: dict[str, Any] = {"isolation_level": None, "check_same_thread": False}
    options.update(kwargs)
    import sqlcipher3

    conn = sqlcipher3.connect(str(target), factory=_connection_class(), **options)
    # SQLCipher logs a failed key to stderr by itself; the user hears one sentence from us instead.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(f'PRAGMA key = "{key_pragma(key, salt)}"')
        conn.raw_key = key
        conn.salt = salt
    return conn


def _opens(path: Path, key: bytes, salt: bytes, **kwargs: Any) -> Any | None:
    conn = open_file(path, key, salt, **kwargs)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):  # what SQLCipher says of a wrong key (and of a damaged page 1)
            return None
        raise  # busy, locked, unreadable: not a matter of the key
    return conn


def connect(path: Path, **kwargs: Any) -> Any:
    """Open the encrypted journal at `path` with its key from the first source that has one that opens it."""
    salt = salt_of(path)
    if salt is None:
        raise NotAJournalError(f"{path} is not an encrypted medjournal journal; it was left untouched.")
    for key, source in _candidate_keys(path, salt):
        conn = _opens(path, key, salt, **kwargs)
        if conn is not None:
            _keys[salt] = key
            _opened.add(os.path.realpath(path))
            return conn
        if source == ENV_PASSPHRASE:
            raise PassphraseError(
                f"The passphrase in {ENV_PASSPHRASE} does not open {path} (or the file is damaged); "
                "nothing was changed."
            )
        if source == "terminal":
            raise PassphraseError(
                f"That passphrase does not open {path} (or the file is damaged); nothing was changed."
            )
    raise PassphraseError(
        f"{path} is encrypted and no passphrase was given: type it in a terminal, set {ENV_PASSPHRASE}, "
        "or keep it in the system keyring with `medjournal remember-key`."
    )


def _candidate_keys(path: Path, salt: bytes) -> Iterator[tuple[bytes, str]]:
    if salt in _keys:
        yield _keys[salt], "memory"
    env = os.environ.get(ENV_PASSPHRASE)
    if env:
        yield derive(env, salt), ENV_PASSPHRASE
        return
    remembered = keyring_key(salt)
    if remembered is not None:
        yield remembered, "keyring"
    typed = ask(f"Passphrase for {path}: ") if ask is not None else None
    if typed:
        yield derive(typed, salt), "terminal"


# The remembered key, looked up in a child process: importing `keyring` costs about 0.1 s of
# CPU, which a second core pays while this process imports Textual.
_LOOKUP = (
    "import sys\n"
    "try:\n"
    "    import keyring\n"
    "    sys.stdout.write(keyring.get_password(sys.argv[1], sys.argv[2]) or '')\n"
    "except Exception:\n"
    "    pass\n"
)


class Prefetch:
    """An encrypted journal's key found and its integrity checked on a second thread while the app loads.

    Made on the main thread (which imports sqlcipher3 and starts the keyring lookup); `check` runs
    on the second thread and imports nothing. Only a key from memory, MEDJOURNAL_PASSPHRASE or
    the keyring is tried: asking the user waits for the app.
    """

    def __init__(self, path: Path, salt: bytes) -> None:
        import subprocess

        from journal.store.connection import BUSY_TIMEOUT_MS, read_ahead

        _connection_class()  # imports sqlcipher3 here, not on the second thread
        self.path, self.salt = path, salt
        self._read_ahead, self._timeout = read_ahead, BUSY_TIMEOUT_MS / 1000
        self._key = _keys.get(salt)
        self._passphrase = os.environ.get(ENV_PASSPHRASE) if self._key is None else None
        self._child: subprocess.Popen[bytes] | None = None
        if self._key is None and not self._passphrase and is_remembered(salt):
            self._child = subprocess.Popen(
                [sys.executable, "-c", _LOOKUP, KEYRING_SERVICE, _keyring_name(salt)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )

    def _found_key(self) -> bytes | None:
        if self._key is not None:
            return self._key
        if self._passphrase:
            return derive(self._passphrase, self.salt)  # hashlib lets the other thread run meanwhile
        if self._child is None or self._child.stdout is None:
            return None
        with self._child.stdout:
            text = self._child.stdout.read().decode("ascii", "replace").strip()
        self._child.wait()
        try:
            return bytes.fromhex(text) if text else None
        except ValueError:
            return None

    def check(self) -> list[str] | None:
        """SQLite's quick_check of the journal with the key found (kept for this process); None without one."""
        key = self._found_key()
        if key is None:
            return None
        self._read_ahead(self.path)
        try:
            conn = _opens(self.path, key, self.salt, timeout=self._timeout)
        except sqlite3.Error:
            return None  # opened again on the main thread, which says what is wrong
        if conn is None:
            return None
        try:
            problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)").fetchall()]
        except sqlite3.Error:
            return None
        finally:
            conn.close()
        _keys[self.salt] = key
        return problems


def prefetch(path: Path) -> Prefetch | None:
    """For an encrypted journal, start finding its key beside the app's loading (None: not encrypted)."""
    salt = salt_of(path) if is_encrypted(path) else None
    return Prefetch(path, salt) if salt is not None else None


def unlock(path: Path, passphrase: str) -> bool:
    """Check `passphrase` against the encrypted journal at `path` and keep its key for this process."""
    salt = salt_of(path)
    if salt is None:
        return False
    key = derive(passphrase, salt)
    try:
        conn = _opens(path, key, salt)
    except sqlite3.Error:
        return False  # busy or unreadable (rare here): the screen asks again
    if conn is None:
        return False
    conn.close()
    _keys[salt] = key
    return True


def open_like(conn: object, target: Path) -> Any:
    """A connection to a new file `target` encrypted as `conn`'s journal is (same key and salt), or plain."""
    if not is_cipher_connection(conn):
        return sqlite3.connect(str(target), isolation_level=None)
    # The same salt too: a backup then opens with the journal's passphrase, and with its raw key.
    return open_file(target, getattr(conn, "raw_key"), getattr(conn, "salt"))  # noqa: B009


# --- the system keyring ---------------------------------------------------------------------


def _keyring() -> Any | None:
    try:
        import keyring
    except ImportError:  # pragma: no cover - a dependency, but a journal still opens without it
        return None
    return keyring


def _keyring_name(salt: bytes) -> str:
    # By salt, not by path: the journal can be moved, and its backups (same salt) open with the same key.
    return f"journal key {salt.hex()}"


def _remembered_file() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("medjournal", appauthor=False)) / "remembered-keys"


def is_remembered(salt: bytes) -> bool:
    """Whether the user chose to keep this journal's key in the keyring (on this machine)."""
    try:
        return salt.hex() in _remembered_file().read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return False


def _mark_remembered(salt: bytes, remembered: bool) -> None:
    # Only salts (public: every file starts with its own): the keyring is asked only for a journal
    # whose key was put there, so a locked keyring never prompts for one that was not.
    from journal.files import make_private_dir, write_private

    path = _remembered_file()
    try:
        salts = set(path.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        salts = set()
    salts = salts | {salt.hex()} if remembered else salts - {salt.hex()}
    make_private_dir(path.parent)
    write_private(path, "".join(f"{one}\n" for one in sorted(salts)).encode("ascii"), force=True)


def keyring_key(salt: bytes) -> bytes | None:
    """The raw key remembered in the system keyring for files with this salt, if any."""
    keyring = _keyring() if is_remembered(salt) else None
    if keyring is None:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, _keyring_name(salt))
    except Exception:  # no keyring service (a server, a container): as if nothing were remembered
        return None
    try:
        return bytes.fromhex(value) if value else None
    except ValueError:
        return None


def remember(salt: bytes, key: bytes) -> None:
    """Keep the raw key in the system keyring so the journal opens without asking."""
    keyring = _keyring()
    if keyring is None:  # pragma: no cover - see _keyring
        raise JournalError("The keyring package is not installed: the key cannot be remembered.")
    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_name(salt), key.hex())
    except Exception as exc:
        raise JournalError(
            f"The system keyring could not keep the key ({exc}); set {ENV_PASSPHRASE} or type the passphrase instead."
        ) from exc
    _mark_remembered(salt, True)


def forget(salt: bytes) -> bool:
    """Remove the remembered key for files with this salt; whether there was one."""
    keyring = _keyring()
    if keyring is None or keyring_key(salt) is None:
        return False
    _mark_remembered(salt, False)
    with contextlib.suppress(Exception):
        keyring.delete_password(KEYRING_SERVICE, _keyring_name(salt))
        return True
    return False


# --- converting files -----------------------------------------------------------------------


def _begin_alone(conn: Any, path: Path) -> None:
    # A journal another program has open (the TUI) keeps its write-ahead log: leaving WAL mode
    # then fails, which tells us to stop before anything is written.
    conn.execute("PRAGMA busy_timeout = 5000")
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
    except sqlite3.OperationalError:
        mode = "wal"
    if mode != "delete":
        raise JournalBusyError(
            f"{path} is open in another medjournal window or program: close it first; nothing was changed."
        )


def _private_part(path: Path) -> Path:
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    part.unlink(missing_ok=True)
    fd = os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    return part


def _counts(conn: Any, schema: str) -> dict[str, int]:
    names = [
        str(row[0])
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {name: int(conn.execute(f"SELECT count(*) FROM {schema}.[{name}]").fetchone()[0]) for name in names}


def convert(path: Path, source: tuple[bytes, bytes] | None, target: tuple[bytes, bytes] | None) -> None:
    """Rewrite the file at `path` under another key (None: plain), through a checked copy swapped into place.

    `source` and `target` are (raw key, salt). The copy is SQLCipher's own sqlcipher_export into a
    new private file; the original is replaced only once the copy has passed its integrity check,
    holds as many rows in every table, and opens again with the new key on its own.
    """
    from journal.store.connection import fsync_dir

    part = _private_part(path)
    try:
        conn = open_file(path, *source) if source else open_file(path, None)
        try:
            _begin_alone(conn, path)
            attach_key = key_pragma(*target) if target else ""
            conn.execute("ATTACH DATABASE ? AS copy KEY ?", [str(part), attach_key])
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT sqlcipher_export('copy')")
            version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            conn.execute(f"PRAGMA copy.user_version = {version}")
            expected = _counts(conn, "main")
            if _counts(conn, "copy") != expected:
                raise JournalError(f"The new copy of {path} lacks records; the original was left untouched.")
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE copy")
            _check_copy(part, target, expected, path)
            with open(part, "rb+") as handle:
                os.fsync(handle.fileno())
            # Still holding the original open (no other program has it: see _begin_alone) while
            # the checked copy takes its name; the original's side files (unused since it left
            # WAL mode) go first, so that none is left beside the new file.
            for extra in ("-wal", "-shm"):
                path.with_name(path.name + extra).unlink(missing_ok=True)
            os.replace(part, path)
        finally:
            conn.close()
        fsync_dir(path.parent)
    finally:
        part.unlink(missing_ok=True)
    _opened.discard(os.path.realpath(path))


def _check_copy(part: Path, target: tuple[bytes, bytes] | None, expected: dict[str, int], path: Path) -> None:
    check = open_file(part, *target) if target else sqlite3.connect(str(part), isolation_level=None)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
        counts = _counts(check, "main")
    except sqlite3.DatabaseError as exc:
        raise JournalError(
            f"The new copy of {path} could not be read back ({exc}); the original was left untouched."
        ) from exc
    finally:
        check.close()
    if result != "ok" or counts != expected:
        raise JournalError(f"The new copy of {path} failed its check; the original was left untouched.")


def rekey(path: Path, old: tuple[bytes, bytes], new_key: bytes) -> None:
    """Re-encrypt the file at `path` (same salt) under `new_key`, then check that it opens with it."""
    conn = open_file(path, *old)
    try:
        _begin_alone(conn, path)
        conn.execute(f'PRAGMA rekey = "{key_pragma(new_key)}"')
    finally:
        conn.close()
    if salt_of(path) != old[1]:  # pragma: no cover - SQLCipher keeps the salt on rekey
        raise JournalError(f"{path} changed its salt on rekey; keep the old passphrase until this is looked into.")
    check = _opens(path, new_key, old[1])
    if check is None:
        raise JournalError(f"{path} does not open with the new passphrase after the change; try the old one.")
    check.close()
    _keys[old[1]] = new_key


def current_key(path: Path) -> tuple[bytes, bytes]:
    """(raw key, salt) of the encrypted journal at `path`, from the usual sources."""
    conn = connect(path)
    conn.close()
    salt = salt_of(path)
    assert salt is not None
    return _keys[salt], salt


def forget_in_process() -> None:
    """Forget every key this process found (for tests)."""
    _keys.clear()
    _opened.clear()


def refuse_mixed(source: object, journal: object, source_path: Path, journal_path: Path) -> None:
    """Refuse to copy a plain file into an encrypted journal, or the other way (SQLite's copy cannot)."""
    if is_cipher_connection(source) == is_cipher_connection(journal):
        return
    if is_cipher_connection(journal):
        raise JournalError(
            f"{source_path} is not encrypted but {journal_path} is: run `medjournal decrypt`, restore, "
            "then `medjournal encrypt` again; nothing was changed."
        )
    raise JournalError(
        f"{source_path} is encrypted but {journal_path} is not: run `medjournal encrypt` first, then restore; "
        "nothing was changed."
    )


def copy_encrypted(source: Path, target: Path) -> None:
    """Copy the encrypted file `source` to a new private file `target`, under the same key."""
    from journal.files import make_private_dir

    src = connect(source)
    try:
        make_private_dir(target.parent)
        if not target.exists():
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        dest = open_like(src, target)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()
