"""Medicines (with OTC products, vitamins, supplements, herbals), allergies, conditions and the profile.

Interaction and precaution warnings from the care rules are shown beside the list and
right after a save, and stay visible for as long as they apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static, TabbedContent, TabPane

from journal import models as m
from journal.application import corrections
from journal.application.opening import Store
from journal.errors import JournalError
from journal.schedule_spec import ScheduleError
from journal.tui.screens.base import (
    SAVE_ERRORS,
    TAB_KEYS,
    JournalModal,
    JournalScreen,
    describe,
    error_field,
    lit,
)
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.table import FitTable

KINDS: list[tuple[str, str]] = [(k.value, k.value) for k in m.MedKind]
FORMS: list[tuple[str, str]] = [("form: as its guide says", ""), *((f.value, f.value) for f in m.MedForm)]


class RecordTable(FitTable):
    """A list of records; Enter or e edits the row under the cursor, x stops or deletes it."""

    # Directions and reactions are long free text: cut them before the status or the name.
    SHRINK_FIRST = ("How", "Reaction")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "screen.edit_row", "Edit"),
        Binding("x", "screen.stop_row", "Stop/delete"),
        Binding("b", "screen.box_received", "Box received"),
        Binding("u", "screen.resume_row", "Resume"),
    ]


class MedicinesScreen(JournalScreen):
    """Four tabs: medicines, allergies, conditions, profile."""

    TITLE_TEXT = "Medicines, allergies, conditions, profile"
    HELP_FILE = "medicines.md"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        *TAB_KEYS,
        Binding("ctrl+s", "save_tab", "Save"),
    ]

    def compose_body(self) -> Iterable[Widget]:
        """The tabs."""
        with TabbedContent(id="med-tabs"):
            with TabPane("Medicines", id="tab-meds"):
                yield Static("", id="med-warnings", classes="warnings")
                yield RecordTable(id="med-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(classes="form", id="med-form"):
                    with Horizontal(classes="form-row"):
                        yield Field("Add a medicine: name", "med-name", placeholder="e.g. Enbrel, vitamin D")
                        yield Select(KINDS, value="prescription", allow_blank=False, id="med-kind", compact=True)
                    with Horizontal(classes="form-row"):
                        yield Field("Strength", "med-strength", placeholder="as on the label")
                        yield Field("How you take it", "med-directions", placeholder="as on the label")
                        yield Field("What for", "med-reason")
                    with Horizontal(classes="form-row"):
                        yield Select(FORMS, value="", allow_blank=False, id="med-dose-form", compact=True)
                        yield Field(
                            "Schedule (log its doses)",
                            "med-schedule",
                            placeholder="daily at 08:00 / weekly on fri at 09:00 / every 2 days at 08:00 / as needed",
                        )
                    yield Static("", classes="form-error", id="med-error")
                    yield Button("Add medicine", id="med-save", variant="primary", compact=True)
            with TabPane("Allergies", id="tab-allergies"):
                yield RecordTable(id="allergy-table", cursor_type="row", zebra_stripes=True)
                with Vertical(classes="form"):
                    with Horizontal(classes="form-row"):
                        yield Field("Allergic to", "allergy-substance", placeholder="e.g. latex, penicillin")
                        yield Field("Reaction", "allergy-reaction", placeholder="e.g. hives")
                    yield Static("", classes="form-error", id="allergy-error")
                    yield Button("Add allergy", id="allergy-save", variant="primary", compact=True)
                    yield Static("", classes="warnings", id="allergy-warnings")
            with TabPane("Conditions", id="tab-conditions"):
                yield RecordTable(id="condition-table", cursor_type="row", zebra_stripes=True)
                with Vertical(classes="form"):
                    with Horizontal(classes="form-row"):
                        yield Field("Condition", "condition-name", placeholder="e.g. asthma")
                        yield Field("Since", "condition-since", placeholder="YYYY-MM-DD")
                    yield Static("", classes="form-error", id="condition-error")
                    yield Button("Add condition", id="condition-save", variant="primary", compact=True)
                    yield Static("", classes="warnings", id="condition-warnings")
            with TabPane("Profile", id="tab-profile"), VerticalScroll(classes="form"):
                yield Field("Name", "profile-name")
                yield Field("Born", "profile-born", placeholder="YYYY-MM-DD")
                yield Field("Emergency contact", "profile-emergency_contact")
                yield Field("Doctor", "profile-doctor")
                yield Field("Pharmacy", "profile-pharmacy")
                yield Field("Notes", "profile-notes")
                yield Static("", classes="form-error", id="profile-error")
                yield Button("Save profile", id="profile-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        """Fill the lists and the profile."""
        self.query_one("#med-table", DataTable).add_columns("Name", "Kind", "Strength", "How", "Status", "!")
        self.query_one("#allergy-table", DataTable).add_columns("Allergy", "Reaction", "!")
        self.query_one("#condition-table", DataTable).add_columns("Condition", "Since", "!")
        self.refresh_data()
        profile = self.journal.store.profile()
        if profile is not None:
            for key in ("name", "emergency_contact", "doctor", "pharmacy", "notes"):
                self.query_one(f"#profile-{key}", Input).value = getattr(profile, key) or ""
            self.query_one("#profile-born", Input).value = profile.born.isoformat() if profile.born else ""
        self.query_one("#med-name", Input).focus()

    # --- reading -----------------------------------------------------------------------

    def _standing(self) -> list[Any]:
        from journal.application.packs import standing_warnings

        return standing_warnings(self.journal.store, now=self.journal.now())

    def refresh_data(self) -> None:
        """Read every list again, with the warnings that apply now."""
        from journal.application.medicines import schedule_words

        store = self.journal.store
        standing = self._standing()
        flagged = {w.record_id for w in standing}
        table = self.query_one("#med-table", DataTable)
        table.clear()
        for med in store.medications(include_stopped=True):
            today = self.journal.today()
            ended = med.stopped is not None and med.stopped < today
            status = (
                f"stopped {med.stopped.isoformat()}"
                if ended and med.stopped
                else (f"active until {med.stopped.isoformat()}" if med.stopped else "active")
            )
            if med.paused_at is not None and not ended:
                status = f"PAUSED since {self.journal.local(med.paused_at)} (u: resume)"
            plan = schedule_words(store, med, today=today) if not ended else ""
            if plan:
                status += f", {plan}"
            table.add_row(
                lit(med.name),
                lit(med.kind.value),
                lit(med.strength or ""),
                lit(med.directions or ""),
                lit(status),
                Text("⚠", style="bold yellow") if med.id in flagged else Text(""),
                key=med.id,
            )
        self.query_one("#med-warnings", Static).update(
            lit("\n".join(f"⚠ {w.text}" for w in standing if w.kind.value == "interaction"))
        )
        allergies = self.query_one("#allergy-table", DataTable)
        allergies.clear()
        for allergy in store.all(m.Allergy):
            mark = Text("⚠", style="bold yellow") if allergy.id in flagged else Text("")
            allergies.add_row(lit(allergy.substance), lit(allergy.reaction or ""), mark, key=allergy.id)
        conditions = self.query_one("#condition-table", DataTable)
        conditions.clear()
        for condition in store.all(m.Condition):
            since = condition.since.isoformat() if condition.since else ""
            mark = Text("⚠", style="bold yellow") if condition.id in flagged else Text("")
            conditions.add_row(lit(condition.name), lit(since), mark, key=condition.id)

    # --- saving ------------------------------------------------------------------------

    def _warnings_for(self, record: m.Record) -> list[str]:
        from journal.application.packs import warnings_for_new

        return warnings_for_new(self.journal.store, record, now=self.journal.now())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        prefix = (event.input.id or "").split("-", 1)[0]
        self._save(prefix)

    @on(Button.Pressed, "#med-save, #profile-save, #allergy-save, #condition-save")
    def _pressed(self, event: Button.Pressed) -> None:
        self._save((event.button.id or "").split("-", 1)[0])

    def action_save_tab(self) -> None:
        """Save the form of the tab on show."""
        active = self.query_one("#med-tabs", TabbedContent).active
        self._save(
            {"tab-meds": "med", "tab-allergies": "allergy", "tab-conditions": "condition"}.get(active, "profile")
        )

    def _save(self, form: str) -> None:
        saver = {
            "med": self._save_medicine,
            "allergy": self._save_allergy,
            "condition": self._save_condition,
            "profile": self._save_profile,
        }.get(form)
        if saver is not None:
            self.clear_errors()
            saver()

    def _save_medicine(self) -> None:
        from journal.application.medicines import add_medication

        journal = self.journal
        values = self.form_values("med-name", "med-strength", "med-directions", "med-reason", "med-schedule")
        spec = values["med-schedule"].strip()
        if re.fullmatch(r"\d{1,2}:\d{2}", spec):
            spec = f"daily at {spec}"  # a time alone: every day at that time
        form = self.query_one("#med-dose-form", Select).value

        def add(store: Store) -> m.Medication:
            return add_medication(
                store,
                {
                    "name": values["med-name"],
                    "kind": self.query_one("#med-kind", Select).value,
                    "form": form or None,
                    "strength": values["med-strength"],
                    "directions": values["med-directions"],
                    "reason": values["med-reason"],
                },
                now=journal.now(),
                today=journal.today(),
                spec=spec or None,
            )

        self.save_to_journal(add, lambda saved: self._added("#med-error", saved, values), self._med_failed)

    def _med_failed(self, exc: JournalError) -> None:
        from journal.application.medicines import DuplicateMedicineError

        if isinstance(exc, DuplicateMedicineError):
            self.query_one("#field-med-name", Field).show_error(describe(exc))
        elif isinstance(exc, ScheduleError):
            self.query_one("#field-med-schedule", Field).show_error(describe(exc))
        else:
            self.show_save_error(
                exc, aliases={k: f"med-{k}" for k in ("name", "strength", "directions", "reason")}, form="med"
            )

    def _added(self, where: str, record: m.Record, values: dict[str, str]) -> None:
        warnings = self._warnings_for(record)
        for key in values:
            self.query_one(f"#{key}", Input).value = ""
        self.refresh_data()
        self.show_added(where, record, warnings)
        # Ready for the next one: back to the form's first box (its name), not the box Enter was pressed in.
        self.query_one(f"#{next(iter(values))}", Input).focus()

    def _save_allergy(self) -> None:
        values = self.form_values("allergy-substance", "allergy-reaction")
        from journal.application.records import add_allergy

        typed = {"substance": values["allergy-substance"], "reaction": values["allergy-reaction"]}
        now = self.journal.now()
        self.save_to_journal(
            lambda store: add_allergy(store, typed, now=now),
            lambda saved: self._added("#allergy-warnings", saved, values),
            self._allergy_failed,
        )

    def _allergy_failed(self, exc: JournalError) -> None:
        self.show_save_error(
            exc, aliases={"substance": "allergy-substance", "reaction": "allergy-reaction"}, form="allergy"
        )

    def _save_condition(self) -> None:
        values = self.form_values("condition-name", "condition-since")
        from journal.application.records import add_condition

        try:
            since = self.journal.day(values["condition-since"])
        except SAVE_ERRORS as exc:
            self._condition_failed(exc)
            return
        typed, now = {"name": values["condition-name"], "since": since}, self.journal.now()
        self.save_to_journal(
            lambda store: add_condition(store, typed, now=now),
            lambda saved: self._added("#condition-warnings", saved, values),
            self._condition_failed,
        )

    def _condition_failed(self, exc: JournalError) -> None:
        self.show_save_error(exc, aliases={"name": "condition-name", "since": "condition-since"}, form="condition")

    def _save_profile(self) -> None:
        keys = ("name", "born", "emergency_contact", "doctor", "pharmacy", "notes")
        values = self.form_values(*(f"profile-{k}" for k in keys))
        try:
            born = self.journal.day(values["profile-born"])
        except SAVE_ERRORS as exc:
            self.query_one("#field-profile-born", Field).show_error(describe(exc))
            return
        changes: dict[str, Any] = {k: values[f"profile-{k}"] for k in keys if k != "born"}
        changes["born"] = born
        now = self.journal.now()

        def saved(_profile: m.Profile) -> None:
            self.query_one("#profile-error", Static).update(Text("Profile saved."))
            self.app.notify("Profile saved.")

        from journal.application.records import save_profile

        self.save_to_journal(
            lambda store: save_profile(store, changes, now=now),
            saved,
            lambda exc: self.show_save_error(exc, aliases={k: f"profile-{k}" for k in keys}, form="profile"),
        )

    # --- the row under the cursor ------------------------------------------------------

    def _row(self) -> tuple[str, m.Record] | None:
        focused = self.focused
        if not isinstance(focused, RecordTable) or not focused.row_count:
            return None
        key = str(focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value)
        kinds: dict[str, type[m.Record]] = {
            "med-table": m.Medication,
            "allergy-table": m.Allergy,
            "condition-table": m.Condition,
        }
        cls = kinds[focused.id or ""]
        record = self.journal.store.get(cls, key)
        return (focused.id or "", record) if record else None

    def action_edit_row(self) -> None:
        """Edit the record under the cursor."""
        from journal.tui.screens.edit import EditRecordDialog

        found = self._row()
        if found is not None:
            self.app.push_screen(EditRecordDialog(found[1]), lambda _saved: self.refresh_data())

    def action_box_received(self) -> None:
        """Record a box received for the medicine under the cursor."""
        found = self._row()
        if found is None or not isinstance(found[1], m.Medication):
            self.notify("Choose a medicine in the list first.", severity="warning")
            return
        record = found[1]

        def saved(box: m.SupplyBox | None) -> None:
            if box is not None:
                self.notify(f"Recorded a {box.describe()} of {record.name}.", markup=False)
                self.refresh_data()

        self.app.push_screen(BoxDialog(record), saved)

    def action_resume_row(self) -> None:
        """Lift the pause of the medicine under the cursor, once the doctor says to go on; asks first."""
        from journal.application.medicines import resume_medication
        from journal.tui.screens.dialogs import ConfirmWithReason

        found = self._row()
        if found is None or not isinstance(found[1], m.Medication) or found[1].paused_at is None:
            self.notify("Choose a paused medicine in the list first.", severity="warning")
            return
        record, journal = found[1], self.journal
        question = (
            f"Resume {record.describe()}? It was paused after {record.pause_reason or 'a suspected allergic reaction'}."
            " Resume it only once your doctor says to go on."
        )

        def resume(note: str | None) -> None:
            if note is None:
                return

            def resumed(_record: object) -> None:
                self.notify(f"Resumed {record.name}: its doses are due and reminded again.", markup=False)
                self.refresh_data()

            self.save_to_journal(
                lambda store: resume_medication(store, record, now=journal.now(), note=note or None),
                resumed,
                lambda exc: self.notify(describe(exc), severity="error", markup=False),
            )

        dialog = ConfirmWithReason(question, label="What the doctor said (optional)", yes="Resume it", no="Keep paused")
        self.app.push_screen(dialog, resume)

    def action_stop_row(self) -> None:
        """Stop the medicine under the cursor (kept in the journal), or delete an allergy or condition; asks first."""
        from journal.tui.screens.dialogs import ConfirmDialog

        found = self._row()
        if found is None:
            return
        _table, record = found
        journal = self.journal
        if isinstance(record, m.Medication):
            if record.stopped:
                self.notify(f"{record.name} is already stopped.", markup=False)
                return
            from journal.application.medicines import stop_medication
            from journal.tui.screens.dialogs import ConfirmWithReason

            question = f"Stop {record.describe()} as of today? It stays in the journal's history."

            def stop(reason: str | None) -> None:
                if reason is None:
                    return
                today = journal.today()

                def stopped(_stopped: object) -> None:
                    self.notify(f"Stopped {record.name} as of {today.isoformat()}.", markup=False)
                    self.refresh_data()

                self.save_to_journal(
                    lambda store: stop_medication(store, record, on=today, now=journal.now(), reason=reason or None),
                    stopped,
                    lambda exc: self.notify(describe(exc), severity="error", markup=False),
                )

            dialog = ConfirmWithReason(question, label="Why it was stopped (optional)", yes="Stop it", no="Keep it")
            self.app.push_screen(dialog, stop)
            return

        def delete(yes: bool | None) -> None:
            if yes:
                self.save_to_journal(
                    lambda store: corrections.delete(store, record, now=journal.now()),
                    lambda _deleted: self.refresh_data(),
                    lambda exc: self.notify(describe(exc), severity="error", markup=False),
                )

        self.app.push_screen(
            ConfirmDialog(f"Delete {record.kind_label} {record.describe()}?", yes="Delete", no="Keep it"), delete
        )


class BoxDialog(JournalModal):
    """A box (or refill) received for a medicine: count, lot and expiry; dismisses with the box or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Cancel")]

    def __init__(self, medication: m.Medication) -> None:
        super().__init__(classes="dialog-screen")
        self.medication = medication

    def compose(self) -> ComposeResult:
        """Count (the pack's box size by default), lot, expiry."""
        pack = self.journal.pack(self.medication.pack)
        count = str(pack.supply.units_per_box) if pack else ""
        with Vertical(classes="dialog", id="box-dialog"):
            yield Static(lit(f"Box of {self.medication.name} received today"), classes="panel-title")
            with Horizontal(classes="form-row"):
                yield Field("How many", "box-count", value=count)
                yield Field("Lot", "box-lot")
                yield Field("Expires", "box-expires", placeholder="YYYY-MM-DD")
            yield Static("", classes="form-error", id="box-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save box", id="box-save", variant="primary", compact=True)

    def on_mount(self) -> None:
        """Start at the lot number."""
        self.query_one("#box-lot", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#box-save")
    def _save(self) -> None:
        from journal.application.supply import add_box

        journal = self.journal
        fields = {f.key: f for f in self.query(Field)}
        for field in fields.values():
            field.show_error(None)
        text = fields["box-count"].value.strip()
        try:
            count = int(text) if text else None
        except ValueError:
            fields["box-count"].show_error("How many should be a whole number.")
            return
        try:
            expires = journal.day(fields["box-expires"].value)
        except SAVE_ERRORS as exc:
            fields["box-expires"].show_error(describe(exc))
            return
        medication, lot = self.medication, fields["box-lot"].value or None

        def refused(exc: JournalError) -> None:
            name = {"count": "box-count", "lot": "box-lot", "expires": "box-expires"}.get(error_field(exc) or "")
            if name:
                fields[name].show_error(describe(exc))
            else:
                self.query_one("#box-error", Static).update(lit(describe(exc)))

        def added(box: m.SupplyBox) -> None:
            self.dismiss(box)

        self.save_to_journal(
            lambda store: add_box(
                store, medication, received=journal.today(), now=journal.now(), count=count, lot=lot, expires=expires
            ),
            added,
            refused,
        )
