"""The medjournal terminal app: `make_app` builds it (tests use this), `run` opens a journal file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen

from journal.application.opening import Store
from journal.errors import JournalError, WhenError
from journal.tui import Opening
from journal.tui.context import Journal
from journal.tui.host import JournalApp
from journal.tui.screens import BY_NAME, ScreenEntry
from journal.tui.themes import DARK_THEME, LIGHT_THEME, ThemedApp

# Cursor blink is switched off by tests so that snapshots do not depend on timing.
BLINK = True
# Seconds after start before the day's automatic backup is taken (see `_daily_backup`).
BACKUP_DELAY = 0.5
# How often the app asks SQLite whether another process wrote to the journal (PRAGMA data_version:
# one read of a counter in shared memory, no I/O), so that a dose logged from the command line
# shows within two seconds.
WATCH_SECONDS = 1.0


def _journal_commands() -> type[Provider]:
    from journal.tui.commands import JournalCommands

    return JournalCommands


class MedJournalApp(JournalApp):
    """Daily journaling: Today, the dose flow, side effects, medicines, appointments, history."""

    CSS_PATH = "app.tcss"
    TITLE = "medjournal"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "emergency", "Emergency", priority=True),
        Binding("f1", "help", "Help"),
        Binding("f2", "toggle_reference", "Reference"),
        Binding("f5", "refresh_data", "Refresh"),
        Binding("f3", "toggle_dark", "Light/dark", show=False),
        Binding("ctrl+b", "backup", "Back up now", show=False),
    ]
    # The journal's actions by name (journal/tui/commands.py, imported when the palette opens).
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        *App.COMMANDS,
        _journal_commands,
    }

    def __init__(self, journal: Journal, *, blink: bool | None = None, backup_later: bool = False) -> None:
        super().__init__()
        self.journal = journal
        self.blink = BLINK if blink is None else blink
        # The store was opened without its daily backup: take it once Today is drawn.
        self.backup_later = backup_later
        self._seen_version: int | None = None  # the journal's data_version when last read

    def get_default_screen(self) -> Screen[Any]:
        """Today is the home screen."""
        from journal.tui.screens.today import TodayScreen

        return TodayScreen()

    def on_mount(self) -> None:
        """On an empty journal, start with the welcome; the day's backup waits for the first screen."""
        if self.journal.store.is_empty():
            self.action_open("welcome")
        if self.backup_later:
            self.set_timer(BACKUP_DELAY, self._daily_backup)
        self._seen_version = self._data_version()
        self.set_interval(WATCH_SECONDS, self._watch_journal)

    def _data_version(self) -> int | None:
        try:
            return self.journal.store.data_version()
        except JournalError:
            return None

    def _watch_journal(self) -> None:
        """Redraw the screen when another process has written to the journal since the last look."""
        version = self._data_version()
        if version is None or version == self._seen_version:
            return
        self._seen_version = version
        reload = getattr(self.screen, "refresh_data", None)
        if callable(reload) and getattr(self.screen, "FOLLOWS_OUTSIDE_WRITES", True):
            reload()

    def _daily_backup(self) -> None:
        # Copying a ten-year journal takes tens of milliseconds: not while Today is being drawn and
        # the first keys are read, but a moment later, while the person reads it.
        from journal.application.backups import keep_problem

        problem = keep_problem()
        if problem:
            self.notify(problem + ".", severity="warning", markup=False, timeout=10)
        self.journal.store.daily_backup()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys of screens that are not installed (a screen may ship later)."""
        if action == "open" and parameters:
            entry = BY_NAME.get(str(parameters[0]))
            return entry is not None and entry.available()
        return True

    # --- actions available everywhere --------------------------------------------------

    def action_open(self, name: str) -> None:
        """Open a screen by its name in the registry."""
        entry = BY_NAME.get(name)
        if entry is None or not entry.available():
            self.notify(f"There is no {name} screen in this version.", severity="warning")
            return
        self.push_screen(self.screen_for(entry))

    def _instantiate(self, cls: type[Screen[Any]]) -> Screen[Any]:
        """A screen built with what its constructor asks for: the store, the frozen `now`, the zone."""
        import inspect

        wanted = inspect.signature(cls).parameters
        offered: dict[str, Any] = {"store": self.journal.store, "now": self.journal.now(), "zone": self.journal.zone}
        return cls(**{name: value for name, value in offered.items() if name in wanted})

    def action_help(self) -> None:
        """Show every key of the current screen and of the app."""
        from journal.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_emergency(self) -> None:
        """Show the emergency list, large and clear."""
        from journal.tui.screens.emergency import EmergencyScreen

        if not isinstance(self.screen, EmergencyScreen):
            self.push_screen(EmergencyScreen())

    async def action_toggle_reference(self) -> None:
        """Show or hide the reference panel beside the current screen."""
        toggle = getattr(self.screen, "toggle_reference", None)
        if callable(toggle):
            await toggle()
        else:
            self.notify("The reference panel opens beside the main screens, not in a dialog.")

    def action_refresh_data(self) -> None:
        """Read the journal again (shows what the command line wrote meanwhile)."""
        reload = getattr(self.screen, "refresh_data", None)
        if callable(reload):
            reload()
        self.notify("Journal read again.", timeout=2)

    def action_toggle_dark(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = DARK_THEME if self.theme == LIGHT_THEME else LIGHT_THEME

    def action_backup(self) -> None:
        """Take a checked copy of the journal into its backup folder now."""
        from journal.application import backups

        store = self.journal.store
        if store.path is None:
            self.notify("This journal is kept in memory only: there is no file to back up.", severity="warning")
            return
        try:
            written = backups.take(store.db, store.path, backups.MANUAL)
        except JournalError as exc:
            from journal.visible import visible

            self.notify(visible(exc.message), severity="error", markup=False, timeout=10)
            return
        self.notify(f"Backed up to {written} (integrity checked).", markup=False, timeout=8)

    # --- the command palette -------------------------------------------------------------

    def screen_for(self, entry: ScreenEntry) -> Screen[Any]:
        """A registry entry's screen, made with what its constructor asks for."""
        if entry.name == "dose":
            return self._dose_screen()
        return self._instantiate(entry.load())

    def _dose_screen(self) -> Screen[Any]:
        """The dose screen for the medicine due now; with two or more due, a question first."""
        from journal.tui.screens.dose import DoseScreen, medicine_for_dose, medicines_due

        chosen = medicine_for_dose(self.journal)
        if chosen is None and self.journal.tracked():
            return self._choose_dose(medicines_due(self.journal))
        return DoseScreen(medication_id=chosen.id if chosen else None)

    def _choose_dose(self, due: list[Any]) -> Screen[Any]:
        """Ask which of the medicines due now the dose is for, then open its dose screen."""
        from journal.application.today import medicine_today
        from journal.tui.screens.dialogs import ChooseMedicineDialog
        from journal.tui.screens.dose import DoseScreen

        journal = self.journal
        choices = []
        for med in due:
            view = medicine_today(journal.store, med, now=journal.now(), zone=journal.zone)
            state = "OVERDUE" if view.state == "overdue" else "due"
            kind = med.form.value if med.form else ("injection" if med.injected else "dose")
            choices.append((view, (med.id, f"{med.name} ({kind}), {state} {view.due_local}")))
        # Overdue first, then by the time due: an overdue injection is never below a tablet due later.
        choices.sort(key=lambda pair: (pair[0].state != "overdue", pair[0].due_at))

        return ChooseMedicineDialog(
            [choice for _, choice in choices], then=lambda med_id: self.push_screen(DoseScreen(medication_id=med_id))
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands but its theme chooser: the journal's actions come from journal.tui.commands,
        and only the light and dark themes, whose contrast is checked, are offered (F3)."""
        for command in super().get_system_commands(screen):
            if command.title != "Theme":
                yield command


def make_app(
    store: Store,
    *,
    now: datetime | None = None,
    zone: str | None = None,
    blink: bool | None = None,
    backup_later: bool = False,
) -> MedJournalApp:
    """The app on an open store; `now` freezes the clock and `zone` fixes the time zone.

    `backup_later`: the store was opened with `daily_backup=False`; the app takes the day's
    backup once its first screen is drawn.
    """
    from journal.when import local_zone_name

    return MedJournalApp(Journal(store, zone or local_zone_name(), now), blink=blink, backup_later=backup_later)


class OpenErrorApp(ThemedApp[None]):
    """Shown instead of a traceback when the journal cannot be opened."""

    CSS_PATH = "app.tcss"
    TITLE = "medjournal"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("escape", "quit", "Quit", show=False),
        Binding("enter", "quit", "Quit", show=False),
    ]

    def __init__(self, message: str, path: Path | None) -> None:
        super().__init__()
        self.message = message
        self.path = path

    def compose(self) -> Any:
        """A plain message and the way out."""
        from rich.text import Text
        from textual.containers import Vertical
        from textual.widgets import Footer, Static

        with Vertical(id="open-error"):
            yield Static(Text("The journal cannot be opened", style="bold"), classes="error-title")
            yield Static(Text(self.message), id="open-error-message")
            yield Static(
                Text(
                    "Nothing was changed. Check the path given with --db or MEDJOURNAL_DB, "
                    "or open a backup. Press q to quit."
                ),
                classes="hint",
            )
        yield Footer()


def make_error_app(message: str, path: Path | None = None) -> OpenErrorApp:
    """The error screen for a journal that cannot be opened."""
    return OpenErrorApp(message, path)


def run(db_path: Path, opening: Opening | None = None) -> None:
    """Open the journal at `db_path` in the terminal; an unusable file gets an error screen.

    `opening`: the journal already being opened by `journal.tui.open_while_loading`.
    """
    try:
        store = _open(db_path, opening)
    except JournalError as exc:
        make_error_app(exc.message, db_path).run()
        raise SystemExit(1) from None
    try:
        try:
            app = make_app(store, backup_later=True)
        except WhenError as exc:  # a TZ that names no zone
            make_error_app(str(exc) + ".", db_path).run()
            raise SystemExit(1) from None
        app.run()
    finally:
        store.close()


def _open(db_path: Path, opening: Opening | None) -> Store:
    # An encrypted journal whose key is neither remembered nor in MEDJOURNAL_PASSPHRASE is
    # unlocked on a screen of its own (journal/tui/screens/passphrase.py), never on the terminal
    # the app draws on.
    from journal.application import encryption

    encryption.never_ask_on_terminal()
    try:
        return (opening or Opening(db_path)).result()
    except encryption.PassphraseError as exc:
        from journal.tui.screens.passphrase import ask

        if not ask(db_path, exc.message):
            raise SystemExit(1) from None
    return Store.open(db_path, daily_backup=False)
