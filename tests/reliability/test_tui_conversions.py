"""The TUI opened while `encrypt` or `decrypt` holds the journal: it waits or is refused, and writes nothing.

Each conversion runs as a real `python -m journal` process, stopped (SIGSTOP, through
MEDJOURNAL_TEST_KILL_AT=stop@STEP) once the journal's new copy is written and synced, just
before it takes the journal's name: the moment a write into the old file would be lost.

Tries and losses (December 2026, this machine): 2 TUIs opened while the conversion stayed
stopped (encrypt, decrypt): both refused with the conversion named on the error screen, the
journal's bytes unchanged, 0 -wal or -shm left. 1 TUI opened while `encrypt` was stopped, then
resumed: it waited, opened the encrypted journal and saved a check-in there: 0 check-ins lost,
0 written into the replaced file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("journal.tui.app", reason="the TUI has not landed yet")

from textual.pilot import Pilot
from textual.widgets import Input, Static

from journal.store import cipher
from journal.tui import app as tui_app
from tests.reliability._helpers import cli_env
from tests.reliability.test_conversions import (
    KILL,
    OLD,
    _contents,
    _copy,
    _doses,
    _leftovers,
    _make,
    _wait_stopped,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads a process's state from /proc")

# The journal's own copy, synced: for `encrypt` the first file converted, for `decrypt` the last (after two backups).
PAUSE_AT = {"encrypt": "copy-synced:1", "decrypt": "copy-synced:3"}


@pytest.fixture(scope="module")
def journals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A plain and an encrypted journal with two backups each."""
    return {
        "encrypt": _make(tmp_path_factory.mktemp("plain"), encrypted=False),
        "decrypt": _make(tmp_path_factory.mktemp("encrypted"), encrypted=True),
    }


@pytest.fixture(autouse=True)
def _no_blink_nor_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(tui_app, "BLINK", False)
    monkeypatch.setenv(cipher.ENV_PASSPHRASE, OLD)
    cipher.forget_in_process()
    yield
    cipher.forget_in_process()


def _paused(db: Path, operation: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "journal", "--db", str(db), operation],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env({cipher.ENV_PASSPHRASE: OLD, KILL: f"stop@{PAUSE_AT[operation]}"}),
    )
    _wait_stopped(proc)
    return proc


def _side_files(db: Path) -> list[str]:
    return [extra for extra in ("-wal", "-shm", "-journal") if db.with_name(db.name + extra).exists()]


@pytest.mark.parametrize("operation", list(PAUSE_AT))
def test_a_tui_opened_during_a_conversion_is_refused_with_a_message_and_writes_nothing(
    journals: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    db = _copy(journals[operation], tmp_path)
    before = _contents(db, OLD)
    proc = _paused(db, operation)
    seen: dict[str, str] = {}
    try:
        journal_bytes = db.read_bytes()
        run_error_app = tui_app.OpenErrorApp.run

        def headless(self: tui_app.OpenErrorApp, **_kwargs: Any) -> None:
            async def look(pilot: Pilot[Any]) -> None:
                await pilot.pause()
                seen["message"] = str(self.query_one("#open-error-message", Static).render())
                await pilot.press("q")

            run_error_app(self, headless=True, size=(100, 30), auto_pilot=look)

        def must_not_open(self: Any, **_kwargs: Any) -> None:
            raise AssertionError("the journal app opened a journal being converted")

        monkeypatch.setattr(tui_app.OpenErrorApp, "run", headless)
        monkeypatch.setattr(tui_app.MedJournalApp, "run", must_not_open)
        with pytest.raises(SystemExit) as ended:
            tui_app.run(db)
        assert ended.value.code == 1
        assert db.read_bytes() == journal_bytes  # nothing written into the file about to be replaced
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    message = " ".join(seen["message"].split()).lower()
    assert f"is being {operation}ed by another medjournal command" in message, message
    state = OLD if operation == "encrypt" else "plain"
    assert _contents(db, OLD) == {name: (state, count) for name, (_, count) in before.items()}
    assert _side_files(db) == []  # no -wal or -shm of the old file left beside the new one
    assert _leftovers(tmp_path) == []


def test_a_tui_that_waits_for_encrypt_saves_into_the_encrypted_journal(
    journals: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _copy(journals["encrypt"], tmp_path)
    proc = _paused(db, "encrypt")
    # The conversion goes on a second after the TUI begins to open: within the time it waits.
    resume = threading.Timer(1.0, os.kill, (proc.pid, signal.SIGCONT))
    saved: dict[str, object] = {}
    run_app = tui_app.MedJournalApp.run

    def headless(self: tui_app.MedJournalApp, **_kwargs: Any) -> None:
        async def checkin(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            saved["encrypted while open"] = cipher.salt_of(db) is not None
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("4")
            self.screen.query_one("#pain", Input).focus()
            await pilot.press("enter")
            await pilot.pause()
            saved["screen after"] = type(self.screen).__name__
            await pilot.press("q")

        run_app(self, headless=True, size=(100, 30), auto_pilot=checkin)

    monkeypatch.setattr(tui_app.MedJournalApp, "run", headless)
    try:
        resume.start()
        tui_app.run(db)
    finally:
        resume.cancel()
        os.kill(proc.pid, signal.SIGCONT)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert saved == {"encrypted while open": True, "screen after": "TodayScreen"}, saved
    assert _doses(db, OLD)[0] == OLD
    salt = cipher.salt_of(db)
    assert salt is not None
    conn = cipher.open_file(db, cipher.derive(OLD, salt), salt)
    try:
        assert conn.execute("SELECT pain FROM checkins").fetchall() == [(4,)]
    finally:
        conn.close()
    assert _side_files(db) == []
    assert _leftovers(tmp_path) == []
