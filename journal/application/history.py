"""The journal's history for the front ends: one page of the timeline at a time, filtered by kind.

A read only: the store builds the page (`journal/store/timeline.py`).
"""

from __future__ import annotations

from journal.store.timeline import KINDS, PAGE_SIZE, Cursor, TimelineEntry, timeline_page

__all__ = ["KINDS", "PAGE_SIZE", "Cursor", "TimelineEntry", "timeline_page"]
