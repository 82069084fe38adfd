"""Import from MedTimer and MyTherapy: every record through the use cases and the store's rules, once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from journal import models as m
from journal.application import imports
from journal.application.imports import ImportReport, import_file, read_file
from journal.application.medicines import add_medication
from journal.importers import ImportFileError
from journal.store import Store
from tests.unit.berlin import ZONE, at

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MEDTIMER = FIXTURES / "medtimer"
ARCHIVE = FIXTURES / "mytherapy" / "Archive.csv"
NOW = at("2026-12-08", "12:00")


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


def run(store: Store, path: Path, **options: Any) -> ImportReport:
    parsed = read_file(path, source_format=options.pop("source_format", None), zone=ZONE)
    return import_file(store, parsed, file=path.name, now=NOW, zone=ZONE, **options)


def seconds(day: str, hhmm: str) -> int:
    return int(at(day, hhmm).timestamp())


def backup(tmp_path: Path, medicines: list[dict[str, Any]], events: list[dict[str, Any]]) -> Path:
    path = tmp_path / "backup.json"
    data = {"medicines": {"version": 9, "list": medicines}, "events": {"version": 9, "list": events}}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def daily(name: str, minutes: int, **reminder: Any) -> dict[str, Any]:
    return {
        "medicine": {"name": name},
        "reminders": [{"reminderId": 1, "timeInMinutes": minutes, "days": [True] * 7, "active": True, **reminder}],
    }


def taken(name: str, day: str, hhmm: str, status: str = "TAKEN") -> dict[str, Any]:
    moment = seconds(day, hhmm)
    return {
        "medicineName": name,
        "reminderId": 1,
        "remindedTimestamp": moment,
        "processedTimestamp": moment,
        "status": status,
    }


def why(report: ImportReport, what: str) -> str:
    return next(s.why for s in report.skipped if what in s.what)


# --- MedTimer ------------------------------------------------------------------------------------------------------


def test_a_full_medtimer_backup_comes_in_once(store: Store) -> None:
    report = run(store, MEDTIMER / "fullBackup")
    assert report.written
    names = {med.name for med in store.medications()}
    assert names == {"Omega 3 (EPA/DHA 500mg)", "B12 (500µg)", "Ginseng (200mg)", "Selen (200 µg)"}
    b12 = store.find_medication("B12 (500µg)", on=date(2026, 12, 8))
    assert b12 is not None and [s.spec for s in store.schedules(b12.id)] == ["daily at 07:00"]
    # A cycle of days on and off has no place in the journal's grammar: the medicine comes, its schedule does not.
    omega = store.find_medication("Omega 3 (EPA/DHA 500mg)", on=date(2026, 12, 8))
    assert omega is not None and store.schedules(omega.id) == []
    assert "cycle (2 days on, 2 days off)" in why(report, "Omega 3 (EPA/DHA 500mg)'s schedule")
    # Six SKIPPED events, the reminder's second dose ("Omega 3 ... (1/2)") counted for its medicine.
    doses = store.all(m.Dose)
    assert len(doses) == 6 and all(d.status is m.DoseStatus.SKIPPED for d in doses)
    assert sum(1 for d in doses if d.medication_id == omega.id) == 2
    assert all(d.reason == "skipped in MedTimer" and d.tz == ZONE for d in doses)

    again = run(store, MEDTIMER / "fullBackup")
    assert again.added == 0 and again.already == 10
    assert store.count(m.Dose) == 6 and store.count(m.Medication) == 4


def test_medicine_exports_old_and_new_map_what_the_grammar_can_say(store: Store, tmp_path: Path) -> None:
    report = run(store, MEDTIMER / "validMedicineExport")
    a = store.find_medication("Medicine A", on=date(2026, 12, 8))
    assert a is not None and [s.spec for s in store.schedules(a.id)] == ["daily at 01:00"]
    assert "cycle (2 days on, 1 day off)" in why(report, "Medicine B's schedule")
    path = backup(
        tmp_path,
        [
            {
                "medicine": {"name": "Weekly pill"},
                "reminders": [{"timeInMinutes": 540, "days": [True, False, False, True, False, False, False]}],
            },
            {"medicine": {"name": "Old file"}, "reminders": [{"timeInMinutes": 480}]},
            {"medicine": {"name": "Monthly"}, "reminders": [{"timeInMinutes": 480, "activeDaysOfMonth": 1}]},
        ],
        [],
    )
    report = run(store, path)
    specs = {med.name: [s.spec for s in store.schedules(med.id)] for med in store.medications()}
    assert specs["Weekly pill"] == ["weekly on mon,thu at 09:00"]
    assert specs["Old file"] == ["daily at 08:00"]  # a reminder with fewer keys: every day
    assert specs["Monthly"] == [] and "days of the month" in why(report, "Monthly's schedule")


@pytest.mark.parametrize(("name", "words"), [("invalidVersion", "version -4"), ("crashReminderNull", "JSON is broken")])
def test_a_backup_medtimer_refuses_is_refused_naming_the_file(store: Store, name: str, words: str) -> None:
    with pytest.raises(ImportFileError) as refused:
        run(store, MEDTIMER / name)
    assert name in refused.value.message and words in refused.value.message
    assert store.is_empty()


def test_back_dated_doses_are_held_to_the_schedule_and_a_refusal_is_listed(store: Store, tmp_path: Path) -> None:
    path = backup(
        tmp_path,
        [daily("Folic acid", 9 * 60)],
        [
            taken("Folic acid", "2026-11-10", "09:05"),
            taken("Folic acid", "2026-11-11", "09:02"),
            {**taken("Folic acid", "2026-11-11", "09:40"), "reminderId": 2},
            taken("Folic acid", "2026-11-12", "09:00", status="SKIPPED"),
            taken("Folic acid", "2026-11-13", "09:00", status="RAISED"),
        ],
    )
    report = run(store, path)
    doses = sorted(store.all(m.Dose), key=lambda d: d.at)
    assert [(d.at, d.status) for d in doses] == [
        (at("2026-11-10", "09:05"), m.DoseStatus.TAKEN),
        (at("2026-11-11", "09:02"), m.DoseStatus.TAKEN),
        (at("2026-11-12", "09:00"), m.DoseStatus.SKIPPED),
    ]
    # The second dose for one time is not made an extra dose behind the user's back: it is listed with the rule.
    refused = why(report, "Folic acid taken 2026-11-11 09:40")
    assert "already taken" in refused and "dose --extra" in refused
    assert not any(d.extra for d in doses)
    assert "never answered" in why(report, "Folic acid reminded")


def test_a_schedule_a_rule_refuses_leaves_the_medicine_unscheduled(store: Store, tmp_path: Path) -> None:
    report = run(store, backup(tmp_path, [daily("Methotrexate", 8 * 60)], []))
    med = store.find_medication("Methotrexate", on=date(2026, 12, 8))
    assert med is not None and store.schedules(med.id) == []
    assert "once a week" in why(report, "Methotrexate's schedule (daily at 08:00)")


def test_a_medicine_already_on_the_list_is_used_not_doubled(store: Store, tmp_path: Path) -> None:
    mine = add_medication(store, {"name": "folic acid"}, now=NOW, today=date(2026, 12, 8), spec="daily at 09:00")
    report = run(store, backup(tmp_path, [daily("Folic Acid", 9 * 60)], [taken("Folic Acid", "2026-12-07", "09:10")]))
    assert report.medicines == [] and store.count(m.Medication) == 1
    assert [d.medication_id for d in store.all(m.Dose)] == [mine.id]


def test_dry_run_and_all_or_nothing_write_nothing(store: Store, tmp_path: Path) -> None:
    events = [
        taken("Folic acid", "2026-11-11", "09:02"),
        {**taken("Folic acid", "2026-11-11", "09:40"), "reminderId": 2},
    ]
    path = backup(tmp_path, [daily("Folic acid", 9 * 60)], events)
    dry = run(store, path, dry_run=True)
    assert not dry.written and dry.medicines and sum(dry.taken.values()) == 1 and len(dry.refused) == 1
    assert store.is_empty()
    strict = run(store, path, all_or_nothing=True)
    assert not strict.written and store.is_empty()
    assert run(store, path).written and store.count(m.Dose) == 1


# --- MyTherapy -----------------------------------------------------------------------------------------------------


def test_a_mytherapy_archive_comes_in_once(store: Store) -> None:
    report = run(store, ARCHIVE)
    assert {med.name for med in store.medications()} == {"Metformina tabletas", "Linagliptin tabletas"}
    doses = store.all(m.Dose)
    assert len(doses) == 5  # the row repeated in the archive is read once
    skip = next(d for d in doses if d.status is m.DoseStatus.SKIPPED)
    assert skip.reason == "Agotado" and skip.at == at("2026-09-09", "20:00")
    assert "a measurement, not a medicine" in why(report, "Peso")
    assert "an activity" in why(report, "Caminar")
    assert "twice" in why(report, "line 3")
    # Times the clocks skipped or repeated: read with the offset before the change, and said.
    assert any(d.at == datetime.fromisoformat("2026-03-29T01:30:00+00:00") for d in doses)
    assert any("did not exist" in n for n in report.notes) and any("happened twice" in n for n in report.notes)

    again = run(store, ARCHIVE)
    assert again.added == 0 and store.count(m.Dose) == 5


# --- bad input -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe{\x00", "not UTF-8"),
        (b'{"medicines": {"version": 9, "list": [{"medicine": {"na', "cut short"),
        (ARCHIVE.read_bytes()[:-30], "ends in the middle of a row"),
        (b"name,dose\nfoo,1\n", "neither a MedTimer backup"),
        (b"  \n", "empty"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_error_and_nothing_is_written(
    store: Store, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "export.dat"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as refused:
        run(store, path)
    assert words in refused.value.message and str(path) in refused.value.message
    assert store.is_empty()


def test_a_file_over_the_limit_is_refused_naming_its_size(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_BYTES", 1024)
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 3 * 1024 * 1024)
    with pytest.raises(ImportFileError, match=r"big.csv is 3.0 MB, more than"):
        run(store, path)
