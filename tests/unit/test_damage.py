"""Rows whose stored values cannot be read: left out, named, and never in the way of the rest."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from journal import models as m
from journal.store import Store, damage

OLD_BAD_TIME = "226-11-20T08:00:00Z"  # as versions before December 2026 stored the year 226


def _with_a_damaged_dose(store: Store) -> tuple[m.Medication, m.Dose]:
    med = store.add(m.Medication(name="anakinra", tracked=True))
    good = store.add(m.Dose(medication_id=med.id, at=datetime(2026, 11, 19, 8, tzinfo=UTC), tz="UTC"))
    row = {**good.row(), "id": "bad", "at": OLD_BAD_TIME}
    store.db.conn.execute(
        f"INSERT INTO doses ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
    )
    return med, good


def test_a_damaged_row_is_left_out_and_named() -> None:
    with Store.memory() as store:
        med, good = _with_a_damaged_dose(store)
        assert [d.id for d in store.all(m.Dose)] == [good.id]
        # It sorts after every real time as text ('226' > '2026'), but the latest dose is the real one.
        last = store.last_dose(med.id)
        assert last is not None and last.id == good.id
        (found,) = store.damaged_records()
        assert (found.table, found.id, found.field, found.raw) == ("doses", "bad", "at", OLD_BAD_TIME)
        assert OLD_BAD_TIME in found.describe()


def test_a_scan_reads_every_record_and_history_row() -> None:
    with Store.memory() as store:
        _with_a_damaged_dose(store)
        store.db.conn.execute(
            "INSERT INTO history (id, at, table_name, row_id, action, before, after) "
            "VALUES ('h', ?, 'doses', 'bad', 'insert', NULL, '{not json')",
            ["2026-11-20T08:00:00Z"],
        )
        found = {(d.table, d.id, d.field) for d in damage.scan(store)}
        assert found == {("doses", "bad", "at"), ("history", "h", "before/after")}


def test_a_year_outside_1900_2100_is_never_stored_and_times_are_written_with_four_digits() -> None:
    from journal.store.rules import RuleError
    from journal.when import iso_utc

    with Store.memory() as store:
        with pytest.raises(RuleError, match="1900-2100"):
            store.add(m.Allergy(substance="latex", created_at=datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)))
        assert store.all(m.Allergy) == []
    assert iso_utc(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02T03:04:05Z"
