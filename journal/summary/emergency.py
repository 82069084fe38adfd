"""The emergency medication list: what an admitting nurse needs, at a glance."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel

from journal import models as m
from journal.store import Store
from journal.when import format_local

if TYPE_CHECKING:
    from journal.content import Pack


class EmergencyMedicine(BaseModel):
    """One active medicine as the list shows it."""

    name: str
    generic: str | None = None
    brand: str | None = None
    kind: m.MedKind
    strength: str | None = None
    directions: str | None = None
    reason: str | None = None
    route: str | None = None
    tracked: bool = False
    last_dose_at: datetime | None = None
    last_dose_local: str | None = None
    last_dose_site: str | None = None

    @property
    def label(self) -> str:
        """Name (brand) and strength, e.g. 'anakinra (Kineret) 100 mg'."""
        name = self.name + (f" ({self.brand})" if self.brand and self.brand != self.name else "")
        return " ".join(p for p in (name, self.strength) if p)


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
        pack = _pack(med.pack) if med.pack else None
        medicines.append(
            EmergencyMedicine(
                name=med.name,
                generic=med.generic,
                brand=med.brand,
                kind=med.kind,
                strength=med.strength,
                directions=med.directions,
                reason=med.reason,
                route=med.route or (pack.medication.route if pack else None),
                tracked=med.tracked,
                last_dose_at=last.at if last else None,
                last_dose_local=format_local(last.at, last.tz, with_zone=True) if last else None,
                last_dose_site=(last.spot or last.region) if last else None,
            )
        )
        warning = pack.medication.key_warning if pack else None
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


def _pack(key: str) -> Pack | None:
    # The list must still print if a pack is missing or broken: it is what a nurse reads.
    from journal.content import PackError, load_pack

    try:
        return load_pack(key)
    except PackError:
        return None
