"""Small dialogs: confirm a deletion, and the 'call your doctor now' alert."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from journal.tui.screens.base import JournalModal


class ConfirmDialog(JournalModal):
    """Ask a yes/no question; dismisses with True or False."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "No"),
        Binding("n", "close", "No", show=False),
        Binding("y", "yes", "Yes"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, id="yes", variant="error")
                yield Button(self.no_label, id="no")

    def on_mount(self) -> None:
        """Default to the safe answer."""
        self.query_one("#no", Button).focus()

    def action_yes(self) -> None:
        """Answer yes."""
        self.dismiss(True)

    def action_close(self) -> None:
        """Answer no."""
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class CallDoctorDialog(JournalModal):
    """A serious side effect: call the doctor now (or get emergency help). Stays until acknowledged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "I understand"),
        Binding("enter", "close", "I understand", show=False),
    ]

    def __init__(self, symptom: str, advice: str, contact: str | None, *, title: str = "CALL YOUR DOCTOR NOW") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.symptom = symptom
        self.advice = advice
        self.contact = contact

    def compose(self) -> ComposeResult:
        """A large red message, the advice and the doctor's contact."""
        with Vertical(classes="dialog danger", id="call-doctor"):
            yield Static(Text(self.title_text, style="bold"), classes="danger-title")
            yield Static(Text(f"{self.symptom}: {self.advice}"), classes="dialog-text")
            if self.contact:
                yield Static(Text(f"Doctor: {self.contact}"), classes="dialog-text")
            yield Static(
                Text("It stays as an alert on Today until you mark it resolved or the doctor contacted."),
                classes="hint",
            )
            yield Button("I understand", id="ok", variant="error")

    def on_mount(self) -> None:
        """Enter acknowledges."""
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)
