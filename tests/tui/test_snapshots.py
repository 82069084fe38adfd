"""Snapshots of every screen at 80x24 and 120x40, on fixed data with a frozen clock.

Update them after an intended change with `pytest tests/tui --snapshot-update -n 0`, and look
at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journal.store import Store
from journal.tui.app import make_error_app
from tests.tui.conftest import SIZES, build, seed

SnapCompare = Callable[..., bool]

# The export screen shows its default file in the home folder: the same folder for everyone who
# runs the tests, or the snapshot would hold the path of whoever made it.
SNAPSHOT_HOME = Path("/tmp/medjournal-snapshot-home")  # a literal: TMPDIR differs from one person to the next


@pytest.fixture(autouse=True)
def _same_home(monkeypatch: pytest.MonkeyPatch) -> None:
    SNAPSHOT_HOME.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(SNAPSHOT_HOME))


# name: (seed the journal?, keys, a serious side effect open?)
SCREENS: dict[str, tuple[bool, list[str], bool]] = {
    "today": (True, [], False),
    "today-serious-alert": (True, [], True),
    "welcome": (False, [], False),
    "dose-syringe-check": (True, ["d"], False),
    "side-effects": (True, ["s", "h", "i", "v", "e", "s"], False),
    "medicines": (True, ["m"], False),
    "appointments": (True, ["a"], False),
    "check-in": (True, ["c"], False),
    "history": (True, ["h"], False),
    "reference-panel": (True, ["f2"], False),
    "emergency-list": (True, ["f9"], False),
    "help": (True, ["f1"], False),
    "labs": (True, ["l"], False),
    "export": (True, ["x"], False),
    "edit": (True, ["h", "e"], False),
}
# The steps inside a flow, at the smallest size the app supports.
STEPS: dict[str, list[str]] = {
    "dose-body-map": ["d", "enter"],
    "dose-body-map-someone-else": ["d", "enter", "o"],
    "dose-confirm": ["d", "enter", "enter"],
    "dose-discarded": ["d", "down", "down", "enter", "y"],
    "dose-skip": ["d", "k"],
    "dose-injection-steps": ["d", "i"],
    "call-your-doctor-now": ["s", "r", "a", "s", "h", "enter"],
    "history-changes": ["h", "c"],
}


def _app(filled: bool, serious: bool = False) -> Any:
    store = Store.memory()
    if filled:
        seed(store, serious=serious)
    return build(store)


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
@pytest.mark.parametrize("name", list(SCREENS), ids=list(SCREENS))
def test_screen(snap_compare: SnapCompare, name: str, size: str) -> None:
    filled, keys, serious = SCREENS[name]
    assert snap_compare(_app(filled, serious), press=keys, terminal_size=SIZES[size])


@pytest.mark.parametrize("name", list(STEPS), ids=list(STEPS))
def test_flow_step(snap_compare: SnapCompare, name: str) -> None:
    assert snap_compare(_app(True), press=STEPS[name], terminal_size=SIZES["80x24"])


@pytest.mark.parametrize("name", list(STEPS), ids=list(STEPS))
def test_flow_step_at_120x40(snap_compare: SnapCompare, name: str) -> None:
    assert snap_compare(_app(True), press=STEPS[name], terminal_size=SIZES["120x40"])


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_passphrase(snap_compare: SnapCompare, size: str) -> None:
    from pathlib import Path

    from journal.tui.screens.passphrase import PassphraseApp

    assert snap_compare(PassphraseApp(Path("/home/ann/journal.db")), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_journal_that_cannot_be_opened(snap_compare: SnapCompare, size: str) -> None:
    message = "/home/ann/journal.db is not a medjournal journal (it is not an SQLite file); it was left untouched."
    assert snap_compare(make_error_app(message), terminal_size=SIZES[size])


@pytest.mark.parametrize("keys", [[], ["d", "enter"]], ids=["today", "dose-body-map"])
def test_light_theme(snap_compare: SnapCompare, keys: list[str]) -> None:
    assert snap_compare(_app(True, serious=True), press=["f3", *keys], terminal_size=SIZES["80x24"])
