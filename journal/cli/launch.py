"""The one command that opens the TUI; the only part of the CLI that imports Textual."""

from __future__ import annotations

from pathlib import Path


def run_tui(db_path: Path) -> None:
    """Open the journal at `db_path` in the terminal UI."""
    from journal.cli._env import refuse_broken_packs
    from journal.tui import open_while_loading

    refuse_broken_packs()  # the TUI writes: a broken pack's rules must not be silently lost
    opening = open_while_loading(db_path)  # before Textual is imported, to overlap with it
    from journal.tui.app import run

    run(db_path, opening)
    from journal.application import encryption

    encryption.check_after_use(db_path)  # after the app has closed the journal and the terminal
