"""An app run on a real pseudo-terminal for the keypress benchmark: medjournal, or the floor app.

Run by `tests/benchmarks/keys.py` as the child of `pty.fork()`, so Textual uses its real terminal
driver: `python _pty_app.py journal DB` runs the `medjournal --db DB` command itself;
`python _pty_app.py floor` runs `tests/benchmarks/floor_app.py`, a bare Textual app doing the same
things.

`BENCH_CLOCK` (an ISO date and time) sets the app's clock to that moment, ticking from there.

After each frame written to the terminal, the app writes one line to the file descriptor named by
`BENCH_MARKS_FD`: the screen shown and the dose screen's step. The parent times keys by the bytes
it reads from the terminal; these lines only tell it which screen those bytes drew. This is done
here, with Textual's public `App.post_display_hook`, so that the app itself carries no hook.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _install_marks() -> None:
    from textual.app import App

    marks = os.fdopen(int(os.environ["BENCH_MARKS_FD"]), "w", buffering=1)

    def post_display_hook(app: Any) -> None:
        screen = app.screen
        marks.write(f"{type(screen).__name__} {getattr(screen, 'step', '-')}\n")

    setattr(App, "post_display_hook", post_display_hook)  # noqa: B010 (Textual's hook for tests)


def main() -> None:
    kind = sys.argv[1]
    _install_marks()
    if os.environ.get("BENCH_CLOCK"):
        # The clock set to a moment a daily dose is due (a dose at 01:00 is refused as too early),
        # ticking from there; Textual's timers use the monotonic clock, which this leaves alone.
        import time_machine

        time_machine.travel(os.environ["BENCH_CLOCK"], tick=True).start()
    if kind == "journal":
        import journal.tui.app

        journal.tui.app.BLINK = False  # no cursor blinking: every frame after a key is the key's
        from journal.cli import main as medjournal

        medjournal(["--db", sys.argv[2]])
    else:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        from tests.benchmarks.floor_app import FloorApp

        FloorApp().run()


if __name__ == "__main__":
    main()
