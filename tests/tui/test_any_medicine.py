"""Any medicine from the TUI (issue 25, item 6): the dose screen's visible chooser and the palette's
"Log a dose: NAME", at 80x24 and 120x40."""

from __future__ import annotations

from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from journal import models as m
from journal.store import Store
from journal.tui.screens.dose import DoseScreen
from tests.tui.conftest import at, build, put, seed
from tests.tui.test_flows import drive
from tests.tui.test_palette import search

SIZES = [(80, 24), (120, 40)]


def _four_medicines(store: Store) -> dict[str, m.Medication]:
    """anakinra (08:00, overdue at NOW, Friday 10:00), a weekly tablet (Mondays), ibuprofen as needed and an
    untracked supplement."""
    anakinra = seed(store)
    weekly = put(store, m.Medication, name="methotrexate", form=m.MedForm.TABLET, tracked=True)
    put(store, m.Schedule, medication_id=weekly.id, spec="weekly on mon at 09:00", starts=date(2026, 10, 1))
    ibuprofen = put(store, m.Medication, name="ibuprofen", form=m.MedForm.TABLET, tracked=True)
    put(store, m.Schedule, medication_id=ibuprofen.id, spec="as needed max 3 per 24h", starts=date(2026, 10, 1))
    magnesium = put(store, m.Medication, name="magnesium", form=m.MedForm.TABLET)
    return {"anakinra": anakinra, "methotrexate": weekly, "ibuprofen": ibuprofen, "magnesium": magnesium}


def _labels(chooser: Select[str]) -> list[str]:
    return [str(prompt) for prompt, _ in chooser._options]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_dose_screen_shows_every_medicine_due_first_and_logs_the_one_chosen(
    store: Store, size: tuple[int, int]
) -> None:
    meds = _four_medicines(store)
    app = build(store)
    seen: dict[str, object] = {}

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DoseScreen) and screen.med == meds["anakinra"]
        chooser = screen.query_one("#dose-medicine", Select)
        assert chooser.display and chooser.region.height == 1 and chooser.region.width > 30  # on show
        seen["labels"] = _labels(chooser)
        # The person picks ibuprofen: its own flow opens (a tablet: straight to the confirm step).
        chooser.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DoseScreen) and app.screen.med == meds["ibuprofen"]
        assert app.screen.query_one("#dose-medicine", Select).value == meds["ibuprofen"].id
        await pilot.press("enter")  # the time, now: saved
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps, size=size)
    assert seen["labels"] == [
        "anakinra · OVERDUE since 08:00",
        "methotrexate · next Monday 09:00",
        "ibuprofen · as needed",
        "magnesium · no schedule",
        "vitamin D 1000 IU · no schedule",
    ]
    (dose,) = store.doses(meds["ibuprofen"].id, since=at(1, 0))
    assert dose.status is m.DoseStatus.TAKEN and store.doses(meds["anakinra"].id, since=at(0, 9)) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_palette_logs_a_dose_of_any_active_medicine_by_name(store: Store, size: tuple[int, int]) -> None:
    meds = _four_medicines(store)
    app = build(store)
    found: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        found.extend(await search(pilot, "log a dose"))
        await pilot.press("escape")
        await pilot.pause()
        await search(pilot, "magnesium")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DoseScreen) and app.screen.med == meds["magnesium"]
        await pilot.press("enter")
        await pilot.pause(0.2)

    drive(app, steps, size=size)
    titles = [line.split("  ")[0] for line in found]
    for name in meds:
        assert f"Log a dose: {name}" in titles
    assert store.last_dose(meds["magnesium"].id) is not None
