"""The help screen: every key of the screen below it and of the app, and that screen's help text."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from journal.tui.screens import available_screens
from journal.tui.screens.base import JournalModal
from journal.tui.widgets.footer import JournalFooter, key_label


def _key(key: str, display: str | None) -> str:
    """A key as the footer and keyboards write it: `^s`, `Esc`, `F4`, `shift+F6`."""
    if display:
        return display
    return key_label(key.replace("ctrl+", "^").replace("escape", "Esc").replace("enter", "Enter"))


def _own_bindings(cls: type[Any]) -> list[Binding]:
    """The bindings a widget class of the journal declares (its own and its journal bases'), as Binding objects."""
    found: list[Binding] = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("journal."):
            continue
        for item in klass.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding):
                found.append(item)
    return found


# Keys every Textual widget has, which would drown the screen's own keys.
_NOISE = frozenset({"focus_next", "focus_previous", "copy_text", "command_palette", "maximize", "minimize"})


class HelpScreen(JournalModal):
    """Keys first, then the screen's own help."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("f1", "close", "Close", show=False),
    ]

    def __init__(self, below: Screen[Any]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        """Bindings of the screen below (with the app's), the screens, and the Markdown help."""
        from textual.app import App

        title = getattr(self.below, "TITLE_TEXT", "") or "medjournal"
        here: list[Text] = []
        everywhere: list[Text] = []
        seen: set[str] = set()
        for key, active in self.below.active_bindings.items():
            binding = active.binding
            if not binding.description or key in seen or binding.action.rpartition(".")[2] in _NOISE:
                continue
            if isinstance(active.node, App):
                target = everywhere
            elif isinstance(active.node, Screen) or binding.show:
                target = here
            else:
                continue
            seen.add(key)
            target.append(Text.assemble((f"{_key(key, binding.key_display):>8}  ", "bold"), binding.description))
        everywhere.append(Text.assemble((f"{'^p':>8}  ", "bold"), "Command palette: every action by name"))
        with VerticalScroll(id="help"):
            yield Static(Text(f"Help: {title}", style="bold"), classes="panel-title")
            sections = [("Keys on this screen", here), *self._widget_keys(seen), ("Moving around", self._moving())]
            for heading, lines in (*sections, ("Everywhere", everywhere)):
                if not lines:
                    continue
                yield Static(Text(heading, style="bold underline"))
                for line in lines:
                    yield Static(line)
            yield Static(Text("From Today", style="bold underline"))
            for entry in available_screens():
                yield Static(Text.assemble((f"{entry.key:>8}  ", "bold"), f"{entry.title}: {entry.help}"))
            text = getattr(self.below, "help_text", lambda: "")()
            if text:
                yield Static(Markdown(text))
        yield JournalFooter()

    def _widget_keys(self, seen: set[str]) -> list[tuple[str, list[Text]]]:
        """The keys of the screen's lists and maps that do not have the focus (so are not active now)."""
        sections: list[tuple[str, list[Text]]] = []
        done: set[type[Any]] = set()
        for widget in self.below.query("*"):
            cls = type(widget)
            if cls in done or not cls.__module__.startswith("journal."):
                continue
            done.add(cls)
            lines = [
                Text.assemble((f"{_key(b.key, b.key_display):>8}  ", "bold"), b.description)
                for b in _own_bindings(cls)
                if b.description and (b.show or b.action.startswith("screen.")) and b.key not in seen
            ]
            if lines:
                where = (cls.__doc__ or cls.__name__).split(";")[0].split(":")[0].strip().rstrip(".")
                sections.append((f"{where}, once it has the focus (Tab)", lines))
        return sections

    def _moving(self) -> list[Text]:
        """How to move between boxes, lists and tabs on the screen below."""
        lines = [
            Text.assemble((f"{'Tab':>8}  ", "bold"), "next box, list or button (Shift+Tab: the one before)"),
            Text.assemble((f"{'Enter':>8}  ", "bold"), "in a box: save its form; in a list: choose"),
        ]
        tabbed = self.below.query("TabbedContent")
        if tabbed:
            names = [str(getattr(pane, "_title", "")) for pane in tabbed.first().query("TabPane")]
            lines.append(
                Text.assemble(
                    (f"{'f6':>8}  ", "bold"),
                    f"next tab, Shift+F6 the one before (this screen's tabs: {', '.join(names)}); "
                    "or Shift+Tab to the tab names, then Left and Right",
                )
            )
        return lines
