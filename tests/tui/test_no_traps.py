"""No keyboard traps: from every screen, in every state of the reference panel, Esc gives the keys back.

The case reported: on Today, F2, F2, F9, Esc left the focus in the hidden reference search box, so
the footer lost Today's keys and every letter went into a box no one could see.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from journal.store import Store
from journal.tui.app import MedJournalApp
from journal.tui.screens import SCREENS
from journal.tui.widgets.focus import on_show
from journal.tui.widgets.footer import JournalFooter
from journal.tui.widgets.reference import ReferencePanel
from tests.tui.conftest import build, seed
from tests.tui.test_flows import drive

# Each one ends with the panel open, closed, or closed behind a dialog (F9, F1, the palette) opened and closed;
# the Tabs move the focus further into the panel (its topic list) before it closes.
SEQUENCES: tuple[tuple[str, ...], ...] = (
    ("f2",),
    ("f2", "f2", "f9", "escape"),
    ("f2", "tab", "f2", "f1", "escape"),
    ("f2", "tab", "tab", "f9", "escape"),
    ("f2", "f2", "ctrl+p", "escape"),
)
# Today itself, then every screen Today opens with one key.
KEYS = ["", *(entry.key for entry in SCREENS)]


def _name(app: MedJournalApp) -> str:
    return type(app.screen).__name__


def _no_hidden_focus(app: MedJournalApp, where: str) -> None:
    focused = app.focused
    assert focused is None or on_show(focused), f"{where}: the focus is on hidden {focused!r}"
    panel = app.screen.query("#reference")
    assert not (panel and panel.first(ReferencePanel).shown), f"{where}: Esc left the reference panel open"


async def _help_opens_and_closes(pilot: Pilot[None], app: MedJournalApp, where: str) -> None:
    here = _name(app)
    await pilot.press("f1")
    assert _name(app) == "HelpScreen", f"{where}: F1 does nothing"
    await pilot.press("escape")
    assert _name(app) == here
    _no_hidden_focus(app, where + " F1 Esc")


async def _back_to_today(pilot: Pilot[None], app: MedJournalApp, where: str) -> None:
    for _ in range(5):
        if _name(app) == "TodayScreen":
            return
        await pilot.press("escape")
        await pilot.pause()
    raise AssertionError(f"{where}: Esc does not lead back to Today (still on {_name(app)})")


@pytest.mark.parametrize("key", KEYS, ids=["today", *(entry.name for entry in SCREENS)])
def test_after_any_panel_toggle_escape_gives_back_the_screen_and_its_keys(store: Store, key: str) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        for sequence in SEQUENCES:
            if key and _name(app) == "TodayScreen":
                await pilot.press(key)
            screen = _name(app)
            where = f"{screen} after {' '.join(sequence)} Esc"
            await pilot.press(*sequence, "escape")
            await pilot.pause()
            _no_hidden_focus(app, where)
            here = _name(app)
            if here == "TodayScreen" or sequence is SEQUENCES[-1]:
                await _help_opens_and_closes(pilot, app, where)
            if here != "TodayScreen":
                continue
            # Today's keys are in the footer and answer: d opens the dose flow.
            shown = [k.description for k in app.screen.query_one(JournalFooter).keys]
            assert "Dose" in shown, f"{where}: Today's footer lost its keys: {shown}"
            await pilot.press("d")
            assert _name(app) == "DoseScreen", f"{where}: d does nothing on Today"
            await _back_to_today(pilot, app, where)
        await _back_to_today(pilot, app, "at the end")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running, "q does not quit from Today"

    drive(app, steps)
