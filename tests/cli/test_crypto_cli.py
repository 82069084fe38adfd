"""`encrypt`, `decrypt`, `passphrase`, `remember-key`, `forget-key`, run as a user runs them."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from journal import models as m
from journal.store import Store, cipher
from journal.tui.app import make_app
from tests.conftest import Run
from tests.keyrings import ENV_FILE, FILE_BACKEND
from tests.tui.test_flows import drive

PASSPHRASE = "purple elephant 42"
REPO = Path(__file__).resolve().parents[2]
Medjournal = Callable[..., Run]


@pytest.fixture(autouse=True)
def _fresh_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(cipher.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(cipher, "ask", None)
    cipher.forget_in_process()
    yield
    cipher.forget_in_process()


def _keyring_env(tmp_path: Path) -> dict[str, str]:
    return {"PYTHON_KEYRING_BACKEND": FILE_BACKEND, "PYTHONPATH": str(REPO), ENV_FILE: str(tmp_path / "keyring.json")}


def _unreadable(path: Path) -> bool:
    """Neither Python's sqlite3 nor the `sqlite3` program (where installed) can read the file."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return False
    except sqlite3.DatabaseError:
        pass
    finally:
        conn.close()
    program = shutil.which("sqlite3")
    if program:
        query = "SELECT count(*) FROM sqlite_master;"
        done = subprocess.run([program, str(path), query], capture_output=True, text=True)
        return done.returncode != 0 and "not a database" in done.stderr
    return True


def _morning(days_ago: int) -> datetime:
    return datetime.combine(datetime.now(UTC).date() - timedelta(days=days_ago), time(8, 0), tzinfo=UTC)


def test_a_week_encrypted_through_cli_and_tui_backed_up_restored_decrypted_loses_nothing(
    medjournal: Medjournal, journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert medjournal("med", "add", "anakinra", "--time", "08:00").code == 0
    assert medjournal("supply", "add", "--count", "7").code == 0
    ring = _keyring_env(tmp_path)

    done = medjournal("encrypt", "--remember", env={cipher.ENV_PASSPHRASE: PASSPHRASE, **ring})
    assert done.code == 0, done.err
    assert "cannot be read by anyone" in done.err and "no way to recover it" in done.err
    assert _unreadable(journal_path)

    # Six mornings through the command line, the key coming from the keyring alone (the week ends
    # yesterday: today's 08:00 is still to come in a run just after midnight).
    for days_ago in range(7, 1, -1):
        done = medjournal("dose", "--at", _morning(days_ago).strftime("%Y-%m-%d %H:%M"), env=ring)
        assert done.code == 0, done.err
    # The seventh through the TUI, as a person logs it (d, then Enter through the steps).
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, PASSPHRASE)
    with Store.open(journal_path) as store:
        drive(make_app(store, now=_morning(1), zone="UTC"), lambda pilot: pilot.press("d", "enter", "enter", "enter"))
    monkeypatch.delenv(cipher.ENV_PASSPHRASE)
    assert _unreadable(journal_path)

    done = medjournal("backup", env=ring)
    assert done.code == 0, done.err
    backups_dir = journal_path.with_name(journal_path.name + ".backups")
    copies = sorted(backups_dir.glob("*.db"))
    assert copies and all(_unreadable(copy) for copy in copies)
    (manual,) = [copy for copy in copies if copy.name.endswith("-manual.db")]

    assert medjournal("dose", "--skip", "travelling", env=ring).code == 0  # after the backup: undone by the restore
    done = medjournal("restore", str(manual), "--yes", env=ring)
    assert done.code == 0, done.err
    assert _unreadable(journal_path)

    done = medjournal("decrypt", env=ring)
    assert done.code == 0, done.err
    assert not cipher.is_encrypted(journal_path)
    with Store.open(journal_path) as store:
        doses = sorted(store.all(m.Dose), key=lambda d: d.at)
    assert [d.at.date() for d in doses] == [_morning(n).date() for n in range(7, 0, -1)]
    assert all(d.status is m.DoseStatus.TAKEN and d.spot for d in doses)
    # Decrypting forgets the key: nothing is left in the keyring.
    assert (tmp_path / "keyring.json").read_text() == "{}"


def test_wrong_or_missing_passphrase_is_one_error_line_and_changes_nothing(
    medjournal: Medjournal, journal_path: Path
) -> None:
    assert medjournal("med", "add", "anakinra").code == 0
    assert medjournal("encrypt", env={cipher.ENV_PASSPHRASE: PASSPHRASE}).code == 0
    before = journal_path.read_bytes()

    wrong = medjournal("dose", env={cipher.ENV_PASSPHRASE: "not it"})
    missing = medjournal("dose")
    for done in (wrong, missing):
        assert done.code == 1 and done.out == ""
        (line,) = done.err.splitlines()
        assert line.startswith("error: ") and "Traceback" not in done.err
    assert "does not open" in wrong.err
    assert "MEDJOURNAL_PASSPHRASE" in missing.err and "terminal" in missing.err
    assert journal_path.read_bytes() == before

    twice = medjournal("encrypt", env={cipher.ENV_PASSPHRASE: PASSPHRASE})
    assert twice.code == 1 and "encrypted already" in twice.err


def test_encrypt_without_a_passphrase_or_terminal_says_how(medjournal: Medjournal, journal_path: Path) -> None:
    assert medjournal("med", "add", "anakinra").code == 0
    before = journal_path.read_bytes()
    done = medjournal("encrypt")
    assert done.code == 1 and "set MEDJOURNAL_PASSPHRASE" in done.err
    assert journal_path.read_bytes() == before


def test_passphrase_change_reaches_the_backups_and_the_remembered_key(
    medjournal: Medjournal, journal_path: Path, tmp_path: Path
) -> None:
    assert medjournal("med", "add", "anakinra").code == 0
    assert medjournal("encrypt", env={cipher.ENV_PASSPHRASE: PASSPHRASE}).code == 0
    assert medjournal("backup", env={cipher.ENV_PASSPHRASE: PASSPHRASE}).code == 0
    ring = _keyring_env(tmp_path)
    assert medjournal("remember-key", env={cipher.ENV_PASSPHRASE: PASSPHRASE, **ring}).code == 0

    done = medjournal("passphrase", env={"MEDJOURNAL_NEW_PASSPHRASE": "new words here", **ring})
    assert done.code == 0, done.err
    assert medjournal("status", env=ring).code in (0, 3)  # the keyring holds the new key
    assert medjournal("status", env={cipher.ENV_PASSPHRASE: PASSPHRASE}).code == 1
    assert medjournal("med", "list", env={cipher.ENV_PASSPHRASE: "new words here"}).code == 0
    for copy in journal_path.with_name(journal_path.name + ".backups").glob("*.db"):
        assert cipher.unlock(copy, "new words here")

    assert medjournal("forget-key", env=ring).code == 0
    assert medjournal("status", env=ring).code == 1


def test_an_export_of_an_encrypted_journal_says_it_is_not_encrypted(medjournal: Medjournal, tmp_path: Path) -> None:
    assert medjournal("med", "add", "anakinra").code == 0
    assert medjournal("encrypt", env={cipher.ENV_PASSPHRASE: PASSPHRASE}).code == 0
    out = tmp_path / "list.md"
    done = medjournal("emergency", "--format", "markdown", "-o", str(out), env={cipher.ENV_PASSPHRASE: PASSPHRASE})
    assert done.code == 0 and "anakinra" in out.read_text().lower()
    assert f"note: {out} is not encrypted" in done.err
