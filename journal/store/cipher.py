"""Encrypted journals (SQLCipher): recognising one, finding its key, opening it, and converting files.

An encrypted journal is an SQLCipher 4 file: it does not start with "SQLite format 3", its first
16 bytes are the salt of the key derivation, and its size is a whole number of pages. Only such a
file makes this module import `sqlcipher3` (and `keyring`): a plain journal never pays for them.

The key is the raw 32-byte key SQLCipher derives from the passphrase (PBKDF2-HMAC-SHA512, 256,000
rounds, the file's salt): derived here once, it opens the file and every backup of it (they keep
its salt) without paying the derivation again. It comes from, in order: this process's memory,
MEDJOURNAL_PASSPHRASE, the system keyring (when the user chose to remember it), the terminal.

Decrypting every page for SQLite's quick_check costs some 50 ms on a ten-year journal (14 ms
plain): once a check has passed, the file's state (device, inode, size, modification and change
times, no write-ahead log holding changes) is noted, sealed with the key, and the next opening of
the same unchanged file skips the check (see `_file_state`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from journal.errors import JournalBusyError, JournalError, NotAJournalError
from journal.files import make_private_dir, write_private
from journal.store import held as held_files

ENV_PASSPHRASE = "MEDJOURNAL_PASSPHRASE"
KEYRING_SERVICE = "medjournal"
SALT_BYTES = 16
KDF_ROUNDS = 256_000  # SQLCipher 4's default, so that the passphrase alone opens the file in any SQLCipher tool
KEY_BYTES = 32
_SQLITE_HEADER = b"SQLite format 3\x00"
_SMALLEST_PAGE = 512
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")  # a backend's module.Class

LOST_PASSPHRASE = (
    "If the passphrase is lost, the journal and its backups cannot be read by anyone, you included: "
    "there is no way to recover it."
)


class PassphraseError(JournalError):
    """The journal is encrypted and no passphrase given opens it."""


# Raw keys this process has found, by the salt of the file they open (a journal and its backups share one).
_keys: dict[bytes, bytes] = {}
# The resolved paths this process opened encrypted: their header is not read again while open (see journal.store.held).
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
    if held_files.held(path):
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
    namespace["state"] = None  # the file's state before it was opened (see _file_state)
    namespace["unchanged"] = False  # that state passed a check before: no need to check again
    namespace["had_journal"] = True  # a `-journal` was beside the file before `hold` (see convert)
    return type("CipherConnection", (held_files.HeldMixin, sqlcipher3.Connection), namespace)


def open_file(target: Path | str, key: bytes | None, salt: bytes | None = None, **kwargs: Any) -> Any:
    """An SQLCipher connection to `target` keyed with `key` (None: a plain file), not yet checked.

    `read_only=True`: a connection that only reads (see connection.read_only_connection).
    """
    options: dict[str, Any] = {"isolation_level": None, "check_same_thread": False}
    read_only = bool(kwargs.pop("read_only", False))
    options.update(kwargs)
    import sqlcipher3

    path = Path(target)
    if read_only:
        # As connection.read_only_connection opens a plain journal: never a checkpoint of a
        # leftover WAL into the file, no -wal or -shm left where there was none.
        uri = Path(target).resolve().as_uri()
        wal = Path(f"{target}-wal").exists()
        target, options["uri"] = f"{uri}?mode=ro" + ("" if wal else "&immutable=1"), True
    conn = held_files.hold(sqlcipher3.connect(str(target), factory=_connection_class(), **options), path)
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


def connect(path: Path, *, checking: bool = False, **kwargs: Any) -> Any:
    """Open the encrypted journal at `path` with its key from the first source that has one that opens it.

    `checking`: the caller runs SQLite's quick_check next unless `unchanged_since_check` says the
    file passed one as it is.
    """
    salt = salt_of(path)
    if salt is None:
        raise NotAJournalError(f"{path} is not an encrypted medjournal journal; it was left untouched.")
    for key, source in _candidate_keys(path, salt):
        state = _file_state(path)
        unchanged = checking and _passed_check(key, state)
        conn = _opens(path, key, salt, **kwargs)
        if conn is not None:
            _keys[salt] = key
            _opened.add(os.path.realpath(path))
            conn.state, conn.unchanged = state, unchanged
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


# --- the integrity check, not repeated on an unchanged file ---------------------------------

_CHECKS_KEPT = 32  # seals kept, newest last: a few journals, each in a few states


def _file_state(path: Path) -> str | None:
    """What changes whenever the file's bytes do, or None when that cannot be told from outside SQLite.

    Any write to the file moves its change time, which no program can set back short of the system
    clock (touch sets the modification time only); a copy over it is a new inode. A write-ahead log holding changes, or
    a rollback journal, means the file alone is not the journal (a writer is at work, or one was
    killed): None. SQLite's file change counter is no help here: the page it sits on is
    encrypted, and a WAL journal does not move it at each transaction.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    for side in ("-wal", "-journal"):
        try:
            if os.stat(path.with_name(path.name + side)).st_size:
                return None
        except FileNotFoundError:
            continue
        except OSError:
            return None
    return f"{st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}"


def _seal(key: bytes, state: str) -> str:
    # Keyed with the journal's key: the note says nothing of the file or its key, and only someone
    # holding the key can make one that counts.
    return hashlib.blake2b(state.encode("ascii"), key=key, digest_size=32, person=b"medjournal-check").hexdigest()


def _seals() -> list[str]:
    try:
        return _state_file("checked-journals").read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return []


def _passed_check(key: bytes, state: str | None) -> bool:
    return state is not None and _seal(key, state) in _seals()


def _note_passed(key: bytes, state: str | None, path: Path) -> None:
    # Only while the file is still as it was when the check began.
    if state is None or _file_state(path) != state:
        return
    seal = _seal(key, state)
    older = [one for one in _seals() if one != seal]
    kept = [*older[-(_CHECKS_KEPT - 1) :], seal]
    target = _state_file("checked-journals")
    with contextlib.suppress(OSError, JournalError):  # a note not kept costs one check next time, nothing else
        make_private_dir(target.parent)
        write_private(target, "".join(f"{one}\n" for one in kept).encode("ascii"), force=True)


def unchanged_since_check(conn: object) -> bool:
    """Whether `conn`'s encrypted file passed SQLite's quick_check before and is unchanged since."""
    return bool(getattr(conn, "unchanged", False))


def note_check_passed(conn: object, path: Path) -> None:
    """Note that the encrypted file `conn` opened passed SQLite's quick_check (nothing for a plain one)."""
    key = getattr(conn, "raw_key", None)
    if key is not None:
        _note_passed(key, getattr(conn, "state", None), path)


class Prefetch:
    """An encrypted journal's key found and its integrity checked on a second thread while the app loads.

    Made on the main thread, which imports sqlcipher3 and reads a remembered key from the keyring
    here: measured against a child process doing it on the second core (until December 2026), this
    was as fast or faster on the shared 2-core machine, and the keyring's share of the CPU fell from
    0.37e9 instructions to 0.09e9, since Textual imports much of what keyring does. `check` runs on
    the second thread and imports nothing. Only a key from memory, MEDJOURNAL_PASSPHRASE or the
    keyring is tried: asking the user waits for the app.
    """

    def __init__(self, path: Path, salt: bytes) -> None:
        from journal.store.connection import BUSY_TIMEOUT_MS

        _connection_class()  # imports sqlcipher3 here, not on the second thread
        _state_dir()  # and platformdirs (where the seals of passed checks are kept)
        self.path, self.salt = path, salt
        self._timeout = BUSY_TIMEOUT_MS / 1000
        self._key = _keys.get(salt)
        self._passphrase = os.environ.get(ENV_PASSPHRASE) if self._key is None else None
        if self._key is None and not self._passphrase:
            self._key = keyring_key(salt)

    def _found_key(self) -> bytes | None:
        if self._key is not None:
            return self._key
        if self._passphrase:
            return derive(self._passphrase, self.salt)  # hashlib lets the other thread run meanwhile
        return None

    def check(self) -> list[str] | None:
        """SQLite's quick_check of the journal with the key found (kept for this process); None without one.

        ["ok"] at once, without reading the file, when it passed a check before and is unchanged since.
        """
        key = self._found_key()
        if key is None:
            return None
        state = _file_state(self.path)
        if _passed_check(key, state):  # the seal matches: the key is this file's too
            _keys[self.salt] = key
            return ["ok"]
        # None: opened again on the main thread, which says what is wrong.
        problems = _quick_check(self.path, key, self.salt, state, timeout=self._timeout)
        if problems is not None:
            _keys[self.salt] = key
        return problems


def _quick_check(path: Path, key: bytes, salt: bytes, state: str | None, **kwargs: Any) -> list[str] | None:
    """SQLite's quick_check of the encrypted file, noted when it passes; None when it cannot run (key, busy)."""
    try:
        conn = _opens(path, key, salt, **kwargs)
    except sqlite3.Error:
        return None
    if conn is None:
        return None
    try:
        problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)").fetchall()]
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if problems == ["ok"]:
        _note_passed(key, state, path)
    return problems


def check_after_use(path: Path) -> None:
    """Check an encrypted journal this process changed and closed, so that the next opening need not.

    For the TUI as it closes: the next `emergency`, often soon after a dose was logged, then
    finds the file as a check left it. Nothing for a plain journal, one already noted as it is,
    or one another program has open with changes in its log.
    """
    salt = salt_of(path)
    key = _keys.get(salt) if salt is not None else None
    if salt is None or key is None:
        return
    state = _file_state(path)
    if state is not None and not _passed_check(key, state):
        _quick_check(path, key, salt, state)


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


def _backend_of(ring: Any, service: str, username: str) -> str:
    """The dotted class name of the backend in `ring` that holds this password ('' when none says so)."""
    from keyring.backends.chainer import ChainerBackend

    for holder in list(ring.backends) if isinstance(ring, ChainerBackend) else [ring]:
        try:
            found = holder.get_password(service, username)
        except Exception:  # a backend of the chain that cannot be read now
            continue
        if found is not None:
            return _dotted_name(holder)
    return ""


def _dotted_name(holder: object) -> str:
    return f"{type(holder).__module__}.{type(holder).__qualname__}"


def _stores_in_plain_text(holder: object) -> bool:
    """Whether a keyring backend keeps what it is given readable as it is, in a file any program run as the user reads.

    Told from the backend itself, not from one name: keyrings.alt's PlaintextKeyring, any backend whose
    class or module says plain text, and a backend writing a file (`file_path`) at a priority keyring
    ranks below its recommended ones (under 1: "not recommended"), unless it says it encrypts.
    """
    name = _dotted_name(holder).lower()
    if "encrypt" in name or "crypted" in name:
        return False
    if "plaintext" in name or "plain_text" in name:
        return True
    try:
        priority = float(getattr(holder, "priority", 1))
    except Exception:  # a priority that cannot be read: a backend keyring would not choose
        priority = 0.0
    writes_a_file = bool(getattr(holder, "file_path", None))
    return writes_a_file and (priority < 1 or name.startswith("keyrings.alt."))


def plaintext_keyring() -> str | None:
    """The keyring backend a remembered key would go into, named (and its file), when it stores it in plain text."""
    keyring = _keyring()
    if keyring is None:  # pragma: no cover - see _keyring
        return None
    try:
        ring = keyring.get_keyring()
    except Exception:  # no keyring can be loaded: `remember` says so
        return None
    chain = getattr(ring, "backends", None)  # a ChainerBackend writes into its first backend
    holder = chain[0] if chain else ring
    if not _stores_in_plain_text(holder):
        return None
    where = getattr(holder, "file_path", None)
    return f"{_dotted_name(holder)}{f', in {where}' if where else ''}"


def _keyring_for(backend: str) -> Any | None:
    """The keyring backend to read a remembered key from: `backend` (a dotted class name) if it loads.

    Importing `keyring` costs some 0.1 s of CPU; letting it find its backend (neither
    PYTHON_KEYRING_BACKEND nor a keyringrc.cfg naming one) costs about as much again: it scans
    the installed packages' entry points and asks every backend whether it can run here (D-Bus,
    KWallet, libsecret, ...). The backend that took the key was noted when it was put there.
    """
    from journal.private_apis.keyring import backend_chosen

    keyring = _keyring()
    if keyring is None:
        return None
    # Already chosen in this process (set_keyring, or an earlier lookup), or by the user for every
    # program (the environment): that one, as keyring itself would.
    chosen = backend_chosen(keyring) or os.environ.get("PYTHON_KEYRING_BACKEND")
    if backend and not chosen and _DOTTED.match(backend):
        with contextlib.suppress(Exception):  # uninstalled, or not usable here any more: keyring's own choice
            keyring.set_keyring(keyring.core.load_keyring(backend))
    return keyring.get_keyring()


def _keyring_name(salt: bytes) -> str:
    # By salt, not by path: the journal can be moved, and its backups (same salt) open with the same key.
    return f"journal key {salt.hex()}"


@cache
def _state_dir() -> Path:
    # Asked once a process: the seals of passed checks are read at every opening.
    from journal.locations import state_dir

    return state_dir()


def _state_file(name: str) -> Path:
    return _state_dir() / name


def _remembered() -> dict[str, str]:
    """The salts of the journals whose key the user chose to remember here, with the keyring backend holding each."""
    try:
        lines = _state_file("remembered-keys").read_text(encoding="ascii").splitlines()
    except (OSError, ValueError):
        return {}
    # "SALT BACKEND"; a line of a salt alone (written before the backend was noted): keyring's own choice.
    found = {words[0]: words[1] if len(words) > 1 else "" for words in (line.split() for line in lines) if words}
    # The file is data: a backend is loaded (imported) by name, so only a name from keyring's own list is
    # kept: a class of its package (keyring.backends.*) or of a module an installed plugin registers for it
    # (the "keyring.backends" entry points, as keyrings.alt does). Any other name: keyring's own choice.
    plugins: set[str] | None = None
    for salt, backend in found.items():
        module = backend.rpartition(".")[0]
        if not backend or (_DOTTED.match(backend) and module.startswith("keyring.backends.")):
            continue
        if plugins is None:
            try:
                from importlib.metadata import entry_points

                plugins = {ep.module for ep in entry_points(group="keyring.backends")}
            except Exception:  # no metadata to read: no plugin is trusted
                plugins = set()
        if not (_DOTTED.match(backend) and any(module == p or module.startswith(p + ".") for p in plugins)):
            found[salt] = ""
    return found


def is_remembered(salt: bytes) -> bool:
    """Whether the user chose to keep this journal's key in the keyring (on this machine)."""
    return salt.hex() in _remembered()


def _mark_remembered(salt: bytes, backend: str | None) -> None:
    # Only salts (public: every file starts with its own) and the backends' class names: the
    # keyring is asked only for a journal whose key was put there, so a locked keyring never
    # prompts for one that was not. None: no longer remembered.
    marks = _remembered()
    marks.pop(salt.hex(), None)
    if backend is not None:
        marks[salt.hex()] = backend
    path = _state_file("remembered-keys")
    make_private_dir(path.parent)
    lines = (f"{one} {marks[one]}".rstrip() + "\n" for one in sorted(marks))
    write_private(path, "".join(lines).encode("ascii"), force=True)


def keyring_key(salt: bytes) -> bytes | None:
    """The raw key remembered in the system keyring for files with this salt, if any."""
    backend = _remembered().get(salt.hex())
    ring = _keyring_for(backend) if backend is not None else None
    if ring is None:
        return None
    try:
        value = ring.get_password(KEYRING_SERVICE, _keyring_name(salt))
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
    # Which backend took it, so that reading it back loads that one alone (see _keyring_for).
    _mark_remembered(salt, _backend_of(keyring.get_keyring(), KEYRING_SERVICE, _keyring_name(salt)))


def forget(salt: bytes) -> bool:
    """Remove the remembered key for files with this salt; whether there was one."""
    keyring = _keyring()
    if keyring is None or keyring_key(salt) is None:
        return False
    _mark_remembered(salt, None)
    with contextlib.suppress(Exception):
        keyring.delete_password(KEYRING_SERVICE, _keyring_name(salt))
        return True
    return False


# --- converting files -----------------------------------------------------------------------
#
# A conversion (encrypt, decrypt, a new passphrase) rewrites the journal and every backup beside
# it. Each file is copied under the new key into a private `.NAME.PID.part`, checked, and renamed
# over the original while a connection keeps the original under SQLite's exclusive lock: no other
# program can read or write it from the start of the copy until the new file has its name (one
# that waited meanwhile holds the old, renamed-over file, where SQLite refuses every write).
#
# The whole operation is journaled by a marker beside the journal, `.NAME.converting`, written
# before any file is touched and removed once every file is converted; the process converting
# holds an flock on it. A process killed half-way leaves the marker: the next command to open the
# journal (`finish_interrupted`, from connection.connect and the conversion commands) takes the
# lock, removes the copies and super-journals left, and brings every backup to the journal's
# state. Which files go first makes the key needed always the journal's own key: an encryption
# converts the journal first (its backups follow, under the key that now opens the journal), a
# decryption its backups first (the journal, still encrypted, keeps asking for the key until it
# is the last file converted), and a new passphrase the journal first, with the old key kept in
# the marker wrapped under the new one (only the new key unwraps it; it opens nothing the new
# key does not).

ENV_TEST_KILL = "MEDJOURNAL_TEST_KILL_AT"  # for tests only: "STEP" or "STEP:N", see _step
_steps_seen: dict[str, int] = {}
ENCRYPT, DECRYPT, PASSPHRASE = "encrypt", "decrypt", "passphrase"
_MARKER_WAIT_SECONDS = 5.0


def _step(name: str) -> None:
    """A point of a conversion (after a write, rename, unlink or fsync) where a test may kill this process.

    MEDJOURNAL_TEST_KILL_AT=STEP kills it with SIGKILL the first time STEP is reached, STEP:N the
    N-th time; tests use it to show that the next command finishes or undoes the conversion.
    `stop@STEP` stops it (SIGSTOP) instead, for a test to try the journal meanwhile.
    """
    wanted = os.environ.get(ENV_TEST_KILL)
    if not wanted:
        return
    count = _steps_seen[name] = _steps_seen.get(name, 0) + 1
    stop = wanted.startswith("stop@")
    step, _, nth = wanted.removeprefix("stop@").partition(":")
    if step == name and count == (int(nth) if nth.isdigit() else 1):
        import signal

        os.kill(os.getpid(), signal.SIGSTOP if stop else signal.SIGKILL)


def marker_path(path: Path) -> Path:
    """The file that says a conversion of the journal at `path` is under way (or was interrupted)."""
    return path.with_name(f".{path.name}.converting")


def _hold_exclusively(conn: Any, path: Path) -> None:
    # Locking mode EXCLUSIVE first, so that every lock taken from here on is kept until the
    # connection closes; then out of WAL (which fails when another program has the journal open:
    # we stop before anything is written). MEMORY: the original is only read, and no `-journal`
    # of ours is left for its close to delete by name once the new file has taken that name.
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA main.locking_mode = EXCLUSIVE")
    try:
        conn.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")
        mode = str(conn.execute("PRAGMA main.journal_mode = DELETE").fetchone()[0]).lower()
        if mode == "delete":
            mode = str(conn.execute("PRAGMA main.journal_mode = MEMORY").fetchone()[0]).lower()
    except sqlite3.OperationalError:
        mode = "wal"
    if mode != "memory":
        raise JournalBusyError(
            f"{path} is open in another medjournal window or program: close it first; nothing was changed."
        )
    conn.execute("BEGIN EXCLUSIVE")  # the exclusive lock, kept (locking mode) until the connection closes
    conn.execute("COMMIT")


def hold(path: Path, key: tuple[bytes, bytes] | None) -> Any:
    """A connection to the file at `path` (under `key`, or plain) that alone can read or write it until closed."""
    had_journal = Path(f"{path}-journal").exists()
    conn = open_file(path, *key) if key else open_file(path, None)
    conn.had_journal = had_journal
    try:
        _hold_exclusively(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _part_name(path: Path, pid: int) -> Path:
    return path.with_name(f".{path.name}.{pid}.part")


def _private_part(path: Path) -> Path:
    part = _part_name(path, os.getpid())
    for extra in ("", "-journal"):
        Path(f"{part}{extra}").unlink(missing_ok=True)
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


def _side_files(path: Path) -> list[Path]:
    """The original's files SQLite names after it: -wal, -shm, -journal, super-journals (-mjXXXX)."""
    found = [path.with_name(path.name + extra) for extra in ("-wal", "-shm", "-journal")]
    with contextlib.suppress(OSError):
        found += [one for one in path.parent.iterdir() if one.name.startswith(f"{path.name}-mj")]
    return found


def convert(
    path: Path, source: tuple[bytes, bytes] | None, target: tuple[bytes, bytes] | None, *, held: Any = None
) -> None:
    """Rewrite the file at `path` under another key (None: plain), through a checked copy swapped into place.

    `source` and `target` are (raw key, salt). The copy is SQLCipher's own sqlcipher_export into a
    new private file; the original is replaced only once the copy has passed its integrity check,
    holds as many rows in every table, and opens again with the new key on its own. From the
    start of the copy until the copy has taken the original's name, the original is held under
    SQLite's exclusive lock: no other connection reads or writes it meanwhile. `held`: that
    connection, from `hold` (it is closed here).
    """
    from journal.store.connection import fsync_dir

    conn = held if held is not None else hold(path, source)
    try:
        part = _private_part(path)
    except BaseException:
        conn.close()
        raise
    swapped = False
    try:
        try:
            attach_key = key_pragma(*target) if target else ""
            conn.execute("ATTACH DATABASE ? AS copy KEY ?", [str(part), attach_key])
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT sqlcipher_export('copy')")
            version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            conn.execute(f"PRAGMA copy.user_version = {version}")
            expected = _counts(conn, "main")
            if _counts(conn, "copy") != expected:
                raise JournalError(f"The new copy of {path} lacks records; the original was left untouched.")
            conn.execute("COMMIT")  # the original stays locked: locking mode EXCLUSIVE
            conn.execute("DETACH DATABASE copy")
            _step("copy-written")
            _check_copy(part, target, expected, path)
            _step("copy-checked")
            with open(part, "rb+") as handle:
                os.fsync(handle.fileno())
            _step("copy-synced")
            # Nothing but this connection has the original (see _hold_exclusively): its side files
            # are unused and go first, so that none is left beside the new file.
            for extra in _side_files(path):
                extra.unlink(missing_ok=True)
            _step("sides-removed")
            os.replace(part, path)
            swapped = True
            _step("swapped")
        finally:
            conn.close()  # releases the lock on the old file, which no name leads to any more
            if not swapped and not conn.had_journal:
                # Leaving WAL for the exclusive hold wrote a rollback journal, which the locking mode keeps
                # (persisted, no longer hot once closed): ours alone, and not to be left beside the journal.
                Path(f"{path}-journal").unlink(missing_ok=True)
        fsync_dir(path.parent)
        _step("folder-synced")
    finally:
        for side in ("", "-journal"):
            Path(f"{part}{side}").unlink(missing_ok=True)
    _opened.discard(os.path.realpath(path))


def _check_copy(part: Path, target: tuple[bytes, bytes] | None, expected: dict[str, int], path: Path) -> None:
    check = open_file(part, *target) if target else sqlite3.connect(str(part), isolation_level=None)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
        counts = _counts(check, "main")
        # In WAL mode already: the first program to open the new file has no mode to change.
        check.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise JournalError(
            f"The new copy of {path} could not be read back ({exc}); the original was left untouched."
        ) from exc
    finally:
        check.close()
    if result != "ok" or counts != expected:
        raise JournalError(f"The new copy of {path} failed its check; the original was left untouched.")


def _wrap(key: bytes, under: bytes) -> bytes:
    # The old key, readable only with the new one (a one-time pad drawn from the new key).
    pad = hashlib.blake2b(under, digest_size=KEY_BYTES, person=b"medjournal-wrap").digest()
    return bytes(a ^ b for a, b in zip(key, pad, strict=True))


def _write_marker(path: Path, operation: str, salt: bytes, wrapped: bytes | None) -> int:
    """Write and sync the marker of a conversion starting now; the descriptor holding its lock."""
    import fcntl
    import json

    from journal.store.connection import fsync_dir

    marker = marker_path(path)
    temp = marker.with_name(f"{marker.name}.{os.getpid()}")
    busy = JournalBusyError(
        f"{path} is being converted by another medjournal command: try again once it has finished; nothing was changed."
    )
    try:
        temp.unlink(missing_ok=True)
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    except OSError as exc:
        raise JournalError(f"Cannot write {marker} ({exc.strerror}); nothing was changed.") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # before the marker has its name: no one sees it unlocked
        data = {"operation": operation, "salt": salt.hex(), "wrapped": wrapped.hex() if wrapped else None}
        os.write(fd, json.dumps(data).encode("ascii"))
        os.fsync(fd)
        try:
            os.link(temp, marker)  # fails when another conversion has begun
        except FileExistsError:
            raise busy from None
        except OSError:  # no hard links here (FAT): a rename, after a look
            if marker.exists():
                raise busy from None
            os.replace(temp, marker)
    except OSError as exc:
        os.close(fd)
        raise JournalError(f"Cannot write {marker} ({exc.strerror}); nothing was changed.") from exc
    except BaseException:
        os.close(fd)
        raise
    finally:
        temp.unlink(missing_ok=True)
    fsync_dir(path.parent)
    _step("marker-written")
    return fd


def _end_marker(path: Path, fd: int) -> None:
    from journal.store.connection import fsync_dir

    _step("before-marker-removed")
    marker_path(path).unlink(missing_ok=True)
    fsync_dir(path.parent)
    os.close(fd)


# Free inodes a conversion needs: the marker and its temporary name, the new copy and its rollback journal.
_INODES_NEEDED = 4
_ROOM_SPARE = 64 * 1024  # the marker, a -wal for the copy's mode, the folder's own growth


def require_room(path: Path) -> None:
    """Refuse a conversion of the journal at `path` before anything is written when its disk cannot hold
    the marker and the new copy of its largest file (the journal or a backup, converted one at a time)."""
    from journal.errors import DiskFullError
    from journal.store import backups

    files = [path, *(b.path for b in backups.list_backups(path))]
    sizes = []
    for one in files:
        with contextlib.suppress(OSError):
            sizes.append(one.stat().st_size)
    try:
        found = os.statvfs(path.parent)
    except OSError:
        return  # cannot be told: the conversion itself says so if it runs out of room
    if found.f_files and found.f_favail < _INODES_NEEDED:
        raise DiskFullError(
            f"The disk holding {path} can take no new file (no free inodes), and a conversion writes a new copy "
            "of the journal beside it: nothing was changed. Delete some files and try again."
        )
    need, free = max(sizes, default=0) + _ROOM_SPARE, found.f_bavail * found.f_frsize
    if free < need:
        raise DiskFullError(
            f"The disk holding {path} is too full to convert it ({need // 1024 + 1} KB needed for a new copy, "
            f"{free // 1024} KB free): nothing was changed. Free some space and try again."
        )


def _backups_with(path: Path, salt: bytes | None) -> list[Path]:
    """The journal's backups that share `salt` (None: the plain ones)."""
    from journal.store import backups

    return [b.path for b in backups.list_backups(path) if salt_of(b.path) == salt]


Failures = list[tuple[Path, str]]


def _each(files: list[Path], change: Callable[[Path], None]) -> tuple[int, Failures]:
    """Apply `change` to each backup; one that fails is left as it was and named. (How many changed, failures.)"""
    done, failed = 0, []
    for backup in files:
        try:
            change(backup)
        except (JournalError, sqlite3.Error, OSError) as exc:
            failed.append((backup, str(exc)))
        else:
            done += 1
            _step("backup-converted")
    return done, failed


def _convert_journal(path: Path, fd: int, change: Callable[[], None]) -> None:
    """Convert the journal itself; if that fails, the marker goes (nothing was changed) and the error rises."""
    try:
        change()
    except BaseException as exc:
        _remove_leftovers(path)
        marker_path(path).unlink(missing_ok=True)
        os.close(fd)
        if isinstance(exc, sqlite3.Error | OSError):  # a full disk, an unreadable page: one sentence
            raise JournalError(f"{path} could not be converted ({exc}); it was left as it was.") from exc
        raise
    _step("journal-converted")


def encrypt_journal(path: Path, key: bytes, salt: bytes) -> tuple[int, Failures]:
    """Encrypt the plain journal at `path` and then its plain backups; (backups encrypted, those that failed)."""
    fd = _write_marker(path, ENCRYPT, salt, None)
    _convert_journal(path, fd, lambda: convert(path, None, (key, salt)))
    _keys[salt] = key
    result = _each(_backups_with(path, None), lambda b: convert(b, None, (key, salt)))
    _end_marker(path, fd)
    return result


def decrypt_journal(path: Path, key: bytes, salt: bytes) -> tuple[int, Failures]:
    """Decrypt the backups of the journal at `path`, then the journal; (backups decrypted, those that failed).

    The journal is held under SQLite's exclusive lock from the start: no program changes it while
    its backups are converted.
    """
    fd = _write_marker(path, DECRYPT, salt, None)
    converted: list[Path] = []

    def one(backup: Path) -> None:
        convert(backup, (key, salt), None)
        converted.append(backup)

    def journal() -> None:
        held = hold(path, (key, salt))
        result.extend(_each(_backups_with(path, salt), one))
        try:
            convert(path, (key, salt), None, held=held)
        except BaseException:
            # Undone: the backups already plain are encrypted again, as the journal still is.
            for backup in converted:
                with contextlib.suppress(JournalError, sqlite3.Error, OSError):
                    convert(backup, None, (key, salt))
            raise

    result: list[Any] = []
    _convert_journal(path, fd, journal)
    _end_marker(path, fd)
    return result[0], result[1]


def change_key(path: Path, old: tuple[bytes, bytes], new_key: bytes) -> tuple[int, Failures]:
    """Put the journal at `path` and its backups under `new_key` (same salt); (backups changed, those that failed)."""
    key, salt = old
    fd = _write_marker(path, PASSPHRASE, salt, _wrap(key, new_key))
    _convert_journal(path, fd, lambda: convert(path, old, (new_key, salt)))
    check = _opens(path, new_key, salt)
    if check is None:  # pragma: no cover - the copy was opened with the new key before it took the name
        raise JournalError(f"{path} does not open with the new passphrase after the change; try the old one.")
    check.close()
    _keys[salt] = new_key
    result = _each(_backups_with(path, salt), lambda b: convert(b, old, (new_key, salt)))
    _end_marker(path, fd)
    return result


def rekey(path: Path, old: tuple[bytes, bytes], new_key: bytes) -> None:
    """Re-encrypt the one file at `path` (same salt) under `new_key`, through a checked copy."""
    convert(path, old, (new_key, old[1]))
    check = _opens(path, new_key, old[1])
    if check is None:  # pragma: no cover - see change_key
        raise JournalError(f"{path} does not open with the new passphrase after the change; try the old one.")
    check.close()
    _keys[old[1]] = new_key


# --- finishing a conversion that was interrupted ----------------------------------------------


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.part(?:-journal)?$")


def _remove_leftovers(path: Path) -> list[Path]:
    """Remove the copies and super-journals that killed conversions left beside the journal and its backups.

    Called with the marker's lock held: no conversion is under way. A backup's `.part` whose
    process still runs (a backup being taken) is left alone.
    """
    from journal.locations import backup_dir

    removed: list[Path] = []
    folder = backup_dir(path)
    places = [(path.parent, {path.name}), (folder, None)]
    for place, names in places:
        try:
            entries = list(place.iterdir())
        except OSError:
            continue
        for entry in entries:
            match = _PART.match(entry.name)
            stray = False
            if match and (names is None or match["name"] in names):
                stray = not _pid_alive(int(match["pid"])) or int(match["pid"]) == os.getpid()
            elif "-mj" in entry.name:  # a super-journal: only a conversion's ATTACH makes one
                stray = names is None or entry.name.split("-mj")[0] in names
            if stray:
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
                    removed.append(entry)
    return removed


_BEING = {ENCRYPT: "encrypted", DECRYPT: "decrypted", PASSPHRASE: "given a new passphrase"}


def _marker_operation(fd: int) -> str:
    """The operation a conversion's marker names ('' when it cannot be read)."""
    import json

    try:
        return str(json.loads(os.pread(fd, 4096, 0).decode("ascii"))["operation"])
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return ""


def _lock_marker(path: Path) -> int | None:
    """The marker of an interrupted conversion, opened and locked; None when there is none (any more)."""
    import fcntl
    import time

    marker = marker_path(path)
    try:
        fd = os.open(marker, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JournalError(f"{marker} cannot be read ({exc.strerror}); nothing was changed.") from exc
    deadline = time.monotonic() + _MARKER_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                doing = _BEING.get(_marker_operation(fd), "encrypted, decrypted or given a new passphrase")
                os.close(fd)
                raise JournalBusyError(
                    f"{path} is being {doing} by another medjournal command: try again once it has finished; "
                    "nothing was changed."
                ) from None
            time.sleep(0.05)
    try:
        same = os.fstat(fd).st_ino == os.stat(marker).st_ino
    except FileNotFoundError:
        same = False  # the conversion we waited for has finished
    if not same:
        os.close(fd)
        return None
    return fd


def _tell_stderr(text: str) -> None:
    sys.stderr.write(f"note: {text}\n")


# How the finishing of an interrupted conversion is told (it happens as the journal is opened,
# before any front end has the screen): a note on standard error; tests may set None.
tell: Callable[[str], None] | None = _tell_stderr


def finish_interrupted(path: Path) -> str | None:
    """Finish or undo a conversion of the journal at `path` that was interrupted; what was done, if anything.

    The journal's own state decides: every backup is brought to it (under the journal's key, or
    plain), and the copies and super-journals left are removed. An encrypted journal's key is
    found as for opening it (and asked for in a terminal).
    """
    import json

    if not marker_path(path).exists():
        return None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        # A read-only medium: nothing can be finished or removed here, and the journal (each file
        # swapped whole) is still readable as it is.
        return None
    fd = _lock_marker(path)
    if fd is None:
        return None
    try:
        try:
            data = json.loads(os.read(fd, 4096).decode("ascii"))
            operation, salt = str(data["operation"]), bytes.fromhex(data["salt"])
            wrapped = bytes.fromhex(data["wrapped"]) if data.get("wrapped") else None
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            operation, salt, wrapped = "", b"", None
        try:
            _remove_leftovers(path)
            said = _bring_backups_along(path, operation, salt, wrapped)
        except (sqlite3.Error, OSError) as exc:
            raise JournalError(
                f"An interrupted `medjournal {operation or 'conversion'}` of {path} could not be finished ({exc}); "
                "nothing was lost: run the command again once this is fixed."
            ) from exc
        _step("recovered")
        marker_path(path).unlink(missing_ok=True)
        from journal.store.connection import fsync_dir

        fsync_dir(path.parent)
    finally:
        os.close(fd)
    if tell is not None:
        tell(said)
    return said


def _bring_backups_along(path: Path, operation: str, salt: bytes, wrapped: bytes | None) -> str:
    journal_salt = salt_of(path)
    if journal_salt is None:
        # A plain journal: an encryption killed before the journal was converted (its backups
        # come after it), or a decryption that converted everything (the journal comes last).
        done, failed = 0, Failures()
        if operation == DECRYPT:
            forget(salt)
        plain = "undone" if operation == ENCRYPT else "finished"
        said = f"an interrupted `medjournal {operation or 'encrypt'}` of {path} was {plain}: the journal is plain"
    elif operation == DECRYPT:
        # The journal, still encrypted, was to be converted last: finish what was asked.
        key, _ = current_key(path)
        done, failed = _each(_backups_with(path, journal_salt), lambda b: convert(b, (key, journal_salt), None))
        convert(path, (key, journal_salt), None)
        forget(journal_salt)
        said = f"an interrupted `medjournal decrypt` of {path} was finished: the journal is plain"
    else:
        key, _ = current_key(path)
        done, failed = _each(_backups_with(path, None), lambda b: convert(b, None, (key, journal_salt)))
        if operation == PASSPHRASE and wrapped is not None:
            old = _wrap(wrapped, key)  # the old key when the journal is on the new one; noise otherwise
            more, failed_more = _each(
                [b for b in _backups_with(path, journal_salt) if not _opens_with(b, key, journal_salt)],
                lambda b: convert(b, (old, journal_salt), (key, journal_salt)),
            )
            done, failed = done + more, failed + failed_more
            if is_remembered(journal_salt) and keyring_key(journal_salt) != key:
                with contextlib.suppress(JournalError):
                    remember(journal_salt, key)
        said = f"an interrupted `medjournal {operation or 'encrypt'}` of {path} was finished: the journal is encrypted"
    said += f", and {done} backup(s) were brought to the same state."
    for backup, why in failed:
        said += f" {backup} could not be ({why})."
    return said


def known_salts() -> set[bytes]:
    """The salts of the files whose key this process has found (they open without asking)."""
    return set(_keys)


def known_key(path: Path) -> bytes | None:
    """The raw key of the encrypted file at `path` if this process has found it already (no file opened)."""
    salt = salt_of(path)
    return _keys.get(salt) if salt is not None else None


def key_without_asking(path: Path) -> bytes | None:
    """The raw key of the encrypted journal at `path` if memory, MEDJOURNAL_PASSPHRASE or the keyring has it."""
    global ask
    saved, ask = ask, None
    try:
        return current_key(path)[0]
    except (JournalError, sqlite3.Error):
        return None
    finally:
        ask = saved


def opens_with(path: Path, key: bytes, salt: bytes) -> bool:
    """Whether the encrypted file at `path` opens with this raw key (read-only: nothing is left beside it)."""
    return _opens_with(path, key, salt, read_only=True)


def _opens_with(path: Path, key: bytes, salt: bytes, **kwargs: Any) -> bool:
    try:
        conn = _opens(path, key, salt, **kwargs)
    except sqlite3.Error:
        return False
    if conn is None:
        return False
    conn.close()
    return True


def current_key(path: Path) -> tuple[bytes, bytes]:
    """(raw key, salt) of the encrypted journal at `path`, from the usual sources (read-only: nothing is written)."""
    from journal.store.connection import translate_errors

    with translate_errors(path):
        conn = connect(path, read_only=True)
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
