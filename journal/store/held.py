"""The journal files this process has open in SQLite, counted by their real path.

Closing any descriptor on a file drops every POSIX lock the process holds on that file,
SQLite's included. SQLite guards its own connections against this; it cannot guard them
against a file we open and close beside them. So code that reads a journal outside SQLite
(its header, a probe of its locks) asks `held` first and leaves alone a file this process has
open. Every connection to a journal is made with `Connection` (or a class with `HeldMixin`)
and counted by `hold` until it is closed or collected.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections import Counter
from pathlib import Path
from typing import Any, TypeVar

C = TypeVar("C")

_lock = threading.Lock()
_open: Counter[str] = Counter()


def _release(key: str) -> None:
    with _lock:
        _open[key] -= 1
        if _open[key] <= 0:
            del _open[key]


class HeldMixin:
    """Ends the count of a connection `hold` counted when it is closed."""

    _held: weakref.finalize | None = None  # type: ignore[type-arg]

    def close(self) -> None:
        try:
            super().close()  # type: ignore[misc]
        finally:
            if self._held is not None:
                self._held()  # once only: a second close counts nothing


class Connection(HeldMixin, sqlite3.Connection):
    """A plain sqlite3 connection that `hold` can count."""


def hold(conn: C, path: Path | str) -> C:
    """Count `conn` (made with `HeldMixin`) as holding `path` open until it is closed or collected."""
    key = os.path.realpath(path)
    with _lock:
        _open[key] += 1
    held: Any = conn
    held._held = weakref.finalize(conn, _release, key)
    return conn


def held(path: Path | str) -> bool:
    """Whether a connection of this process has `path` open."""
    return os.path.realpath(path) in _open
