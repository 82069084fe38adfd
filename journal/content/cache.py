"""A per-user cache of validated packs, as JSON, so that a normal start does not import pydantic.

Validating pack.toml at every start would add nearly a third to the TUI's start-up instructions
(importing pydantic, building the validator), so a validated pack is kept as JSON and rebuilt from
it by its classes' field types.
JSON is data only: reading a cache file runs no code. A cache file holds the fingerprint, the
pack, and a seal. The fingerprint holds everything validation depends on: the medjournal version, this
module's format number, the pack folder's path, the text of pack.toml and the names of the files
beside it (validation checks that each section file exists). The seal is a keyed BLAKE2 digest of the
fingerprint and the pack as written, with a key kept in this module: a cache edited by hand (a cloudy
syringe made "use") or damaged no longer matches it, and is never trusted more than pack.toml itself.
(A program that can forge it can write the user's journal too: the seal guards against edits and
damage, not against such a program.) Any problem with the cache (missing, stale, corrupt, unsealed,
unreadable, not ours, unwritable folder) means: validate again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import zlib
from enum import Enum
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from journal import __version__
from journal.content.schema import Pack
from journal.files import make_private_dir, write_private
from journal.locations import pack_cache_dir

# Bump when the pack classes change shape, so an old file is not read into new code.
FORMAT = 4
# The seal's key: not a secret (it ships with the code), only what makes a cache written by this code
# differ from one written, or edited, by hand.
_SEAL_KEY = b"medjournal pack cache seal, format 4"


def cache_dir() -> Path:
    """The folder of cached packs (journal.locations.pack_cache_dir)."""
    return pack_cache_dir()


def fingerprint(toml_bytes: bytes, folder: Path) -> str:
    """What validating `folder`/pack.toml depends on, compared whole (no digest: hashlib costs start-up
    time); raise OSError if the folder cannot be listed."""
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries if e.is_file())
    text = toml_bytes.decode("utf-8", "surrogateescape")
    return f"medjournal {__version__} cache {FORMAT}\0{folder}\0{text}\0" + "\0".join(names)


def seal(key: str, pack_json: str) -> str:
    """The keyed digest of a fingerprint and a pack's JSON (as json.dumps writes it) that a cache file carries."""
    try:
        from _blake2 import blake2b  # CPython's own module: hashlib would load OpenSSL (some 20 ms)
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b
    text = f"{key}\0{pack_json}".encode("utf-8", "surrogateescape")
    return blake2b(text, key=_SEAL_KEY, digest_size=32).hexdigest()


def cache_file(folder: Path) -> Path:
    """The cache file for the pack in `folder` (one per folder, overwritten when the pack changes)."""
    where = zlib.crc32(str(folder).encode("utf-8", "surrogateescape"))
    return cache_dir() / f"{folder.name}-{where:08x}.json"


def read(folder: Path, key: str) -> Pack | None:
    """The cached pack for `folder` if its fingerprint is `key`, else None (never raises)."""
    try:
        path = cache_file(folder)
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            # Only a file this user owns and nobody else can write: another could give wrong facts.
            if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                return None
            stored = json.load(handle)
        if stored["fingerprint"] != key:
            return None
        if stored["seal"] != seal(key, json.dumps(stored["pack"], ensure_ascii=False)):
            return None  # edited or damaged since this code wrote it
        return _build(Pack, stored["pack"])  # type: ignore[no-any-return]
    except Exception:  # a cache that cannot be read is simply not used
        return None


def write(folder: Path, key: str, pack: Pack) -> None:
    """Store `pack` under fingerprint `key`, atomically, 0600 in a 0700 folder; ignore any failure."""
    try:
        path = cache_file(folder)
        make_private_dir(path.parent)  # its missing parents too, whatever the umask
        if stat.S_IMODE(path.parent.stat().st_mode) != 0o700:
            os.chmod(path.parent, 0o700)
        data = dataclasses.asdict(pack)
        sealed = seal(key, json.dumps(data, ensure_ascii=False))
        text = json.dumps({"fingerprint": key, "seal": sealed, "pack": data}, ensure_ascii=False)
        write_private(path, text.encode("utf-8", "surrogateescape"), force=True)
    except Exception:  # the cache is an optimisation: validating again is always right
        pass


# Field types per pack class, read once (the Annotated limits left out: the pack was validated).
_HINTS: dict[type, dict[str, Any]] = {}


def _build(cls: type, data: dict[str, Any]) -> Any:
    """An instance of the pack class `cls` from what `dataclasses.asdict` made of a validated one."""
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    hints = _HINTS[cls]
    return cls(**{spec.name: _value(hints[spec.name], data[spec.name]) for spec in dataclasses.fields(cls)})


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if get_origin(hint) in (Union, UnionType):
        (hint,) = (arg for arg in get_args(hint) if arg is not NoneType)
    if get_origin(hint) is tuple:
        item = get_args(hint)[0]
        return tuple(_value(item, each) for each in value)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value)  # type: ignore[arg-type]
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if not isinstance(value, hint):
        raise TypeError(f"{value!r} is not a {hint}")
    return value
