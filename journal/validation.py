"""Validation rules written on plain dataclass fields, checked by pydantic only when something is validated.

Records and packs are stdlib dataclasses whose field types carry these markers in
`Annotated[...]`. Pydantic reads the markers through its `__get_pydantic_core_schema__`
hook, so pydantic is imported by the first validation, not by importing a module: reading
the journal and drawing Today (or writing an export) never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, TypeAdapter
    from pydantic_core import CoreSchema


class After:
    """Run `fn(value)` (or `fn(value, info)` with `info=True`) after the type's own validation."""

    def __init__(self, fn: Callable[..., Any], *, info: bool = False) -> None:
        self.fn = fn
        self.info = info

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema as cs

        inner = handler(source)
        if self.info:
            return cs.with_info_after_validator_function(self.fn, inner)
        return cs.no_info_after_validator_function(self.fn, inner)


class Before:
    """Run `fn(value)` on the raw input, before the type's own validation."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema as cs

        return cs.no_info_before_validator_function(self.fn, handler(source))


class Limits:
    """Constraints on the type's own schema: max_length, min_length, ge, gt, le, strict."""

    def __init__(self, **constraints: Any) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        merged: dict[str, Any] = {**handler(source), **self.constraints}
        return cast("CoreSchema", merged)


@cache
def adapter(target: Any) -> TypeAdapter[Any]:
    """The pydantic validator of a type, built once, on first use."""
    from pydantic import TypeAdapter

    return TypeAdapter(target)
