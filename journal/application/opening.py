"""Opening the journal: the store's handle and its opening, for the front ends.

The front ends read through the `Store` they get here; they never write through it
(`tests/unit/test_one_door.py`), but through the use cases beside this module.
"""

from __future__ import annotations

from journal.store.connection import wal_left_out
from journal.store.opening import Opening, open_while_loading
from journal.store.store import COMMITS, Store

__all__ = ["COMMITS", "Opening", "Store", "open_while_loading", "wal_left_out"]
