"""A checkbox and a radio button whose mark says whether they are on, not only their colour.

Textual draws the same `X` (checkbox) or `●` (radio button) on and off, told apart by colour
alone: ticked and not ticked look the same in a monochrome terminal or to someone who does not
see the colour, and "Some solution was left in the syringe" would look ticked when it is not.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class Tick(Checkbox):
    """A checkbox drawn `✓` when ticked and blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        """The mark inside the box."""
        return "✓" if self.value else " "


class Choice(RadioButton):
    """A radio button drawn `●` when chosen and blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        """The mark inside the button."""
        return "●" if self.value else " "
