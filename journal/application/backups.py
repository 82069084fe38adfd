"""Backups, for the front ends: taking one, listing them, checking one and restoring it.

The store does each of these itself (`journal/store/backups.py`): a restore runs the same rules as
any write. This module is the front ends' door to them.
"""

from __future__ import annotations

from journal.store.backups import (
    ENV_KEEP,
    MANUAL,
    inspect,
    interrupted_conversion,
    keep_count,
    keep_problem,
    list_backups,
    out_of_step,
    restorable,
    restore,
    rule_violations,
    take,
    validate_source,
)

__all__ = [
    "ENV_KEEP",
    "MANUAL",
    "inspect",
    "interrupted_conversion",
    "keep_count",
    "keep_problem",
    "list_backups",
    "out_of_step",
    "restorable",
    "restore",
    "rule_violations",
    "take",
    "validate_source",
]
