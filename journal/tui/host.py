"""The app as the screens and the command palette see it, declared below them.

`journal/tui/app.py` imports the screens and the palette; they reach the app through
`JournalApp`, the class it builds on, so the imports go one way (no cycle between them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journal.tui.themes import ThemedApp

if TYPE_CHECKING:
    from textual.screen import Screen

    from journal.tui.context import Journal


class JournalApp(ThemedApp[None]):
    """The journal's app: what the screens and the palette call (journal.tui.app.MedJournalApp does it)."""

    journal: Journal

    def action_open(self, name: str) -> None:
        """Open a screen by its name in the registry."""
        raise NotImplementedError

    def action_help(self) -> None:
        """Show every key of the current screen and of the app."""
        raise NotImplementedError

    def action_emergency(self) -> None:
        """Show the emergency list, large and clear."""
        raise NotImplementedError

    async def action_toggle_reference(self) -> None:
        """Show or hide the reference panel beside the current screen."""
        raise NotImplementedError

    def action_refresh_data(self) -> None:
        """Read the journal again (shows what the command line wrote meanwhile)."""
        raise NotImplementedError

    def action_toggle_dark(self) -> None:
        """Switch between the light and the dark theme."""
        raise NotImplementedError

    def action_backup(self) -> None:
        """Take a checked copy of the journal into its backup folder now."""
        raise NotImplementedError

    def screen_for(self, entry: Any) -> Screen[Any]:
        """The screen of `entry`, a journal.tui.screens.ScreenEntry (not named here: the screens import this module)."""
        raise NotImplementedError
