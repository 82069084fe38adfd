"""A per-user cache of validated packs, so that a normal start reads a pickle instead of importing pydantic.

A cache file holds (fingerprint, Pack). The fingerprint holds everything validation depends on: the
medjournal version, this module's format number, the pack folder's path, the bytes of pack.toml and
the names of the files beside it (validation checks that each section file exists). Any problem with
the cache (missing, stale, corrupt, unreadable, not ours, unwritable folder) means: validate again.
"""

from __future__ import annotations

import os
import pickle
import stat
import zlib
from pathlib import Path

from journal import __version__
from journal.content.schema import Pack
from journal.files import write_private

ENV_CACHE_DIR = "MEDJOURNAL_CACHE_DIR"
# Bump when the pack classes change shape, so an old pickle is not unpickled into new code.
FORMAT = 2
_FOLDER = "packs"


def cache_dir() -> Path:
    """The folder of cached packs: $MEDJOURNAL_CACHE_DIR/packs, else the platform's user-cache folder."""
    base = os.environ.get(ENV_CACHE_DIR)
    if not base:
        from platformdirs import user_cache_dir

        from journal.paths import APP_NAME

        base = user_cache_dir(APP_NAME, appauthor=False)
    return Path(base).expanduser() / _FOLDER


def fingerprint(toml_bytes: bytes, folder: Path) -> bytes:
    """What validating `folder`/pack.toml depends on, compared whole (no digest: hashlib costs start-up
    time); raise OSError if the folder cannot be listed."""
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries if e.is_file())
    head = f"medjournal {__version__} cache {FORMAT}\0{folder}\0".encode("utf-8", "surrogateescape")
    return head + toml_bytes + b"\0" + "\0".join(names).encode("utf-8", "surrogateescape")


def cache_file(folder: Path) -> Path:
    """The cache file for the pack in `folder` (one per folder, overwritten when the pack changes)."""
    where = zlib.crc32(str(folder).encode("utf-8", "surrogateescape"))
    return cache_dir() / f"{folder.name}-{where:08x}.pickle"


def read(folder: Path, key: bytes) -> Pack | None:
    """The cached pack for `folder` if its fingerprint is `key`, else None (never raises)."""
    try:
        path = cache_file(folder)
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            # Only unpickle a file this user owns and nobody else can write.
            if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                return None
            stored = pickle.load(handle)  # only our own 0600 file, checked above
    except Exception:  # a cache that cannot be read is simply not used
        return None
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key and isinstance(stored[1], Pack):
        return stored[1]
    return None


def write(folder: Path, key: bytes, pack: Pack) -> None:
    """Store `pack` under fingerprint `key`, atomically, 0600 in a 0700 folder; ignore any failure."""
    try:
        path = cache_file(folder)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(path.parent.stat().st_mode) != 0o700:
            os.chmod(path.parent, 0o700)
        write_private(path, pickle.dumps((key, pack), protocol=pickle.HIGHEST_PROTOCOL), force=True)
    except Exception:  # the cache is an optimisation: validating again is always right
        pass
