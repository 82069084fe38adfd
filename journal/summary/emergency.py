"""The emergency medication list: what an admitting nurse needs, at a glance."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from journal import models as m
from journal.store import Store
from journal.when import format_local


class EmergencyMedicine(BaseModel):
    """One active medicine as the list shows it."""

    name: str
    kind: m.MedKind
    strength: str | None = None
    directions: str | None = None
    reason: str | None = None
    route: str | None = None
    tracked: bool = False
    last_dose_at: datetime | None = None
    last_dose_local: str | None = None


class EmergencyAllergy(BaseModel):
    """One allergy and what it does."""

    substance: str
    reaction: str | None = None


class EmergencyList(BaseModel):
    """Everything the emergency list shows; every format renders this one object."""

    generated_at: datetime
    generated_local: str
    last_updated: datetime | None = None
    last_updated_local: str | None = None
    name: str | None = None
    born: str | None = None
    emergency_contact: str | None = None
    doctor: str | None = None
    pharmacy: str | None = None
    notes: str | None = None
    allergies: list[EmergencyAllergy] = []
    conditions: list[str] = []
    medicines: list[EmergencyMedicine] = []
    warnings: list[str] = []


def build_emergency_list(store: Store, *, now: datetime, zone: str) -> EmergencyList:
    """Gather the emergency list from the journal as of `now`."""
    profile = store.profile()
    medicines: list[EmergencyMedicine] = []
    warnings: list[str] = []
    for med in store.medications():
        last = store.last_dose(med.id) if med.tracked else None
        medicines.append(
            EmergencyMedicine(
                name=med.name,
                kind=med.kind,
                strength=med.strength,
                directions=med.directions,
                reason=med.reason,
                route=med.route,
                tracked=med.tracked,
                last_dose_at=last.at if last else None,
                last_dose_local=format_local(last.at, last.tz, with_zone=True) if last else None,
            )
        )
        warning = _pack_warning(med.pack) if med.pack else None
        if warning and warning not in warnings:
            warnings.append(warning)
    last_change = store.last_change()
    return EmergencyList(
        generated_at=now,
        generated_local=format_local(now, zone, with_zone=True),
        last_updated=last_change,
        last_updated_local=format_local(last_change, zone, with_zone=True) if last_change else None,
        name=profile.name if profile else None,
        born=profile.born.isoformat() if profile and profile.born else None,
        emergency_contact=profile.emergency_contact if profile else None,
        doctor=profile.doctor if profile else None,
        pharmacy=profile.pharmacy if profile else None,
        notes=profile.notes if profile else None,
        allergies=[EmergencyAllergy(substance=a.substance, reaction=a.reaction) for a in store.all(m.Allergy)],
        conditions=[c.name for c in store.all(m.Condition)],
        medicines=medicines,
        warnings=warnings,
    )


def _pack_warning(key: str) -> str | None:
    # The list must still print if a pack is missing or broken: it is what a nurse reads.
    from journal.content import PackError, load_pack

    try:
        return load_pack(key).medication.key_warning
    except PackError:
        return None
