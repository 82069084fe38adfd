"""The lab results screen, driven with keys: a result is saved and listed with its trend; bad input is
explained beside its box and kept."""

from __future__ import annotations

from datetime import timedelta

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from journal import models as m
from journal.store import Store
from tests.tui.conftest import NOW, ZONE, build, seed
from tests.tui.test_flows import cell, drive, shown, type_text


def test_a_result_is_saved_from_the_labs_key_and_listed_with_its_trend(store: Store) -> None:
    seed(store)
    earlier = NOW - timedelta(days=30)
    store.add(m.LabResult(test="Neutrophils", value=1.8, unit="10*9/L", at=earlier, tz=ZONE, created_at=earlier))
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await pilot.pause()
        assert type(app.screen).__name__ == "LabsScreen"
        await type_text(pilot, "neutrophils")
        await pilot.press("tab")
        await type_text(pilot, "2,4")
        await pilot.press("tab")
        await type_text(pilot, "10*9/L")
        await pilot.press("tab")
        await type_text(pilot, "2.0-7.5")
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#lab-results", DataTable)
        assert [cell(table, 0, c) for c in (1, 2, 3, 4)] == ["neutrophils", "2.4 10*9/L", "2-7.5", "rising"]
        assert cell(table, 1, 2) == "1.8 10*9/L"

    drive(app, steps, size=(100, 30))
    latest = store.lab_results(test="Neutrophils")[-1]
    assert (latest.value, latest.range_low, latest.range_high, latest.at) == (2.4, 2.0, 7.5, NOW)


def test_a_value_that_is_not_a_number_is_explained_beside_it_and_kept(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await pilot.pause()
        await type_text(pilot, "ALT")
        await pilot.press("tab")
        await type_text(pilot, "normal")
        await pilot.press("enter")
        await pilot.pause()
        assert "not a number" in shown(app, "#lab-value-error")
        assert app.screen.query_one("#lab-value", Input).value == "normal"
        app.screen.query_one("#lab-value", Input).value = "31"
        app.screen.query_one("#lab-range", Input).value = "high"
        await pilot.press("enter")
        await pilot.pause()
        assert "not a range" in shown(app, "#lab-range-error")
        assert app.screen.query_one("#lab-range", Input).value == "high"

    drive(app, steps, size=(100, 30))
    assert store.lab_results() == []
