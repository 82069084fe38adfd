"""Lab results: reading a typed value and reference range, and each test's latest value and trend.

Pure functions, no I/O. The trend compares a test's latest value with the one before it (in
the same unit); it says which way the number moved, not whether that is good or bad.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from journal import models as m
from journal.errors import RecordError

_NUMBER = r"[+-]?\d+(?:[.,]\d+)?|[+-]?[.,]\d+"
_VALUE = re.compile(rf"^\s*({_NUMBER})\s*$")
_BETWEEN = re.compile(rf"^\s*({_NUMBER})\s*(?:-|–|—|to|\.\.)\s*({_NUMBER})\s*$")
_BOUND = re.compile(rf"^\s*(<=|>=|<|>|≤|≥)\s*({_NUMBER})\s*$")
RANGE_FORMS = "LOW-HIGH (3.5-5.0), <HIGH or >LOW"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_value(text: str) -> float:
    """A typed result ('4.5', '4,5', '-1'); RecordError naming the problem otherwise."""
    found = _VALUE.match(text)
    if not found:
        raise RecordError(f"{text!r} is not a number; type the result as a number, for example 4.5.", field="value")
    return _number(found.group(1))


def parse_range(text: str) -> tuple[float | None, float | None]:
    """A typed reference range as (low, high): '3.5-5.0', '<5' (no low end), '>1.5' (no high end)."""
    between = _BETWEEN.match(text)
    if between:
        low, high = _number(between.group(1)), _number(between.group(2))
        if low > high:
            raise RecordError(f"In the range {text!r} the low end is above the high end.", field="range")
        return low, high
    bound = _BOUND.match(text)
    if bound:
        value = _number(bound.group(2))
        return (None, value) if bound.group(1) in ("<", "<=", "≤") else (value, None)
    raise RecordError(f"{text!r} is not a range the journal knows; type it as {RANGE_FORMS}.", field="range")


def range_text(low: float | None, high: float | None) -> str:
    """'3.5-5', '< 5', '> 1.5', or '' for no range."""
    if low is not None and high is not None:
        return f"{m.format_number(low)}-{m.format_number(high)}"
    if high is not None:
        return f"< {m.format_number(high)}"
    if low is not None:
        return f"> {m.format_number(low)}"
    return ""


def by_test(results: Iterable[m.LabResult]) -> dict[str, list[m.LabResult]]:
    """Results grouped by test (names matched without regard to case or spacing), each oldest first."""
    groups: dict[str, list[m.LabResult]] = {}
    for result in sorted(results, key=lambda r: r.at):
        groups.setdefault(" ".join(result.test.casefold().split()), []).append(result)
    return groups


def trend(results: list[m.LabResult]) -> str | None:
    """'rising', 'falling' or 'unchanged' from the one before the latest (same unit), or None with one result."""
    if len(results) < 2:
        return None
    latest, previous = results[-1], results[-2]
    if (latest.unit or "").casefold() != (previous.unit or "").casefold():
        return None
    if latest.value > previous.value:
        return "rising"
    if latest.value < previous.value:
        return "falling"
    return "unchanged"
