"""Small dialogs: confirm a choice that cannot be taken back at once, and the 'call your doctor now' alert."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from journal.tui.screens.base import JournalModal, lit


class ConfirmDialog(JournalModal):
    """Ask a yes/no question; dismisses with True or False.

    The safe answer is the default: the "no" button has the focus, so Enter alone answers no, and
    Escape and `n` do too; yes takes `y` or the other button (Tab, then Enter).
    """

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
        """The question, anything the dialog asks besides, and two buttons."""
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(lit(self.question), classes="dialog-text", id="confirm-question")
            yield from self.compose_extra()
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, id="yes", variant="error")
                yield Button(self.no_label, id="no")
            yield Static(Text(self.keys_hint()), classes="hint", id="confirm-keys")

    def compose_extra(self) -> ComposeResult:
        """Widgets between the question and the buttons (none here)."""
        yield from ()

    def keys_hint(self) -> str:
        """The keys that answer, under the buttons."""
        return f"y: {self.yes_label}   n or Esc: {self.no_label}"

    def on_mount(self) -> None:
        """Default to the safe answer."""
        self.query_one("#no", Button).focus()

    def answer_yes(self) -> object:
        """What the dialog dismisses with when the answer is yes."""
        return True

    def answer_no(self) -> object:
        """What the dialog dismisses with when the answer is no."""
        return False

    def action_yes(self) -> None:
        """Answer yes."""
        self.dismiss(self.answer_yes())

    def action_close(self) -> None:
        """Answer no."""
        self.dismiss(self.answer_no())

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_yes()
        else:
            self.action_close()


class ConfirmWithReason(ConfirmDialog):
    """A yes/no question with an optional reason; dismisses with the reason ("" when none) or None for no.

    The "no" button has the focus; Tab reaches the reason. Enter in the reason goes on to the "yes"
    button rather than answering, so that one Enter never answers yes.
    """

    def __init__(self, question: str, *, label: str = "Why (optional)", yes: str = "Yes", no: str = "No") -> None:
        super().__init__(question, yes=yes, no=no)
        self.label = label

    def compose_extra(self) -> ComposeResult:
        """The reason, optional."""
        from journal.tui.widgets.inputs import Field

        yield Field(self.label, "confirm-reason", placeholder="Tab to reach this box; it may stay empty")

    def keys_hint(self) -> str:
        """The keys that answer, and how to reach the reason."""
        return f"Tab: give a reason   y: {self.yes_label}   Esc: {self.no_label}"

    @property
    def reason(self) -> str:
        """The reason typed, without surrounding spaces."""
        from textual.widgets import Input

        return self.query_one("#confirm-reason", Input).value.strip()

    def answer_yes(self) -> object:
        """The reason ("" when none was given)."""
        return self.reason

    def answer_no(self) -> object:
        """None: nothing is to be done."""
        return None

    def on_input_submitted(self, event: object) -> None:
        """Enter in the reason moves to the "yes" button: a second, deliberate Enter answers."""
        self.query_one("#yes", Button).focus()


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


class ChooseMedicineDialog(JournalModal):
    """Two or more doses are due at once: the person says which one this is (the journal never guesses).

    Dismisses with the chosen medicine's id, or None (Escape): nothing is recorded either way.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Cancel")]

    def __init__(self, choices: list[tuple[str, str]], *, then: Callable[[str], object] | None = None) -> None:
        """`choices`: (medication id, what the option says), most urgent first; `then` opens the dose of the one
        chosen, once this dialog is gone."""
        super().__init__(classes="dialog-screen")
        self.choices = choices
        self.then = then

    def compose(self) -> ComposeResult:
        """The question and one option per medicine due."""
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        with Vertical(classes="dialog", id="choose-medicine"):
            yield Static(
                lit("More than one dose is due now. Which one are you logging? (Nothing is recorded yet.)"),
                classes="dialog-text",
            )
            yield OptionList(*(Option(Text(label), id=med_id) for med_id, label in self.choices), id="choose-options")
            yield Static(Text("Enter: log this one   Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        """The list has the focus, its first (most urgent) medicine highlighted."""
        from textual.widgets import OptionList

        options = self.query_one("#choose-options", OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: object) -> None:
        """The medicine chosen."""
        from textual.widgets import OptionList

        assert isinstance(event, OptionList.OptionSelected)
        chosen = event.option.id
        self.dismiss(chosen)
        if self.then is not None and chosen is not None:
            self.then(chosen)

    def action_close(self) -> None:
        """Cancel: no dose is logged."""
        self.dismiss(None)
