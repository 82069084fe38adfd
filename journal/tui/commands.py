"""The command palette's journal actions: every action by name, each with the key that does it.

`JournalCommands` is a Textual command `Provider` (App.COMMANDS). An action that needs a
record chosen first (resolving a side effect, stopping a medicine, a box for a medicine)
opens the screen where it is chosen, puts the focus on that list and says which key to
press. Imported when the palette first opens, never before Today is drawn.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from journal.dataclass import dataclass
from journal.tui.screens import BY_NAME, available_screens

if TYPE_CHECKING:
    from textual.screen import Screen

    from journal.tui.host import JournalApp

Run = Callable[["JournalApp"], Awaitable[None] | None]
# Actions of the app and of every screen that the palette lists itself, so the current
# screen's bindings do not add them a second time.
_LISTED = frozenset(
    {"help", "emergency", "toggle_reference", "refresh_data", "toggle_dark", "backup", "command_palette", "quit"}
)
_KEY_STYLE = "$text-muted"


@dataclass(frozen=True)
class PaletteAction:
    """One entry of the palette: its name, the key that does the same, what it does, other words for it."""

    title: str
    key: str
    help: str
    run: Run
    words: tuple[str, ...] = ()

    def score(self, match: Callable[[str], float]) -> float:
        """How well the typed words match the title (best) or one of the other words."""
        return max([match(self.title), *(match(word) * 0.9 for word in self.words)])


def _screen_class(name: str) -> str:
    return BY_NAME[name].cls


async def open_then(
    app: JournalApp,
    name: str,
    *,
    focus: str | None = None,
    tab: str | None = None,
    say: str | None = None,
    action: str | None = None,
) -> None:
    """Open the screen `name` (unless it is the current one), then show `tab`, focus `focus`, say `say`
    and run the screen's `action`."""
    screen: Screen[Any] = app.screen
    if type(screen).__name__ != _screen_class(name):
        entry = BY_NAME[name]
        if not entry.available():
            app.notify(f"There is no {name} screen in this version.", severity="warning")
            return
        await app.push_screen(app.screen_for(entry))
        screen = app.screen

    def finish() -> None:
        from textual.widgets import TabbedContent

        if tab is not None:
            for tabs in screen.query(TabbedContent):
                if tabs.query(f"#{tab}"):
                    tabs.active = tab
        if focus is not None:
            found = screen.query(focus)
            if found:
                found.first().focus()
        if say:
            app.notify(say, timeout=8, markup=False)
        if action is not None:
            app.call_later(screen.run_action, action)

    screen.call_after_refresh(finish)


def _open(name: str, **then: str) -> Run:
    """Open the screen `name`, then do what `open_then` is given."""
    return partial(_open_then_run, name=name, then=then)


async def _open_then_run(app: JournalApp, *, name: str, then: dict[str, str]) -> None:
    await open_then(app, name, **then)


async def _log_dose_run(app: JournalApp, *, medication_id: str) -> None:
    """Open the dose of one medicine, whatever is due (its extra-dose question follows if nothing is)."""
    from journal.tui.screens.dose import DoseScreen

    if type(app.screen).__name__ == _screen_class("dose"):
        app.screen.dismiss()
    await app.push_screen(DoseScreen(medication_id=medication_id))


def _dose_of_each(app: JournalApp, key: str) -> list[PaletteAction]:
    """'Log a dose: NAME' for each active medicine, the one a dose now counts for first (as the chooser)."""
    from journal.application.doses import dose_choices

    journal = app.journal
    meds = journal.store.medications(on=journal.today())
    return [
        PaletteAction(
            f"Log a dose: {choice.medication.name}",
            f"{key}, then choose it",
            f"Log a dose of {choice.medication.describe()}",
            partial(_log_dose_run, medication_id=choice.medication.id),
            ("dose", "take", choice.medication.name),
        )
        for choice in dose_choices(journal.store, meds, now=journal.now(), zone=journal.zone)
    ]


def journal_actions(app: JournalApp) -> list[PaletteAction]:
    """Every action of the journal, in the order the palette lists them before anything is typed."""
    on_today = "on Today"
    actions = [
        PaletteAction(
            "Log a dose",
            f"d {on_today}",
            "Check the syringe, pick the site, confirm",
            _open("dose"),
            ("dose", "inject"),
        ),
        *_dose_of_each(app, f"d {on_today}"),
        PaletteAction(
            "Discard a syringe",
            f"d {on_today}, then what the syringe shows",
            "A syringe you will not use: say how it looks in the dose flow",
            _open("dose", focus="#appearance", say="Choose what you see in the syringe; a bad one is discarded."),
            ("throw away syringe", "bad syringe"),
        ),
        PaletteAction(
            "Skip a dose",
            f"d {on_today}, then k",
            "Record that today's dose is skipped, with a reason",
            _open("dose", action="skip"),
            ("skip",),
        ),
        PaletteAction(
            "Record a side effect",
            f"s {on_today}",
            "What you feel; serious ones say to call the doctor",
            _open("effects", focus="#symptom"),
            ("side effect", "symptom", "reaction"),
        ),
        PaletteAction(
            "Resolve a side effect",
            f"s {on_today}, then r",
            "Mark an open side effect resolved",
            _open("effects", focus="#open-effects", say="Choose the side effect with the arrows, then press r."),
            ("resolved", "side effect gone"),
        ),
        PaletteAction(
            "Doctor contacted about a side effect",
            f"s {on_today}, then c",
            "Note that you told the doctor about an open side effect",
            _open("effects", focus="#open-effects", say="Choose the side effect with the arrows, then press c."),
            ("contacted", "called doctor"),
        ),
        PaletteAction(
            "Check-in", f"c {on_today}", "Pain, swelling, stiffness", _open("checkin"), ("how I feel", "pain")
        ),
        PaletteAction(
            "Add a medicine",
            f"m {on_today}",
            "A prescription, OTC product, vitamin, supplement or herbal",
            _open("medicines", tab="tab-meds", focus="#med-name"),
            ("new medicine", "add medication"),
        ),
        PaletteAction(
            "Stop a medicine",
            f"m {on_today}, then x",
            "Record that you stopped taking a medicine",
            _open(
                "medicines",
                tab="tab-meds",
                focus="#med-table",
                say="Choose the medicine with the arrows, then press x.",
            ),
            ("stop", "stopped medication"),
        ),
        PaletteAction(
            "Add a box received",
            f"m {on_today}, then b",
            "A new box of syringes: lot and expiry",
            _open(
                "medicines",
                tab="tab-meds",
                focus="#med-table",
                say="Choose the medicine with the arrows, then press b.",
            ),
            ("box", "supply", "syringes received", "reorder"),
        ),
        PaletteAction(
            "Add an allergy",
            f"m {on_today}, Allergies tab",
            "What you are allergic to and the reaction",
            _open("medicines", tab="tab-allergies", focus="#allergy-substance"),
            ("allergy",),
        ),
        PaletteAction(
            "Add an appointment",
            f"a {on_today}",
            "A doctor visit, lab test, vaccination, surgery or dental visit",
            _open("appointments", tab="tab-appts", focus="#appt-when"),
            ("appointment", "visit", "lab test"),
        ),
        PaletteAction(
            "Add a question for the doctor",
            f"a {on_today}, Questions tab",
            "Something to ask at the next visit",
            _open("appointments", tab="tab-questions", focus="#question-text"),
            ("question", "ask doctor"),
        ),
        PaletteAction(
            "Add a lab result",
            f"l {on_today}",
            "A test's value, unit and reference range",
            _open("labs"),
            ("lab result", "blood test"),
        ),
        PaletteAction("Export", f"x {on_today}", "Visit summary and exports", _open("export"), ("summary", "pdf")),
        PaletteAction("History", f"h {on_today}", "Every record, newest first", _open("history"), ("undo", "delete")),
        PaletteAction(
            "Emergency list", "F9", "Medicines, allergies and contacts", lambda a: a.action_emergency(), ("emergency",)
        ),
        PaletteAction(
            "Back up now", "ctrl+b", "A checked copy in the journal's backup folder", lambda a: a.action_backup()
        ),
        PaletteAction(
            "Light or dark theme", "F3", "Switch the colours", lambda a: a.action_toggle_dark(), ("theme", "colours")
        ),
        PaletteAction("Help", "F1", "Every key of this screen", lambda a: a.action_help(), ("keys",)),
        PaletteAction("Reference panel", "F2", "The medicine's leaflet facts beside the screen", _toggle_reference),
        PaletteAction("Refresh", "F5", "Read the journal again", lambda a: a.action_refresh_data(), ("reload",)),
    ]
    if "welcome" in BY_NAME and (not app.journal.store.tracked_medications()):
        actions.insert(0, PaletteAction("Set up", f"w {on_today}", "Profile, medicine, first box", _open("welcome")))
    elif "welcome" in BY_NAME:
        actions.append(PaletteAction("Set up again", f"w {on_today}", "Profile, medicine, first box", _open("welcome")))
    installed = {entry.name for entry in available_screens()}
    # Every screen by its own name too ("Medicines", "Side effects"), unless an action above has it.
    titles = {action.title for action in actions}
    actions += [
        PaletteAction(entry.title, f"{entry.key} {on_today}", entry.help, _open(entry.name))
        for entry in available_screens()
        if entry.title not in titles and entry.name != "welcome"
    ]
    return [action for action in actions if _needs(action) <= installed]


async def _toggle_reference(app: JournalApp) -> None:
    await app.action_toggle_reference()


def _needs(action: PaletteAction) -> set[str]:
    """The screens an action opens (an action whose screen is not installed is left out)."""
    run = action.run
    if isinstance(run, partial) and run.func is _open_then_run:
        return {str(run.keywords["name"])}
    if isinstance(run, partial) and run.func is _log_dose_run:
        return {"dose"}
    return set()


def binding_actions(app: JournalApp, screen: Screen[Any]) -> list[PaletteAction]:
    """The current screen's own keys (Edit, Delete, ...), those the journal's actions do not list already."""
    seen = set(_LISTED)
    found: list[PaletteAction] = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        action = binding.action
        if action in seen or action.startswith("app.") or not binding.description:
            continue
        seen.add(action)

        def run(app: JournalApp, node: Any = active.node, action: str = action) -> None:
            app.call_later(app.run_action, action, node)

        found.append(PaletteAction(binding.description, binding.key_display or key, "On this screen", run))
    return found


class JournalCommands(Provider):
    """The palette's journal actions and the current screen's keys, each shown with its key."""

    async def startup(self) -> None:
        """Collect the actions once, when the palette opens."""
        from journal.tui.host import JournalApp

        app = self.app
        assert isinstance(app, JournalApp)
        self._app = app
        self._actions = [*journal_actions(app), *binding_actions(app, self.screen)]

    def _prompt(self, action: PaletteAction, title: Content) -> Content:
        return Content.assemble(title, ("  " + action.key, _KEY_STYLE))

    def _command(self, action: PaletteAction) -> Callable[[], Any]:
        return partial(action.run, self._app)

    async def discover(self) -> Hits:
        """Every action with its key, before anything is typed (one line each: what it does shows once
        something is typed, and the list opens faster without a second line for each of some thirty)."""
        for action in self._actions:
            yield DiscoveryHit(self._prompt(action, Content(action.title)), self._command(action), text=action.title)

    async def search(self, query: str) -> Hits:
        """The actions whose name or other words match what is typed."""
        matcher = self.matcher(query)
        for action in self._actions:
            score = action.score(matcher.match)
            if score > 0:
                title = matcher.highlight(action.title) if matcher.match(action.title) else Content(action.title)
                yield Hit(
                    score, self._prompt(action, title), self._command(action), text=action.title, help=action.help
                )
