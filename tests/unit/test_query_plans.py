"""The hot queries read an index, never a whole table that grows every day.

Each test runs the real store method on a demo journal, records the SQL it sent, and
reads SQLite's EXPLAIN QUERY PLAN for it: a ten-year journal must cost what a new one does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

import pytest

from journal import models as m
from journal.demo import generate
from journal.store import Store
from journal.store.timeline import timeline_page

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# Tables that gain rows every day or week; the rest hold a few dozen rows in a lifetime.
GROWING = {"doses", "syringe_checks", "side_effects", "checkins", "appointments", "supply_boxes", "history"}
_SCAN = re.compile(r"^SCAN (\w+)(.*)$")


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    """A few months of demo history (the plan does not depend on the size)."""
    opened = Store.memory()
    generate(opened, days=90, seed=2, now=NOW)
    yield opened
    opened.close()


F = TypeVar("F", bound=Callable[..., Any])


def _plans(store: Store, call: Callable[[], Any]) -> list[tuple[str, list[str]]]:
    """Run `call`, capturing each SQL statement it sends; return each with its query plan."""
    sent: list[tuple[str, list[Any]]] = []

    def spy(real: F) -> F:
        def sending(sql: str, params: Any = ()) -> Any:
            sent.append((sql, list(params)))
            return real(sql, params)

        return cast(F, sending)

    store._rows = spy(store._rows)  # type: ignore[method-assign]
    store._tuples = spy(store._tuples)  # type: ignore[method-assign]
    try:
        call()
    finally:
        del store._rows, store._tuples
    assert sent, "the call sent no query"
    return [
        (sql, [row[3] for row in store.db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()])
        for sql, params in sent
    ]


def _full_scans(plans: list[tuple[str, list[str]]]) -> list[str]:
    bad = []
    for sql, details in plans:
        for detail in details:
            found = _SCAN.match(detail)
            if found and found.group(1) in GROWING and "INDEX" not in found.group(2):
                bad.append(f"{detail}  <-  {sql}")
    return bad


def _med(store: Store) -> m.Medication:
    return store.tracked_medications()[0]


def test_last_dose_of_a_medicine_uses_an_index(store: Store) -> None:
    med = _med(store)
    plans = _plans(store, lambda: store.last_dose(med.id))
    assert not _full_scans(plans)
    # The last taken dose comes from the index of taken doses; any dose, from the medicine's index.
    assert any("INDEX idx_doses_taken" in d for _, details in plans for d in details)
    plans = _plans(store, lambda: store.last_dose(med.id, status=None))
    assert any("INDEX idx_doses_medication_id_at" in d for _, details in plans for d in details)


def test_doses_in_a_period_use_an_index(store: Store) -> None:
    plans = _plans(store, lambda: store.doses(since=NOW - timedelta(days=30), until=NOW))
    assert not _full_scans(plans)
    assert any("INDEX idx_doses_at" in d for _, details in plans for d in details)


def test_one_medicines_doses_in_a_period_use_its_medicine_and_time_index(store: Store) -> None:
    med = _med(store)
    plans = _plans(store, lambda: store.doses(med.id, since=NOW - timedelta(days=30), until=NOW))
    assert not _full_scans(plans)
    assert any("INDEX idx_doses_medication_id_at" in d for _, details in plans for d in details)


def test_next_history_page_uses_an_index(store: Store) -> None:
    first = store.history(limit=50)
    plans = _plans(store, lambda: store.history(limit=50, before=first[-1]))
    assert not _full_scans(plans)
    # Newest first straight from the index: no sorting of the whole history.
    assert not any("TEMP B-TREE FOR ORDER BY" in d for _, details in plans for d in details)


def test_next_timeline_page_uses_an_index_on_every_growing_table(store: Store) -> None:
    first = timeline_page(store, limit=50)
    assert first.next is not None
    plans = _plans(store, lambda: timeline_page(store, limit=50, after=first.next))
    assert not _full_scans(plans)


def test_supply_count_reads_an_index(store: Store) -> None:
    med = _med(store)
    plans = _plans(store, lambda: store.syringes_used(med.id))
    assert not _full_scans(plans)


def test_boxes_in_use_and_the_first_box_read_indexes(store: Store) -> None:
    med = _med(store)
    first = store.first_box(med.id)
    assert first is not None
    plans = _plans(store, lambda: store.boxes_in_use(med.id, first))
    assert not _full_scans(plans)
    boxes = [sql for sql, _ in plans if "FROM supply_boxes" in sql]
    assert boxes and all(
        any("INDEX idx_supply_boxes_medication_id" in d for d in details) for sql, details in plans if sql in boxes
    )
    # The times of years of taken doses come from their own index, without reading the dose rows.
    assert any("COVERING INDEX idx_doses_taken" in d for _, details in plans for d in details)


def test_the_links_the_rules_follow_at_every_write_read_an_index(store: Store) -> None:
    check = next(c for c in store.all(m.SyringeCheck) if c.outcome is m.CheckOutcome.USED)
    box = store.all(m.SupplyBox)[0]
    for call in (lambda: store.doses_linked_to(check.id), lambda: store.checks_from_box(box.id)):
        assert not _full_scans(_plans(store, call))


def test_saving_a_dose_reads_no_growing_table_whole(store: Store) -> None:
    from journal.application.doses import record_dose

    med = _med(store)
    later = NOW + timedelta(days=1)
    plans = _plans(store, lambda: record_dose(store, med, at=later, zone="UTC", now=later, appearance="clear"))
    assert not _full_scans(plans)


def test_the_scan_detector_catches_a_full_scan(store: Store) -> None:
    plans = _plans(store, lambda: store._rows("SELECT * FROM doses WHERE note = ?", ["x"]))
    assert _full_scans(plans)


def test_syringe_counts_since_a_day_read_an_index(store: Store) -> None:
    med = _med(store)
    plans = _plans(store, lambda: store.syringes_since(med.id, (NOW - timedelta(days=30)).date()))
    assert not _full_scans(plans)
    # Taken doses are counted from their own index, without reading the dose rows.
    assert any("COVERING INDEX idx_doses_taken" in d for _, details in plans for d in details)


def test_syringe_counts_agree_with_the_care_rule(store: Store) -> None:
    from tests.unit.supply_oracle import syringes_consumed

    med = _med(store)
    doses, checks = store.doses(med.id), store.all(m.SyringeCheck)
    assert any(c.outcome is m.CheckOutcome.DISCARDED for c in checks)
    for back in (0, 1, 7, 45, 89, 200):
        day = (NOW - timedelta(days=back)).date()
        assert store.syringes_since(med.id, day) == syringes_consumed(doses, checks, since=day)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Paris", "UTC"])
def test_syringe_counts_use_the_local_day_near_midnight(zone: str) -> None:
    from tests.unit.supply_oracle import syringes_consumed

    fresh = Store.memory()
    med = fresh.add(m.Medication(name="Anakinra", tracked=True))
    day = NOW.date() - timedelta(days=3)
    # Doses every 2 hours around the local midnight that starts `day`, in a far-off zone.
    local_midnight = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(zone))
    for hours in range(-30, 31, 2):
        at = (local_midnight + timedelta(hours=hours)).astimezone(UTC)
        fresh.add(m.Dose(medication_id=med.id, at=at, tz=zone))
        discarded = hours % 4 == 0
        outcome = m.CheckOutcome.DISCARDED if discarded else m.CheckOutcome.USED
        look = m.Appearance.CLOUDY if discarded else m.Appearance.CLEAR
        fresh.add(m.SyringeCheck(medication_id=med.id, at=at, tz=zone, outcome=outcome, appearance=look))
    expected = syringes_consumed(fresh.doses(med.id), fresh.all(m.SyringeCheck), since=day)
    assert fresh.syringes_since(med.id, day) == expected
    assert expected[0] == 16  # hours 0..30 of the 31 two-hourly doses fall on or after `day`
