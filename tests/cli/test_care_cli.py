"""The care rules through the installed `medjournal` command, run in a subprocess as a user would."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from journal.care.regimen import OVERDUE_SHOWN_FOR
from journal.content import load_pack, spot_distance_cm
from tests.conftest import MEDJOURNAL, Run, _command_env

Medjournal = Callable[..., Run]
SPOT = re.compile(r"\(([a-z-]+:[A-Z]\d+)\)")


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def kineret_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with Kineret on the list (tracked daily, 04:00) and one box of syringes, made once.

    04:00: a dose window opens six hours before its time, and reaches into the day before only when that day has
    a dose; at 04:00 every hour of the day falls in a window, so a dose now is never an extra one, whatever the
    hour the test runs at (at 08:00, 00:00 to 02:00 would be outside every window)."""
    db = tmp_path_factory.mktemp("template") / "journal.db"
    for args in (
        ("med", "add", "Kineret", "--time", "04:00"),
        ("supply", "add", "--lot", "A1", "--expires", "2099-01-01"),
    ):
        done = subprocess.run(
            [*MEDJOURNAL, "--db", str(db), *args], capture_output=True, text=True, env=_command_env(), timeout=60
        )
        assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def kineret(medjournal: Medjournal, journal_path: Path, kineret_template: Path) -> Medjournal:
    """A copy of the Kineret journal for one test."""
    shutil.copy2(kineret_template, journal_path)
    return medjournal


def test_cloudy_syringe_is_discarded_and_never_becomes_a_dose(kineret: Medjournal, journal_path: Path) -> None:
    run = kineret("dose", "--syringe", "cloudy")
    assert run.code == 0, run.err
    assert "NO DOSE RECORDED" in run.out and "discarded" in run.out and "new syringe" in run.out
    assert rows(journal_path, "SELECT count(*) FROM doses") == [(0,)]
    assert rows(journal_path, "SELECT appearance, outcome FROM syringe_checks") == [("cloudy", "discarded")]
    supply = kineret("supply")
    assert "6 syringes left" in supply.out and "discarded 1" in supply.out


def test_foamy_syringe_needs_the_minutes_waited_and_then_records_the_dose(
    kineret: Medjournal, journal_path: Path
) -> None:
    refused = kineret("dose", "--syringe", "foamy")
    assert refused.code == 1 and refused.err.startswith("error:") and "--waited" in refused.err
    assert "Traceback" not in refused.err
    assert rows(journal_path, "SELECT count(*) FROM syringe_checks") == [(0,)]
    run = kineret("dose", "--syringe", "foamy", "--waited", "4")
    assert run.code == 0 and "waiting 4 min" in run.out
    assert rows(journal_path, "SELECT waited_minutes, outcome FROM syringe_checks") == [(4, "used")]
    assert rows(journal_path, "SELECT count(*) FROM doses WHERE check_id IS NOT NULL") == [(1,)]


def test_leftover_solution_is_noted_with_the_never_reinject_advice(kineret: Medjournal, journal_path: Path) -> None:
    run = kineret("dose", "--leftover")
    assert run.code == 0 and "never inject it again" in run.out
    assert rows(journal_path, "SELECT leftover FROM doses") == [(1,)]


def test_rash_says_call_the_doctor_now_and_status_then_exits_3(kineret: Medjournal) -> None:
    assert kineret("dose").code == 0
    calm = kineret("status", "--lead-days", "0")
    assert calm.code == 0, calm.out
    run = kineret("effect", "rash")
    assert run.code == 0 and "CALL YOUR DOCTOR NOW" in run.out
    status = kineret("status", "--lead-days", "0")
    assert status.code == 3
    assert "ALERT: rash - call your doctor now" in status.out and len(status.out.strip().splitlines()) == 1


def test_contacting_the_doctor_or_resolving_closes_the_alert(kineret: Medjournal) -> None:
    kineret("dose")
    kineret("effect", "fever")
    assert kineret("status", "--lead-days", "0").code == 3
    assert kineret("contacted", "fever").code == 0
    assert kineret("status", "--lead-days", "0").code == 0
    assert kineret("resolve", "fever").code == 0
    missing = kineret("resolve", "fever")
    assert missing.code == 1 and missing.err.startswith("error:")


def test_a_common_side_effect_when_severe_says_tell_your_doctor(kineret: Medjournal) -> None:
    kineret("dose")
    run = kineret("effect", "headache", "--severity", "severe")
    assert "TELL YOUR DOCTOR" in run.out
    status = kineret("status", "--lead-days", "0")
    assert status.code == 3 and "headache - tell your doctor" in status.out


def test_enbrel_warns_that_it_interacts_when_an_anakinra_medicine_is_on_the_list(kineret: Medjournal) -> None:
    run = kineret("med", "add", "Enbrel")
    assert run.code == 0
    assert "warning: Enbrel (etanercept) interacts with Kineret" in run.out


def test_enbrel_added_first_is_warned_about_when_anakinra_is_added(medjournal: Medjournal) -> None:
    # Decision: with no anakinra medicine on the list, Enbrel raises nothing; the warning comes with anakinra.
    first = medjournal("med", "add", "Enbrel")
    assert first.code == 0 and "warning" not in first.out
    second = medjournal("med", "add", "anakinra")
    assert "Linked to the anakinra (Kineret) guide" in second.out
    assert "warning: Enbrel (etanercept) interacts with anakinra" in second.out


def test_med_add_kineret_links_the_pack_and_tracks_it_daily(medjournal: Medjournal, journal_path: Path) -> None:
    medjournal("med", "add", "kineret")
    assert rows(journal_path, "SELECT name, generic, brand, pack, tracked, route FROM medications") == [
        ("kineret", "anakinra", "Kineret", "anakinra", 1, "subcutaneous")
    ]


def test_allergy_condition_and_appointments_print_their_warnings(kineret: Medjournal) -> None:
    assert "allergic to latex" in kineret("allergy", "add", "latex").out
    assert "plan to become pregnant" in kineret("condition", "add", "planning a pregnancy").out
    vaccination = kineret("appt", "add", "2099-01-05 09:00", "vaccination")
    assert "without talking to your doctor first" in vaccination.out
    assert "tell the dentist" in kineret("appt", "add", "2099-01-06 09:00", "dental").out
    assert "warning" not in kineret("allergy", "add", "penicillin").out


def test_two_doses_in_a_row_never_get_suggested_sites_closer_than_the_spacing(kineret: Medjournal) -> None:
    pack = load_pack("anakinra")
    spots = []
    for when in ("3 days ago", "2 days ago", "yesterday 04:00", "now"):
        run = kineret("dose", "--at", when)
        assert run.code == 0 and "suggested spot" in run.out, run.out
        spots.append(SPOT.findall(run.out)[0])
    for a, b in itertools.pairwise(spots):
        assert spot_distance_cm(pack, a, b) >= 2.5


def test_injecting_your_own_arm_is_refused_and_nothing_is_written(kineret: Medjournal, journal_path: Path) -> None:
    run = kineret("dose", "--site", "arm-left")
    assert run.code == 1 and run.err.startswith("error:") and "someone else" in run.err
    assert rows(journal_path, "SELECT count(*) FROM doses") == [(0,)]
    other = kineret("dose", "--site", "arm-left", "--by", "other")
    assert other.code == 0 and "arm-left:A1" in other.out


def test_choosing_the_same_spot_as_last_time_warns(kineret: Medjournal) -> None:
    kineret("dose", "--at", "yesterday 04:00", "--site", "stomach-left:B2")
    run = kineret("dose", "--site", "stomach-left:B2")
    assert run.code == 0 and "warning: stomach-left:B2 is the same spot as the last injection" in run.out


def test_supply_shows_remaining_days_left_and_reorder_by(kineret: Medjournal) -> None:
    kineret("supply", "add", "--count", "3")
    kineret("dose")
    run = kineret("supply", "--lead-days", "2")
    assert run.code == 0
    assert "9 syringes left (received 10, used 1, discarded 0)" in run.out
    assert "Enough for 9 days" in run.out and "Reorder by" in run.out


def test_an_expired_box_warns_and_status_needs_attention(kineret: Medjournal) -> None:
    kineret("dose")
    run = kineret("supply", "add", "--lot", "OLD", "--expires", "2020-01-01")
    assert "warning: this box expired on 2020-01-01" in run.out
    status = kineret("status", "--lead-days", "0")
    assert status.code == 3 and "expired" in status.out


def _a_week_after_a_box_expired(kineret: Medjournal) -> None:
    """The template's box (lot A1, 2099) and an OLD one that expired 6 days ago; a dose a day for 7 days."""
    today = datetime.now(UTC).date()

    def day(back: int) -> str:
        return (today - timedelta(days=back)).isoformat()

    added = kineret("supply", "add", "--lot", "OLD", "--expires", day(6), "--received", day(8))
    assert added.code == 0, added.err
    for back in range(7, 0, -1):
        assert kineret("dose", "--at", f"{day(back)} 04:00").code == 0


def test_after_an_expired_box_supply_counts_only_the_usable_syringes(kineret: Medjournal) -> None:
    # Issue 13: `supply` said 7 syringes left when 2 usable ones were. The old box gave the
    # doses on or before its expiry date (2), the A1 box the 5 after it.
    _a_week_after_a_box_expired(kineret)
    run = kineret("supply")
    assert run.code == 0, run.err
    assert "Kineret: 2 syringes left (received 14, used 7, discarded 0; 5 more in expired boxes)." in run.out
    assert "lot OLD" in run.out and "5 of 7 left EXPIRED" in run.out and "lot A1, expires 2099-01-01: 2 of 7" in run.out
    assert "warning: the box (lot OLD) expired on" in run.out and "with 5 syringes unused" in run.out
    assert "medjournal supply discard --lot OLD" in run.out
    listed = json.loads(kineret("supply", "--json").out)
    # Today's 04:00 dose stays open (overdue) for regimen.OVERDUE_SHOWN_FOR; while it is, the two syringes
    # cover it and tomorrow's, and after that tomorrow's and the next day's: they last a day longer.
    now = datetime.now(UTC)
    still_open = now < datetime.combine(now.date(), time(4), UTC) + OVERDUE_SHOWN_FOR
    runs_out = now.date() + timedelta(days=2 if still_open else 3)
    reorder_by = (runs_out - timedelta(days=7)).isoformat()
    assert listed == [
        {"medicine": "Kineret", "usable": 2, "expired_unused": 5, "days_left": 2, "reorder_by": reorder_by}
    ]


def test_a_box_thrown_away_no_longer_counts_and_undo_takes_it_back(kineret: Medjournal, journal_path: Path) -> None:
    _a_week_after_a_box_expired(kineret)
    run = kineret("supply", "discard", "--lot", "old", "--reason", "expired")
    assert run.code == 0, run.err
    assert "lot OLD" in run.out and "thrown away, with 5 syringes in it" in run.out and "Now 2 syringes left" in run.out
    assert rows(journal_path, "SELECT discard_reason FROM supply_boxes WHERE discarded_at IS NOT NULL") == [
        ("expired",)
    ]
    shown = kineret("supply")
    assert "5 thrown away with their boxes" in shown.out and "EXPIRED" not in shown.out and "warning" not in shown.out
    assert json.loads(kineret("supply", "--json").out)[0]["expired_unused"] == 0
    again = kineret("supply", "discard", "--lot", "OLD")
    assert again.code == 1 and again.err.startswith("error:") and "already thrown away" in again.err
    assert len(again.err.strip().splitlines()) == 1
    assert kineret("undo", "--yes").code == 0
    assert "5 more in expired boxes" in kineret("supply").out


@pytest.mark.parametrize(
    ("lot", "said"), [("NOPE", "no box of Kineret has lot 'NOPE' (lots recorded: A1, K1)"), ("K1", "2 boxes")]
)
def test_a_lot_matching_no_box_or_several_is_refused_and_writes_nothing(
    kineret: Medjournal, journal_path: Path, lot: str, said: str
) -> None:
    for _ in range(2):
        kineret("supply", "add", "--lot", "K1", "--expires", "2099-01-01")
    run = kineret("supply", "discard", "--lot", lot)
    assert run.code == 1 and run.err.startswith("error:") and said in run.err and "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert rows(journal_path, "SELECT count(*) FROM supply_boxes WHERE discarded_at IS NOT NULL") == [(0,)]


def test_supply_json_lists_every_medicine_with_a_box(kineret: Medjournal) -> None:
    assert kineret("med", "add", "Folic acid").code == 0
    assert kineret("supply", "add", "--med", "Folic acid", "--count", "30").code == 0
    listed = json.loads(kineret("supply", "--json").out)
    assert [(s["medicine"], s["usable"], s["expired_unused"]) for s in listed] == [
        ("Kineret", 7, 0),
        ("Folic acid", 30, 0),
    ]
    # Not tracked daily: how fast it is used, and so when to reorder, is not known.
    assert (listed[1]["days_left"], listed[1]["reorder_by"]) == (None, None)
    assert listed[0]["days_left"] == 7 and date.fromisoformat(listed[0]["reorder_by"])
    plain = kineret("supply")
    assert "Kineret: 7 syringes left" in plain.out and "Folic acid: 30 doses left" in plain.out


def test_supply_json_is_an_empty_list_before_any_box(medjournal: Medjournal) -> None:
    assert medjournal("med", "add", "vitamin D").code == 0  # reading commands never create a journal
    run = medjournal("supply", "--json")
    assert (run.code, json.loads(run.out), run.err) == (0, [], "")


def test_supply_before_any_box_names_each_tracked_medicine_even_with_none_due(medjournal: Medjournal) -> None:
    assert medjournal("med", "add", "anakinra", "--track", "--time", "04:00").code == 0
    weekly = ("--form", "tablet", "--schedule", "weekly on fri at 09:00")
    assert medjournal("med", "add", "methotrexate", *weekly).code == 0
    assert medjournal("dose", "--med", "anakinra").code == 0  # nothing is due now
    run = medjournal("supply")
    assert (run.code, run.err) == (0, ""), run.err
    assert "anakinra: no boxes recorded yet" in run.out and "methotrexate: no boxes recorded yet" in run.out


def test_guide_lists_its_topics_and_shows_the_injection_steps(medjournal: Medjournal, journal_path: Path) -> None:
    topics = medjournal("guide")
    assert topics.code == 0 and "inject" in topics.out and "does not replace" in topics.out
    steps = medjournal("guide", "inject")
    assert steps.code == 0
    assert "alcohol wipe" in steps.out and "45 to 90 degrees" in steps.out and "MedlinePlus" in steps.out
    assert steps.out.count("Source:") == 1  # the section's own, not the pack's again
    assert not journal_path.exists()  # reading the guide creates no journal
    bad = medjournal("guide", "nope")
    assert bad.code == 1 and bad.err.startswith("error:") and "inject" in bad.err


def test_status_with_nothing_tracked_is_quiet(medjournal: Medjournal) -> None:
    assert medjournal("allergy", "add", "latex").code == 0  # a journal, with no medicine tracked
    run = medjournal("status")
    assert run.code == 0 and run.out.strip() == "medjournal: nothing tracked yet"


PACK = load_pack("anakinra")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("fevers", "SERIOUS - CALL YOUR DOCTOR NOW"),
        ("throat is sore", "SERIOUS - CALL YOUR DOCTOR NOW"),
        ("pus at the injection site", "SERIOUS - CALL YOUR DOCTOR NOW"),
        ("trouble breathing", "EMERGENCY - GET EMERGENCY HELP NOW"),
        ("headache that won't go away", "TELL YOUR DOCTOR"),
        ("tummy ache", "Common side effect (Stomach pain)"),
    ],
)
def test_effect_reads_the_words_a_patient_types(kineret: Medjournal, typed: str, said: str) -> None:
    run = kineret("effect", typed)
    assert run.code == 0 and said in run.out, run.out


def test_an_allergic_reaction_sign_stays_an_emergency_alert_in_status(kineret: Medjournal) -> None:
    kineret("dose")
    run = kineret("effect", "swelling of the face")
    assert PACK.side_effects.advice.emergency in run.out
    status = kineret("status", "--lead-days", "0")
    assert status.code == 3 and "ALERT: swelling of the face - get emergency help now" in status.out


def test_an_unlisted_symptom_keeps_an_alert_until_resolved(kineret: Medjournal) -> None:
    kineret("dose")
    run = kineret("effect", "purple toes")
    assert "Not a side effect the guide lists" in run.out and "open alert" in run.out
    status = kineret("status", "--lead-days", "0")
    assert status.code == 3 and "purple toes - call your doctor if it is unusual" in status.out
    assert kineret("resolve", "purple toes").code == 0
    assert kineret("status", "--lead-days", "0").code == 0


def test_a_watched_effect_gives_the_check_back_as_a_journal_setting(kineret: Medjournal) -> None:
    run = kineret("effect", "headache")
    assert "Journal setting, not medical advice" in run.out and "will remind you" not in run.out


def test_dose_says_first_use_once_where_not_to_inject_and_how_to_dispose(kineret: Medjournal) -> None:
    first = kineret("dose")
    assert first.code == 0
    assert f"First dose: {PACK.supply.first_use}" in first.out
    assert "At the site: Keep away from any vein you can see" in first.out
    assert PACK.supply.disposal in first.out
    second = kineret("dose", "--at", "yesterday 04:00")
    assert second.code == 0 and "First dose" not in second.out and PACK.supply.disposal in second.out
    discarded = kineret("dose", "--syringe", "cloudy")
    assert "NO DOSE RECORDED" in discarded.out and PACK.supply.disposal in discarded.out


def test_allergy_visit_and_infection_say_the_guides_advice_when_added(kineret: Medjournal) -> None:
    allergy = kineret("allergy", "add", "sulfa")
    assert PACK.precautions.allergies_advice in allergy.out
    visit = kineret("appt", "add", "2099-01-02 09:30", "doctor")
    assert PACK.appointments.doctor in visit.out and PACK.appointments.bring_list in visit.out
    dentist = kineret("appt", "add", "2099-01-03 09:30", "dental")
    assert PACK.appointments.bring_list not in dentist.out
    infection = kineret("condition", "add", "chest infection")
    assert "Call your doctor immediately if you get fever, sore throat, chills" in infection.out
