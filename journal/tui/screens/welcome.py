"""First run: the profile, the medicine to track (from a content pack), its usual time and the first box.

Everything is optional and the whole welcome can be skipped (Escape) and opened later
with `w` on Today.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static

from journal.application.opening import Store
from journal.errors import JournalError
from journal.tui.screens.base import SAVE_ERRORS, JournalScreen, describe, lit
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.toggles import Tick

NO_PACK = "none"
PROFILE_KEYS = ("name", "emergency_contact", "doctor", "pharmacy")


class WelcomeScreen(JournalScreen):
    """A short form; Enter in any box saves it all, Escape skips."""

    TITLE_TEXT = "Welcome to medjournal"
    HELP_FILE = "welcome.md"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "skip", "Skip for now"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def compose_body(self) -> Iterable[Widget]:
        """Profile, medicine, first box."""
        journal = self.journal
        packs = [(journal.pack(k), k) for k in journal.pack_keys()]
        options: list[tuple[str, str]] = [(p.medication.display_name, k) for p, k in packs if p is not None]
        options.append(("No medicine to track yet", NO_PACK))
        profile = journal.store.profile()
        with VerticalScroll(classes="form", id="welcome-form"):
            yield Static(
                Text(
                    "A private journal of your treatment, kept on this computer. Fill in what you like; "
                    "Enter saves, Escape skips (w on Today brings this back)."
                ),
                classes="hint",
            )
            # Set-up run again (w): first, what it already recorded.
            existing = self._existing()
            if existing:
                yield Static(lit(existing), classes="advice -warning", id="welcome-existing")
            first = packs[0][0] if packs else None
            if first is not None:
                yield Static(Text(first.source.notice), classes="hint", id="welcome-source")
            yield Static(Text("You", style="bold"), classes="section-title")
            with Horizontal(classes="form-row"):
                yield Field("Name", "welcome-name", value=(profile.name or "") if profile else "")
                born = profile.born.isoformat() if profile and profile.born else ""
                yield Field("Born", "welcome-born", value=born, placeholder="YYYY-MM-DD")
            yield Field(
                "Emergency contact",
                "welcome-emergency_contact",
                value=(profile.emergency_contact or "") if profile else "",
                placeholder="name and phone",
            )
            with Horizontal(classes="form-row"):
                yield Field("Doctor", "welcome-doctor", value=(profile.doctor or "") if profile else "")
                yield Field("Pharmacy", "welcome-pharmacy", value=(profile.pharmacy or "") if profile else "")
            yield Static(Text("The medicine you inject every day", style="bold"), classes="section-title")
            with Horizontal(classes="form-row"):
                yield Select(options, value=options[0][1], allow_blank=False, id="welcome-pack", compact=True)
                # Running set-up again keeps the time already set, rather than putting 08:00 back.
                tracked = journal.store.tracked_medications()
                usual = next((med.usual_time for med in tracked if med.usual_time), None)
                yield Field("Usual time", "welcome-time", value=usual or "08:00")
            yield Static(self._first_use(options[0][1]), classes="advice", id="welcome-first-use")
            yield Static(Text("A new box" if existing else "Your first box", style="bold"), classes="section-title")
            with Horizontal(classes="form-row"):
                # Never ticked by itself: saving again must not add a box no one received.
                yield Tick("Record a box now", value=False, id="welcome-box", compact=True)
                yield Field("Lot", "welcome-lot")
                yield Field("Expires", "welcome-expires", placeholder="YYYY-MM-DD")
            yield Static("", classes="form-error", id="welcome-error")
            with Horizontal(classes="buttons"):
                yield Button("Save and start", id="welcome-save", variant="success", compact=True)
                yield Button("Skip for now", id="welcome-skip", compact=True)

    def _existing(self) -> str:
        """What set-up already recorded (the medicine it sets up, its boxes), said when it runs again."""
        store = self.journal.store
        parts: list[str] = []
        for med in store.tracked_medications():
            if med.pack is None:
                continue  # set-up is about the medicine with a guide; the others are on Medicines (m)
            boxes = [b for b in store.boxes(med.id) if b.discarded_at is None]
            time = f", usually at {med.usual_time}" if med.usual_time else ""
            if boxes:
                latest = max(boxes, key=lambda b: b.received)
                count = f"{len(boxes)} box{'es' if len(boxes) != 1 else ''}"
                said = f"{med.name} is set up{time}; {count} recorded, the latest received {latest.received}."
            else:
                said = f"{med.name} is set up{time}; no box is recorded yet."
            parts.append(said)
        if not parts:
            return ""
        ticked = ' Saving adds a box only if "Record a box now" is ticked.'
        return "Already in your journal: " + " ".join(parts) + ticked

    @on(Input.Changed, "#welcome-lot, #welcome-expires")
    def _box_typed(self, event: Input.Changed) -> None:
        """Typing a lot or an expiry date means a box is to be recorded: tick it (it can be unticked)."""
        if event.value.strip():
            self.query_one("#welcome-box", Checkbox).value = True

    def _first_use(self, key: str) -> Text:
        pack = self.journal.pack(key) if key != NO_PACK else None
        return Text(pack.supply.first_use if pack else "")

    @on(Select.Changed, "#welcome-pack")
    def _pack_chosen(self, event: Select.Changed) -> None:
        self.query_one("#welcome-first-use", Static).update(self._first_use(str(event.value)))

    def on_mount(self) -> None:
        """Start with the name."""
        self.query_one("#welcome-name", Input).focus()

    def action_skip(self) -> None:
        """Close the reference panel if it is open, else the welcome, without saving."""
        if not self.close_reference():
            self.dismiss()

    @on(Button.Pressed, "#welcome-skip")
    def _skip(self) -> None:
        self.dismiss()

    @on(Input.Submitted)
    @on(Button.Pressed, "#welcome-save")
    def action_save(self) -> None:
        """Save the profile, the tracked medicine and the first box in one transaction."""
        journal = self.journal
        self.clear_errors()
        keys = (*PROFILE_KEYS, "born", "time", "lot", "expires")
        values = self.form_values(*(f"welcome-{k}" for k in keys))
        try:
            born = journal.day(values["welcome-born"])
        except SAVE_ERRORS as exc:
            self.query_one("#field-welcome-born", Field).show_error(describe(exc))
            return
        try:
            expires = journal.day(values["welcome-expires"])
        except SAVE_ERRORS as exc:
            self.query_one("#field-welcome-expires", Field).show_error(describe(exc))
            return
        profile: dict[str, Any] = {k: values[f"welcome-{k}"] for k in PROFILE_KEYS}
        profile["born"] = born
        key = str(self.query_one("#welcome-pack", Select).value)
        pack = journal.pack(key) if key != NO_PACK else None
        with_box = self.query_one("#welcome-box", Checkbox).value

        def setup(store: Store) -> None:
            from journal.application.welcome import set_up

            box = {"lot": values["welcome-lot"] or None, "expires": expires} if with_box else None
            at = values["welcome-time"] or None
            set_up(store, profile=profile, pack=pack, at=at, now=journal.now(), today=journal.today(), box=box)

        def refused(exc: JournalError) -> None:
            aliases = {k: f"welcome-{k}" for k in (*PROFILE_KEYS, "born", "lot", "expires")}
            aliases["usual_time"] = "welcome-time"
            self.show_save_error(exc, aliases=aliases, form="welcome")

        self.save_to_journal(setup, self._set_up, refused)

    def _set_up(self, _done: None) -> None:
        self.app.notify("Your journal is set up. Press d to log today's dose.")
        self.dismiss()
