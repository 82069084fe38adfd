"""The smaller cases of issue 17: set-up run again, the condition form, side-effect keys, help, TUI words."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, TabbedContent

from journal import models as m
from journal.store import Store
from journal.tui.app import MedJournalApp
from journal.tui.widgets.footer import JournalFooter
from tests.tui.conftest import NOW, at, build, put, seed
from tests.tui.test_flows import drive, screen_text, shown, type_text


def _name(app: MedJournalApp) -> str:
    return type(app.screen).__name__


def _footer(app: MedJournalApp) -> list[str]:
    return [k.description for k in app.screen.query_one(JournalFooter).keys]


# --- the welcome --------------------------------------------------------------------------


def test_the_first_set_up_records_no_box_unless_asked(store: Store) -> None:
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        assert _name(app) == "WelcomeScreen"
        assert app.screen.query_one("#welcome-box", Checkbox).value is False
        await type_text(pilot, "Ann")
        await pilot.press("enter")
        await pilot.pause()
        assert _name(app) == "TodayScreen"

    drive(app, steps)
    (med,) = store.tracked_medications()
    assert store.boxes(med.id) == []


def test_typing_a_lot_at_set_up_ticks_the_box_and_records_it(store: Store) -> None:
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        app.screen.query_one("#welcome-lot", Input).focus()
        await type_text(pilot, "K123")
        assert app.screen.query_one("#welcome-box", Checkbox).value is True
        await pilot.press("enter")
        await pilot.pause()

    drive(app, steps)
    (med,) = store.tracked_medications()
    (box,) = store.boxes(med.id)
    assert box.lot == "K123" and box.count == 7


def test_set_up_run_again_says_what_exists_and_adds_no_box(store: Store) -> None:
    med = seed(store)
    store.update(med, now=NOW, usual_time="07:30")
    boxes = len(store.boxes(med.id))
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("w")
        assert _name(app) == "WelcomeScreen"
        said = shown(app, "#welcome-existing")
        assert "Already in your journal" in said and "anakinra is set up, usually at 07:30" in said
        assert f"{boxes} boxes recorded" in said
        assert app.screen.query_one("#welcome-time", Input).value == "07:30"
        await pilot.press("enter")
        await pilot.pause()
        assert _name(app) == "TodayScreen"

    drive(app, steps)
    assert len(store.boxes(med.id)) == boxes
    (tracked,) = store.tracked_medications()
    assert tracked.usual_time == "07:30"


def test_after_adding_a_condition_the_focus_is_back_on_its_name(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m")
        app.screen.query_one("#med-tabs", TabbedContent).active = "tab-conditions"
        await pilot.pause()
        app.screen.query_one("#condition-name", Input).focus()
        await type_text(pilot, "asthma")
        await pilot.press("tab")
        await type_text(pilot, "2020-01-01")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#condition-name", Input)
        # So the next one goes where it belongs.
        await type_text(pilot, "gout")
        await pilot.press("enter")
        await pilot.pause()

    drive(app, steps)
    assert sorted(c.name for c in store.all(m.Condition)) == ["asthma", "gout"]


# --- side effects -------------------------------------------------------------------------


def _effect(store: Store, symptom: str, hours_ago: int) -> m.SideEffect:
    when = at(0, 9 - hours_ago, 0)
    record: m.SideEffect = put(store, m.SideEffect, when, symptom=symptom, tier=m.Tier.OTHER, started_at=when, tz="UTC")
    return record


def test_resolve_and_contacted_are_in_the_footer_at_once_and_work_from_the_form(store: Store) -> None:
    seed(store)
    effect = _effect(store, "tingling", 1)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        assert isinstance(app.focused, Input)
        assert {"Resolved", "Doctor contacted"} <= set(_footer(app))
        await pilot.press("ctrl+r")
        await pilot.pause()

    drive(app, steps)
    resolved = store.get(m.SideEffect, effect.id)
    assert resolved is not None and resolved.resolved_at == NOW


def test_with_several_open_the_key_first_asks_which_one(store: Store) -> None:
    seed(store)
    _effect(store, "tingling", 1)
    _effect(store, "itchy ear", 2)
    app = build(store)
    before = len(store.history(limit=100_000))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("s", "ctrl+t")
        await pilot.pause()
        # Nothing chosen yet: the list gets the focus, and nothing is written.
        assert app.focused is app.screen.query_one("#open-effects", DataTable)
        assert len(store.history(limit=100_000)) == before
        await pilot.press("down", "ctrl+t")
        await pilot.pause()

    drive(app, steps)
    contacted = [e.symptom for e in store.all(m.SideEffect) if e.doctor_contacted_at is not None]
    assert len(contacted) == 1


# --- help and tabs ------------------------------------------------------------------------


def test_help_says_how_to_switch_tabs_and_f6_switches_them(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("m", "f1")
        text = screen_text(app)
        assert "next tab" in text and "Medicines, Allergies, Conditions, Profile" in text
        await pilot.press("escape", "f6")
        await pilot.pause()
        assert app.screen.query_one("#med-tabs", TabbedContent).active == "tab-allergies"
        assert app.focused is app.screen.query_one("#allergy-substance", Input)
        await pilot.press("shift+f6")
        await pilot.pause()
        assert app.screen.query_one("#med-tabs", TabbedContent).active == "tab-meds"

    drive(app, steps)


def test_help_lists_the_keys_of_a_list_that_does_not_have_the_focus(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("a")
        assert isinstance(app.focused, Input)
        await pilot.press("f1")
        text = screen_text(app)
        for key in ("Done", "Cancel it", "To next visit", "Edit/answer"):
            assert key in text
        await pilot.press("escape", "escape", "s", "f1")
        assert "Resolved" in screen_text(app) and "Doctor contacted" in screen_text(app)

    drive(app, steps)


def test_tabs_keys_are_not_on_screens_without_tabs(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        assert "Next tab" not in _footer(app)
        await pilot.press("c")
        assert "Next tab" not in _footer(app)
        await pilot.press("escape", "a")
        assert "Next tab" in _footer(app)

    drive(app, steps)


# --- the TUI's words ----------------------------------------------------------------------


def test_a_refused_site_speaks_of_the_given_by_box_not_of_a_flag(store: Store) -> None:
    seed(store)
    app = build(store)
    doses = len(store.all(m.Dose))

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("d", "enter", "o")
        await pilot.click("#region-arm-left", offset=(4, 1))
        await pilot.click("#region-arm-left", offset=(4, 1))
        await pilot.pause()
        # At the last step, "Given by someone else" is unticked again: an arm is not for self-injection.
        box = app.screen.query_one("#given-by-other", Checkbox)
        assert box.value is True
        box.value = False
        app.screen.query_one("#time", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        said = shown(app, "#confirm-error")
        assert "only for when someone else gives the injection" in said
        assert "Given by someone else" in said and "--by" not in said

    drive(app, steps, size=(120, 40))
    assert len(store.all(m.Dose)) == doses
