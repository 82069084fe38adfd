"""Every medicine on its own schedule in the TUI: Today in time order, a tablet without a syringe, extra doses."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from journal import models as m
from journal.store import Store
from journal.tui.app import MedJournalApp
from tests.tui.conftest import NOW, ZONE, at, build, put, seed
from tests.tui.test_flows import drive, screen_text


def _weekly_tablet(store: Store, spec: str = "weekly on fri at 09:00") -> m.Medication:
    med = put(store, m.Medication, name="methotrexate", form=m.MedForm.TABLET, tracked=True)
    put(store, m.Schedule, medication_id=med.id, spec=spec, starts=date(2026, 10, 1))
    return med  # type: ignore[no-any-return]


def test_today_shows_a_weekly_medicine_as_not_due_with_its_next_time(store: Store) -> None:
    seed(store)  # anakinra daily at 08:00, last taken yesterday
    _weekly_tablet(store)  # NOW is Friday 2026-11-20 10:00: today's 09:00 dose is overdue
    later = put(store, m.Medication, name="vitamin B12", form=m.MedForm.TABLET, tracked=True)
    put(store, m.Schedule, medication_id=later.id, spec="weekly on mon at 07:00", starts=date(2026, 10, 1))
    put(store, m.Medication, name="folic acid", form=m.MedForm.TABLET, tracked=True, usual_time="09:30")
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        cards = [str(card.name) for card in app.screen.query(".today-card")]
        # What to do now first, in time order: overdue 08:00, overdue 09:00, then 09:30 (overdue too), then Monday's.
        assert cards == ["anakinra", "methotrexate", "folic acid", "vitamin B12"]
        assert "next: Monday 07:00" in screen_text(app)

    drive(app, steps, size=(120, 40))


def test_on_other_days_a_weekly_medicine_says_when_it_is_next(store: Store) -> None:
    _weekly_tablet(store, "weekly on mon at 09:00")
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert "next: Monday 09:00" in screen_text(app)

    drive(app, steps, size=(120, 40))


def test_a_tablet_is_logged_without_a_syringe_check_or_a_site(store: Store) -> None:
    med = _weekly_tablet(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "DoseScreen"
        assert app.screen.query_one("#dose-steps").current == "step-confirm"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps)
    (dose,) = store.all(m.Dose)
    assert dose.medication_id == med.id and dose.spot is None and dose.check_id is None
    assert store.all(m.SyringeCheck) == []


def _taken_this_morning(store: Store) -> None:
    """The seeded journal with today's 08:00 anakinra dose already taken at 08:05."""
    med = seed(store)
    when = at(0, 8, 5)
    put(store, m.Dose, when, medication_id=med.id, at=when, tz=ZONE, region="thigh-left", spot="thigh-left:B1")


def test_a_second_dose_for_the_same_time_is_asked_about_before_anything_is_written(store: Store) -> None:
    _taken_this_morning(store)
    before = len(store.all(m.Dose))
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert "already taken" in screen_text(app)
        await pilot.press("escape")  # the safe answer
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps)
    assert len(store.all(m.Dose)) == before


def test_an_extra_dose_said_yes_to_is_recorded_as_extra(store: Store) -> None:
    _taken_this_morning(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "DoseScreen"
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps)
    newest = max(store.all(m.Dose), key=lambda d: (d.at, d.created_at))
    assert newest.at == NOW and newest.extra


def _time_typed_for_a_dose_already_taken(pilot: Pilot[None], app: MedJournalApp) -> Any:
    """`d` on a day whose dose is open, through to the confirm step, with yesterday's 08:05 dose's time typed."""

    async def go() -> None:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "enter")  # clear, the suggested spot
        await pilot.pause()
        box = app.screen.query_one("#time", Input)
        box.value = "yesterday 08:30"
        box.focus()
        await pilot.press("enter")
        await pilot.pause()

    return go()


def test_a_typed_time_whose_dose_was_taken_is_asked_about_at_save_and_a_no_writes_nothing(store: Store) -> None:
    seed(store)  # yesterday's 08:00 dose was taken at 08:05; today's is open
    before = len(store.all(m.Dose))
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _time_typed_for_a_dose_already_taken(pilot, app)
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert "already taken" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps, size=(120, 40))
    assert len(store.all(m.Dose)) == before


def test_a_typed_time_said_yes_to_at_save_is_recorded_as_an_extra_dose(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _time_typed_for_a_dose_already_taken(pilot, app)
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps, size=(120, 40))
    newest = max(store.all(m.Dose), key=lambda d: d.created_at)
    assert newest.at == at(1, 8, 30) and newest.extra


def test_today_says_when_an_as_needed_medicine_may_be_taken_again(store: Store) -> None:
    med = put(store, m.Medication, name="paracetamol", form=m.MedForm.TABLET, tracked=True)
    put(store, m.Schedule, medication_id=med.id, spec="as needed at least 4 hours apart", starts=date(2026, 10, 1))
    put(store, m.Dose, at(0, 8, 0), medication_id=med.id, at=at(0, 8, 0), tz=ZONE)  # NOW is 10:00
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        text = screen_text(app)
        assert "last taken today 08:00" in text and "allow the next from today 12:00" in text

    drive(app, steps, size=(120, 40))


def test_a_steps_dose_shows_on_todays_card_and_the_dose_screen(store: Store) -> None:
    med = put(store, m.Medication, name="prednisone", form=m.MedForm.TABLET, tracked=True)
    # NOW is Friday 2026-11-20 10:00: the 09:00 dose of the taper's 10 mg step is overdue.
    put(store, m.Schedule, medication_id=med.id, spec="daily at 09:00", starts=date(2026, 11, 1), dose="10 mg")
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert "10 mg: due at 09:00" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        assert "This dose: 10 mg" in screen_text(app)

    drive(app, steps, size=(120, 40))
