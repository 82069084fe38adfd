"""The reference panel: the content pack's Markdown beside any screen, with search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from journal.content import Pack, PackError

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.widgets import Input, OptionList, Static
    from textual.widgets.option_list import Option

    from journal.content import Section


class ReferencePanel(Vertical):
    """Pack sections: a search box, the list of topics that match, and the chosen topic."""

    DEFAULT_CSS = """
    /* padding-bottom: the footer (one line, docked bottom too) covers the panel's last line. */
    ReferencePanel {
        display: none; dock: right; width: 45%; min-width: 34; max-width: 72; border-left: thick $primary;
        padding-bottom: 1;
    }
    ReferencePanel > .panel-title { text-style: bold; padding: 0 1; background: $primary-muted; }
    ReferencePanel > OptionList { height: auto; max-height: 6; border: none; }
    ReferencePanel > VerticalScroll { height: 1fr; }
    ReferencePanel #reference-text { padding: 1 1 0 1; }
    """

    def __init__(self, pack: Pack | None = None, **kwargs: object) -> None:
        super().__init__(id="reference", **kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self._built = False
        self._texts: dict[str, str] = {}
        # Sections that could not be read: what went wrong, shown in place of the text.
        self._errors: dict[str, str] = {}
        self._topic: str | None = None
        # What had the focus when the panel opened: it gets it back when the panel closes.
        self._return_to: Widget | None = None

    def compose(self) -> ComposeResult:
        """Nothing until first shown: the panel costs nothing on screens where it stays closed."""
        yield from ()

    @property
    def shown(self) -> bool:
        """Whether the panel is open.

        Shown and hidden by its own `display`, not by a class: a class (or `disabled`) restyles every
        widget of the guide inside it, which cost F2 more than its budget (docs/performance.md).
        """
        return bool(self.display)

    def toggle(self, pack: Pack | None) -> None:
        """Open (building it the first time) or close the panel."""
        if self.shown:
            self._close()
            return
        if not self._built:
            self.pack = pack
            self._build()
        focused = self.screen.focused
        self._return_to = focused if focused is not None and self not in focused.ancestors_with_self else None
        self.display = True
        self.query_one("#reference-search").focus()

    def _close(self) -> None:
        """Hide the panel and give the focus back: a hidden search box must never keep the keys.

        Tab never reaches a hidden widget, and a screen that comes back from a dialog moves the focus
        off any (JournalScreen.on_screen_resume); the focus goes back where it was, or to the screen.
        """
        from journal.tui.widgets.focus import on_show

        self.display = False
        back, self._return_to = self._return_to, None
        if back is not None and back.is_attached and back.focusable and on_show(back):
            back.focus()
        else:
            self.screen.set_focus(None)

    def _build(self) -> None:
        # Imported here: the search box and the topic list cost start-up time on every screen where
        # the panel stays closed, Today first.
        from textual.containers import VerticalScroll
        from textual.widgets import OptionList, Static

        from journal.tui.widgets.inputs import Entry

        self._built = True
        pack = self.pack
        title = f"Reference: {pack.medication.display_name}" if pack else "Reference"
        if pack:
            for section in pack.sections:
                try:
                    self._texts[section.topic] = pack.section_text(section.topic)
                except PackError as exc:
                    self._errors[section.topic] = str(exc)
        # Made with the first topic shown, so that the first F2 draws it at once.
        topics = self._matches("")
        self.mount_all(
            [
                Static(Text(title), classes="panel-title"),
                Entry(placeholder="search the guide", id="reference-search", compact=True),
                OptionList(*self._options(topics), id="reference-topics"),
                VerticalScroll(Static(self._topic_text(topics), id="reference-text"), id="reference-scroll"),
            ]
        )

    def _matches(self, query: str) -> list[Section]:
        """The pack's sections whose title or text has `query` in it (any case)."""
        if self.pack is None:
            return []
        needle = query.strip().casefold()
        return [
            s
            for s in self.pack.sections
            if not needle or needle in s.title.casefold() or needle in self._texts.get(s.topic, "").casefold()
        ]

    @staticmethod
    def _options(sections: list[Section]) -> list[Option]:
        from textual.widgets.option_list import Option

        return [Option(Text(s.title), id=s.topic) for s in sections]

    def _topic_text(self, matches: list[Section]) -> RenderableType:
        """What the panel shows for these matches, the first one's text or why there is none (the first
        becomes the topic shown)."""
        self._topic = matches[0].topic if matches else None
        if self.pack is None:
            return Text("No content pack is installed for your medicines.")
        if self._topic is None:
            # The query is the user's text: it is not put into what is shown.
            return Text("Nothing in the guide matches this search.")
        return self._section(self._topic)

    def _section(self, topic: str) -> RenderableType:
        from journal.tui.widgets.guide import render

        if topic in self._errors:
            return Text(self._errors[topic], style="italic")
        text = self._texts.get(topic, "")
        source = self.pack.source_line(text) if self.pack else None
        return render(f"{text.rstrip()}\n\n{source}\n" if source else text)

    def _filter(self, query: str) -> None:
        from textual.widgets import OptionList

        matches = self._matches(query)
        topics = self.query_one("#reference-topics", OptionList)
        topics.clear_options()
        topics.add_options(self._options(matches))
        self._text().update(self._topic_text(matches))
        if matches:
            topics.highlighted = 0

    def _text(self) -> Static:
        from textual.widgets import Static

        return self.query_one("#reference-text", Static)

    def show_topic(self, topic: str) -> None:
        """Show one section of the pack (only when it changes)."""
        if topic == self._topic:
            return
        self._topic = topic
        self._text().update(self._section(topic))

    # Handlers by name rather than @on(Input.Changed, ...): the widget classes are imported only
    # when the panel is first opened.
    def on_input_changed(self, event: Input.Changed) -> None:
        """Typing in the search box filters the topics."""
        if event.input.id == "reference-search":
            self._filter(event.value)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving through the topics shows each one."""
        if event.option_list.id == "reference-topics" and event.option.id:
            self.show_topic(event.option.id)
