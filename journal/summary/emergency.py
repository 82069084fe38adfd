"""The emergency list: what an admitting nurse needs, at a glance.

It is asked for at the worst moment, so building it touches no pydantic model: the store
hands over plain rows (validated when they were written), and the list is made of
dataclasses. Every format renders this one EmergencyList.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import asdict, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from journal.dataclass import dataclass
from journal.when import format_local, iso_utc

if TYPE_CHECKING:
    from journal.store import Store

_PACK_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Said on the list in every format and on the wallet card.
DISCLAIMER = (
    "Kept by the patient in medjournal from their own records. It supports, and does not replace, the doctor's advice."
)
SOURCE = "Medicine reference text: MedlinePlus, U.S. National Library of Medicine, with FDA information."


def _label(name: str, brand: str | None, strength: str | None) -> str:
    named = name + (f" ({brand})" if brand and brand != name else "")
    return " ".join(p for p in (named, strength) if p)


@dataclass(frozen=True)
class EmergencyMedicine:
    """One active medicine as the list shows it."""

    name: str
    kind: str  # a journal.models.MedKind value
    generic: str | None = None
    brand: str | None = None
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
        return _label(self.name, self.brand, self.strength)


@dataclass(frozen=True)
class StoppedMedicine:
    """A medicine stopped in the last days (a finished steroid or biologic matters at admission)."""

    name: str
    kind: str
    stopped: str  # the day it was stopped, YYYY-MM-DD
    brand: str | None = None
    strength: str | None = None

    @property
    def label(self) -> str:
        """Name (brand) and strength, as for an active medicine."""
        return _label(self.name, self.brand, self.strength)


@dataclass(frozen=True)
class EmergencyAllergy:
    """One allergy and what it does."""

    substance: str
    reaction: str | None = None


@dataclass(frozen=True)
class EmergencyList:
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
    allergies: list[EmergencyAllergy] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    medicines: list[EmergencyMedicine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    disclaimer: str = DISCLAIMER
    source: str = SOURCE
    # Records that cannot be read (journal.store.damage), named: they are left out, the rest printed.
    damaged: list[str] = field(default_factory=list)
    # Medicines stopped in the last STOPPED_SHOWN_DAYS days, latest first.
    recently_stopped: list[StoppedMedicine] = field(default_factory=list)
    stopped_days: int = 90
    # Serious side effects still open, as "rash (since 2026-12-01 08:00 CET)".
    serious_effects: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """The list as indented JSON: times in ISO-8601 (UTC with a trailing Z), fields in this order."""
        return json.dumps(_json_fields(self), indent=2, ensure_ascii=False, default=_json_value)


# Field order as the JSON has always shown it (kind came after brand).
_MEDICINE_ORDER = (
    "name",
    "generic",
    "brand",
    "kind",
    "strength",
    "directions",
    "reason",
    "route",
    "tracked",
    "last_dose_at",
    "last_dose_local",
    "last_dose_site",
)


def _json_fields(data: EmergencyList) -> dict[str, Any]:
    fields = asdict(data)
    fields["medicines"] = [{key: med[key] for key in _MEDICINE_ORDER} for med in fields["medicines"]]
    return fields


def _json_value(value: object) -> str:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _last_dose_times(last: dict[str, Any] | None) -> tuple[datetime | None, str | None]:
    # The list must print whatever a stored row holds: a value that cannot be read is shown as it is.
    if not last:
        return None, None
    try:
        moment = _moment(last["at"])
        return moment, format_local(moment, last["tz"], with_zone=True) if moment else None
    except (ValueError, KeyError, OverflowError, TypeError):
        return None, f"{last['at']} (a stored value medjournal cannot read)"


def build_emergency_list(store: Store, *, now: datetime, zone: str) -> EmergencyList:
    """Gather the emergency list from the journal as of `now`."""
    rows = store.emergency_rows(on=_local_day(now, zone))
    profile = rows["profile"] or {}
    medicines: list[EmergencyMedicine] = []
    warnings: list[str] = []
    packs: dict[str, dict[str, Any]] = {}
    for med in rows["medications"]:
        pack = _pack_medication(med["pack"], packs) if med["pack"] else {}
        last = med["last_dose"]
        last_at, last_local = _last_dose_times(last)
        medicines.append(
            EmergencyMedicine(
                name=med["name"],
                generic=med["generic"],
                brand=med["brand"],
                kind=med["kind"],
                strength=med["strength"],
                directions=med["directions"],
                reason=med["reason"],
                route=med["route"] or _text(pack.get("route")),
                tracked=med["tracked"],
                last_dose_at=last_at,
                last_dose_local=last_local,
                last_dose_site=(last["spot"] or last["region"]) if last else None,
            )
        )
        warning = _text(pack.get("key_warning"))
        if warning and warning not in warnings:
            warnings.append(warning)
    from journal.store.store import STOPPED_SHOWN_DAYS

    stopped = [
        StoppedMedicine(
            name=row["name"], kind=row["kind"], stopped=row["stopped"], brand=row["brand"], strength=row["strength"]
        )
        for row in rows["stopped"]
    ]
    effects = []
    for row in rows["serious_effects"]:
        started, _ = _last_dose_times({"at": row["started_at"], "tz": row["tz"]})
        effects.append(
            f"{row['symptom']} (since {format_local(started, row['tz'], with_zone=True)})"
            if started
            else row["symptom"]
        )
    last_change = store.last_change()
    return EmergencyList(
        generated_at=now,
        generated_local=format_local(now, zone, with_zone=True),
        last_updated=last_change,
        last_updated_local=format_local(last_change, zone, with_zone=True) if last_change else None,
        name=profile.get("name"),
        born=profile.get("born"),
        emergency_contact=profile.get("emergency_contact"),
        doctor=profile.get("doctor"),
        pharmacy=profile.get("pharmacy"),
        notes=profile.get("notes"),
        allergies=[EmergencyAllergy(substance=a["substance"], reaction=a["reaction"]) for a in rows["allergies"]],
        conditions=[c["name"] for c in rows["conditions"]],
        medicines=medicines,
        warnings=warnings,
        damaged=[found.describe() for found in store.damaged_records()],
        recently_stopped=stopped,
        stopped_days=STOPPED_SHOWN_DAYS,
        serious_effects=effects,
    )


def _text(value: object) -> str | None:
    # As the pack schema reads a text: stripped, and never empty.
    return value.strip() if isinstance(value, str) and value.strip() else None


def _pack_medication(key: str, seen: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The [medication] table of a shipped pack, read as TOML without validating the whole pack.

    The list needs only the route and the key warning; validating the pack builds every pydantic
    class of its schema. The list must still print if a pack is missing or broken: it is what a
    nurse reads, so a pack that cannot be read gives nothing.
    """
    if key not in seen:
        from journal.resources import content_root

        found: dict[str, Any] = {}
        if _PACK_KEY.match(key):
            try:
                with (content_root() / key / "pack.toml").open("rb") as handle:
                    table = tomllib.load(handle).get("medication")
                if isinstance(table, dict) and table.get("key") == key:
                    found = table
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                found = {}
        seen[key] = found
    return seen[key]


def _local_day(now: datetime, zone: str) -> date:
    """The day of `now` where the user is (UTC for a zone that cannot be read: the list must print)."""
    from zoneinfo import ZoneInfo

    try:
        return now.astimezone(ZoneInfo(zone)).date()
    except (ValueError, KeyError, OSError):
        return now.astimezone(UTC).date()
