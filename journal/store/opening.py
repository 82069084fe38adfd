"""Opening a journal whose integrity check runs on a second thread, while this one imports something slow.

SQLite's quick_check reads every page without holding Python's lock, so on a second core it
costs nothing while the TUI imports Textual or an export imports its PDF library.
"""

from __future__ import annotations

import threading
from pathlib import Path

from journal.store import cipher
from journal.store.connection import check_file, refuse_damaged
from journal.store.store import Store


class Opening:
    """A journal whose integrity check runs on a second thread; `result()` opens it once checked."""

    def __init__(self, path: Path, *, create: bool = True, writing: bool = True) -> None:
        self.path = path
        self.create = create
        self.writing = writing
        self._problems: list[str] | None = None
        self._thread: threading.Thread | None = None
        if path.is_file():
            # An encrypted journal: its key is looked up now, and the check made with it (journal.store.cipher).
            encrypted = cipher.prefetch(path)

            # The thread runs SQLite's check only: it imports nothing (two threads importing at
            # once can see each other's half-made modules) and writes nothing.
            def check() -> None:
                self._problems = encrypted.check() if encrypted else check_file(path)

            self._thread = threading.Thread(target=check, name="check-journal", daemon=True)
            self._thread.start()

    def result(self) -> Store:
        """The open journal (refused as damaged, as Store.open refuses it, if the check found problems)."""
        if self._thread is not None:
            self._thread.join()
        if self._problems is None:  # not checked here (a new file, or SQLite could not read it)
            return Store.open(self.path, create=self.create, daily_backup=False, writing=self.writing)
        refuse_damaged(self._problems, self.path)
        return Store.open(self.path, create=self.create, daily_backup=False, checked=True, writing=self.writing)


def open_while_loading(path: Path, *, create: bool = True, writing: bool = True) -> Opening:
    """Start checking the journal at `path` now; `result()` opens it (without the day's backup)."""
    return Opening(path, create=create, writing=writing)
