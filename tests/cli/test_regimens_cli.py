"""Every medicine on its own schedule, from the command line, as a patient on anakinra and methotrexate uses it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Run

Medjournal = Callable[..., Run]


def _ok(result: Run) -> Run:
    assert result.code == 0, result.err
    return result


def _one_error(result: Run, *words: str) -> None:
    assert result.code == 1, result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    for word in words:
        assert word in lines[0], lines[0]


def _states(medjournal: Medjournal) -> dict[str, dict[str, object]]:
    shown = medjournal("status", "--json")
    assert shown.code in (0, 3), shown.err
    return {med["name"]: med for med in json.loads(shown.out)["medicines"]}


def test_a_weekly_tablet_is_not_due_on_other_days_and_needs_no_syringe(medjournal: Medjournal) -> None:
    _ok(medjournal("med", "add", "vitamin D3", "--form", "tablet", "--schedule", "weekly on mon,wed,fri at 08:00"))
    listed = _ok(medjournal("med", "list")).out
    assert "weekly on Monday, Wednesday, Friday at 08:00" in listed
    # --extra: today may be a day with nothing due (tests/cli/test_stop_the_harm.py has those days).
    _one_error(medjournal("dose", "--med", "vitamin D3", "--syringe", "clear", "--extra"), "not an injection")
    logged = _ok(medjournal("dose", "--med", "vitamin D3", "--extra"))
    assert "site" not in logged.out and "Syringe" not in logged.out


def test_a_weekly_medicine_says_when_it_is_next_due(medjournal: Medjournal) -> None:
    _ok(medjournal("med", "add", "methotrexate", "--form", "tablet", "--schedule", "weekly on fri at 09:00"))
    state = _states(medjournal)["methotrexate"]
    assert state["state"] in ("not_due", "due", "overdue")
    assert state["schedule"] == "weekly on Friday at 09:00"
    assert str(state["due_at"]).endswith("T09:00:00Z")


def test_with_two_medicines_plain_dose_takes_the_one_due_now(medjournal: Medjournal) -> None:
    now = datetime.now(UTC)
    overdue = (now - timedelta(hours=2)).strftime("%H:%M")
    later_day = (now + timedelta(days=3)).strftime("%a").lower()
    # Started days ago, so that two hours ago is on its schedule even in a run just after midnight.
    started = (now - timedelta(days=3)).date().isoformat()
    _ok(medjournal("med", "add", "anakinra", "--track", "--time", overdue, "--started", started))
    _ok(medjournal("med", "add", "methotrexate", "--form", "tablet", "--schedule", f"weekly on {later_day} at 09:00"))
    assert _states(medjournal)["methotrexate"]["state"] == "not_due"
    logged = _ok(medjournal("dose", "--syringe", "clear"))
    assert "Recorded anakinra dose" in logged.out
    _one_error(medjournal("dose"), "none is due now", "--med")


def test_a_second_dose_for_the_same_time_is_refused_unless_extra(medjournal: Medjournal) -> None:
    # 04:00: every hour of the day is in some dose's window (see test_care_cli's kineret_template).
    _ok(medjournal("med", "add", "anakinra", "--track", "--time", "04:00"))
    _ok(medjournal("dose", "--at", "1 min ago", "--syringe", "clear"))
    before = len(_ok(medjournal("history", "--json")).out.splitlines())
    _one_error(medjournal("dose", "--syringe", "clear"), "already taken", "--extra")
    assert len(_ok(medjournal("history", "--json")).out.splitlines()) == before
    extra = _ok(medjournal("dose", "--syringe", "clear", "--extra"))
    assert "extra dose" in extra.out


def test_as_needed_limits_are_kept_and_told(medjournal: Medjournal) -> None:
    _ok(
        medjournal(
            "med",
            "add",
            "paracetamol",
            "--kind",
            "otc",
            "--form",
            "tablet",
            "--schedule",
            "As needed max 2 per 24h at least 4 hours apart",
        )
    )
    _ok(medjournal("dose", "--med", "paracetamol", "--at", "10h ago"))
    _one_error(medjournal("dose", "--med", "paracetamol", "--at", "7h ago"), "less than 4 hours")
    _ok(medjournal("dose", "--med", "paracetamol", "--at", "5h ago"))
    _one_error(medjournal("dose", "--med", "paracetamol"), "2 already taken")
    assert _states(medjournal)["paracetamol"]["state"] == "as_needed"


def test_the_same_medicine_twice_is_refused_and_names_the_entry(medjournal: Medjournal) -> None:
    _ok(medjournal("med", "add", "anakinra"))
    _one_error(medjournal("med", "add", "Kineret"), "already on your list as anakinra")
    _one_error(medjournal("med", "add", "ANAKINRA", "--schedule", "daily at 09:00"), "already on your list")
    assert _ok(medjournal("med", "list")).out.count("anakinra") == 1


@pytest.mark.parametrize("spec", ["once a week", "daily at 8", "weekly at 09:00", "every two days at 08:00"])
def test_a_bad_schedule_is_one_error_line_with_the_accepted_forms(medjournal: Medjournal, spec: str) -> None:
    _one_error(medjournal("med", "add", "x", "--schedule", spec), "every N days at HH:MM", "as needed")
    assert "No medicines" in _ok(medjournal("med", "list")).out


def test_a_schedule_changes_from_a_date(medjournal: Medjournal) -> None:
    _ok(medjournal("med", "add", "prednisone", "--form", "tablet", "--schedule", "daily at 08:00"))
    step = ("med", "schedule", "prednisone", "every 2 days at 08:00", "--from", "today", "--dose", "5 mg")
    _one_error(medjournal(*step), "overlaps the step daily at 08:00", "--replace", "nothing was recorded")
    changed = _ok(medjournal(*step, "--replace"))
    assert "every 2 days at 08:00, 5 mg" in changed.out and "Replaced the step daily at 08:00" in changed.out
    assert "every 2 days at 08:00, 5 mg" in _ok(medjournal("med", "list")).out
    _one_error(medjournal("med", "schedule", "prednisone", "sometimes", "--from", "today"), "not a schedule")


def test_a_box_of_weekly_tablets_lasts_weeks_not_days(medjournal: Medjournal) -> None:
    later_day = (datetime.now(UTC) + timedelta(days=3)).strftime("%a").lower()
    _ok(medjournal("med", "add", "methotrexate", "--form", "tablet", "--schedule", f"weekly on {later_day} at 09:00"))
    _ok(medjournal("supply", "add", "--count", "4", "--med", "methotrexate"))
    (supply,) = json.loads(_ok(medjournal("supply", "--json")).out)
    # Four weekly doses from three days ahead: the fifth, 3 + 28 days ahead, is the first without.
    assert supply["usable"] == 4 and supply["days_left"] == 28


def test_the_weekly_split_dose_and_a_cycle_are_written_and_shown_as_typed(medjournal: Medjournal) -> None:
    split = "weekly split fri 08:00, fri 20:00, sat 08:00"
    _ok(medjournal("med", "add", "methotrexate", "--form", "tablet", "--strength", "7.5 mg", "--schedule", split))
    _ok(medjournal("med", "add", "capecitabine", "--form", "tablet", "--schedule", "cycle 14 on 7 off at 09:00"))
    listed = _ok(medjournal("med", "list")).out
    assert "weekly, split in 3 doses: Friday 08:00, Friday 20:00 and Saturday 08:00" in listed
    assert "in cycles of 14 days on and 7 days off, at 09:00" in listed
    _one_error(
        medjournal("med", "schedule", "methotrexate", "weekly split mon 08:00, thu 08:00", "--from", "today"),
        "once a week",
    )
    _one_error(medjournal("med", "add", "x", "--schedule", "weekly split fri 08:00"), "two parts or more")
    assert "split in 3 doses" in str(_states(medjournal)["methotrexate"]["schedule"])
