"""The core and the command line never load Textual: it costs start-up time and couples layers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journal.demo import generate
from journal.store import Store

CORE_AND_CLI = [
    "journal.models",
    "journal.store",
    "journal.when",
    "journal.content",
    "journal.summary.emergency",
    "journal.export.emergency",
    "journal.cli",
]


@pytest.mark.parametrize("module", CORE_AND_CLI)
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_emergency_command_does_not_import_textual(tmp_path: object) -> None:
    Store.open(Path(f"{tmp_path}/j.db")).close()  # emergency reads a journal; it never makes one
    code = (
        "import sys\n"
        "from journal.cli import cli\n"
        f"cli.main(['--db', r'{tmp_path}/j.db', 'emergency'], standalone_mode=False)\n"
        "print('TEXTUAL' if any(m.startswith('textual') for m in sys.modules) else 'CLEAN')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("CLEAN")


# Reading the journal never imports pydantic (about 0.15 s here): only making or changing a
# record validates. The first paint of Today and an export must not pay for it.
_READ_PATHS = {
    "the TUI's Today, drawn": (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from journal.tui import open_while_loading\n"
        "from journal.tui.app import make_app\n"
        "app = make_app(open_while_loading(Path(sys.argv[1])).result())\n"
        "async def go():\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert type(app.screen).__name__ == 'TodayScreen'\n"
        "asyncio.run(go())\n"
    ),
    "medjournal export": (
        "import sys\n"
        "from journal.cli import cli\n"
        "cli.main(['--db', sys.argv[1], 'export', '--format', 'markdown', '--since', '2000-01-01'],"
        " standalone_mode=False)\n"
    ),
}


@pytest.mark.parametrize("path", list(_READ_PATHS))
def test_reading_the_journal_does_not_import_pydantic(path: str, tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    with Store.open(db) as store:
        generate(store, years=1, seed=3, zone="UTC")
    # A first run validates the content pack once and keeps it in the cache (the conftest's folder).
    subprocess.run([sys.executable, "-c", _READ_PATHS[path], str(db)], capture_output=True, check=True)
    code = _READ_PATHS[path] + "print('PYDANTIC' if 'pydantic' in sys.modules else 'CLEAN')\n"
    done = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("CLEAN")
