"""Injection-site rotation: allowed regions, spacing from the last injection, open site reactions."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal import models as m
from journal.care import sites
from journal.care.sites import SiteUse
from journal.content import Pack, load_pack, spot_distance_cm
from journal.errors import SiteError

FIXTURE_PACKS = Path(__file__).resolve().parents[1] / "fixtures" / "packs"
T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
ANAKINRA = load_pack("anakinra")
TESTAMAB = load_pack("testamab", FIXTURE_PACKS)


def use(spot: str, days_ago: int) -> SiteUse:
    return SiteUse(at=T0 - timedelta(days=days_ago), region=spot.partition(":")[0], spot=spot)


def distance(pack: Pack, a: str, b: str) -> float:
    return spot_distance_cm(pack, a, b)


def test_first_suggestion_is_a_spot_a_person_may_inject_themselves() -> None:
    spot = sites.suggest_spot(ANAKINRA, [])
    assert spot is not None
    assert ANAKINRA.region(spot.region).self_allowed


def test_suggestion_is_at_least_the_spacing_from_the_last_injection() -> None:
    uses = [use("thigh-left:A1", 1)]
    spot = sites.suggest_spot(ANAKINRA, uses)
    assert spot is not None
    assert distance(ANAKINRA, spot.id, "thigh-left:A1") >= 2.5


def test_suggestion_prefers_the_least_recently_used_spot() -> None:
    # Every self-allowed spot used once, thigh-right:C2 the longest ago: it comes next.
    all_spots = [s.id for r in ANAKINRA.sites.self_regions() for s in r.spots(2.5)]
    order = [s for s in all_spots if s != "thigh-right:C2"]
    uses = [use(s, i + 1) for i, s in enumerate(order)] + [use("thigh-right:C2", 400)]
    spot = sites.suggest_spot(ANAKINRA, uses)
    assert spot is not None and spot.id == "thigh-right:C2"


def test_no_suggestion_in_a_region_with_an_open_injection_site_reaction() -> None:
    reaction = m.SideEffect(
        symptom="sore thigh",
        symptom_key="injection-site",
        tier=m.Tier.COMMON,
        started_at=T0,
        tz="UTC",
        region="thigh-left",
    )
    blocked = sites.blocked_regions(ANAKINRA, [reaction])
    assert blocked == {"thigh-left"}
    spot = sites.suggest_spot(ANAKINRA, [], blocked=blocked)
    assert spot is not None and spot.region != "thigh-left"
    resolved = reaction.changed(**{"resolved_at": T0 + timedelta(days=1)})
    assert sites.blocked_regions(ANAKINRA, [resolved]) == frozenset()


def test_a_headache_does_not_block_a_region() -> None:
    other = m.SideEffect(
        symptom="headache", symptom_key="headache", tier=m.Tier.COMMON, started_at=T0, tz="UTC", region="thigh-left"
    )
    assert sites.blocked_regions(ANAKINRA, [other]) == frozenset()


def test_a_serious_reaction_noted_at_a_site_blocks_its_region() -> None:
    hot = m.SideEffect(
        symptom="injection site is hot, red and swollen",
        symptom_key="hot-red-skin",
        tier=m.Tier.SERIOUS,
        started_at=T0,
        tz="UTC",
        region="stomach-left",
    )
    assert sites.blocked_regions(ANAKINRA, [hot]) == {"stomach-left"}


@pytest.mark.parametrize("site", ["arm-left", "buttock-right", "arm-right:A2"])
def test_arm_or_buttock_is_refused_when_injecting_yourself(site: str) -> None:
    with pytest.raises(SiteError, match="someone else"):
        sites.choose_site(ANAKINRA, site, [], given_by=m.GivenBy.SELF)


def test_someone_else_may_inject_the_arm() -> None:
    spot = sites.choose_site(ANAKINRA, "arm-left", [], given_by=m.GivenBy.OTHER)
    assert spot.region == "arm-left"


def test_suggestions_for_self_never_leave_self_allowed_regions() -> None:
    uses: list[SiteUse] = []
    for day in range(60):
        spot = sites.suggest_spot(ANAKINRA, uses)
        assert spot is not None and ANAKINRA.region(spot.region).self_allowed
        uses.insert(0, SiteUse(at=T0 + timedelta(days=day), region=spot.region, spot=spot.id))


def test_region_key_picks_its_least_recently_used_spot_away_from_the_last() -> None:
    uses = [use("thigh-left:A1", 1), use("thigh-left:A2", 2), use("thigh-left:B1", 3)]
    spot = sites.choose_site(ANAKINRA, "THIGH-LEFT", uses)
    assert spot.region == "thigh-left"
    assert spot.id not in {"thigh-left:A1", "thigh-left:A2", "thigh-left:B1"}
    assert distance(ANAKINRA, spot.id, "thigh-left:A1") >= 2.5


def test_unknown_region_or_spot_outside_the_grid_is_an_error() -> None:
    with pytest.raises(SiteError, match="not an injection site"):
        sites.choose_site(ANAKINRA, "elbow", [])
    with pytest.raises(SiteError, match="outside"):
        sites.choose_site(ANAKINRA, "thigh-left:Z9", [])


def test_choosing_the_same_spot_as_last_time_warns() -> None:
    uses = [use("stomach-left:B2", 1)]
    spot = sites.choose_site(ANAKINRA, "stomach-left:b2", uses)
    warnings = sites.site_warnings(ANAKINRA, spot, uses)
    assert any("same spot as the last injection" in w for w in warnings)


def test_choosing_a_spot_closer_than_the_spacing_warns() -> None:
    pack = TESTAMAB  # 3.0 cm spacing: neighbours 3.0 apart are fine, the same spot is not
    uses = [use("abdomen-upper:A1", 1)]
    assert sites.site_warnings(pack, pack.sites.spot("abdomen-upper:A2"), uses) == []
    assert sites.site_warnings(pack, pack.sites.spot("abdomen-upper:A1"), uses)


def test_a_dose_entered_late_keeps_its_distance_from_the_next_injection_too() -> None:
    before = [use("thigh-left:A1", 2)]
    after = use("thigh-left:B1", 0)
    spot = sites.suggest_spot(ANAKINRA, before, after=after)
    assert spot is not None
    assert distance(ANAKINRA, spot.id, "thigh-left:A1") >= 2.5
    assert distance(ANAKINRA, spot.id, "thigh-left:B1") >= 2.5
    warnings = sites.site_warnings(ANAKINRA, ANAKINRA.sites.spot("thigh-left:B1"), before, after=after)
    assert any("next injection" in w for w in warnings)


def test_a_past_dose_with_only_a_region_keeps_the_next_suggestion_out_of_that_region() -> None:
    uses = [SiteUse(at=T0, region="thigh-left", spot=None)]
    spot = sites.suggest_spot(ANAKINRA, uses)
    assert spot is not None and spot.region != "thigh-left"


def test_no_suggestion_rather_than_one_too_close() -> None:
    # Synthetic pack: the only region left is a 1x1 shoulder, used last time.
    uses = [use("shoulder:A1", 1)]
    blocked = frozenset({"abdomen-upper"})
    assert sites.suggest_spot(TESTAMAB, uses, given_by=m.GivenBy.OTHER, blocked=blocked) is None


_events = st.lists(
    st.tuples(
        st.sampled_from([m.GivenBy.SELF, m.GivenBy.OTHER]),
        st.frozensets(st.sampled_from([r.key for r in ANAKINRA.sites.regions] + ["abdomen-upper", "shoulder"])),
    ),
    min_size=2,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(events=_events, use_testamab=st.booleans())
def test_following_the_suggestions_never_puts_two_injections_in_a_row_closer_than_the_spacing(
    events: list[tuple[m.GivenBy, frozenset[str]]], use_testamab: bool
) -> None:
    pack = TESTAMAB if use_testamab else ANAKINRA
    uses: list[SiteUse] = []
    for day, (given_by, blocked) in enumerate(events):
        spot = sites.suggest_spot(pack, uses, given_by=given_by, blocked=blocked)
        if spot is None:
            continue
        assert spot.region not in blocked
        if given_by is m.GivenBy.SELF:
            assert pack.region(spot.region).self_allowed
        if uses and uses[0].spot:
            gap = spot_distance_cm(pack, uses[0].spot, spot.id)
            assert gap >= pack.sites.spacing_cm or math.isinf(gap)
        uses.insert(0, SiteUse(at=T0 + timedelta(days=day), region=spot.region, spot=spot.id))
