"""The reference panel's guide text: the packs' Markdown drawn as CommonMark reads it, and readable by keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from markdown_it import MarkdownIt
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from journal.content import available_packs, load_pack
from journal.store import Store
from journal.tui.app import MedJournalApp
from journal.tui.widgets.guide import BULLET, blocks, render
from tests.tui.conftest import build, seed
from tests.tui.test_flows import drive
from tests.tui.test_small_terminal import screen_lines

SECTIONS = [(key, section.topic) for key in available_packs() for section in load_pack(key).sections]


def _commonmark(markdown: str) -> Iterator[tuple[str, int, str, str]]:
    """The blocks of `markdown` as a CommonMark parser finds them, in the form `blocks` gives."""
    kinds: list[str] = []
    depth, marker = -1, ""
    numbers: list[int] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            numbers.append(int(token.attrs.get("start", 1) or 1) if token.type == "ordered_list_open" else 0)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            numbers.pop()
        if token.type == "list_item_open":
            marker = f"{token.info}{token.markup}" if numbers[-1] else BULLET
        if token.type.endswith("_open"):
            kinds.append(token.tag)
        elif token.type.endswith("_close"):
            kinds.pop()
        elif token.type == "hr":
            yield "rule", 0, "", ""
        elif token.type == "inline":
            text = "".join(
                {"softbreak": " ", "hardbreak": " "}.get(child.type, child.content) for child in token.children or []
            )
            if kinds[-1].startswith("h"):
                yield f"heading{kinds[-1][1:]}", 0, "", text
            elif depth >= 0:
                yield "item", depth, marker, text
                marker = ""
            else:
                yield "para", 0, "", text
        assert token.type not in ("html_block", "fence", "code_block", "table_open"), token.type
        for child in token.children or []:
            # Emphasis other than bold, links, code and HTML would be shown as written: no pack uses them.
            assert child.type in ("text", "softbreak", "hardbreak", "strong_open", "strong_close"), child.type


@pytest.mark.parametrize(("key", "topic"), SECTIONS)
def test_every_pack_section_reads_as_commonmark_reads_it(key: str, topic: str) -> None:
    markdown = load_pack(key).section_text(topic)
    ours = [(block.kind, block.depth, block.marker, block.text.plain) for block in blocks(markdown)]
    assert ours == list(_commonmark(markdown))


def _drawn(markdown: str, width: int = 40) -> list[str]:
    return _printed(render(markdown), width)


def _printed(renderable: object, width: int = 40) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return [line.rstrip() for line in capture.get().splitlines()]


def _panel_text(app: MedJournalApp) -> str:
    """The whole of the topic the reference panel shows, scrolled or not, as plain text."""
    return " ".join(" ".join(_printed(app.screen.query_one("#reference-text", Static).content, 200)).split())


def test_lists_wrap_under_their_first_word_and_nest_by_indent() -> None:
    markdown = (
        "Take:\n\n- one\n- a long item that wraps onto a second line\n  - inner\n\n1. **First.** Do it\n2. Then\n"
    )
    lines = _drawn(markdown)
    assert lines == [
        "Take:",
        "",
        " • one",
        " • a long item that wraps onto a second",
        "   line",
        "   • inner",
        "",
        " 1. First. Do it",
        " 2. Then",
    ]


def test_guide_text_is_never_read_as_markup() -> None:
    text = "# [bold]Title[/bold]\n\nA [link](x) and <b>tag</b>, *one* star and ** an odd pair:\n"
    shown = " ".join(_drawn(text, width=100))
    assert "[bold]Title[/bold]" in shown
    assert "[link](x) and <b>tag</b>, *one* star and ** an odd pair:" in shown


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
