"""The keypress benchmark's floor: a bare Textual app that does what medjournal's keys do.

Written the plain Textual way: a home screen of a title, five cards and some thirty lines of text,
as medjournal's Today at 120x40; `d` pushes a three-step
form (a list to choose from, a spot and a button, then fields, ticks and a Save button), each
step composed when it is first entered, as medjournal's dose form is; Enter moves to the next
step, and on the last one writes a row to SQLite (WAL, synchronous=FULL), closes the form and
redraws the home screen; F2 shows or hides a side panel with a search field, a list of topics and
a Markdown topic (Rich's Markdown in one `Static`); ctrl+p opens Textual's command
palette with 31 commands of the app's own; `h` opens a screen with a `DataTable` of 50 rows, and
ctrl+n adds the next 50. Textual's own `Footer` is at the bottom of every screen.

medjournal's keys are timed against this app's, on the same Textual, in the same run
(tests/benchmarks/keys.py).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from rich.markdown import Markdown
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, ContentSwitcher, DataTable, Footer, Input, OptionList, Static

TOPIC = "\n\n".join(
    f"## Part {n}\n\nKeep it in the fridge, between 2 and 8 °C. Take it out **30 minutes** before, "
    "and let it reach room temperature. Do not shake it.\n\n"
    "* Wash your hands.\n* Check the date and the solution.\n* Choose a spot away from the last one."
    for n in range(1, 7)
)


SECTIONS = "\n".join(
    [
        "Needs attention (0)",
        "Nothing needs attention.",
        "",
        "Coming up",
        *(f"2026-12-2{n} 09:30  appointment {n} with the clinic - a follow-up (bring your list)" for n in range(3)),
        "",
        "Standing warnings (2)",
        *(f"- Warning {n}: tell your doctor you take this; the doses may need changing." for n in range(3)),
        "",
        "How you feel (weekly average pain, 12 weeks)",
        " ".join(["▂▂▂"] * 12),
        "12 weeks with check-ins, last week pain 2.0/10, swelling 1.0/10, stiffness 21 min.",
        "",
        "This app supports, and does not replace, your doctor's advice. Press ? for help.",
    ]
)


class Cards(Vertical):
    """Five cards of text, as many lines as medjournal's Today shows, made again on each refresh."""

    def __init__(self, generation: int) -> None:
        super().__init__(id="cards")
        self.generation = generation

    def compose(self) -> ComposeResult:
        for n in range(5):
            lines = [f"Medicine {n + 1}  ! Due at 08:00 (in 2 min). Press d to log it. ({self.generation})"]
            if n == 0:
                lines += ["Last site: stomach, right side A2   Next: stomach, right side B1", "11 syringes left"]
            yield Static("\n".join(lines), classes="card")


class Home(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "dose", "Dose"),
        Binding("h", "history", "History"),
        Binding("f2", "panel", "Reference"),
        Binding("r", "refresh", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.generation = 0

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical():
                yield Static("Today", id="title")
                yield Static("Nothing overdue.", id="banner")
                yield Cards(self.generation)
                yield Static(SECTIONS, id="sections")
            with Vertical(id="panel") as panel:
                panel.display = False
                yield Input(placeholder="search the guide", compact=True)
                yield OptionList(*(f"Topic {n}" for n in range(1, 11)), id="topics")
                yield VerticalScroll(Static(Markdown(TOPIC)))
        yield Footer()

    async def action_refresh(self) -> None:
        self.generation += 1
        cards = self.query_one(Cards)
        cards.generation = self.generation
        await cards.recompose()

    def action_panel(self) -> None:
        panel = self.query_one("#panel")
        panel.display = not panel.display

    def action_dose(self) -> None:
        self.app.push_screen(Form(), callback=self._formed)

    async def _formed(self, _: None) -> None:
        await self.action_refresh()

    def action_history(self) -> None:
        self.app.push_screen(History())


class Form(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", "Next", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]
    STEPS = ("step-check", "step-site", "step-confirm")

    def __init__(self) -> None:
        super().__init__()
        self.step = self.STEPS[0]

    def compose(self) -> ComposeResult:
        yield Static("Medicine: anakinra 100 mg injection", classes="hint")
        with ContentSwitcher(initial=self.step, id="steps"):
            with Vertical(id="step-check"):
                yield Static("1 of 3  Check the syringe. How does the solution look?")
                yield OptionList("Clear", "Cloudy", "Particles", "Coloured", id="appearance")
                yield Static("", id="advice")
            yield VerticalScroll(id="step-site")
            yield VerticalScroll(id="step-confirm")
        yield Footer()

    def _step_widgets(self, step: str) -> list[Widget]:
        if step == "step-site":
            return [
                Static("2 of 3  Where?"),
                Static("\n".join("  [ ] [ ]      [ ] [ ]" for _ in range(6)), id="map"),
                Static("suggested, last time, chosen", classes="hint"),
                Button("Use this spot", compact=True),
            ]
        return [
            Static("", id="summary"),
            Input(value="now", placeholder="When"),
            Checkbox("Given by someone else", compact=True),
            Checkbox("Some solution was left in the syringe", compact=True),
            Input(placeholder="Note"),
            Horizontal(Button("Save dose", variant="success", compact=True)),
        ]

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    async def action_next(self) -> None:
        index = self.STEPS.index(self.step)
        if index + 1 == len(self.STEPS):
            cast(FloorApp, self.app).save_dose()
            self.dismiss()
            return
        self.step = self.STEPS[index + 1]
        await self.query_one(f"#{self.step}").mount_all(self._step_widgets(self.step))
        for field in self.query(Input):
            field.cursor_blink = False
        self.query_one(ContentSwitcher).current = self.step


class History(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "more", "More"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield DataTable(id="timeline", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("When", "What", "Medicine", "Detail")
        self.action_more()

    def action_more(self) -> None:
        table = self.query_one(DataTable)
        start = table.row_count
        table.add_rows(
            (f"2026-01-{1 + (n % 28):02d} 08:00", "Dose", "anakinra", f"left thigh, record {n}")
            for n in range(start, start + 50)
        )


class Actions(Provider):
    """31 commands, as many as medjournal's own."""

    def _commands(self) -> Iterable[tuple[str, Any]]:
        for n in range(31):
            yield f"Action number {n + 1}", self.app.bell

    async def discover(self) -> Hits:
        for name, run in self._commands():
            yield Hit(1.0, name, run)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run)


class FloorApp(App[None]):
    COMMANDS: ClassVar[set[Any]] = {*App.COMMANDS, Actions}
    AUTO_FOCUS = None  # keys go to the screen, as on medjournal's Today

    def __init__(self) -> None:
        super().__init__()
        self.db = sqlite3.connect(os.path.join(tempfile.mkdtemp(prefix="floor-app-"), "floor.db"))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE dose (at TEXT, site TEXT)")

    def save_dose(self) -> None:
        """One row written and committed, as a dose is (the journal writes to a file that is kept)."""
        with self.db:
            self.db.execute("INSERT INTO dose VALUES (datetime('now'), 'left thigh')")

    def get_default_screen(self) -> Screen[Any]:
        return Home()
