"""The terminal UI (Textual): thin screens over the store, the care rules and the summaries."""
