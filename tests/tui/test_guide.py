"""The reference panel's guide text: the packs' Markdown drawn by Rich, and readable by keys."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.markdown import Markdown
from textual.pilot import Pilot
from textual.widgets import Static

from journal.store import Store
from journal.tui.app import MedJournalApp
from tests.tui.conftest import build, seed
from tests.tui.test_flows import drive
from tests.tui.test_small_terminal import screen_lines


def _drawn(markdown: str, width: int = 40) -> list[str]:
    return _printed(Markdown(markdown), width)


def _printed(renderable: object, width: int = 40) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return [line.rstrip() for line in capture.get().splitlines()]


def _panel_text(app: MedJournalApp) -> str:
    """The whole of the topic the reference panel shows, scrolled or not, as plain text."""
    return " ".join(" ".join(_printed(app.screen.query_one("#reference-text", Static).content, 200)).split())


def test_guide_text_is_never_read_as_markup() -> None:
    text = "# [bold]Title[/bold]\n\nA [red]warning[/red] and [link]:\n"
    shown = " ".join(_drawn(text, width=100))
    assert "[bold]Title[/bold]" in shown
    assert "A [red]warning[/red] and [link]:" in shown


def test_the_first_f2_draws_the_first_topic_and_a_long_topic_scrolls_by_keys(store: Store) -> None:
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("f2")
        await pilot.pause()
        assert "What anakinra is for" in "\n".join(screen_lines(app))
        await pilot.press("tab", "down", "down", "down")  # from the search box to the topics, to "How to inject"
        await pilot.pause()
        assert "How to inject anakinra" in "\n".join(screen_lines(app))
        assert "does not replace" not in "\n".join(screen_lines(app))
        await pilot.press("tab", "end")  # the topic's text, then its end: the source and disclaimer
        await pilot.pause()
        assert "does not replace" in "\n".join(screen_lines(app))
        # The section names its source itself: the panel does not say it a second time.
        assert _panel_text(app).count("Source:") == 1

    drive(app, steps, size=(80, 24))


def test_a_section_that_does_not_name_the_source_is_followed_by_the_packs(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.content import Pack

    monkeypatch.setattr(Pack, "section_text", lambda pack, topic: f"# {topic}\n\nA section of its own.\n")
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("f2")
        await pilot.pause()
        text = _panel_text(app)
        assert "A section of its own." in text and text.count("Source: MedlinePlus") == 1
        assert "does not replace" in text

    drive(app, steps, size=(120, 40))


def test_a_section_that_cannot_be_read_says_so_and_the_others_still_show(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.content import Pack, PackError

    read = Pack.section_text

    def section_text(pack: Pack, topic: str) -> str:
        if topic == "uses":
            raise PackError("content/anakinra/[bold]uses.md[/bold]: cannot read section 'uses'")
        return read(pack, topic)

    monkeypatch.setattr(Pack, "section_text", section_text)
    seed(store)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("f2")
        await pilot.pause()
        assert "content/anakinra/[bold]uses.md[/bold]:" in "\n".join(screen_lines(app))
        await pilot.press("tab", "down")
        await pilot.pause()
        assert "three groups" in "\n".join(screen_lines(app))

    drive(app, steps, size=(120, 40))
