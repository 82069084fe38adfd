"""The field markers records and packs declare their limits with, inside `Annotated[...]`.

Pydantic reads each through its `__get_pydantic_core_schema__` hook when it first validates.
They stand in for pydantic's own `Field(...)`, `AfterValidator` and `BeforeValidator` so that
defining a record or a pack does not import pydantic: drawing Today and reading the journal
never validate, and importing pydantic's markers cost the TUI's start-up about a fifth more
instructions (annotated-types' markers, which pydantic also reads, 3%).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


class After:
    """Run `fn(value)` (or `fn(value, info)` with `info=True`) after the type's own validation."""

    def __init__(self, fn: Callable[..., Any], *, info: bool = False) -> None:
        self.fn = fn
        self.info = info

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema as cs

        if self.info:
            return cs.with_info_after_validator_function(self.fn, handler(source))
        return cs.no_info_after_validator_function(self.fn, handler(source))


class Before:
    """Run `fn(value)` on the raw input, before the type's own validation."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema as cs

        return cs.no_info_before_validator_function(self.fn, handler(source))


class Limits:
    """Pydantic's constraints by their `Field` names (max_length, min_length, ge, gt, le), on the type's schema."""

    def __init__(self, **constraints: int) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return cast("CoreSchema", {**handler(source), **self.constraints})
