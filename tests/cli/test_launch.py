"""`medjournal` alone, or with only `--db`, opens the TUI without loading the command parser;
every other use goes through the commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journal.cli import tui_db_option


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (True, None)),
        (["--db", "j.db"], (True, "j.db")),
        (["--db=j.db"], (True, "j.db")),
        (["--db", "j.db", "status"], (False, None)),
        (["status"], (False, None)),
        (["--db"], (False, None)),
        (["--help"], (False, None)),
        (["--version"], (False, None)),
        (["--db", "j.db", "--help"], (False, None)),
    ],
)
def test_only_an_empty_command_line_or_a_lone_db_opens_the_tui_directly(
    args: list[str], expected: tuple[bool, str | None]
) -> None:
    assert tui_db_option(args) == expected


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)


# The TUI launcher replaced by one that reports what it was given and how the process stands.
_FAKE_TUI = (
    "import sys\n"
    "import journal.cli.launch as launch\n"
    "def fake(path):\n"
    "    print('path', path)\n"
    "    print('click loaded' if 'click' in sys.modules else 'no click')\n"
    "launch.run_tui = fake\n"
    "from journal.cli import main\n"
    "main(sys.argv[1:])\n"
)


def test_medjournal_with_only_db_opens_the_tui_without_click(tmp_path: Path) -> None:
    done = _run(_FAKE_TUI, "--db", str(tmp_path / "j.db"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"path {tmp_path / 'j.db'}"
    assert lines[1:] == ["no click"]


def test_the_default_journal_is_opened_when_no_db_is_given(tmp_path: Path) -> None:
    code = "import os; os.environ['MEDJOURNAL_DB'] = " + repr(str(tmp_path / "env.db")) + "\n" + _FAKE_TUI
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"path {tmp_path / 'env.db'}"


def test_help_and_errors_still_go_through_the_commands(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from journal.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
    )
    helped = _run(code, "--db", str(tmp_path / "j.db"), "--help")
    assert "Usage: medjournal" in helped.stdout
    assert helped.stdout.strip().endswith("exit 0")
    bad = _run(code, "--db", str(tmp_path / "j.db"), "effect", "headache", "--severity", "awful")
    assert bad.stderr.startswith("error: ") and len(bad.stderr.splitlines()) == 1
    assert bad.stdout.strip() == "exit 1"
