"""Fixtures of the reliability tier."""

from __future__ import annotations

import pytest

from journal import models as m
from journal.store import Store


@pytest.fixture(scope="session")
def good_journal(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a sound journal with a medicine and enough records to span many pages."""
    path = tmp_path_factory.mktemp("good") / "journal.db"
    with Store.open(path) as store:
        store.add(m.Medication(name="anakinra", tracked=True))
        for i in range(150):
            store.add(m.Allergy(substance=f"substance {i}", reaction="hives " * 40))
    return path.read_bytes()
