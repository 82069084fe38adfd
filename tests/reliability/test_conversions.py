"""`encrypt`, `decrypt` and `passphrase` killed at every step, or raced by another command: nothing lost.

Each conversion runs as a real `python -m journal` process on a journal with two backups beside
it (three files converted). MEDJOURNAL_TEST_KILL_AT names the step at which the process sends
itself SIGKILL: after the marker is written, after each file's copy is written, checked and
synced, after the original's side files are removed, after each rename and each folder sync,
after each backup, and just before the marker goes (23 points per conversion, 69 kills). The
next command (`med list`) must finish or undo the conversion, remove every copy, marker and
super-journal, and leave the journal and every backup in one state (all plain, or all under the
key that opens the journal), each holding every record it held before.

Tries and losses (December 2026, this machine): 73 kills during a conversion (69 followed by
`med list`, 4 by the same command again) and 12 kills during the recovery that followed: 0
records lost, 0 plain copies or super-journals left, 0 backups in another state than the
journal. 3 races (a `dose` refused while a conversion held the journal, one that waited and then
wrote into the new file, a connection opened just before the swap): 0 writes into a file about
to be replaced, 0 acknowledged doses lost. `check` of an encrypted journal with a leftover WAL:
the file and its WAL left byte for byte as they were (before this change, reproduced on commit
3cd0cc4: both changed, the WAL folded in).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journal.store import cipher
from tests.reliability._helpers import Result, cli_env, run_cli

OLD = "purple elephant 42"
NEW = "seven green apples"
KILL = cipher.ENV_TEST_KILL
FILES = 3  # the journal and its two backups
CONVERT_STEPS = ("copy-written", "copy-checked", "copy-synced", "sides-removed", "swapped", "folder-synced")
KILL_POINTS = [f"{step}:{n}" for step in CONVERT_STEPS for n in range(1, FILES + 1)] + [
    "marker-written",
    "journal-converted",
    "backup-converted:1",
    "backup-converted:2",
    "before-marker-removed",
]
OPERATIONS = {
    "encrypt": {cipher.ENV_PASSPHRASE: OLD},
    "decrypt": {cipher.ENV_PASSPHRASE: OLD},
    "passphrase": {cipher.ENV_PASSPHRASE: OLD, "MEDJOURNAL_NEW_PASSPHRASE": NEW},
}


def _make(folder: Path, *, encrypted: bool) -> Path:
    db = folder / "journal.db"
    steps = [
        ("med", "add", "anakinra", "--time", "08:00"),
        ("supply", "add", "--count", "7"),
        ("dose", "--at", "2026-11-01 08:00"),
        ("backup",),  # with the daily one taken by the first command that recorded something: two
        ("dose", "--at", "2026-11-02 08:00"),
        ("dose", "--at", "2026-11-03 08:00"),
    ]
    for args in steps:
        done = run_cli(db, *args)
        assert done.code == 0, (args, done.err)
    if encrypted:
        done = run_cli(db, "encrypt", env={cipher.ENV_PASSPHRASE: OLD})
        assert done.code == 0, done.err
    assert len(_backups(db)) == FILES - 1
    return db


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A plain and an encrypted journal (each with two backups), to copy for every trial."""
    return {
        "plain": _make(tmp_path_factory.mktemp("plain"), encrypted=False),
        "encrypted": _make(tmp_path_factory.mktemp("encrypted"), encrypted=True),
    }


def _copy(template: Path, folder: Path) -> Path:
    for entry in template.parent.iterdir():
        if entry.is_dir():
            shutil.copytree(entry, folder / entry.name)
        else:
            shutil.copy2(entry, folder / entry.name)
    return folder / template.name


def _backups(db: Path) -> list[Path]:
    return sorted(db.with_name(db.name + ".backups").glob("*.db"))


def _doses(path: Path, passphrase: str | None) -> tuple[str, int]:
    """("plain" or the passphrase that opens the file, its doses), read without the app."""
    salt = cipher.salt_of(path)
    for phrase in (passphrase, OLD, NEW) if salt else (None,):
        if salt and not phrase:
            continue
        conn = cipher.open_file(path, cipher.derive(phrase, salt) if salt and phrase else None, salt)
        try:
            count = int(conn.execute("SELECT count(*) FROM doses").fetchone()[0])
        except Exception:  # the wrong key: "not a database"
            continue
        finally:
            conn.close()
        return (phrase or "plain"), count
    raise AssertionError(f"{path} opens with no passphrase known here")


def _contents(db: Path, passphrase: str | None = None) -> dict[str, tuple[str, int]]:
    return {p.name: _doses(p, passphrase) for p in [db, *_backups(db)]}


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith(".converting") or ".part" in p.name or "-mj" in p.name
    )


def _killed(done: Result) -> bool:
    return done.code == -signal.SIGKILL


def _open_after(db: Path, *, kill: str | None = None) -> Result:
    """`med list`, as the next command a person runs, with whichever passphrase opens the journal."""
    extra = {KILL: kill} if kill else {}
    done = run_cli(db, "med", "list", env={cipher.ENV_PASSPHRASE: NEW, **extra})
    if done.code == 1 and "does not open" in done.err:
        done = run_cli(db, "med", "list", env={cipher.ENV_PASSPHRASE: OLD, **extra})
    return done


def _assert_one_state(db: Path, before: dict[str, tuple[str, int]], operation: str) -> str:
    after = _contents(db)
    states = {state for state, _ in after.values()}
    assert len(states) == 1, after  # the journal and every backup: plain, or under one key
    assert {name: count for name, (_, count) in after.items()} == {
        name: count for name, (_, count) in before.items()
    }  # every record of every file kept
    (state,) = states
    expected = {"encrypt": {"plain", OLD}, "decrypt": {"plain"}, "passphrase": {OLD, NEW}}[operation]
    assert state in expected, (operation, state)
    assert _leftovers(db.parent) == []
    for side in ("-journal", "-wal", "-shm"):  # the last connection closed: no side file left
        assert not db.with_name(db.name + side).exists(), side
    return state


@pytest.mark.parametrize("point", KILL_POINTS)
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_conversion_killed_at_any_step_is_finished_or_undone_by_the_next_command(
    templates: dict[str, Path], tmp_path: Path, operation: str, point: str
) -> None:
    db = _copy(templates["plain" if operation == "encrypt" else "encrypted"], tmp_path)
    before = _contents(db)

    done = run_cli(db, operation, env={**OPERATIONS[operation], KILL: point})
    assert _killed(done), (point, done.code, done.err)

    after = _open_after(db)
    assert after.code == 0, after.err
    assert "anakinra" in after.out.lower()
    assert "Traceback" not in after.err and "note: an interrupted" in after.err
    state = _assert_one_state(db, before, operation)

    # The next command runs as on a journal never interrupted.
    again = run_cli(db, "med", "list", env={cipher.ENV_PASSPHRASE: OLD if state == "plain" else state})
    assert again.code == 0 and again.err == "", again.err


@pytest.mark.parametrize(
    ("operation", "first", "second"),
    [
        ("decrypt", "backup-converted:1", "copy-synced:1"),
        ("decrypt", "backup-converted:1", "swapped:1"),
        ("decrypt", "backup-converted:1", "swapped:2"),
        ("decrypt", "copy-written:3", "recovered"),
        ("decrypt", "swapped:3", "recovered"),
        ("encrypt", "journal-converted", "swapped:1"),
        ("encrypt", "backup-converted:1", "copy-checked:1"),
        ("encrypt", "swapped:2", "recovered"),
        ("passphrase", "journal-converted", "swapped:1"),
        ("passphrase", "backup-converted:1", "sides-removed:1"),
        ("passphrase", "copy-written:2", "recovered"),
        ("encrypt", "marker-written", "recovered"),
    ],
)
def test_a_recovery_killed_in_turn_is_finished_by_the_command_after(
    templates: dict[str, Path], tmp_path: Path, operation: str, first: str, second: str
) -> None:
    db = _copy(templates["plain" if operation == "encrypt" else "encrypted"], tmp_path)
    before = _contents(db)
    assert _killed(run_cli(db, operation, env={**OPERATIONS[operation], KILL: first}))
    assert _killed(_open_after(db, kill=second))
    after = _open_after(db)
    assert after.code == 0, after.err
    _assert_one_state(db, before, operation)


def _wait_stopped(proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with open(f"/proc/{proc.pid}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "T":
                return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("the conversion never reached its step")


def _paused_encrypt(db: Path, step: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "journal", "--db", str(db), "encrypt"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env({cipher.ENV_PASSPHRASE: OLD, KILL: f"stop@{step}"}),
    )
    _wait_stopped(proc)
    return proc


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads a process's state from /proc")
def test_a_dose_during_encrypt_is_refused_with_one_line_and_never_lost(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    """A `dose` while `encrypt` holds the journal (stopped just before the swap) is refused; nothing is lost."""
    db = _copy(templates["plain"], tmp_path)
    before = _contents(db)
    proc = _paused_encrypt(db, "copy-synced")
    try:
        started = time.monotonic()
        refused = run_cli(db, "dose", "--at", "2026-11-04 08:00", env={cipher.ENV_PASSPHRASE: OLD})
        refused.assert_one_error("being encrypted")
        assert time.monotonic() - started >= 4  # it waited (busy timeout) before it gave up
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert _contents(db) == {name: (OLD, count) for name, (_, count) in before.items()}
    for side in ("-wal", "-shm", "-journal"):
        assert not db.with_name(db.name + side).exists()
    assert _leftovers(tmp_path) == []
    assert run_cli(db, "dose", "--at", "2026-11-04 08:00", env={cipher.ENV_PASSPHRASE: OLD}).code == 0
    assert _doses(db, OLD) == (OLD, before[db.name][1] + 1)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads a process's state from /proc")
def test_a_dose_that_waits_for_encrypt_is_written_into_the_new_file(templates: dict[str, Path], tmp_path: Path) -> None:
    """A `dose` that arrives while `encrypt` holds the journal waits, then lands in the encrypted file."""
    db = _copy(templates["plain"], tmp_path)
    before = _contents(db)
    proc = _paused_encrypt(db, "copy-checked")
    writer = subprocess.Popen(
        [sys.executable, "-m", "journal", "--db", str(db), "dose", "--at", "2026-11-04 08:00"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env({cipher.ENV_PASSPHRASE: OLD}),
    )
    time.sleep(1.0)  # the writer is waiting for the journal
    os.kill(proc.pid, signal.SIGCONT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    _, werr = writer.communicate(timeout=120)
    assert writer.returncode == 0, werr
    assert _doses(db, OLD) == (OLD, before[db.name][1] + 1)  # acknowledged, and in the encrypted journal
    assert not db.with_name(db.name + "-wal").exists() or cipher.salt_of(db) is not None
    assert _leftovers(tmp_path) == []


def test_check_leaves_an_encrypted_journal_and_its_leftover_wal_as_they_are(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    """`check` opens an encrypted journal read-only: a WAL left by a killed writer is not folded in."""
    db = _copy(templates["encrypted"], tmp_path)
    salt = cipher.salt_of(db)
    assert salt is not None
    key = cipher.derive(OLD, salt)
    # A writer killed with a change still in its WAL (no checkpoint, no close).
    code = (
        "import os, sys; from journal.store import cipher; "
        "c = cipher.open_file(sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])); "
        "c.execute('PRAGMA journal_mode = WAL'); c.execute('PRAGMA wal_autocheckpoint = 0'); "
        "c.execute('CREATE TABLE scratch(x)'); c.execute('DROP TABLE scratch'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(db), key.hex(), salt.hex()], check=True, env=cli_env())
    wal = db.with_name(db.name + "-wal")
    assert wal.stat().st_size > 0
    file_before, wal_before = db.read_bytes(), wal.read_bytes()

    done = run_cli(db, "check", env={cipher.ENV_PASSPHRASE: OLD})
    assert done.code == 0, done.err
    assert "Integrity: ok." in done.out
    assert db.read_bytes() == file_before
    assert wal.read_bytes() == wal_before


def test_a_connection_left_on_the_replaced_file_cannot_write_and_says_why(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    """A program that opened the journal just before the swap holds the old file: SQLite refuses its write."""
    import sqlite3

    from journal.errors import JournalBusyError
    from journal.store import connection

    db = _copy(templates["plain"], tmp_path)
    before = _contents(db)
    late = sqlite3.connect(str(db), isolation_level=None)  # the file is open; nothing read or locked yet
    try:
        assert run_cli(db, "encrypt", env={cipher.ENV_PASSPHRASE: OLD}).code == 0
        with (
            pytest.raises(JournalBusyError, match="replaced while this command waited"),
            connection.translate_errors(db),
        ):
            late.execute("DELETE FROM doses")
    finally:
        late.close()
    assert _contents(db) == {name: (OLD, count) for name, (_, count) in before.items()}
    assert not db.with_name(db.name + "-journal").exists()


def test_a_backup_being_taken_by_a_live_process_is_not_removed_as_a_leftover(tmp_path: Path) -> None:
    """Only the copies of dead processes (and super-journals) go: a backup in progress keeps its `.part`."""
    db = tmp_path / "journal.db"
    db.write_bytes(b"")
    folder = db.with_name(db.name + ".backups")
    folder.mkdir()
    live = folder / f".journal-20261101T080000Z-daily.db.{os.getppid()}.part"
    dead_pid = 2**22 + 17  # above Linux's default pid_max: no process has it
    dead = [folder / f".journal-20261101T080000Z-daily.db.{dead_pid}.part", tmp_path / f".journal.db.{dead_pid}.part"]
    supers = [tmp_path / "journal.db-mj0A1B2C3D", folder / "journal-20261101T080000Z-daily.db-mj01234567"]
    other = tmp_path / ".other.db.99999999.part"  # another journal's copy in the same folder
    for path in (live, *dead, *supers, other):
        path.write_bytes(b"x")
    removed = cipher._remove_leftovers(db)
    assert sorted(removed) == sorted([*dead, *supers])
    assert live.exists() and other.exists()


@pytest.mark.parametrize(
    ("operation", "point", "state"),
    [
        ("encrypt", "journal-converted", OLD),  # finished by the second run: done, exit 0
        ("encrypt", "copy-synced:1", OLD),  # undone by the second run, which then encrypts
        ("decrypt", "backup-converted:1", "plain"),
        ("decrypt", "copy-written:3", "plain"),
    ],
)
def test_the_same_command_again_after_a_kill_ends_where_the_first_was_going(
    templates: dict[str, Path], tmp_path: Path, operation: str, point: str, state: str
) -> None:
    """A killed `encrypt` run again no longer says "encrypted already": it ends encrypted, exit 0."""
    db = _copy(templates["plain" if operation == "encrypt" else "encrypted"], tmp_path)
    before = _contents(db)
    assert _killed(run_cli(db, operation, env={**OPERATIONS[operation], KILL: point}))
    again = run_cli(db, operation, env=OPERATIONS[operation])
    assert again.code == 0, again.err
    assert "Traceback" not in again.err and "note: an interrupted" in again.err
    assert _assert_one_state(db, before, operation) == state


@pytest.mark.parametrize(
    ("operation", "point", "given", "words"),
    [
        ("encrypt", "journal-converted", {}, "no passphrase was given"),
        ("decrypt", "backup-converted:1", {cipher.ENV_PASSPHRASE: "not it"}, "does not open"),
        ("passphrase", "journal-converted", {cipher.ENV_PASSPHRASE: "not it"}, "does not open"),
    ],
)
def test_an_interrupted_conversion_without_its_key_is_one_error_line_and_waits_for_it(
    templates: dict[str, Path], tmp_path: Path, operation: str, point: str, given: dict[str, str], words: str
) -> None:
    """Without the key the recovery cannot run: one `error:` line, nothing touched, the marker kept for later."""
    db = _copy(templates["plain" if operation == "encrypt" else "encrypted"], tmp_path)
    before = _contents(db)
    assert _killed(run_cli(db, operation, env={**OPERATIONS[operation], KILL: point}))
    files = {p: p.read_bytes() for p in [db, *_backups(db)]}
    run_cli(db, "emergency", env=given).assert_one_error(words)
    assert {p: p.read_bytes() for p in files} == files
    assert cipher.marker_path(db).exists()
    assert _open_after(db).code == 0
    _assert_one_state(db, before, operation)
