"""Supply: syringes received minus used and discarded, days left, reorder-by, expired boxes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal import models as m
from journal.care import supply
from journal.store import Store
from tests.unit import supply_oracle as oracle

TODAY = date(2026, 11, 25)
MED_ID = "med"


def box(count: int = 7, *, expires: date | None = None, received: date = date(2026, 11, 1)) -> m.SupplyBox:
    return m.SupplyBox(medication_id=MED_ID, received=received, count=count, expires=expires)


def status(
    boxes: list[m.SupplyBox],
    used: int,
    discarded: int = 0,
    *,
    taken_today: bool = False,
    lead: int = 7,
    used_up: supply.UsedUp | None = None,
    reached: dict[str, int] | None = None,
) -> supply.SupplyStatus:
    return supply.supply_status(
        boxes,
        used=used,
        discarded=discarded,
        today=TODAY,
        taken_today=taken_today,
        reorder_lead_days=lead,
        used_up=used_up,
        reached=reached,
    )


def test_a_taken_dose_with_its_check_uses_one_syringe_and_a_discarded_check_another() -> None:
    at = datetime(2026, 11, 24, 8, tzinfo=UTC)
    used_check = m.SyringeCheck(medication_id=MED_ID, at=at, tz="UTC", appearance=m.Appearance.FOAMY, waited_minutes=3)
    bad = m.SyringeCheck(
        medication_id=MED_ID, at=at, tz="UTC", appearance=m.Appearance.CLOUDY, outcome=m.CheckOutcome.DISCARDED
    )
    taken = m.Dose(medication_id=MED_ID, at=at, tz="UTC", check_id=used_check.id)
    skipped = m.Dose(medication_id=MED_ID, at=at, tz="UTC", status=m.DoseStatus.SKIPPED, reason="ill")
    assert oracle.syringes_consumed([taken, skipped], [used_check, bad]) == (1, 1)


def test_days_left_and_reorder_by_count_from_today_when_todays_dose_is_still_to_come() -> None:
    result = status([box(7), box(7)], used=4)
    assert result.remaining == 10 and result.days_left == 10
    assert result.runs_out_on == TODAY + timedelta(days=10)
    assert result.reorder_by == TODAY + timedelta(days=3)
    assert not result.reorder_due


def test_reorder_is_due_once_days_left_reach_the_lead_time() -> None:
    assert status([box(7)], used=0, lead=7).reorder_due
    assert not status([box(7)], used=0, lead=6).reorder_due


def test_a_reorder_date_gone_by_says_now_not_by_a_past_day() -> None:
    from journal.care.alerts import supply_alerts

    late = status([box(3)], used=0, lead=7)  # three days left with a seven days' lead: due four days ago
    assert supply.reorder_words(late.reorder_by, TODAY) == "reorder now (the reorder date was 2026-11-21)"
    (alert,) = supply_alerts(m.Medication(name="anakinra"), late)
    assert alert.text.endswith(": reorder now (the reorder date was 2026-11-21).") and "reorder by" not in alert.text
    assert supply.reorder_words(TODAY, TODAY, "anakinra") == "reorder anakinra today"
    assert supply.reorder_words(TODAY + timedelta(days=1), TODAY) == "reorder by 2026-11-26"


def test_an_expired_box_warns_and_its_syringes_are_not_counted_as_days_left() -> None:
    old = box(7, expires=date(2026, 11, 10))
    fresh = box(7, expires=date(2027, 6, 1))
    result = status([old, fresh], used=3)
    assert [b.box_id for b in result.expired_boxes] == [old.id]
    assert result.remaining == 11 and result.usable == 7 and result.days_left == 7


def test_a_box_that_expires_before_it_would_be_used_up_warns() -> None:
    soon = box(7, expires=TODAY + timedelta(days=3))
    result = status([soon], used=0)
    assert [b.box_id for b in result.expiring_boxes] == [soon.id]
    assert status([box(7, expires=TODAY + timedelta(days=30))], used=0).expiring_boxes == []


def test_more_used_than_received_is_reported_not_negative() -> None:
    result = status([box(7)], used=9)
    assert result.remaining == 0 and result.unaccounted == 2


@settings(max_examples=200, deadline=None)
@given(
    counts=st.lists(st.integers(1, 30), min_size=1, max_size=6),
    used=st.integers(0, 200),
    discarded=st.integers(0, 20),
    taken_today=st.booleans(),
    lead=st.integers(0, 30),
)
def test_supply_arithmetic_holds_for_any_boxes_and_usage(
    counts: list[int], used: int, discarded: int, taken_today: bool, lead: int
) -> None:
    result = status([box(c) for c in counts], used, discarded, taken_today=taken_today, lead=lead)
    assert result.remaining == max(sum(counts) - used - discarded, 0)
    assert result.remaining + used + discarded - result.unaccounted == sum(counts)
    assert result.days_left == result.usable == result.remaining
    assert sum(b.remaining for b in result.boxes) == result.remaining
    first_day = TODAY + timedelta(days=1 if taken_today else 0)
    assert result.runs_out_on == first_day + timedelta(days=result.days_left)
    assert (result.runs_out_on - result.reorder_by).days == lead
    assert result.reorder_due == (result.reorder_by <= TODAY)


_BOX = st.tuples(
    st.integers(1, 10),  # syringes in the box
    st.one_of(st.none(), st.integers(-60, 400)),  # expires, days from TODAY (None: no expiry date)
    st.integers(-400, 0),  # received, days from TODAY
    st.booleans(),  # deleted
)


def _boxes(specs: list[tuple[int, int | None, int, bool]]) -> list[m.SupplyBox]:
    made = []
    for count, expires, received, deleted in specs:
        made.append(
            m.SupplyBox(
                medication_id=MED_ID,
                count=count,
                expires=None if expires is None else TODAY + timedelta(days=expires),
                received=TODAY + timedelta(days=received),
                deleted_at=datetime(2026, 11, 1, tzinfo=UTC) if deleted else None,
            )
        )
    return made


def _figures(result: supply.SupplyStatus) -> tuple[object, ...]:
    return (
        result.received,
        result.remaining,
        result.usable,
        result.unaccounted,
        result.thrown_away,
        result.expired_unused,
        result.days_left,
        result.reorder_by,
        result.used_up_boxes,
        [(b.box_id, b.remaining) for b in result.boxes if b.remaining],
        [b.box_id for b in result.expired_boxes],
        [(b.box_id, b.outlasts_expiry_on) for b in result.expiring_boxes],
    )


@settings(max_examples=200, deadline=None)
@given(specs=st.lists(_BOX, max_size=12), used=st.integers(0, 80), discarded=st.integers(0, 5))
def test_leaving_out_used_up_boxes_changes_no_figure(
    specs: list[tuple[int, int | None, int, bool]], used: int, discarded: int
) -> None:
    # A journal kept for years has hundreds of empty boxes: the status is the same without reading them.
    boxes = sorted((b for b in _boxes(specs) if b.deleted_at is None), key=supply.use_order)
    empty, total = 0, 0
    while empty < len(boxes) and total + boxes[empty].count <= used + discarded:
        total += boxes[empty].count
        empty += 1
    whole = supply.supply_status(
        boxes, used=used, discarded=discarded, today=TODAY, taken_today=False, reorder_lead_days=7
    )
    rest = supply.supply_status(
        boxes[empty:],
        used=used,
        discarded=discarded,
        today=TODAY,
        taken_today=False,
        reorder_lead_days=7,
        used_up=supply.UsedUp(boxes=empty, syringes=total),
    )
    assert _figures(rest) == _figures(whole)


def test_boxes_said_used_up_must_not_hold_more_than_was_used() -> None:
    with pytest.raises(ValueError):
        status([box(7)], used=3, discarded=0, used_up=supply.UsedUp(boxes=1, syringes=7))


def test_after_a_box_expired_its_syringes_stay_in_it_and_the_doses_come_from_the_next_box() -> None:
    # Issue 13: boxes were drawn in order of expiry even after one expired, so after an expired
    # box `supply` said 7 syringes left when 2 usable ones were.
    old = box(7, expires=TODAY - timedelta(days=6))
    fresh = box(7, expires=date(2027, 6, 1))
    # A dose a day for the last 7 days: 2 on or before the old box's expiry date, 5 after it.
    result = status([old, fresh], used=7, reached={old.id: 2})
    assert result.usable == 2 and result.days_left == 2
    assert result.expired_unused == 5 and [b.box_id for b in result.expired_boxes] == [old.id]
    assert result.remaining == 7 and result.unaccounted == 0


def test_with_only_expired_boxes_left_a_dose_is_from_no_recorded_box() -> None:
    old = box(7, expires=TODAY - timedelta(days=3))
    result = status([old], used=5, reached={old.id: 2})
    assert result.usable == 0 and result.expired_unused == 5 and result.unaccounted == 3


def test_a_box_thrown_away_no_longer_counts_and_gives_no_later_syringe() -> None:
    thrown = replace(box(7, expires=date(2027, 1, 1)), discarded_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    fresh = box(7, expires=date(2027, 6, 1))
    result = status([thrown, fresh], used=4, reached={thrown.id: 1})
    assert result.thrown_away == 6 and result.remaining == result.usable == 4
    assert result.expired_boxes == [] and result.expiring_boxes == []
    assert [b.thrown_away for b in result.boxes] == [True, False]


def test_a_box_may_be_used_on_its_expiry_date_until_it_is_thrown_away() -> None:
    expires = date(2026, 11, 20)
    made = box(7, expires=expires)
    late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert supply.usable_for(made, late, expires)
    assert not supply.usable_for(made, late + timedelta(hours=1), expires + timedelta(days=1))
    gone = replace(made, discarded_at=late)
    assert not supply.usable_for(gone, late, expires)
    assert supply.usable_for(gone, late - timedelta(seconds=1), expires)


ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Paris"]
_USE = st.tuples(
    st.integers(-30 * 24, -1),  # hours from TODAY's UTC midnight
    st.sampled_from(ZONES),
    st.sampled_from(["taken", "skipped", "discarded"]),
)
_KEPT_BOX = st.tuples(
    st.integers(1, 6),  # syringes in the box
    st.one_of(st.none(), st.integers(-30, 10)),  # expires, days from TODAY
    st.integers(-35, -20),  # received, days from TODAY
    st.booleans(),  # deleted
    st.one_of(st.none(), st.integers(0, 20 * 24)),  # thrown away, hours after it was received (before TODAY)
)


@settings(max_examples=100, deadline=None)
@given(specs=st.lists(_KEPT_BOX, max_size=8), uses=st.lists(_USE, max_size=40))
def test_the_store_reads_the_supply_as_the_rule_works_it_out_from_every_record(
    specs: list[tuple[int, int | None, int, bool, int | None]], uses: list[tuple[int, str, str]]
) -> None:
    # The store reads only the boxes not used up, and counts from the times of the syringes used:
    # the figures must be the ones the rule gives from every box, dose and check as records.
    midnight = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC)
    store = Store.memory()
    try:
        med = store.add(m.Medication(name="Anakinra", tracked=True))
        for count, expires, received, deleted, thrown in specs:
            got = TODAY + timedelta(days=received)
            store.add(
                m.SupplyBox(
                    medication_id=med.id,
                    count=count,
                    received=got,
                    expires=None if expires is None else TODAY + timedelta(days=expires),
                    deleted_at=midnight if deleted else None,
                    discarded_at=None if thrown is None else midnight + timedelta(days=received, hours=thrown),
                )
            )
        for hours, zone, kind in uses:
            at = midnight + timedelta(hours=hours)
            if kind == "discarded":
                look, outcome = m.Appearance.CLOUDY, m.CheckOutcome.DISCARDED
                store.add(m.SyringeCheck(medication_id=med.id, at=at, tz=zone, appearance=look, outcome=outcome))
            else:
                store.add(m.Dose(medication_id=med.id, at=at, tz=zone, status=m.DoseStatus(kind), reason="ill"))
        live = sorted(store.all(m.SupplyBox), key=supply.use_order)
        first = store.first_box(med.id)
        assert first == min((b.received for b in live), default=None)
        if first is None:
            return
        doses, checks = store.doses(med.id), store.all(m.SyringeCheck)
        used, discarded = store.syringes_since(med.id, first)
        assert (used, discarded) == oracle.syringes_consumed(doses, checks, since=first)
        in_use, reached, empty_boxes, empty_syringes = store.boxes_in_use(med.id, first)
        assert [b.id for b in live[empty_boxes:]] == [b.id for b in in_use]
        expected = {b.id: oracle.consumed_while_usable(b, doses, checks, since=first) for b in live}
        assert all(reached[i] == expected[i] for i in reached)
        whole = supply.supply_status(
            live, used=used, discarded=discarded, today=TODAY, taken_today=False, reorder_lead_days=7, reached=expected
        )
        rest = supply.supply_status(
            in_use,
            used=used,
            discarded=discarded,
            today=TODAY,
            taken_today=False,
            reorder_lead_days=7,
            reached=reached,
            used_up=supply.UsedUp(boxes=empty_boxes, syringes=empty_syringes),
        )
        assert _figures(rest) == _figures(whole)
        # The boxes left out are each used up by what was used while it was usable.
        assert all(b.remaining == 0 for b in whole.boxes[:empty_boxes])
    finally:
        store.close()
