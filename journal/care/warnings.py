"""Interactions and precautions: medicines, allergies, conditions and appointments a pack warns about.

Warnings stand only while a medicine linked to the pack is active: with no anakinra medicine on
the list, adding Enbrel says nothing; adding anakinra later warns about the Enbrel already there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum

from journal import models as m
from journal.content import Pack, Precaution
from journal.dataclass import dataclass


class WarningKind(StrEnum):
    """What raised a warning."""

    INTERACTION = "interaction"
    ALLERGY = "allergy"
    CONDITION = "condition"
    APPOINTMENT = "appointment"


@dataclass(kw_only=True)
class CareWarning:
    """One standing warning: a record on the list that matters for a pack-linked medicine."""

    kind: WarningKind
    record_id: str
    medication_id: str
    pack: str
    subject: str
    text: str


def _names(med: m.Medication) -> list[str]:
    return [n for n in (med.name, med.generic, med.brand) if n]


def interaction_warnings(
    linked: Sequence[tuple[m.Medication, Pack]], medications: Iterable[m.Medication], *, on: date
) -> list[CareWarning]:
    """Medicines active on `on` that a pack-linked medicine's pack lists as interacting (generic or brand, any case)."""
    found: list[CareWarning] = []
    others = [med for med in medications if med.active_on(on)]
    for owner, pack in linked:
        for med in others:
            if med.id == owner.id or med.pack == pack.key:
                continue
            hit = next((i for n in _names(med) if (i := pack.find_interaction(n)) is not None), None)
            if hit is None:
                continue
            what = f"{hit.generic}, a {hit.group}" if hit.group else hit.generic
            subject = med.name if med.name.casefold() == hit.generic.casefold() else f"{med.name} ({what})"
            if hit.group and med.name.casefold() == hit.generic.casefold():
                subject = f"{med.name} (a {hit.group})"
            found.append(
                CareWarning(
                    kind=WarningKind.INTERACTION,
                    record_id=med.id,
                    medication_id=owner.id,
                    pack=pack.key,
                    subject=med.name,
                    text=f"{subject} interacts with {owner.name}: {hit.advice}",
                )
            )
    return found


def precaution_warnings(
    linked: Sequence[tuple[m.Medication, Pack]],
    allergies: Iterable[m.Allergy],
    conditions: Iterable[m.Condition],
) -> list[CareWarning]:
    """Allergies and conditions that a pack-linked medicine's pack asks you to tell the doctor about."""
    found: list[CareWarning] = []
    allergy_list = [a for a in allergies if a.deleted_at is None]
    condition_list = [c for c in conditions if c.deleted_at is None]
    for owner, pack in linked:
        for allergy in allergy_list:
            for precaution in pack.match_allergy(allergy.substance):
                found.append(
                    CareWarning(
                        kind=WarningKind.ALLERGY,
                        record_id=allergy.id,
                        medication_id=owner.id,
                        pack=pack.key,
                        subject=allergy.substance,
                        text=f"Allergy to {allergy.substance} matters for {owner.name}: {precaution.advice}",
                    )
                )
        for condition in condition_list:
            for precaution in pack.match_condition(condition.name):
                found.append(
                    CareWarning(
                        kind=WarningKind.CONDITION,
                        record_id=condition.id,
                        medication_id=owner.id,
                        pack=pack.key,
                        subject=condition.name,
                        text=f"{condition.name} matters for {owner.name}: {precaution.advice}"
                        + _signs_text(pack, precaution),
                    )
                )
    return found


def _signs_text(pack: Pack, precaution: Precaution) -> str:
    if not precaution.signs:
        return ""
    labels = [pack.symptom(key).label.lower() for key in precaution.signs]
    listed = ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]
    return f" Call your doctor immediately if you get {listed} (serious side effects of {pack.medication.generic})."


_APPOINTMENT_KINDS = (m.ApptKind.VACCINATION, m.ApptKind.SURGERY, m.ApptKind.DENTAL)


def appointment_warnings(
    linked: Sequence[tuple[m.Medication, Pack]], appointments: Iterable[m.Appointment], *, now: datetime
) -> list[CareWarning]:
    """Upcoming vaccinations (talk to the doctor first), surgery and dental work (tell them)."""
    found: list[CareWarning] = []
    upcoming = [
        a
        for a in appointments
        if a.deleted_at is None and a.status is m.ApptStatus.PLANNED and a.at >= now and a.kind in _APPOINTMENT_KINDS
    ]
    for owner, pack in linked:
        for appt in upcoming:
            advice = pack.appointments.advice_for(appt.kind.value)
            if not advice:
                continue
            day = m.local_day(appt.at, appt.tz).isoformat()
            found.append(
                CareWarning(
                    kind=WarningKind.APPOINTMENT,
                    record_id=appt.id,
                    medication_id=owner.id,
                    pack=pack.key,
                    subject=f"{appt.kind.value} on {day}",
                    text=f"{appt.kind.value.capitalize()} on {day} ({owner.name}): {advice}",
                )
            )
    return found


_VISITS = (m.ApptKind.DOCTOR, m.ApptKind.LAB, m.ApptKind.SURGERY)


def visit_reminder(pack: Pack, kind: m.ApptKind) -> str | None:
    """Before a doctor's, lab or hospital (surgery) visit: the pack's advice to keep it and bring the medicine list."""
    if kind not in _VISITS:
        return None
    keep = pack.appointments.advice_for(kind.value) if kind is not m.ApptKind.SURGERY else None
    return " ".join(t for t in (keep, pack.appointments.bring_list) if t)


def standing_warnings(
    linked: Sequence[tuple[m.Medication, Pack]],
    *,
    medications: Iterable[m.Medication],
    allergies: Iterable[m.Allergy],
    conditions: Iterable[m.Condition],
    appointments: Iterable[m.Appointment],
    now: datetime,
) -> list[CareWarning]:
    """Every interaction and precaution warning that stands for the active pack-linked medicines."""
    warnings = [
        *interaction_warnings(linked, medications, on=now.date()),
        *precaution_warnings(linked, allergies, conditions),
        *appointment_warnings(linked, appointments, now=now),
    ]
    seen: set[tuple[str, str, str]] = set()
    unique: list[CareWarning] = []
    for warning in warnings:
        key = (warning.pack, warning.record_id, warning.text)
        if key not in seen:
            seen.add(key)
            unique.append(warning)
    return unique


def warnings_about(warnings: Iterable[CareWarning], record: m.Record) -> list[CareWarning]:
    """The warnings a record raises, or (for a pack-linked medicine) every warning that concerns it."""
    return [w for w in warnings if record.id in (w.record_id, w.medication_id)]
