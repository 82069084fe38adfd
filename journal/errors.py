"""Errors the user sees: each carries one clear sentence, shown as is by the CLI and the TUI."""

from __future__ import annotations


class JournalError(Exception):
    """Something the user must know, said in one sentence; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotAJournalError(JournalError):
    """The file is not an SQLite journal, or it is damaged."""


class NewerJournalError(JournalError):
    """The journal was written by a newer version of medjournal."""


class JournalBusyError(JournalError):
    """Another program held the journal for too long."""


class DiskFullError(JournalError):
    """The disk (or the journal's size limit) is full."""


class ReadOnlyJournalError(JournalError):
    """The journal or its folder cannot be written."""


class NotFoundError(JournalError):
    """A record the user named does not exist."""


class RecordError(JournalError):
    """A value typed for a record is not valid; `field` names it when one field is at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
