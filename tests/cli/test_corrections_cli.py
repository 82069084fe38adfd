"""Correcting the journal from the command line (`edit`, `delete`, `undo`); `check` and `restore` hold the rules."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

Medjournal = Callable[..., Run]


def _one_error(result: Run, *words: str) -> None:
    assert result.code == 1, result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for word in words:
        assert word in lines[0], lines[0]


def _changes(medjournal: Medjournal) -> list[dict[str, object]]:
    listed = medjournal("history", "--json", "--limit", "100")
    assert listed.code == 0, listed.err
    return [json.loads(line) for line in listed.out.splitlines()]


def _dose_and_check(medjournal: Medjournal) -> tuple[str, str]:
    # As needed: a dose "2h ago" counts at any hour these tests run (a daily 08:00 dose at 00:30 would not).
    assert medjournal("med", "add", "anakinra", "--schedule", "as needed").code == 0
    logged = medjournal("dose", "--syringe", "clear", "--at", "2h ago", "--site", "thigh-left:A1")
    assert logged.code == 0, logged.err
    changes = _changes(medjournal)
    dose = next(c["id"] for c in changes if c["table"] == "doses")
    check = next(c["id"] for c in changes if c["table"] == "syringe_checks")
    return str(dose), str(check)


def test_history_shows_the_ids_that_edit_takes(medjournal: Medjournal) -> None:
    dose, _ = _dose_and_check(medjournal)
    shown = medjournal("history").out.splitlines()[0]
    assert dose[:8] in shown and "dose" in shown


def test_a_mistyped_dose_is_corrected_with_edit(medjournal: Medjournal) -> None:
    dose, _ = _dose_and_check(medjournal)
    fixed = medjournal("edit", dose[:8], "spot=thigh-right:B2", "note=right leg, not left")
    assert fixed.code == 0, fixed.err
    assert "thigh-left:A1 -> thigh-right:B2" in fixed.out
    record = _changes(medjournal)[0]["record"]
    assert isinstance(record, dict)
    assert (record["region"], record["spot"]) == ("thigh-right", "thigh-right:B2")
    assert record["note"] == "right leg, not left"


def test_an_edit_that_breaks_a_rule_is_one_error_line_naming_it_and_writes_nothing(medjournal: Medjournal) -> None:
    dose, check = _dose_and_check(medjournal)
    before = len(_changes(medjournal))
    _one_error(medjournal("edit", check, "appearance=cloudy"), "cloudy", "rule: bad syringe never used")
    _one_error(medjournal("edit", check[:10], "outcome=discarded"), "rule: dose's syringe check")
    _one_error(medjournal("edit", dose, "spot=elbow:Z9"), "elbow", "rule: spot in its region")
    _one_error(medjournal("edit", dose, "status=maybe"), "taken, skipped, missed")
    _one_error(medjournal("edit", dose, "colour=red"), "colour")
    _one_error(medjournal("edit", dose, "spot"), "FIELD=VALUE")
    _one_error(medjournal("edit", dose[:4], "note=x"), "at least 8")
    _one_error(medjournal("edit", "ffffffffff", "note=x"), "No record")
    assert len(_changes(medjournal)) == before


def test_a_duplicate_is_removed_with_delete_and_undo_brings_it_back(medjournal: Medjournal) -> None:
    medjournal("allergy", "add", "latex")
    medjournal("allergy", "add", "latex")
    duplicate = str(_changes(medjournal)[0]["id"])
    deleted = medjournal("delete", duplicate[:8])
    assert deleted.code == 0, deleted.err
    assert medjournal("allergy", "list").out.count("latex") == 1
    _one_error(medjournal("undo"), "--yes")  # no terminal to ask on: nothing is undone
    assert medjournal("allergy", "list").out.count("latex") == 1
    undone = medjournal("undo", "--yes")
    assert undone.code == 0, undone.err
    assert f"delete allergy {duplicate[:8]}" in undone.out
    assert medjournal("allergy", "list").out.count("latex") == 2


def test_undo_takes_back_the_whole_dose_with_its_syringe_check(medjournal: Medjournal) -> None:
    dose, check = _dose_and_check(medjournal)
    undone = medjournal("undo", "--yes")
    assert undone.code == 0, undone.err
    assert dose[:8] in undone.out and check[:8] in undone.out
    latest = _changes(medjournal)[:2]
    assert {(c["action"], c["id"]) for c in latest} == {("delete", dose), ("delete", check)}
    assert "taken" not in medjournal("status").out
    assert medjournal("check").code == 0


def test_check_names_a_crafted_violation_and_restore_refuses_it(medjournal: Medjournal, journal_path: Path) -> None:
    _dose_and_check(medjournal)
    crafted = journal_path.with_name("crafted.db")
    shutil.copy(journal_path, crafted)
    with sqlite3.connect(crafted) as conn:
        conn.execute("UPDATE syringe_checks SET appearance = 'particles'")
    checked = medjournal("check", db=crafted)
    assert checked.code == 1
    assert "syringe_checks" in checked.out and "bad syringe never used" in checked.out
    assert "doses" in checked.out
    before = journal_path.read_bytes()
    _one_error(medjournal("restore", str(crafted), "--yes"), "cannot be restored", "bad syringe never used")
    assert journal_path.read_bytes() == before
    assert medjournal("check").code == 0
