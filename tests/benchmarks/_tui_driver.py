"""Run one Textual app headless until its first screen has painted, then exit.

Run by the benchmark in a fresh process: `python _tui_driver.py hello|journal [DB]`.
It prints one JSON line: the wall-clock time (time.time()) at first paint and the screen's
class name. The parent measures from before it spawned the process, so start-up (imports,
opening the journal) counts, as it does for a person.

`journal` runs the `medjournal --db DB` command itself (`journal.cli.main`), with Textual's
`App.run` made headless once Textual is imported: everything the command does before its
first paint is measured.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

SIZE = (120, 40)
painted: dict[str, Any] = {}


def _autopilot(app: Any) -> Any:
    async def pilot(p: Any) -> None:
        # Wait for mounting, data-loading workers and the refresh that follows them.
        await p.pause()
        await app.workers.wait_for_complete()
        await p.pause()
        painted["at"] = time.time()
        painted["screen"] = type(app.screen).__name__
        app.exit()

    return pilot


def _hello() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    app = Hello()
    app.run(headless=True, size=SIZE, auto_pilot=_autopilot(app))


class _HeadlessTextual:
    """Finds `textual.app` once and, when it has loaded, makes `App.run` headless with the autopilot."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "textual.app":
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        assert spec is not None and spec.loader is not None, "textual.app not found"
        loader = spec.loader
        load = loader.exec_module

        def exec_module(module: Any) -> None:
            load(module)
            run = module.App.run

            def headless_run(app: Any, *args: Any, **kwargs: Any) -> Any:
                return run(app, headless=True, size=SIZE, auto_pilot=_autopilot(app))

            module.App.run = headless_run

        setattr(loader, "exec_module", exec_module)  # noqa: B010 (a method replaced on this one loader)
        return spec


def _journal(db: str) -> None:
    sys.meta_path.insert(0, _HeadlessTextual())
    from journal.cli import main

    try:
        main(["--db", db])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def main() -> None:
    kind = sys.argv[1]
    if kind == "journal":
        _journal(sys.argv[2])
    else:
        _hello()
    print(json.dumps(painted), flush=True)


if __name__ == "__main__":
    main()
