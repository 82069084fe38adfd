"""History: every record, newest first, a page at a time; filter, edit, delete, and see past versions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static

from journal import models as m
from journal.application import corrections
from journal.application.history import KINDS, PAGE_SIZE, Cursor, TimelineEntry, timeline_page
from journal.tui.screens.base import SAVE_ERRORS, JournalModal, JournalScreen, describe, lit
from journal.tui.widgets.footer import JournalFooter
from journal.tui.widgets.inputs import Field
from journal.tui.widgets.table import FitTable

if TYPE_CHECKING:
    from journal.tui.context import Journal

ALL = "all"
# Load the next page when the cursor comes this close to the last row shown.
PREFETCH_ROWS = 5


def kind_label(kind: str) -> str:
    """'doses' -> 'dose'."""
    cls = m.BY_TABLE.get(kind)
    return cls.kind_label if cls else kind


KIND_OPTIONS: list[tuple[str, str]] = [("Every kind", ALL), *[(kind_label(k), k) for k in KINDS]]


class TimelineTable(FitTable):
    """The timeline; keys act on the entry under the cursor; scrolling near the end asks for more."""

    SHRINK_FIRST = ("What",)

    class NearEnd(Message):
        """The last rows shown are in view: time to load the next page."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Ask for the next page when the bottom comes into view."""
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - PREFETCH_ROWS:
            self.post_message(self.NearEnd())

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "screen.edit_entry", "Edit"),
        Binding("x", "screen.delete_entry", "Delete"),
        Binding("c", "screen.changes", "Changes"),
        Binding("enter", "screen.changes", "Changes", show=False),
    ]


class HistoryScreen(JournalScreen):
    """The timeline with its filters."""

    TITLE_TEXT = "History"
    HELP_FILE = "history.md"
    # Reading again starts from the newest entry: not while the person pages back (F5 does it).
    FOLLOWS_OUTSIDE_WRITES = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "more", "More"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, TimelineEntry] = {}
        self.cursor: Cursor | None = None
        self.at_end = False
        self.names: Names | None = None

    def compose_body(self) -> Iterable[Widget]:
        """Filters, the table and a status line."""
        with Horizontal(classes="form-row", id="history-filters"):
            yield Select(KIND_OPTIONS, value=ALL, allow_blank=False, id="history-kind", compact=True)
            yield Field("From (date)", "history-since", placeholder="YYYY-MM-DD")
            yield Field("Until (date)", "history-until", placeholder="YYYY-MM-DD")
        yield Static("", classes="form-error", id="history-error")
        yield TimelineTable(id="timeline", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-status", classes="hint")

    def on_mount(self) -> None:
        """The first page."""
        table = self.query_one("#timeline", DataTable)
        table.add_column("When", key="when")
        table.add_column("Kind", key="kind")
        table.add_column("What", key="what")
        self.refresh_data()
        table.focus()

    # --- paging ------------------------------------------------------------------------

    def _filters(self) -> dict[str, Any]:
        kind = self.query_one("#history-kind", Select).value
        values = self.form_values("history-since", "history-until")
        zone = ZoneInfo(self.journal.zone)

        def start(day: date | None) -> datetime | None:
            return datetime.combine(day, time(0), tzinfo=zone) if day else None

        since = start(self.journal.day(values["history-since"]))
        until_day = self.journal.day(values["history-until"])
        until = start(until_day + timedelta(days=1)) if until_day else None
        return {"kinds": None if kind == ALL else [str(kind)], "since": since, "until": until}

    def refresh_data(self) -> None:
        """Start again from the newest entry with the current filters."""
        self.clear_errors()
        try:
            self._active_filters = self._filters()
        except SAVE_ERRORS as exc:
            self.query_one("#history-error", Static).update(lit(describe(exc)))
            return
        self.query_one("#timeline", DataTable).clear()
        self.names = Names(self.journal)  # read again: a medicine may have been renamed meanwhile
        self.entries.clear()
        self.cursor = None
        self.at_end = False
        self.load_page()

    def load_page(self) -> None:
        """Append the next page of entries (never the whole journal)."""
        if self.at_end:
            return
        page = timeline_page(self.journal.store, limit=PAGE_SIZE, after=self.cursor, **self._active_filters)
        table = self.query_one("#timeline", DataTable)
        for entry in page.entries:
            key = f"{entry.kind}:{entry.record.id}"
            if key in self.entries:
                continue
            self.entries[key] = entry
            table.add_row(*self._cells(entry), key=key)
        self.cursor = page.next
        self.at_end = page.next is None
        self._show_count()

    def _cells(self, entry: TimelineEntry) -> tuple[Text, Text, Text]:
        record = entry.record
        zone = getattr(record, "tz", None) or self.journal.zone
        what = self._names().what(record, when=False)  # the When column says when
        note = getattr(record, "note", None) or getattr(record, "reason", None)
        if note:
            what += f" - {note}"
        return lit(self.journal.local(entry.at, zone)), lit(kind_label(entry.kind)), lit(what)

    def _names(self) -> Names:
        if self.names is None:
            self.names = Names(self.journal)
        return self.names

    def _show_count(self) -> None:
        table = self.query_one("#timeline", DataTable)
        more = "" if self.at_end else "; scroll down for more"
        self.query_one("#history-status", Static).update(Text(f"{table.row_count} shown, newest first{more}."))

    def action_more(self) -> None:
        """Load the next page."""
        self.load_page()

    @on(DataTable.RowHighlighted, "#timeline")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - PREFETCH_ROWS:
            self.load_page()

    @on(TimelineTable.NearEnd)
    def _scrolled_to_end(self) -> None:
        self.load_page()

    @on(Select.Changed, "#history-kind")
    @on(Input.Submitted, "#history-since, #history-until")
    def _filter_changed(self) -> None:
        self.refresh_data()

    # --- the entry under the cursor ----------------------------------------------------

    def _current(self) -> TimelineEntry | None:
        table = self.query_one("#timeline", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.entries.get(str(key))

    def _redraw(self, key: str) -> None:
        entry = self.entries.get(key)
        if entry is None:
            return
        fresh = self.journal.store.get(type(entry.record), entry.record.id)
        table = self.query_one("#timeline", DataTable)
        if fresh is None:
            table.remove_row(key)
            del self.entries[key]
            self._show_count()
            return
        updated = TimelineEntry(entry.kind, entry.at, fresh)
        self.entries[key] = updated
        for column, cell in zip(("when", "kind", "what"), self._cells(updated), strict=True):
            table.update_cell(key, column, cell)

    def action_edit_entry(self) -> None:
        """Edit the entry under the cursor."""
        from journal.tui.screens.edit import EditRecordDialog

        entry = self._current()
        if entry is None:
            return
        key = f"{entry.kind}:{entry.record.id}"
        self.app.push_screen(EditRecordDialog(entry.record), lambda _saved: self._redraw(key))

    def action_delete_entry(self) -> None:
        """Delete the entry under the cursor after asking (it is kept, hidden, with its history)."""
        from journal.tui.screens.dialogs import ConfirmDialog

        entry = self._current()
        if entry is None:
            return
        journal = self.journal
        key = f"{entry.kind}:{entry.record.id}"

        what = self._names().what(entry.record)

        def deleted(_record: object) -> None:
            self._redraw(key)
            self.notify(f"Deleted {what}.", markup=False)

        def delete(yes: bool | None) -> None:
            if yes:
                self.save_to_journal(
                    lambda store: corrections.delete(store, entry.record, now=journal.now()),
                    deleted,
                    lambda exc: self.notify(describe(exc), severity="error", markup=False),
                )

        question = f"Delete this {kind_label(entry.kind)} ({what})? It can be seen in its history."
        self.app.push_screen(ConfirmDialog(question, yes="Delete"), delete)

    def action_changes(self) -> None:
        """Show every change to the entry under the cursor."""
        entry = self._current()
        if entry is not None:
            self.app.push_screen(ChangesDialog(entry.record))


class ChangesDialog(JournalModal):
    """One record's edit history, newest first: what each change did to each field."""

    def __init__(self, record: m.Record) -> None:
        super().__init__(classes="dialog-screen")
        self.record = record

    def compose(self) -> ComposeResult:
        """Each change with the fields it touched."""
        entries = self.journal.store.history(table=self.record.table, row_id=self.record.id, limit=200)
        names = Names(self.journal)
        with Vertical(classes="dialog", id="changes-dialog"):
            yield Static(lit(f"Changes to {self.record.kind_label}: {names.what(self.record)}"), classes="panel-title")
            with VerticalScroll():
                for change in entries:
                    yield Static(
                        Text.assemble((f"{self.journal.local(change.at)}  {change.action}", "bold")),
                        classes="change-head",
                    )
                    for line in names.diff(type(self.record), change.before, change.after):
                        yield Static(lit(line), classes="change-line")
                if not entries:
                    yield Static(Text("No changes recorded."), classes="hint")
        yield JournalFooter()


# A field holding another record's id, and the kind of record it names.
LINKS: dict[str, type[m.Record]] = {
    "medication_id": m.Medication,
    "check_id": m.SyringeCheck,
    "box_id": m.SupplyBox,
    "appointment_id": m.Appointment,
}
# Bookkeeping fields, left out of a change.
SKIP = frozenset({"updated_at", "created_at", "id"})


class Names:
    """Records as a person reads them: by what they are, never by their internal ids."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._linked: dict[tuple[str, str], str] = {}

    def linked(self, cls: type[m.Record], record_id: str) -> str:
        """The description of the record an id names (one deleted since still has its name)."""
        key = (cls.table, record_id)
        if key not in self._linked:
            found = self.journal.store.get(cls, record_id, include_deleted=True)
            gone = f"a {cls.kind_label} no longer in the journal"
            self._linked[key] = self.what(found) if found is not None else gone
        return self._linked[key]

    def what(self, record: m.Record, *, when: bool = True) -> str:
        """'Anakinra: dose taken at thigh-left:A1', 'doctor appointment with Dr Lee: review, 2026-11-30 09:30'.

        `when`: an appointment's time too (not in the list, whose first column gives it)."""
        text = record.describe()
        if isinstance(record, m.Appointment):
            text += f": {record.purpose}" if record.purpose else ""
            text += f", {self.journal.local(record.at, record.tz)}" if when else ""
        medication_id = getattr(record, "medication_id", None)
        if isinstance(medication_id, str):
            text = f"{self.linked(m.Medication, medication_id)}: {text}"
        return text

    def value(self, cls: type[m.Record], name: str, snapshot: dict[str, Any]) -> str:
        """One field of a stored version as it is typed in: a linked record by its description."""
        raw = snapshot.get(name)
        if raw is None or raw == "":
            return "(empty)"
        link = LINKS.get(name)
        if link is not None:
            return self.linked(link, str(raw))
        if name.endswith("_id"):
            return "another record"
        try:
            record = cls.from_row(snapshot)
        except ValueError:
            return str(raw)
        return corrections.shown_value(record, name, self.journal.zone) or "(empty)"

    def diff(self, cls: type[m.Record], before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
        """'Field: old -> new' for each field that changed (bookkeeping fields left out)."""
        old, new = before or {}, after or {}
        lines = []
        for name in dict.fromkeys([*old, *new]):
            if name in SKIP or old.get(name) == new.get(name):
                continue
            label = corrections.field_label(name.removesuffix("_id"))
            if before is None:
                if new.get(name) not in (None, "", False):
                    lines.append(f"  {label}: {self.value(cls, name, new)}")
                continue
            lines.append(f"  {label}: {self.value(cls, name, old)} -> {self.value(cls, name, new)}")
        return lines
