"""The app's two themes: Textual's dark and light ones, with the colours changed that fell short of
WCAG AA contrast (4.5:1 for text) where medjournal draws text with them.

tests/unit/test_contrast.py computes every ratio from these colours. The changes:

* `error` is darker in both, so that the white text of the red banner and dialog titles on it
  reads at 4.5:1; text in the error colour uses `$text-error` (app.tcss), as no one red can
  be both a background for white text and text on a dark background.
* the dark theme's primary blue is darker, so that the light text of a highlighted option or
  row and of a primary button on it reads; headings in the primary colour use a lighter one,
  and red and blue text (`text-error`, `text-primary`) are a shade lighter, to read on panels.
* placeholders (`text-disabled`) are brighter in the dark theme and darker in the light one.
* in the light theme, amber (`text-warning`), green (`text-success`) and the footer's keys
  are darker: they were 3.3, 3.8 and 2.9 to 1 on its grey.
* the red and yellow of the terminal palette (Rich's `red`, `yellow` in a few screens) are
  lighter in the dark theme and darker in the light one.
"""

from __future__ import annotations

from typing import TypeVar

from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.reactive import Reactive
from textual.theme import BUILTIN_THEMES, Theme

from journal.private_apis.textual import dark_terminal_palette, light_terminal_palette

DARK_THEME = "medjournal-dark"
LIGHT_THEME = "medjournal-light"

_DARK_HEADING = "#4C99F9"
DARK = Theme(
    name=DARK_THEME,
    primary="#0062AD",
    secondary="#004578",
    accent="#ffa62b",
    warning="#ffa62b",
    error="#A8344F",
    success="#4EBF71",
    foreground="#e0e0e0",
    variables={
        "text-disabled": "#969696",
        "text-error": "#CA7E8F",
        "text-primary": "#5B9CCD",
        "markdown-h1-color": _DARK_HEADING,
        "markdown-h2-color": _DARK_HEADING,
        "markdown-h3-color": _DARK_HEADING,
    },
)
_LIGHT = BUILTIN_THEMES["textual-light"]
LIGHT = Theme(
    name=LIGHT_THEME,
    primary=_LIGHT.primary,
    secondary=_LIGHT.secondary,
    accent=_LIGHT.accent,
    warning=_LIGHT.warning,
    error="#A8344F",
    success=_LIGHT.success,
    surface=_LIGHT.surface,
    panel=_LIGHT.panel,
    background=_LIGHT.background,
    dark=False,
    variables={
        **_LIGHT.variables,
        "footer-key-foreground": "#0053AA",
        "text-warning": "#7C4800",
        "text-success": "#146432",
        "text-disabled": "#555555",
    },
)
THEMES = (DARK, LIGHT)


def _palette(base: TerminalTheme, changes: dict[int, tuple[int, int, int]]) -> TerminalTheme:
    """`base` with some of its 16 colours replaced (by index: 1 red, 3 yellow, 9 and 11 their bright forms)."""
    colours = [tuple(base.ansi_colors[index]) for index in range(16)]
    for index, rgb in changes.items():
        colours[index] = rgb
    return TerminalTheme(
        tuple(base.background_color),  # type: ignore[arg-type]
        tuple(base.foreground_color),  # type: ignore[arg-type]
        colours[:8],  # type: ignore[arg-type]
        colours[8:],  # type: ignore[arg-type]
    )


ANSI_DARK = _palette(dark_terminal_palette(), {1: (0xFF, 0x5C, 0x8E), 9: (0xFF, 0x5C, 0x8E)})
ANSI_LIGHT = _palette(
    light_terminal_palette(),
    {1: (0x9E, 0x2B, 0x28), 3: (0x78, 0x4A, 0x00), 9: (0x9E, 0x2B, 0x28), 11: (0x78, 0x4A, 0x00)},
)


ReturnType = TypeVar("ReturnType")


class ThemedApp(App[ReturnType]):
    """An app drawn with these themes and palettes (the journal, its error screen, the passphrase prompt)."""

    # Known from the start (available_themes) and the default given here, not set in __init__: the
    # stylesheet App.__init__ makes reads them at once, rather than applying its variables twice.
    theme: Reactive[str] = Reactive(DARK_THEME)
    # Rich's named colours (`red`, `yellow`) drawn with a palette whose contrast is checked.
    ansi_theme_dark = Reactive(ANSI_DARK, init=False)
    ansi_theme_light = Reactive(ANSI_LIGHT, init=False)

    @property
    def available_themes(self) -> dict[str, Theme]:
        """Textual's themes and these two."""
        return {**super().available_themes, **{theme.name: theme for theme in THEMES}}
