"""The application layer is the only door: the command line and the TUI never write through the store."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A write of the store's, called on anything named store (env.store, self.journal.store, a lambda's store).
WRITE = re.compile(r"\bstore\.(add|update|delete|restore|save_profile|transaction)\(")


def test_no_front_end_writes_through_the_store() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for front in ("journal/cli", "journal/tui")
        for path in sorted((ROOT / front).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITE.search(line)
    ]
    assert not found, "front ends write through the store; call a use case in journal/application:\n" + "\n".join(found)


def test_the_scan_finds_a_write_where_there_is_one() -> None:
    assert WRITE.search("        env.store.add(record)")
    assert WRITE.search("lambda store: store.update(record, now=now)")
    assert not WRITE.search("store.medications(on=today)")
