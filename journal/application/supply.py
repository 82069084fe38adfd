"""The supply of a medicine: boxes received and thrown away, and how long what is left lasts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from journal import models as m
from journal.application.packs import PackLoader, pack_of
from journal.care import regimen, schedule
from journal.care import supply as sup

# A box's state and the reorder words, for the front ends to draw them.
from journal.care.supply import BoxState as BoxState
from journal.care.supply import SupplyStatus as SupplyStatus
from journal.care.supply import reorder_words as reorder_words
from journal.content import load_pack
from journal.errors import BoxSizeError, JournalError, NotFoundError
from journal.store import Store


def supply_for(
    store: Store,
    med: m.Medication,
    *,
    now: datetime,
    zone: str,
    reorder_lead_days: int | None = None,
    loader: PackLoader = load_pack,
) -> sup.SupplyStatus | None:
    """The supply of a medicine as of `now`, or None when no box was ever recorded."""
    first = store.first_box(med.id)
    if first is None:
        return None
    pack = pack_of(med, loader)
    lead = reorder_lead_days if reorder_lead_days is not None else (pack.supply.reorder_lead_days if pack else 7)
    # Usage counts from the first box received: doses before it came from a supply not recorded.
    # Counted by the store (an index), not by loading years of doses and checks as records.
    used, discarded = store.syringes_since(med.id, first)
    # Only the boxes with syringes left are read as records; the used-up ones are counted.
    boxes, reached, empty_boxes, empty_syringes = store.boxes_in_use(med.id, first)
    today = m.local_day(now, zone)
    # Two days back cover today's local day in every zone.
    recent = store.doses(med.id, since=now - timedelta(days=2))
    taken_today = any(d.status is m.DoseStatus.TAKEN for d in schedule.doses_on(recent, today))
    per_day = pack.medication.schedule.doses_per_day if pack else 1
    status = sup.supply_status(
        boxes,
        used=used,
        discarded=discarded,
        today=today,
        taken_today=taken_today,
        reorder_lead_days=lead,
        per_day=per_day,
        used_up=sup.UsedUp(boxes=empty_boxes, syringes=empty_syringes),
        reached=reached,
    )
    rows = store.schedules(med.id)
    if not rows:
        return status
    # On a schedule, the supply lasts until the first scheduled dose it cannot cover (a weekly
    # tablet's box lasts weeks), counted from the dose still open now.
    # The doses of the last two days are enough: a dose is open regimen.OVERDUE_SHOWN_FOR after it was due.
    steps = regimen.steps_for(med, rows, [])
    state = regimen.state_now(steps, regimen.dosings(recent), now=now, zone=zone)
    open_now = state.state in (regimen.State.DUE, regimen.State.OVERDUE) and state.due_at is not None
    since = state.due_at if open_now and state.due_at is not None else now + timedelta(seconds=1)
    covered = regimen.coverage(steps, status.usable, since=since, zone=zone)
    if covered is None:
        return status
    first, runs_out = covered
    reorder_by = runs_out - timedelta(days=lead)
    return replace(
        status,
        days_left=(runs_out - first).days,
        runs_out_on=runs_out,
        reorder_by=reorder_by,
        reorder_due=today >= reorder_by,
    )


def add_box(
    store: Store,
    med: m.Medication,
    *,
    received: date,
    now: datetime,
    count: int | None = None,
    lot: str | None = None,
    expires: date | None = None,
    note: str | None = None,
    loader: PackLoader = load_pack,
) -> m.SupplyBox:
    """Record a box received; its size defaults to the pack's units per box."""
    pack = pack_of(med, loader)
    if count is None:
        if pack is None:
            raise BoxSizeError(med.name)
        count = pack.supply.units_per_box
    box = m.SupplyBox.validate(
        {"medication_id": med.id, "received": received, "count": count, "lot": lot, "expires": expires, "note": note},
        now=now,
    )
    return store.add(box)


def discard_box(
    store: Store,
    med: m.Medication,
    *,
    lot: str,
    now: datetime,
    zone: str,
    reason: str | None = None,
    loader: PackLoader = load_pack,
) -> tuple[m.SupplyBox, int]:
    """Record the box of lot `lot` thrown away (an edit of the box, so undo and history take it back);
    returns it and how many syringes were still in it."""
    wanted = lot.strip().casefold()
    matching = [b for b in store.boxes(med.id) if (b.lot or "").strip().casefold() == wanted]
    if not matching:
        known = sorted({b.lot for b in store.boxes(med.id) if b.lot})
        listed = f" (lots recorded: {', '.join(known)})" if known else " (no box has a lot recorded)"
        raise NotFoundError(f"no box of {med.name} has lot {lot!r}{listed}.")
    kept = [b for b in matching if b.discarded_at is None]
    if not kept:
        thrown = max(b.discarded_at for b in matching if b.discarded_at)
        raise JournalError(f"the box of {med.name} lot {lot!r} was already thrown away on {m.local_day(thrown, zone)}.")
    status = supply_for(store, med, now=now, zone=zone, loader=loader)
    left = {b.box_id: b.remaining for b in status.boxes} if status else {}
    if len(kept) > 1:
        # Boxes of one delivery share a lot: the one with syringes left is the one at hand.
        kept = [b for b in kept if left.get(b.id, 0)] or kept
    if len(kept) > 1:
        which = "; ".join(f"received {b.received}, {left.get(b.id, 0)} left" for b in kept)
        raise JournalError(
            f"{len(kept)} boxes of {med.name} have lot {lot!r} ({which}): the journal cannot tell which."
        )
    box = store.update(kept[0], now=now, discarded_at=now, discard_reason=reason)
    return box, left.get(box.id, 0)
