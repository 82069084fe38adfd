"""Encrypted journals: opened only with the right key, from each source; errors as plain SQLite's; backups encrypted."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from journal import models as m
from journal.errors import JournalError
from journal.store import Store, backups, cipher
from tests.keyrings import MemoryKeyring

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no key known to the process, no passphrase and nobody to ask."""
    monkeypatch.delenv(cipher.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(cipher, "ask", None)
    cipher.forget_in_process()
    yield
    cipher.forget_in_process()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A keyring that lives in this process only."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def _journal_with_a_medicine(path: Path) -> None:
    with Store.open(path) as store:
        store.add(m.Medication.validate({"name": "vitamin D", "kind": "vitamin"}))


def _encrypt(path: Path, passphrase: str = PASSPHRASE) -> tuple[bytes, bytes]:
    salt = os.urandom(cipher.SALT_BYTES)
    key = cipher.derive(passphrase, salt)
    cipher.convert(path, None, (key, salt))
    cipher.forget_in_process()
    return key, salt


def _unreadable_by_sqlite(path: Path) -> bool:
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()
    return False


def test_an_encrypted_journal_opens_with_its_passphrase_and_not_otherwise(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal_with_a_medicine(journal_path)
    _encrypt(journal_path)
    assert cipher.is_encrypted(journal_path)
    assert _unreadable_by_sqlite(journal_path)
    assert b"vitamin" not in journal_path.read_bytes()

    before = journal_path.read_bytes()
    with pytest.raises(cipher.PassphraseError, match="no passphrase was given"):
        Store.open(journal_path)
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, "wrong")
    with pytest.raises(cipher.PassphraseError, match="does not open"):
        Store.open(journal_path)
    assert journal_path.read_bytes() == before  # nothing changed

    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    with Store.open(journal_path) as store:
        assert [med.name for med in store.all(m.Medication)] == ["vitamin D"]
        store.add(m.Medication.validate({"name": "folic acid", "kind": "vitamin"}))
    assert _unreadable_by_sqlite(journal_path)


def test_a_typed_passphrase_is_asked_once_per_process(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _journal_with_a_medicine(journal_path)
    _encrypt(journal_path)
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return PASSPHRASE

    monkeypatch.setattr(cipher, "ask", ask)
    Store.open(journal_path).close()
    Store.open(journal_path).close()
    assert len(asked) == 1 and str(journal_path) in asked[0]


def test_errors_on_an_encrypted_journal_are_the_standard_sqlite3_errors(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal_with_a_medicine(journal_path)
    _encrypt(journal_path)
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    with Store.open(journal_path) as store:
        with pytest.raises(sqlite3.IntegrityError):
            store.db.conn.execute("INSERT INTO medications (id) VALUES (NULL)")
        with pytest.raises(sqlite3.OperationalError):
            store.db.conn.execute("SELECT nothing FROM nowhere")
        # sqlite-utils works over the same connection.
        assert "medications" in store.db.utils.table_names()


def test_a_remembered_key_opens_the_journal_without_asking(journal_path: Path, memory_keyring: MemoryKeyring) -> None:
    _journal_with_a_medicine(journal_path)
    key, salt = _encrypt(journal_path)
    cipher.remember(salt, key)
    (stored,) = memory_keyring.items.values()
    assert stored == key.hex() and PASSPHRASE not in stored  # the raw key, never the passphrase
    with Store.open(journal_path) as store:
        assert len(store.all(m.Medication)) == 1
    assert cipher.forget(salt)
    cipher.forget_in_process()
    with pytest.raises(cipher.PassphraseError):
        Store.open(journal_path)


def test_the_keyring_is_asked_only_for_a_key_the_user_chose_to_remember(
    journal_path: Path, memory_keyring: MemoryKeyring
) -> None:
    _journal_with_a_medicine(journal_path)
    key, salt = _encrypt(journal_path)
    # In the keyring, but not put there by medjournal on this machine: not asked (a locked
    # keyring would otherwise prompt for every encrypted journal).
    memory_keyring.set_password(cipher.KEYRING_SERVICE, cipher._keyring_name(salt), key.hex())
    assert not cipher.is_remembered(salt) and cipher.keyring_key(salt) is None
    cipher.remember(salt, key)
    assert cipher.is_remembered(salt) and cipher.keyring_key(salt) == key
    marks = cipher._state_file("remembered-keys").read_text()
    assert salt.hex() in marks and key.hex() not in marks


def test_backups_of_an_encrypted_journal_are_encrypted_and_restore(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal_with_a_medicine(journal_path)
    _encrypt(journal_path)
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    with Store.open(journal_path) as store:
        taken = backups.take(store.db, journal_path, backups.MANUAL)
        elsewhere = store.backup_to(journal_path.parent / "copy.db")
        store.add(m.Medication.validate({"name": "folic acid", "kind": "vitamin"}))
    for copy in (taken, elsewhere):
        assert _unreadable_by_sqlite(copy)
        assert backups.inspect(copy).ok
    backups.restore(taken, journal_path)
    with Store.open(journal_path) as store:
        assert [med.name for med in store.all(m.Medication)] == ["vitamin D"]
    assert _unreadable_by_sqlite(journal_path)


def test_restoring_a_plain_backup_into_an_encrypted_journal_is_refused(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal_with_a_medicine(journal_path)
    with Store.open(journal_path) as store:
        plain_copy = store.backup_to(journal_path.parent / "plain.db")
    _encrypt(journal_path)
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    before = journal_path.read_bytes()
    with pytest.raises(JournalError, match="not encrypted but"):
        backups.restore(plain_copy, journal_path)
    with Store.open(journal_path) as store:
        assert len(store.all(m.Medication)) == 1
    assert cipher.is_encrypted(journal_path) and len(journal_path.read_bytes()) == len(before)


def test_decrypting_gives_back_every_record_and_rekey_changes_the_passphrase(journal_path: Path) -> None:
    _journal_with_a_medicine(journal_path)
    key, salt = _encrypt(journal_path)
    new_key = cipher.derive("another one", salt)
    cipher.rekey(journal_path, (key, salt), new_key)
    cipher.forget_in_process()
    assert not cipher.unlock(journal_path, PASSPHRASE)
    assert cipher.unlock(journal_path, "another one")
    cipher.convert(journal_path, (new_key, salt), None)
    assert not cipher.is_encrypted(journal_path) and not _unreadable_by_sqlite(journal_path)
    with Store.open(journal_path) as store:
        assert [med.name for med in store.all(m.Medication)] == ["vitamin D"]


def test_encrypting_refuses_a_journal_another_program_has_open(journal_path: Path) -> None:
    _journal_with_a_medicine(journal_path)
    # Another process (as the TUI would be) with the journal open in WAL mode.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM medications').fetchone(); print('open', flush=True); time.sleep(60)",
            str(journal_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        salt = os.urandom(cipher.SALT_BYTES)
        with pytest.raises(JournalError, match="open in another"):
            cipher.convert(journal_path, None, (cipher.derive(PASSPHRASE, salt), salt))
    finally:
        holder.kill()
        holder.wait()
    assert journal_path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not list(journal_path.parent.glob(".*.part"))
    with Store.open(journal_path) as store:
        assert len(store.all(m.Medication)) == 1


def test_a_file_of_random_bytes_is_still_not_a_journal(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all, just some text\n")
    assert not cipher.is_encrypted(junk)
    with pytest.raises(JournalError, match="not an SQLite file"):
        Store.open(junk)


def test_the_app_finds_a_remembered_key_and_checks_the_journal_while_it_loads(
    journal_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.store.opening import Opening

    _journal_with_a_medicine(journal_path)
    key, salt = _encrypt(journal_path)
    cipher.remember(salt, key)
    Store.open(journal_path).close()
    os.utime(journal_path)  # a change of the file (its change time) since that opening's check
    reads = _count_calls(monkeypatch, cipher, "_quick_check")

    for checked_now in (True, False):  # the second time the file is as the first check found it
        cipher.forget_in_process()
        opening = Opening(journal_path)
        store = opening.result()
        try:
            assert opening._problems == ["ok"]  # on the second thread, with the key found
            assert [med.name for med in store.all(m.Medication)] == ["vitamin D"]
        finally:
            store.close()
        assert (len(reads) > 0) is checked_now
        reads.clear()


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    """Record each call of module.name (still calling it): the list of the first arguments."""
    calls: list[object] = []
    original = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0] if args else None)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def _encrypted_and_checked_once(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes]:
    _journal_with_a_medicine(path)
    key, salt = _encrypt(path)
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    Store.open(path).close()  # the first opening turns the file to WAL mode: a change
    Store.open(path).close()  # the second checks it, and notes that it passed
    return key, salt


def test_an_unchanged_encrypted_journal_is_not_checked_again_a_changed_one_is(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.store import connection

    _encrypted_and_checked_once(journal_path, monkeypatch)
    checks = _count_calls(monkeypatch, connection, "_quick_check")
    Store.open(journal_path, daily_backup=False, writing=False).close()  # as `emergency` opens it
    assert checks == []
    with Store.open(journal_path) as store:  # still unchanged: not checked; then a record is written
        store.add(m.Medication.validate({"name": "folic acid", "kind": "vitamin"}))
    assert checks == []
    Store.open(journal_path).close()
    assert len(checks) == 1  # the file changed since its last check
    Store.open(journal_path).close()
    assert len(checks) == 1


def test_the_app_closing_a_journal_it_changed_checks_it_so_the_next_opening_need_not(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.store import connection

    _encrypted_and_checked_once(journal_path, monkeypatch)
    with Store.open(journal_path) as store:
        store.add(m.Medication.validate({"name": "folic acid", "kind": "vitamin"}))
    checks = _count_calls(monkeypatch, connection, "_quick_check")
    cipher.check_after_use(journal_path)  # as `medjournal` does once the TUI has closed
    Store.open(journal_path, daily_backup=False, writing=False).close()  # the `emergency` after it
    assert checks == []
    cipher.forget_in_process()
    cipher.check_after_use(journal_path)  # without the key (never found here): nothing, and no error
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    with Store.open(journal_path) as store:
        assert len(store.all(m.Medication)) == 2


def test_an_encrypted_journal_damaged_after_a_passed_check_is_refused_whatever_its_times_say(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.errors import NotAJournalError
    from journal.store.opening import Opening

    _encrypted_and_checked_once(journal_path, monkeypatch)
    before = journal_path.stat()
    data = bytearray(journal_path.read_bytes())
    page = 4096
    assert len(data) >= 4 * page
    data[2 * page : 3 * page] = bytes((i * 151 + 7) % 256 for i in range(page))
    journal_path.write_bytes(bytes(data))
    # The same size and modification time as when it passed: only its change time moved.
    os.utime(journal_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    damaged = journal_path.read_bytes()
    openings: tuple[Callable[[], object], ...] = (
        lambda: Store.open(journal_path),
        lambda: Opening(journal_path).result(),
    )
    for opening in openings:
        cipher.forget_in_process()
        with pytest.raises(NotAJournalError, match="damaged"):
            opening()
        assert journal_path.read_bytes() == damaged


def test_a_write_ahead_log_holding_changes_means_the_journal_is_checked_again(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.store import connection

    key, salt = _encrypted_and_checked_once(journal_path, monkeypatch)
    # Another program (as a TUI left open, or one killed while writing) with changes in the log.
    other = cipher.open_file(journal_path, key, salt)
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute("CREATE TABLE scratch (x)")
    other.execute("DROP TABLE scratch")
    try:
        assert journal_path.with_name(journal_path.name + "-wal").stat().st_size > 0
        checks = _count_calls(monkeypatch, connection, "_quick_check")
        Store.open(journal_path).close()
        assert len(checks) == 1
    finally:
        other.close()


def test_the_note_of_a_passed_check_says_nothing_of_the_journal_or_its_key(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, salt = _encrypted_and_checked_once(journal_path, monkeypatch)
    notes = cipher._state_file("checked-journals")
    assert notes.stat().st_mode & 0o777 == 0o600
    text = notes.read_text()
    assert text and all(len(line) == 64 and int(line, 16) >= 0 for line in text.split())
    st = journal_path.stat()
    for secret in (key.hex(), salt.hex(), str(journal_path), str(st.st_ino), str(st.st_size), str(st.st_mtime_ns)):
        assert secret not in text


def test_the_keyring_backend_that_took_the_key_is_the_one_loaded_to_read_it(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring.backend
    import keyring.core

    from tests.keyrings import ENV_FILE, FILE_BACKEND, FileKeyring

    _journal_with_a_medicine(journal_path)
    key, salt = _encrypt(journal_path)
    monkeypatch.setenv(ENV_FILE, str(tmp_path / "ring.json"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", FileKeyring())
    # Only a backend from keyring's own list is loaded by the name noted: the test one, as a plugin registers it.
    from importlib import metadata

    plugin = metadata.EntryPoint(name="tests", value="tests.keyrings", group="keyring.backends")
    real = metadata.entry_points
    monkeypatch.setattr(
        metadata, "entry_points", lambda **kw: [plugin] if kw.get("group") == "keyring.backends" else real(**kw)
    )
    cipher.remember(salt, key)
    assert cipher._remembered()[salt.hex()] == FILE_BACKEND

    # A new process, no backend named anywhere: the noted one is loaded, without keyring's search.
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)

    def search() -> list[object]:
        raise AssertionError("keyring searched for a backend")

    monkeypatch.setattr(keyring.backend, "get_all_keyring", search)
    with Store.open(journal_path) as store:
        assert len(store.all(m.Medication)) == 1
    backend: object = keyring.core._keyring_backend  # set by Store.open; typed as None in keyring
    assert type(backend) is FileKeyring


def test_in_a_chain_of_backends_the_one_holding_the_key_is_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends.chainer import ChainerBackend

    empty, holder = MemoryKeyring(), MemoryKeyring()
    holder.set_password("medjournal", "journal key x", "00")

    class Holder(MemoryKeyring):
        pass

    holding = Holder()
    holding.items = holder.items
    monkeypatch.setattr(ChainerBackend, "backends", [empty, holding])
    chain = ChainerBackend()  # type: ignore[no-untyped-call]  # keyring leaves its __init__ unannotated
    noted = cipher._backend_of(chain, "medjournal", "journal key x")
    assert noted == f"{__name__}.{Holder.__qualname__}"


def test_the_app_without_a_key_opens_nothing_until_asked(journal_path: Path) -> None:
    from journal.store.opening import Opening

    _journal_with_a_medicine(journal_path)
    _encrypt(journal_path)
    opening = Opening(journal_path)
    with pytest.raises(cipher.PassphraseError):
        opening.result()
    assert opening._problems is None


def test_a_pending_schema_step_is_applied_to_an_encrypted_journal_after_an_encrypted_backup(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal_with_a_medicine(journal_path)
    # As if the journal had missed the step that makes this index: the index and its bookkeeping row gone.
    conn = sqlite3.connect(str(journal_path), isolation_level=None)
    last = "m003_index_for_syringes_used"
    conn.execute("DROP INDEX idx_doses_taken")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [last])
    conn.close()
    _encrypt(journal_path)
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    with Store.open(journal_path) as store:
        names = [row[0] for row in store.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")]
        assert "idx_doses_taken" in names
    (before,) = [b.path for b in backups.list_backups(journal_path) if b.kind == f"before-{last}"]
    assert _unreadable_by_sqlite(before) and last not in backups.inspect(before).steps


def test_an_encrypted_backup_restores_where_the_journal_was_lost(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal_with_a_medicine(journal_path)
    _encrypt(journal_path)
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    with Store.open(journal_path) as store:
        taken = backups.take(store.db, journal_path, backups.MANUAL)
    for name in (journal_path.name, journal_path.name + "-wal", journal_path.name + "-shm"):
        (journal_path.parent / name).unlink(missing_ok=True)
    backups.restore(taken, journal_path)
    assert cipher.is_encrypted(journal_path) and _unreadable_by_sqlite(journal_path)
    assert journal_path.stat().st_mode & 0o777 == 0o600
    with Store.open(journal_path) as store:
        assert [med.name for med in store.all(m.Medication)] == ["vitamin D"]
