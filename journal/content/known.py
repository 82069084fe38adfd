"""Medicines known by all their names (content/known-medicines.toml), and the schedules held to them."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, ValidationError

from journal.content.errors import PackError, display_path
from journal.content.schema import normalize
from journal.resources import content_root

KNOWN_FILE = "known-medicines.toml"


class KnownMedicine(BaseModel):
    """One medicine: its generic name, brands and abbreviations, and whether it is taken once a week at most."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    generic: str
    brands: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    once_weekly: bool = False
    why: str = ""
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it goes by."""
        return (self.generic, *self.brands, *self.abbreviations)

    def named_in(self, text: str | None) -> bool:
        """Whether `text` (a name as typed, with a strength or a form) names this medicine: a whole word, any case."""
        if not text:
            return False
        wanted = normalize(text)
        return any(re.search(r"(?<!\w)" + re.escape(normalize(n)) + r"(?!\w)", wanted) for n in self.names)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    medicine: tuple[KnownMedicine, ...] = ()


@lru_cache(maxsize=1)
def known_medicines() -> tuple[KnownMedicine, ...]:
    """The medicines of content/known-medicines.toml; PackError naming the file for a broken one."""
    path = content_root() / KNOWN_FILE
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        return _File.model_validate(data).medicine
    except FileNotFoundError:
        return ()
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise PackError(f"{display_path(path)} cannot be read: {exc}", path=path) from None


def known_as(*names: str | None) -> KnownMedicine | None:
    """The known medicine one of `names` (a name, generic or brand as typed) names, or None."""
    for medicine in known_medicines():
        if any(medicine.named_in(name) for name in names):
            return medicine
    return None


def all_names(*names: str | None) -> set[str]:
    """Every name a medicine goes by, normalised: the names given, and all the names of the known medicine
    they name (an abbreviation and a brand name the same medicine)."""
    found = {normalize(n) for n in names if n and normalize(n)}
    known = known_as(*names)
    if known is not None:
        found.update(normalize(n) for n in known.names)
    return found
