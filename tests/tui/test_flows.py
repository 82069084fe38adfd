"""Each journaling flow, driven with the keys a person presses (Textual's Pilot)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from journal import models as m
from journal.errors import JournalBusyError
from journal.store import Store
from journal.tui.app import MedJournalApp
from journal.tui.themes import DARK_THEME
from journal.tui.widgets.bodymap import BodyMap
from journal.tui.widgets.reference import ReferencePanel
from tests.tui.conftest import NOW, build, put, seed

Steps = Callable[[Pilot[None]], Awaitable[None]]


def drive(app: MedJournalApp, steps: Steps, size: tuple[int, int] = (80, 24)) -> None:
    """Run the app headless at `size` and perform `steps`."""

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(pilot)
            await pilot.pause()

    asyncio.run(go())


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type text key by key, as a person would."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def shown(app: MedJournalApp, selector: str) -> str:
    """The plain text a Static shows."""
    return str(app.screen.query_one(selector, Static).render())


def cell(table: DataTable[object], row: int, column: int) -> str:
    """The text of one cell."""
    return str(table.get_cell_at(Coordinate(row, column)))


def screen_text(app: MedJournalApp) -> str:
    """All the text of the Statics on the current screen."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


# --- first run --------------------------------------------------------------------------


def test_first_run_welcome_sets_up_the_journal_then_four_keys_log_a_dose(store: Store) -> None:
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        assert type(app.screen).__name__ == "WelcomeScreen"
        await type_text(pilot, "Ann")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        await pilot.press("d", "enter", "enter", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps)
    profile = store.profile()
    assert profile is not None and profile.name == "Ann"
    (med,) = store.tracked_medications()
    assert med.pack == "anakinra" and med.usual_time == "08:00"
    assert store.boxes(med.id) == []  # "Record a box now" is not ticked unless asked
    (dose,) = store.all(m.Dose)
    assert dose.status is m.DoseStatus.TAKEN and dose.spot and dose.at == NOW
    (check,) = store.all(m.SyringeCheck)
    assert check.outcome is m.CheckOutcome.USED and dose.check_id == check.id


def test_welcome_can_be_skipped_and_writes_nothing(store: Store) -> None:
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("escape")
        assert type(app.screen).__name__ == "TodayScreen"
        assert "No medicine is tracked daily yet" in screen_text(app)

    drive(app, steps)
    assert store.is_empty()


def test_welcome_bad_date_is_explained_beside_the_field_and_keeps_the_input(store: Store) -> None:
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await type_text(pilot, "Ann")
        app.screen.query_one("#welcome-born", Input).value = "30/04/1980"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WelcomeScreen"
        assert "not a date" in shown(app, "#welcome-born-error")
        assert app.screen.query_one("#welcome-name", Input).value == "Ann"

    drive(app, steps)
    assert store.is_empty()


# --- the dose flow ----------------------------------------------------------------------


def test_suggested_spot_is_preselected_and_differs_from_the_last_one(store: Store) -> None:
    seed(store)
    app = build(store)
    last = store.last_dose(store.tracked_medications()[0].id)
    assert last is not None

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "enter")
        body = app.screen.query_one("BodyMap")
        assert body.selected == body.suggested  # type: ignore[attr-defined]
        assert body.selected != last.spot  # type: ignore[attr-defined]
        await pilot.press("enter", "enter")

    drive(app, steps)
    newest = store.last_dose(store.tracked_medications()[0].id)
    assert newest is not None and newest.at == NOW and newest.spot != last.spot


@pytest.mark.parametrize("downs", [2, 3, 4], ids=["cloudy", "discolored", "particles"])
def test_a_spoiled_syringe_is_discarded_and_never_becomes_a_dose(store: Store, downs: int) -> None:
    seed(store)
    app = build(store)
    doses_before = len(store.all(m.Dose))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", *["down"] * downs, "enter", "y")
        await pilot.pause()
        assert "DO NOT USE THIS SYRINGE" in shown(app, "#check-advice")
        assert "start again with a new syringe".lower() in shown(app, "#check-advice").lower()
        # Still at the syringe check: pressing on cannot turn it into a dose.
        assert app.screen.query_one("#dose-steps").current == "step-check"  # type: ignore[attr-defined]

    drive(app, steps)
    assert len(store.all(m.Dose)) == doses_before
    discarded = [c for c in store.all(m.SyringeCheck) if c.outcome is m.CheckOutcome.DISCARDED]
    assert len(discarded) == 1
    assert discarded[0].appearance.value in ("cloudy", "discolored", "particles")


def test_after_a_discard_a_new_clear_syringe_logs_the_dose(store: Store) -> None:
    seed(store)
    app = build(store)
    before = len(store.all(m.Dose))

    async def steps(pilot: Pilot[None]) -> None:
        # After a discard (confirmed with y), Clear is highlighted again: three more Enters log the new syringe.
        await pilot.press("d", "down", "down", "enter", "y", "enter", "enter", "enter")

    drive(app, steps)
    assert len(store.all(m.Dose)) == before + 1
    outcomes = sorted(c.outcome.value for c in store.all(m.SyringeCheck) if c.at == NOW)
    assert outcomes == ["discarded", "used"]


def test_foamy_syringe_waits_then_is_used_and_the_wait_is_recorded(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "down", "enter")
        await pilot.pause()
        assert "clears" in shown(app, "#check-advice")
        assert app.screen.query_one("#dose-steps").current == "step-check"  # type: ignore[attr-defined]
        # Choosing Clear without saying how long it sat keeps the step and asks, beside the field.
        app.screen.query_one("#appearance").focus()
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.screen.query_one("#dose-steps").current == "step-check"  # type: ignore[attr-defined]
        assert "how many minutes" in screen_text(app)
        await type_text(pilot, "6")
        await pilot.press("enter", "enter", "enter")

    drive(app, steps)
    checks = [c for c in store.all(m.SyringeCheck) if c.at == NOW]
    assert len(checks) == 1
    assert checks[0].appearance is m.Appearance.FOAMY and checks[0].outcome is m.CheckOutcome.USED
    # The minutes the person gave, not the seconds the screen was open.
    assert checks[0].waited_minutes == 6
    assert store.last_dose(checks[0].medication_id).check_id == checks[0].id  # type: ignore[union-attr]


def test_arms_and_buttocks_are_offered_only_when_someone_else_injects(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "enter")
        arm = app.screen.query_one("#region-arm-left")
        assert not arm.display
        await pilot.press("o")
        assert arm.display
        await pilot.click("#region-arm-left", offset=(4, 1))
        await pilot.click("#region-arm-left", offset=(4, 1))
        await pilot.pause()
        await pilot.press("enter")

    drive(app, steps, size=(120, 40))
    dose = store.last_dose(store.tracked_medications()[0].id)
    assert dose is not None and dose.at == NOW
    assert dose.region == "arm-left" and dose.given_by is m.GivenBy.OTHER


def test_injection_steps_are_one_key_away_in_the_dose_flow(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        panel = app.screen.query_one("#injection-steps", Static)
        assert not panel.display
        await pilot.press("i")
        assert panel.display
        assert "alcohol wipe" in str(panel.render())
        await pilot.press("i", "enter", "enter")
        assert not panel.display and isinstance(app.focused, Input)
        await pilot.press("f4")
        assert panel.display

    drive(app, steps)


def test_skip_needs_a_reason_and_records_a_skipped_dose(store: Store) -> None:
    seed(store)
    app = build(store)
    before = len(store.all(m.Dose))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "k", "enter")
        await pilot.pause()
        assert "why" in shown(app, "#reason-error")
        assert len(store.all(m.Dose)) == before
        app.screen.query_one("#reason", Input).value = "fever, doctor said pause"
        await pilot.press("enter")

    drive(app, steps)
    skipped = [d for d in store.all(m.Dose) if d.status is m.DoseStatus.SKIPPED]
    assert len(skipped) == 1 and skipped[0].reason == "fever, doctor said pause" and skipped[0].spot is None


def test_a_time_that_cannot_be_read_stays_typed_with_its_message(store: Store) -> None:
    seed(store)
    app = build(store)
    before = len(store.all(m.Dose))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "enter", "enter")
        app.screen.query_one("#time", Input).value = "half past never"
        await pilot.press("enter")
        await pilot.pause()
        assert "not a time" in shown(app, "#time-error")
        assert app.screen.query_one("#time", Input).value == "half past never"

    drive(app, steps)
    assert len(store.all(m.Dose)) == before


def test_a_store_error_keeps_the_input_and_shows_the_message(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(store)
    app = build(store)

    def busy(*_args: object, **_kwargs: object) -> None:
        raise JournalBusyError("The journal is busy: another program kept it locked. Nothing was saved.")

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("c")
        await type_text(pilot, "4")
        monkeypatch.setattr(store, "add", busy)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CheckinScreen"
        assert "busy" in shown(app, "#checkin-error")
        assert app.screen.query_one("#pain", Input).value == "4"

    drive(app, steps)


# --- side effects -----------------------------------------------------------------------


def test_a_rash_says_call_your_doctor_now_and_stays_on_today_until_contacted(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        await type_text(pilot, "itchy rash")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallDoctorDialog"
        assert "CALL YOUR DOCTOR NOW" in screen_text(app)
        await pilot.press("enter", "escape")
        await pilot.pause()
        banner = app.screen.query_one("#danger-banner", Static)
        assert banner.has_class("-shown") and "CALL YOUR DOCTOR NOW" in str(banner.render())
        await pilot.press("s", "tab", "tab", "tab", "tab")
        app.screen.query_one("#open-effects", DataTable).focus()
        await pilot.press("c", "escape")
        await pilot.pause()
        assert not app.screen.query_one("#danger-banner", Static).has_class("-shown")

    drive(app, steps)
    (effect,) = store.all(m.SideEffect)
    assert effect.symptom == "itchy rash" and effect.tier is m.Tier.SERIOUS
    assert effect.doctor_contacted_at == NOW


def test_a_headache_is_common_and_opens_no_dialog(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        await type_text(pilot, "head")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "EffectsScreen"
        table = app.screen.query_one("#open-effects", DataTable)
        assert table.row_count == 1
        table.focus()
        await pilot.press("r")

    drive(app, steps)
    (effect,) = store.all(m.SideEffect)
    assert effect.symptom == "Headache" and effect.tier is m.Tier.COMMON and effect.resolved_at == NOW


def test_free_text_side_effect_is_kept_as_typed(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        app.screen.query_one("#symptom", Input).value = "itchy [b]ears[/]"
        await pilot.press("enter")

    drive(app, steps)
    (effect,) = store.all(m.SideEffect)
    assert effect.symptom == "itchy [b]ears[/]" and effect.tier is m.Tier.OTHER


# --- medicines, appointments, check-in --------------------------------------------------


def test_adding_enbrel_warns_about_the_interaction_inline(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(store)
    app = build(store)
    said: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_: said.append(message))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        app.screen.query_one("#med-name", Input).focus()
        await type_text(pilot, "Enbrel")
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app, "#med-error")
        assert "Added Enbrel" in text and "Tell your doctor" in text
        assert "Enbrel" in shown(app, "#med-warnings")

    drive(app, steps)
    assert store.find_medication("Enbrel") is not None
    # The warning is said in full under the form; the toast over the screen's top is one line.
    assert said == ["Medicine added: read the warning under the form."]


def test_a_blank_medicine_name_is_explained_beside_the_field(store: Store) -> None:
    seed(store)
    app = build(store)
    before = len(store.medications(include_stopped=True))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        app.screen.query_one("#med-strength", Input).value = "50 mg"
        app.screen.query_one("#med-strength", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "Name cannot be empty" in shown(app, "#med-name-error")
        assert app.screen.query_one("#med-strength", Input).value == "50 mg"

    drive(app, steps)
    assert len(store.medications(include_stopped=True)) == before


def test_stopping_a_medicine_asks_first_and_keeps_it(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        table = app.screen.query_one("#med-table", DataTable)
        table.focus()
        await pilot.press("down", "x")
        assert type(app.screen).__name__ == "ConfirmWithReason"
        await pilot.press("y")

    drive(app, steps)
    vitamin = store.find_medication("vitamin D", include_stopped=True)
    assert vitamin is not None and vitamin.stopped == NOW.date()


def test_a_box_received_is_added_to_the_supply(store: Store) -> None:
    med = seed(store)
    boxes = len(store.boxes(med.id))

    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        app.screen.query_one("#med-table", DataTable).focus()
        await pilot.press("b")
        assert type(app.screen).__name__ == "BoxDialog"
        await type_text(pilot, "L42")
        app.screen.query_one("#box-expires", Input).value = "2027-06-30"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "MedicinesScreen"

    drive(app, steps)
    assert len(store.boxes(med.id)) == boxes + 1
    newest = next(b for b in store.boxes(med.id) if b.lot == "L42")
    assert (newest.count, newest.lot, newest.expires.isoformat()) == (7, "L42", "2027-06-30")  # type: ignore[union-attr]


def test_d_opens_the_medicine_not_yet_taken_today(store: Store) -> None:
    seed(store)
    other = put(store, m.Medication, name="zz-insulin", tracked=True, usual_time="07:00")
    put(store, m.Dose, NOW, medication_id=store.find_medication("anakinra").id, at=NOW, tz="UTC")  # type: ignore[union-attr]
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        assert app.screen.query_one("#dose-medicine", Select).value == other.id
        await pilot.press("enter", "enter", "enter")

    drive(app, steps)
    assert store.last_dose(other.id) is not None


def test_a_vaccination_appointment_warns_to_talk_to_the_doctor_first(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("a")
        app.screen.query_one("#appt-kind", Select).value = "vaccination"
        app.screen.query_one("#appt-when", Input).focus()
        app.screen.query_one("#appt-when", Input).value = "2026-12-01 09:30"
        await pilot.press("enter")
        await pilot.pause()
        assert "without talking to your doctor first" in shown(app, "#appt-error")
        assert "without talking to your doctor first" in shown(app, "#appt-warnings")

    drive(app, steps)
    vaccinations = [a for a in store.all(m.Appointment) if a.kind is m.ApptKind.VACCINATION]
    assert len(vaccinations) == 1


def test_a_question_goes_to_the_next_visit(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("a")
        app.screen.query_one("#question-text", Input).focus()
        app.screen.query_one("#question-text", Input).value = "Is it safe to fly?"
        await pilot.press("enter")

    drive(app, steps)
    question = next(q for q in store.all(m.Question) if q.text == "Is it safe to fly?")
    (visit,) = [a for a in store.all(m.Appointment) if a.kind is m.ApptKind.DOCTOR]
    assert question.appointment_id == visit.id


def test_check_in_in_a_few_keys(store: Store) -> None:
    seed(store)
    app = build(store)
    before = len(store.all(m.Checkin))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("c", "3", "tab", "2", "tab", "4", "5", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"

    drive(app, steps)
    newest = store.between(m.Checkin, "at", newest_first=True, limit=1)[0]
    assert len(store.all(m.Checkin)) == before + 1
    assert (newest.pain, newest.swelling, newest.stiffness_minutes) == (3, 2, 45)


def test_the_first_check_in_shows_on_today_as_one_week(store: Store) -> None:
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("escape")  # past the first-run welcome
        await pilot.press("c", "3", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        shown = str(app.screen.query_one("#today-sections", Static).render())
        assert "1 week with check-ins, last week pain 3.0/10." in shown

    drive(app, steps)


def test_check_in_score_out_of_range_is_explained_and_kept(store: Store) -> None:
    seed(store)
    app = build(store)
    before = len(store.all(m.Checkin))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("c", "1", "1", "enter")
        await pilot.pause()
        assert "Pain" in shown(app, "#pain-error") and "10" in shown(app, "#pain-error")
        assert app.screen.query_one("#pain", Input).value == "11"

    drive(app, steps)
    assert len(store.all(m.Checkin)) == before


def test_user_text_with_markup_is_shown_literally(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("c", "5")
        app.screen.query_one("#checkin-note", Input).value = "[/] and [bold]hi[/]"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("h")
        table = app.screen.query_one("#timeline", DataTable)
        cells = [cell(table, row, 2) for row in range(table.row_count)]
        assert any("[/] and [bold]hi[/]" in cell for cell in cells)
        await pilot.press("f9")
        assert "Ann [bold]Example[/]" in screen_text(app)

    drive(app, steps)


# --- history ----------------------------------------------------------------------------


def test_history_pages_as_you_scroll_and_filters_by_kind(store: Store) -> None:
    seed(store, days=120)
    app = build(store)
    total = len(store.all(m.Dose)) + len(store.all(m.SyringeCheck))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        table = app.screen.query_one("#timeline", DataTable)
        assert table.row_count == 50
        await pilot.press(*["pagedown"] * 4)
        await pilot.pause()
        assert table.row_count == 100
        app.screen.query_one("#history-kind", Select).value = "doses"
        await pilot.pause()
        assert table.row_count == 50
        kinds = {cell(table, row, 1) for row in range(table.row_count)}
        assert kinds == {"dose"}
        table.focus()
        await pilot.press(*["pagedown"] * 12)
        await pilot.pause()
        assert table.row_count == len(store.all(m.Dose))

    drive(app, steps)
    assert total > 200


def test_history_filters_by_date(store: Store) -> None:
    seed(store, days=40)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        app.screen.query_one("#history-since", Input).value = "2026-11-18"
        app.screen.query_one("#history-until", Input).value = "2026-11-19"
        app.screen.query_one("#history-since", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#timeline", DataTable)
        days = {cell(table, row, 0)[:10] for row in range(table.row_count)}
        assert days == {"2026-11-18", "2026-11-19"}

    drive(app, steps)


def test_history_edit_keeps_a_history_of_the_entry(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        table = app.screen.query_one("#timeline", DataTable)
        row = next(r for r in range(table.row_count) if cell(table, r, 1) == "dose")
        table.move_cursor(row=row)
        await pilot.press("e")
        assert type(app.screen).__name__ == "EditRecordDialog"
        note = app.screen.query_one("#edit-note", Input)
        note.value = "moved to the evening"
        note.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"
        assert "moved to the evening" in cell(table, row, 2)
        await pilot.press("c")
        assert type(app.screen).__name__ == "ChangesDialog"
        text = screen_text(app)
        assert "update" in text and "moved to the evening" in text and "insert" in text

    drive(app, steps)
    assert any(d.note == "moved to the evening" for d in store.all(m.Dose))


def test_history_edit_with_a_bad_value_keeps_it_with_the_message(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        table = app.screen.query_one("#timeline", DataTable)
        row = next(r for r in range(table.row_count) if cell(table, r, 1) == "check-in")
        table.move_cursor(row=row)
        await pilot.press("e")
        pain = app.screen.query_one("#edit-pain", Input)
        pain.value = "12"
        pain.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "EditRecordDialog"
        assert "10" in shown(app, "#edit-pain-error")
        assert pain.value == "12"

    drive(app, steps)
    assert all((c.pain or 0) <= 10 for c in store.all(m.Checkin))


def _edit_from_history(app: MedJournalApp, what: str) -> Callable[[Pilot[None]], Awaitable[DataTable[object]]]:
    async def open_it(pilot: Pilot[None]) -> DataTable[object]:
        await pilot.press("h")
        table = app.screen.query_one("#timeline", DataTable)
        row = next(r for r in range(table.row_count) if cell(table, r, 1) == what)
        table.move_cursor(row=row)
        await pilot.press("e")
        assert type(app.screen).__name__ == "EditRecordDialog"
        return table

    return open_it


def test_history_edit_of_a_used_syringe_to_cloudy_is_refused_beside_the_select(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _edit_from_history(app, "syringe check")(pilot)
        look = app.screen.query_one("#edit-appearance", Select)
        assert [value for _label, value in look._options] == [a.value for a in m.Appearance]
        look.value = "cloudy"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "EditRecordDialog"
        assert "must not be injected" in shown(app, "#edit-appearance-error")
        assert app.screen.query_one("#edit-appearance", Select).value == "cloudy"  # what was chosen is kept
        outcome = app.screen.query_one("#edit-outcome", Select)
        look.value = "clear"
        outcome.value = "discarded"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "EditRecordDialog"
        assert "discarded, not injected" in shown(app, "#edit-outcome-error")

    drive(app, steps)
    checks = store.all(m.SyringeCheck)
    assert all(c.appearance is m.Appearance.CLEAR and c.outcome is m.CheckOutcome.USED for c in checks)


def test_history_edit_of_a_dose_places_the_spot_on_the_body_map(store: Store) -> None:
    seed(store)
    app = build(store)
    newest = max(store.all(m.Dose), key=lambda d: d.at)

    async def steps(pilot: Pilot[None]) -> None:
        await _edit_from_history(app, "dose")(pilot)
        body = app.screen.query_one("#edit-spot", BodyMap)
        assert body.selected == newest.spot
        assert not app.screen.query("#field-edit-region")  # the spot names its region
        body.focus()
        await pilot.press("down", "right")
        chosen = body.selected
        assert chosen is not None and chosen != newest.spot
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"

    drive(app, steps)
    moved = store.get(m.Dose, newest.id)
    assert moved is not None and moved.spot is not None and moved.spot != newest.spot
    assert moved.region == moved.spot.partition(":")[0]


def test_history_edit_with_a_bad_time_keeps_it_with_the_entry_screens_message(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _edit_from_history(app, "check-in")(pilot)
        when = app.screen.query_one("#edit-at", Input)
        when.value = "yesterday at teatime"
        when.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "EditRecordDialog"
        assert "teatime" in shown(app, "#edit-at-error")
        assert when.value == "yesterday at teatime"

    drive(app, steps)


def test_history_delete_asks_and_only_hides_the_entry(store: Store) -> None:
    seed(store)
    app = build(store)
    doses = len(store.all(m.Dose))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        table = app.screen.query_one("#timeline", DataTable)
        row = next(r for r in range(table.row_count) if cell(table, r, 1) == "dose")
        table.move_cursor(row=row)
        rows = table.row_count
        await pilot.press("x")
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("escape")
        assert table.row_count == rows
        await pilot.press("x", "y")
        await pilot.pause()
        assert table.row_count == rows - 1

    drive(app, steps)
    assert len(store.all(m.Dose)) == doses - 1
    assert len(store.all(m.Dose, include_deleted=True)) == doses


# --- everywhere -------------------------------------------------------------------------


def test_reference_panel_toggles_with_one_key_and_searches(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        # Made the first time it is opened.
        assert not app.screen.query("#reference")
        await pilot.press("f2")
        panel = app.screen.query_one("#reference", ReferencePanel)
        assert panel.shown
        await type_text(pilot, "latex")
        await pilot.pause()
        topics = app.screen.query_one("#reference-topics")
        titles = [str(topics.get_option_at_index(i).prompt) for i in range(topics.option_count)]  # type: ignore[attr-defined]
        assert titles and "Warnings and precautions" in titles and "How to inject" not in titles
        await pilot.press("f2")
        assert not panel.shown

    drive(app, steps)


def test_reference_panel_opens_from_the_palette_and_escape_closes_it(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await type_text(pilot, "Reference panel")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#reference", ReferencePanel).shown
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        assert not app.screen.query_one("#reference", ReferencePanel).shown

    drive(app, steps, size=(120, 40))


def test_emergency_list_is_one_key_from_anywhere_even_while_typing(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "enter", "enter")
        assert isinstance(app.focused, Input)
        await pilot.press("f9")
        assert type(app.screen).__name__ == "EmergencyScreen"
        text = screen_text(app)
        assert "penicillin (hives)" in text and "Bob Example, 555 0100" in text and "anakinra" in text
        await pilot.press("escape")
        assert type(app.screen).__name__ == "DoseScreen"
        await pilot.press("escape", "escape", "escape", "e")
        assert type(app.screen).__name__ == "EmergencyScreen"

    drive(app, steps)


def test_help_lists_the_screen_keys_and_the_app_keys(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "f1")
        text = screen_text(app)
        for expected in ("Injection steps", "Skip dose", "Emergency", "Reference", "Command palette"):
            assert expected in text
        # Keys written as the footer and the keyboard write them.
        for key in ("F4", "F9", "F1", "F2"):
            assert re.search(rf"(^|\s){re.escape(key)}\s", text), key
        assert not re.search(r"(^|\s)f\d", text)

    drive(app, steps)


def test_every_screen_is_a_command_in_the_palette(store: Store) -> None:
    from journal.tui.commands import binding_actions, journal_actions

    seed(store)
    app = build(store)

    def titles() -> set[str]:
        return {a.title for a in [*journal_actions(app), *binding_actions(app, app.screen)]}

    async def steps(pilot: Pilot[None]) -> None:
        for expected in ("Log a dose", "Side effects", "Medicines", "History", "Emergency list", "Help", "Refresh"):
            assert expected in titles()
        await pilot.press("d")
        assert {"Injection steps", "Skip dose", "Someone else injects"} <= titles()
        command = next(a for a in binding_actions(app, app.screen) if a.title == "Skip dose")
        command.run(app)
        await pilot.pause()
        assert app.screen.query_one("#dose-steps").current == "step-skip"  # type: ignore[attr-defined]

    drive(app, steps)


def test_screens_added_to_the_registry_open_from_today_with_what_they_need(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("x")
        assert type(app.screen).__name__ == "ExportScreen"
        assert app.screen.now == NOW  # type: ignore[attr-defined]
        assert app.screen.store is store  # type: ignore[attr-defined]

    drive(app, steps)


def test_light_and_dark_themes(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        dark = app.theme
        await pilot.press("f3")
        assert app.theme != dark and "light" in app.theme
        await pilot.press("f3")
        assert app.theme == DARK_THEME

    drive(app, steps)


def test_writes_from_the_command_line_appear_on_refresh(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    with Store.open(path) as first:
        seed(first)
    store = Store.open(path)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        assert "Due at" in screen_text(app) or "OVERDUE" in screen_text(app)
        with Store.open(path) as other:
            med = other.tracked_medications()[0]
            put(other, m.Dose, NOW, medication_id=med.id, at=NOW, tz="UTC", region="thigh-left")
        await pilot.press("r")
        await pilot.pause()
        assert "Taken at 10:00" in screen_text(app)

    try:
        drive(app, steps)
    finally:
        store.close()


def test_a_busy_journal_while_reading_today_is_said_and_does_not_crash(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store)
    app = build(store)

    def busy(*_args: object, **_kwargs: object) -> None:
        raise JournalBusyError("The journal is busy: another program kept it locked.")

    said: list[str] = []

    async def steps(pilot: Pilot[None]) -> None:
        import journal.application.today

        monkeypatch.setattr(journal.application.today, "build_today", busy)
        monkeypatch.setattr(app, "notify", lambda message, **_: said.append(message))
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        assert any("busy" in message for message in said)

    drive(app, steps)


def test_a_journal_that_cannot_be_opened_gets_an_error_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from journal.tui import app as tui_app

    bad = tmp_path / "notes.db"
    bad.write_text("not a journal")
    shown_apps: list[tui_app.OpenErrorApp] = []
    monkeypatch.setattr(tui_app.OpenErrorApp, "run", lambda self, **_: shown_apps.append(self))
    with pytest.raises(SystemExit) as exit_info:
        tui_app.run(bad)
    assert exit_info.value.code == 1
    (error_app,) = shown_apps
    assert "not a medjournal journal" in error_app.message
    assert bad.read_text() == "not a journal"

    async def steps(pilot: Pilot[None]) -> None:
        assert "cannot be opened" in "\n".join(str(w.render()) for w in error_app.screen.query(Static))
        await pilot.press("q")

    error_app = tui_app.make_error_app(error_app.message, bad)

    async def go() -> None:
        async with error_app.run_test() as pilot:
            await pilot.pause()
            await steps(pilot)

    asyncio.run(go())
