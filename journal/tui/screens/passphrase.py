"""The passphrase of an encrypted journal, asked on a screen of its own before the journal opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from journal.application import encryption
from journal.tui.themes import ThemedApp


class PassphraseScreen(Screen[bool]):
    """One hidden field; Enter checks the passphrase, Escape gives up (the journal stays closed)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "give_up", "Quit")]
    DEFAULT_CSS = """
    PassphraseScreen #passphrase-box { padding: 1 2; height: auto; }
    PassphraseScreen #passphrase { width: 60; margin: 1 0 0 0; }
    """

    def __init__(self, path: Path, reason: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.reason = reason

    def compose(self) -> Any:
        """The journal's name, the field, and what went wrong last."""
        with Vertical(id="passphrase-box"):
            yield Static(Text("This journal is encrypted", style="bold"), classes="screen-title")
            yield Static(Text(f"Type the passphrase of {self.path}."), classes="hint")
            yield Input(password=True, placeholder="passphrase", id="passphrase")
            # A wrong passphrase in MEDJOURNAL_PASSPHRASE is said here; a missing one needs no message.
            shown = self.reason if self.reason and "does not open" in self.reason else ""
            yield Static(Text(shown), classes="form-error", id="passphrase-error")
            yield Static(
                Text("A lost passphrase cannot be recovered: nobody can read the journal without it."),
                classes="hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        """The field has the focus."""
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def check(self, event: Input.Submitted) -> None:
        """Open the journal with it, or say it does not open it (keeping what was typed)."""
        if not event.value:
            self._error("Type the passphrase, or press Escape to quit.")
        elif encryption.unlock(self.path, event.value):
            self.dismiss(True)
        else:
            self._error("That passphrase does not open this journal. Check it and try again.")

    def _error(self, message: str) -> None:
        self.query_one("#passphrase-error", Static).update(Text(message))

    def action_give_up(self) -> None:
        """Leave without opening the journal."""
        self.dismiss(False)


class PassphraseApp(ThemedApp[bool]):
    """The passphrase screen alone, run before the journal's app when the key is not at hand."""

    CSS_PATH = "../app.tcss"
    TITLE = "medjournal"

    def __init__(self, path: Path, reason: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.reason = reason

    def on_mount(self) -> None:
        """Ask at once; the answer is the app's result."""
        self.push_screen(PassphraseScreen(self.path, self.reason), callback=self.exit)


def ask(path: Path, reason: str | None = None) -> bool:
    """Ask for the passphrase of the journal at `path`; whether it was unlocked (kept for this process)."""
    return bool(PassphraseApp(path, reason).run())
