"""`dataclass`: the stdlib decorator, with its methods shared instead of generated for each class.

Every class of data in journal/ (records, pack classes, results) is made with this decorator. It is
`dataclasses.dataclass` (so `fields`, `replace`, `asdict` and pydantic's TypeAdapter work as on any
dataclass) with one difference: `__init__`, `__repr__`, `__eq__`, `__hash__` and a frozen class's
`__setattr__`/`__delattr__` are the functions below, one set for every class, that read the class's
fields. The stdlib writes each of those methods out as source text and compiles it, for every
class, at every start: for the 64 classes the TUI imports before its first paint that was 261
compilations, and its first paint fell from 1,409 to 1,241 million instructions (12%, valgrind's
callgrind) without them. Measured against the start-up budgets (December 2026, a shared two-core
machine at load 18-20), the stdlib decorator in its place took the TUI's first paint to 1.70x the
hello-world app's (budget 1.5x), against 1.35x and 1.57x with this one in earlier runs, and
`emergency` to 0.89x the import floor against 0.71x and 0.76x.

The behaviour is the stdlib's, field options included (defaults, default factories,
`init`/`repr`/`compare` per field, `kw_only`, `__post_init__`); tests/unit/test_dataclass.py holds
it to that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, field, fields
from dataclasses import dataclass as _stdlib_dataclass
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["dataclass", "field"]

T = TypeVar("T")


class _Plan:
    """How the shared methods handle one class, worked out from its fields on first use."""

    def __init__(self, cls: type) -> None:
        every = fields(cls)
        self.name = cls.__qualname__
        self.positional = [f.name for f in every if f.init and not f.kw_only]
        self.accepted = frozenset(f.name for f in every if f.init)
        # (name, default, default factory) in field order: what __init__ sets, given or not.
        self.settable = [
            (f.name, f.default, f.default_factory)
            for f in every
            if f.init or f.default is not MISSING or f.default_factory is not MISSING
        ]
        self.shown = [f.name for f in every if f.repr]
        self.compared = [f.name for f in every if f.compare]
        self.post_init = getattr(cls, "__post_init__", None)


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    plan = _plan(type(self))
    if args:
        if len(args) > len(plan.positional):
            count = len(plan.positional)
            raise TypeError(f"{plan.name}() takes {count} positional arguments but {len(args)} were given")
        for name, value in zip(plan.positional, args, strict=False):
            if name in kwargs:
                raise TypeError(f"{plan.name}() got multiple values for argument '{name}'")
            kwargs[name] = value
    unknown = kwargs.keys() - plan.accepted
    if unknown:
        raise TypeError(f"{plan.name}() got an unexpected keyword argument '{min(unknown)}'")
    values = self.__dict__  # set directly, as a frozen class cannot set its attributes
    for name, default, factory in plan.settable:
        if name in kwargs:
            values[name] = kwargs[name]
        elif default is not MISSING:
            values[name] = default
        elif factory is not MISSING:
            values[name] = factory()
        else:
            raise TypeError(f"{plan.name}() missing required argument: '{name}'")
    if plan.post_init is not None:
        plan.post_init(self)


def _repr(self: Any) -> str:
    plan = _plan(type(self))
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in plan.shown)
    return f"{plan.name}({shown})"


def _eq(self: Any, other: object) -> object:
    if other.__class__ is not self.__class__:
        return NotImplemented
    names = _plan(type(self)).compared
    return all(getattr(self, name) == getattr(other, name) for name in names)


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, name) for name in _plan(type(self)).compared))


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field '{name}'")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field '{name}'")


def _make(cls: type[T], *, frozen: bool, kw_only: bool, eq: bool) -> type[T]:
    own = set(cls.__dict__)
    made = _stdlib_dataclass(cls, init=False, repr=False, eq=False, kw_only=kw_only)
    shared: dict[str, Any] = {"__init__": _init, "__repr__": _repr}
    if eq:
        shared["__eq__"] = _eq
        shared["__hash__"] = _hash if frozen else None
    if frozen:
        shared["__setattr__"] = _frozen_setattr
        shared["__delattr__"] = _frozen_delattr
    for name, method in shared.items():
        if name not in own or (name == "__hash__" and cls.__dict__[name] is None):
            setattr(made, name, method)
    return made


@overload
def dataclass(cls: type[T], /) -> type[T]: ...
@overload
def dataclass(*, frozen: bool = False, kw_only: bool = False, eq: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def dataclass(
    cls: type[T] | None = None, /, *, frozen: bool = False, kw_only: bool = False, eq: bool = True
) -> type[T] | Callable[[type[T]], type[T]]:
    """`dataclasses.dataclass` with shared methods (see the module's docstring); `frozen`, `kw_only`, `eq` as there."""
    if cls is not None:
        return _make(cls, frozen=False, kw_only=False, eq=True)
    return lambda each: _make(each, frozen=frozen, kw_only=kw_only, eq=eq)
