"""The terminal UI (Textual): thin screens over the store, the care rules and the summaries.

This package's own module imports no Textual: `open_while_loading` starts checking the journal
before the app module (and Textual with it) is imported.
"""

from __future__ import annotations

from journal.application.opening import Opening, open_while_loading

__all__ = ["Opening", "open_while_loading"]
