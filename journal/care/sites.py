"""Injection-site rotation: which spot to use next, and warnings about the one chosen."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime

from journal import models as m
from journal.content import Pack, Region, Spot, spot_distance_cm
from journal.dataclass import dataclass
from journal.errors import SiteError, SiteProblem


@dataclass(kw_only=True)
class SiteUse:
    """Where one past injection went."""

    at: datetime
    region: str | None = None
    spot: str | None = None


def uses_from_doses(doses: Iterable[m.Dose]) -> list[SiteUse]:
    """The injection sites of taken doses, newest first."""
    uses = [
        SiteUse(at=d.at, region=d.region, spot=d.spot)
        for d in doses
        if d.status is m.DoseStatus.TAKEN and (d.region or d.spot) and d.deleted_at is None
    ]
    return sorted(uses, key=lambda u: u.at, reverse=True)


def injection_site_keys(pack: Pack) -> frozenset[str]:
    """Keys of the pack's symptoms that are reactions at the injection site."""
    return frozenset(s.key for s in pack.side_effects.symptoms if s.injection_site)


def blocked_regions(pack: Pack, side_effects: Iterable[m.SideEffect]) -> frozenset[str]:
    """Regions with an unresolved reaction at the injection site: no suggestion goes there.

    That is a common site reaction, or a serious effect noted at a site ("the injection site is hot,
    red and swollen" is recorded at the region of the last injection).
    """
    keys = injection_site_keys(pack)
    return frozenset(
        e.region
        for e in side_effects
        if e.region
        and e.resolved_at is None
        and e.deleted_at is None
        and (e.symptom_key in keys or e.tier is m.Tier.SERIOUS)
    )


def spot_of(pack: Pack, value: str | None) -> Spot | None:
    """The pack's spot for a stored spot id, or None if it is missing or no longer in the pack."""
    if not value:
        return None
    try:
        return pack.sites.spot(value)
    except ValueError:
        return None


def spot_label(pack: Pack, value: str | None, region: str | None = None) -> str | None:
    """A readable name for a spot or region, e.g. 'Left outer thigh B2 (thigh-left:B2)'."""
    spot = spot_of(pack, value)
    if spot is not None:
        cell = spot.id.partition(":")[2]
        return f"{pack.region(spot.region).label} {cell} ({spot.id})"
    key = region or (value.partition(":")[0] if value else None)
    if not key:
        return None
    try:
        return f"{pack.region(key).label} ({key})"
    except KeyError:
        return value or key


def allowed_regions(pack: Pack, given_by: m.GivenBy) -> tuple[Region, ...]:
    """Regions open to this injector: self-allowed ones for self, all of them for someone else."""
    return pack.sites.regions if given_by is m.GivenBy.OTHER else pack.sites.self_regions()


def _last_used(pack: Pack, uses: Sequence[SiteUse]) -> dict[str, datetime]:
    last: dict[str, datetime] = {}
    for use in uses:
        spot = spot_of(pack, use.spot)
        if spot is not None:
            ids: Iterable[str] = (spot.id,)
        elif use.region:
            try:
                ids = pack.region(use.region).spot_ids()
            except KeyError:
                continue
        else:
            continue
        for spot_id in ids:
            if spot_id not in last or use.at > last[spot_id]:
                last[spot_id] = use.at
    return last


def _distance_from_last(pack: Pack, last: SiteUse | None, spot: Spot) -> float:
    if last is None:
        return math.inf
    previous = spot_of(pack, last.spot)
    if previous is not None:
        return spot_distance_cm(pack, previous.id, spot.id)
    # A past dose with only a region: its spot is unknown, so the whole region counts as near.
    return 0.0 if last.region == spot.region else math.inf


def _far_enough(pack: Pack, spot: Spot, *neighbours: SiteUse | None) -> bool:
    spacing = pack.sites.spacing_cm
    return all(_distance_from_last(pack, n, spot) >= spacing for n in neighbours)


def _newest(uses: Sequence[SiteUse]) -> SiteUse | None:
    return max(uses, key=lambda u: u.at) if uses else None


def _ranked(pack: Pack, spots: Iterable[Spot], uses: Sequence[SiteUse]) -> list[Spot]:
    # Never used first (in pack order), then the longest ago.
    last = _last_used(pack, uses)
    ordered = list(spots)
    never = [s for s in ordered if s.id not in last]
    used = sorted((s for s in ordered if s.id in last), key=lambda s: last[s.id])
    return never + used


def suggest_spot(
    pack: Pack,
    uses: Sequence[SiteUse],
    *,
    given_by: m.GivenBy = m.GivenBy.SELF,
    blocked: frozenset[str] = frozenset(),
    after: SiteUse | None = None,
) -> Spot | None:
    """The least recently used allowed spot at least the pack's spacing from the last injection.

    `uses` are the injections before this one; `after` is the next one when a dose is entered late.
    """
    latest = _newest(uses)
    spacing = pack.sites.spacing_cm
    candidates = [
        spot
        for region in allowed_regions(pack, given_by)
        if region.key not in blocked
        for spot in region.spots(spacing)
        if _far_enough(pack, spot, latest, after)
    ]
    ranked = _ranked(pack, candidates, uses)
    return ranked[0] if ranked else None


def choose_site(
    pack: Pack,
    text: str,
    uses: Sequence[SiteUse],
    *,
    given_by: m.GivenBy = m.GivenBy.SELF,
    after: SiteUse | None = None,
) -> Spot:
    """The spot a typed region key (its least recently used spot) or spot id names; SiteError if not allowed."""
    value = text.strip()
    key = value.partition(":")[0].lower()
    try:
        region = pack.region(key)
    except KeyError:
        known = tuple(r.key for r in allowed_regions(pack, given_by))
        raise SiteError(
            f"{value!r} is not an injection site for {pack.medication.generic}; use one of: {', '.join(known)}",
            problem=SiteProblem.UNKNOWN,
            choices=known,
        ) from None
    if given_by is m.GivenBy.SELF and not region.self_allowed:
        own = tuple(r.key for r in pack.sites.self_regions())
        named = f"{region.label} ({region.key})"
        raise SiteError(
            f"{named} is only for when someone else gives the injection: say that someone else gives it, "
            f"or choose one of: {', '.join(own)}",
            problem=SiteProblem.OTHERS_ONLY,
            region=named,
            choices=own,
        )
    if ":" in value:
        try:
            return pack.sites.spot(value)
        except ValueError as exc:
            raise SiteError(str(exc), problem=SiteProblem.BAD_SPOT) from None
    latest = _newest(uses)
    spacing = pack.sites.spacing_cm
    spots = region.spots(spacing)
    far = [s for s in spots if _far_enough(pack, s, latest, after)]
    return _ranked(pack, far or spots, uses)[0]


def site_warnings(
    pack: Pack,
    spot: Spot,
    uses: Sequence[SiteUse],
    *,
    blocked: frozenset[str] = frozenset(),
    after: SiteUse | None = None,
) -> list[str]:
    """Warnings about injecting at `spot`: same as last time, too close to it, or a region with a reaction."""
    warnings: list[str] = []
    spacing = pack.sites.spacing_cm
    for other, which in ((_newest(uses), "last"), (after, "next")):
        if other is None:
            continue
        if other.spot == spot.id:
            warnings.append(
                f"{spot.id} is the same spot as the {which} injection; use a different site each time "
                f"(at least {spacing:g} cm apart)."
            )
        elif _distance_from_last(pack, other, spot) < spacing:
            warnings.append(
                f"{spot.id} is closer than {spacing:g} cm to the {which} injection "
                f"({spot_label(pack, other.spot, other.region)})."
            )
    if spot.region in blocked:
        warnings.append(
            f"{pack.region(spot.region).label} has an injection-site reaction that is not marked resolved; "
            "choose another region until it clears."
        )
    return warnings


def avoid_advice(pack: Pack) -> str:
    """Where not to inject, from the pack, as one line for the site step."""
    return " ".join(note.text for note in pack.sites.avoid)
