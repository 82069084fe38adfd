"""Edit any record with the entry screens' own widgets; the store holds the edit to the same rules as an entry.

Every enum is a select, a yes/no a checkbox, an injection spot the body map (a dose that is not
an injection has no site, as on the dose screen), times and dates the same typed fields (and
messages) as the entry screens. Saving goes through
journal.application.corrections, as `medjournal edit` does; a refused save keeps what was typed
and shows the reason beside the field it is about.
"""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from journal import models as m
from journal.application import corrections
from journal.content import Pack
from journal.errors import JournalError
from journal.tui.screens.base import SAVE_ERRORS, JournalModal, describe, error_field
from journal.tui.widgets.bodymap import BodyMap
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.toggles import Tick

# A dose's fields that only an injection has: where it went, and solution left in the syringe.
_INJECTION_ONLY = frozenset({"region", "spot", "leftover"})


def _error(name: str) -> Static:
    """The message beside a select, checkbox or body map (a Field carries its own)."""
    error = Static("", classes="form-error", id=f"edit-{name}-error")
    error.display = False
    return error


def _spot_in(pack: Pack, value: str | None) -> str | None:
    """The stored spot if the pack's grid has it (a damaged one is left for the person to choose again)."""
    try:
        return pack.sites.spot(value).id if value else None
    except ValueError:
        return None


class EditRecordDialog(JournalModal):
    """Change a record's fields; dismisses with the saved record, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, record: m.Record) -> None:
        super().__init__(classes="dialog-screen")
        self.record = record

    @cached_property
    def medicine(self) -> m.Medication | None:
        """The medicine of a dose (None for any other record)."""
        if not isinstance(self.record, m.Dose):
            return None
        return self.journal.store.get(m.Medication, self.record.medication_id, include_deleted=True)

    @cached_property
    def pack(self) -> Pack | None:
        """The content pack of an injected dose's medicine, as the dose screen has it: its body map places the spot."""
        med = self.medicine
        return self.journal.pack(med.pack) if med is not None and med.injected else None

    def fields(self) -> list[str]:
        """The fields shown: a dose with a body map takes its region from the spot chosen; one that is not
        injected has no site and no syringe (a site it holds anyway is shown, so that it can be cleared)."""
        names = corrections.editable_fields(self.record)
        if self.pack is not None:
            return [n for n in names if n != "region"]
        if self.medicine is not None and not self.medicine.injected:
            return [n for n in names if n not in _INJECTION_ONLY or getattr(self.record, n)]
        return names

    def compose(self) -> ComposeResult:
        """A widget for each editable value, the kind the entry screens use for it."""
        with Vertical(classes="dialog", id="edit-dialog"):
            yield Static(Text(f"Edit {self.record.kind_label}: {self.record.describe()}"), classes="panel-title")
            with VerticalScroll(id="edit-fields"):
                for name in self.fields():
                    yield from self._widgets(name)
            yield Static("", classes="form-error", id="edit-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="edit-save", variant="primary", compact=True)
                yield Button("Cancel", id="edit-cancel", compact=True)

    def _widgets(self, name: str) -> list[Widget]:
        label = corrections.field_label(name)
        value = getattr(self.record, name)
        allowed = corrections.choices(self.record, name)
        pack = self.pack
        if name == "spot" and pack is not None:
            others = getattr(self.record, "given_by", None) is m.GivenBy.OTHER
            body = BodyMap(pack, others_inject=others, selected=_spot_in(pack, value), id="edit-spot")
            return [Label(Text(label)), body, _error("spot")]
        if allowed is not None:
            options = [(item, item) for item in allowed]
            if corrections.may_be_empty(type(self.record), name):
                options.insert(0, ("(not given)", ""))
            select: Select[str] = Select(
                options,
                value=str(value.value) if value is not None else "",
                allow_blank=False,
                id=f"edit-{name}",
                compact=True,
            )
            return [Label(Text(label)), select, _error(name)]
        if isinstance(value, bool):
            return [
                Tick(label, value=value, id=f"edit-{name}", compact=True),
                _error(name),
            ]
        shown = corrections.shown_value(self.record, name, self.journal.zone)
        return [Field(label, f"edit-{name}", value=shown)]

    @on(Select.Changed, "#edit-given_by")
    def _injector_changed(self, event: Select.Changed) -> None:
        """Someone else may use more regions: the body map shows them."""
        # By type: without a body map, #edit-spot is a plain field (or absent).
        for body in self.query(BodyMap):
            body.set_others_inject(event.value == m.GivenBy.OTHER.value, body.selected)

    def typed(self) -> dict[str, str]:
        """What each widget holds, as the text `medjournal edit FIELD=VALUE` would take."""
        typed: dict[str, str] = {}
        for name in self.fields():
            widget = self.query_one(f"#edit-{name}")
            if isinstance(widget, BodyMap):
                typed[name] = widget.selected or ""
            elif isinstance(widget, Select):
                typed[name] = str(widget.value)
            elif isinstance(widget, Checkbox):
                typed[name] = "yes" if widget.value else "no"
            elif isinstance(widget, Input):
                typed[name] = widget.value
        if isinstance(self.record, m.Dose) and typed.get("status", "taken") != m.DoseStatus.TAKEN.value:
            # A skipped or missed dose went nowhere on the body.
            typed["spot"] = typed["region"] = ""
        return typed

    def _show_error(self, name: str | None, message: str | None) -> None:
        if name is not None and self.query(f"#field-edit-{name}"):
            self.query_one(f"#field-edit-{name}", Field).show_error(message)
        elif name is not None and self.query(f"#edit-{name}-error"):
            error = self.query_one(f"#edit-{name}-error", Static)
            error.update(Text(message or ""))
            error.display = bool(message)
        else:
            self.query_one("#edit-error", Static).update(Text(message or ""))

    @on(Input.Submitted)
    @on(Button.Pressed, "#edit-save")
    def action_save(self) -> None:
        """Save through the same rules as a new entry; on a problem, say so beside the field, keeping what was typed."""
        for name in self.fields():
            self._show_error(name, None)
        self._show_error(None, None)
        journal, record = self.journal, self.record
        try:
            typed = self.typed()
        except SAVE_ERRORS as exc:
            self._refused(exc)
            return
        self.save_to_journal(
            lambda store: corrections.edit(store, record, typed, now=journal.now(), zone=journal.zone),
            self._saved,
            self._refused,
        )

    def _saved(self, record: m.Record) -> None:
        self.dismiss(record)

    def _refused(self, exc: JournalError) -> None:
        bad = error_field(exc)
        shown_at = bad if bad in self.fields() else ("spot" if bad == "region" and self.pack else None)
        self._show_error(shown_at, describe(exc))

    @on(Button.Pressed, "#edit-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
