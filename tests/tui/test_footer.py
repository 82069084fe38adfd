"""The footer: its keys are drawn in one widget, and still work with the mouse."""

from __future__ import annotations

from textual.pilot import Pilot

from journal.store import Store
from journal.tui.widgets.footer import JournalFooter
from tests.tui.conftest import build, seed
from tests.tui.test_flows import drive


def _offset(keys: JournalFooter, description: str) -> int:
    """The column of a key's description in the footer."""
    return keys.render().plain.index(description)


def test_clicking_a_footer_key_presses_it(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        keys = app.screen.query_one(JournalFooter)
        assert [k.description for k in keys.keys][:3] == ["Emergency", "Dose", "Effects"]
        await pilot.click(JournalFooter, offset=(_offset(keys, "Effects"), 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "EffectsScreen"

    drive(app, steps, size=(120, 40))


def test_the_key_under_the_mouse_is_highlighted_with_its_tooltip(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        keys = app.screen.query_one(JournalFooter)
        plain_dose = keys.render().spans
        await pilot.hover(JournalFooter, offset=(_offset(keys, "Dose"), 0))
        await pilot.pause()
        assert keys.tooltip == "Log a dose"
        assert keys.render().spans != plain_dose

    drive(app, steps, size=(120, 40))


def test_the_footer_shows_the_keys_of_the_screen_on_top(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("c")
        await pilot.pause()
        shown = [k.description for k in app.screen.query_one(JournalFooter).keys]
        assert "Back" in shown and "Dose" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert "Dose" in [k.description for k in app.screen.query_one(JournalFooter).keys]

    drive(app, steps, size=(120, 40))
