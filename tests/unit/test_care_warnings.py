"""Interactions and precautions: medicines, allergies, conditions and appointments the pack warns about."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from journal import models as m
from journal.care import warnings as w
from journal.content import Pack, load_pack

FIXTURE_PACKS = Path(__file__).resolve().parents[1] / "fixtures" / "packs"
ANAKINRA = load_pack("anakinra")
TESTAMAB = load_pack("testamab", FIXTURE_PACKS)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
KINERET = m.Medication(name="Kineret", pack="anakinra", tracked=True)


def standing(pack: Pack = ANAKINRA, owner: m.Medication = KINERET, **records: list) -> list[w.CareWarning]:  # type: ignore[type-arg]
    return w.standing_warnings(
        [(owner, pack)],
        medications=[owner, *records.get("medications", [])],
        allergies=records.get("allergies", []),
        conditions=records.get("conditions", []),
        appointments=records.get("appointments", []),
        now=NOW,
    )


@pytest.mark.parametrize(
    "name",
    [
        "Enbrel",
        "enbrel",
        "ETANERCEPT",
        "Remicade",
        "Imuran",
        "Neoral",
        "sandimmune",
        "methotrexate",
        "Rapamune",
        "Prograf",
        "Enbrel 50 mg",
    ],
)
def test_a_medicine_on_the_interaction_list_warns_with_the_packs_advice(name: str) -> None:
    other = m.Medication(name=name)
    found = standing(medications=[other])
    assert [x.record_id for x in found] == [other.id]
    assert found[0].kind is w.WarningKind.INTERACTION
    assert ANAKINRA.interactions[0].advice in found[0].text


def test_a_medicine_matches_by_its_generic_or_brand_field_too() -> None:
    other = m.Medication(name="my injection", generic="etanercept")
    assert standing(medications=[other])


def test_a_medicine_not_on_the_list_or_stopped_raises_no_warning() -> None:
    assert standing(medications=[m.Medication(name="Vitamin D", kind=m.MedKind.VITAMIN)]) == []
    stopped = m.Medication(name="Enbrel", started=date(2026, 1, 1), stopped=date(2026, 2, 1))
    assert standing(medications=[stopped]) == []


def test_the_warning_concerns_both_the_new_medicine_and_the_pack_medicine_added_later() -> None:
    enbrel = m.Medication(name="Enbrel")
    found = standing(medications=[enbrel])
    assert w.warnings_about(found, enbrel) == found
    assert w.warnings_about(found, KINERET) == found


def test_without_a_pack_linked_medicine_nothing_warns() -> None:
    assert (
        w.standing_warnings(
            [], medications=[m.Medication(name="Enbrel")], allergies=[], conditions=[], appointments=[], now=NOW
        )
        == []
    )


@pytest.mark.parametrize("substance", ["latex", "Latex gloves", "E. coli proteins", "anakinra", "Kineret"])
def test_allergies_that_matter_warn(substance: str) -> None:
    allergy = m.Allergy(substance=substance)
    found = standing(allergies=[allergy])
    assert found and found[0].kind is w.WarningKind.ALLERGY and found[0].record_id == allergy.id


def test_an_allergy_that_does_not_matter_is_silent() -> None:
    assert standing(allergies=[m.Allergy(substance="penicillin")]) == []


@pytest.mark.parametrize(
    ("condition", "advice_word"),
    [
        ("asthma", "asthma"),
        ("HIV infection", "HIV"),
        ("kidney disease", "kidney"),
        ("pregnant", "pregnant"),
        ("planning a pregnancy", "plan to become pregnant"),
        ("breastfeeding", "breast-feeding"),
        ("chest infection", "infection"),
    ],
)
def test_conditions_that_matter_warn_with_the_right_advice(condition: str, advice_word: str) -> None:
    found = standing(conditions=[m.Condition(name=condition)])
    assert len(found) == 1 and advice_word in found[0].text


def appt(kind: m.ApptKind, days: int, status: m.ApptStatus = m.ApptStatus.PLANNED) -> m.Appointment:
    return m.Appointment(at=NOW + timedelta(days=days), tz="UTC", kind=kind, status=status)


def test_an_upcoming_vaccination_warns_to_talk_to_the_doctor_first() -> None:
    found = standing(appointments=[appt(m.ApptKind.VACCINATION, 10)])
    assert len(found) == 1 and "without talking to your doctor first" in found[0].text


@pytest.mark.parametrize(("kind", "who"), [(m.ApptKind.SURGERY, "doctor"), (m.ApptKind.DENTAL, "dentist")])
def test_surgery_or_dental_work_reminds_to_tell_the_surgeon_or_dentist(kind: m.ApptKind, who: str) -> None:
    found = standing(appointments=[appt(kind, 3)])
    assert len(found) == 1 and f"tell the {who}" in found[0].text


def test_past_cancelled_or_ordinary_appointments_do_not_warn() -> None:
    assert standing(appointments=[appt(m.ApptKind.VACCINATION, -2)]) == []
    assert standing(appointments=[appt(m.ApptKind.VACCINATION, 2, m.ApptStatus.CANCELLED)]) == []
    assert standing(appointments=[appt(m.ApptKind.DOCTOR, 2)]) == []


def test_the_synthetic_pack_warns_about_its_own_list_and_not_about_anakinras() -> None:
    owner = m.Medication(name="Testix", pack="testamab")
    fake, enbrel = m.Medication(name="FAKERIN"), m.Medication(name="Enbrel")
    found = standing(
        TESTAMAB,
        owner,
        medications=[fake, enbrel],
        allergies=[m.Allergy(substance="peanuts")],
        conditions=[m.Condition(name="gout")],
    )
    assert {x.subject for x in found} == {"FAKERIN", "peanuts", "gout"}
    assert "Fictional interaction." in found[0].text
