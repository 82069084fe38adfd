"""The core and the command line never load Textual: it costs start-up time and couples layers."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
    code = (
        "import sys\n"
        "from journal.cli import cli\n"
        f"cli.main(['--db', r'{tmp_path}/j.db', 'emergency'], standalone_mode=False)\n"
        "print('TEXTUAL' if any(m.startswith('textual') for m in sys.modules) else 'CLEAN')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("CLEAN")
