"""The nine ways the journal invited an unsafe dose (issue "Stop the harm"), each at the moment it matters.

Each command runs in-process under time-machine, at a fixed local time in Berlin, as a patient on daily
anakinra, weekly methotrexate, daily folic acid, vitamin B12 every three days and ibuprofen as needed
would type it.
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from journal.store import Store
from tests.cli.conftest import ZONE, Cli, refused
from tests.conftest import Run


def ok(result: Run) -> Run:
    assert result.code == 0, result.err
    return result


def doses(journal_path: Path, name: str) -> list[str]:
    """The local times ('2026-12-08 09:31') of the doses of `name` in the journal."""
    with Store.open(journal_path) as store:
        med = store.find_medication(name, include_stopped=True)
        assert med is not None
        return [d.at.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M") for d in store.doses(med.id)]


@pytest.fixture
def regimen(cli: Cli) -> Cli:
    """Five medicines, added on Tuesday 1 December 2026."""
    added = "2026-12-01 09:00"
    ok(cli(added, "med", "add", "anakinra", "--time", "08:00", "--started", "2026-11-20"))
    ok(cli(added, "med", "add", "methotrexate", "--form", "tablet", "--schedule", "weekly on fri at 20:00"))
    ok(cli(added, "med", "add", "ibuprofen", "--form", "tablet", "--schedule", "as needed max 3 per 24h"))
    ok(cli(added, "med", "add", "vitamin B12", "--form", "tablet", "--schedule", "every 3 days at 09:00"))
    ok(cli(added, "med", "add", "folic acid", "--form", "tablet", "--schedule", "daily at 09:00"))
    return cli


TUESDAY = "2026-12-08"  # methotrexate on Fridays, vitamin B12 on 1, 4, 7, 10 December


def test_1_remind_notifies_only_the_doses_status_shows_due(regimen: Cli) -> None:
    shown = json.loads(regimen(f"{TUESDAY} 09:30", "status", "--json").out)
    states = {med["name"]: med["state"] for med in shown["medicines"]}
    assert states == {
        "anakinra": "overdue",
        "folic acid": "overdue",
        "methotrexate": "not_due",
        "vitamin B12": "not_due",
        "ibuprofen": "as_needed",
    }
    reminded = regimen(f"{TUESDAY} 09:30", "remind", "--once", "--via", "terminal")
    assert reminded.code == 3
    lines = [line.lstrip("\a") for line in reminded.out.splitlines() if "reminder:" in line]
    assert sorted(lines) == ["reminder: anakinra 08:00", "reminder: folic acid 09:00"]
    # Friday evening, methotrexate's time has come: now it is reminded.
    friday = regimen("2026-12-11 20:10", "remind", "--once", "--via", "terminal")
    assert "reminder: methotrexate 20:00" in friday.out


def test_2_a_dose_on_a_day_with_nothing_due_is_refused_and_friday_still_counts(
    regimen: Cli, journal_path: Path
) -> None:
    line = refused(regimen(f"{TUESDAY} 09:31", "dose", "--med", "methotrexate"), "weekly on Friday", "--extra")
    assert "methotrexate is taken weekly on Friday at 20:00, and nothing is due today" in line
    assert doses(journal_path, "methotrexate") == []
    ok(regimen("2026-12-11 20:05", "dose", "--med", "methotrexate"))
    assert doses(journal_path, "methotrexate") == ["2026-12-11 20:05"]


def test_3_a_late_dose_counts_for_its_own_day(regimen: Cli, journal_path: Path) -> None:
    ok(regimen(f"{TUESDAY} 20:15", "dose", "--med", "anakinra"))
    assert "anakinra taken 20:15" in regimen(f"{TUESDAY} 21:00", "status").out
    morning = regimen("2026-12-09 07:30", "status").out
    assert "anakinra due 08:00" in morning and "taken yesterday" not in morning
    ok(regimen("2026-12-09 08:05", "dose", "--med", "anakinra"))
    assert doses(journal_path, "anakinra") == [f"{TUESDAY} 20:15", "2026-12-09 08:05"]


def test_4_a_second_injection_the_same_day_is_refused(regimen: Cli, journal_path: Path) -> None:
    ok(regimen(f"{TUESDAY} 08:05", "dose", "--med", "anakinra"))
    refused(regimen(f"{TUESDAY} 20:01", "dose", "--med", "anakinra"), "already taken", "today 08:05", "--extra")
    assert doses(journal_path, "anakinra") == [f"{TUESDAY} 08:05"]
    ok(regimen(f"{TUESDAY} 20:02", "dose", "--med", "anakinra", "--extra"))
    assert len(doses(journal_path, "anakinra")) == 2


def test_5_a_bare_dose_never_chooses_between_two_due(regimen: Cli, journal_path: Path) -> None:
    refused(regimen(f"{TUESDAY} 08:31", "dose"), "anakinra and folic acid are both due now", "--med")
    assert doses(journal_path, "anakinra") == [] and doses(journal_path, "folic acid") == []
    ok(regimen(f"{TUESDAY} 08:32", "dose", "--med", "folic acid"))
    # One left due: a bare dose takes it, and it is the injection.
    assert "Recorded anakinra" in ok(regimen(f"{TUESDAY} 08:33", "dose")).out


def test_6_a_stop_dated_ahead_keeps_the_medicine_until_that_day(cli: Cli, journal_path: Path) -> None:
    ok(cli("2026-12-01 09:00", "med", "add", "prednisone", "--schedule", "daily at 08:00", "--strength", "20 mg"))
    said = ok(cli("2026-12-07 10:00", "med", "stop", "prednisone", "--on", "2026-12-20")).out
    assert "stays on every list" in said
    assert "prednisone OVERDUE" in cli("2026-12-07 10:00", "status").out
    assert "prednisone 20 mg" in cli("2026-12-07 10:00", "emergency").out
    assert "prednisone 20 mg" in cli("2026-12-07 10:00", "med", "list").out
    ok(cli("2026-12-07 10:01", "dose", "--med", "prednisone"))
    assert "prednisone" in cli("2026-12-20 10:00", "emergency").out  # its last day
    after = cli("2026-12-21 10:00", "emergency").out
    assert "prednisone 20 mg - prescription - stopped 2026-12-20" in after  # named as stopped, no longer active
    assert after.count("prednisone") == 1
    assert "prednisone" not in cli("2026-12-21 10:00", "status").out
    # A stop before a dose already recorded is refused, naming it.
    ok(cli("2026-12-07 10:02", "med", "add", "folic acid", "--schedule", "daily at 09:00", "--form", "tablet"))
    ok(cli("2026-12-08 09:05", "dose", "--med", "folic acid"))
    refused(cli("2026-12-08 10:00", "med", "stop", "folic acid", "--on", "2026-12-07"), "2026-12-08", "stop date")


@pytest.mark.parametrize(
    "args",
    [
        ("methotrexate", "--schedule", "daily at 09:00"),
        ("MTX", "--schedule", "daily at 09:00"),
        ("Trexall", "--track", "--time", "09:00"),
        ("methotrexate", "--schedule", "every 2 days at 09:00"),
        ("methotrexate", "--schedule", "weekly on mon,thu at 09:00"),
        ("Otrexup 25 mg", "--schedule", "as needed"),
    ],
)
def test_7_methotrexate_more_often_than_weekly_is_refused_with_its_reason_and_source(
    cli: Cli, journal_path: Path, args: tuple[str, ...]
) -> None:
    line = refused(
        cli("2026-12-07 10:00", "med", "add", *args), "once a week", "Institute for Safe Medication Practices"
    )
    assert "--prescribed-daily" in line and "serious harm" in line
    with Store.open(journal_path) as store:
        assert store.medications() == []


def test_7_methotrexate_once_a_week_under_any_name_and_daily_when_the_prescription_says_so(
    cli: Cli, journal_path: Path
) -> None:
    ok(cli("2026-12-07 10:00", "med", "add", "methotrexate", "--schedule", "weekly on fri at 08:00"))
    refused(cli("2026-12-07 10:00", "med", "add", "MTX", "--schedule", "weekly on fri at 08:00"), "already")
    refused(cli("2026-12-07 10:00", "med", "add", "Rasuvo"), "already")
    refused(cli("2026-12-07 10:00", "med", "schedule", "methotrexate", "daily at 08:00", "--from", "today"), "once a")
    ok(cli("2026-12-07 10:00", "med", "stop", "methotrexate", "--on", "2026-12-06"))
    added = cli("2026-12-07 10:00", "med", "add", "MTX", "--schedule", "daily at 09:00", "--prescribed-daily")
    assert "daily at 09:00 (as prescribed, confirmed by you)" in ok(added).out
    assert "(as prescribed, confirmed by you)" in cli("2026-12-07 10:00", "med", "list").out


def test_8_after_signs_of_an_allergic_reaction_the_medicine_is_paused_until_resumed(
    regimen: Cli, journal_path: Path
) -> None:
    said = ok(regimen("2026-12-07 21:00", "effect", "my lips are swelling")).out
    assert "GET EMERGENCY HELP NOW" in said and "anakinra is PAUSED" in said
    morning = f"{TUESDAY} 09:30"
    status = regimen(morning, "status", "--json")
    anakinra = next(m for m in json.loads(status.out)["medicines"] if m["name"] == "anakinra")
    assert anakinra["state"] == "paused" and anakinra["due_at"] is None
    assert "anakinra PAUSED since yesterday 21:00" in regimen(morning, "status").out
    reminded = regimen(morning, "remind", "--once", "--via", "terminal", "--details").out
    assert "anakinra due" not in reminded and "suggested spot" not in reminded
    refused(regimen(morning, "dose", "--med", "anakinra"), "paused since yesterday 21:00", "ask your doctor")
    assert doses(journal_path, "anakinra") == []
    resumed = ok(regimen(f"{TUESDAY} 11:00", "med", "resume", "anakinra", "--note", "Dr Weber: go on"))
    assert "Resumed anakinra" in resumed.out
    assert "anakinra OVERDUE" in regimen(f"{TUESDAY} 11:01", "status").out
    with Store.open(journal_path) as store:
        med = store.find_medication("anakinra")
        assert med is not None and not med.paused and med.resume_note == "Dr Weber: go on"
