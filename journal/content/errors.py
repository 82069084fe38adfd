"""The one error a content pack raises (a JournalError, in journal.errors), and how its paths are shown."""

from __future__ import annotations

from pathlib import Path

from journal.errors import PackError

__all__ = ["PackError", "display_path"]


def display_path(path: Path) -> str:
    """Show `path` relative to the working folder when it lies inside it, else in full."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)
