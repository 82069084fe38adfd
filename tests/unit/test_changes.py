"""`history` names each change's medicine and the record's own time, not only the moment it was typed."""

from __future__ import annotations

from datetime import UTC, datetime

from journal import models as m
from journal.application.changes import ChangeWords
from journal.store import Store


def test_a_dose_typed_later_shows_its_medicine_and_the_time_it_was_taken_where_it_was_taken() -> None:
    store = Store.memory()
    med = store.add(m.Medication(name="methotrexate", tracked=True))
    # Taken on Friday 20:00 in New York, typed in on Saturday.
    taken = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    store.add(m.Dose(medication_id=med.id, at=taken, tz="America/New_York"), now=datetime(2026, 12, 6, tzinfo=UTC))
    store.add(m.Allergy(substance="latex"))
    words = ChangeWords(store)
    entries = store.history(limit=10)
    said = [words.what(entry, "Europe/Berlin") for entry in entries]
    assert "methotrexate: dose taken, 2026-12-04 20:00" in said
    assert "latex" in said
    store.close()


def test_a_change_whose_medicine_was_deleted_still_reads() -> None:
    store = Store.memory()
    med = store.add(m.Medication(name="ibuprofen"))
    store.add(m.Dose(medication_id=med.id, at=datetime(2026, 12, 1, 8, tzinfo=UTC), tz="UTC"))
    store.delete(med)
    words = ChangeWords(store)
    said = [words.what(entry, "UTC") for entry in store.history(limit=10)]
    assert "ibuprofen: dose taken, 2026-12-01 08:00" in said
    store.close()
