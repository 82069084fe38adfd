"""Every place medjournal reads or writes a file of its own, in one module.

* The journal: `--db`, then MEDJOURNAL_DB, then `journal.db` in the platform's user-data folder.
* Beside the journal: its SQLite files (`-wal`, `-shm`, `-journal`) and its private backup
  folder, `journal.db.backups/`, which also holds the problems the last check found.
* The state folder (the platform's user-state folder): what the reminders last sent, and, for
  an encrypted journal, the remembered-keys file and the journals whose check passed.
* The cache folder: the validated content packs, in MEDJOURNAL_CACHE_DIR/packs, else in the
  platform's user-cache folder.
* systemd's folder of this user's units, for `medjournal remind --install`.
* Exports: the home folder, unless the user names a path.

The core may import this module: it imports only `os` and `pathlib` when it loads.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date, datetime

APP_NAME = "medjournal"
ENV_DB = "MEDJOURNAL_DB"
ENV_CACHE_DIR = "MEDJOURNAL_CACHE_DIR"

# The journal's own files: the database, SQLite's write-ahead log and index, its rollback journal.
JOURNAL_FILES = ("", "-wal", "-shm", "-journal")
PROBLEMS_FILE = "problems-found.txt"
_PACKS_FOLDER = "packs"


# --- the journal -------------------------------------------------------------------------------


def default_db_path() -> Path:
    """The journal file used when neither --db nor MEDJOURNAL_DB names one."""
    # Imported here: platformdirs costs about 18 ms to import (python -X importtime), and a
    # journal named by --db or MEDJOURNAL_DB never needs it.
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


# --- beside the journal ------------------------------------------------------------------------


def journal_files(journal: Path) -> list[Path]:
    """The journal's file and SQLite's files beside it."""
    return [Path(f"{journal}{suffix}") for suffix in JOURNAL_FILES]


def backup_dir(journal: Path) -> Path:
    """The private folder beside a journal that holds its backups."""
    return journal.with_name(journal.name + ".backups")


def problems_file(journal: Path) -> Path:
    """Where the problems found by the last checks of a journal are noted (in its backup folder)."""
    return backup_dir(journal) / PROBLEMS_FILE


def manual_backup_path(folder: Path, journal: Path, now: datetime) -> Path:
    """The file `medjournal backup FOLDER` writes: the journal's name and the moment, in UTC."""
    return folder / f"{journal.stem}-{now.strftime('%Y%m%dT%H%M%SZ')}.db"


# --- the state folder --------------------------------------------------------------------------


def state_dir() -> Path:
    """The platform's user-state folder for medjournal."""
    from platformdirs import user_state_dir  # see default_db_path

    return Path(user_state_dir(APP_NAME, appauthor=False))


def reminders_state_file() -> Path:
    """What `remind --once` last sent, for each journal (so that a timer does not repeat it)."""
    return state_dir() / "reminders.json"


def remembered_keys_file() -> Path:
    """The salts of the encrypted journals whose key is remembered in the keyring, and the backend."""
    return state_dir() / "remembered-keys"


def checked_journals_file() -> Path:
    """The encrypted journals whose integrity check passed, so that an unchanged one is not checked again."""
    return state_dir() / "checked-journals"


# --- the cache, systemd, exports ---------------------------------------------------------------


def pack_cache_dir() -> Path:
    """The folder of cached packs: $MEDJOURNAL_CACHE_DIR/packs, else the platform's user-cache folder."""
    base = os.environ.get(ENV_CACHE_DIR)
    if not base:
        from platformdirs import user_cache_dir  # see default_db_path

        base = user_cache_dir(APP_NAME, appauthor=False)
    return Path(base).expanduser() / _PACKS_FOLDER


def systemd_user_dir() -> Path:
    """Where systemd looks for this user's units."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def export_dir() -> Path:
    """Where an export goes when the user names no folder: the home folder."""
    return Path.home()


def default_export_path(folder: Path, day: date, suffix: str) -> Path:
    """The visit summary's default file: `medjournal-summary-2026-11-20.pdf` in `folder`."""
    return folder / f"medjournal-summary-{day.isoformat()}{suffix}"
