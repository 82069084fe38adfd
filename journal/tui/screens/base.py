"""What the main screens share: the frame with the reference panel, the footer, forms and errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from journal.errors import JournalBusyError, JournalError, RecordError
from journal.tui import messages
from journal.tui.host import JournalApp
from journal.tui.widgets.footer import JournalFooter
from journal.tui.widgets.reference import ReferencePanel
from journal.visible import visible

if TYPE_CHECKING:
    from journal import models as m
    from journal.application.opening import Store
    from journal.tui.context import Journal

HELP_DIR = Path(__file__).parent
# The rules of every screen but Today (journal/tui/screens.tcss).
SCREENS_CSS = str(Path(__file__).parent.parent / "screens.tcss")


def lit(text: object, style: str = "") -> Text:
    """A user's text shown literally: never read as markup, control characters shown escaped."""
    return Text("" if text is None else visible(str(text)), style=style)


def error_field(exc: JournalError) -> str | None:
    """The field a validation error is about, if any."""
    return exc.field if isinstance(exc, RecordError) else None


def describe(exc: JournalError) -> str:
    """One sentence for an error raised while saving, in the TUI's words (control characters shown escaped)."""
    return visible(messages.error(exc))


# What a save shows the person: a refusal or failure the core words. Anything else is a bug, not a message.
SAVE_ERRORS = (JournalError,)
T = TypeVar("T")
WAITING = (
    "Waiting for the journal: another program is writing to it. Your entry is kept and saved as soon as it is free."
)


if TYPE_CHECKING:
    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object  # a mixin: the screens it goes on bring Screen itself, each in its own place in the MRO


class WritesToJournal(_ScreenBase):
    """For screens and dialogs: writes that never freeze the screen while another program holds the journal."""

    _writing = False

    @property
    def journal(self) -> Journal:
        """The open journal."""
        assert isinstance(self.app, JournalApp)
        return self.app.journal

    def save_to_journal(
        self, task: Callable[[Store], T], done: Callable[[T], None], failed: Callable[[JournalError], None]
    ) -> None:
        """Run `task` (a write through the store it is given), then `done` with its result or `failed`.

        When another program holds the journal, the wait for it runs on a second thread with its
        own connection: the screen stays live and says it is waiting, instead of freezing.

        A form saves once: a second Enter while it is saving, or after its save has closed it
        (keys already queued for it), does nothing.
        """
        if self._writing or self not in self.app.screen_stack:
            return
        store = self.journal.store
        try:
            with store.without_waiting():
                result = task(store)
        except JournalBusyError as exc:
            if store.path is None:
                failed(exc)
                return
            self._writing = True
            self.add_class("-waiting")
            self.notify(WAITING, title="Waiting for the journal", timeout=12, markup=False)
            self._write_when_free(store.path, task, done, failed)
            return
        except SAVE_ERRORS as exc:
            failed(exc)
            return
        done(result)

    @work(thread=True, exclusive=True, group="journal-write")
    def _write_when_free(
        self, path: Path, task: Callable[[Store], T], done: Callable[[T], None], failed: Callable[[JournalError], None]
    ) -> None:
        import sqlite3

        from journal.application.opening import Store

        outcome: tuple[bool, Any]
        try:
            with Store.open(path, create=False, daily_backup=False, checked=True) as other:
                outcome = (True, task(other))
        except SAVE_ERRORS as exc:
            outcome = (False, exc)
        except sqlite3.Error as exc:  # in this thread, not the screen's: said, not raised where nobody hears it
            outcome = (False, JournalError(f"{path} could not be written ({exc}): nothing was saved."))
        self.app.call_from_thread(self._written, outcome, done, failed)

    def _written(
        self, outcome: tuple[bool, Any], done: Callable[[Any], None], failed: Callable[[JournalError], None]
    ) -> None:
        self._writing = False
        self.remove_class("-waiting")
        ok, value = outcome
        if ok:
            done(value)
        else:
            failed(value)


# For screens in tabs (a TabbedContent): F6 and Shift+F6 switch them, from any box.
TAB_KEYS: list[BindingType] = [
    Binding("f6", "switch_tab(1)", "Next tab"),
    Binding("shift+f6", "switch_tab(-1)", "Previous tab", show=False),
]


class JournalScreen(WritesToJournal, Screen[None]):
    """A main screen: a title, the body, the reference panel (hidden) and the footer."""

    # Read when the first screen using it opens; Today, the first screen, needs only app.tcss.
    CSS_PATH: ClassVar[str | None] = SCREENS_CSS
    TITLE_TEXT: ClassVar[str] = ""
    HELP_FILE: ClassVar[str] = ""
    # Whether the app redraws this screen (refresh_data) when another process writes to the journal.
    FOLLOWS_OUTSIDE_WRITES: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    @property
    def journal(self) -> Journal:
        """The open journal."""
        return self.medapp.journal

    @property
    def medapp(self) -> JournalApp:
        """The app, typed."""
        assert isinstance(self.app, JournalApp)
        return self.app

    def compose(self) -> ComposeResult:
        """The frame every main screen shares: the title and body and the footer (the reference panel
        docks right, between them, once it is first opened)."""
        yield from self.compose_main()
        yield JournalFooter()

    def compose_main(self) -> ComposeResult:
        """The title and the body, in a container that keeps the title on top as the body grows."""
        with Vertical(id="main"):
            yield Static(self.screen_title(), classes="screen-title")
            yield from self.compose_body()

    def screen_title(self) -> Text:
        """The title line at the top of the screen."""
        return Text(self.TITLE_TEXT)

    def compose_body(self) -> Iterable[Widget]:
        """The screen's own widgets."""
        return ()

    def reference_panel(self) -> ReferencePanel | None:
        """The reference panel, once it has been opened on this screen."""
        found = self.query(ReferencePanel)
        return found.first() if found else None

    def close_reference(self) -> bool:
        """Close the reference panel if it is open; whether it was."""
        panel = self.reference_panel()
        if panel is None or not panel.shown:
            return False
        panel.toggle(None)
        return True

    async def toggle_reference(self) -> None:
        """Show or hide the reference panel (made the first time: unopened, it costs every screen's start)."""
        panel = self.reference_panel()
        if panel is None:
            panel = ReferencePanel()
            await self.mount(panel, before=self.query_one(JournalFooter))
        panel.toggle(self.journal.main_pack())

    def refresh_data(self) -> None:
        """Read the journal again; screens that show records override this."""

    def on_screen_resume(self) -> None:
        """Coming back from a dialog: once Textual has restored the focus, make sure it is on something shown."""
        self.call_after_refresh(self.focus_on_show)

    def focus_on_show(self) -> None:
        """Move the focus off a hidden widget (a closed panel, a step not on show) to the first one shown.

        Textual's auto-focus, after a dialog closes, takes the first focusable widget even inside a
        hidden container; letters typed then go where no one can see them, and the screen's keys stop.
        """
        from journal.tui.widgets.focus import on_show

        focused = self.focused
        if focused is None or on_show(focused):
            return
        chain = [w for w in self.focus_chain if on_show(w)]
        self.set_focus(chain[0] if chain else None)

    def action_switch_tab(self, step: int) -> None:
        """Show the next (1) or previous (-1) tab, and put the focus in it (screens in tabs bind TAB_KEYS to it)."""
        from textual.widgets import TabbedContent, Tabs

        found = self.query(TabbedContent)
        if not found:
            return
        tabs = found.first().query_one(Tabs)
        if step > 0:
            tabs.action_next_tab()
        else:
            tabs.action_previous_tab()
        self.call_after_refresh(self._focus_in_tab)

    def _focus_in_tab(self) -> None:
        from textual.widgets import TabbedContent

        pane = self.query_one(TabbedContent).active_pane
        if pane is None:
            return
        chain = [w for w in self.focus_chain if pane in w.ancestors]
        if chain:
            # A list comes first in most tabs: start at the form's first box when there is one.
            from textual.widgets import Input

            boxes = [w for w in chain if isinstance(w, Input)]
            (boxes or chain)[0].focus()

    def action_back(self) -> None:
        """Back to the screen below (Today)."""
        if self.close_reference():
            return
        self.dismiss()

    @classmethod
    def help_text(cls) -> str:
        """The screen's help, Markdown, from the file beside it."""
        if not cls.HELP_FILE:
            return ""
        try:
            return (HELP_DIR / cls.HELP_FILE).read_text(encoding="utf-8")
        except OSError:
            return ""

    # --- forms -------------------------------------------------------------------------

    def form_values(self, *keys: str) -> dict[str, str]:
        """What was typed in the given fields."""
        # Imported here: Today, the first screen, has no form (Textual's Input costs start-up time).
        from journal.tui.widgets.inputs import Field

        return {key: self.query_one(f"#field-{key}", Field).value for key in keys}

    def clear_errors(self) -> None:
        """Hide every field's message and the form's message."""
        from journal.tui.widgets.inputs import Field

        # Only those showing something: updating a widget restyles and lays it out again.
        for field in self.query(Field):
            if field.has_class("-invalid"):
                field.show_error(None)
        for note in self.query(".form-error"):
            if isinstance(note, Static) and (str(note.content) or note.has_class("-ok", "-warn")):
                note.update("")
                note.remove_class("-ok", "-warn")

    def show_added(self, where: str, record: m.Record, warnings: list[str], what: str | None = None) -> None:
        """Say under the form (the Static `where`) that `record` was added (as `what`, else its description),
        with its warnings and the guide's advice for the moment (an allergy to tell about, a first use);
        the toast over the screen's top is one line."""
        from journal.application.packs import advice_for_new

        text = f"Added {what or record.describe()}." + "".join(f"\n⚠ {w}" for w in warnings)
        text += "".join(f"\n{a}" for a in advice_for_new(self.journal.store, record))
        widget = self.query_one(where, Static)
        widget.update(lit(text))
        widget.add_class("-warn" if warnings else "-ok")
        kind = record.kind_label
        toast = f"{kind[:1].upper()}{kind[1:]} added" + (": read the warning under the form." if warnings else ".")
        self.app.notify(toast, markup=False, severity="warning" if warnings else "information")

    def show_save_error(self, exc: JournalError, *, aliases: dict[str, str] | None = None, form: str = "") -> None:
        """Show why a save failed beside the field it concerns (or at the form); keep what was typed."""
        from journal.tui.widgets.inputs import Field

        self.clear_errors()
        message = describe(exc)
        name = error_field(exc)
        name = (aliases or {}).get(name or "", name)
        fields = {f.key: f for f in self.query(Field)}
        if name and name in fields:
            fields[name].show_error(message)
            fields[name].entry.focus()
            return
        selector = f"#{form}-error" if form else ".form-error"
        notes = list(self.query(selector))
        if notes and isinstance(notes[0], Static):
            notes[0].update(lit(message))
        else:
            self.notify(message, severity="error")


class JournalModal(WritesToJournal, ModalScreen[Any]):
    """A dialog over a screen; Escape closes it."""

    CSS_PATH = SCREENS_CSS
    # A dialog hides the app's keys: F1 is bound again, so help is one key away everywhere.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close"), Binding("f1", "app.help", "Help")]

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
