"""`medjournal lab add` and `lab list` as a user runs them: results, ranges, and one error line for bad input."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

Medjournal = Callable[..., Run]


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM lab_results").fetchone()[0])


def test_a_result_is_recorded_with_its_unit_range_and_note_and_listed(medjournal: Medjournal) -> None:
    done = medjournal("lab", "add", "Neutrophils", "1,8", "10*9/L", "--range", "2.0-7.5", "--at", "2026-11-02 08:30")
    assert done.code == 0, done.err
    assert "Neutrophils 1.8 10*9/L (range 2-7.5, low)" in done.out
    assert medjournal("lab", "add", "ALT", "31", "U/L", "--range", "<45", "--note", "fasting").code == 0
    assert medjournal("lab", "add", "нейтрофилы", "2.5").code == 0
    listing = medjournal("lab", "list")
    lines = listing.out.strip().splitlines()
    assert lines[0].startswith("2026-11-02 08:30  Neutrophils 1.8 10*9/L") and len(lines) == 3
    assert "ALT 31 U/L (range < 45) - fasting" in listing.out
    only = medjournal("lab", "list", "--test", "NEUTROPHILS").out.strip().splitlines()
    assert len(only) == 1 and "Neutrophils" in only[0]
    assert "No results recorded for CRP." in medjournal("lab", "list", "--test", "CRP").out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("ALT", "thirty", "U/L"), "is not a number"),
        (("ALT", "nan"), "is not a number"),
        (("ALT", "31", "U/L", "--range", "normal"), "is not a range"),
        (("ALT", "31", "U/L", "--range", "45-5"), "low end is above"),
        (("ALT", "31", "--at", "tomorrow 09:00"), ""),
    ],
)
def test_bad_input_gives_one_error_line_and_writes_nothing(
    medjournal: Medjournal, journal_path: Path, args: tuple[str, ...], says: str
) -> None:
    assert medjournal("profile", "--name", "A").code == 0  # a journal with no lab result (`lab list` only reads)
    done = medjournal("lab", "add", *args)
    assert done.code == 1 and done.out == ""
    lines = done.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], done.err
    assert "Traceback" not in done.err
    assert _count(journal_path) == 0
