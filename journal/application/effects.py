"""Side effects: recorded with their triage (an allergic reaction pauses the medicine), resolved, reported."""

from __future__ import annotations

from datetime import datetime

from journal import models as m
from journal.application.packs import PackLoader, linked_packs, unique_packs
from journal.care import sites
from journal.care import triage as tri

# The triage the front ends show as they are (a read: no write goes through them).
from journal.care.triage import Action as Action
from journal.care.triage import triage_all as triage_all
from journal.content import load_pack, normalize
from journal.dataclass import dataclass
from journal.errors import JournalError, NotFoundError
from journal.store import Store
from journal.when import format_local


@dataclass(kw_only=True)
class EffectResult:
    """What `record_side_effect` wrote and the triage to show."""

    effect: m.SideEffect
    triage: tri.Triage
    # The region the effect was noted at because the last injection went there ('Thigh, right (thigh-right)'),
    # when none was typed: each front end says how to move it.
    assumed_region: str | None = None
    # The medicine paused because the effect reads as an allergic reaction to it (get emergency help).
    paused: m.Medication | None = None


class NothingWrongError(JournalError):
    """The text says that nothing is wrong ("no side effects today, feel fine"): no side effect to record."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"{text.strip()!r} says that nothing is wrong, so no side effect was recorded; "
            "a check-in records how you feel."
        )
        self.text = text


def record_side_effect(
    store: Store,
    text: str,
    *,
    at: datetime,
    zone: str,
    now: datetime,
    severity: m.Severity | str | None = None,
    site: str | None = None,
    note: str | None = None,
    loader: PackLoader = load_pack,
) -> EffectResult:
    """Triage a side effect against the active packs and record it with its tier and symptom key.

    A text that only says nothing is wrong ("I do not have hives", "feel fine") is refused
    (NothingWrongError): it would stand as an open alert.
    """
    linked = linked_packs(store, loader)
    if tri.says_nothing_is_wrong(unique_packs(linked), text):
        raise NothingWrongError(text)
    level = m.Severity(severity) if severity is not None else None
    verdict = tri.triage_all(unique_packs(linked), text, level)
    region: str | None = None
    assumed_region: str | None = None
    pack = next((p for _, p in linked if p.key == verdict.pack), None)
    if site:
        key = site.strip().partition(":")[0].lower()
        if pack is not None:
            try:
                pack.region(key)
            except KeyError:
                known = ", ".join(r.key for r in pack.sites.regions)
                raise JournalError(f"{site!r} is not an injection region; use one of: {known}") from None
        region = key
    elif verdict.injection_site and pack is not None:
        owner = next(med for med, p in linked if p.key == pack.key)
        last = store.last_dose(owner.id)
        if last is not None and last.region:
            region = last.region
            assumed_region = sites.spot_label(pack, None, region)
    effect = m.SideEffect.validate(
        {
            "symptom": text,
            "symptom_key": verdict.symptom_key,
            "tier": verdict.tier,
            "severity": level,
            "started_at": at,
            "tz": zone,
            "region": region,
            "note": note,
        },
        now=now,
    )
    paused: m.Medication | None = None
    suspect = next((med for med, p in linked if p.key == verdict.pack), None)
    with store.transaction():
        store.add(effect)
        if verdict.action is tri.Action.EMERGENCY and suspect is not None and not suspect.paused:
            # The pack says to stop the medicine and get help: nothing is due, reminded or suggested until
            # the person resumes it (`med resume`), having asked the doctor.
            paused = store.update(
                suspect,
                now=now,
                paused_at=at,
                pause_reason=f"a suspected allergic reaction ({text.strip()})",
                resumed_at=None,
                resume_note=None,
            )
    return EffectResult(effect=effect, triage=verdict, assumed_region=assumed_region, paused=paused)


def close_effect(
    store: Store, effect: m.SideEffect, *, now: datetime, resolved: bool = False, contacted: bool = False
) -> m.SideEffect:
    """Mark a side effect resolved, or the doctor contacted about it, at `now` (either closes its alert)."""
    changes: dict[str, datetime] = {}
    if resolved:
        changes["resolved_at"] = now
    if contacted:
        changes["doctor_contacted_at"] = now
    return store.update(effect, now=now, **changes)


def find_open_effect(store: Store, text: str, *, loader: PackLoader = load_pack) -> m.SideEffect:
    """The newest unresolved side effect named by `text` (as typed, or the same listed symptom)."""
    open_effects = store.open_side_effects()
    wanted = normalize(text)
    key = tri.triage_all(unique_packs(linked_packs(store, loader)), text).symptom_key
    for effect in open_effects:
        if normalize(effect.symptom) == wanted or (key is not None and effect.symptom_key == key):
            return effect
    if not open_effects:
        raise NotFoundError("No side effect is open.")
    names = ", ".join(dict.fromkeys(e.symptom for e in open_effects))
    raise NotFoundError(f"No open side effect matches {text!r}; open ones: {names}.")


def resolve_side_effect(
    store: Store, text: str, *, at: datetime, now: datetime, loader: PackLoader = load_pack
) -> m.SideEffect:
    """Mark the open side effect named by `text` as resolved at `at`."""
    effect = find_open_effect(store, text, loader=loader)
    if at < effect.started_at:
        raise JournalError(
            f"{effect.symptom} started on {format_local(effect.started_at, effect.tz)}; it cannot be resolved before."
        )
    return store.update(effect, now=now, resolved_at=at)


def mark_doctor_contacted(
    store: Store, text: str, *, at: datetime, now: datetime, loader: PackLoader = load_pack
) -> m.SideEffect:
    """Record that the doctor was contacted about the open side effect named by `text` (closes its alert)."""
    effect = find_open_effect(store, text, loader=loader)
    return store.update(effect, now=now, doctor_contacted_at=at)
