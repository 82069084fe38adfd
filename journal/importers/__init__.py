"""Readers of other apps' files: each turns a file's text into plain data (medicines, intakes, rows left out).

Pure parsing: no journal, no clock. journal.application.imports writes what they read through the use cases.
"""

from __future__ import annotations

import hashlib
from dataclasses import field
from datetime import datetime

from journal.dataclass import dataclass
from journal.errors import JournalError

FORMATS = ("medtimer", "mytherapy")
LABELS = {"medtimer": "MedTimer backup", "mytherapy": "MyTherapy archive"}


class ImportFileError(JournalError):
    """A file that cannot be imported at all (unreadable, unknown, damaged): nothing was written."""


@dataclass(frozen=True, kw_only=True)
class Medicine:
    """A medicine as the source lists it, its schedule in the journal's grammar where it maps onto it."""

    name: str
    key: str
    spec: str | None = None
    unscheduled: str | None = None  # why the source's schedule is not imported, when it has one
    directions: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Intake:
    """A dose taken or skipped, at a UTC moment."""

    medicine: str
    key: str
    at: datetime
    taken: bool
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Left:
    """Something in the file the journal does not import, and why."""

    what: str
    why: str


@dataclass(kw_only=True)
class Parsed:
    """What one file holds, read; `notes` say what the reader chose where the file was unclear."""

    format: str
    medicines: list[Medicine] = field(default_factory=list)
    intakes: list[Intake] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def row_hash(*parts: object) -> str:
    """A stable key for a row with no id of its own (the same values give the same key in every import)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def name_key(name: str) -> str:
    """One medicine per name, whatever its case or spacing."""
    return " ".join(name.casefold().split())


def detect(text: str) -> str | None:
    """The format of a file's text: 'medtimer' (JSON), 'mytherapy' (its CSV header), or None."""
    start = text.lstrip()
    if start.startswith("{"):
        return "medtimer"
    header = start.split("\n", 1)[0].strip().lower()
    columns = {c.strip().strip('"') for c in header.split(",")}
    if {"actual_date", "type", "name", "status"} <= columns:
        return "mytherapy"
    return None
