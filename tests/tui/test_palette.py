"""The command palette holds every action by name, each shown with its key (issue 17, item 4)."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from journal import models as m
from journal.store import Store
from journal.tui.app import MedJournalApp
from tests.tui.conftest import build, seed
from tests.tui.test_flows import drive, type_text

# What a person types, and the action it must find first, with the key shown beside it.
WORDS: dict[str, tuple[str, str]] = {
    "log dose": ("Log a dose", "d on Today"),
    "discard": ("Discard a syringe", "d on Today"),
    "side effect": ("Record a side effect", "s on Today"),
    "resolve": ("Resolve a side effect", "then r"),
    "contacted": ("Doctor contacted about a side effect", "then c"),
    "check-in": ("Check-in", "c on Today"),
    "add medicine": ("Add a medicine", "m on Today"),
    "stop": ("Stop a medicine", "then x"),
    "box": ("Add a box received", "then b"),
    "appointment": ("Add an appointment", "a on Today"),
    "question": ("Add a question for the doctor", "Questions tab"),
    "lab result": ("Add a lab result", "l on Today"),
    "export": ("Export", "x on Today"),
    "emergency": ("Emergency list", "F9"),
    "backup": ("Back up now", "ctrl+b"),
    "theme": ("Light or dark theme", "F3"),
    "help": ("Help", "F1"),
}


async def search(pilot: Pilot[None], words: str) -> list[str]:
    """Open the palette, type `words`, and return the prompts listed (best first)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await type_text(pilot, words)
    await pilot.pause(0.3)
    found = pilot.app.screen.query_one(CommandList)
    return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]


def test_every_action_is_found_by_its_word_and_shows_its_key(store: Store) -> None:
    seed(store)
    app = build(store)
    results: dict[str, list[str]] = {}

    async def steps(pilot: Pilot[None]) -> None:
        for words in WORDS:
            results[words] = await search(pilot, words)
            await pilot.press("escape")
            await pilot.pause()

    drive(app, steps)
    for words, (title, key) in WORDS.items():
        assert results[words], f"{words!r} finds nothing"
        first = results[words][0]
        assert first.startswith(title), f"{words!r} finds {first!r} first, not {title!r}"
        assert key in first.splitlines()[0], f"{title!r} does not show its key {key!r}: {first!r}"


def test_the_palette_lists_every_action_before_anything_is_typed(store: Store) -> None:
    seed(store)
    app = build(store)
    listed: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        found = app.screen.query_one(CommandList)
        listed.extend(str(found.get_option_at_index(i).prompt) for i in range(found.option_count))

    drive(app, steps)
    for title, _key in WORDS.values():
        assert any(line.startswith(title) for line in listed), f"{title!r} is not listed"


async def choose(pilot: Pilot[None], words: str) -> None:
    """Find `words` in the palette and press Enter on the first entry."""
    await search(pilot, words)
    await pilot.press("down", "enter")
    await pilot.pause(0.2)


def test_stop_opens_the_medicines_list_to_choose_from(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await choose(pilot, "stop")
        assert type(app.screen).__name__ == "MedicinesScreen"
        focused = app.screen.focused
        assert isinstance(focused, DataTable) and focused.id == "med-table"
        assert "x" in app.screen.active_bindings
        assert any("press x" in str(n.message) for n in app._notifications)

    drive(app, steps)


def test_resolve_opens_the_open_side_effects_and_r_resolves_the_chosen_one(store: Store) -> None:
    seed(store, serious=True)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await choose(pilot, "resolve")
        assert type(app.screen).__name__ == "EffectsScreen"
        focused = app.screen.focused
        assert isinstance(focused, DataTable) and focused.id == "open-effects"
        await pilot.press("r")
        await pilot.pause()

    drive(app, steps)
    (effect,) = store.all(m.SideEffect)
    assert effect.resolved_at is not None


def test_box_from_another_screen_opens_medicines_over_it(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await pilot.pause()
        await choose(pilot, "box")
        assert type(app.screen).__name__ == "MedicinesScreen"
        assert app.screen.focused is not None and app.screen.focused.id == "med-table"

    drive(app, steps)


def test_question_opens_its_tab_with_the_question_box_focused(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await choose(pilot, "question")
        focused = app.screen.focused
        assert isinstance(focused, Input) and focused.id == "question-text"

    drive(app, steps)


def test_theme_switches_between_the_two_checked_themes_only(store: Store) -> None:
    seed(store)
    app = build(store)
    prompts: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        before = app.theme
        await choose(pilot, "theme")
        assert app.theme != before
        prompts.extend(await search(pilot, "theme"))

    drive(app, steps)
    # Textual's own theme chooser offers themes whose contrast nobody checked.
    assert not any(p.startswith("Theme\n") or p == "Theme" for p in prompts)


def test_backup_writes_a_checked_copy(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Store.open(path) as opened:
        seed(opened)
        app: MedJournalApp = build(opened)

        async def steps(pilot: Pilot[None]) -> None:
            await choose(pilot, "backup")

        drive(app, steps)
    made = list((tmp_path / "journal.db.backups").glob("*manual*"))
    assert len(made) == 1, list((tmp_path / "journal.db.backups").iterdir())


def test_backup_key_does_the_same(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Store.open(path) as opened:
        seed(opened)
        app = build(opened)

        async def steps(pilot: Pilot[None]) -> None:
            await pilot.press("ctrl+b")
            await pilot.pause()

        drive(app, steps)
    assert len(list((tmp_path / "journal.db.backups").glob("*manual*"))) == 1
