"""Setting a new journal up: the profile, the medicine its content pack is for, and the first box, at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from journal import models as m
from journal.application.medicines import add_medication, track
from journal.application.records import save_profile
from journal.application.supply import add_box
from journal.content import Pack
from journal.store import Store


def set_up(
    store: Store,
    *,
    profile: Mapping[str, Any],
    pack: Pack | None,
    at: str | None,
    now: datetime,
    today: date,
    box: Mapping[str, Any] | None = None,
) -> m.Medication | None:
    """In one transaction: the profile (if anything was given); the pack's medicine, tracked daily at `at`
    (no time: the usual time of the doses logged, 08:00 until there are some), added or taken up; and the first
    box received today (`box`: lot, expires). Returns the medicine."""
    with store.transaction():
        if any(v for v in profile.values()):
            save_profile(store, profile, now=now)
        if pack is None:
            return None
        med = store.find_medication(pack.medication.generic)
        if med is None:
            values = {
                "name": pack.medication.generic,
                "brand": pack.medication.brands[0] if pack.medication.brands else None,
                "started": today,
                "tracked": True,
                "usual_time": at,
            }
            med = add_medication(store, values, now=now, today=today)
        else:
            med = track(store, med, at, today=today, now=now)
        if box is not None:
            add_box(store, med, received=today, now=now, lot=box.get("lot"), expires=box.get("expires"))
        return med
