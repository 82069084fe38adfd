"""Where the journal lives: `--db`, then MEDJOURNAL_DB, then the platform's user-data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "MEDJOURNAL_DB"
APP_NAME = "medjournal"


def default_db_path() -> Path:
    """The journal file used when neither --db nor MEDJOURNAL_DB names one."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "journal.db"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The journal file to open, from an explicit path, the environment, or the default."""
    if explicit:
        return _followable(Path(explicit).expanduser())
    env = os.environ.get(ENV_DB)
    if env:
        return _followable(Path(env).expanduser())
    return _followable(default_db_path())


def _followable(path: Path) -> Path:
    """`path`, unless it is a symbolic link that loops or leads nowhere (an error naming it, never a new journal)."""
    from journal.errors import NotAJournalError

    if not path.is_symlink():
        return path
    try:
        path.resolve(strict=True)
    except FileNotFoundError:
        raise NotAJournalError(
            f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; "
            "point it at the journal or remove it. Nothing was changed."
        ) from None
    except (OSError, RuntimeError):
        raise NotAJournalError(
            f"{path} is a symbolic link that leads back to itself; point it at the journal or remove it. "
            "Nothing was changed."
        ) from None
    return path
