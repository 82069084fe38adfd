"""The command line's words for what the application layer returns and refuses: its flags and commands.

The use cases say what happened and why, in data and in sentences with no flag or key in them
(journal.errors); this module says it on the command line, with what to type next (the TUI says
the same in its own fields and keys, in journal/tui/messages.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from journal.errors import (
    BoxSizeError,
    DeletedRecordError,
    InspectionError,
    JournalError,
    NotEmptyError,
    SiteError,
    SiteProblem,
)

if TYPE_CHECKING:
    from journal import models as m
    from journal.application.doses import ExtraDoseError
    from journal.application.refusals import Violation


def error(exc: JournalError) -> str:
    """A refusal or failure as the command line says it: with the flag or command that does what it asks."""
    if isinstance(exc, SiteError) and exc.problem is SiteProblem.OTHERS_ONLY:
        return (
            f"{exc.region} is only for when someone else gives the injection: "
            f"add --by other, or choose one of: {', '.join(exc.choices)}"
        )
    if isinstance(exc, InspectionError):
        return (
            f"the syringe is {exc.look}: {exc.advice} Once it is clear, inject it and record the dose "
            "with --waited MINUTES (how long it sat). Nothing was recorded."
        )
    if isinstance(exc, BoxSizeError):
        return f"{exc.medicine} has no content pack to say how many are in a box: add --count N."
    if isinstance(exc, DeletedRecordError):
        return f"That {exc.kind} was deleted; `medjournal undo` brings back a recent delete."
    if isinstance(exc, NotEmptyError):
        return (
            "This journal already holds records; the demo only fills a new, empty journal. "
            "Use --db PATH to name a new file."
        )
    return str(exc)


def failed(exc: JournalError | str, *, saved: bool) -> str:
    """A command's failure; `saved`: its record was committed before it failed, and is not to be entered again."""
    said = exc if isinstance(exc, str) else error(exc)
    if not saved:
        return said
    # Said plainly, so that nobody records the same dose twice.
    then = f": {said}"
    if isinstance(exc, JournalError) and exc.after_saving:
        then = f" {exc.after_saving}; nothing more was saved."
    return f"the record WAS saved (do not record it again; `medjournal history` shows it), but then{then}"


# A damaged journal: what to run.
DAMAGED = "run `medjournal check` (and see `medjournal backups`)"


def no_free_spot() -> str:
    """A dose recorded with no site, since no allowed spot was free."""
    return (
        "No injection spot is free (every allowed region has an open site reaction or is too close); "
        "no site was recorded. Choose one with --site, and tell your doctor about the reaction."
    )


def assumed_region(label: str) -> str:
    """A side effect at the injection site noted where the last injection went."""
    return (
        f"Noted at {label}, where the last injection went (use --site REGION if it is elsewhere); "
        "no spot there is suggested until it is resolved."
    )


def extra_dose(exc: ExtraDoseError) -> str:
    """A dose refused as more than the schedule allows, and how to record it anyway, or lift a pause."""
    from journal.application.refusals import RefusalKind

    if exc.refusal.kind is RefusalKind.PAUSED:
        name = exc.medication.name
        return (
            f"{exc.reason}. Nothing was recorded. Once your doctor says to go on, run `medjournal med resume "
            f"{_shell_word(name)}`; a dose taken anyway is recorded as an extra one with --extra."
        )
    return (
        f"{exc.reason}, so this would be an extra dose; nothing was recorded. "
        "If you are taking an extra dose on purpose, record it as one (--extra)."
    )


def once_weekly(violation: Violation) -> str:
    """A schedule refused as more often than the medicine is taken, and how to confirm the prescription."""
    said = violation.message.rstrip(".")
    return f"{said}. If it does (a cancer treatment), add --prescribed-daily; nothing was recorded."


def several_due(due: Sequence[m.Medication]) -> str:
    """Two or more doses due at once: the command line never chooses."""
    names = " and ".join([", ".join(med.name for med in due[:-1]), due[-1].name])
    return (
        f"{names} are {'both' if len(due) == 2 else 'all'} due now; say which dose this is with --med NAME "
        "(nothing was recorded)."
    )


def _shell_word(text: str) -> str:
    import shlex

    return shlex.quote(text)
