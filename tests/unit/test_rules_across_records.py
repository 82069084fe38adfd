"""Rules across a medicine's records, held at the store on every path and named by `check` (rules.scan).

A journal written by hand in SQL, as an import, a sync or an older version might leave it: each
record that breaks a rule is named, and an edit or an undo that would break one is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from journal import models as m
from journal.application import corrections
from journal.application.doses import record_dose
from journal.store import Store
from journal.store.rules import RuleError, scan
from tests.unit.berlin import ZONE, add, at

NOW = at("2026-12-09", "12:00")


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


def dose_row(store: Store, med: m.Medication, when: datetime, ident: str, *, extra: int = 0) -> None:
    """A dose written straight into the file, as no use case would."""
    stamp = f"2026-12-0{len(ident)}T00:00:00Z"
    store.db.conn.execute(
        "INSERT INTO doses (id, created_at, updated_at, medication_id, at, tz, status, given_by, leftover, extra) "
        "VALUES (?, ?, ?, ?, ?, ?, 'taken', 'self', 0, ?)",
        [ident, stamp, stamp, med.id, when.strftime("%Y-%m-%dT%H:%M:%SZ"), ZONE, extra],
    )


def broken(store: Store) -> set[tuple[str, str]]:
    return {(v.record_id, v.rule) for v in scan(store, now=NOW)}


def test_check_names_the_second_of_two_doses_too_close_and_the_same_medicine_twice(store: Store) -> None:
    ibuprofen = add(store, "ibuprofen", "as needed max 3 per 24h at least 4 hours apart", form="tablet")
    anakinra = add(store, "anakinra", "daily at 08:00")
    dose_row(store, ibuprofen, at("2026-12-08", "10:00"), "a")
    dose_row(store, ibuprofen, at("2026-12-08", "10:05"), "bb")  # written second: the extra one
    dose_row(store, anakinra, at("2026-12-08", "08:05"), "ccc")
    dose_row(store, anakinra, at("2026-12-08", "20:01"), "dddd")  # the same day's dose again
    dose_row(store, anakinra, at("2026-11-20", "08:00"), "eeeee")  # before its schedule: held to its first step
    store.db.conn.execute(
        "INSERT INTO medications (id, created_at, updated_at, name, kind, tracked, prescribed_daily, pack) "
        "VALUES ('twin', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', 'Kineret', 'prescription', 0, 0, 'anakinra')"
    )
    found = broken(store)
    assert ("bb", "extra doses marked") in found and ("a", "extra doses marked") not in found
    assert ("dddd", "extra doses marked") in found and ("ccc", "extra doses marked") not in found
    assert ("eeeee", "extra doses marked") not in found
    assert ("twin", "one entry per medicine") in found
    # Marked extra, the same doses keep every rule.
    store.db.conn.execute("UPDATE doses SET extra = 1 WHERE id IN ('bb', 'dddd')")
    store.db.conn.execute("DELETE FROM medications WHERE id = 'twin'")
    assert broken(store) == set()


def test_a_dose_before_the_start_is_named(store: Store) -> None:
    med = add(store, "folic acid", "daily at 09:00", form="tablet", started=date(2026, 12, 5))
    dose_row(store, med, at("2026-12-03", "09:00"), "early")
    assert ("early", "no dose before the start") in broken(store)


def test_an_edit_or_an_undo_that_would_make_a_second_dose_for_one_time_is_refused(store: Store) -> None:
    med = add(store, "anakinra", "daily at 08:00")
    record_dose(store, med, at=at("2026-12-08", "08:05"), zone=ZONE, now=at("2026-12-08", "08:05"))
    record_dose(store, med, at=at("2026-12-09", "08:05"), zone=ZONE, now=at("2026-12-09", "08:05"))
    second = max(store.doses(med.id), key=lambda d: d.at)
    with pytest.raises(RuleError, match="not marked extra"):
        corrections.edit(store, second, {"at": "2026-12-08 20:00"}, now=NOW, zone=ZONE)
    assert store.get(m.Dose, second.id) == second
    # Deleted, then a new dose for that morning, then undo of the delete: the old one would be a second.
    corrections.delete(store, second, now=NOW)
    record_dose(store, med, at=at("2026-12-09", "09:00"), zone=ZONE, now=NOW)
    with pytest.raises(RuleError, match="not marked extra"):
        store.restore(second, now=NOW)
