"""Textual's private names that medjournal uses.

* `textual._ansi_theme.MONOKAI` and `ALABASTER`: the 16-colour terminal palettes Textual's own
  dark and light themes draw with. `journal/tui/themes.py` starts from them and changes the few
  colours that fell short of the contrast target, so that medjournal's themes look like
  Textual's. Textual exports no public name for them (checked with 8.2).

`tests/unit/test_private_apis.py` fails, by name, on an upgrade that removes one of them.
"""

from __future__ import annotations

from rich.terminal_theme import TerminalTheme
from textual._ansi_theme import ALABASTER, MONOKAI

# Each private name used here, by module, for tests/unit/test_private_apis.py.
USED = {"textual._ansi_theme": ("MONOKAI", "ALABASTER")}


def dark_terminal_palette() -> TerminalTheme:
    """The terminal palette of Textual's dark theme (`textual._ansi_theme.MONOKAI`)."""
    return MONOKAI


def light_terminal_palette() -> TerminalTheme:
    """The terminal palette of Textual's light theme (`textual._ansi_theme.ALABASTER`)."""
    return ALABASTER
