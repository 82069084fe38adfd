"""The TUI never chooses between two doses due, and a paused medicine asks before a dose (issue "Stop the harm")."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import OptionList

from journal import models as m
from journal.application.effects import record_side_effect
from journal.store import Store
from tests.tui.conftest import NOW, ZONE, build, put, seed
from tests.tui.test_flows import drive, screen_text


def _with_a_tablet_due(store: Store) -> tuple[m.Medication, m.Medication]:
    """anakinra overdue since 08:00 and folic acid due at 09:30, at NOW (10:00): both open."""
    anakinra = seed(store)
    folic = put(store, m.Medication, name="folic acid", form=m.MedForm.TABLET, tracked=True, usual_time="09:30")
    return anakinra, folic


def test_d_with_two_doses_due_asks_which_the_overdue_injection_first_and_escape_writes_nothing(store: Store) -> None:
    anakinra, folic = _with_a_tablet_due(store)
    before = len(store.all(m.Dose))
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChooseMedicineDialog"
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [anakinra.id, folic.id]
        assert "More than one dose is due now" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("down", "enter")  # folic acid
        await pilot.pause()
        assert type(app.screen).__name__ == "DoseScreen"
        assert app.screen.med is not None and app.screen.med.id == folic.id  # type: ignore[attr-defined]

    drive(app, steps)
    assert len(store.all(m.Dose)) == before


def test_a_paused_medicine_shows_paused_on_today_and_d_asks_first_no_is_the_default(store: Store) -> None:
    seed(store)
    record_side_effect(store, "my lips are swelling", at=NOW, zone=ZONE, now=NOW)
    before = len(store.all(m.Dose))
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        text = screen_text(app)
        assert "PAUSED since" in text and "Ask your doctor before the next dose" in text
        assert "OVERDUE" not in text
        await pilot.press("escape")  # the side effect's own dialog, if it is shown first
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert "paused since" in screen_text(app)
        await pilot.press("enter")  # the focused answer is the safe one
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps, size=(120, 40))
    assert len(store.all(m.Dose)) == before


def test_a_paused_medicine_is_resumed_from_medicines_with_u_after_asking(store: Store) -> None:
    from textual.widgets import DataTable, Input

    from tests.tui.test_flows import cell

    med = seed(store)
    record_side_effect(store, "my lips are swelling", at=NOW, zone=ZONE, now=NOW)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("escape")  # the side effect's own dialog, if it is shown first
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#med-table", DataTable)
        table.focus()
        row = next(r for r in range(table.row_count) if cell(table, r, 0) == "anakinra")
        assert "PAUSED since" in cell(table, row, 4)
        table.move_cursor(row=row)
        await pilot.press("u")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmWithReason"
        assert "only once your doctor says to go on" in screen_text(app)
        app.screen.query_one("#confirm-reason", Input).value = "Dr Lee: go on"
        await pilot.press("y")
        await pilot.pause()

    drive(app, steps, size=(120, 40))
    resumed = store.get(m.Medication, med.id)
    assert resumed is not None and not resumed.paused and resumed.resume_note == "Dr Lee: go on"
