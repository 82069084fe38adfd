"""Run one Textual app headless until its first screen has painted, then exit.

Run by the benchmark in a fresh process: `python _tui_driver.py hello|journal [DB]`.
It prints one JSON line: the wall-clock time (time.time()) at first paint and the screen's
class name. The parent measures from before it spawned the process, so start-up (imports,
opening the journal) counts, as it does for a person.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

SIZE = (120, 40)


def _hello() -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    return Hello()


def _journal(db: str) -> Any:
    # As `medjournal` opens it (journal.cli.launch): the journal is opened while Textual loads,
    # and the day's backup is left until Today is drawn.
    from pathlib import Path

    from journal.tui import open_while_loading

    opening = open_while_loading(Path(db))
    from journal.tui.app import make_app

    return make_app(opening.result(), backup_later=True)


def main() -> None:
    kind = sys.argv[1]
    app = _hello() if kind == "hello" else _journal(sys.argv[2])
    painted: dict[str, Any] = {}

    async def pilot(p: Any) -> None:
        # Wait for mounting, data-loading workers and the refresh that follows them.
        await p.pause()
        await app.workers.wait_for_complete()
        await p.pause()
        painted["at"] = time.time()
        painted["screen"] = type(app.screen).__name__
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=pilot)
    print(json.dumps(painted), flush=True)


if __name__ == "__main__":
    main()
