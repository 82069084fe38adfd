"""Equality, repr and immutability for dataclasses, written once instead of generated per class.

`@dataclass` writes `__eq__`, `__repr__` (and, frozen, `__setattr__`, `__delattr__`, `__hash__`)
as new source for every class and compiles it at import: about half a millisecond a class.
The journal defines some sixty record, pack and result classes, and the TUI imports most of
them before it can draw Today, so they use `@dataclass(eq=False, repr=False)` on these bases.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from typing import Any


class Plain:
    """Compared and shown by its dataclass fields, like a default dataclass."""

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as dataclasses are

    def _field_values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, spec.name) for spec in fields(self))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Plain)
        return self._field_values() == other._field_values()

    def __repr__(self) -> str:
        shown = ", ".join(f"{spec.name}={getattr(self, spec.name)!r}" for spec in fields(self) if spec.repr)  # type: ignore[arg-type]
        return f"{type(self).__qualname__}({shown})"


class Frozen(Plain):
    """A Plain whose fields are set once, when it is made (or unpickled), and never changed."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__dict__:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._field_values())
