"""What the screens draw reads at WCAG AA (4.5:1) in both themes: every drawn character of text,
its colour against its background as the screen renders them (issue 17, item 6).

tests/unit/test_contrast.py checks the colours the CSS names; this checks what is drawn, Textual's
own widgets included. Left out: box and bar characters (borders, scrollbars, the trend's bars).
"""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.pilot import Pilot

from journal.store import Store
from journal.tui.themes import DARK_THEME, LIGHT_THEME
from tests.tui.conftest import build, seed
from tests.tui.test_flows import drive
from tests.unit.test_contrast import AA, ratio

NOT_TEXT = set("▁▂▃▄▅▆▇█▀▔▏▎▕━─│╭╮╰╯┃▌▐▊▋╺╸ ")
SCREENS = {
    "today": [],
    "dose-syringe-check": ["d"],
    "dose-body-map": ["d", "enter"],
    "medicines": ["m"],
    "appointments": ["a"],
    "history": ["h"],
    "reference-panel": ["f2"],
    "emergency-list": ["f9"],
    "help": ["f1"],
    "side-effects-matches": ["s", "r", "e", "d"],
    "side-effects-list": ["s"],
}


@pytest.mark.parametrize("theme", [DARK_THEME, LIGHT_THEME])
def test_every_drawn_text_reads_at_4_5_to_1(store: Store, theme: str) -> None:
    seed(store, serious=True)
    short: list[str] = []

    for name, keys in SCREENS.items():

        async def steps(pilot: Pilot[None], keys: list[str] = keys, name: str = name) -> None:
            app = pilot.app
            app.theme = theme
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            for strip in app.screen._compositor.render_strips():
                for segment in strip:
                    style = segment.style
                    if set(segment.text) <= NOT_TEXT or style is None or not (style.color and style.bgcolor):
                        continue
                    text, under = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
                    if ratio(text, under) < AA:
                        short.append(f"{name}: {segment.text.strip()!r} {text.hex} on {under.hex}")

        drive(build(store), steps, size=(120, 40))
    assert short == []
