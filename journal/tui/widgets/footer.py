"""The footer of every screen: the keys of Textual's Footer, drawn by one widget.

Textual's Footer is a container with a widget per key (styled, laid out and drawn one by
one) that recomposes on every bindings signal. On Today that was a sixth of the time the
app spends after its imports before the first paint. This footer is one line of text,
rebuilt only when the keys shown change; it looks and works the same: the key under the
mouse is highlighted with its tooltip, a click presses it, disabled keys are dim, and the
command palette key sits on the right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

from journal.dataclass import dataclass

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class Key:
    """One key shown in the footer."""

    key: str
    display: str
    description: str
    disabled: bool
    tooltip: str


# The palette key's left edge, as Textual's Footer draws it (a `vkey` border).
PALETTE_EDGE = "▏"


class JournalFooter(Widget):
    """The keys of the screen it is on, then the command palette key on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-keys--hover",
        "footer-keys--edge",
    }
    # Textual's Footer and FooterKey styles, with the hover drawn on the key under the mouse.
    DEFAULT_CSS = """
    JournalFooter {
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
            padding: 0 1;
        }
        .footer-key--description {
            padding: 0 1 0 0;
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-keys--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .footer-keys--edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[Key] = []
        self.palette: Key | None = None
        self._shown: Any = None
        self._spans: list[tuple[int, int]] = []
        self._hover: int | None = None

    # --- which keys ----------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the screen's keys now (in the first frame) and whenever its bindings change."""
        self._read_keys(self.screen)
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        """Stop listening to the screen."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        # As Textual's Footer: without app focus, wait for the next signal.
        if screen is self.screen and screen.app.app_focus and self._read_keys(screen):
            self.refresh()

    def _read_keys(self, screen: Screen[Any]) -> bool:
        """Read the keys to show (the first binding of each action shown); whether they changed."""
        active = screen.active_bindings
        palette_key = self.app.COMMAND_PALETTE_BINDING
        keys: list[Key] = []
        actions: set[str] = set()
        palette: Key | None = None
        for key, (_, binding, enabled, tooltip) in active.items():
            if key == palette_key and self.app.ENABLE_COMMAND_PALETTE:
                tip = binding.tooltip or binding.description
                palette = Key(binding.key, self.app.get_key_display(binding), binding.description, not enabled, tip)
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append(
                    Key(binding.key, self.app.get_key_display(binding), binding.description, not enabled, tooltip)
                )
        shown = (tuple(keys), palette)
        if shown == self._shown:
            return False
        self._shown = shown
        self.keys, self.palette = keys, palette
        self._hover = None
        return True

    # --- drawing ---------------------------------------------------------------------------

    def render(self) -> Text:
        """The keys side by side (key, then description), and the palette key at the right edge."""
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        key_padding = self.get_component_styles("footer-key--key").padding
        description_padding = self.get_component_styles("footer-key--description").padding
        base = self.rich_style
        text = Text(no_wrap=True, end="")
        spans: list[tuple[int, int]] = []
        for index, key in enumerate(self.keys):
            start = len(text)
            text.append(" " * key_padding.left + key.display + " " * key_padding.right, key_style)
            if key.description:
                text.append(
                    " " * description_padding.left + key.description + " " * description_padding.right,
                    description_style,
                )
            spans.append((start, len(text)))
            self._shade(text, index, key, start, len(text), base)
        if self.palette is not None:
            # Compact, as Textual draws it: no padding around the key, one space before the description.
            palette = Text(no_wrap=True, end="")
            palette.append(self.palette.display, key_style)
            palette.append(" " + self.palette.description, description_style)
            palette.append(" ")
            # Before the first layout the width is not known yet: then nothing is cut.
            room = (self.size.width or len(text) + len(palette) + 1) - len(palette) - 1
            text.truncate(room, pad=True)
            spans = [(start, min(end, room)) for start, end in spans if start < room]
            # The edge colour is translucent ($foreground 20%): blended over the footer, as a border is.
            background = self.styles.background
            edge = background + self.get_component_styles("footer-keys--edge").color
            text.append(PALETTE_EDGE, base + Style(color=edge.rich_color))
            start = len(text)
            text.append_text(palette)
            spans.append((start, len(text)))
            self._shade(text, len(spans) - 1, self.palette, start, len(text), base)
        self._spans = spans
        return text

    def _shade(self, text: Text, index: int, key: Key, start: int, end: int, base: Style) -> None:
        under = base + self.get_component_rich_style("footer-keys--hover") if index == self._hover else base
        text.stylize_before(under, start, end)
        if key.disabled:
            text.stylize(Style(dim=True), start, end)

    # --- the mouse -------------------------------------------------------------------------

    def _all_keys(self) -> list[Key]:
        return [*self.keys[: len(self._spans) - (1 if self.palette else 0)], *([self.palette] if self.palette else [])]

    def _index_at(self, x: int) -> int | None:
        for index, (start, end) in enumerate(self._spans):
            if start <= x < end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Highlight the key under the mouse and show its tooltip."""
        index = self._index_at(event.x)
        if index != self._hover:
            self._hover = index
            self.tooltip = (self._all_keys()[index].tooltip or None) if index is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        """No key is highlighted once the mouse has left."""
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click presses the key."""
        index = self._index_at(event.x)
        if index is None:
            return
        key = self._all_keys()[index]
        if key.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(key.key)
