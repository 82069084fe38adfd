"""Validation a person relies on: bad values are refused with a sentence they understand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, Optional, cast

import pytest

from journal import models as m
from journal.errors import RecordError

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _message(make: object) -> str:
    with pytest.raises(RecordError) as caught:
        make()  # type: ignore[operator]
    return caught.value.message


def test_medicine_name_cannot_be_blank() -> None:
    assert _message(lambda: m.Medication(name="  ")) == "Name cannot be empty."


def test_severity_must_be_mild_moderate_or_severe() -> None:
    text = _message(
        lambda: m.SideEffect(symptom="headache", severity=cast(m.Severity, "awful"), started_at=NOW, tz="UTC")
    )
    assert text == "Severity should be 'mild', 'moderate' or 'severe'."


def test_pain_score_must_be_between_0_and_10() -> None:
    assert "Pain" in _message(lambda: m.Checkin(pain=11, at=NOW, tz="UTC"))
    assert "Pain" in _message(lambda: m.Checkin(pain=-1, at=NOW, tz="UTC"))
    assert m.Checkin(pain=0, at=NOW, tz="UTC").pain == 0


def test_dose_more_than_a_few_minutes_in_the_future_is_refused() -> None:
    text = _message(
        lambda: m.Dose.validate({"medication_id": "a", "at": NOW + timedelta(minutes=30), "tz": "UTC"}, now=NOW)
    )
    assert "future" in text
    near = m.Dose.validate({"medication_id": "a", "at": NOW + timedelta(minutes=2), "tz": "UTC"}, now=NOW)
    assert near.at == NOW + timedelta(minutes=2)


def test_appointments_may_be_in_the_future() -> None:
    assert m.Appointment(at=NOW + timedelta(days=30), tz="UTC").kind is m.ApptKind.DOCTOR


def test_times_are_stored_in_utc_with_the_zone_they_were_recorded_in() -> None:
    paris = datetime(2026, 7, 1, 8, 30, tzinfo=m.zone_of("Europe/Paris"))
    dose = m.Dose(medication_id="a", at=paris, tz="Europe/Paris")
    assert dose.row()["at"] == "2026-07-01T06:30:00Z"
    assert m.local_day(dose.at, dose.tz) == date(2026, 7, 1)


def test_unknown_time_zone_is_refused() -> None:
    assert "time zone" in _message(lambda: m.Dose(medication_id="a", at=NOW, tz="Mars/Olympus"))


def test_a_time_without_zone_is_refused() -> None:
    assert "zone" in _message(lambda: m.Dose(medication_id="a", at=datetime(2026, 1, 1, 8), tz="UTC"))


def test_usual_time_must_be_a_time_of_day() -> None:
    assert "08:30" in _message(lambda: m.Medication(name="x", usual_time="8.30pm"))
    assert m.Medication(name="x", usual_time="8:05").usual_time == "08:05"


def test_blank_optional_text_is_stored_as_nothing() -> None:
    med = m.Medication(name=" Folic acid ", strength="  ", reason="")
    assert med.name == "Folic acid" and med.strength is None and med.reason is None


def test_overlong_text_is_refused_with_its_limit() -> None:
    assert "at most 200" in _message(lambda: m.Medication(name="x" * 500))


def test_rows_read_back_equal_the_record() -> None:
    dose = m.Dose(medication_id="a", at=NOW, tz="Europe/Paris", region="thigh-left", spot="thigh-left:A1")
    again = m.Dose.from_row(dose.row())
    assert again == dose


@m.record
class _Weighing(m.Record):
    """A record kind declared with the older spelling of an optional field."""

    table: ClassVar[str] = "weighings"

    kilos: Optional[float] = None  # noqa: UP045  (the spelling under test)
    at: m.UtcDateTime


def test_an_optional_float_reads_back() -> None:
    weighing = _Weighing(kilos=72.5, at=NOW)
    assert _Weighing.from_row(weighing.row()) == weighing
    # SQLite hands back a REAL column holding 72.0 as the integer 72.
    assert _Weighing.from_row({**weighing.row(), "kilos": 72}).kilos == 72.0


@pytest.mark.parametrize(
    ("field", "stored"),
    [("at", "yesterday"), ("at", "2026-11-20T08:00:00"), ("status", "eaten"), ("leftover", 7), ("medication_id", 3)],
)
def test_a_stored_value_that_cannot_be_read_is_an_error_naming_its_field(field: str, stored: Any) -> None:
    row = m.Dose(medication_id="a", at=NOW, tz="UTC").row()
    with pytest.raises(ValueError, match=f"doses {row['id']}: {field}: cannot read"):
        m.Dose.from_row({**row, field: stored})


def test_a_typed_in_dose_is_checked_against_the_clock_it_is_given() -> None:
    data = {"medication_id": "a", "at": NOW + timedelta(hours=1), "tz": "UTC", "unknown": "ignored"}
    assert m.Dose.validate(data, now=NOW + timedelta(hours=2)).at == NOW + timedelta(hours=1)
    with pytest.raises(RecordError, match="Time is in the future") as caught:
        m.Dose.validate(data, now=NOW)
    assert caught.value.field == "at"


def test_a_changed_record_is_validated_again() -> None:
    dose = m.Dose(medication_id="a", at=NOW, tz="UTC")
    assert dose.changed(note="  after breakfast ").note == "after breakfast"
    with pytest.raises(RecordError, match="Time zone 'Mars/Olympus' is not a time zone name"):
        dose.changed(tz="Mars/Olympus")


def test_a_history_snapshot_without_a_required_field_is_an_error() -> None:
    row = m.Dose(medication_id="a", at=NOW, tz="UTC").row()
    del row["medication_id"]
    with pytest.raises(ValueError, match="medication_id: missing"):
        m.Dose.from_row(row)
    del row["note"]
    row["medication_id"] = "a"
    assert m.Dose.from_row(row).note is None
