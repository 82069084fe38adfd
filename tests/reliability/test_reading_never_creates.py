"""Reading never creates (issue 31, Deliver 8): a command that only reads, or that changes records
that must exist, refuses a path with no journal in one `error:` line, and leaves nothing there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability._helpers import run_cli

NEEDS_A_JOURNAL = [
    ("lab", "list"),
    ("profile",),
    ("undo", "--yes"),
    ("delete", "0123456789abcdef"),
    ("edit", "0123456789abcdef", "note=x"),
    ("resolve", "fever"),
    ("contacted", "fever"),
    ("med", "stop", "anakinra"),
    ("med", "resume", "anakinra"),
    ("dose",),  # needs a tracked medicine: an empty journal could only refuse it
    ("supply", "add", "--lot", "A1", "--expires", "2030-01-01"),
    ("allergy", "list"),
    ("history",),
    ("emergency",),
    ("status",),
    ("check",),
    ("backup",),
]


@pytest.mark.parametrize("args", NEEDS_A_JOURNAL, ids=" ".join)
def test_a_mistyped_path_is_one_error_and_nothing_is_created(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "mistyped" / "journl.db"
    run_cli(db, *args).assert_one_error("no journal at")
    assert not db.parent.exists() or list(db.parent.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [("med", "add", "ibuprofen"), ("allergy", "add", "latex"), ("checkin", "--pain", "3"), ("profile", "--name", "A")],
    ids=" ".join,
)
def test_a_first_record_still_starts_a_journal(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "new" / "journal.db"
    done = run_cli(db, *args)
    assert done.code == 0, done.err
    assert db.is_file()
