"""Fixtures shared by every tier: a temporary journal, and the real `medjournal` command."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from journal.store import Store

# Validated content packs are cached per user: during tests (and the commands they run) in a private
# temporary folder, never the real ~/.cache.
_CACHE_HOME = tempfile.mkdtemp(prefix="medjournal-test-cache-")
atexit.register(shutil.rmtree, _CACHE_HOME, True)
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
os.environ["MEDJOURNAL_CACHE_DIR"] = os.path.join(_CACHE_HOME, "medjournal")
# What `remind --once` has sent is kept in the user's state folder: a private one here too.
os.environ["XDG_STATE_HOME"] = os.path.join(_CACHE_HOME, "state")
# Never the real system keyring, here or in the commands the tests run (tests/keyrings.py has the
# ones a test may choose).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

# The console script installed beside this Python; `python -m journal` if it is missing.
_SCRIPT = Path(sys.executable).with_name("medjournal")
MEDJOURNAL = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "journal"]


@dataclass
class Run:
    """What one run of the command printed and returned."""

    code: int
    out: str
    err: str


def _command_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDJOURNAL")}
    env.update({"TZ": "UTC", "NO_COLOR": "1", "COLUMNS": "120"})
    env.update(extra or {})
    return env


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    """A path for a journal that does not exist yet."""
    return tmp_path / "journal.db"


@pytest.fixture
def store(journal_path: Path) -> Iterator[Store]:
    """An open journal in a temporary file."""
    opened = Store.open(journal_path)
    yield opened
    opened.close()


@pytest.fixture
def medjournal(journal_path: Path) -> Callable[..., Run]:
    """Run the installed `medjournal --db <temp journal> ARGS...` in a subprocess, as a user would."""

    def run(*args: str, env: dict[str, str] | None = None, db: Path | None = None, stdin: str | None = None) -> Run:
        command = [*MEDJOURNAL, "--db", str(db or journal_path), *args]
        done = subprocess.run(command, capture_output=True, text=True, env=_command_env(env), input=stdin, timeout=60)
        return Run(done.returncode, done.stdout, done.stderr)

    return run
