"""The journal's other records: check-ins, lab results, allergies, conditions and the profile."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from journal import models as m

# Reading a lab value and its range as typed, and grouping results by test (no write).
from journal.care.labs import by_test as by_test
from journal.care.labs import parse_range as parse_range
from journal.care.labs import parse_value as parse_value
from journal.care.labs import range_text as range_text
from journal.care.labs import trend as trend
from journal.store import Store


def add_checkin(store: Store, values: Mapping[str, Any], *, at: datetime, zone: str, now: datetime) -> m.Checkin:
    """Record how the treatment is working (pain, swelling, stiffness minutes, note)."""
    return store.add(m.Checkin.validate({**values, "at": at, "tz": zone}, now=now), now=now)


def add_lab_result(store: Store, values: Mapping[str, Any], *, at: datetime, zone: str, now: datetime) -> m.LabResult:
    """Record a lab result (test, value, unit, range, note)."""
    return store.add(m.LabResult.validate({**values, "at": at, "tz": zone}, now=now), now=now)


def add_allergy(store: Store, values: Mapping[str, Any], *, now: datetime) -> m.Allergy:
    """Add an allergy or intolerance (substance, reaction)."""
    return store.add(m.Allergy.validate(dict(values), now=now), now=now)


def add_condition(store: Store, values: Mapping[str, Any], *, now: datetime) -> m.Condition:
    """Add a condition (name, since)."""
    return store.add(m.Condition.validate(dict(values), now=now), now=now)


def save_profile(store: Store, changes: Mapping[str, Any], *, now: datetime) -> m.Profile:
    """Set the profile's fields given; the others are kept."""
    return store.save_profile(now, **changes)
