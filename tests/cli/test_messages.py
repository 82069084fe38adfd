"""The command line words each refusal with its own flags and commands (journal/cli/messages.py)."""

from __future__ import annotations

import pytest

from journal.cli import messages
from journal.errors import (
    BoxSizeError,
    DeletedRecordError,
    DiskFullError,
    InspectionError,
    JournalError,
    NotEmptyError,
    SiteError,
    SiteProblem,
)

OTHERS_ONLY = SiteError(
    "Arm, left (arm-left) is only for when someone else gives the injection: say that someone else gives it, "
    "or choose one of: thigh-left, thigh-right",
    problem=SiteProblem.OTHERS_ONLY,
    region="Arm, left (arm-left)",
    choices=("thigh-left", "thigh-right"),
)
REFUSALS: list[tuple[JournalError, str]] = [
    (OTHERS_ONLY, "add --by other, or choose one of: thigh-left, thigh-right"),
    (InspectionError(look="foamy", advice="Let it sit."), "with --waited MINUTES (how long it sat)"),
    (BoxSizeError("Folic acid"), "Folic acid has no content pack to say how many are in a box: add --count N."),
    (DeletedRecordError("dose"), "`medjournal undo` brings back a recent delete"),
    (NotEmptyError(), "Use --db PATH to name a new file."),
]


@pytest.mark.parametrize(("exc", "said"), REFUSALS, ids=lambda v: type(v).__name__ if isinstance(v, Exception) else "")
def test_each_refusal_names_the_flag_or_command_that_answers_it(exc: JournalError, said: str) -> None:
    assert said in messages.error(exc)
    assert said not in str(exc)


def test_a_refusal_with_nothing_to_type_is_said_as_the_core_says_it() -> None:
    unknown = SiteError("'nose' is not an injection site", problem=SiteProblem.UNKNOWN, choices=("thigh-left",))
    assert messages.error(unknown) == str(unknown)


def test_the_notes_of_a_dose_and_a_side_effect_name_the_site_flag() -> None:
    assert "Choose one with --site" in messages.no_free_spot()
    assert "(use --site REGION if it is elsewhere)" in messages.assumed_region("Thigh, right (thigh-right)")


def test_a_failure_after_the_commit_says_the_record_was_saved_from_the_errors_data() -> None:
    full = DiskFullError("The disk holding the journal is full: nothing was saved. Free some space and try again.")
    assert messages.failed(full, saved=False) == str(full)
    said = messages.failed(full, saved=True)
    assert said.startswith("the record WAS saved (do not record it again")
    assert "the disk filled up; nothing more was saved." in said and "nothing was saved" not in said
    other = messages.failed("cannot write the output: No space left on device.", saved=True)
    assert other.endswith("but then: cannot write the output: No space left on device.")


def test_a_refusal_after_the_commit_keeps_the_command_lines_words() -> None:
    said = messages.failed(OTHERS_ONLY, saved=True)
    assert said.startswith("the record WAS saved") and "add --by other" in said
