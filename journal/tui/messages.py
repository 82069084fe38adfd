"""The TUI's words for what the application layer returns and refuses: its fields and keys, never flags.

The use cases say what happened and why, in data and in sentences with no flag or key in them
(journal.errors); this module says it in the TUI, naming the field to fill in or the key to press
(the command line says the same with its flags, in journal/cli/messages.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal.errors import (
    BoxSizeError,
    DeletedRecordError,
    InspectionError,
    JournalError,
    SiteError,
    SiteProblem,
    WhenError,
)

if TYPE_CHECKING:
    from journal.application.today import Alert


def error(exc: JournalError) -> str:
    """A refusal or failure as the TUI says it: with the field or key that does what it asks."""
    if isinstance(exc, WhenError):
        # Said as a phrase ("'25:00' is not a time"): a sentence here, beside the field.
        text = str(exc)
        return text[:1].upper() + text[1:] + "."
    if isinstance(exc, SiteError) and exc.problem is SiteProblem.OTHERS_ONLY:
        return (
            f'{exc.region} is only for when someone else gives the injection: tick "Given by someone else" '
            f'(o in the dose flow; "Given by" when editing), or use one of: {", ".join(exc.choices)}'
        )
    if isinstance(exc, InspectionError):
        return (
            f"The syringe is {exc.look}: {exc.advice} Once it is clear, inject it and record the dose with the "
            'minutes it sat ("Minutes it sat until it cleared"). Nothing was recorded.'
        )
    if isinstance(exc, BoxSizeError):
        return f'{exc.medicine} has no content pack to say how many are in a box: fill in "How many".'
    if isinstance(exc, DeletedRecordError):
        return f"That {exc.kind} was deleted; `medjournal undo`, in a terminal, brings back a recent delete."
    return str(exc)


# A damaged journal: the TUI cannot check or restore it; the command line can.
DAMAGED = "in a terminal, run `medjournal check` (and see `medjournal backups`)"


def no_free_spot() -> str:
    """A dose recorded with no site, since no allowed spot was free."""
    return (
        "No injection spot is free (every allowed region has an open site reaction or is too close); "
        "no site was recorded. Choose one by editing the dose in History (h, then e), and tell your doctor "
        "about the reaction."
    )


def alert_text(alert: Alert) -> str:
    """An alert's advice, with the key that does what it asks."""
    from journal.application.today import AlertAction

    if alert.action is AlertAction.CLOSE:
        return f"{alert.text} (press s)"
    if alert.action is AlertAction.RECORD_BOX:
        return f"{alert.text} In Medicines (m), choose the medicine and press b."
    return alert.text
