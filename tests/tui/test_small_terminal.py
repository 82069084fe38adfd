"""80x24, the smallest terminal the app supports: every screen shows what a person needs there."""

from __future__ import annotations

import asyncio
import re

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.widgets._toast import Toast

from journal import models as m
from journal.store import Store
from journal.tui.app import MedJournalApp
from journal.tui.widgets.bodymap import RegionBox
from journal.tui.widgets.footer import JournalFooter
from journal.tui.widgets.table import FitTable
from tests.tui.conftest import NOW, ZONE, at, build, put, seed
from tests.tui.test_flows import drive

SMALL = (80, 24)


def screen_lines(app: MedJournalApp, region: Region | None = None) -> list[str]:
    """The characters on the terminal, line by line (within `region` if given)."""
    # Textual draws through the screen's compositor; its strips are the lines as the terminal shows them.
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    if region is None:
        return lines
    return [line[region.x : region.right] for line in lines[region.y : region.bottom]]


def footer_line(app: MedJournalApp) -> str:
    """The last line of the terminal: the footer."""
    return screen_lines(app)[-1]


# Every screen a person reaches from Today, with the keys that open it.
SCREENS: dict[str, list[str]] = {
    "today": [],
    "dose-syringe-check": ["d"],
    "dose-body-map": ["d", "enter"],
    "dose-confirm": ["d", "enter", "enter"],
    "side-effects": ["s"],
    "medicines": ["m"],
    "appointments": ["a"],
    "labs": ["l"],
    "check-in": ["c"],
    "history": ["h"],
    "history-changes": ["h", "c"],
    "export": ["x"],
    "emergency": ["f9"],
    "help": ["f1"],
    "reference-panel": ["f2"],
    "set-up": ["w"],
}


@pytest.mark.parametrize("name", list(SCREENS), ids=list(SCREENS))
def test_the_footer_shows_help_and_the_palette_key_on_every_screen(store: Store, name: str) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press(*SCREENS[name])
        await pilot.pause()
        line = footer_line(app)
        assert re.search(r"\bF1 (Help|Close)\b", line), line
        assert line.rstrip().endswith("^p palette"), line

    drive(app, steps, size=SMALL)


def test_the_welcome_footer_shows_help_and_the_palette_key(store: Store) -> None:
    app = build(store)  # an empty journal opens on the welcome

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert type(app.screen).__name__ == "WelcomeScreen"
        assert "F1 Help" in footer_line(app) and "^p palette" in footer_line(app)

    drive(app, steps, size=SMALL)


def test_keys_that_do_not_fit_are_counted_beside_f1_and_listed_by_help(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        footer = app.screen.query_one(JournalFooter)
        line = footer_line(app)
        hidden = footer.keys[len(footer.keys) - footer.hidden :]
        assert hidden, "at 80 columns Today has more keys than fit"
        assert [key.description for key in hidden] == [k.description for k in footer.keys if k.description not in line]
        assert f"F1 Help +{len(hidden)} keys" in line
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        listed = " ".join(str(widget.render()) for widget in app.screen.query("Static"))
        for key in hidden:
            assert key.description in listed

    drive(app, steps, size=SMALL)


def test_help_is_one_key_away_in_a_dialog(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h", "e")
        await pilot.pause()
        assert type(app.screen).__name__ == "EditRecordDialog"
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        listed = " ".join(str(widget.render()) for widget in app.screen.query("Static"))
        assert "Save" in listed and "Cancel" in listed
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "EditRecordDialog"

    drive(app, steps, size=SMALL)


LONG_NAME = "extended-release methylprednisolone acetate suspension for joints"


def test_a_long_medicine_name_ends_with_an_ellipsis_and_is_shown_whole_below(store: Store) -> None:
    seed(store)
    put(store, m.Medication, name=LONG_NAME, kind=m.MedKind.PRESCRIPTION, directions="one tablet")
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#med-table", FitTable)
        table.focus()
        names = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        table.move_cursor(row=names.index(LONG_NAME))
        await pilot.pause()
        lines = screen_lines(app, table.region)
        row = next(line for line in lines if line.strip().startswith(LONG_NAME[:10]))
        assert LONG_NAME not in row and "…" in row, row
        detail = " ".join(line.strip() for line in screen_lines(app, table.detail.region))
        assert f"Name: {LONG_NAME}" in detail

    drive(app, steps, size=SMALL)


def test_every_column_of_the_medicines_table_is_on_screen_and_the_status_whole(store: Store) -> None:
    seed(store)
    put(store, m.Medication, name="folic acid", kind=m.MedKind.VITAMIN, directions=DIRECTIONS)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#med-table", DataTable)
        lines = screen_lines(app, table.region)
        for label in ("Name", "Kind", "Strength", "How", "Status"):
            assert label in lines[0]
        assert table.virtual_size.width <= table.size.width
        anakinra = next(line for line in lines if line.strip().startswith("anakinra"))
        assert "active, tracked daily at 08:00" in anakinra, anakinra

    drive(app, steps, size=SMALL)


DIRECTIONS = "As prescribed by Dr Lee: one tablet each morning except on methotrexate days"
LONG_NOTE = "felt dizzy for an hour after it, then fine; mention it to Dr Lee at the review"


def test_history_cuts_a_long_entry_with_an_ellipsis_and_shows_it_whole_below(store: Store) -> None:
    med = seed(store)
    when = at(0, 9, 0)
    put(store, m.Dose, when, medication_id=med.id, at=when, tz=ZONE, extra=True, note=LONG_NOTE)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await pilot.pause()
        table = app.screen.query_one("#timeline", FitTable)
        what = [str(table.get_row_at(row)[2]) for row in range(table.row_count)]
        table.move_cursor(row=next(i for i, text in enumerate(what) if LONG_NOTE in text))
        await pilot.pause()
        row = screen_lines(app, table.region)[table.cursor_row + 1]
        assert "anakinra: dose taken" in row and LONG_NOTE not in row and row.rstrip().endswith("…"), row
        detail = " ".join(line.strip() for line in screen_lines(app, table.detail.region))
        assert LONG_NOTE in detail

    drive(app, steps, size=SMALL)


def _changes(app: MedJournalApp) -> str:
    """What the Changes dialog says, its title and every line."""
    return "\n".join(str(w.render()) for w in app.screen.query(".panel-title, .change-head, .change-line"))


def _ids(store: Store) -> set[str]:
    return {r.id[:8] for cls in m.RECORD_TYPES for r in store.all(cls)}


def test_history_shows_records_by_what_they_are_never_by_their_ids(store: Store) -> None:
    med = seed(store)
    visit = store.all(m.Appointment)[0]
    question = put(store, m.Question, NOW, text="Is the rash a reaction?", appointment_id=visit.id)
    app = build(store)
    ids = _ids(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await pilot.pause()
        table = app.screen.query_one("#timeline", FitTable)
        shown = "\n".join(screen_lines(app))
        assert "anakinra: dose taken at " in shown
        assert not [i for i in ids if i in shown]
        table.move_cursor(row=table.get_row_index(f"appointments:{visit.id}"))
        await pilot.pause()
        detail = " ".join(line.strip() for line in screen_lines(app, table.detail.region))
        assert "What: doctor appointment with Dr Lee: three-month review" in detail
        # A question linked to a visit: its changes name the visit, not its id.
        table.move_cursor(row=table.get_row_index(f"questions:{question.id}"))
        await pilot.press("c")
        await pilot.pause()
        changes = _changes(app)
        assert "Appointment: doctor appointment with Dr Lee: three-month review, 2026-11-30 09:30" in changes
        assert not [i for i in ids if i in changes]
        await pilot.press("escape")
        # A dose: its medicine and its syringe check by name.
        dose = store.last_dose(med.id)
        assert dose is not None
        table.move_cursor(row=table.get_row_index(f"doses:{dose.id}"))
        await pilot.press("c")
        await pilot.pause()
        changes = _changes(app)
        assert "Medication: anakinra" in changes and "Check: anakinra: syringe clear, used" in changes
        assert not [i for i in ids if i in changes]

    drive(app, steps, size=SMALL)


def test_history_count_follows_a_delete(store: Store) -> None:
    seed(store, days=3)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await pilot.pause()
        table = app.screen.query_one("#timeline", DataTable)
        before = table.row_count
        assert f"{before} shown, newest first." in "\n".join(screen_lines(app))
        await pilot.press("x", "y")
        await pilot.pause()
        assert table.row_count == before - 1
        assert f"{before - 1} shown, newest first." in "\n".join(screen_lines(app))

    drive(app, steps, size=SMALL)


def test_the_body_map_shows_every_region_name_whole(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "enter", "o")
        await pilot.pause()
        boxes = [box for box in app.screen.query(RegionBox) if box.display]
        assert len(boxes) == 8
        for box in boxes:
            words = " ".join(re.sub("[─│╭╮╰╯]", " ", " ".join(screen_lines(app, box.region))).split())
            assert box.area.label in words, words

    drive(app, steps, size=SMALL)


def test_a_click_under_a_region_name_chooses_the_spot_there(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "enter", "o")
        await pilot.pause()
        box = app.screen.query_one("#region-arm-left", RegionBox)
        title = len(box.title_lines(box.content_size.width))
        assert title, "at 80 columns the name is written above the grid"
        # border, the name's lines, then rows A, B: row B, first spot (the border and padding, "B ", the spot).
        offset = (1 + 1 + 2 + 1, 1 + title + 1)
        await pilot.click("#region-arm-left", offset=offset)
        await pilot.pause()
        assert app.screen.query_one("#body-map").selected == "arm-left:B1"  # type: ignore[attr-defined]

    drive(app, steps, size=SMALL)


def test_a_toast_covers_neither_the_table_nor_the_footer(store: Store) -> None:
    seed(store)
    app = build(store)

    async def go() -> None:
        async with app.run_test(size=SMALL, notifications=True) as pilot:
            await steps(pilot)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause(0.2)
        toasts = list(app.screen.query(Toast))
        assert toasts
        table = app.screen.query_one("#timeline").region
        footer = app.screen.query_one(JournalFooter).region
        for toast in toasts:
            assert not toast.region.overlaps(table) and not toast.region.overlaps(footer), toast.region
            assert "Journal read again." in " ".join(screen_lines(app, toast.region))

    asyncio.run(go())


@pytest.mark.parametrize(
    ("keys", "essential"),
    [
        (["s"], ["What do you feel?", "Save side effect", "Open side effects"]),
        (["a"], ["three-month review", "Add appointment"]),
        (["c"], ["Pain 0-10", "Save check-in", "Recent check-ins"]),
        (["l"], ["Test", "Save result"]),
        (["f9"], ["EMERGENCY MEDICATION LIST", "penicillin (hives)"]),
        (["d"], ["Check the syringe", "Clear", "Something floating in it"]),
        (["d", "enter", "enter"], ["3 of 3", "Save dose"]),
        (["m"], ["Name", "Status", "anakinra", "Add a medicine"]),
        (["h"], ["When", "Kind", "What", "shown, newest first"]),
        (["h", "e"], ["Edit appointment", "Save", "Cancel"]),
        (["x"], ["Export the visit summary", "Period", "Format"]),
        (["f1"], ["Help: Today", "Keys on this screen"]),
        (["f2"], ["Reference: anakinra", "search the guide"]),
    ],
    ids=[
        "side-effects",
        "appointments",
        "check-in",
        "labs",
        "emergency",
        "dose-check",
        "dose-confirm",
        "medicines",
        "history",
        "edit",
        "export",
        "help",
        "reference-panel",
    ],
)
def test_what_a_screen_is_for_is_on_screen(store: Store, keys: list[str], essential: list[str]) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        for text in essential:
            assert text in shown

    drive(app, steps, size=SMALL)


def test_columns_are_cut_only_as_much_as_the_width_needs_free_text_first() -> None:
    from journal.tui.widgets.table import fit_widths

    assert fit_widths([16, 12, 40], 80, {2}) == [16, 12, 40]  # it fits: nothing cut
    assert fit_widths([16, 12, 40], 50, {2}) == [16, 12, 22]  # the free text gives way alone
    # Too narrow even for that: the free text keeps a few characters, the widest other column gives way.
    assert fit_widths([16, 30, 40], 40, {2}) == [16, 18, 6]
    assert sum(fit_widths([30, 30, 30], 45, set())) <= 45


def test_the_welcome_shows_its_fields_at_80x24(store: Store) -> None:
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        for text in ("Welcome to medjournal", "Name", "Emergency contact", "The medicine you inject every day"):
            assert text in shown

    drive(app, steps, size=SMALL)


def test_the_passphrase_screen_shows_its_field_and_the_way_out_at_80x24() -> None:
    from pathlib import Path

    from textual.widgets import Input

    from journal.tui.screens.passphrase import PassphraseApp

    app = PassphraseApp(Path("/home/ann/journal.db"))

    async def go() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            field = app.screen.query_one("#passphrase", Input)
            assert field.region.right <= SMALL[0] and field.has_focus
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            assert "esc Quit" in lines[-1] and "/home/ann/journal.db" in "\n".join(lines)

    asyncio.run(go())


def test_clicking_f1_in_the_footer_opens_help(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        line = footer_line(app)
        await pilot.click(JournalFooter, offset=(line.index("F1") + 1, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"

    drive(app, steps, size=SMALL)
