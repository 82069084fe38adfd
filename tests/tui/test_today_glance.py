"""Today at a glance (issue 17, item 5): what to do now first, standing warnings one line each once
seen, and colours that mean something, with words that say the same."""

from __future__ import annotations

from datetime import date

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Static

from journal import models as m
from journal.store import Store
from journal.tui.app import MedJournalApp
from journal.tui.themes import DARK_THEME, LIGHT_THEME
from tests.tui.conftest import ZONE, at, build, put, seed
from tests.tui.test_flows import drive

WARNING_ADVICE = "Your doctor should know that you have asthma."


def standing(store: Store) -> m.Medication:
    """The seeded journal (anakinra overdue, one syringe left: reorder now) with two standing warnings."""
    med = seed(store)
    put(store, m.Condition, name="asthma", since=date(2010, 1, 1))
    put(store, m.Medication, name="Methotrexate", generic="methotrexate", kind=m.MedKind.PRESCRIPTION)
    return med


def rows(app: MedJournalApp) -> list[list[Segment]]:
    """The screen as drawn: a list of segments (text and style) per row."""
    return [list(strip) for strip in app.screen._compositor.render_strips()]


def row_text(row: list[Segment]) -> str:
    """The plain text of one drawn row."""
    return "".join(segment.text for segment in row)


def colour_of(app: MedJournalApp, words: str) -> Color:
    """The colour the first drawn segment holding `words` is drawn in."""
    for row in rows(app):
        for segment in row:
            if words in segment.text and segment.style is not None and segment.style.color is not None:
                return Color.from_rich_color(segment.style.color)
    raise AssertionError(f"{words!r} is not on the screen")


def theme_colour(app: MedJournalApp, name: str) -> Color:
    """A theme variable's colour."""
    return Color.parse(app.get_css_variables()[name])


def sections(app: MedJournalApp) -> str:
    """The text of Today's sections widget."""
    return str(app.screen.query_one("#today-sections", Static).render())


@pytest.mark.parametrize("theme", [DARK_THEME, LIGHT_THEME])
def test_reorder_now_is_red_and_taken_green_in_both_themes(store: Store, theme: str) -> None:
    med = seed(store)
    # Today's dose taken: the card is done (green), but only one syringe is left (reorder now, red).
    put(store, m.Dose, at(0, 8, 5), medication_id=med.id, at=at(0, 8, 5), tz=ZONE, region="thigh-left")
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        app.theme = theme
        await pilot.pause()
        taken, reorder = colour_of(app, "Taken at"), colour_of(app, "REORDER NOW")
        assert taken != reorder
        assert reorder == theme_colour(app, "text-error")
        assert taken == theme_colour(app, "text-success")
        # The words say it too, for people who do not see colour.
        card = str(app.screen.query_one(".medicine-card", Static).render())
        assert "✓ Taken at 08:05" in card and "⚠ REORDER NOW" in card
        assert app.screen.query_one(".medicine-card").has_class("-now")

    drive(app, steps)


def test_an_overdue_dose_is_red_and_marked_a_later_one_amber(store: Store) -> None:
    seed(store)
    later = put(store, m.Medication, name="folic acid", form=m.MedForm.TABLET, tracked=True, usual_time="18:00")
    assert later is not None
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert colour_of(app, "OVERDUE") == theme_colour(app, "text-error")
        assert colour_of(app, "Due at 18:00") == theme_colour(app, "text-warning")
        cards = list(app.screen.query(".medicine-card"))
        assert [c.name for c in cards] == ["anakinra", "folic acid"]
        assert cards[0].has_class("-now") and cards[1].has_class("-soon")
        text = [str(c.render()) for c in cards]
        assert "⚠ OVERDUE" in text[0] and "! Due at 18:00" in text[1]

    drive(app, steps)


def test_what_to_do_now_comes_before_what_is_coming_up_and_the_warnings(store: Store) -> None:
    standing(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        text = sections(app)
        assert text.index("Needs attention") < text.index("Coming up") < text.index("Standing warnings")
        assert "⚠ 1 syringe of anakinra left" in text

    drive(app, steps, size=(120, 40))


def test_standing_warnings_fold_to_one_line_each_once_seen_and_i_shows_them_in_full(store: Store) -> None:
    standing(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert WARNING_ADVICE in sections(app)  # the first time this session: in full
        await pilot.press("c")  # another screen, and back: they were seen
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        folded = sections(app)
        assert WARNING_ADVICE not in folded
        assert "· asthma matters for anakinra\n" in folded + "\n"
        assert "Standing warnings (2) - i: in full" in folded
        await pilot.press("i")
        await pilot.pause()
        assert WARNING_ADVICE in sections(app)
        await pilot.press("i")
        await pilot.pause()
        assert WARNING_ADVICE not in sections(app)

    drive(app, steps)


def test_at_80x24_every_medicine_shows_its_state_above_the_folded_warnings(store: Store) -> None:
    standing(store)
    for name, hour in (("folic acid", 18), ("vitamin B12", 20)):
        put(store, m.Medication, name=name, form=m.MedForm.TABLET, tracked=True, usual_time=f"{hour}:00")
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("c", "escape")
        await pilot.pause()
        drawn = [row_text(r) for r in rows(app)]
        screen = "\n".join(drawn)
        for state in ("OVERDUE by 2h", "Due at 18:00", "Due at 20:00", "REORDER NOW"):
            assert state in screen, f"{state!r} is not on the 80x24 screen:\n{screen}"
        warnings = [row for row in drawn if row.lstrip().startswith("· ")]
        # Each warning on one row, none continued on the next.
        for row in warnings:
            following = drawn[drawn.index(row) + 1].strip()
            assert following.startswith(("·", "How you feel")) or not following
        assert len(warnings) == 2, screen
        assert any("asthma matters for anakinra" in row for row in warnings)
        assert any(row.rstrip().endswith("…") and "Methotrexate" in row for row in warnings)

    drive(app, steps, size=(80, 24))


def test_after_a_dose_the_card_turns_from_act_now_to_done(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        card = app.screen.query_one(".medicine-card", Static)
        assert card.has_class("-now") and "OVERDUE" in str(card.render())
        await pilot.press("d", "enter", "enter", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        card = app.screen.query_one(".medicine-card", Static)
        assert "✓ Taken at 10:00" in str(card.render()) and "OVERDUE" not in str(card.render())
        # The supply is still low: the card stays red for the reorder, its status line is green.
        assert colour_of(app, "Taken at") == theme_colour(app, "text-success")
        assert card.has_class("-now") and not card.has_class("-soon")

    drive(app, steps)


def test_an_alert_that_asks_for_a_box_speaks_of_keys_on_today(store: Store) -> None:
    med = put(store, m.Medication, name="anakinra", pack="anakinra", tracked=True, usual_time="08:00")
    put(store, m.SupplyBox, medication_id=med.id, count=1, received=at(5).date())
    for days_ago in (3, 2, 1):
        put(store, m.Dose, medication_id=med.id, at=at(days_ago), tz=ZONE)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        text = " ".join(sections(app).split())
        assert "used that no recorded box" in text
        assert "record the missing box. In Medicines (m), choose the medicine and press b." in text
        assert "supply add" not in text

    drive(app, steps, size=(120, 40))


def test_today_left_open_follows_the_clock_and_the_dose_turns_overdue(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.tui.app import make_app
    from journal.tui.screens import today as today_screen
    from tests.tui.test_flows import screen_text

    monkeypatch.setattr(today_screen, "CLOCK_SECONDS", 0.2)
    seed(store)  # anakinra daily at 08:00, taken every day until yesterday
    app = make_app(store, now=at(0, 7, 50), zone=ZONE, blink=False)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert "Due at 08:00" in screen_text(app) and "OVERDUE" not in screen_text(app)
        app.journal.fixed_now = at(0, 8, 10)  # no key pressed, nothing written
        for _ in range(30):
            await pilot.pause(0.1)
            if "OVERDUE" in screen_text(app):
                break
        assert "OVERDUE by 10 min" in screen_text(app)

    drive(app, steps, size=(120, 40))
