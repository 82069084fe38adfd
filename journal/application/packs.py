"""The content packs behind the journal's medicines: which pack a medicine follows, and what the packs say
about a record (interaction and precaution warnings, the advice for the moment a record is added)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from journal import models as m
from journal.care import warnings
from journal.content import Pack, PackError, available_packs, load_pack, normalize
from journal.store import Store

PackLoader = Callable[[str], Pack]


def pack_of(med: m.Medication, loader: PackLoader = load_pack) -> Pack | None:
    """The content pack a medicine is linked to, or None (also when the pack is missing or broken)."""
    if not med.pack:
        return None
    try:
        return loader(med.pack)
    except PackError:
        return None


def linked_packs(
    store: Store, loader: PackLoader = load_pack, *, on: date | None = None
) -> list[tuple[m.Medication, Pack]]:
    """Medicines active on `on` (default: today) linked to a content pack, with their packs."""
    found: list[tuple[m.Medication, Pack]] = []
    for med in store.medications(on=on):
        pack = pack_of(med, loader)
        if pack is not None:
            found.append((med, pack))
    return found


def unique_packs(linked: Sequence[tuple[m.Medication, Pack]]) -> list[Pack]:
    unique: dict[str, Pack] = {}
    for _, pack in linked:
        unique.setdefault(pack.key, pack)
    return list(unique.values())


def match_pack(
    names: Sequence[str | None], keys: Sequence[str] | None = None, loader: PackLoader = load_pack
) -> Pack | None:
    """The shipped pack whose generic or brand name is one of `names` (or a word in one), any case."""
    wanted = [normalize(n) for n in names if n and normalize(n)]
    for key in available_packs() if keys is None else keys:
        try:
            pack = loader(key)
        except PackError:
            continue
        terms = [normalize(n) for n in pack.medication.names]
        for text in wanted:
            if any(re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", text) for t in terms):
                return pack
    return None


def standing_warnings(store: Store, *, now: datetime, loader: PackLoader = load_pack) -> list[warnings.CareWarning]:
    """Every interaction and precaution warning for the active pack-linked medicines."""
    linked = linked_packs(store, loader)
    if not linked:
        return []
    return warnings.standing_warnings(
        linked,
        medications=store.medications(),
        allergies=store.all(m.Allergy),
        conditions=store.all(m.Condition),
        appointments=store.between(m.Appointment, "at", now),
        now=now,
    )


def first_use_advice(store: Store, med: m.Medication, pack: Pack | None) -> str | None:
    """The pack's first-use advice while no dose of this medicine has been recorded as taken, else None."""
    if pack is None or store.last_dose(med.id) is not None:
        return None
    return pack.supply.first_use


def visit_reminders(store: Store, appts: Sequence[m.Appointment], *, loader: PackLoader = load_pack) -> dict[str, str]:
    """What to remember before each doctor's, lab or hospital visit (keep it, bring the medicine list), by id."""
    packs = unique_packs(linked_packs(store, loader))
    if not packs:
        return {}
    found: dict[str, str] = {}
    for appt in appts:
        text = warnings.visit_reminder(packs[0], appt.kind)
        if text is not None:
            found[appt.id] = text
    return found


def warnings_for_new(store: Store, record: m.Record, *, now: datetime, loader: PackLoader = load_pack) -> list[str]:
    """The interaction and precaution warnings a just-saved record raises (or, for a linked medicine, faces)."""
    found = warnings.warnings_about(standing_warnings(store, now=now, loader=loader), record)
    return [w.text for w in found]


def advice_for_new(store: Store, record: m.Record, *, loader: PackLoader = load_pack) -> list[str]:
    """The pack facts for the moment a record is added: any allergy, a visit, a medicine linked to a pack."""
    if isinstance(record, m.Medication):
        pack = pack_of(record, loader)
        advice = first_use_advice(store, record, pack)
        return [advice] if advice else []
    packs = unique_packs(linked_packs(store, loader))
    if not packs:
        return []
    if isinstance(record, m.Allergy):
        return [packs[0].precautions.allergies_advice]
    if isinstance(record, m.Appointment):
        return list(visit_reminders(store, [record], loader=loader).values())
    return []
