"""Keypress to drawn, from a real pseudo-terminal, against a bare Textual app doing the same thing.

medjournal (`medjournal --db COPY`, the command itself) and the floor app
(tests/benchmarks/floor_app.py) each run as the child of `pty.fork()` on a 120x40 terminal, with
Textual's real terminal driver. For each key this module writes the key's bytes to the terminal
and reads what the app draws until the output settles: the figure is the time from writing the
key to the last byte of that burst (nothing more for `QUIET` seconds). The app's CPU time over
the same span (every thread, from /proc) is kept too. Each app writes a line naming the screen
after each frame (tests/benchmarks/_pty_app.py), which tells this module what the burst drew.

The two apps are driven in turn, one round of every key each, so a busy moment slows both.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = HERE / "_pty_app.py"
ROWS, COLUMNS = 40, 120
QUIET = 0.15  # seconds without output after which the screen counts as settled
TIMEOUT = 10.0

KEYS = {
    "d": b"d",
    "enter": b"\r",
    "escape": b"\x1b",
    "f2": b"\x1bOQ",
    "ctrl+p": b"\x10",
    "ctrl+n": b"\x0e",
    "h": b"h",
    "r": b"r",
}


@dataclass
class Burst:
    """What one key made the app draw."""

    took: float | None  # seconds from the key written to the last byte drawn (None: nothing was read)
    cpu: float  # the app's CPU seconds over the same span
    screens: list[str] = field(default_factory=list)  # "Screen step" per frame drawn


class PtyApp:
    """One app on a pseudo-terminal of its own."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        marks_r, marks_w = os.pipe()
        os.set_inheritable(marks_w, True)
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its terminal
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
                os.close(marks_r)
                child_env = {**env, "BENCH_MARKS_FD": str(marks_w), "TERM": "xterm-256color"}
                child_env.pop("NO_COLOR", None)
                os.execve(sys.executable, [sys.executable, str(CHILD), *args], child_env)
            finally:
                os._exit(127)
        os.close(marks_w)
        self.pid, self.fd, self.marks = pid, fd, marks_r
        self._pending = b""
        self.last_screen = "?"

    def _cpu(self) -> float:
        """CPU seconds used so far by every thread of the app (schedstat counts nanoseconds)."""
        total = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError):  # a thread that has just ended
                total += int((task / "schedstat").read_text().split()[0])
        return total / 1e9

    def _read(self, until: float) -> tuple[float | None, list[str]]:
        """Read what is ready until `until`; the time of the last output byte read, and the frames' marks."""
        last = None
        marks: list[str] = []
        while True:
            wait = until - time.monotonic()
            if wait <= 0:
                return last, marks
            ready, _, _ = select.select([self.fd, self.marks], [], [], wait)
            if not ready:
                return last, marks
            now = time.monotonic()
            if self.fd in ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise RuntimeError(f"the app ended: {self._pending[-800:].decode(errors='replace')}")
                self._pending = (self._pending + data)[-4000:]
                last = now
            if self.marks in ready:
                lines = os.read(self.marks, 65536).decode(errors="replace").splitlines()
                marks += [line for line in lines if line]
                if lines:
                    self.last_screen = lines[-1]

    def settle(self, started: float | None = None, wanted: Callable[[list[str]], bool] | None = None) -> Burst:
        """Read until nothing has been drawn for QUIET seconds (and `wanted` holds of what was)."""
        started = time.monotonic() if started is None else started
        last_output: float | None = None
        seen: list[str] = []
        deadline = started + TIMEOUT
        while True:
            last, marks = self._read(time.monotonic() + QUIET)
            seen += marks
            if last is not None:
                last_output = last
                continue
            if wanted is None or wanted(seen):
                return Burst(None if last_output is None else last_output - started, 0.0, seen)
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not draw what was expected; it drew {seen[-5:]}")

    def press(self, key: str, wanted: Callable[[list[str]], bool] | None = None) -> Burst:
        """Write `key`'s bytes to the terminal and wait until the app has drawn what it does."""
        self.settle()
        cpu_start = self._cpu()
        started = time.monotonic()
        os.write(self.fd, KEYS[key])
        burst = self.settle(started, wanted)
        burst.cpu = self._cpu() - cpu_start  # includes the quiet wait, in which an idle app uses next to none
        return burst

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        for fd in (self.fd, self.marks):
            with contextlib.suppress(OSError):
                os.close(fd)


def shows(screen: str, step: str | None = None) -> Callable[[list[str]], bool]:
    """A test of a burst: its last frame shows `screen` (at `step`)."""

    def test(marks: list[str]) -> bool:
        if not marks:
            return False
        name, _, at = marks[-1].partition(" ")
        return name == screen and (step is None or at == step)

    return test


def drew(marks: list[str]) -> bool:
    """A test of a burst: something was drawn."""
    return bool(marks)


FIGURES = ("d", "enter", "f2", "palette", "page")


def one_round(app: PtyApp, names: dict[str, str], before_dose: Callable[[], None]) -> dict[str, Burst]:
    """Every key once: `d`, the dose's Enters (the last one timed), F2, ctrl+p, a History page."""
    home, dose, history = names["home"], names["dose"], names["history"]
    out: dict[str, Burst] = {}
    before_dose()
    app.press("r", drew)  # Today read again: the dose is due
    time.sleep(0.5)  # a person reads Today for a moment before pressing `d`
    out["d"] = app.press("d", shows(dose))
    for _ in range(6):
        if app.last_screen.endswith("step-confirm"):
            break
        app.press("enter", drew)
    if not app.last_screen.endswith("step-confirm"):
        raise RuntimeError(f"the dose form did not reach its confirm step: {app.last_screen}")
    out["enter"] = app.press("enter", shows(home))
    out["f2"] = app.press("f2", drew)
    app.press("f2", drew)
    out["palette"] = app.press("ctrl+p", shows("CommandPalette"))
    app.press("escape", shows(home))
    app.press("h", shows(history))
    out["page"] = app.press("ctrl+n", drew)
    app.press("escape", shows(home))
    return out


def run_keys(
    journal_db: Path, runs: int, env: dict[str, str], before_dose: Callable[[], None]
) -> dict[str, dict[str, list[Burst]]]:
    """Start both apps, then `runs` rounds of every key, the two apps in turn; every burst by app and figure.

    Both apps run in UTC with their clocks at 08:05 today, ticking: the demo journal's daily doses
    are due at 08:00 UTC, so `d` opens the form at any hour of the real day.
    """
    today = datetime.now(UTC).date()
    env = {**env, "TZ": "UTC", "BENCH_CLOCK": f"{today.isoformat()}T08:05:00+00:00"}
    apps = {
        "journal": (
            PtyApp(["journal", str(journal_db)], env),
            {"home": "TodayScreen", "dose": "DoseScreen", "history": "HistoryScreen"},
        ),
        "floor": (PtyApp(["floor"], env), {"home": "Home", "dose": "Form", "history": "History"}),
    }
    results: dict[str, dict[str, list[Burst]]] = {name: {key: [] for key in FIGURES} for name in apps}
    try:
        for app, names in apps.values():
            app.settle(wanted=shows(names["home"]))
            time.sleep(1.0)  # the journal's day's backup, taken after the first paint
            app.settle()
        for _ in range(runs + 1):  # the first round warms up: imports, styles and caches of first use
            for name, (app, names) in apps.items():
                got = one_round(app, names, before_dose if name == "journal" else lambda: None)
                for key, burst in got.items():
                    results[name][key].append(burst)
        for per_key in results.values():
            for bursts in per_key.values():
                del bursts[0]
    finally:
        for app, _ in apps.values():
            app.close()
    return results
