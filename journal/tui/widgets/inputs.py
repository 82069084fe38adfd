"""Form fields: a labelled input with its validation message beside it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static


class Entry(Input):
    """An input that honours the app's cursor-blink setting (off in tests and snapshots)."""

    def on_mount(self) -> None:
        """Stop blinking when the app says so."""
        if not getattr(self.app, "blink", True):
            self.cursor_blink = False


class Field(Vertical):
    """A label, an input and the message that explains what is wrong with it."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 0 0; }
    Field > Label { color: $text-muted; padding: 0 0; }
    Field > .field-error { color: $text-error; padding: 0 0; height: auto; display: none; }
    Field.-invalid > .field-error { display: block; }
    Field > Entry { width: 1fr; }
    """

    def __init__(
        self, label: str, key: str, *, value: str = "", placeholder: str = "", password: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(id=f"field-{key}", **kwargs)
        self.label = label
        self.key = key
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        """Label, input, message."""
        yield Label(Text(self.label))
        yield Entry(self._value, placeholder=self._placeholder, id=self.key, compact=True)
        yield Static("", classes="field-error", id=f"{self.key}-error")

    @property
    def entry(self) -> Entry:
        """The input of this field."""
        return self.query_one(Entry)

    @property
    def value(self) -> str:
        """What was typed."""
        return self.entry.value

    def show_error(self, message: str | None) -> None:
        """Show (or clear, with None) the message beside the field."""
        self.query_one(".field-error", Static).update(Text(message or ""))
        self.set_class(bool(message), "-invalid")
