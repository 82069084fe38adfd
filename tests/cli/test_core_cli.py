"""The command-line contract of the journal core, run as a user runs it."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

Medjournal = Callable[..., Run]


def _history_count(medjournal: Medjournal) -> int:
    result = medjournal("history", "--limit", "10000")
    if result.code == 1 and "no journal at" in result.err:  # nothing was ever written: no journal made
        return 0
    assert result.code == 0, result.err
    return 0 if "The journal is empty" in result.out else len(result.out.splitlines())


def _assert_one_error_line(result: Run) -> None:
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.err


def test_added_medicine_appears_on_the_emergency_list(medjournal: Medjournal) -> None:
    added = medjournal("med", "add", "methotrexate", "--kind", "prescription", "--strength", "2.5 mg")
    assert added.code == 0, added.err
    listed = medjournal("emergency")
    assert listed.code == 0, listed.err
    assert "methotrexate 2.5 mg" in listed.out
    assert "prescription" in listed.out


def test_bad_severity_is_one_error_line_and_writes_nothing(medjournal: Medjournal) -> None:
    medjournal("med", "add", "methotrexate")
    before = _history_count(medjournal)
    result = medjournal("effect", "headache", "--severity", "awful")
    _assert_one_error_line(result)
    assert "severity" in result.err
    assert _history_count(medjournal) == before


def test_every_kind_of_product_is_listed_with_its_details(medjournal: Medjournal) -> None:
    for name, kind in [
        ("Vitamin D", "vitamin"),
        ("Fish oil", "supplement"),
        ("Ibuprofen", "otc"),
        ("Turmeric", "herbal"),
    ]:
        assert medjournal("med", "add", name, "--kind", kind, "--how", "once a day", "--reason", "joints").code == 0
    out = medjournal("emergency").out
    for name, kind in [
        ("Vitamin D", "vitamin"),
        ("Fish oil", "supplement"),
        ("Ibuprofen", "otc"),
        ("Turmeric", "herbal"),
    ]:
        line = next(line for line in out.splitlines() if name in line)
        assert kind in line and "once a day" in line and "for joints" in line


def _section(listed: str, heading: str) -> str:
    """The lines of one section of the text emergency list (empty when it is not there)."""
    lines = listed.splitlines()
    if heading not in lines:
        return ""
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return "\n".join(lines[start:end])


def test_stopped_medicine_leaves_the_list_but_not_the_journal(medjournal: Medjournal) -> None:
    medjournal("med", "add", "Prednisone", "--strength", "5 mg", "--started", "2026-01-01")
    # Stopped today, it was taken today: it stays on the lists (the emergency list above all) through today.
    assert medjournal("med", "stop", "prednisone").code == 0
    assert "Prednisone 5 mg | prescription | stops after" in medjournal("med", "list").out
    assert "Prednisone" in medjournal("emergency").out
    medjournal("med", "add", "Folic acid")
    stopped = medjournal("med", "stop", "folic acid", "--on", "yesterday", "--reason", "course done")
    assert stopped.code == 0, stopped.err
    assert "Folic acid" not in medjournal("med", "list").out
    listed = medjournal("emergency").out
    assert "Folic acid" not in _section(listed, "MEDICINES, VITAMINS AND SUPPLEMENTS")
    # Stopped yesterday, it is named among those stopped lately, with its day.
    assert "Folic acid" in _section(listed, "STOPPED IN THE LAST 90 DAYS")
    everything = medjournal("med", "list", "--all").out
    assert "Folic acid" in everything and "stopped" in everything


def test_stopping_an_unknown_medicine_is_an_error(medjournal: Medjournal) -> None:
    _assert_one_error_line(medjournal("med", "stop", "nothing-like-this"))


def test_the_same_medicine_cannot_be_added_twice(medjournal: Medjournal) -> None:
    assert medjournal("med", "add", "Folic acid").code == 0
    _assert_one_error_line(medjournal("med", "add", "folic acid"))


def test_empty_medicine_name_is_refused(medjournal: Medjournal) -> None:
    result = medjournal("med", "add", "   ")
    _assert_one_error_line(result)
    assert "empty" in result.err
    assert _history_count(medjournal) == 0


def test_stop_date_before_start_date_is_refused(medjournal: Medjournal) -> None:
    medjournal("med", "add", "Folic acid", "--started", "2026-11-01")
    result = medjournal("med", "stop", "Folic acid", "--on", "2026-10-01")
    _assert_one_error_line(result)
    assert "before the start date" in result.err


def test_dose_needs_a_tracked_medicine_and_says_how(medjournal: Medjournal) -> None:
    result = medjournal("dose")
    _assert_one_error_line(result)
    assert "med add" in result.err


def test_dose_time_in_the_future_is_refused(medjournal: Medjournal) -> None:
    medjournal("med", "add", "Testdrug", "--track", "--time", "08:00")
    before = _history_count(medjournal)
    result = medjournal("dose", "--at", "tomorrow 08:00")
    _assert_one_error_line(result)
    assert "future" in result.err
    assert _history_count(medjournal) == before


def test_dose_time_that_is_not_a_time_is_refused(medjournal: Medjournal) -> None:
    medjournal("med", "add", "Testdrug", "--track")
    _assert_one_error_line(medjournal("dose", "--at", "soonish"))


def test_last_dose_time_is_on_the_emergency_list(medjournal: Medjournal) -> None:
    medjournal("med", "add", "Testdrug", "--track", "--time", "08:00")
    assert medjournal("dose", "--at", "2026-01-05 07:45").code == 0
    line = next(line for line in medjournal("emergency").out.splitlines() if "Testdrug" in line)
    assert "last dose: 2026-01-05 07:45" in line


def test_skipped_dose_is_recorded_with_its_reason(medjournal: Medjournal) -> None:
    medjournal("med", "add", "Testdrug", "--track")
    result = medjournal("dose", "--skip", "fever, doctor said wait")
    assert result.code == 0, result.err
    assert "skipped" in medjournal("history").out


def test_allergy_condition_appointment_checkin_and_profile_are_kept(medjournal: Medjournal) -> None:
    assert medjournal("allergy", "add", "penicillin", "--reaction", "hives").code == 0
    assert medjournal("condition", "add", "asthma").code == 0
    assert (
        medjournal("appt", "add", "2099-01-10 09:30", "lab", "--with", "Clinic lab", "--note", "blood count").code == 0
    )
    assert medjournal("checkin", "--pain", "4", "--swelling", "3", "--stiffness", "45").code == 0
    assert medjournal("profile", "--name", "Ann Example", "--emergency-contact", "Bob 555-0100").code == 0
    assert "penicillin (hives)" in medjournal("allergy", "list").out
    assert "asthma" in medjournal("condition", "list").out
    assert "Clinic lab" in medjournal("appt", "list").out
    shown = medjournal("profile").out
    assert "Ann Example" in shown and "Bob 555-0100" in shown
    emergency = medjournal("emergency").out
    assert "penicillin (hives)" in emergency and "asthma" in emergency and "Bob 555-0100" in emergency
    assert "check-in: pain 4/10" in medjournal("history").out


def test_checkin_score_out_of_range_is_refused(medjournal: Medjournal) -> None:
    result = medjournal("checkin", "--pain", "11")
    _assert_one_error_line(result)
    assert _history_count(medjournal) == 0


def test_empty_checkin_is_refused(medjournal: Medjournal) -> None:
    _assert_one_error_line(medjournal("checkin"))


def test_unknown_appointment_kind_is_refused(medjournal: Medjournal) -> None:
    _assert_one_error_line(medjournal("appt", "add", "tomorrow 10:00", "party"))


def test_birth_date_must_be_a_date(medjournal: Medjournal) -> None:
    _assert_one_error_line(medjournal("profile", "--born", "last spring"))


def test_emergency_json_is_machine_readable(medjournal: Medjournal) -> None:
    medjournal("med", "add", "Vitamin D", "--kind", "vitamin", "--strength", "1000 IU")
    data = json.loads(medjournal("emergency", "--format", "json").out)
    assert data["medicines"][0]["name"] == "Vitamin D"
    assert data["medicines"][0]["kind"] == "vitamin"
    assert data["last_updated"]


def test_emergency_markdown_escapes_user_text(medjournal: Medjournal) -> None:
    medjournal("med", "add", "Drug *bold* [link](x)")
    out = medjournal("emergency", "--format", "markdown").out
    assert r"Drug \*bold\* \[link\]\(x\)" in out


def test_history_lists_changes_newest_first(medjournal: Medjournal) -> None:
    medjournal("med", "add", "First")
    medjournal("med", "add", "Second")
    lines = medjournal("history").out.splitlines()
    assert "Second" in lines[0] and "First" in lines[1]
    assert len(medjournal("history", "--limit", "1").out.splitlines()) == 1


def test_db_option_works_after_the_command_name(medjournal: Medjournal, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    assert medjournal("med", "add", "Elsewhere", "--db", str(other)).code == 0
    assert "Elsewhere" in medjournal("med", "list", db=other).out
    assert "Elsewhere" not in medjournal("med", "list").out


def test_environment_variable_chooses_the_journal(medjournal: Medjournal, tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import MEDJOURNAL, _command_env

    target = tmp_path / "from-env.db"
    env = _command_env({"MEDJOURNAL_DB": str(target)})
    done = subprocess.run([*MEDJOURNAL, "med", "add", "Envdrug"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Envdrug" in medjournal("med", "list", db=target).out


def test_default_journal_is_private_in_the_user_data_folder(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import MEDJOURNAL, _command_env

    env = _command_env({"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)})
    done = subprocess.run([*MEDJOURNAL, "med", "add", "Homedrug"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    journal = tmp_path / "data" / "medjournal" / "journal.db"
    assert journal.exists()
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.parent.stat().st_mode) == 0o700


def test_unknown_command_is_one_error_line(medjournal: Medjournal) -> None:
    _assert_one_error_line(medjournal("frobnicate"))


def test_help_and_version_exit_zero(medjournal: Medjournal) -> None:
    assert medjournal("--help").code == 0
    assert "medjournal" in medjournal("--version").out
