"""The TUI words each refusal with its own fields and keys, never a flag (journal/tui/messages.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from journal.care.alerts import Alert, AlertAction, AlertKind, AlertLevel
from journal.errors import (
    BoxSizeError,
    DeletedRecordError,
    InspectionError,
    JournalError,
    SiteError,
    SiteProblem,
    WhenError,
)
from journal.tui import messages

FLAG = re.compile(r"(?<![\w-])--[a-z]")

REFUSALS: list[tuple[JournalError, str]] = [
    (
        SiteError(
            "Arm, left (arm-left) is only for when someone else gives the injection: say that someone else gives "
            "it, or choose one of: thigh-left",
            problem=SiteProblem.OTHERS_ONLY,
            region="Arm, left (arm-left)",
            choices=("thigh-left",),
        ),
        'tick "Given by someone else" (o in the dose flow; "Given by" when editing), or use one of: thigh-left',
    ),
    (InspectionError(look="foamy", advice="Let it sit."), '("Minutes it sat until it cleared")'),
    (BoxSizeError("Folic acid"), 'Folic acid has no content pack to say how many are in a box: fill in "How many".'),
    (DeletedRecordError("dose"), "That dose was deleted"),
    (WhenError("'25:00' is not a time"), "'25:00' is not a time."),
]


@pytest.mark.parametrize(("exc", "said"), REFUSALS, ids=lambda v: type(v).__name__ if isinstance(v, Exception) else "")
def test_each_refusal_names_the_field_or_key_never_a_flag(exc: JournalError, said: str) -> None:
    words = messages.error(exc)
    assert said in words and not FLAG.search(words)


def test_a_damaged_journal_is_checked_in_a_terminal() -> None:
    assert "in a terminal" in messages.DAMAGED and not FLAG.search(messages.DAMAGED)


def test_a_dose_with_no_free_spot_says_where_to_choose_one() -> None:
    said = messages.no_free_spot()
    assert "History (h, then e)" in said and not FLAG.search(said)


@pytest.mark.parametrize(
    ("action", "key"), [(AlertAction.CLOSE, "(press s)"), (AlertAction.RECORD_BOX, "press b"), (None, "")]
)
def test_an_alert_names_the_key_that_answers_it(action: AlertAction | None, key: str) -> None:
    alert = Alert(
        level=AlertLevel.NOTICE,
        kind=AlertKind.SUPPLY,
        title="t",
        text="Record the missing box.",
        since=datetime(2026, 1, 1, tzinfo=UTC),
        action=action,
    )
    said = messages.alert_text(alert)
    assert said.startswith(alert.text) and key in said and (key or said == alert.text)
