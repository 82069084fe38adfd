"""The two field markers pydantic's own would be, without importing pydantic to define them.

Records and packs declare their limits in `Annotated[...]`: bounds and lengths with
annotated-types, which pydantic reads natively, and code with `After`/`Before` below, which
pydantic reads through its `__get_pydantic_core_schema__` hook. They stand in for
`pydantic.AfterValidator`/`BeforeValidator` because importing those (and pydantic with them)
to draw Today or read the journal cost about a sixth of the TUI's start-up instructions; pydantic
is imported by the first validation instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
