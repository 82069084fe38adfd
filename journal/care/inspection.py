"""What to do with a syringe that looks a certain way: use it, wait until it clears, or discard it."""

from __future__ import annotations

from journal import models as m
from journal.content import Pack, Verdict
from journal.dataclass import dataclass
from journal.errors import InspectionError

# Used when a pack does not list an appearance: a syringe nobody vouched for is not injected.
UNLISTED_ADVICE = "The guide for this medicine does not say a syringe like this can be used: do not use it."


@dataclass(kw_only=True)
class Inspection:
    """The verdict for one syringe check."""

    appearance: m.Appearance
    label: str
    verdict: Verdict
    advice: str
    usable: bool
    outcome: m.CheckOutcome
    waited_minutes: int | None = None
    reason: str | None = None


# For a medicine with no content pack: the usual rule for a prefilled syringe of solution.
_NO_PACK = {
    m.Appearance.CLEAR: Verdict.USE,
    m.Appearance.FOAMY: Verdict.WAIT,
}
_NO_PACK_ADVICE = {
    Verdict.USE: "The solution looks as it should.",
    Verdict.WAIT: "Let the syringe sit for a few minutes until the solution clears.",
    Verdict.DISCARD: "Do not use a syringe that does not look as it should; ask your pharmacist.",
}


def _verdict(pack: Pack | None, look: m.Appearance) -> tuple[str, Verdict, str]:
    if pack is None:
        verdict = _NO_PACK.get(look, Verdict.DISCARD)
        return look.value.capitalize(), verdict, _NO_PACK_ADVICE[verdict]
    try:
        entry = pack.appearance(look.value)
    except KeyError:
        if look is m.Appearance.CLEAR:
            return "Clear", Verdict.USE, _NO_PACK_ADVICE[Verdict.USE]
        return look.value.capitalize(), Verdict.DISCARD, UNLISTED_ADVICE
    return entry.label, entry.verdict, entry.advice


def verdict_for(pack: Pack | None, appearance: m.Appearance) -> Verdict:
    """The pack's verdict (use, wait, discard) on a syringe that looks like `appearance`."""
    return _verdict(pack, appearance)[1]


def inspect_syringe(
    pack: Pack | None, appearance: m.Appearance | str, *, waited_minutes: int | None = None
) -> Inspection:
    """The pack's verdict on a syringe: usable (clear, or foamy after waiting) or to be discarded."""
    look = m.Appearance(appearance)
    label, verdict, advice = _verdict(pack, look)
    if verdict is Verdict.DISCARD:
        return Inspection(
            appearance=look,
            label=label,
            verdict=verdict,
            advice=advice,
            usable=False,
            outcome=m.CheckOutcome.DISCARDED,
            waited_minutes=waited_minutes,
            reason=f"{label.lower()}: {advice}",
        )
    if verdict is Verdict.WAIT and not waited_minutes:
        raise InspectionError(look=label.lower(), advice=advice)
    return Inspection(
        appearance=look,
        label=label,
        verdict=verdict,
        advice=advice,
        usable=True,
        outcome=m.CheckOutcome.USED,
        waited_minutes=waited_minutes,
    )


def leftover_advice(pack: Pack) -> str:
    """What to do with solution left in a used syringe (never inject it again)."""
    return pack.inspection.leftover
