"""The journal store: opening the SQLite file and every read and write of records."""

from journal.store.store import Store, describe_error

__all__ = ["Store", "describe_error"]
