"""Bad journal files: one clear `error:` sentence, exit 1, and not one byte written or overwritten.

Read-only files and folders: these tests run as root in CI, and root ignores file modes.
Rather than skip, the command runs with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped
from its capability bounding set (prctl in the child before exec), so the kernel enforces
the modes on it exactly as for any user. Where even that is impossible the test is skipped
with the reason, and tests/unit/test_store.py still drives SQLite's own read-only error
through the store by opening the file with a `mode=ro` URI.
"""

from __future__ import annotations

import ctypes
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.reliability._helpers import Result, query, run_cli, snapshot

COMMANDS = (("allergy", "add", "penicillin"), ("emergency",), ("dose", "--site", "thigh-left"), ("history",))
PAGE = 4096


def _mangle(data: bytes, start: int, length: int) -> bytes:
    noise = bytes((i * 151 + 7) % 256 for i in range(length))
    return data[:start] + noise + data[start + length :]


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('medjournal', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada', '555')")
    conn.commit()
    conn.close()


CASES: dict[str, tuple[Callable[[bytes], bytes] | Callable[[Path], None], str]] = {
    "not sqlite": (lambda d: b"date,medicine,dose\n2026-11-20,anakinra,100 mg\n" * 300, "not an sqlite file"),
    "truncated to half": (lambda d: d[: len(d) // 2], "damaged"),
    "truncated to its header": (lambda d: d[:200], "damaged"),
    "corrupted page": (lambda d: _mangle(d, 12 * PAGE, PAGE), "damaged"),
    "corrupted schema page": (lambda d: _mangle(d, 100, PAGE - 100), "damaged"),
    "newer version": (_newer, "newer version"),
    "another program's database": (_foreign, "another program"),
}


def _apply(case: str, path: Path, data: bytes) -> None:
    path.write_bytes(data)
    change, _ = CASES[case]
    if case in ("newer version", "another program's database"):
        change(path)  # type: ignore[arg-type]
    else:
        path.write_bytes(change(data))  # type: ignore[arg-type]


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_is_refused_and_left_untouched(case: str, tmp_path: Path, good_journal: bytes) -> None:
    path = tmp_path / "journal.db"
    _apply(case, path, good_journal)
    before = snapshot(tmp_path)
    for args in COMMANDS:
        run_cli(path, *args).assert_one_error(str(path), CASES[case][1])
    assert snapshot(tmp_path) == before, "a refused file was changed, or a file appeared beside it"
    if case != "newer version":
        check = run_cli(path, "check")
        check.assert_one_error("problem")
        assert "Problem:" in check.out
    assert snapshot(tmp_path) == before


def test_a_folder_in_place_of_the_journal(tmp_path: Path) -> None:
    (tmp_path / "journal.db").mkdir()
    run_cli(tmp_path / "journal.db", "allergy", "add", "x").assert_one_error("is a folder")
    assert list(tmp_path.rglob("*")) == [tmp_path / "journal.db"]


# --- read-only file and folder ----------------------------------------------------------------


def _drop_file_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _as_ordinary_user() -> dict[str, Any]:
    """subprocess arguments under which file modes apply, even when the tests run as root."""
    if os.geteuid() != 0:
        return {}
    if not sys.platform.startswith("linux"):
        pytest.skip("running as root, and dropping root's file-permission override needs Linux prctl")
    probe = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_drop_file_override, capture_output=True)
    if probe.returncode != 0:
        pytest.skip("running as root without CAP_SETPCAP: file modes cannot be enforced here")
    return {"preexec_fn": _drop_file_override}


WRITING: tuple[tuple[str, ...], ...] = (("allergy", "add", "penicillin"), ("dose", "--site", "thigh-left"))
READING: tuple[tuple[str, ...], ...] = (("emergency",), ("history",), ("status",), ("export",), ("med", "list"))


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_journal_is_read_but_never_written(what: str, tmp_path: Path, good_journal: bytes) -> None:
    folder = tmp_path / "j"
    folder.mkdir()
    path = folder / "journal.db"
    path.write_bytes(good_journal)
    before = snapshot(folder)
    kwargs = _as_ordinary_user()
    target = path if what == "file" else folder
    mode = target.stat().st_mode
    target.chmod(0o400 if what == "file" else 0o500)
    try:
        # Proof that the modes really apply to the command: it cannot create a file here.
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                f"open({str(path)!r}, 'r+b')" if what == "file" else f"open({str(folder / 'x')!r}, 'w')",
            ],
            capture_output=True,
            **kwargs,
        )
        assert probe.returncode != 0, "the file modes are not enforced on the command"
        for args in WRITING:
            run_cli(path, *args, **kwargs).assert_one_error("read-only", "nothing")
        for args in READING:  # reading a read-only journal is allowed, and leaves no file beside it
            read = run_cli(path, *args, **kwargs)
            assert read.code in (0, 3) and read.err == "", (args, read.err)
        checked = run_cli(path, "check", **kwargs)
        assert checked.code == 0 and "Integrity: ok." in checked.out, checked.err
    finally:
        target.chmod(mode)
    assert snapshot(folder) == before


# --- missing folder ---------------------------------------------------------------------------------


def test_missing_folders_are_created_private(tmp_path: Path) -> None:
    # Kept from `connect`: the default journal lives in a user-data folder that does not exist on a
    # fresh machine, and `--db new/place/journal.db` is how a person starts a journal elsewhere.
    path = tmp_path / "a" / "b" / "c" / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_folder_that_cannot_exist_is_one_error(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("my notes")
    before = snapshot(tmp_path)
    run_cli(blocker / "journal.db", "allergy", "add", "latex").assert_one_error("cannot create the journal")
    assert snapshot(tmp_path) == before


# --- locked by another process --------------------------------------------------------------------

LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def test_a_journal_locked_by_another_process(tmp_path: Path, good_journal: bytes) -> None:
    path = tmp_path / "journal.db"
    path.write_bytes(good_journal)
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result: Result = run_cli(path, "allergy", "add", "penicillin")
        waited = time.monotonic() - started
        result.assert_one_error("busy", "nothing was saved")
        # The journal is WAL: reading still works while someone else holds the write lock.
        reading = run_cli(path, "emergency")
        assert reading.code == 0 and "anakinra" in reading.out
    finally:
        assert locker.stdin is not None
        locker.stdin.write("\n")
        locker.stdin.flush()
        locker.wait(timeout=30)
    assert waited >= 5, "gave up before the busy timeout"
    assert query(path, "SELECT count(*) FROM allergies WHERE substance = 'penicillin'")[0][0] == 0
    assert run_cli(path, "allergy", "add", "penicillin").code == 0
