"""Where the focus may be: never on a widget the person cannot see."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget


def on_show(widget: Widget) -> bool:
    """Whether the widget and every container around it are displayed (none is `display: none`)."""
    from textual.screen import Screen

    for node in widget.ancestors_with_self:
        if isinstance(node, Screen):
            return True
        if not node.display:
            return False
    return False
