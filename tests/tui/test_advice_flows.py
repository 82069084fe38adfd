"""Triage of what a patient types, and each fact of the guide at its moment, driven with Pilot."""

from __future__ import annotations

from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from journal import models as m
from journal.content import load_pack
from journal.store import Store
from journal.tui.app import MedJournalApp
from tests.tui.conftest import NOW, build, put, seed
from tests.tui.test_flows import drive, screen_text, shown, type_text

PACK = load_pack("anakinra")


def notes_of(app: MedJournalApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Collect what the app says in notifications."""
    said: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_: said.append(str(message)))
    return said


# --- side effects as typed ----------------------------------------------------------------


def test_allergic_reaction_signs_ask_for_emergency_help_and_the_banner_says_so(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        await type_text(pilot, "my lips are swelling up")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallDoctorDialog"
        assert "GET EMERGENCY HELP NOW" in screen_text(app)
        assert "stop using anakinra and get emergency medical help" in screen_text(app)
        await pilot.press("enter", "escape")
        await pilot.pause()
        banner = app.screen.query_one("#danger-banner", Static)
        assert banner.has_class("-shown") and "GET EMERGENCY HELP NOW" in str(banner.render())

    drive(app, steps)
    (effect,) = store.all(m.SideEffect)
    assert (effect.symptom, effect.symptom_key, effect.tier) == (
        "my lips are swelling up",
        "allergic-reaction",
        m.Tier.SERIOUS,
    )


def test_a_hot_red_swollen_injection_site_calls_the_doctor_and_is_noted_at_the_last_site(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        await type_text(pilot, "injection site is hot, red and swollen")
        await pilot.pause()
        # The first match is how the journal reads the words, not the common site reaction.
        first = str(app.screen.query_one("#symptom-matches").get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        assert first.startswith("Hot, red, swollen area on the skin (as typed)")
        await pilot.press("enter")
        await pilot.pause()
        assert "CALL YOUR DOCTOR NOW" in screen_text(app)

    drive(app, steps)
    (effect,) = store.all(m.SideEffect)
    assert effect.tier is m.Tier.SERIOUS and effect.symptom == "injection site is hot, red and swollen"
    assert effect.region is not None  # noted where the last injection went, so no spot is suggested there


def test_words_that_say_it_does_not_go_away_ask_to_tell_the_doctor(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store)
    app = build(store)
    said = notes_of(app, monkeypatch)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        await type_text(pilot, "headache that won't go away")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "EffectsScreen"
        # The advice stays under the form; the toast over the screen's top is one short line.
        assert "Headache: tell your doctor." in shown(app, "#effect-error")
        await pilot.press("escape")
        await pilot.pause()
        assert "headache that won't go away: tell your doctor" in shown(app, "#today-sections")

    drive(app, steps)
    assert said == ["Side effect recorded: the advice is under the form."]
    (effect,) = store.all(m.SideEffect)
    assert effect.symptom == "headache that won't go away" and effect.tier is m.Tier.COMMON


def test_an_unlisted_symptom_stays_an_alert_on_today_until_resolved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store)
    app = build(store)
    said = notes_of(app, monkeypatch)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        await type_text(pilot, "purple toes")
        await pilot.press("enter")
        await pilot.pause()
        advice = shown(app, "#effect-error")
        assert "stays as an alert on Today" in advice and "unusual problem" in advice
        await pilot.press("escape")
        await pilot.pause()
        assert "purple toes: not a side effect the guide lists" in shown(app, "#today-sections")
        await pilot.press("s")
        app.screen.query_one("#open-effects", DataTable).focus()
        await pilot.press("r", "escape")
        await pilot.pause()
        assert "purple toes" not in shown(app, "#today-sections")

    drive(app, steps)
    assert said == ["Side effect recorded: the advice is under the form.", "purple toes: marked resolved."]


# --- the dose flow --------------------------------------------------------------------------


def test_the_first_dose_shows_first_use_then_the_site_step_says_where_not_to_inject_then_disposal(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(
        store,
        m.Medication,
        name="anakinra",
        pack="anakinra",
        tracked=True,
        usual_time="08:00",
        started=date(2026, 11, 1),
    )
    app = build(store)
    said = notes_of(app, monkeypatch)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("escape")  # the welcome
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert PACK.supply.first_use in shown(app, "#first-use")
        await pilot.press("enter")
        await pilot.pause()
        avoid = shown(app, "#site-avoid")
        assert "vein you can see" in avoid and "navel" in avoid and "bruised, tender, red or hard" in avoid
        await pilot.press("enter")
        await pilot.pause()
        assert PACK.supply.disposal in shown(app, "#disposal")  # before Save, on the confirm step
        await pilot.press("enter")
        await pilot.pause()

    drive(app, steps)
    assert len(store.all(m.Dose)) == 1
    # The toast after Save says what was recorded in one line: it sits over Today's first card.
    (note,) = said
    assert note.startswith("Recorded anakinra at ") and len(note) < 72 and PACK.supply.disposal not in note


def test_a_later_dose_does_not_repeat_the_first_use_advice(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        await pilot.pause()
        assert not app.screen.query("#first-use")

    drive(app, steps)


def test_a_discarded_syringe_says_how_to_dispose_of_it(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "down", "down", "enter", "y")
        await pilot.pause()
        assert "puncture-resistant container" in shown(app, "#check-advice")

    drive(app, steps)


# --- set-up, Today, medicines and appointments ---------------------------------------------


def test_welcome_shows_the_disclaimer_the_source_and_first_use(store: Store) -> None:
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        assert type(app.screen).__name__ == "WelcomeScreen"
        source = shown(app, "#welcome-source")
        assert "does not replace, your doctor's advice" in source and "MedlinePlus" in source
        assert PACK.supply.first_use in shown(app, "#welcome-first-use")
        app.screen.query_one("#welcome-pack", Select).value = "none"
        await pilot.pause()
        assert shown(app, "#welcome-first-use") == ""

    drive(app, steps)


def test_today_ends_with_the_disclaimer_and_the_source(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        text = shown(app, "#today-sections")
        assert "This journal supports, and does not replace, your doctor's advice." in text
        assert "Source: MedlinePlus, U.S. National Library of Medicine" in text
        # The doctor's visit coming up reminds to bring the medicine list.
        assert "three-month review (bring your medicine list)" in text

    drive(app, steps)


def test_adding_any_allergy_says_to_tell_the_doctor_and_pharmacist(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        app.screen.query_one("#med-tabs").active = "tab-allergies"  # type: ignore[attr-defined]
        await pilot.pause()
        app.screen.query_one("#allergy-substance", Input).focus()
        await type_text(pilot, "sulfa")
        await pilot.press("enter")
        await pilot.pause()
        assert PACK.precautions.allergies_advice in shown(app, "#allergy-warnings")

    drive(app, steps)


def test_an_infection_condition_names_the_signs_to_call_about(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        app.screen.query_one("#med-tabs").active = "tab-conditions"  # type: ignore[attr-defined]
        await pilot.pause()
        app.screen.query_one("#condition-name", Input).focus()
        await type_text(pilot, "chest infection")
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app, "#condition-warnings")
        assert "Call your doctor immediately if you get fever, sore throat, chills or other signs of infection" in text

    drive(app, steps)


def test_a_lab_appointment_reminds_to_keep_it_and_bring_the_medicine_list(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store)
    app = build(store)
    said = notes_of(app, monkeypatch)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("a")
        app.screen.query_one("#appt-kind", Select).value = "lab"
        app.screen.query_one("#appt-when", Input).focus()
        app.screen.query_one("#appt-when", Input).value = "2026-11-25 09:30"
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app, "#appt-error")
        assert PACK.appointments.lab in text and PACK.appointments.bring_list in text
        assert "Next visit" in shown(app, "#appt-warnings")

    drive(app, steps)
    assert any(a.kind is m.ApptKind.LAB and a.at > NOW for a in store.all(m.Appointment))
    assert said == ["Appointment added."]  # one line: the advice is under the form
