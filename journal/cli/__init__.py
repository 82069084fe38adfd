"""The `medjournal` command line: a thin layer over the store, the rules and the exports.

Bad input gets one line on stderr starting with `error:` and exit status 1; nothing is
written. No command here imports Textual except the TUI launcher (journal.cli.launch).

`medjournal` alone (or with only `--db PATH`) opens the TUI without loading the command
parser (click): that is how the journal is opened every day. Every other use goes through
the commands in `journal.cli.group`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any


def tui_db_option(args: Sequence[str]) -> tuple[bool, str | None]:
    """Whether `args` only open the TUI (nothing, `--db PATH` or `--db=PATH`), and the path given."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db":
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--db="):
        return True, args[0].removeprefix("--db=")
    return False, None


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `medjournal` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    only_tui, db = tui_db_option(args)
    sys.exit(_open_tui(db) if only_tui else _run_command(args))


def _open_tui(db: str | None) -> int:
    from journal.errors import JournalError

    try:
        from journal.cli.launch import run_tui
        from journal.locations import resolve_db_path

        run_tui(resolve_db_path(db))
    except JournalError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted; nothing more was written.")
    return 0


def _run_command(args: list[str]) -> int:
    from journal.cli.group import run

    return run(args)


def _fail(message: str) -> int:
    from journal.cli.group import fail

    return fail(message)


def __getattr__(name: str) -> Any:
    # `from journal.cli import cli` (the click group, for tests and scripts) loads the commands.
    if name in ("cli", "db_option", "fail"):
        from journal.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["main", "tui_db_option"]
