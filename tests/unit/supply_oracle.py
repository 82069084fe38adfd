"""The supply rule written plainly in Python, over records: what the store's SQL must agree with.

The journal counts syringes in SQL (`Store.syringes_since`, `Store.boxes_in_use`), so that
years of doses are never loaded as records. These functions say the same rule over lists of
records, for the tests to compare against; the journal itself never calls them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from journal import models as m
from journal.care.supply import usable_for


def syringes_consumed(
    doses: Iterable[m.Dose], checks: Iterable[m.SyringeCheck], *, since: date | None = None
) -> tuple[int, int]:
    """(used, discarded): one syringe per taken dose (its check is the same syringe), one per discarded check."""
    used = sum(
        1
        for d in doses
        if d.status is m.DoseStatus.TAKEN
        and d.deleted_at is None
        and (since is None or m.local_day(d.at, d.tz) >= since)
    )
    discarded = sum(
        1
        for c in checks
        if c.outcome is m.CheckOutcome.DISCARDED
        and c.deleted_at is None
        and (since is None or m.local_day(c.at, c.tz) >= since)
    )
    return used, discarded


def consumed_while_usable(
    box: m.SupplyBox, doses: Iterable[m.Dose], checks: Iterable[m.SyringeCheck], *, since: date | None = None
) -> int:
    """How many of the syringes `syringes_consumed` counts were used while `box` was usable (`usable_for`)."""
    return sum(
        1
        for moment, day in _consumptions(doses, checks)
        if (since is None or day >= since) and usable_for(box, moment, day)
    )


def _consumptions(doses: Iterable[m.Dose], checks: Iterable[m.SyringeCheck]) -> Iterable[tuple[datetime, date]]:
    for d in doses:
        if d.status is m.DoseStatus.TAKEN and d.deleted_at is None:
            yield d.at, m.local_day(d.at, d.tz)
    for c in checks:
        if c.outcome is m.CheckOutcome.DISCARDED and c.deleted_at is None:
            yield c.at, m.local_day(c.at, c.tz)
