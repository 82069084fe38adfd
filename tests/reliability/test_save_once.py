"""TUI forms save once (issue 31, Why 5 and Deliver 12): Enter pressed twice before the first save
has closed the form saves one record, and the app does not crash."""

from __future__ import annotations

import asyncio

from textual import events

from journal import models as m
from journal.store import Store
from tests.tui.conftest import build, seed


def _double_enter(store: Store, opener: str, screen: str) -> None:
    app = build(store)

    async def go() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press(opener, "5")
            await pilot.pause()
            assert type(app.screen).__name__ == screen
            focused = app.screen.focused
            assert focused is not None
            # Both presses queued before either is handled: what a quick double tap does.
            for _ in range(2):
                app.post_message(events.Key("enter", "\r"))
            await pilot.pause()
            await pilot.pause()
            assert type(app.screen).__name__ != screen

    asyncio.run(go())
    assert app.return_code in (None, 0)


def test_enter_twice_on_the_checkin_form_saves_one_checkin(store: Store) -> None:
    seed(store)
    before = len(store.all(m.Checkin))
    _double_enter(store, "c", "CheckinScreen")
    assert len(store.all(m.Checkin)) == before + 1
