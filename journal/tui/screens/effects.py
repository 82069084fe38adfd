"""Side effects: record one (type to filter the pack's symptoms and their synonyms), resolve, edit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from journal import models as m
from journal.application.effects import close_effect
from journal.content import Symptom, normalize
from journal.errors import JournalError
from journal.tui.screens.base import SAVE_ERRORS, JournalScreen, describe, lit
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.table import FitTable

if TYPE_CHECKING:
    from journal.application.effects import EffectResult
    from journal.application.opening import Store

TYPED = "__typed__"
SEVERITIES: list[tuple[str, str]] = [("Severity: not given", ""), *[(s.value, s.value) for s in m.Severity]]


def symptom_matches(symptoms: Iterable[Symptom], text: str) -> list[tuple[Symptom, str | None]]:
    """Symptoms whose label, key or a synonym contains `text`, with the synonym that matched."""
    needle = normalize(text)
    found: list[tuple[Symptom, str | None]] = []
    for symptom in symptoms:
        if not needle or needle in normalize(symptom.label) or needle in symptom.key.replace("-", " "):
            found.append((symptom, None))
            continue
        synonym = next((s for s in symptom.synonyms if needle in s), None)
        if synonym is not None:
            found.append((symptom, synonym))
    return found


class EffectsTable(FitTable):
    """The open side effects; its keys act on the row under the cursor (r and c as well as the screen's keys)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "screen.resolve", "Resolved", show=False),
        Binding("c", "screen.contacted", "Doctor contacted", show=False),
        Binding("e", "screen.edit", "Edit"),
    ]


class EffectsScreen(JournalScreen):
    """Record a side effect; the open ones below, to resolve or mark the doctor contacted."""

    TITLE_TEXT = "Side effects"
    HELP_FILE = "effects.md"
    # On the screen, not only on the list: shown in the footer at once and answered from the form too
    # (ctrl keys, since letters typed in the form are the symptom).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "resolve", "Resolved"),
        Binding("ctrl+t", "contacted", "Doctor contacted"),
        Binding("escape", "back", "Back"),
    ]

    def compose_body(self) -> Iterable[Widget]:
        """The form and the open side effects."""
        with Vertical(classes="form", id="effect-form"):
            yield Field("What do you feel? Type to filter; Enter saves", "symptom", placeholder="for example rash")
            yield OptionList(id="symptom-matches")
            with Horizontal(classes="form-row"):
                yield Select(SEVERITIES, value="", allow_blank=False, id="severity", compact=True)
                yield Field("Started (now, 08:30, yesterday)", "started", value="now")
            yield Field("Note", "effect-note")
            yield Static("", classes="form-error", id="effect-error")
            yield Button("Save side effect", id="effect-save", variant="primary", compact=True)
        yield Static(Text("Open side effects", style="bold"), classes="section-title")
        yield EffectsTable(id="open-effects", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Fill the list and focus the symptom."""
        table = self.query_one("#open-effects", DataTable)
        table.add_columns("Symptom", "Tier", "Severity", "Since", "Doctor")
        self._filter("")
        self.refresh_data()
        self.query_one("#symptom", Input).focus()

    def _symptoms(self) -> list[Symptom]:
        packs = self.journal.packs() or [p for p in [self.journal.main_pack()] if p]
        return [s for pack in packs for s in pack.side_effects.symptoms]

    def _filter(self, text: str) -> None:
        from journal.application.effects import triage_all

        options = self.query_one("#symptom-matches", OptionList)
        options.clear_options()
        items: list[Option] = []
        symptoms = self._symptoms()
        matches = symptom_matches(symptoms, text)
        packs = self.journal.packs() or [p for p in [self.journal.main_pack()] if p]
        verdict = triage_all(packs, text) if text.strip() else None
        if verdict is not None and verdict.symptom_key is not None:
            # First, and saved with the words as typed ("won't go away" and "hot" count): how the journal reads them.
            prompt = Text(verdict.label or "")
            prompt.append(" (as typed)", style="italic")
            urgent = verdict.action.value in ("emergency", "call-now")
            marker = "emergency" if verdict.action.value == "emergency" else verdict.tier.value
            prompt.append(f"  {marker}", style="bold red" if urgent else "italic")
            items.append(Option(prompt, id=f"typed:{verdict.symptom_key}"))
            matches = [(s, syn) for s, syn in matches if s.key != verdict.symptom_key]
        for symptom, synonym in matches:
            prompt = Text(symptom.label)
            if synonym:
                prompt.append(f" ({synonym})", style="italic")
            prompt.append(f"  {symptom.tier.value}", style="bold red" if symptom.tier.value == "serious" else "italic")
            items.append(Option(prompt, id=f"pack:{symptom.key}"))
        if text.strip():
            items.append(Option(Text.assemble("Use as typed: ", (text.strip(), "italic")), id=TYPED))
        options.add_options(items)
        if items:
            options.highlighted = 0

    @on(Input.Changed, "#symptom")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def on_key(self, event: object) -> None:
        """Up and down in the symptom box move through the matches."""
        from textual import events

        if not isinstance(event, events.Key) or self.focused is not self.query_one("#symptom", Input):
            return
        options = self.query_one("#symptom-matches", OptionList)
        if event.key in ("down", "up") and options.option_count:
            current = options.highlighted or 0
            step = 1 if event.key == "down" else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))
            event.stop()

    def _option_text(self, index: int | None) -> str:
        typed = self.query_one("#symptom", Input).value.strip()
        options = self.query_one("#symptom-matches", OptionList)
        if index is None or not options.option_count:
            return typed
        option = options.get_option_at_index(index)
        if not (option.id or "").startswith("pack:"):
            return typed
        key = (option.id or "").removeprefix("pack:")
        return next((s.label for s in self._symptoms() if s.key == key), typed)

    @on(OptionList.OptionSelected, "#symptom-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._save(self._option_text(event.option_index))

    @on(Input.Submitted, "#symptom, #started, #effect-note")
    @on(Button.Pressed, "#effect-save")
    def _submitted(self) -> None:
        typed = self.query_one("#symptom", Input).value.strip()
        # With nothing typed, Enter must not record whatever happens to be highlighted.
        self._save(self._option_text(self.query_one("#symptom-matches", OptionList).highlighted) if typed else "")

    def _save(self, text: str) -> None:
        """Triage and record the side effect; a serious one opens the call-your-doctor dialog."""
        from journal.application.effects import record_side_effect

        journal = self.journal
        self.clear_errors()
        values = self.form_values("started", "effect-note")
        if not text:
            self.query_one("#field-symptom", Field).show_error("Type what you feel, or pick it from the list.")
            self.query_one("#symptom", Input).focus()
            return
        try:
            at = journal.when(values["started"])
        except SAVE_ERRORS as exc:
            self.query_one("#field-started", Field).show_error(describe(exc))
            return
        severity = self.query_one("#severity", Select).value

        def record(store: Store) -> EffectResult:
            return record_side_effect(
                store,
                text,
                at=at,
                zone=journal.zone,
                now=journal.now(),
                severity=str(severity) if severity else None,
                note=values["effect-note"] or None,
            )

        def failed(exc: JournalError) -> None:
            self.show_save_error(
                exc, aliases={"symptom": "symptom", "started_at": "started", "note": "effect-note"}, form="effect"
            )

        self.save_to_journal(record, self._recorded, failed)

    def _recorded(self, result: EffectResult) -> None:
        triage = result.triage
        self.query_one("#symptom", Input).value = ""
        self.query_one("#field-effect-note", Field).entry.value = ""
        self.refresh_data()
        if triage.action.value in ("emergency", "call-now"):
            from journal.tui.screens.dialogs import CallDoctorDialog

            profile = self.journal.store.profile()
            title = "GET EMERGENCY HELP NOW" if triage.action.value == "emergency" else "CALL YOUR DOCTOR NOW"
            self.app.push_screen(
                CallDoctorDialog(result.effect.symptom, triage.advice, profile.doctor if profile else None, title=title)
            )
        else:
            stays = " It stays as an alert on Today until you mark it resolved." if triage.tier is m.Tier.OTHER else ""
            # The advice stays beside the form; the toast, over the screen's first lines, is one line.
            said = self.query_one("#effect-error", Static)
            understood = f" {triage.understood_line}" if triage.understood_line else ""
            said.update(lit(f"Recorded. {triage.headline}{understood} {triage.advice}{stays}"))
            said.add_class("-warn" if stays else "-ok")
            self.app.notify("Side effect recorded: the advice is under the form.", markup=False, timeout=4)
        self.query_one("#symptom", Input).focus()

    def refresh_data(self) -> None:
        """Read the open side effects again."""
        table = self.query_one("#open-effects", DataTable)
        table.clear()
        effects = sorted(self.journal.store.open_side_effects(), key=lambda e: e.tier is not m.Tier.SERIOUS)
        for effect in effects:
            tier = Text(effect.tier.value.upper() if effect.tier is m.Tier.SERIOUS else effect.tier.value)
            if effect.tier is m.Tier.SERIOUS:
                tier.stylize("bold red")
            table.add_row(
                lit(effect.symptom),
                tier,
                lit(effect.severity.value if effect.severity else ""),
                lit(self.journal.local(effect.started_at, effect.tz)),
                lit("contacted" if effect.doctor_contacted_at else ""),
                key=effect.id,
            )

    def _current(self) -> m.SideEffect | None:
        """The side effect the key is for: the one under the list's cursor, or the only one open."""
        table = self.query_one("#open-effects", DataTable)
        if not table.row_count:
            self.notify("No open side effect to choose.", severity="warning")
            return None
        if table.row_count > 1 and self.focused is not table:
            # Pressed in the form: which one is meant is not on show yet.
            table.focus()
            self.notify("Choose the side effect in the list (Up, Down), then press the key again.", timeout=6)
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.journal.store.get(m.SideEffect, str(key))

    def action_resolve(self) -> None:
        """Mark the side effect under the cursor as resolved now."""
        effect = self._current()
        if effect is None:
            return
        now = self.journal.now()
        self._close_effect(
            lambda store: close_effect(store, effect, now=now, resolved=True), f"{effect.symptom}: marked resolved."
        )

    def action_contacted(self) -> None:
        """Record that the doctor was contacted about the side effect under the cursor (closes its alert)."""
        effect = self._current()
        if effect is None:
            return
        now = self.journal.now()
        self._close_effect(
            lambda store: close_effect(store, effect, now=now, contacted=True), f"{effect.symptom}: doctor contacted."
        )

    def _close_effect(self, write: Callable[[Store], object], said: str) -> None:
        """Write the change (through journal.application.effects.close_effect) and say what was done."""

        def done(_saved: object) -> None:
            self.notify(said, markup=False)
            self.refresh_data()

        self.save_to_journal(write, done, lambda exc: self.notify(describe(exc), severity="error", markup=False))

    def action_edit(self) -> None:
        """Edit the side effect under the cursor."""
        from journal.tui.screens.edit import EditRecordDialog

        effect = self._current()
        if effect is not None:
            self.app.push_screen(EditRecordDialog(effect), lambda _saved: self.refresh_data())
