"""Checkboxes and radio buttons say whether they are on by their mark, not only by its colour."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Checkbox, RadioButton

from journal.store import Store
from tests.tui.conftest import build, seed
from tests.tui.test_flows import drive


def _mark(widget: Checkbox | RadioButton) -> str:
    """The character drawn inside the box (between its two half blocks)."""
    text = str(widget.render())
    return text[1]


def test_the_leftover_box_is_blank_until_ticked_and_then_shows_a_tick(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "enter", "enter")
        await pilot.pause()
        leftover = app.screen.query_one("#leftover", Checkbox)
        assert (leftover.value, _mark(leftover)) == (False, " ")
        leftover.focus()
        await pilot.press("space")
        await pilot.pause()
        assert (leftover.value, _mark(leftover)) == (True, "✓")

    drive(app, steps, size=(120, 40))


def test_only_the_chosen_export_format_shows_its_dot(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("x")
        await pilot.pause()
        buttons = list(app.screen.query("#export-format RadioButton").results(RadioButton))
        assert len(buttons) > 1
        assert [_mark(b) for b in buttons] == ["●" if b.value else " " for b in buttons]
        assert sum(b.value for b in buttons) == 1

    drive(app, steps, size=(120, 40))
