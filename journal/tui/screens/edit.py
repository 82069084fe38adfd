"""Edit any record: one field per value, validated by the model; a failed save keeps what was typed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from journal import models as m
from journal.tui.screens.base import SAVE_ERRORS, JournalModal, describe, error_field
from journal.tui.widgets.inputs import Field

# Bookkeeping and links are not typed by hand.
HIDDEN = {
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "medication_id",
    "check_id",
    "box_id",
    "appointment_id",
    "tz",
    "symptom_key",
    "tier",
}
MOMENTS = {"at", "started_at", "resolved_at", "doctor_contacted_at", "answered_at"}
DAYS = {"born", "started", "stopped", "received", "expires", "since"}
FLAGS = {"tracked", "leftover"}
NUMBERS = {"count", "waited_minutes", "pain", "swelling", "stiffness_minutes"}


def editable_fields(record: m.Record) -> list[str]:
    """The fields a person may change, in the model's order."""
    return [name for name in m.field_names(type(record)) if name not in HIDDEN]


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


class EditRecordDialog(JournalModal):
    """Change a record's fields; dismisses with the saved record, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, record: m.Record) -> None:
        super().__init__(classes="dialog-screen")
        self.record = record

    def _text(self, name: str, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            zone = getattr(self.record, "tz", None) or self.journal.zone
            return self.journal.local(value, zone)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(getattr(value, "value", value))

    def compose(self) -> ComposeResult:
        """A field for each editable value."""
        with Vertical(classes="dialog", id="edit-dialog"):
            yield Static(Text(f"Edit {self.record.kind_label}: {self.record.describe()}"), classes="panel-title")
            with VerticalScroll(id="edit-fields"):
                for name in editable_fields(self.record):
                    yield Field(_label(name), f"edit-{name}", value=self._text(name, getattr(self.record, name)))
            yield Static("", classes="form-error", id="edit-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="edit-save", variant="primary", compact=True)
                yield Button("Cancel", id="edit-cancel", compact=True)

    def _parse(self, name: str, text: str) -> Any:
        text = text.strip()
        if not text:
            return None
        if name in MOMENTS:
            zone = getattr(self.record, "tz", None) or self.journal.zone
            from journal.when import parse_when

            return parse_when(text, now=self.journal.now(), zone=zone)
        if name in DAYS:
            return self.journal.day(text)
        if name in FLAGS:
            if text.lower() in ("yes", "y", "true", "1"):
                return True
            if text.lower() in ("no", "n", "false", "0"):
                return False
            raise ValueError(f"{_label(name)} should be yes or no.")
        if name in NUMBERS:
            try:
                return int(text)
            except ValueError:
                raise ValueError(f"{_label(name)} should be a whole number.") from None
        return text

    @on(Input.Submitted)
    @on(Button.Pressed, "#edit-save")
    def action_save(self) -> None:
        """Validate and save; on a problem, say so beside the field and keep everything typed."""
        changes: dict[str, Any] = {}
        for field in self.query(Field):
            field.show_error(None)
        self.query_one("#edit-error", Static).update("")
        for name in editable_fields(self.record):
            field = self.query_one(f"#field-edit-{name}", Field)
            try:
                changes[name] = self._parse(name, field.value)
            except SAVE_ERRORS as exc:
                field.show_error(describe(exc))
                field.entry.focus()
                return
        try:
            saved = self.journal.store.update(self.record, now=self.journal.now(), **changes)
        except SAVE_ERRORS as exc:
            bad = error_field(exc)
            if bad and self.query(f"#field-edit-{bad}"):
                self.query_one(f"#field-edit-{bad}", Field).show_error(describe(exc))
            else:
                self.query_one("#edit-error", Static).update(Text(describe(exc)))
            return
        self.dismiss(saved)

    @on(Button.Pressed, "#edit-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
