"""Privacy: private file modes, no network at all, and a user's text kept as plain data."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from journal import models as m
from journal.locations import backup_dir
from journal.store import Store, backups
from journal.visible import visible
from tests.reliability._helpers import cli_env, integrity, query, run_cli

# --- file modes -------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _permissive_umask() -> None:
    os.umask(0)


def test_journal_wal_shm_and_backups_are_private_even_with_umask_0(tmp_path: Path) -> None:
    path = tmp_path / "home" / "data" / "journal.db"
    for args in (("allergy", "add", "latex"), ("emergency",), ("backup",)):
        done = run_cli(path, *args, preexec_fn=_permissive_umask)
        assert done.code == 0, done.err
    assert _mode(tmp_path / "home") == 0o700
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600
    assert _mode(backup_dir(path)) == 0o700
    kinds = {b.kind for b in backups.list_backups(path)}
    assert kinds == {"daily", "manual"}
    for item in backups.list_backups(path):
        assert _mode(item.path) == 0o600, item.path
    # Exports too (the export command refuses a missing folder, so it is made here).
    (tmp_path / "exports").mkdir()
    for fmt in ("markdown", "html", "pdf", "csv"):
        out = tmp_path / "exports" / f"visit.{fmt}{'.zip' if fmt == 'csv' else ''}"
        done = run_cli(path, "export", "--format", fmt, "-o", str(out), preexec_fn=_permissive_umask)
        assert done.code == 0, done.err
        assert _mode(out) == 0o600, out
    # The write-ahead log and shared memory exist only while the journal is open.
    old = os.umask(0)
    try:
        with Store.open(path) as store:
            store.add(m.Allergy(substance="penicillin"))
            for suffix in ("-wal", "-shm"):
                sidecar = path.with_name(path.name + suffix)
                assert sidecar.exists() and _mode(sidecar) == 0o600, sidecar
    finally:
        os.umask(old)


# --- no network ----------------------------------------------------------------------------------

SITECUSTOMIZE = '''
"""Loaded at start-up by every Python process of the test: any network use is logged and refused."""
import os
import socket

_LOG = os.environ["MEDJOURNAL_TEST_NETWORK_LOG"]


def _refuse(*args, **kwargs):
    with open(_LOG, "a") as log:
        log.write(repr(args[1:3]) + "\\n")
    raise OSError("network use refused by the medjournal privacy test")


socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.socket.sendto = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''


@pytest.fixture
def no_network(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Environment variables under which a Python process cannot use the network, and the log of attempts."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "network.log"
    path = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {"PYTHONPATH": path, "MEDJOURNAL_TEST_NETWORK_LOG": str(log)}, log


def test_the_block_works(no_network: tuple[dict[str, str], Path]) -> None:
    env, log = no_network
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"],
        env=cli_env(env),
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0 and "refused by the medjournal privacy test" in probe.stderr
    assert log.exists()


def test_the_command_line_opens_no_network_connection(tmp_path: Path, no_network: tuple[dict[str, str], Path]) -> None:
    env, log = no_network
    path = tmp_path / "journal.db"
    runs = [
        ("med", "add", "anakinra", "--track", "--time", "04:00"),  # a dose now is in a window at any hour
        ("dose", "--site", "thigh-left", "--syringe", "clear"),
        ("effect", "headache", "--severity", "mild"),
        ("allergy", "add", "latex"),
        ("checkin", "--pain", "3"),
        ("profile", "--name", "Ada"),
        ("emergency",),
        ("emergency", "--format", "json"),
        ("history",),
        ("export", "--format", "html"),
        ("export", "--format", "pdf", "-o", str(tmp_path / "visit.pdf")),
        ("export", "--format", "fhir"),
        ("check",),
        ("backup", str(tmp_path / "copy.db")),
        ("backups",),
        ("restore", str(tmp_path / "copy.db"), "--yes"),
        ("--help",),
    ]
    for args in runs:
        done = run_cli(path, *args, env=env)
        assert done.code == 0, (args, done.err)
    assert not log.exists(), log.read_text()


TUI_SCRIPT = """
import asyncio, sys
from journal.store import Store
from journal.tui.app import make_app

async def main():
    with Store.open(sys.argv[1]) as store:
        app = make_app(store)
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            for key in ("f9", "escape", "f1", "escape", "f2", "f5"):
                await pilot.press(key)
                await pilot.pause()
    print("tui ran")

asyncio.run(main())
"""


def test_the_tui_opens_no_network_connection(tmp_path: Path, no_network: tuple[dict[str, str], Path]) -> None:
    pytest.importorskip("journal.tui.app", reason="the TUI has not landed yet")
    env, log = no_network
    path = tmp_path / "journal.db"
    assert run_cli(path, "med", "add", "anakinra", "--track").code == 0
    done = subprocess.run(
        [sys.executable, "-c", TUI_SCRIPT, str(path)], env=cli_env(env), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "tui ran" in done.stdout, done.stderr[-2000:]
    assert not log.exists(), log.read_text()


# --- a user's text is data ----------------------------------------------------------------------------

ESC = "\x1b"
NASTY = {
    "markup": "[bold]red[/] [link=https://example.org]x[/link]",
    "close": "[/]",
    "html": "<script>alert('x')</script> &amp; <b>",
    "sql": "'; DROP TABLE doses; --",
    "ansi": f"{ESC}[31mred{ESC}[0m {ESC}]0;title{ESC}\\",
    "cjk": "アナキンラ 注射 毎日",
    "cyrillic": "Анакинра — ежедневно",
    "arabic": "أناكينرا يوميًا",
    "long": "long " * 39 + "end.",  # 200 characters, the longest name allowed
}


def _visible(text: str) -> str:
    """What a terminal shows of the text: control characters (the escape sequences' ESC) removed."""
    return "".join(ch for ch in text if ch == "\t" or not (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F))


def _invoke(path: Path, *args: str) -> None:
    """Run one command in this process (the same click parsing, without a Python start-up each time)."""
    from click.testing import CliRunner

    from journal.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_user_text_is_stored_and_printed_back_literally(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    note = " | ".join(NASTY.values()) + " " + "z" * 8000
    for key, text in NASTY.items():
        assert len(text) <= m.NAME_MAX
        _invoke(path, "med", "add", text, "--strength", key, "--how", NASTY["sql"], "--reason", note)
        _invoke(path, "allergy", "add", text, "--reaction", NASTY["html"])
        _invoke(path, "condition", "add", text)
        _invoke(path, "effect", text, "--note", note)
    _invoke(path, "profile", "--name", NASTY["markup"], "--doctor", NASTY["ansi"])

    # Stored exactly, and no statement ever ran from a user's text.
    stored = {str(r[0]) for r in query(path, "SELECT name FROM medications")}
    assert stored == set(NASTY.values())
    assert {str(r[0]) for r in query(path, "SELECT reason FROM medications")} == {note}
    assert {str(r[0]) for r in query(path, "SELECT symptom FROM side_effects")} == set(NASTY.values())
    tables = {str(r[0]) for r in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"doses", "medications", "allergies", "history", "profile"} <= tables
    assert query(path, "SELECT count(*) FROM history")[0][0] == 4 * len(NASTY) + 1
    assert integrity(path) == "ok"

    printed = run_cli(path, "emergency")
    listing = run_cli(path, "med", "list")
    history = run_cli(path, "history", "--limit", "100")
    # The command's own lines show control characters escaped (journal.visible); the emergency
    # list's renderer removes them from the text before it is printed.
    for done, shown in ((printed, _visible), (listing, visible), (history, visible)):
        assert done.code == 0, done.err
        assert ESC not in done.out, "an escape sequence from user text reached the terminal"
        for value in NASTY.values():
            assert shown(value) in done.out, value

    # JSON keeps every character, escapes included, as data.
    data = json.loads(run_cli(path, "emergency", "--format", "json").out)
    assert {med["name"] for med in data["medicines"]} == set(NASTY.values())
    assert {a["reaction"] for a in data["allergies"]} == {NASTY["html"]}
    assert data["doctor"] == NASTY["ansi"]


def test_sql_text_in_every_query_path_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "med", "add", "anakinra", "--track", "--time", "04:00").code == 0  # in a window at any hour
    # Looked up by name, stopped by name: the name goes through a query as a value, never as SQL.
    done = run_cli(path, "med", "stop", NASTY["sql"])
    done.assert_one_error()
    assert run_cli(path, "dose", "--note", NASTY["sql"], "--med", "anakinra").code == 0
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT note FROM doses").fetchall() == [(NASTY["sql"],)]
    finally:
        conn.close()
