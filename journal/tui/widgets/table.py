"""A table that fits its width: long cells end with "…", and the row under the cursor is shown whole below.

Textual's DataTable gives every column the width of its widest cell and scrolls sideways when
they do not fit, so at 80 columns the last ones (a medicine's status, what a history entry is)
were out of sight. `FitTable` narrows the widest columns until the table fits (the columns named
in `SHRINK_FIRST` before the others), cuts what no longer fits with an ellipsis, and shows every
cell of the row under the cursor in the line below the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.coordinate import Coordinate
from textual.widget import Widget
from textual.widgets import DataTable, Static

# The narrowest a shrink-first column is cut to ("As p…") before the other columns are cut too.
MIN_WIDTH = 6
SEPARATOR = "  ·  "


def cap_for(naturals: list[int], budget: int) -> int:
    """The largest width c such that the columns, each cut to at most c, fit in `budget`."""
    if sum(naturals) <= budget:
        return max(naturals, default=0)
    low, high = 0, max(naturals)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(n, middle) for n in naturals) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def fit_widths(naturals: list[int], room: int, shrink_first: set[int]) -> list[int]:
    """Column widths that fit `room` (cell padding already taken out).

    The shrink-first columns are cut first, down to MIN_WIDTH; then the others too, the widest
    first; only if even that does not fit, every column shares the cut.
    """
    if sum(naturals) <= room:
        return list(naturals)
    first = set(shrink_first)
    if first and len(first) < len(naturals):
        others = sum(n for i, n in enumerate(naturals) if i not in first)
        cap = cap_for([naturals[i] for i in sorted(first)], room - others)
        if cap >= MIN_WIDTH:
            return [min(n, cap) if i in first else n for i, n in enumerate(naturals)]
        floor = [min(n, MIN_WIDTH) if i in first else n for i, n in enumerate(naturals)]
        cap = cap_for([n for i, n in enumerate(naturals) if i not in first], room - sum(floor) + others)
        if cap >= MIN_WIDTH:
            return [f if i in first else min(n, cap) for i, (n, f) in enumerate(zip(naturals, floor, strict=True))]
    cap = cap_for(naturals, room)
    return [min(n, cap) for n in naturals]


class TableDetail(Static):
    """Every cell of the row under the cursor of the table above, in full."""

    DEFAULT_CSS = """
    TableDetail {
        height: auto;
        max-height: 3;
        padding: 0 1;
        color: $text-muted;
    }
    """


class FitTable(DataTable[Text]):
    """A DataTable whose columns fit its width, with the whole row under the cursor shown below it."""

    # Column labels whose cells are cut first when the table is too wide (long free text).
    SHRINK_FIRST: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.detail = TableDetail("", classes="table-detail")
        self.detail.display = False
        self._detail_shown = Text()

    def on_mount(self) -> None:
        """Put the detail line right below the table."""
        if isinstance(self.parent, Widget):
            self.parent.mount(self.detail, after=self)

    def on_unmount(self) -> None:
        """The detail line goes with the table."""
        self.detail.remove()

    # --- cells: cut with an ellipsis ------------------------------------------------------

    @staticmethod
    def _cut(cell: Any) -> Any:
        if isinstance(cell, Text):
            cell.no_wrap = True
            cell.overflow = "ellipsis"
        return cell

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        """Add a row whose long cells end with an ellipsis."""
        return super().add_row(*map(self._cut, cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        """Change a cell (cut with an ellipsis if long), and the detail line if it is the cursor's row."""
        super().update_cell(row_key, column_key, self._cut(value), update_width=True)
        self.show_detail()

    def clear(self, columns: bool = False) -> Any:
        """Remove the rows; the columns' natural widths are measured again from the rows added next."""
        result = super().clear(columns)
        for column in self.columns.values():
            column.content_width = column.label.cell_len
        self.show_detail()
        return result

    # --- widths --------------------------------------------------------------------------

    def _update_dimensions(self, new_rows: Iterable[Any]) -> None:
        # DataTable measures its new rows here (once the screen is idle); the columns are fitted after.
        super()._update_dimensions(new_rows)
        self.fit_columns()
        self.show_detail()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width."""
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give each column its natural width, cutting the widest ones while the table is too wide."""
        if not self.size.width or not self.columns:
            return
        columns = list(self.ordered_columns)
        naturals = [column.content_width for column in columns]
        scrollbar = self.styles.scrollbar_size_vertical if len(self.rows) + 1 > self.size.height else 0
        room = self.size.width - scrollbar - 2 * self.cell_padding * len(columns)
        first = {i for i, column in enumerate(columns) if column.label.plain in self.SHRINK_FIRST}
        widths = fit_widths(naturals, max(room, len(columns)), first)
        if all(not c.auto_width and c.width == w for c, w in zip(columns, widths, strict=True)):
            return
        for column, width in zip(columns, widths, strict=True):
            column.auto_width = False
            column.width = width
        # Textual's DataTable has no public call to re-lay out its columns: its caches hold the old widths.
        self._clear_caches()
        self._require_update_dimensions = True
        self.refresh(layout=True)

    def is_cut(self, row: int, column: int) -> bool:
        """Whether the cell is wider than its column (and so ends with "…")."""
        cell = self.get_cell_at(Coordinate(row, column))
        width = list(self.ordered_columns)[column].width
        return isinstance(cell, Text) and cell.cell_len > width

    # --- the row under the cursor ------------------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self:
            self.show_detail()

    def detail_text(self) -> Text:
        """Every non-empty cell of the cursor's row, each after its column's name."""
        text = Text()
        if not self.row_count or not self.is_valid_row_index(self.cursor_row):
            return text
        for column, cell in zip(self.ordered_columns, self.get_row_at(self.cursor_row), strict=False):
            plain = cell.plain if isinstance(cell, Text) else str(cell)
            if not plain.strip():
                continue
            if text:
                text.append(SEPARATOR)
            label = column.label.plain
            if label.isalpha() or " " in label:
                text.append(f"{label}: ", style="bold")
            text.append_text(cell.copy() if isinstance(cell, Text) else Text(plain))
        text.no_wrap = False
        text.overflow = "fold"
        return text

    def show_detail(self) -> None:
        """Show the cursor's row in full in the line below the table."""
        text = self.detail_text()
        if text != self._detail_shown:
            self._detail_shown = text
            self.detail.update(text)
            self.detail.display = bool(text)  # an empty table takes no line for it
