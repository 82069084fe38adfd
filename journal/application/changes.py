"""A change in the journal's history, said as a person reads it: whose record, and its own time."""

from __future__ import annotations

from datetime import datetime

from journal import models as m
from journal.store import Store
from journal.when import format_local


class ChangeWords:
    """Describes history entries; the medicines they name are read once each."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._names: dict[str, str] = {}

    def _medicine(self, medication_id: str) -> str:
        if medication_id not in self._names:
            found = self.store.get(m.Medication, medication_id, include_deleted=True)
            gone = "a medicine no longer listed"
            self._names[medication_id] = found.name if isinstance(found, m.Medication) else gone
        return self._names[medication_id]

    def what(self, entry: m.HistoryEntry, zone: str) -> str:
        """'anakinra: dose taken at thigh-left:A1, 2026-12-08 08:05': the record, its medicine and its own time.

        The time is the record's (when the dose was taken), in the zone it was recorded in; the
        change's own time is the history's first column. A snapshot that cannot be read is named by its id.
        """
        cls = m.BY_TABLE.get(entry.table_name)
        snapshot = entry.after or entry.before or {}
        if cls is None:
            return entry.row_id
        try:
            record = cls.from_row(snapshot)
            text = record.describe()
        except (ValueError, TypeError, KeyError):
            return entry.row_id
        medication_id = getattr(record, "medication_id", None)
        if isinstance(medication_id, str):
            text = f"{self._medicine(medication_id)}: {text}"
        moment = getattr(record, "at", None) or getattr(record, "started_at", None)
        if isinstance(moment, datetime):
            own_zone = getattr(record, "tz", None)
            try:
                text += f", {format_local(moment, own_zone if isinstance(own_zone, str) else zone)}"
            except (ValueError, KeyError):  # a zone this system does not know: the reader's own
                text += f", {format_local(moment, zone)}"
        return text
