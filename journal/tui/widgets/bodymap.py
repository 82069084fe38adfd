"""The body map: injection regions from the content pack, each a small grid of spots."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from journal.content import Pack, Region, parse_spot_id, spot_id

CELL = 3  # characters per spot
ROW_LABEL = 2  # "A " before each row
COLUMNS = 4  # regions per row of the map
BORDER_TITLE_SPARE = 2  # a box's content is this much wider than the title its top border can show


def region_title(region: Region, blocked: frozenset[str]) -> str:
    """A region's label, saying so when a reaction there keeps it from being used."""
    return region.label + (" (reaction)" if region.key in blocked else "")


class RegionBox(Widget):
    """One region: its label and a grid of spots (click one to choose it).

    The label is in the top border when it fits there; in a narrow box (four side by side at 80
    columns) it would be cut ("Left outer t…"), so it is written, whole, above the grid instead.
    """

    DEFAULT_CSS = """
    RegionBox { height: auto; width: 1fr; border: round $panel-lighten-2; padding: 0 1; }
    RegionBox.-current { border: round $accent; }
    RegionBox.-blocked { border: round $error; color: $text-muted; }
    """

    def __init__(self, body_map: BodyMap, region: Region) -> None:
        super().__init__(id=f"region-{region.key}")
        self.body_map = body_map
        self.area = region
        self.title = region_title(region, body_map.blocked)
        self.border_title = Text(self.title)
        self.set_class(region.key in body_map.blocked, "-blocked")

    def title_lines(self, width: int) -> list[str]:
        """The label's lines above the grid, for a content `width`: none when it fits in the border."""
        # The border shows a title in the box's width less its corners, padding and a space each side.
        # Every box does as the longest label needs, so that the labels line up.
        if not width or self.body_map.longest_title <= width - BORDER_TITLE_SPARE:
            return []
        return textwrap.wrap(self.title, width) or [self.title]

    def on_resize(self, event: events.Resize) -> None:
        """The label goes in the border or above the grid, whichever shows it whole."""
        inside = bool(self.title_lines(self.content_size.width))
        self.border_title = None if inside else Text(self.title)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        """The label's lines (if it is not in the border), then one line per row of spots."""
        return len(self.title_lines(width)) + self.area.rows

    def render(self) -> Text:
        """The grid: the chosen spot in brackets, the suggested one a star, the last one a cross."""
        chosen = self.body_map.selected
        lines = [Text(line, style="bold") for line in self.title_lines(self.content_size.width)]
        for r in range(self.area.rows):
            line = Text(chr(ord("A") + r) + " ", style="dim")
            for c in range(self.area.cols):
                sid = spot_id(self.area.key, r, c)
                mark = "★" if sid == self.body_map.suggested else ("×" if sid == self.body_map.last else "·")
                if sid == chosen:
                    line.append(f"[{mark if mark != '·' else '●'}]", style="bold reverse")
                else:
                    line.append(f" {mark} ", style="bold" if mark != "·" else "")
            lines.append(line)
        return Text("\n").join(lines)

    def on_click(self, event: events.Click) -> None:
        """Choose the spot under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row, col = offset.y - len(self.title_lines(self.content_size.width)), (offset.x - ROW_LABEL) // CELL
        if 0 <= row < self.area.rows and 0 <= col < self.area.cols and offset.x >= ROW_LABEL:
            clicked = spot_id(self.area.key, row, col)
            if self.body_map.selected == clicked:
                self.body_map.action_choose()
            else:
                self.body_map.selected = clicked
            self.body_map.focus()


class BodyMap(Widget, can_focus=True):
    """Pick an injection spot with the arrow keys (or the mouse); Enter chooses it."""

    DEFAULT_CSS = """
    BodyMap { height: auto; }
    BodyMap > Grid { grid-size: 4; grid-gutter: 0 1; height: auto; grid-rows: auto; }
    BodyMap > #chosen-spot { padding: 0 1; height: 1; }
    BodyMap:focus > Grid { background: $boost; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("enter", "choose", "Use this spot"),
    ]

    selected: reactive[str | None] = reactive(None)

    class Chosen(Message):
        """A spot was chosen (Enter, or a click on the chosen spot)."""

        def __init__(self, spot: str) -> None:
            super().__init__()
            self.spot = spot

    def __init__(
        self,
        pack: Pack,
        *,
        others_inject: bool = False,
        suggested: str | None = None,
        last: str | None = None,
        blocked: frozenset[str] = frozenset(),
        selected: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.pack = pack
        self.others_inject = others_inject
        self.suggested = suggested
        self.last = last
        self.blocked = blocked
        self.longest_title = max((len(region_title(r, blocked)) for r in pack.sites.regions), default=0)
        self.set_reactive(BodyMap.selected, selected or suggested)

    @property
    def shown_regions(self) -> list[Region]:
        """The regions shown: arms and buttocks only when someone else injects."""
        return [r for r in self.pack.sites.regions if r.self_allowed or self.others_inject]

    def compose(self) -> ComposeResult:
        """One box per region."""
        with Grid():
            for region in self.pack.sites.regions:
                box = RegionBox(self, region)
                box.display = region.self_allowed or self.others_inject
                yield box
        yield Static("", id="chosen-spot")

    def set_others_inject(self, value: bool, suggested: str | None = None) -> None:
        """Show or hide the regions only someone else may use; keep the choice if it is still allowed."""
        self.others_inject = value
        self.suggested = suggested or self.suggested
        for box in self.query(RegionBox):
            box.display = box.area.self_allowed or value
        allowed = {r.key for r in self.shown_regions}
        if self.selected is None or parse_spot_id(self.selected)[0] not in allowed:
            self.selected = self.suggested
        self._refresh_boxes()

    def watch_selected(self, _old: str | None, _new: str | None) -> None:
        """Redraw the boxes and mark the current region."""
        self._refresh_boxes()

    def _refresh_boxes(self) -> None:
        current = parse_spot_id(self.selected)[0] if self.selected else None
        if self.is_mounted:
            self.query_one("#chosen-spot", Static).update(self.chosen_text())
        for box in self.query(RegionBox):
            box.set_class(box.area.key == current, "-current")
            box.refresh()

    def action_move(self, d_row: int, d_col: int) -> None:
        """Move the choice within a region, or on to the neighbouring region."""
        regions = self.shown_regions
        if not regions:
            return
        if self.selected is None:
            self.selected = spot_id(regions[0].key, 0, 0)
            return
        key, row, col = parse_spot_id(self.selected)
        index = next((i for i, r in enumerate(regions) if r.key == key), 0)
        region = regions[index]
        row, col = row + d_row, col + d_col
        if d_col and not 0 <= col < region.cols:
            index = (index + d_col) % len(regions)
            region = regions[index]
            col = 0 if d_col > 0 else region.cols - 1
        elif d_row and not 0 <= row < region.rows:
            target = index + d_row * COLUMNS
            if not 0 <= target < len(regions):
                return
            index, region = target, regions[target]
            row = 0 if d_row > 0 else region.rows - 1
        self.selected = spot_id(region.key, min(row, region.rows - 1), min(col, region.cols - 1))

    def action_choose(self) -> None:
        """Use the chosen spot."""
        if self.selected is not None:
            self.post_message(self.Chosen(self.selected))

    def chosen_text(self) -> Text:
        """The chosen spot in words."""
        if self.selected is None:
            return Text("No spot chosen.")
        key, row, col = parse_spot_id(self.selected)
        label = self.pack.region(key).label
        tags = [
            t for t, sid in (("suggested", self.suggested), ("same as last time", self.last)) if sid == self.selected
        ]
        extra = f" ({', '.join(tags)})" if tags else ""
        return Text.assemble("Chosen: ", (f"{label}, spot {chr(ord('A') + row)}{col + 1}", "bold"), extra)

    def on_mount(self) -> None:
        """Say which spot is chosen."""
        self._refresh_boxes()
