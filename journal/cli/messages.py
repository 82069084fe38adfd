"""The command line's words for what the application layer returns and refuses: its flags and commands.

The use cases say what happened and why, in data and in sentences with no flag or key in them; this
module adds what to type next on the command line (the TUI says the same in its own keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journal import models as m
    from journal.application.doses import ExtraDoseError
    from journal.store.rules import Violation


def extra_dose(exc: ExtraDoseError) -> str:
    """A dose refused as more than the schedule allows, and how to record it anyway, or lift a pause."""
    from journal.care.regimen import RefusalKind

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
