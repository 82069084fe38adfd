"""One regimen truth (issue 25) from the command line: steps, their doses and the limits, each command at a fixed
Berlin moment, run in-process under time-machine."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.conftest import Cli, refused
from tests.conftest import Run


def ok(result: Run) -> Run:
    assert result.code in (0, 3), result.err
    return result


def test_med_schedule_refuses_an_overlap_replaces_on_request_and_a_taper_stops(cli: Cli) -> None:
    day = "2026-12-07 07:00"
    ok(cli(day, "med", "add", "prednisone", "--form", "tablet", "--schedule", "daily at 08:00"))
    taper = ("med", "schedule", "prednisone", "daily at 08:00", "--from", "2026-12-08", "--dose", "10 mg")
    refused(cli(day, *taper, "--until", "2026-12-09"), "overlaps the step daily at 08:00, from 2026-12-07")
    refused(cli(day, *taper, "--then", "stop", "--replace"), "needs its last day")
    out = ok(cli(day, *taper, "--until", "2026-12-09", "--then", "stop", "--replace")).out
    assert "now ends on 2026-12-07" in out and "stops after 2026-12-09" in out
    last = json.loads(ok(cli("2026-12-09 09:00", "status", "--json")).out)
    assert [m["state"] for m in last["medicines"]] == ["overdue"]
    after = cli("2026-12-10 09:00", "status")
    assert after.code == 0 and "prednisone" not in after.out
    assert "prednisone" not in ok(cli("2026-12-10 09:00", "remind", "--once", "--via", "terminal")).out


def test_the_steps_dose_shows_in_status_remind_and_the_dose_recorded(cli: Cli) -> None:
    day = "2026-12-07 09:00"
    ok(cli(day, "med", "add", "prednisone", "--form", "tablet", "--schedule", "daily at 08:00"))
    ok(cli(day, "med", "schedule", "prednisone", "daily at 08:00", "--from", "today", "--dose", "20 mg", "--replace"))
    (shown,) = json.loads(ok(cli(day, "status", "--json")).out)["medicines"]
    assert shown["dose"] == "20 mg" and shown["next_at"] == "2026-12-08T07:00:00Z"
    assert "prednisone 20 mg OVERDUE" in ok(cli(day, "status")).out
    assert "20 mg" in ok(cli(day, "remind", "--once", "--via", "terminal", "--details")).out
    assert "Recorded prednisone dose (20 mg)" in ok(cli(day, "dose", "--med", "prednisone")).out


def test_a_limit_broken_with_extra_makes_status_exit_3_until_the_day_ends(cli: Cli) -> None:
    add = ("med", "add", "ibuprofen", "--form", "tablet", "--schedule", "as needed at least 6 hours apart")
    ok(cli("2026-12-08 08:00", *add))
    ok(cli("2026-12-08 08:00", "dose", "--med", "ibuprofen"))
    refused(cli("2026-12-08 10:00", "dose", "--med", "ibuprofen"), "less than 6 hours", "--extra")
    assert cli("2026-12-08 10:00", "status").code == 0
    ok(cli("2026-12-08 10:00", "dose", "--med", "ibuprofen", "--extra"))
    late = cli("2026-12-08 23:00", "status")
    assert late.code == 3 and "ibuprofen above its limit today" in late.out
    assert cli("2026-12-09 00:30", "status").code == 0


def test_check_names_a_step_overlapping_another_written_by_hand(cli: Cli, journal_path: Path) -> None:
    ok(cli("2026-12-07 07:00", "med", "add", "prednisone", "--form", "tablet", "--schedule", "daily at 08:00"))
    with sqlite3.connect(journal_path) as conn:
        (med_id, stamp) = conn.execute("SELECT medication_id, created_at FROM schedules").fetchone()
        conn.execute(
            "INSERT INTO schedules (id, created_at, updated_at, medication_id, spec, starts, dose, then_stop) "
            "VALUES ('zz-later', ?, ?, ?, 'daily at 09:00', '2026-12-09', '10 mg', 0)",
            [stamp, stamp, med_id],
        )
    conn.close()
    found = cli("2026-12-08 10:00", "check")
    assert found.code != 0
    assert "schedules zz-later: one step at a time" in found.out + found.err
