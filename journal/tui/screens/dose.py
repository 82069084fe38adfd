"""Log a dose: check the syringe, pick the site on the body map, confirm. Or skip, with a reason.

With the defaults, `d` then Enter three times logs a normal dose: clear syringe, the
suggested spot, now, given by yourself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, ContentSwitcher, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from journal import models as m
from journal.content import Pack, Verdict
from journal.errors import JournalError
from journal.tui import messages
from journal.tui.screens.base import SAVE_ERRORS, JournalScreen, lit
from journal.tui.widgets.bodymap import BodyMap
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.toggles import Tick

if TYPE_CHECKING:
    from journal.application.doses import DoseChoice, DoseResult, ExtraDoseError
    from journal.application.opening import Store
    from journal.tui.context import Journal

STEPS = ("step-check", "step-site", "step-confirm")


class AppearanceList(OptionList):
    """How the syringe looks. Up on the first choice stays there: wrapping round would land on the last, a discard."""

    def action_cursor_up(self) -> None:
        """The choice above, if there is one."""
        if self.highlighted:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        """The choice below, if there is one."""
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()


def medicines_due(journal: Journal) -> list[m.Medication]:
    """The medicines `d` may log a dose of without asking: the only one tracked, or those due now."""
    from journal.application.doses import open_now

    tracked = journal.tracked()
    if len(tracked) < 2:
        return tracked
    return open_now(journal.store, tracked, now=journal.now(), zone=journal.zone)


def medicine_for_dose(journal: Journal) -> m.Medication | None:
    """The medicine `d` logs a dose of when there is no choice to make: the only one due now, else the
    first tracked when none is (its extra-dose question follows); None when two or more are due (ask)."""
    due = medicines_due(journal)
    if len(due) == 1:
        return due[0]
    if due:
        return None
    tracked = journal.tracked()
    return tracked[0] if tracked else None


def active_medicines(journal: Journal) -> list[m.Medication]:
    """Every medicine on the list today (tracked or not): any of them may be logged from the dose screen."""
    return journal.store.medications(on=journal.today())


def choice_label(choice: DoseChoice, journal: Journal) -> str:
    """'anakinra 100 mg · OVERDUE since 08:00': a medicine in the chooser, with its state now."""
    from journal.when import format_near

    def near(moment: datetime | None) -> str:
        return format_near(moment, journal.zone, now=journal.now()).removeprefix("today ") if moment else ""

    part = f", dose {choice.part[0]} of {choice.part[1]}" if choice.part else ""
    # The states by their values (regimen.State is a StrEnum): the screen reads them through the application.
    words = {
        "overdue": f"OVERDUE since {near(choice.due_at)}{part}",
        "due": f"due {near(choice.due_at)}{part}",
        "taken": f"taken {near(choice.taken_at)}",
        "skipped": "skipped",
        "not_due": f"next {near(choice.next_at)}{part}" if choice.next_at else "nothing due",
        "as_needed": "as needed",
        "paused": "PAUSED: ask your doctor first",
    }.get(str(choice.state or ""), "no schedule")
    return f"{choice.medication.describe()} · {words}"


class DoseScreen(JournalScreen):
    """The dose flow for the (first) tracked medicine."""

    TITLE_TEXT = "Log a dose"
    HELP_FILE = "dose.md"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("i,f4", "steps", "Injection steps"),
        Binding("k", "skip", "Skip dose"),
        Binding("o", "others", "Someone else injects"),
        Binding("n", "next_medicine", "Next medicine", show=False),
    ]

    def __init__(self, medication_id: str | None = None) -> None:
        super().__init__()
        self.medication_id = medication_id
        self.med: m.Medication | None = None
        self.pack: Pack | None = None
        self.appearance: m.Appearance = m.Appearance.CLEAR
        self.foamy = False
        self.waited: int | None = None
        self.site: str | None = None
        self.given_by = m.GivenBy.SELF
        # Asked and answered: a dose more than the schedule allows is taken on purpose.
        self.extra_confirmed = False
        self._uses: list[object] = []
        self._blocked: frozenset[str] = frozenset()
        self._shown = False
        # The chooser's medicines, in its order (those a dose now counts for first).
        self._choices: list[str] = []

    # --- building ----------------------------------------------------------------------

    def _choose_medicine(self) -> None:
        journal = self.journal
        if self.medication_id is None:
            chosen = medicine_for_dose(journal)
        else:
            chosen = next((med for med in active_medicines(journal) if med.id == self.medication_id), None)
        self.med = chosen
        self.pack = journal.pack(chosen.pack) if chosen and chosen.injected else None

    def compose_body(self) -> Iterable[Widget]:
        """The steps; only the current one is shown."""
        self._choose_medicine()
        med, pack = self.med, self.pack
        if med is None:
            yield Static(
                Text("No medicine is tracked daily yet. Press Escape, then w on Today to set one up."),
                classes="hint",
                id="no-medicine",
            )
            return
        yield from self._chooser(med)
        from journal.application.doses import amount_of

        amount = amount_of(self.journal.store, med, self.journal.now(), zone=self.journal.zone)
        if amount:
            yield Static(lit(f"This dose: {amount}, as its schedule says."), classes="hint", id="dose-amount")
        steps = pack.steps if pack else ()
        panel = Static(
            Text("\n").join(Text(f"{n}. {step}") for n, step in enumerate(steps, 1))
            if steps
            else Text("No injection steps for this medicine: follow what your nurse or pharmacist showed you."),
            id="injection-steps",
            classes="advice",
        )
        panel.display = False
        yield panel
        # The first step is built now; the others when first entered (`_ready`): a quarter of the
        # widgets to style and lay out before the form is drawn, for `d` (docs/performance.md).
        first = "step-check" if med.injected else "step-confirm"
        with ContentSwitcher(initial=first, id="dose-steps"):
            with Vertical(id="step-check"):
                from journal.application.packs import first_use_advice

                first_use = first_use_advice(self.journal.store, med, pack)
                if first_use:
                    yield Static(lit(f"First dose: {first_use}"), classes="advice -warning", id="first-use")
                hint = pack.inspection.do_not_shake + " " if pack else ""
                yield Static(Text(f"1 of 3  Check the syringe. {hint}How does the solution look?"), classes="advice")
                yield AppearanceList(*self._appearance_options(), id="appearance")
                yield Static("", id="check-advice", classes="advice")
                waited = Field("Minutes it sat until it cleared", "waited", placeholder="whole minutes")
                waited.display = False
                yield waited
            for step in ("step-site", "step-confirm", "step-skip"):
                yield VerticalScroll(*(self._step_widgets(step) if step == first else ()), id=step)

    def _chooser(self, med: m.Medication) -> Iterable[Widget]:
        """The medicine chooser: every active medicine with its state now, those due first; choosing another
        opens its dose (nothing is recorded until Save)."""
        from journal.application.doses import dose_choices

        journal = self.journal
        choices = dose_choices(journal.store, active_medicines(journal), now=journal.now(), zone=journal.zone)
        if all(choice.medication.id != med.id for choice in choices):  # not on today's list (started later, say)
            choices = []
        self._choices = [choice.medication.id for choice in choices]
        options = [(Text(choice_label(choice, journal)), choice.medication.id) for choice in choices]
        with Horizontal(id="dose-medicine-row"):
            yield Static(Text("Medicine"), classes="hint")
            if options:
                yield Select(options, value=med.id, allow_blank=False, compact=True, id="dose-medicine")
            else:
                yield Static(lit(med.describe()), id="dose-medicine-only")

    @on(Select.Changed, "#dose-medicine")
    def _medicine_chosen(self, event: Select.Changed) -> None:
        """Another medicine chosen: its own dose flow, in place of this one."""
        if self.med is not None and isinstance(event.value, str) and event.value != self.med.id:
            self._open_medicine(event.value)

    def _open_medicine(self, medication_id: str) -> None:
        self.dismiss()
        self.app.push_screen(DoseScreen(medication_id))

    def _step_widgets(self, step: str) -> list[Widget]:
        """What the step `step` (site, confirm or skip) holds."""
        pack = self.pack
        if step == "step-site":
            widgets: list[Widget] = [
                Static(Text("2 of 3  Where? (o: someone else injects, which adds arms and buttocks)"), classes="advice")
            ]
            if pack is not None and pack.sites.avoid:
                from journal.application.doses import avoid_advice

                widgets.append(Static(lit(avoid_advice(pack)), classes="hint", id="site-avoid"))
            if pack is not None:
                widgets += [
                    BodyMap(pack, id="body-map"),
                    Static(Text("★ suggested  × last time  [ ] chosen: arrows or mouse, Enter to use"), classes="hint"),
                ]
            else:
                widgets.append(Field("Site (free text)", "site", placeholder="for example left thigh"))
            return [*widgets, Button("Use this spot", id="use-spot", variant="primary", compact=True)]
        if step == "step-confirm":
            # What to do with the syringe afterwards is said here, before Save, rather than in the
            # toast after it, which would wrap over Today's first card for its six seconds.
            disposal = pack.supply.disposal if pack is not None and self.med is not None and self.med.injected else None
            return [
                Static("", id="confirm-summary", classes="advice"),
                Static("", id="site-warnings", classes="warnings"),
                Field("When (now, 08:30, yesterday 21:00)", "time", value="now"),
                Tick("Given by someone else", id="given-by-other", compact=True),
                Tick("Some solution was left in the syringe (never inject it again)", id="leftover", compact=True),
                Field("Note", "note"),
                Static("", classes="form-error", id="confirm-error"),
                Horizontal(Button("Save dose", id="save", variant="success", compact=True), classes="buttons"),
                *([Static(lit(f"After the injection: {disposal}"), classes="hint", id="disposal")] if disposal else []),
            ]
        return [
            Static(Text("Skip today's dose: say why (it helps your doctor)."), classes="advice"),
            Field("Reason", "reason", placeholder="why the dose is skipped"),
            Field("When", "skip-time", value="now"),
            Static("", classes="form-error", id="skip-error"),
            Horizontal(
                Button("Record skipped dose", id="save-skip", variant="warning", compact=True), classes="buttons"
            ),
        ]

    async def _ready(self, step: str) -> None:
        """Build the step `step` the first time it is entered."""
        holder = self.query_one(f"#{step}", VerticalScroll)
        if not holder.children:
            await holder.mount_all(self._step_widgets(step))

    def _appearance_options(self) -> list[Option]:
        if self.pack is not None:
            return [Option(Text(a.label), id=a.key) for a in self.pack.inspection.appearances]
        return [Option(Text(a.value.capitalize()), id=a.value) for a in m.Appearance]

    def on_screen_resume(self) -> None:
        """Set the form up when first shown (coming back from a dialog over it does not again)."""
        if self.med is not None and not self._shown:
            self._shown = True
            self.call_later(self._first_shown)

    async def _first_shown(self) -> None:
        """Start at the syringe check with Clear highlighted (a medicine that is not injected: at the
        confirm step); if a dose now would be more than the schedule allows, ask whether it is an
        extra one, before anything is written."""
        assert self.med is not None
        if not self.med.injected:
            self.query_one("#leftover", Checkbox).display = False
            await self._enter_confirm_step()
        else:
            options = self.query_one("#appearance", OptionList)
            options.highlighted = 0
            options.focus()
        from journal.application.doses import ExtraDoseError, refuse_extra

        try:
            now = self.journal.now()
            refuse_extra(self.journal.store, self.med, at=now, zone=self.journal.zone, now=now)
        except ExtraDoseError as exc:
            self._ask_extra(exc, then=None)

    def _ask_extra(self, refusal: ExtraDoseError, then: Callable[[], None] | None) -> None:
        """Ask whether the dose `refusal` refused is an extra one, taken on purpose; a no closes the flow."""
        from journal.tui.screens.dialogs import ConfirmDialog

        reason = refusal.reason

        def answered(yes: bool | None) -> None:
            if not yes:
                self.dismiss()
                return
            self.extra_confirmed = True
            if then is not None:
                then()

        question = f"{reason}. Is this an extra dose, taken on purpose? (Nothing is recorded yet.)"
        self.app.push_screen(ConfirmDialog(question, yes="Yes, an extra dose", no="No, go back"), answered)

    # --- helpers -----------------------------------------------------------------------

    def _go(self, step: str) -> None:
        self.query_one("#dose-steps", ContentSwitcher).current = step
        if step == "step-check":
            self.query_one("#appearance", OptionList).focus()
        elif step == "step-site":
            target = self.query("#body-map") or self.query("#site")
            target.first().focus()
        elif step == "step-confirm":
            self.query_one("#time", Input).focus()
        elif step == "step-skip":
            self.query_one("#reason", Input).focus()

    @property
    def step(self) -> str:
        """The step on show."""
        return str(self.query_one("#dose-steps", ContentSwitcher).current)

    def _advice(self, widget_id: str, text: str, kind: str) -> None:
        widget = self.query_one(widget_id, Static)
        widget.update(lit(text))
        for name in ("-danger", "-warning", "-ok"):
            widget.set_class(name == f"-{kind}", name)

    def _site_context(self) -> None:
        from journal.application.doses import site_context

        if self.med is None or self.pack is None:
            return
        uses, blocked = site_context(self.journal.store, self.med, self.pack)
        self._uses, self._blocked = list(uses), blocked

    def _suggest(self) -> str | None:
        from journal.application.doses import suggest_spot

        if self.pack is None:
            return None
        spot = suggest_spot(self.pack, self._uses, given_by=self.given_by, blocked=self._blocked)  # type: ignore[arg-type]
        return spot.id if spot else None

    # --- step 1: the syringe -------------------------------------------------------------

    @on(OptionList.OptionSelected, "#appearance")
    async def _checked(self, event: OptionList.OptionSelected) -> None:
        from journal.application.doses import inspect_syringe

        look = m.Appearance(event.option.id or "clear")
        verdict = inspect_syringe(self.pack, look, waited_minutes=1).verdict
        if verdict is Verdict.WAIT:
            self.foamy = True
            self.appearance = look
            advice = self.pack.appearance(look.value).advice if self.pack else "Let it sit until it clears."
            self._advice(
                "#check-advice",
                f"{advice} When it looks clear, type how many minutes it sat and press Enter (or choose Clear). "
                "(Nothing is recorded yet.)",
                "warning",
            )
            field = self.query_one("#field-waited", Field)
            field.display = True
            self.query_one("#waited", Input).focus()
            return
        if verdict is Verdict.DISCARD:
            self._ask_discard(look)
            return
        if self.foamy:
            await self._cleared()
            return
        self.appearance = look
        await self._enter_site_step()

    @on(Input.Submitted, "#waited")
    async def _cleared(self) -> None:
        """A foamy syringe has cleared: the minutes it sat are the ones the person gives."""
        field = self.query_one("#field-waited", Field)
        typed = field.value.strip()
        if not typed.isdigit() or not 1 <= int(typed) <= 240:
            field.show_error("Say how many minutes it sat until it cleared: a whole number from 1 to 240.")
            self.query_one("#waited", Input).focus()
            return
        field.show_error(None)
        self.waited = int(typed)
        self.appearance = m.Appearance.FOAMY
        await self._enter_site_step()

    def _ask_discard(self, look: m.Appearance) -> None:
        """A syringe that must not be used: record it as discarded only once the person says so."""
        from journal.tui.screens.dialogs import ConfirmDialog

        chosen = self.pack.appearance(look.value) if self.pack else None
        label = chosen.label if chosen else look.value.capitalize()
        advice = f" {chosen.advice}" if chosen else ""

        def answered(yes: bool | None) -> None:
            if yes:
                self._discard(look)
            else:
                self._advice("#check-advice", "Nothing was recorded. Check the syringe and choose again.", "ok")
                self.query_one("#appearance", OptionList).focus()

        question = (
            f'You chose "{label}".{advice} Record this syringe as discarded (one fewer in your supply)? '
            "Nothing is recorded yet."
        )
        self.app.push_screen(ConfirmDialog(question, yes="Discard it", no="Go back"), answered)

    def _discard(self, look: m.Appearance) -> None:
        from journal.application.doses import record_dose

        assert self.med is not None
        journal, med = self.journal, self.med

        def refused(exc: JournalError) -> None:
            from journal.tui.screens.base import describe

            self._advice("#check-advice", f"Not recorded: {describe(exc)}", "danger")

        self.save_to_journal(
            lambda store: record_dose(
                store, med, at=journal.now(), zone=journal.zone, now=journal.now(), appearance=look, waited_minutes=None
            ),
            self._discarded,
            refused,
        )

    def _discarded(self, result: DoseResult) -> None:
        advice = result.inspection.advice if result.inspection else "Do not use it."
        disposal = f" {result.disposal}" if result.disposal else ""
        self._advice(
            "#check-advice",
            f"DO NOT USE THIS SYRINGE. {advice}{disposal} It was recorded as discarded (one fewer in your supply); "
            "no dose was recorded. Start again with a new syringe: check it and choose below.",
            "danger",
        )
        self.foamy = False
        self.waited = None
        self.query_one("#field-waited", Field).display = False
        self.appearance = m.Appearance.CLEAR
        self.query_one("#appearance", OptionList).highlighted = 0

    # --- step 2: the site --------------------------------------------------------------

    async def _enter_site_step(self) -> None:
        await self._ready("step-site")
        self._site_context()
        if self.pack is not None:
            body = self.query_one(BodyMap)
            last = self._uses[0].spot if self._uses else None  # type: ignore[attr-defined]
            body.last = last
            body.blocked = self._blocked
            body.set_others_inject(self.given_by is m.GivenBy.OTHER, self._suggest())
        self._go("step-site")

    def action_others(self) -> None:
        """Someone else gives the injection: arms and buttocks become available (press again to undo)."""
        if self.med is None or self.step not in ("step-site", "step-check"):
            return
        self.given_by = m.GivenBy.SELF if self.given_by is m.GivenBy.OTHER else m.GivenBy.OTHER
        who = "someone else" if self.given_by is m.GivenBy.OTHER else "you"
        self.notify(f"Given by {who}.", timeout=2)
        if self.pack is not None and self.query("#body-map"):
            body = self.query_one(BodyMap)
            body.suggested = None
            body.set_others_inject(self.given_by is m.GivenBy.OTHER, self._suggest())

    @on(BodyMap.Chosen)
    async def _spot_chosen(self, event: BodyMap.Chosen) -> None:
        self.site = event.spot
        await self._enter_confirm_step()

    @on(Button.Pressed, "#use-spot")
    async def _use_spot(self) -> None:
        if self.pack is not None:
            self.site = self.query_one(BodyMap).selected
        else:
            self.site = self.query_one("#field-site", Field).value.strip() or None
        await self._enter_confirm_step()

    @on(Input.Submitted, "#site")
    async def _site_typed(self) -> None:
        await self._use_spot()

    async def _enter_confirm_step(self) -> None:
        from journal.application.doses import site_warnings, spot_label

        assert self.med is not None
        await self._ready("step-confirm")
        parts = []
        if self.med.injected:
            parts.append(f"Syringe: {self.appearance.value}" + (f" (waited {self.waited} min)" if self.waited else ""))
            label = spot_label(self.pack, self.site) if self.pack and self.site else self.site
            parts.append(f"Site: {label or 'not recorded'}")
        # Who gives it is the box below, which can still change: not repeated here.
        step = "3 of 3  " if self.med.injected else ""
        self.query_one("#confirm-summary", Static).update(lit(step + "   ".join(parts)))
        warnings: list[str] = []
        if self.pack and self.site:
            try:
                spot = self.pack.sites.spot(self.site)
                warnings = site_warnings(self.pack, spot, self._uses, blocked=self._blocked)  # type: ignore[arg-type]
            except ValueError:
                warnings = []
        self.query_one("#site-warnings", Static).update(lit("\n".join(f"! {w}" for w in warnings)))
        self.query_one("#given-by-other", Checkbox).value = self.given_by is m.GivenBy.OTHER
        self._go("step-confirm")

    # --- step 3: confirm ---------------------------------------------------------------

    @on(Input.Submitted, "#time, #note")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self._record(extra=False)

    def _record(self, *, extra: bool) -> None:
        """Save the dose; one the schedule does not allow is saved as `extra` once the person said it is one.

        The store's use case refuses a dose beyond the schedule (ExtraDoseError) before it writes
        anything: the question is asked then, not checked twice on every save.
        """
        from journal.application.doses import ExtraDoseError, record_dose

        assert self.med is not None
        journal = self.journal
        values = self.form_values("time", "note")
        self.clear_errors()
        try:
            at = journal.when(values["time"])
        except SAVE_ERRORS as exc:
            self.query_one("#field-time", Field).show_error(self._sentence(exc))
            return
        injected = self.med.injected
        given_by = m.GivenBy.OTHER if self.query_one("#given-by-other", Checkbox).value else m.GivenBy.SELF
        leftover = self.query_one("#leftover", Checkbox).value and injected
        med = self.med

        def record(store: Store) -> DoseResult:
            return record_dose(
                store,
                med,
                at=at,
                zone=journal.zone,
                now=journal.now(),
                appearance=self.appearance if injected else None,
                waited_minutes=self.waited,
                site=self.site if injected else None,
                given_by=given_by,
                leftover=leftover,
                note=values["note"] or None,
                extra=extra,
            )

        def failed(exc: JournalError) -> None:
            if isinstance(exc, ExtraDoseError) and not extra:
                if self.extra_confirmed:
                    self._record(extra=True)
                else:
                    self._ask_extra(exc, then=lambda: self._record(extra=True))
                return
            self.show_save_error(exc, aliases={"at": "time"}, form="confirm")

        self.save_to_journal(record, lambda result: self._saved(result, at), failed)

    def _saved(self, result: DoseResult, at: datetime) -> None:
        assert self.med is not None
        if result.dose is None:
            self._advice("#confirm-error", "The syringe was discarded; no dose was recorded.", "danger")
            return
        where = f", {result.site_label}" if result.site_label else ""
        # The disposal advice was on the confirm step: the toast stays one line unless there is more to say.
        extra = [
            *([messages.no_free_spot()] if result.no_free_spot else []),
            *result.warnings,
            *([result.leftover_advice] if result.leftover_advice else []),
        ]
        message = f"Recorded {self.med.name} at {self.journal.local(at)[-5:]}{where}." + "".join(f" {w}" for w in extra)
        self.app.notify(message, markup=False, timeout=6)
        self.dismiss()

    @staticmethod
    def _sentence(exc: JournalError) -> str:
        from journal.tui.screens.base import describe

        return describe(exc)

    # --- skip --------------------------------------------------------------------------

    async def action_skip(self) -> None:
        """Record that today's dose is skipped, with a reason."""
        if self.med is not None:
            await self._ready("step-skip")
            self._go("step-skip")

    @on(Input.Submitted, "#reason, #skip-time")
    @on(Button.Pressed, "#save-skip")
    def _save_skip(self) -> None:
        assert self.med is not None
        journal = self.journal
        values = self.form_values("reason", "skip-time")
        self.clear_errors()
        if not values["reason"].strip():
            self.query_one("#field-reason", Field).show_error("Say why the dose is skipped.")
            self.query_one("#reason", Input).focus()
            return
        try:
            at = journal.when(values["skip-time"])
        except SAVE_ERRORS as exc:
            self.query_one("#field-skip-time", Field).show_error(self._sentence(exc))
            return
        from journal.application.doses import record_skip

        med, name, reason = self.med, self.med.name, values["reason"]

        def skipped(_dose: m.Dose) -> None:
            self.app.notify(f"Recorded a skipped {name} dose.", markup=False)
            self.dismiss()

        self.save_to_journal(
            lambda store: record_skip(store, med, at=at, zone=journal.zone, now=journal.now(), reason=reason),
            skipped,
            lambda exc: self.show_save_error(exc, aliases={"at": "skip-time"}, form="skip"),
        )

    # --- everywhere in the flow --------------------------------------------------------

    def action_steps(self) -> None:
        """Show or hide the injection steps from the content pack."""
        panel = self.query("#injection-steps")
        if panel:
            widget = panel.first()
            widget.display = not widget.display

    def action_next_medicine(self) -> None:
        """Log a dose of the next medicine of the chooser instead."""
        order = self._choices
        if len(order) < 2 or self.med is None or self.med.id not in order:
            return
        self._open_medicine(order[(order.index(self.med.id) + 1) % len(order)])

    def action_back(self) -> None:
        """One step back; from the first step, back to Today."""
        if self.close_reference():
            return
        if self.med is None:
            self.dismiss()
            return
        step = self.step
        if step == "step-confirm" and not self.med.injected:
            self.dismiss()
        elif step == "step-confirm":
            self._go("step-site")
        elif step in ("step-site", "step-skip"):
            self._go("step-check")
        else:
            self.dismiss()
