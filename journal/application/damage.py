"""Damage, for the front ends: what `check` found and noted, and a new scan of the file.

The store reads and keeps these notes (`journal/store/damage.py`); this module is the front
ends' door to them.
"""

from __future__ import annotations

from journal.store.damage import clear_problems, noted_problems, scan_file

__all__ = ["clear_problems", "noted_problems", "scan_file"]
