"""Equality, repr, immutability and `__init__` for dataclasses, written once instead of generated per class.

`@dataclass` writes `__init__`, `__eq__`, `__repr__` (and, frozen, `__setattr__`, `__delattr__`,
`__hash__`) as new source for every class and compiles it at import: about a tenth of a
millisecond a method. The journal defines some sixty record, result and summary classes, and
the TUI imports most of them before it can draw Today, so they are declared with
`@plain_dataclass(..., eq=False, repr=False)` on the `Plain` or `Frozen` bases here: the fields
are still dataclass fields (`dataclasses.fields`, `replace` and `asdict` work as before), and one
shared `__init__` fills them from what the class's fields say. Type checkers see
`dataclasses.dataclass` itself, so every constructor call is checked as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, fields
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T", bound=type)


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


# Per class, worked out on its first instance: the names that may be given by position, and for
# every field (name, whether __init__ takes it, default, default factory).
_Spec = tuple[tuple[str, ...], tuple[tuple[str, bool, Any, Any], ...], bool]
_SPECS: dict[type, _Spec] = {}


def _spec(cls: type) -> _Spec:
    found = _SPECS.get(cls)
    if found is None:
        specs = fields(cls)
        positional = tuple(f.name for f in specs if f.init and not f.kw_only)
        described = tuple((f.name, f.init, f.default, f.default_factory) for f in specs)
        found = _SPECS[cls] = (positional, described, hasattr(cls, "__post_init__"))
    return found


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    """The dataclass `__init__`: each field from its argument, else its default or default factory."""
    cls = type(self)
    positional, described, post_init = _spec(cls)
    if args:
        if len(args) > len(positional):
            raise TypeError(f"{cls.__qualname__}() takes {len(positional)} positional arguments, {len(args)} given")
        for name, value in zip(positional, args, strict=False):
            if name in kwargs:
                raise TypeError(f"{cls.__qualname__}() got multiple values for argument {name!r}")
            kwargs[name] = value
    values = self.__dict__
    for name, init, default, factory in described:
        if init and name in kwargs:
            values[name] = kwargs.pop(name)
        elif default is not MISSING:
            values[name] = default
        elif factory is not MISSING:
            values[name] = factory()
        else:
            raise TypeError(f"{cls.__qualname__}() missing required argument {name!r}")
    if kwargs:
        raise TypeError(f"{cls.__qualname__}() got an unexpected keyword argument {next(iter(kwargs))!r}")
    if post_init:
        self.__post_init__()


if TYPE_CHECKING:
    from dataclasses import dataclass as plain_dataclass
else:

    def plain_dataclass(cls: T | None = None, /, **options: Any) -> T | Callable[[T], T]:
        """`dataclasses.dataclass` with the shared `__init__` above instead of a generated one."""
        from dataclasses import dataclass

        wants_init = options.pop("init", True)

        def wrap(cls: T) -> T:
            made = dataclass(cls, init=False, **options)
            if wants_init and "__init__" not in cls.__dict__:
                made.__init__ = _init
            return made

        return wrap if cls is None else wrap(cls)


__all__ = ["Frozen", "Plain", "plain_dataclass"]
