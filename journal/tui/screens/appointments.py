"""Appointments and lab tests (with vaccination, surgery and dental warnings), and questions for the doctor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static, TabbedContent, TabPane

from journal import models as m
from journal.application import corrections
from journal.application.appointments import carry_question, next_visit, set_status
from journal.application.opening import Store
from journal.errors import JournalError
from journal.tui.screens.base import SAVE_ERRORS, TAB_KEYS, JournalScreen, describe, lit
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.table import FitTable

KINDS: list[tuple[str, str]] = [(k.value, k.value) for k in m.ApptKind]


class AppointmentTable(FitTable):
    """Appointments; keys act on the row under the cursor."""

    SHRINK_FIRST = ("What for", "With")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "screen.edit_row", "Edit"),
        Binding("v", "screen.mark_done", "Done"),
        Binding("x", "screen.cancel_row", "Cancel it"),
    ]


class QuestionTable(FitTable):
    """Questions for the doctor; keys act on the row under the cursor."""

    SHRINK_FIRST = ("Question", "Answer")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "screen.edit_row", "Edit/answer"),
        Binding("n", "screen.carry", "To next visit"),
        Binding("x", "screen.delete_question", "Delete"),
    ]


class AppointmentsScreen(JournalScreen):
    """Two tabs: appointments and lab tests, and questions for the doctor."""

    TITLE_TEXT = "Appointments, lab tests and questions"
    HELP_FILE = "appointments.md"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back"), *TAB_KEYS]

    def compose_body(self) -> Iterable[Widget]:
        """The tabs."""
        with TabbedContent(id="appt-tabs"):
            with TabPane("Appointments", id="tab-appts"):
                yield Static("", id="appt-warnings", classes="warnings")
                yield AppointmentTable(id="appt-table", cursor_type="row", zebra_stripes=True)
                with Vertical(classes="form"):
                    with Horizontal(classes="form-row"):
                        yield Field("When", "appt-when", placeholder="2026-12-01 09:30, tomorrow 14:00")
                        yield Select(KINDS, value="doctor", allow_blank=False, id="appt-kind", compact=True)
                    with Horizontal(classes="form-row"):
                        yield Field("With", "appt-with", placeholder="Dr Smith, the lab")
                        yield Field("What for", "appt-purpose")
                    yield Static("", classes="form-error", id="appt-error")
                    yield Button("Add appointment", id="appt-save", variant="primary", compact=True)
            with TabPane("Questions for the doctor", id="tab-questions"):
                yield QuestionTable(id="question-table", cursor_type="row", zebra_stripes=True)
                with Vertical(classes="form"):
                    yield Field("A question for your next visit", "question-text")
                    yield Static("", classes="form-error", id="question-error")
                    yield Button("Add question", id="question-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        """Fill both lists; focus the date of a new appointment."""
        self.query_one("#appt-table", DataTable).add_columns("When", "Kind", "With", "What for", "Status", "!")
        self.query_one("#question-table", DataTable).add_columns("Question", "Answer", "For visit")
        self.refresh_data()
        self.query_one("#appt-when", Input).focus()

    def refresh_data(self) -> None:
        """Read the appointments and the questions again."""
        from journal.application.packs import standing_warnings

        journal = self.journal
        standing = standing_warnings(journal.store, now=journal.now())
        flagged = {w.record_id: w.text for w in standing if w.kind.value == "appointment"}
        table = self.query_one("#appt-table", DataTable)
        table.clear()
        upcoming = journal.store.between(m.Appointment, "at", journal.now())
        past = journal.store.between(m.Appointment, "at", None, journal.now(), newest_first=True, limit=20)
        self._appointments = {a.id: a for a in [*upcoming, *past]}
        for appt in [*upcoming, *past]:
            table.add_row(
                lit(journal.local(appt.at, appt.tz)),
                lit(appt.kind.value),
                lit(appt.with_whom or ""),
                lit(appt.purpose or ""),
                lit(appt.status.value),
                Text("⚠", style="bold yellow") if appt.id in flagged else Text(""),
                key=appt.id,
            )
        from journal.application.packs import visit_reminders

        planned = [a for a in upcoming if a.status is m.ApptStatus.PLANNED]
        reminders = visit_reminders(journal.store, planned)
        lines = [f"⚠ {t}" for t in flagged.values()]
        visit = next((a for a in planned if a.id in reminders), None)
        if visit is not None:
            # The whole reminder is said when the visit is added; here one line keeps the table in view.
            when = journal.local(visit.at, visit.tz)
            lines.append(f"Next visit, {when} ({visit.kind.value}): bring your written medicine list.")
        self.query_one("#appt-warnings", Static).update(lit("\n".join(lines)))
        questions = self.query_one("#question-table", DataTable)
        questions.clear()
        for q in journal.store.all(m.Question):
            visit = self._appointments.get(q.appointment_id or "")
            questions.add_row(
                lit(q.text),
                lit(q.answer or ""),
                lit(journal.local(visit.at, visit.tz)[:10] if visit else ""),
                key=q.id,
            )

    @on(Input.Submitted, "#appt-when, #appt-with, #appt-purpose")
    @on(Button.Pressed, "#appt-save")
    def _save_appointment(self) -> None:
        journal = self.journal
        self.clear_errors()
        values = self.form_values("appt-when", "appt-with", "appt-purpose")
        if not values["appt-when"].strip():
            self.query_one("#field-appt-when", Field).show_error("Say when, for example 2026-12-01 09:30.")
            return
        try:
            at = journal.when(values["appt-when"], ahead=True)
        except SAVE_ERRORS as exc:
            self.query_one("#field-appt-when", Field).show_error(describe(exc))
            return
        from journal.application.appointments import add_appointment

        kind = str(self.query_one("#appt-kind", Select).value)
        self.save_to_journal(
            lambda store: add_appointment(
                store,
                at=at,
                zone=journal.zone,
                kind=kind,
                now=journal.now(),
                with_whom=values["appt-with"],
                purpose=values["appt-purpose"],
            ),
            lambda saved: self._appointment_added(saved, values),
            lambda exc: self.show_save_error(
                exc, aliases={"with_whom": "appt-with", "purpose": "appt-purpose"}, form="appt"
            ),
        )

    def _appointment_added(self, record: m.Appointment, values: dict[str, str]) -> None:
        from journal.application.packs import warnings_for_new

        journal = self.journal
        warnings = warnings_for_new(journal.store, record, now=journal.now())
        for key in values:
            self.query_one(f"#{key}", Input).value = ""
        self.refresh_data()
        self.show_added("#appt-error", record, warnings, what=f"{record.describe()} on {journal.local(record.at)}")

    @on(Input.Submitted, "#question-text")
    @on(Button.Pressed, "#question-save")
    def _save_question(self) -> None:
        journal = self.journal
        self.clear_errors()
        text = self.form_values("question-text")["question-text"]
        from journal.application.appointments import add_question

        def saved(_record: m.Question) -> None:
            self.query_one("#question-text", Input).value = ""
            self.refresh_data()
            self.app.notify("Question saved for your next visit.")

        self.save_to_journal(
            lambda store: add_question(store, text, now=journal.now()),
            saved,
            lambda exc: self.show_save_error(exc, aliases={"text": "question-text"}, form="question"),
        )

    # --- the row under the cursor ------------------------------------------------------

    def _row(self) -> m.Record | None:
        focused = self.focused
        if not isinstance(focused, DataTable) or not focused.row_count:
            return None
        key = str(focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value)
        cls: type[m.Record] = m.Appointment if isinstance(focused, AppointmentTable) else m.Question
        return self.journal.store.get(cls, key)

    def _update(self, write: Callable[[Store], object]) -> None:
        def failed(exc: JournalError) -> None:
            self.notify(describe(exc), severity="error", markup=False)
            self.refresh_data()

        self.save_to_journal(write, lambda _done: self.refresh_data(), failed)

    def action_edit_row(self) -> None:
        """Edit (or answer) the row under the cursor."""
        from journal.tui.screens.edit import EditRecordDialog

        record = self._row()
        if record is not None:
            self.app.push_screen(EditRecordDialog(record), lambda _saved: self.refresh_data())

    def action_mark_done(self) -> None:
        """Mark the appointment under the cursor as done; one still to come asks first."""
        record = self._row()
        if not isinstance(record, m.Appointment):
            return
        if record.at <= self.journal.now():
            self._update(partial(set_status, record=record, status=m.ApptStatus.DONE, now=self.journal.now()))
            return
        when = self.journal.local(record.at, record.tz)
        question = f"The {record.describe()} is on {when}, still to come. Mark it done now?"
        if record.kind is m.ApptKind.DOCTOR:
            question += " The visit summary for your doctor starts from the last doctor's visit marked done."
        self._ask(question, "Mark it done", "Not yet", record, m.ApptStatus.DONE)

    def action_cancel_row(self) -> None:
        """Mark the appointment under the cursor as cancelled, after asking."""
        record = self._row()
        if isinstance(record, m.Appointment):
            when = self.journal.local(record.at, record.tz)
            question = f"Cancel the {record.describe()} on {when}? It stays in the list as cancelled."
            self._ask(question, "Cancel it", "Keep it", record, m.ApptStatus.CANCELLED)

    def _ask(self, question: str, yes: str, no: str, record: m.Appointment, status: m.ApptStatus) -> None:
        """Set the appointment's status only once the person says yes (the focused answer is no)."""
        from journal.tui.screens.dialogs import ConfirmDialog

        def answered(sure: bool | None) -> None:
            if sure:
                self._update(partial(set_status, record=record, status=status, now=self.journal.now()))

        self.app.push_screen(ConfirmDialog(question, yes=yes, no=no), answered)

    def action_carry(self) -> None:
        """Carry the question under the cursor to the next planned visit."""
        record = self._row()
        if not isinstance(record, m.Question):
            return
        journal = self.journal
        visit = next_visit(journal.store, now=journal.now())
        if visit is None:
            self.notify("No doctor's visit is planned yet: add one on the Appointments tab.", severity="warning")
            return
        self._update(partial(carry_question, record=record, visit=visit, now=journal.now()))

    def action_delete_question(self) -> None:
        """Delete the question under the cursor, after asking."""
        from journal.tui.screens.dialogs import ConfirmDialog

        record = self._row()
        if not isinstance(record, m.Question):
            return
        journal = self.journal

        def delete(yes: bool | None) -> None:
            if yes:
                self.save_to_journal(
                    lambda store: corrections.delete(store, record, now=journal.now()),
                    lambda _deleted: self.refresh_data(),
                    lambda exc: self.notify(describe(exc), severity="error", markup=False),
                )

        self.app.push_screen(ConfirmDialog(f'Delete the question "{record.text}"?', yes="Delete", no="Keep it"), delete)
