"""Lab results: type a test's result (value, unit, the lab's range), and read every result with its trend."""

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
from journal.application.records import add_lab_result, by_test, parse_range, parse_value, range_text
from journal.application.records import trend as trend_of
from journal.errors import JournalError
from journal.tui.screens.base import SAVE_ERRORS, JournalScreen, describe, lit
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.table import FitTable

SHOWN = 50


class LabsScreen(JournalScreen):
    """The form on top, the results below, newest first."""

    TITLE_TEXT = "Lab results"
    HELP_FILE = "labs.md"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def compose_body(self) -> Iterable[Widget]:
        """Test, value, unit, range, when, note; then the results."""
        with Vertical(classes="form"):
            with Horizontal(classes="form-row"):
                yield Field("Test", "lab-test", placeholder="as on the lab's report")
                yield Field("Value", "lab-value", placeholder="a number")
                yield Field("Unit", "lab-unit", placeholder="as on the report")
            with Horizontal(classes="form-row"):
                yield Field("Reference range", "lab-range", placeholder="low-high, <high or >low")
                yield Field("When taken", "lab-time", value="now")
            yield Field("Note", "lab-note")
            yield Static("", classes="form-error", id="lab-error")
            with Horizontal(classes="buttons"):
                yield Button("Save result", id="lab-save", variant="primary", compact=True)
                yield Static(Text("Tab moves to the next box; Enter saves."), classes="hint")
        yield Static(Text("Results, newest first (trend: against the test's result before)", style="bold"))
        yield FitTable(id="lab-results", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Focus the test's name and list the results."""
        self.query_one("#lab-results", DataTable).add_columns("Taken", "Test", "Value", "Range", "Trend", "Note")
        self.refresh_data()
        self.query_one("#lab-test", Input).focus()

    def refresh_data(self) -> None:
        """Read the results again."""
        table = self.query_one("#lab-results", DataTable)
        table.clear()
        rows: list[tuple[m.LabResult, str]] = []
        for group in by_test(self.journal.store.lab_results()).values():
            rows += [(result, trend_of(group[: i + 1]) or "") for i, result in enumerate(group)]
        rows.sort(key=lambda pair: pair[0].at, reverse=True)
        for result, trend in rows[:SHOWN]:
            value = m.format_number(result.value) + (f" {result.unit}" if result.unit else "")
            if result.out_of_range:
                value += f" ({result.out_of_range})"
            table.add_row(
                lit(self.journal.local(result.at, result.tz)),
                lit(result.test),
                lit(value),
                lit(range_text(result.range_low, result.range_high)),
                lit(trend),
                lit(result.note or ""),
                key=result.id,
            )

    @on(Input.Submitted)
    @on(Button.Pressed, "#lab-save")
    def _save(self) -> None:
        journal = self.journal
        self.clear_errors()
        values = self.form_values("lab-test", "lab-value", "lab-unit", "lab-range", "lab-time", "lab-note")
        try:
            at = journal.when(values["lab-time"])
        except SAVE_ERRORS as exc:
            self.query_one("#field-lab-time", Field).show_error(describe(exc))
            self.query_one("#lab-time", Input).focus()
            return
        try:
            number = parse_value(values["lab-value"])
            low, high = parse_range(values["lab-range"]) if values["lab-range"].strip() else (None, None)
        except SAVE_ERRORS as exc:
            self._refused(exc)
            return
        typed = {
            "test": values["lab-test"],
            "value": number,
            "unit": values["lab-unit"],
            "range_low": low,
            "range_high": high,
            "note": values["lab-note"],
        }
        now = journal.now()
        self.save_to_journal(
            lambda store: add_lab_result(store, typed, at=at, zone=journal.zone, now=now), self._recorded, self._refused
        )

    def _refused(self, exc: JournalError) -> None:
        self.show_save_error(
            exc,
            aliases={
                "test": "lab-test",
                "value": "lab-value",
                "unit": "lab-unit",
                "range": "lab-range",
                "range_low": "lab-range",
                "range_high": "lab-range",
                "at": "lab-time",
                "note": "lab-note",
            },
            form="lab",
        )

    def _recorded(self, record: m.LabResult) -> None:
        self.app.notify(f"Recorded lab result: {record.describe()}.", markup=False)
        for key in ("lab-value", "lab-range", "lab-note"):
            self.query_one(f"#{key}", Input).value = ""
        self.refresh_data()
        self.query_one("#lab-test", Input).focus()
