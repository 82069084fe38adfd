"""Fixtures: the demo journal (see demo_journal.py) and its summary and emergency list, built once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from journal.store import Store
from journal.summary.build import build_visit_summary
from journal.summary.emergency import EmergencyList, build_emergency_list
from journal.summary.model import VisitSummary
from tests.export.demo_journal import NOW, ZONE, fill_demo


@pytest.fixture(scope="session")
def demo_store() -> Iterator[Store]:
    """The demo journal, in memory, built once for the whole session (tests only read it)."""
    store = Store.memory()
    fill_demo(store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_summary(demo_store: Store) -> VisitSummary:
    """The visit summary of the demo journal, since the last visit, as of NOW."""
    return build_visit_summary(demo_store, now=NOW, zone=ZONE)


@pytest.fixture(scope="session")
def demo_emergency(demo_store: Store) -> EmergencyList:
    """The emergency list of the demo journal as of NOW."""
    return build_emergency_list(demo_store, now=NOW, zone=ZONE)


@pytest.fixture(scope="session")
def empty_summary() -> VisitSummary:
    """The visit summary of a journal with nothing in it."""
    with Store.memory() as store:
        return build_visit_summary(store, now=NOW, zone=ZONE)


@pytest.fixture(scope="session")
def empty_emergency() -> EmergencyList:
    """The emergency list of a journal with nothing in it."""
    with Store.memory() as store:
        return build_emergency_list(store, now=NOW, zone=ZONE)
