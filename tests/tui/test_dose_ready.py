"""The dose screen made ready while Today is on show: `d` shows it, only while it is still right."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot

from journal import models as m
from journal.store import Store
from journal.tui.app import DOSE_READY_DELAY, MedJournalApp
from journal.tui.screens.dose import DoseScreen
from tests.tui.conftest import NOW, ZONE, at, build, put, seed
from tests.tui.test_flows import drive


async def _read_today(pilot: Pilot[None], app: MedJournalApp) -> DoseScreen:
    """Stay on Today until the dose screen is made ready (composed and mounted, not on the screen stack)."""
    await pilot.pause(DOSE_READY_DELAY)
    for _ in range(100):
        made = app.dose_screen_ready
        if made is not None and made.is_mounted:
            break
        await pilot.pause(0.05)
    assert isinstance(made, DoseScreen) and made.is_attached and made not in app.screen_stack
    assert made.query_one("#appearance")  # composed
    return made


def _methotrexate_due(store: Store) -> m.Medication:
    """A weekly tablet due at 09:00 on Fridays: at NOW (Friday 10:00) its dose is open, nearer than anakinra's 08:00."""
    med = put(store, m.Medication, name="methotrexate", form=m.MedForm.TABLET, tracked=True)
    put(store, m.Schedule, medication_id=med.id, spec="weekly on fri at 09:00", starts=date(2026, 10, 1))
    return med  # type: ignore[no-any-return]


def test_d_shows_the_dose_screen_made_while_today_was_read_and_logs_a_dose(store: Store) -> None:
    med = seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        made = await _read_today(pilot, app)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is made
        assert made.med == med
        assert made.query_one("#appearance").has_focus
        for _ in range(3):  # clear, the suggested spot, save
            await pilot.press("enter")
            await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps, size=(120, 40))
    (dose,) = store.doses(med.id, since=at(0, 0))
    assert dose.status is m.DoseStatus.TAKEN and dose.spot is not None


def test_after_a_write_d_opens_a_new_dose_screen_for_the_medicine_due_now(store: Store) -> None:
    anakinra = seed(store)
    put(store, m.Dose, at(0, 8, 5), medication_id=anakinra.id, at=at(0, 8, 5), tz=ZONE)  # today's taken
    methotrexate = _methotrexate_due(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        made = await _read_today(pilot, app)
        assert made.med == methotrexate  # the one due
        # Written through the same connection, with no redraw of Today in between: nothing is due any more.
        store.add(m.Dose(medication_id=methotrexate.id, at=at(0, 9, 10), tz=ZONE), now=NOW)
        await pilot.press("d")
        await pilot.pause()
        shown = [s for s in app.screen_stack if isinstance(s, DoseScreen)]
        assert shown and shown[-1] is not made and shown[-1].med == anakinra
        assert type(app.screen).__name__ == "ConfirmDialog"  # anakinra's dose was taken: an extra one?

    drive(app, steps, size=(120, 40))


def test_with_two_doses_due_no_dose_screen_is_made_ready_and_d_asks(store: Store) -> None:
    seed(store)  # anakinra overdue since 08:00
    _methotrexate_due(store)  # and methotrexate since 09:00
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause(DOSE_READY_DELAY + 0.3)
        assert app.dose_screen_ready is None
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChooseMedicineDialog"

    drive(app, steps, size=(120, 40))


def test_a_dose_screen_made_before_a_write_is_not_shown_even_for_the_same_medicine(store: Store) -> None:
    med = seed(store, days=0)  # anakinra, never taken: the form opens with the first-use advice
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        made = await _read_today(pilot, app)
        assert made.query("#first-use")
        # Yesterday's dose, recorded late; today's is still due, so `d` is for anakinra again.
        store.add(m.Dose(medication_id=med.id, at=at(1, 8, 0), tz=ZONE), now=NOW)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoseScreen) and app.screen is not made and app.screen.med == med
        assert not app.screen.query("#first-use")

    drive(app, steps, size=(120, 40))


def test_when_the_clock_moves_on_d_opens_the_dose_screen_for_the_medicine_due_then(store: Store) -> None:
    anakinra = seed(store)
    put(store, m.Dose, at(0, 8, 5), medication_id=anakinra.id, at=at(0, 8, 5), tz=ZONE)
    methotrexate = _methotrexate_due(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        assert (await _read_today(pilot, app)).med == methotrexate
        # Saturday 08:30: Friday's tablet is long past, Saturday's anakinra is due; nothing was written.
        app.journal.fixed_now = at(-1, 8, 30)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoseScreen) and app.screen.med == anakinra

    drive(app, steps, size=(120, 40))


def test_a_dose_screen_made_ready_asks_about_an_extra_dose_only_once_shown(store: Store) -> None:
    med = seed(store)
    put(store, m.Dose, at(0, 8, 5), medication_id=med.id, at=at(0, 8, 5), tz=ZONE)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _read_today(pilot, app)
        assert type(app.screen).__name__ == "TodayScreen"  # no question over Today
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"

    drive(app, steps, size=(120, 40))


def test_today_read_again_makes_a_new_dose_screen_and_lets_the_old_one_go(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        first = await _read_today(pilot, app)
        for _ in range(3):
            await pilot.press("f5")
            await _read_today(pilot, app)
        await pilot.pause()
        assert app.dose_screen_ready is not first and not first.is_attached

    drive(app, steps, size=(120, 40))


def test_a_dose_screen_let_go_before_it_finished_mounting_does_not_crash_the_app(store: Store) -> None:
    _methotrexate_due(store)  # a tablet: its screen starts at the confirm step when mounted
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        for _ in range(3):
            app.ready_dose_screen(app.screen)
            app.drop_ready_dose_screen()  # at once: Today read again while the screen was being made
            await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoseScreen) and app.screen.query_one("#time").has_focus

    drive(app, steps, size=(120, 40))
