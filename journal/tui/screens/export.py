"""The export screen: pick a period and a format, write the visit summary to a file, say where.

Self-contained: it needs only the Store and `now`, so any screen can push it:
`app.push_screen(ExportScreen(store, now))`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, RadioSet, Static
from textual.worker import get_current_worker

from journal.application.opening import Store
from journal.errors import JournalError
from journal.export import SUMMARY_FORMATS, missing_glyphs_warning
from journal.files import refuse_journal_path
from journal.locations import default_export_path, export_dir
from journal.summary.build import build_visit_summary, resolve_period
from journal.summary.model import Period, VisitSummary
from journal.tui.screens.base import SCREENS_CSS
from journal.tui.widgets.footer import JournalFooter
from journal.tui.widgets.toggles import Choice, Tick
from journal.when import local_zone_name

# (id, label): the period presets, in the order they are shown.
PERIODS: list[tuple[str, str]] = [
    ("last-visit", "Since the last visit"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("all", "Everything"),
]
STEPS = 3  # gather, render, write


class ExportScreen(Screen[Path | None]):
    """Export the visit summary: period presets, format, path (default in the home folder), progress."""

    CSS_PATH = SCREENS_CSS

    DEFAULT_CSS = """
    ExportScreen { align: center top; }
    ExportScreen #export-body { width: 90; max-width: 100%; height: auto; padding: 1 2; }
    ExportScreen .export-title { text-style: bold; margin-bottom: 1; }
    ExportScreen .export-label { margin-top: 1; text-style: bold; }
    ExportScreen RadioSet { width: 100%; height: auto; }
    ExportScreen #export-path-error { color: $text-error; height: auto; }
    ExportScreen #export-buttons { height: auto; margin-top: 1; }
    ExportScreen #export-progress { margin-top: 1; }
    ExportScreen #export-result { margin-top: 1; height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back"),
        Binding("ctrl+s", "export", "Export"),
    ]

    def __init__(
        self, store: Store, now: datetime, *, zone: str | None = None, home: Path | None = None, name: str | None = None
    ) -> None:
        super().__init__(name=name)
        self.store = store
        self.now = now
        self.zone = zone or local_zone_name()
        self.home = home if home is not None else export_dir()
        self.period_key = PERIODS[0][0]
        self.format_key = "pdf"
        self.written: Path | None = None
        self._path_edited = False
        self._default_shown = str(self._default_path())
        self._busy = False

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Period, format, path, replace, the button, progress and the result line."""
        with VerticalScroll(id="export-body"):
            yield Static("Export the visit summary", classes="export-title")
            yield Label("Period", classes="export-label")
            with RadioSet(id="export-period"):
                for index, (key, label) in enumerate(PERIODS):
                    yield Choice(label, value=index == 0, id=f"period-{key}")
            yield Static(id="export-period-text")
            yield Label("Format", classes="export-label")
            with RadioSet(id="export-format"):
                for key, fmt in SUMMARY_FORMATS.items():
                    yield Choice(fmt.label, value=key == self.format_key, id=f"format-{key}")
            yield Label("Save to", classes="export-label")
            yield Input(self._default_shown, id="export-path")
            yield Static(id="export-path-error")
            yield Tick("Replace the file if it exists", id="export-force")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary")
            yield ProgressBar(total=STEPS, show_eta=False, id="export-progress")
            yield Static(id="export-result")
        yield JournalFooter()

    def on_mount(self) -> None:
        """Show the dates the default period covers."""
        self._show_period()

    # -- choices -----------------------------------------------------------------------

    def _default_path(self) -> Path:
        return default_export_path(self.home, self.now.date(), SUMMARY_FORMATS[self.format_key].suffix)

    def _period(self) -> Period:
        if self.period_key == "last-visit":
            return resolve_period(self.store, now=self.now, zone=self.zone)
        if self.period_key == "all":
            return resolve_period(self.store, now=self.now, zone=self.zone, all_time=True)
        return resolve_period(self.store, now=self.now, zone=self.zone, days=int(self.period_key))

    def _show_period(self) -> None:
        text = self.query_one("#export-period-text", Static)
        try:
            text.update(Text(self._period().text))
        except JournalError as exc:
            text.update(Text(exc.message))

    @on(RadioSet.Changed, "#export-period")
    def _period_changed(self, event: RadioSet.Changed) -> None:
        self.period_key = PERIODS[event.index][0]
        self._show_period()

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        self.format_key = list(SUMMARY_FORMATS)[event.index]
        if not self._path_edited:
            self._default_shown = str(self._default_path())
            self.query_one("#export-path", Input).value = self._default_shown

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        # A path the person typed is kept when they switch formats; the default follows the format.
        self._path_edited = event.value != self._default_shown
        self.query_one("#export-path-error", Static).update("")

    # -- export ------------------------------------------------------------------------

    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        self.action_export()

    @on(Input.Submitted, "#export-path")
    def _submitted(self) -> None:
        self.action_export()

    def action_close(self) -> None:
        """Back to where the screen was opened from, with the path written (or None)."""
        self.dismiss(self.written)

    def action_export(self) -> None:
        """Gather the summary here (the store belongs to this thread), then render and write in a worker."""
        if self._busy:
            return
        error = self.query_one("#export-path-error", Static)
        result = self.query_one("#export-result", Static)
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            error.update(Text("Type where to save the file."))
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.home / path
        force = self.query_one("#export-force", Checkbox).value
        try:
            refuse_journal_path(path, self.store.path)
        except JournalError as exc:
            error.update(Text(exc.message))
            return
        if path.exists() and not force:
            error.update(Text(f"{path} already exists: tick 'Replace the file if it exists' or choose another name."))
            return
        if not path.parent.is_dir():
            error.update(Text(f"The folder {path.parent} does not exist."))
            return
        progress = self.query_one("#export-progress", ProgressBar)
        progress.update(total=STEPS, progress=0)
        result.update(Text("Gathering the journal..."))
        try:
            data = build_visit_summary(self.store, now=self.now, zone=self.zone, period=self._period())
        except JournalError as exc:
            result.update(Text(exc.message))
            return
        progress.advance(1)
        self._busy = True
        result.update(Text(f"Writing {SUMMARY_FORMATS[self.format_key].label}..."))
        self._write(data, self.format_key, path, force)

    @work(thread=True, exclusive=True, group="export")
    def _write(self, data: VisitSummary, format_key: str, path: Path, force: bool) -> None:
        from journal.files import write_private

        worker = get_current_worker()
        try:
            content = SUMMARY_FORMATS[format_key].render(data)
            self.app.call_from_thread(self.query_one("#export-progress", ProgressBar).advance, 1)
            if worker.is_cancelled:
                return
            written = write_private(path, content, force=force)
        except (JournalError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._done, written, len(content), missing_glyphs_warning(content))

    def _failed(self, message: str) -> None:
        self._busy = False
        self.query_one("#export-path-error", Static).update(Text(message))
        self.query_one("#export-result", Static).update(Text("Nothing was written."))

    def _done(self, path: Path, size: int, warning: str | None = None) -> None:
        self._busy = False
        self.written = path
        self.query_one("#export-progress", ProgressBar).update(progress=STEPS)
        from journal.application import encryption

        # The journal may be encrypted; what it exports never is (it is meant to be handed over).
        plain = " It is not encrypted." if encryption.is_cipher_connection(self.store.db.conn) else ""
        shown = Text(f"Wrote {path} ({size:,} bytes, readable only by you).{plain}", style="bold")
        if warning:
            shown.append(f"\nWarning: {warning}.", style="bold red")
        self.query_one("#export-result", Static).update(shown)
