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
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return default_db_path()
