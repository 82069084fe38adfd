"""Destructive choices ask first: the focused answer is the safe one, Enter alone and Esc write nothing.

The case reported: in the dose flow, `d`, Up, Enter jumped from "Clear" to "Something floating in
it" and recorded the syringe as discarded at once.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, TabbedContent

from journal import models as m
from journal.store import Store
from journal.tui.app import MedJournalApp
from tests.tui.conftest import NOW, at, build, put, seed
from tests.tui.test_flows import cell, drive, screen_text, type_text


def _changes(store: Store) -> int:
    """How many changes the journal's history holds: the same number means nothing was written."""
    return len(store.history(limit=100_000))


def _name(app: MedJournalApp) -> str:
    return type(app.screen).__name__


def _discarded(store: Store) -> list[m.SyringeCheck]:
    return [c for c in store.all(m.SyringeCheck) if c.outcome is m.CheckOutcome.DISCARDED]


# --- the syringe --------------------------------------------------------------------------


def test_up_on_clear_stays_on_clear_and_records_nothing(store: Store) -> None:
    seed(store)
    app = build(store)
    before = _changes(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "up")
        assert app.screen.query_one("#appearance").highlighted == 0  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        # Clear was chosen: on to the site, nothing recorded yet.
        assert app.screen.query_one("#dose-steps").current == "step-site"  # type: ignore[attr-defined]

    drive(app, steps)
    assert _changes(store) == before and not _discarded(store)


@pytest.mark.parametrize("answer", ["enter", "escape", "n"])
@pytest.mark.parametrize("downs", [2, 3, 4], ids=["cloudy", "discolored", "particles"])
def test_a_spoiled_syringe_asks_before_it_is_recorded_as_discarded(store: Store, downs: int, answer: str) -> None:
    seed(store)
    app = build(store)
    before = _changes(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", *["down"] * downs, "enter")
        await pilot.pause()
        assert _name(app) == "ConfirmDialog"
        assert "Nothing is recorded yet" in screen_text(app)
        assert _changes(store) == before
        await pilot.press(answer)
        await pilot.pause()
        assert _name(app) == "DoseScreen"
        assert app.screen.query_one("#dose-steps").current == "step-check"  # type: ignore[attr-defined]
        assert "Nothing was recorded" in str(app.screen.query_one("#check-advice").render())

    drive(app, steps)
    assert _changes(store) == before and not _discarded(store)


def test_a_spoiled_syringe_is_recorded_as_discarded_once_confirmed(store: Store) -> None:
    seed(store)
    app = build(store)
    doses = len(store.all(m.Dose))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "down", "down", "enter", "y")
        await pilot.pause()
        assert "DO NOT USE THIS SYRINGE" in str(app.screen.query_one("#check-advice").render())

    drive(app, steps)
    (check,) = _discarded(store)
    assert check.appearance is m.Appearance.CLOUDY and len(store.all(m.Dose)) == doses


# --- deleting -----------------------------------------------------------------------------


async def _answer_delete(pilot: Pilot[None], app: MedJournalApp, answer: str) -> None:
    await pilot.press("x")
    await pilot.pause()
    assert _name(app) == "ConfirmDialog"
    await pilot.press(answer)
    await pilot.pause()


@pytest.mark.parametrize("answer", ["enter", "escape"])
def test_deleting_in_history_asks_and_enter_alone_keeps_the_entry(store: Store, answer: str) -> None:
    seed(store)
    app = build(store)
    before = _changes(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        table = app.screen.query_one("#timeline", DataTable)
        table.move_cursor(row=next(r for r in range(table.row_count) if cell(table, r, 1) == "dose"))
        await _answer_delete(pilot, app, answer)
        assert _name(app) == "HistoryScreen"

    drive(app, steps)
    assert _changes(store) == before


@pytest.mark.parametrize(
    ("table_id", "tab"), [("#allergy-table", "tab-allergies"), ("#condition-table", "tab-conditions")]
)
@pytest.mark.parametrize("answer", ["enter", "escape"])
def test_deleting_an_allergy_or_condition_asks_and_enter_alone_keeps_it(
    store: Store, table_id: str, tab: str, answer: str
) -> None:
    seed(store)
    put(store, m.Condition, name="asthma")
    app = build(store)
    before = _changes(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        app.screen.query_one("#med-tabs", TabbedContent).active = tab
        await pilot.pause()
        app.screen.query_one(table_id, DataTable).focus()
        await _answer_delete(pilot, app, answer)
        assert _name(app) == "MedicinesScreen"

    drive(app, steps)
    assert _changes(store) == before
    assert store.all(m.Allergy)
    assert store.all(m.Condition)


@pytest.mark.parametrize("answer", ["enter", "escape"])
def test_deleting_a_question_asks_and_enter_alone_keeps_it(store: Store, answer: str) -> None:
    seed(store)
    app = build(store)
    before = _changes(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("a")
        app.screen.query_one("#appt-tabs", TabbedContent).active = "tab-questions"
        await pilot.pause()
        app.screen.query_one("#question-table", DataTable).focus()
        await _answer_delete(pilot, app, answer)

    drive(app, steps)
    assert _changes(store) == before and store.all(m.Question)


# --- appointments -------------------------------------------------------------------------


async def _on_the_visit(pilot: Pilot[None], app: MedJournalApp, key: str) -> None:
    await pilot.press("a")
    table = app.screen.query_one("#appt-table", DataTable)
    table.focus()
    table.move_cursor(row=0)
    await pilot.press(key)
    await pilot.pause()


@pytest.mark.parametrize("key", ["v", "x"], ids=["done", "cancel"])
@pytest.mark.parametrize("answer", ["enter", "escape"])
def test_marking_a_future_visit_done_or_cancelled_asks_and_enter_alone_keeps_it_planned(
    store: Store, key: str, answer: str
) -> None:
    seed(store)
    app = build(store)
    before = _changes(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _on_the_visit(pilot, app, key)
        assert _name(app) == "ConfirmDialog"
        await pilot.press(answer)
        await pilot.pause()
        assert _name(app) == "AppointmentsScreen"

    drive(app, steps)
    assert _changes(store) == before
    (visit,) = store.all(m.Appointment)
    assert visit.status is m.ApptStatus.PLANNED


def test_a_future_visit_is_marked_done_once_confirmed(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _on_the_visit(pilot, app, "v")
        assert "still to come" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()

    drive(app, steps)
    (visit,) = store.all(m.Appointment)
    assert visit.status is m.ApptStatus.DONE


def test_a_past_visit_is_marked_done_without_asking(store: Store) -> None:
    seed(store)
    for visit in store.all(m.Appointment):
        store.delete(visit, now=NOW)
    put(store, m.Appointment, at=at(2, 9, 30), tz="UTC", kind=m.ApptKind.DOCTOR, with_whom="Dr Lee")
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _on_the_visit(pilot, app, "v")
        assert _name(app) == "AppointmentsScreen"

    drive(app, steps)
    (visit,) = store.all(m.Appointment)
    assert visit.status is m.ApptStatus.DONE


# --- stopping a medicine ------------------------------------------------------------------


async def _stop_vitamin(pilot: Pilot[None], app: MedJournalApp) -> None:
    await pilot.press("m")
    table = app.screen.query_one("#med-table", DataTable)
    table.focus()
    row = next(r for r in range(table.row_count) if cell(table, r, 0) == "vitamin D")
    table.move_cursor(row=row)
    await pilot.press("x")
    await pilot.pause()
    assert _name(app) == "ConfirmWithReason"


@pytest.mark.parametrize("answer", [("enter",), ("escape",), ("tab", "enter"), ("tab", "escape")])
def test_stopping_a_medicine_asks_and_enter_alone_keeps_it(store: Store, answer: tuple[str, ...]) -> None:
    seed(store)
    app = build(store)
    before = _changes(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _stop_vitamin(pilot, app)
        # Enter in the (empty) reason only moves on to the "Stop it" button.
        await pilot.press(*answer)
        await pilot.pause()

    drive(app, steps)
    assert _changes(store) == before
    vitamin = store.find_medication("vitamin D")
    assert vitamin is not None and vitamin.stopped is None


def test_stopping_a_medicine_keeps_the_reason_given(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _stop_vitamin(pilot, app)
        await pilot.press("tab")
        await type_text(pilot, "levels normal yes")
        await pilot.press("enter")
        assert _name(app) == "ConfirmWithReason"
        await pilot.press("enter")
        await pilot.pause()
        assert _name(app) == "MedicinesScreen"

    drive(app, steps)
    vitamin = store.find_medication("vitamin D", include_stopped=True)
    assert vitamin is not None and vitamin.stopped == NOW.date()
    assert vitamin.stop_reason == "levels normal yes"


def test_stopping_a_medicine_without_a_reason(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _stop_vitamin(pilot, app)
        await pilot.press("y")
        await pilot.pause()

    drive(app, steps)
    vitamin = store.find_medication("vitamin D", include_stopped=True)
    assert vitamin is not None and vitamin.stopped == NOW.date() and vitamin.stop_reason is None
