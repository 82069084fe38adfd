"""Syringe supply: boxes received minus syringes used and discarded, days left, reorder-by, expiry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from datetime import date, datetime, timedelta

from journal import models as m
from journal.dataclass import dataclass


@dataclass(kw_only=True)
class BoxState:
    """One box received, and how many of its syringes are still there (oldest box used first)."""

    box_id: str
    received: date
    count: int
    remaining: int
    lot: str | None = None
    expires: date | None = None
    expired: bool = False
    # Thrown away (`supply discard`): what was left in it is no longer counted anywhere.
    thrown_away: bool = False
    # The day its last syringe would be used at one per day, if it is after the expiry date.
    outlasts_expiry_on: date | None = None


@dataclass(kw_only=True)
class UsedUp:
    """Boxes whose every syringe is used, left out of the boxes a status is worked out from.

    They are the first boxes in the order boxes are used (`use_order`), each used up by the
    syringes used while it was usable, so leaving them out changes nothing but the work: a
    journal kept for years has hundreds of them.
    """

    boxes: int = 0
    syringes: int = 0


@dataclass(kw_only=True)
class SupplyStatus:
    """Where the supply of one medicine stands on a given day."""

    today: date
    received: int
    used: int
    discarded: int
    # Syringes left in boxes not thrown away: usable ones and those in expired boxes.
    remaining: int
    # Remaining syringes not in an expired box: the ones days left and reorder-by count on.
    usable: int
    # Syringes used that no box recorded could give on their day: a box was probably not recorded.
    unaccounted: int = 0
    # Syringes that were still in boxes when they were thrown away (`supply discard`).
    thrown_away: int = 0
    days_left: int
    runs_out_on: date
    reorder_by: date
    reorder_lead_days: int
    reorder_due: bool
    # Boxes still holding syringes, or used up since the ones left out (see UsedUp), in use_order.
    boxes: list[BoxState]
    used_up: UsedUp = field(default_factory=UsedUp)

    @property
    def used_up_boxes(self) -> int:
        """How many boxes have no syringe left."""
        return self.used_up.boxes + sum(1 for b in self.boxes if b.remaining == 0)

    @property
    def expired_boxes(self) -> list[BoxState]:
        """Boxes not thrown away, with syringes left, whose expiry date has passed."""
        return [b for b in self.boxes if b.expired and b.remaining > 0 and not b.thrown_away]

    @property
    def expired_unused(self) -> int:
        """Syringes left in expired boxes not thrown away."""
        return sum(b.remaining for b in self.expired_boxes)

    @property
    def expiring_boxes(self) -> list[BoxState]:
        """Boxes that will expire before their last syringe would be used."""
        return [b for b in self.boxes if not b.expired and not b.thrown_away and b.outlasts_expiry_on is not None]


def use_order(box: m.SupplyBox) -> tuple[date, date, str]:
    """The order boxes are used in: the one that expires first (no expiry date last), then the one
    received first, then by id. The store applies the same order in SQL."""
    return (box.expires or date.max, box.received, box.id)


def usable_for(box: m.SupplyBox, at: datetime, day: date) -> bool:
    """Whether a syringe used at `at` (local day `day`) could come from `box`: the box had not
    expired on that day (it may be used on its expiry date) and had not been thrown away yet."""
    return (box.expires is None or day <= box.expires) and (box.discarded_at is None or at < box.discarded_at)


def reorder_words(reorder_by: date, today: date, what: str = "") -> str:
    """'reorder by 2026-12-05', 'reorder today', or, once the date has passed, 'reorder now (the reorder
    date was 2026-12-01)': never a "by" a day already gone. `what` names the medicine ("reorder anakinra by")."""
    name = f" {what}" if what else ""
    if reorder_by > today:
        return f"reorder{name} by {reorder_by.isoformat()}"
    if reorder_by == today:
        return f"reorder{name} today"
    return f"reorder{name} now (the reorder date was {reorder_by.isoformat()})"


def supply_status(
    boxes: Sequence[m.SupplyBox],
    *,
    used: int,
    discarded: int,
    today: date,
    taken_today: bool,
    reorder_lead_days: int,
    per_day: int = 1,
    used_up: UsedUp | None = None,
    reached: Mapping[str, int] | None = None,
) -> SupplyStatus:
    """Remaining syringes, days left, the reorder-by date and expired boxes, as of `today`.

    Each syringe used (`used + discarded`) comes from the first box in `use_order` that still
    has one and was usable on its day (`usable_for`): a box that expired or was thrown away
    gives none after that, and what was left in it stays there. Worked out from counts: a box
    gives, of the syringes used while it was usable, those the boxes before it did not: the
    same as taking each syringe in turn, in the order they were used, unless one was recorded
    on an earlier local day than one used before it (a flight across the date line).
    `reached[box.id]`: how many of the syringes used were used while that box was usable
    (`Store.boxes_in_use` counts them; a box not in it was usable for all of them). Syringes in an
    expired box are not counted as days left. `used_up`: boxes left out of `boxes` because
    every syringe in them is used (the first ones in `use_order`, holding no more syringes
    than `used + discarded`).
    """
    settled = used_up or UsedUp()
    reached = reached or {}
    live = sorted((b for b in boxes if b.deleted_at is None), key=use_order)
    received = settled.syringes + sum(b.count for b in live)
    consumed = used + discarded
    if settled.syringes > consumed:
        raise ValueError("boxes left out as used up hold more syringes than were used")
    # The first day still to be covered: today, unless today's dose is done.
    first_day = today + timedelta(days=1) if taken_today else today
    states: list[BoxState] = []
    drawn = settled.syringes  # syringes given by the boxes before this one
    before = 0  # usable syringes left in boxes used before this one
    remaining = thrown_away = 0
    for box in live:
        # The syringes used while this box was usable, less those the boxes before it gave: as
        # boxes go by expiry, those were used first (a day's syringe takes the box first in order).
        taken_here = min(box.count, max(min(reached.get(box.id, consumed), consumed) - drawn, 0))
        drawn += taken_here
        left = box.count - taken_here
        thrown = box.discarded_at is not None
        expired = box.expires is not None and box.expires < today
        outlasts = None
        if left and box.expires is not None and not expired and not thrown:
            last_day = first_day + timedelta(days=(before + left - 1) // per_day)
            outlasts = last_day if last_day > box.expires else None
        if thrown:
            thrown_away += left
        else:
            remaining += left
            if not expired:
                before += left
        states.append(
            BoxState(
                box_id=box.id,
                received=box.received,
                count=box.count,
                remaining=left,
                lot=box.lot,
                expires=box.expires,
                expired=expired,
                thrown_away=thrown,
                outlasts_expiry_on=outlasts,
            )
        )
    usable = before
    days_left = usable // per_day
    runs_out_on = first_day + timedelta(days=days_left)
    reorder_by = runs_out_on - timedelta(days=reorder_lead_days)
    return SupplyStatus(
        today=today,
        received=received,
        used=used,
        discarded=discarded,
        remaining=remaining,
        usable=usable,
        unaccounted=consumed - drawn,
        thrown_away=thrown_away,
        days_left=days_left,
        runs_out_on=runs_out_on,
        reorder_by=reorder_by,
        reorder_lead_days=reorder_lead_days,
        reorder_due=today >= reorder_by,
        boxes=states,
        used_up=settled,
    )
