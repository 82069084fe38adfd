"""The care rules: pure functions from a content pack and journal records to verdicts.

Nothing here reads the journal, the clock or the terminal: callers pass the records and
`now`. journal.application is the one place that reads the store and calls these rules.
"""

from __future__ import annotations
