"""Side-effect triage from a pack's tiers and synonyms, and which logged effects still need the doctor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from journal import models as m
from journal.content import Pack, Symptom, normalize

CALL_NOW = "call your doctor now"
TELL_DOCTOR = "tell your doctor"
# Used when no pack is linked to any active medicine.
GENERIC_OTHER_ADVICE = "Call your doctor if you have any unusual problem while using your medicines."
DEFAULT_LINGERING_DAYS = 7

_RANK = {m.Tier.SERIOUS: 2, m.Tier.COMMON: 1, m.Tier.OTHER: 0}


class Action(StrEnum):
    """What the person should do about a side effect now."""

    CALL_NOW = "call-now"
    TELL_DOCTOR = "tell-doctor"
    WATCH = "watch"
    MENTION_IF_UNUSUAL = "mention-if-unusual"


@dataclass(kw_only=True)
class Triage:
    """The tier of a typed symptom and what to do about it."""

    text: str
    symptom_key: str | None = None
    label: str | None = None
    tier: m.Tier
    action: Action
    advice: str
    pack: str | None = None
    injection_site: bool = False

    @property
    def headline(self) -> str:
        """One short line: the tier and the action."""
        name = self.label or self.text
        if self.action is Action.CALL_NOW:
            return f"{name}: serious side effect - {CALL_NOW}."
        if self.action is Action.TELL_DOCTOR:
            return f"{name}: {TELL_DOCTOR}."
        if self.action is Action.WATCH:
            return f"{name}: common side effect."
        return f"{name}: not a side effect listed for this medicine."


def _mentions(text: str, term: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text) is not None


def find_symptom(pack: Pack, text: str) -> Symptom | None:
    """The listed symptom `text` names exactly, else the most serious one it mentions (longest term wins ties)."""
    exact = pack.find_symptom(text)
    if exact is not None:
        return exact
    wanted = normalize(text)
    best: tuple[int, int, Symptom] | None = None
    for symptom in pack.side_effects.symptoms:
        for term in symptom.terms:
            if _mentions(wanted, term):
                rank = (_RANK[m.Tier(symptom.tier.value)], len(term))
                if best is None or rank > best[:2]:
                    best = (*rank, symptom)
    return best[2] if best else None


def triage(pack: Pack, text: str, severity: m.Severity | None = None) -> Triage:
    """Tier and advice for a typed symptom: serious, common (severe: tell the doctor) or other."""
    symptom = find_symptom(pack, text)
    advice = pack.side_effects.advice
    if symptom is None:
        return Triage(
            text=text, tier=m.Tier.OTHER, action=Action.MENTION_IF_UNUSUAL, advice=advice.other, pack=pack.key
        )
    tier = m.Tier(symptom.tier.value)
    if tier is m.Tier.SERIOUS:
        action, said = Action.CALL_NOW, advice.serious
    elif severity is m.Severity.SEVERE:
        action, said = Action.TELL_DOCTOR, advice.common
    else:
        days = pack.side_effects.lingering_days
        action = Action.WATCH
        said = f"{advice.common} The journal will remind you if it is still there after {days} days."
    return Triage(
        text=text,
        symptom_key=symptom.key,
        label=symptom.label,
        tier=tier,
        action=action,
        advice=said,
        pack=pack.key,
        injection_site=symptom.injection_site,
    )


def triage_all(packs: Sequence[Pack], text: str, severity: m.Severity | None = None) -> Triage:
    """The most serious triage across the packs of every active medicine (tier other without packs)."""
    results = [triage(pack, text, severity) for pack in packs]
    if not results:
        return Triage(text=text, tier=m.Tier.OTHER, action=Action.MENTION_IF_UNUSUAL, advice=GENERIC_OTHER_ADVICE)
    return max(results, key=lambda t: _RANK[t.tier])


def lingering_days(packs: Sequence[Pack], symptom_key: str | None) -> int:
    """Days after which a common side effect counts as one that does not go away."""
    for pack in packs:
        if symptom_key and any(s.key == symptom_key for s in pack.side_effects.symptoms):
            return pack.side_effects.lingering_days
    return packs[0].side_effects.lingering_days if packs else DEFAULT_LINGERING_DAYS


def current_action(effect: m.SideEffect, *, now: datetime, lingering: int) -> Action | None:
    """What a logged side effect asks for now; None once resolved or the doctor was contacted."""
    if effect.resolved_at is not None or effect.deleted_at is not None or effect.doctor_contacted_at is not None:
        return None
    if effect.tier is m.Tier.SERIOUS:
        return Action.CALL_NOW
    if effect.tier is m.Tier.COMMON:
        if effect.severity is m.Severity.SEVERE or now - effect.started_at >= timedelta(days=lingering):
            return Action.TELL_DOCTOR
        return Action.WATCH
    return Action.MENTION_IF_UNUSUAL
