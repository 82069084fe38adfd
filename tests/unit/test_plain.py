"""The shared dataclass `__init__` (journal.plain) fills fields exactly as a generated one does."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, asdict, dataclass, field, replace
from typing import Any

import pytest

from journal.plain import Frozen, Plain, plain_dataclass


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Base(Plain):
    name: str
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    made: int = field(default=0, init=False)


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Child(Base):
    count: int = 1

    def __post_init__(self) -> None:
        self.made = self.count * 10


@plain_dataclass(eq=False, repr=False)
class Point(Frozen):
    x: int
    y: int = 0
    label: str = field(default="", kw_only=True)


# The same shapes made by the standard library, for comparison.
@dataclass(kw_only=True)
class StdBase:
    name: str
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    made: int = field(default=0, init=False)


@dataclass(kw_only=True)
class StdChild(StdBase):
    count: int = 1

    def __post_init__(self) -> None:
        self.made = self.count * 10


@dataclass(frozen=True)
class StdPoint:
    x: int
    y: int = 0
    label: str = field(default="", kw_only=True)


CALLS: list[tuple[type, type, tuple[Any, ...], dict[str, Any]]] = [
    (Base, StdBase, (), {"name": "a"}),
    (Base, StdBase, (), {"name": "a", "tags": ["x"], "note": "n"}),
    (Child, StdChild, (), {"name": "a", "count": 3}),
    (Point, StdPoint, (1,), {}),
    (Point, StdPoint, (1, 2), {"label": "p"}),
    (Point, StdPoint, (), {"x": 1, "y": 2}),
]


@pytest.mark.parametrize(("ours", "std", "args", "kwargs"), CALLS)
def test_fields_are_filled_as_a_generated_init_fills_them(
    ours: type, std: type, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    assert asdict(ours(*args, **kwargs)) == asdict(std(*args, **kwargs))


BAD_CALLS: list[tuple[type, type, tuple[Any, ...], dict[str, Any]]] = [
    (Base, StdBase, (), {}),  # a required field missing
    (Base, StdBase, (), {"name": "a", "colour": "red"}),  # no such field
    (Base, StdBase, (), {"name": "a", "made": 3}),  # a field __init__ does not take
    (Base, StdBase, ("a",), {}),  # keyword-only given by position
    (Point, StdPoint, (1, 2, 3), {}),  # too many by position
    (Point, StdPoint, (1,), {"x": 2}),  # given twice
]


@pytest.mark.parametrize(("ours", "std", "args", "kwargs"), BAD_CALLS)
def test_a_call_a_generated_init_refuses_is_refused(
    ours: type, std: type, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(TypeError):
        std(*args, **kwargs)
    with pytest.raises(TypeError):
        ours(*args, **kwargs)


def test_defaults_are_not_shared_and_post_init_runs() -> None:
    first, second = Child(name="a"), Child(name="b", count=2)
    first.tags.append("x")
    assert second.tags == [] and (first.made, second.made) == (10, 20)


def test_replace_equality_and_freezing_work_on_the_shared_init() -> None:
    point = Point(1, 2, label="p")
    assert replace(point, y=5) == Point(1, 5, label="p")
    assert hash(point) == hash(Point(1, 2, label="p"))
    with pytest.raises(FrozenInstanceError):
        point.x = 3  # type: ignore[misc]
    assert repr(point) == "Point(x=1, y=2, label='p')"
