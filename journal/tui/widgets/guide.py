"""A content pack's Markdown as one Rich renderable, for the reference panel: a speed trick.

Drawn in one `Static` rather than Textual's `Markdown` widget, which makes some fifty widgets of a
topic: laying those out and drawing them took most of F2's time, and the first F2 waited for the
parse in a thread and the widgets' mounting. Rich's own `Markdown` in the same `Static` (what the
help screen and `medjournal guide` use) costs F2 far more: measured from a pseudo-terminal against
the benchmark's floor app (December 2026, load 14 on two cores), F2 took 124.7 ms of CPU with it
against 44.1 ms with this renderer (4.75x the floor app against 1.57x; budget 1.5x), as Rich
renders its Markdown again each time the panel is shown. The packs are ours and use a small part of Markdown:
headings, paragraphs, `-` and numbered lists (nested by indenting), `**bold**` and `---` rules
(tests/tui/test_guide.py checks that every pack keeps to it). Anything else is shown as written:
text is never read as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Group
from rich.rule import Rule
from rich.segment import Segment
from rich.text import Text

from journal.dataclass import dataclass

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

_HEADING = re.compile(r"(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"(?:-\s*){3,}$|(?:\*\s*){3,}$|(?:_\s*){3,}$")
_ITEM = re.compile(r"( *)([-*+]|\d{1,9}[.)])\s+(.*)")
BULLET = "•"


@dataclass(frozen=True)
class _Item:
    """One list item: drawn after its marker, its lines wrapped under its first word."""

    depth: int
    marker: str
    text: Text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lead = "  " * self.depth + f" {self.marker} "
        width = max(options.max_width - len(lead), 1)
        lines = console.render_lines(self.text, options.update(width=width), pad=False)
        first, rest = Segment(lead), Segment(" " * len(lead))
        for number, line in enumerate(lines):
            yield first if number == 0 else rest
            yield from line
            yield Segment.line()


def inline(source: str) -> Text:
    """One paragraph's text, its `**bold**` spans bold; unpaired asterisks are kept as written."""
    parts = source.split("**")
    if len(parts) % 2 == 0:  # an odd number of `**`: the last one stays as text
        parts[-2:] = [parts[-2] + "**" + parts[-1]]
    text = Text()
    for index, part in enumerate(parts):
        text.append(part, "bold" if index % 2 else "")
    return text


@dataclass(frozen=True)
class Block:
    """A heading (kind heading1..6), a rule, a paragraph (para) or a list item's paragraph (item)."""

    kind: str
    text: Text
    # For items: how deep in nested lists, and the marker (`•`, `1.`; none for an item's next paragraph).
    depth: int = 0
    marker: str = ""
    # Whether a blank line comes before it in the source (items of a list are drawn without one).
    after_blank: bool = True


def blocks(markdown: str) -> Iterator[Block]:
    """The blocks of a pack's Markdown section, in order."""
    kind, depth, marker, lines = "", 0, "", list[str]()
    after_blank = True
    indents: list[int] = []  # the indents of the open lists, outermost first

    def flush() -> Iterator[Block]:
        nonlocal after_blank
        if lines:
            yield Block(kind, inline(" ".join(lines)), depth, marker, after_blank)
            lines.clear()
            after_blank = False

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            yield from flush()
            kind, after_blank = "", True
            continue
        heading, item = _HEADING.match(line), _ITEM.match(raw)
        if heading or _RULE.match(line):
            yield from flush()
            indents.clear()
            if heading:
                yield Block(f"heading{len(heading.group(1))}", inline(heading.group(2)))
            else:
                yield Block("rule", Text())
            kind, after_blank = "", False
        elif item:
            yield from flush()
            indent = len(item.group(1))
            while indents and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            number = item.group(2)
            kind, depth, marker = "item", len(indents) - 1, BULLET if number in "-*+" else number
            lines.append(item.group(3))
        elif kind:  # a line that goes on with the paragraph or the item above it
            lines.append(line)
        else:
            if not raw.startswith(" "):
                indents.clear()
            kind, depth, marker = ("item", len(indents) - 1, "") if indents else ("para", 0, "")
            lines.append(line)
    yield from flush()


def render(markdown: str) -> RenderableType:
    """The pack's Markdown section as one renderable: headings bold, lists indented under their marker."""
    parts: list[RenderableType] = []
    for block in blocks(markdown):
        text = block.text
        if parts and (block.after_blank or block.kind != "item"):
            parts.append(Text())
        if block.kind.startswith("heading"):
            text.stylize("bold")
            text.justify = "center" if block.kind == "heading1" else "left"
            parts.append(text)
        elif block.kind == "rule":
            parts.append(Rule(style="none"))
        elif block.kind == "item":
            parts.append(_Item(block.depth, block.marker or " " * len(BULLET), text))
        else:
            parts.append(text)
    return Group(*parts)
