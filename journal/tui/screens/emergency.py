"""The emergency list, large and clear: one key (F9) from anywhere."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from journal.tui.screens.base import JournalModal
from journal.tui.widgets.footer import JournalFooter


def _same(text: str) -> str:
    return text


class EmergencyScreen(JournalModal):
    """Patient, allergies, conditions, medicines and warnings from journal.summary.emergency."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("f9", "close", "Close", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        """Every section of the list, with its user text shown literally."""
        from journal.export.emergency import TITLE, sections
        from journal.summary.emergency import build_emergency_list

        data = build_emergency_list(self.journal.store, now=self.journal.now(), zone=self.journal.zone)
        with VerticalScroll(id="emergency"):
            yield Static(Text(TITLE.upper(), style="bold"), classes="emergency-title")
            # Plain text: the escaping function is the identity, and Text() never reads markup.
            for heading, lines in sections(data, _same):
                style = "bold" if heading == "Important" else ""
                yield Static(Text(heading, style="bold underline"), classes="emergency-heading")
                for line in lines:
                    yield Static(Text(line, style=style), classes="emergency-line")
            updated = data.last_updated_local or "never"
            yield Static(Text(f"Journal last updated {updated}. Shown {data.generated_local}."), classes="hint")
            yield Static(Text(f"{data.disclaimer} {data.source}"), classes="hint")
        yield JournalFooter()
