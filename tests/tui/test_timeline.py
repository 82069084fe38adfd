"""The History screen's query: every kind of record, newest first, paged by key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from journal import models as m
from journal.store import Store
from journal.store.timeline import timeline_count, timeline_page
from tests.tui.conftest import NOW, put, seed


def _all_pages(store: Store, limit: int, **filters: object) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    cursor = None
    while True:
        page = timeline_page(store, limit=limit, after=cursor, **filters)  # type: ignore[arg-type]
        seen.extend((e.kind, e.record.id) for e in page.entries)
        if page.next is None:
            return seen
        assert len(page.entries) == limit
        cursor = page.next


def test_paging_shows_every_live_record_once_newest_first(store: Store) -> None:
    seed(store, days=30)
    pages = _all_pages(store, 7)
    assert len(pages) == len(set(pages)) == timeline_count(store)
    whole = timeline_page(store, limit=10_000).entries
    assert [(e.kind, e.record.id) for e in whole] == pages
    moments = [e.at for e in whole]
    assert moments == sorted(moments, reverse=True)


def test_records_at_the_same_second_are_neither_lost_nor_repeated_across_pages(store: Store) -> None:
    med = put(store, m.Medication, name="anakinra", tracked=True)
    same = NOW - timedelta(hours=1)
    for _ in range(9):
        put(store, m.Checkin, same, at=same, tz="UTC", pain=2)
        put(store, m.Dose, same, medication_id=med.id, at=same, tz="UTC")
    pages = _all_pages(store, 4)
    assert len(pages) == len(set(pages)) == 19


def test_filters_by_kind_and_period(store: Store) -> None:
    seed(store, days=30)
    doses = timeline_page(store, limit=1000, kinds=["doses"]).entries
    assert {e.kind for e in doses} == {"doses"} and len(doses) == len(store.all(m.Dose))
    since = datetime(2026, 11, 10, tzinfo=UTC)
    until = datetime(2026, 11, 15, tzinfo=UTC)
    window = timeline_page(store, limit=1000, since=since, until=until).entries
    assert window and all(since <= e.at < until for e in window)
    assert {e.record.id for e in window} >= {d.id for d in store.doses(since=since, until=until)}


def test_deleted_records_leave_the_timeline(store: Store) -> None:
    seed(store, days=5)
    dose = store.all(m.Dose)[0]
    store.delete(dose, now=NOW)
    ids = {e.record.id for e in timeline_page(store, limit=1000).entries}
    assert dose.id not in ids


def test_unknown_kinds_and_an_empty_journal_give_an_empty_page(store: Store) -> None:
    assert timeline_page(store).entries == [] and timeline_page(store).next is None
    seed(store, days=3)
    assert timeline_page(store, kinds=["history"]).entries == []
