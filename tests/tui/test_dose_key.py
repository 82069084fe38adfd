"""`d` on Today: the dose screen for the medicine due now, or the question which when two are due."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot

from journal import models as m
from journal.store import Store
from journal.tui.screens.dose import DoseScreen
from tests.tui.conftest import NOW, ZONE, at, build, put, seed
from tests.tui.test_flows import drive


def _methotrexate_due(store: Store) -> m.Medication:
    """A weekly tablet due at 09:00 on Fridays: at NOW (Friday 10:00) its dose is open, nearer than anakinra's 08:00."""
    med = put(store, m.Medication, name="methotrexate", form=m.MedForm.TABLET, tracked=True)
    put(store, m.Schedule, medication_id=med.id, spec="weekly on fri at 09:00", starts=date(2026, 10, 1))
    return med  # type: ignore[no-any-return]


def test_d_opens_the_dose_screen_and_three_enters_log_a_dose(store: Store) -> None:
    med = seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoseScreen) and app.screen.med == med
        assert app.screen.query_one("#appearance").has_focus
        for _ in range(3):  # clear, the suggested spot, save
            await pilot.press("enter")
            await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps, size=(120, 40))
    (dose,) = store.doses(med.id, since=at(0, 0))
    assert dose.status is m.DoseStatus.TAKEN and dose.spot is not None


def test_after_a_write_d_opens_the_dose_screen_for_the_medicine_due_now(store: Store) -> None:
    anakinra = seed(store)
    put(store, m.Dose, at(0, 8, 5), medication_id=anakinra.id, at=at(0, 8, 5), tz=ZONE)  # today's taken
    methotrexate = _methotrexate_due(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        # Written through the same connection, with no redraw of Today in between: nothing is due any more.
        store.add(m.Dose(medication_id=methotrexate.id, at=at(0, 9, 10), tz=ZONE), now=NOW)
        await pilot.press("d")
        await pilot.pause()
        shown = [s for s in app.screen_stack if isinstance(s, DoseScreen)]
        assert shown and shown[-1].med == anakinra
        assert type(app.screen).__name__ == "ConfirmDialog"  # anakinra's dose was taken: an extra one?

    drive(app, steps, size=(120, 40))


def test_with_two_doses_due_d_asks_which(store: Store) -> None:
    seed(store)  # anakinra overdue since 08:00
    _methotrexate_due(store)  # and methotrexate since 09:00
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChooseMedicineDialog"

    drive(app, steps, size=(120, 40))


def test_when_the_clock_moves_on_d_opens_the_dose_screen_for_the_medicine_due_then(store: Store) -> None:
    anakinra = seed(store)
    put(store, m.Dose, at(0, 8, 5), medication_id=anakinra.id, at=at(0, 8, 5), tz=ZONE)
    _methotrexate_due(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        # Saturday 08:30: Friday's tablet is long past, Saturday's anakinra is due; nothing was written.
        app.journal.fixed_now = at(-1, 8, 30)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoseScreen) and app.screen.med == anakinra

    drive(app, steps, size=(120, 40))


def test_a_tablet_s_dose_screen_starts_at_its_time_field(store: Store) -> None:
    _methotrexate_due(store)  # a tablet: its screen starts at the confirm step
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoseScreen) and app.screen.query_one("#time").has_focus

    drive(app, steps, size=(120, 40))
