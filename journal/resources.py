"""Where the shipped content packs and migrations live, installed or from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # In a wheel, hatchling force-includes the top-level folders as journal/_data/<name>;
    # in a source checkout (or an editable install) they sit beside the package.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"medjournal is missing its {name}/ folder (looked beside {_PACKAGE})")


def content_root() -> Path:
    """The folder that holds one sub-folder per content pack."""
    return _find("content")


def migrations_root() -> Path:
    """The folder that holds the journal's schema migrations."""
    return _find("migrations")
