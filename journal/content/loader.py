"""Find, read and validate content packs, with one clear error for a broken one."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.content import cache
from journal.content.errors import PackError, display_path
from journal.content.schema import Pack
from journal.resources import content_root

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

PACK_FILE = "pack.toml"
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Pydantic error types whose message does not already show the offending value.
_SHOW_INPUT = frozenset(
    {
        "enum",
        "literal_error",
        "string_type",
        "int_type",
        "bool_type",
        "float_type",
        "string_pattern_mismatch",
        "greater_than",
        "greater_than_equal",
        "less_than_equal",
        "string_too_short",
        "tuple_type",
        "model_type",
        "dataclass_type",
        "extra_forbidden",
        "unexpected_keyword_argument",
    }
)
# The pack classes are dataclasses: say what pydantic says for the same mistake in a model.
_MESSAGES = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "dataclass_type": "Input should be a valid dictionary or instance of {class_name}",
}


def available_packs(root: Path | None = None) -> list[str]:
    """Keys of the packs under `root` (default: the shipped content), sorted."""
    base = content_root() if root is None else root
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if _KEY_RE.match(p.name) and (p / PACK_FILE).is_file())


def load_pack(key: str, root: Path | None = None) -> Pack:
    """Read and validate `<root>/<key>/pack.toml`; raise PackError naming the file and field."""
    base = content_root() if root is None else root
    if not _KEY_RE.match(key):
        raise PackError(f"{key!r} is not a content pack name (lower-case letters, digits, '-' or '_')")
    path = base / key / PACK_FILE
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        known = ", ".join(available_packs(base)) or "none"
        raise PackError(
            f"no content pack {key!r}: {display_path(path)} does not exist (available: {known})", path=path
        ) from None
    return _load_file(path.resolve(), mtime_ns)


def broken_packs(root: Path | None = None) -> list[PackError]:
    """The installed packs that cannot be read or validated, each as its error (none when all are sound).

    A broken pack is never a silent loss of its rules: the commands that write (and `check`) refuse to go on.
    """
    found: list[PackError] = []
    for key in available_packs(root):
        try:
            load_pack(key, root)
        except PackError as exc:
            found.append(exc)
    return found


def clear_cache() -> None:
    """Forget every loaded pack (for tests and long-running sessions)."""
    _load_file.cache_clear()


@lru_cache(maxsize=32)
def _load_file(path: Path, mtime_ns: int) -> Pack:
    # mtime_ns is part of the cache key only, so an edited pack is read again.
    shown = display_path(path)
    raw = _read_bytes(path, shown)
    folder = path.parent
    try:
        fingerprint: str | None = cache.fingerprint(raw, folder)
    except OSError:
        fingerprint = None
    if fingerprint is not None:
        cached = cache.read(folder, fingerprint)
        if cached is not None:
            return cached.placed_in(folder)
    data = _parse_toml(raw, path, shown)
    # Imported here: a start-up that finds the pack in the cache never imports pydantic.
    from pydantic import ValidationError

    try:
        # TOML's values are JSON's (a pack holds no dates): validated as JSON, strictly (see _Model).
        pack = _validator().validate_json(json.dumps(data), context={"pack_dir": folder})
    except ValidationError as exc:
        raise _validation_error(exc, path, shown) from None
    pack.placed_in(folder)
    if pack.medication.key != folder.name:
        raise PackError(
            f"{shown}: medication.key: {pack.medication.key!r} should match the folder name {folder.name!r}",
            path=path,
            field="medication.key",
        )
    if fingerprint is not None:
        cache.write(folder, fingerprint, pack)
    return pack


@lru_cache(maxsize=1)
def _validator() -> TypeAdapter[Pack]:
    from pydantic import TypeAdapter

    return TypeAdapter(Pack)


def _read_bytes(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PackError(f"{shown}: cannot read: {exc.strerror or exc}", path=path) from None


def _parse_toml(raw: bytes, path: Path, shown: str) -> dict[str, Any]:
    import tomllib  # only when validating: not needed for a pack found in the cache

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{shown}: TOML syntax error: {exc}", path=path) from None
    except UnicodeDecodeError as exc:
        raise PackError(f"{shown}: not UTF-8 text (byte {exc.start})", path=path) from None


def _validation_error(exc: ValidationError, path: Path, shown: str) -> PackError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    field = ".".join(str(part) for part in first["loc"]) or "(top level)"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] in _MESSAGES:
        message = _MESSAGES[first["type"]].format_map(first.get("ctx") or {})
    value = first.get("input")
    if first["type"] in _SHOW_INPUT and isinstance(value, (str, int, float, bool)):
        message += f" (got {value!r})"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return PackError(f"{shown}: {field}: {message}", path=path, field=field)
