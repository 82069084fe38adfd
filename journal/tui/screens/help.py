"""The help screen: every key of the screen below it and of the app, and that screen's help text."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, Static

from journal.tui.screens import available_screens
from journal.tui.screens.base import JournalModal
from journal.tui.widgets.footer import JournalFooter


def _key(key: str, display: str | None) -> str:
    return display or key.replace("ctrl+", "^").replace("escape", "Esc").replace("enter", "Enter")


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
            for heading, lines in (("Keys on this screen", here), ("Everywhere", everywhere)):
                yield Static(Text(heading, style="bold underline"))
                for line in lines:
                    yield Static(line)
            yield Static(Text("From Today", style="bold underline"))
            for entry in available_screens():
                yield Static(Text.assemble((f"{entry.key:>8}  ", "bold"), f"{entry.title}: {entry.help}"))
            text = getattr(self.below, "help_text", lambda: "")()
            if text:
                yield Markdown(text)
        yield JournalFooter()
