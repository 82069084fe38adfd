"""Errors the user sees: one `JournalError` family, each a refusal or a failure with its data.

`str(exc)` is one plain, complete sentence with no command-line flag or TUI key in it (for logs,
and for a front end that has no words of its own for it). A refusal that tells the person what
to type next carries the data for it (its kind, the medicine, the choices): the command line
words it with its flags in `journal/cli/messages.py`, the TUI with its fields and keys in
`journal/tui/messages.py`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from pathlib import Path


class JournalError(Exception):
    """Something the user must know, said in one sentence; nothing was written."""

    # What went wrong, as a phrase to follow "the record was saved, but then" when it came after a
    # commit ("the disk filled up"); None: the message itself is said.
    after_saving: ClassVar[str | None] = None

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

    after_saving = "another program kept the journal locked"


class DiskFullError(JournalError):
    """The disk (or the journal's size limit) is full."""

    after_saving = "the disk filled up"


class ReadOnlyJournalError(JournalError):
    """The journal or its folder cannot be written."""

    after_saving = "the journal could not be written"


class NotFoundError(JournalError):
    """A record the user named does not exist."""


class DeletedRecordError(JournalError):
    """A change to a record that was deleted; `kind` names the record ('dose')."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"That {kind} was deleted: bring it back before you change it.")
        self.kind = kind


class NotEmptyError(JournalError):
    """A demo asked to fill a journal that already holds records."""

    def __init__(self) -> None:
        super().__init__(
            "This journal already holds records; the demo only fills a new, empty journal. Name a new file for it."
        )


class RecordError(JournalError):
    """A value typed for a record is not valid; `field` names it when one field is at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class WhenError(JournalError, ValueError):
    """A time or date that could not be understood (said as a phrase: 'yesterday 25:00' is not a time).

    Still a ValueError, so that a model's validator that reads a time reports it as the field's error.
    """


class WhenRangeError(WhenError):
    """A date or time understood, but outside the years a journal entry can be about."""


class PackError(JournalError):
    """A content pack is missing or broken; the message names the file and the field."""

    def __init__(self, message: str, *, path: Path | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.field = field


class SiteProblem(StrEnum):
    """Why a typed injection site cannot be used."""

    UNKNOWN = "unknown"  # not a region of this medicine's pack
    OTHERS_ONLY = "others-only"  # a region only someone else may inject, and nobody else was said to
    BAD_SPOT = "bad-spot"  # a spot id that is malformed or outside its region's grid


class SiteError(JournalError):
    """A site that cannot be used as typed; `choices` are the region keys that can be.

    `region` names the region typed ('Back of the arm, left (arm-left)'), when it is one.
    """

    def __init__(
        self, message: str, *, problem: SiteProblem, region: str | None = None, choices: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.problem = problem
        self.region = region
        self.choices = choices


class InspectionError(JournalError):
    """A syringe that must sit until it clears (foamy), checked with no time waited: nothing was recorded.

    `look` is how it looks ('foamy'), `advice` what its guide says to do.
    """

    def __init__(self, *, look: str, advice: str) -> None:
        super().__init__(
            f"The syringe is {look}: {advice} Once it is clear, inject it and record the dose with the minutes "
            "it sat. Nothing was recorded."
        )
        self.look = look
        self.advice = advice


class BoxSizeError(RecordError):
    """A box recorded with no count, for a medicine with no content pack to say how many a box holds."""

    def __init__(self, medicine: str) -> None:
        super().__init__(
            f"{medicine} has no content pack to say how many are in a box: give the number in it.", field="count"
        )
        self.medicine = medicine
