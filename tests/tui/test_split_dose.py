"""The weekly split dose on Today and in the dose screen: the part due is named (issue 25, item 4)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from journal import models as m
from journal.store import Store
from journal.tui.screens.dose import DoseScreen
from tests.tui.conftest import at, build, put
from tests.tui.test_flows import drive, screen_text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_today_and_the_dose_screen_name_the_part_of_the_split_dose(store: Store, size: tuple[int, int]) -> None:
    # NOW is Friday 2026-11-20 10:00 (UTC): the first of three parts, due at 08:00, is overdue.
    mtx = put(store, m.Medication, name="methotrexate", form=m.MedForm.TABLET, strength="7.5 mg", tracked=True)
    spec = "weekly split fri 08:00, fri 20:00, sat 08:00"
    put(store, m.Schedule, medication_id=mtx.id, spec=spec, starts=date(2026, 10, 1))
    app = build(store)
    seen: dict[str, str] = {}

    async def steps(pilot: Pilot[None]) -> None:
        seen["today"] = " ".join(screen_text(app).split())
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoseScreen)
        chooser = app.screen.query_one("#dose-medicine", Select)
        seen["chooser"] = str(chooser._options[0][0])
        await pilot.press("enter")  # a tablet: the confirm step, the time now
        await pilot.pause(0.2)

    drive(app, steps, size=size)
    assert "OVERDUE by 2h: due at 08:00 (dose 1 of 3)" in seen["today"]
    assert seen["chooser"] == "methotrexate 7.5 mg · OVERDUE since 08:00, dose 1 of 3"
    (dose,) = store.doses(mtx.id, since=at(0, 0))
    assert dose.status is m.DoseStatus.TAKEN
