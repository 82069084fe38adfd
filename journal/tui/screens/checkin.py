"""Check-in: how the treatment is working, in a few keys (pain, swelling, stiffness, note)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Static

from journal import models as m
from journal.application.records import add_checkin
from journal.errors import JournalError
from journal.tui.screens.base import SAVE_ERRORS, JournalScreen, describe, lit
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.table import FitTable

RECENT = 10
NUMBER_FIELDS = {"pain": "Pain", "swelling": "Swelling", "stiffness": "Morning stiffness"}


class CheckinScreen(JournalScreen):
    """Type the scores, Tab between them, Enter saves."""

    TITLE_TEXT = "Check-in: how is the treatment working?"
    HELP_FILE = "checkin.md"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def compose_body(self) -> Iterable[Widget]:
        """Four fields and the last check-ins."""
        with Vertical(classes="form"):
            with Horizontal(classes="form-row"):
                yield Field("Pain 0-10", "pain", placeholder="0 none, 10 worst")
                yield Field("Swelling 0-10", "swelling", placeholder="0-10")
                yield Field("Stiffness (minutes)", "stiffness", placeholder="morning")
            yield Field("Note", "checkin-note")
            with Horizontal(classes="form-row"):
                yield Field("When", "checkin-time", value="now")
            yield Static("", classes="form-error", id="checkin-error")
            with Horizontal(classes="buttons"):
                yield Button("Save check-in", id="checkin-save", variant="primary", compact=True)
                yield Static(Text("Tab moves to the next box; Enter saves."), classes="hint")
        yield Static(Text("Recent check-ins", style="bold"), classes="section-title")
        yield FitTable(id="recent-checkins", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Focus pain and list the recent check-ins."""
        self.query_one("#recent-checkins", DataTable).add_columns("When", "Pain", "Swelling", "Stiffness", "Note")
        self.refresh_data()
        self.query_one("#pain", Input).focus()

    def refresh_data(self) -> None:
        """Read the recent check-ins again."""
        table = self.query_one("#recent-checkins", DataTable)
        table.clear()
        for c in self.journal.store.between(m.Checkin, "at", newest_first=True, limit=RECENT):
            table.add_row(
                lit(self.journal.local(c.at, c.tz)),
                lit("" if c.pain is None else c.pain),
                lit("" if c.swelling is None else c.swelling),
                lit("" if c.stiffness_minutes is None else f"{c.stiffness_minutes} min"),
                lit(c.note or ""),
                key=c.id,
            )

    @on(Input.Submitted)
    @on(Button.Pressed, "#checkin-save")
    def _save(self) -> None:
        journal = self.journal
        self.clear_errors()
        values = self.form_values("pain", "swelling", "stiffness", "checkin-note", "checkin-time")
        numbers: dict[str, int | None] = {}
        for key, label in NUMBER_FIELDS.items():
            text = values[key].strip()
            if not text:
                numbers[key] = None
                continue
            try:
                numbers[key] = int(text)
            except ValueError:
                self.query_one(f"#field-{key}", Field).show_error(f"{label} should be a whole number.")
                self.query_one(f"#{key}", Input).focus()
                return
        try:
            at = journal.when(values["checkin-time"])
        except SAVE_ERRORS as exc:
            self.query_one("#field-checkin-time", Field).show_error(describe(exc))
            return
        typed = {
            "pain": numbers["pain"],
            "swelling": numbers["swelling"],
            "stiffness_minutes": numbers["stiffness"],
            "note": values["checkin-note"],
        }
        now = journal.now()

        def saved(record: m.Checkin) -> None:
            self.app.notify(f"Recorded check-in: {record.describe()}.", markup=False)
            self.dismiss()

        self.save_to_journal(
            lambda store: add_checkin(store, typed, at=at, zone=journal.zone, now=now), saved, self._failed
        )

    def _failed(self, exc: JournalError) -> None:
        self.show_save_error(
            exc,
            aliases={"stiffness_minutes": "stiffness", "note": "checkin-note", "at": "checkin-time"},
            form="checkin",
        )
