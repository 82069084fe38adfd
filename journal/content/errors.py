"""The one error a content pack raises, and how its paths are shown."""

from __future__ import annotations

from pathlib import Path


class PackError(Exception):
    """A content pack is missing or broken; the message names the file and the field."""

    def __init__(self, message: str, *, path: Path | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.field = field

    def __str__(self) -> str:
        return self.message


def display_path(path: Path) -> str:
    """Show `path` relative to the working folder when it lies inside it, else in full."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)
