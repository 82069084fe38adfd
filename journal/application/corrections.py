"""Correcting the journal: find a record by its id, change its fields, delete it, undo the last write.

The command line (`edit`, `delete`, `undo`) and the TUI's edit screen share these; every change
goes through the store, so each one meets the same rules as a new entry (journal.store.rules).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Any

from journal import models as m
from journal.dataclass import dataclass
from journal.errors import DeletedRecordError, JournalError, NotFoundError, RecordError, WhenError
from journal.store import Store
from journal.when import format_local, parse_date, parse_when

# A record's id as `history` and `--json` show it: at least this many of its first characters.
MIN_PREFIX = 8

# Bookkeeping and links are never typed by hand.
HIDDEN = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "deleted_at",
        "medication_id",
        "check_id",
        "box_id",
        "appointment_id",
        "tz",
        "symptom_key",
        "tier",
    }
)

_YES = ("yes", "y", "true", "1")
_NO = ("no", "n", "false", "0")


def editable_fields(record: m.Record) -> list[str]:
    """The fields a person may change, in the record's order."""
    return [name for name in m.field_names(type(record)) if name not in HIDDEN]


def field_label(name: str) -> str:
    """A field's name as a person reads it ('waited_minutes' -> 'Waited minutes')."""
    return name.replace("_", " ").capitalize()


def value_type(cls: type[m.Record], name: str) -> Any:
    """The type under a field's annotation: `date` for `Annotated[date | None, ...]`, an Enum class, `str`..."""
    return m.field_type(cls, name)[0]


def may_be_empty(cls: type[m.Record], name: str) -> bool:
    """Whether a field may be left empty (its annotation admits None)."""
    return m.field_type(cls, name)[1]


def choices(record: m.Record, name: str) -> list[str] | None:
    """The values an enum field accepts, or None for a free field."""
    kind = value_type(type(record), name)
    return [item.value for item in kind] if isinstance(kind, type) and issubclass(kind, Enum) else None


def shown_value(record: m.Record, name: str, zone: str) -> str:
    """A field's value as it is typed back in ('' when empty)."""
    value = getattr(record, name)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_local(value, getattr(record, "tz", None) or zone)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "value", value))


def parse_value(record: m.Record, name: str, text: str, *, now: datetime, zone: str) -> Any:
    """The value typed for one field (None when blank); RecordError naming the field when it cannot be read."""
    text = text.strip()
    if not text:
        return None
    kind = value_type(type(record), name)
    label = field_label(name)
    try:
        if kind is datetime:
            return parse_when(text, now=now, zone=getattr(record, "tz", None) or zone)
        if kind is date:
            return parse_date(text, today=now.astimezone(m.zone_of(zone)).date())
    except WhenError as exc:
        text = str(exc)
        raise RecordError(text[:1].upper() + text[1:] + ".", field=name) from None
    if kind is bool:
        if text.lower() in _YES + _NO:
            return text.lower() in _YES
        raise RecordError(f"{label} should be yes or no.", field=name)
    if kind is int:
        try:
            return int(text)
        except ValueError:
            raise RecordError(f"{label} should be a whole number.", field=name) from None
    allowed = choices(record, name)
    if allowed is not None and text.lower() not in allowed:
        raise RecordError(f"{label} should be one of: {', '.join(allowed)}.", field=name)
    return text.lower() if allowed is not None else text


def changes_from(record: m.Record, typed: dict[str, str], *, now: datetime, zone: str) -> dict[str, Any]:
    """The field values typed for a record (FIELD -> text), read; an unknown or fixed field is refused."""
    editable = editable_fields(record)
    changes: dict[str, Any] = {}
    for given, text in typed.items():
        name = given.strip().lower().replace("-", "_")
        if name not in editable:
            raise RecordError(
                f"{given!r} is not a field of a {record.kind_label} you can change; "
                f"its fields are: {', '.join(editable)}."
            )
        changes[name] = parse_value(record, name, text, now=now, zone=zone)
    spot = changes.get("spot")
    if isinstance(spot, str) and "region" not in changes:
        # A spot names its region ('thigh-left:B2'): moving the spot moves the region with it.
        changes["region"] = spot.partition(":")[0].lower()
    return changes


def find_record(store: Store, ref: str, *, include_deleted: bool = False) -> m.Record:
    """The one record whose id starts with `ref` (8 characters or more, as `history` shows it)."""
    prefix = ref.strip().lower()
    if not re.fullmatch(r"[0-9a-f]+", prefix):
        raise NotFoundError(f"{ref!r} is not a record id: ids are letters a-f and digits.")
    if len(prefix) < MIN_PREFIX:
        raise NotFoundError(f"{ref!r} is too short: give at least {MIN_PREFIX} characters of the id.")
    found = store.records_by_prefix(prefix, include_deleted=include_deleted)
    if not found:
        raise NotFoundError(f"No record has an id starting with {prefix}.")
    if len(found) > 1:
        raise NotFoundError(f"{len(found)} records have ids starting with {prefix}: give more of the id.")
    return found[0]


def edit(store: Store, record: m.Record, typed: dict[str, str], *, now: datetime, zone: str) -> m.Record:
    """Change the typed fields of a record, held to the same rules as a new entry; the saved record."""
    if record.deleted_at is not None:
        raise DeletedRecordError(record.kind_label)
    return store.update(record, now=now, **changes_from(record, typed, now=now, zone=zone))


def delete(store: Store, record: m.Record, *, now: datetime) -> m.Record:
    """Delete a record (it is hidden and kept, with its history)."""
    if record.deleted_at is not None:
        raise JournalError(f"That {record.kind_label} is already deleted.")
    return store.delete(record, now=now)


@dataclass(frozen=True)
class Change:
    """One change of the last write, as undo shows it and takes it back."""

    entry: m.HistoryEntry
    cls: type[m.Record]

    def describe(self, zone: str) -> str:
        """'insert dose (dose taken at thigh-left:A1), 2026-12-01 08:00'."""
        snapshot = self.entry.after or self.entry.before or {}
        try:
            what = self.cls.from_row(snapshot).describe()
        except ValueError:
            what = self.entry.row_id
        when = format_local(self.entry.at, zone)
        return f"{self.entry.action} {self.cls.kind_label} {self.entry.row_id[:MIN_PREFIX]} ({what}), {when}"


def last_write(store: Store) -> list[Change]:
    """The changes of the newest write to the journal (a dose and its syringe check together), oldest first."""
    changes = []
    for entry in store.last_batch():
        cls = m.BY_TABLE.get(entry.table_name)
        if cls is None:
            raise JournalError(f"The last change is to {entry.table_name!r}, which this version cannot undo.")
        changes.append(Change(entry, cls))
    if not changes:
        raise NotFoundError("There is nothing to undo: the journal is empty.")
    return changes


def undo(store: Store, changes: list[Change], *, now: datetime) -> list[m.Record]:
    """Take back a write's changes, newest first, in one write of its own; the records as they now are."""
    restored: list[m.Record] = []
    with store.transaction():
        for change in reversed(changes):
            current = store.get(change.cls, change.entry.row_id, include_deleted=True)
            if current is None:
                raise NotFoundError(f"The {change.cls.kind_label} {change.entry.row_id[:MIN_PREFIX]} is gone.")
            if change.entry.action == "insert" or change.entry.before is None:
                restored.append(store.delete(current, now=now))
                continue
            before = change.cls.from_row(change.entry.before).values()
            kept = {k: v for k, v in before.items() if k not in ("id", "created_at", "updated_at")}
            restored.append(store.update(current, now=now, **kept))
    return restored
