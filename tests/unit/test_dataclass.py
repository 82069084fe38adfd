"""journal.dataclass behaves as the stdlib's dataclass: each case is made both ways and compared."""

import dataclasses
from typing import Any, ClassVar

import pytest
from pydantic import TypeAdapter, ValidationError

from journal import dataclass as shared


def _pair(make: Any, **options: Any) -> tuple[Any, Any]:
    """The class `make()` returns, made by the stdlib decorator and by journal.dataclass."""
    return dataclasses.dataclass(**options)(make()), shared.dataclass(**options)(make())


def _point() -> type:
    class Point:
        x: int
        y: int = 2
        tags: list[str] = dataclasses.field(default_factory=list)
        note: str = dataclasses.field(default="", repr=False, compare=False)
        seen: int = dataclasses.field(default=0, init=False)

    return Point


@pytest.mark.parametrize("options", [{}, {"frozen": True}, {"kw_only": True}, {"frozen": True, "kw_only": True}])
def test_construction_repr_and_equality_match_the_stdlib(options: dict[str, Any]) -> None:
    stdlib, ours = _pair(_point, **options)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((), {"x": 1}),
        ((), {"x": 1, "y": 5, "tags": ["a"], "note": "n"}),
    ]
    if not options.get("kw_only"):
        calls += [((1, 5), {}), ((1,), {"tags": ["b"]})]
    for args, kwargs in calls:
        a, b = stdlib(*args, **kwargs), ours(*args, **kwargs)
        assert repr(b) == repr(a).replace(a.__class__.__qualname__, b.__class__.__qualname__)
        assert dataclasses.asdict(b) == dataclasses.asdict(a)
        assert b == ours(*args, **kwargs)
        assert b == dataclasses.replace(b)
        assert b != dataclasses.replace(b, x=99)
    # A field left out of comparison does not make two values differ; another class never equals.
    assert ours(x=1, note="a") == ours(x=1, note="b")
    assert ours(x=1) != stdlib(x=1)


@pytest.mark.parametrize(
    "args, kwargs",
    [((), {}), ((), {"x": 1, "z": 3}), ((), {"x": 1, "seen": 3}), ((1, 2, [], "", 5), {}), ((1,), {"x": 1})],
)
def test_bad_arguments_raise_type_error_as_the_stdlib_does(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    stdlib, ours = _pair(_point)
    with pytest.raises(TypeError):
        stdlib(*args, **kwargs)
    with pytest.raises(TypeError):
        ours(*args, **kwargs)


def test_kw_only_refuses_positional_arguments() -> None:
    _, ours = _pair(_point, kw_only=True)
    with pytest.raises(TypeError, match="positional"):
        ours(1)


def test_frozen_values_cannot_change_and_hash_by_their_fields() -> None:
    _, ours = _pair(_point, frozen=True)
    value = ours(x=1, tags=())
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.x = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        del value.x
    assert hash(value) == hash(ours(x=1, tags=())) and len({value, ours(x=1, tags=())}) == 1


def test_mutable_values_are_unhashable_and_eq_false_keeps_identity() -> None:
    _, ours = _pair(_point)
    with pytest.raises(TypeError):
        hash(ours(x=1))
    _, by_identity = _pair(_point, eq=False)
    one = by_identity(x=1)
    assert one != by_identity(x=1) and one == one and hash(one) == hash(one)


def test_post_init_runs_after_the_fields_are_set_and_own_methods_are_kept() -> None:
    @shared.dataclass
    class Range:
        low: int
        high: int

        def __post_init__(self) -> None:
            if self.low > self.high:
                raise ValueError("low above high")

        def __repr__(self) -> str:
            return f"{self.low}..{self.high}"

    assert repr(Range(1, 2)) == "1..2"
    with pytest.raises(ValueError, match="low above high"):
        Range(3, 1)


def test_subclasses_add_their_fields_after_the_base_ones() -> None:
    @shared.dataclass(kw_only=True)
    class Base:
        a: int

    @shared.dataclass(kw_only=True)
    class Child(Base):
        b: int = 0

    assert [f.name for f in dataclasses.fields(Child)] == ["a", "b"]
    assert repr(Child(a=1, b=2)) == "test_subclasses_add_their_fields_after_the_base_ones.<locals>.Child(a=1, b=2)"
    assert Child(a=1) != Base(a=1)


def test_pydantic_validates_and_builds_them() -> None:
    @shared.dataclass(frozen=True, kw_only=True)
    class Dose:
        __pydantic_config__: ClassVar[dict[str, Any]] = {"strict": True}
        count: int
        site: str = "thigh"

    adapter = TypeAdapter(Dose)
    made = adapter.validate_json('{"count": 2}')
    assert made == Dose(count=2) and made.site == "thigh"
    with pytest.raises(ValidationError):
        adapter.validate_json('{"count": "2"}')
