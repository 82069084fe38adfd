"""The command line run in this process at a fixed Berlin moment, under time-machine.

For the rules that depend on the hour (a dose window, an off day, a taper's end): a subprocess
would run at the real clock's hour, and faketime does not mix with pytest-xdist.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from journal.cli.group import run
from tests.conftest import Run

ZONE = "Europe/Berlin"
Cli = Callable[..., Run]


@pytest.fixture
def cli(journal_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """`medjournal --db <temp journal> ARGS` in this process at `when` ('2026-12-08 09:30', Berlin time)."""
    monkeypatch.setenv("TZ", ZONE)
    monkeypatch.setenv("NO_COLOR", "1")
    time.tzset()

    def at(when: str, *args: str) -> Run:
        moment = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo(ZONE))
        capsys.readouterr()
        with time_machine.travel(moment, tick=False):
            code = run(["--db", str(journal_path), *args])
        out, err = capsys.readouterr()
        return Run(code, out, err)

    yield at
    monkeypatch.delenv("TZ")
    time.tzset()


def refused(result: Run, *words: str) -> str:
    """The one `error:` line of a refusal, which must name `words`."""
    assert result.code == 1, result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]
