"""The footer of every screen: the keys of Textual's Footer, drawn by one widget.

Textual's Footer is a container with a widget per key (styled, laid out and drawn one by
one) that recomposes on every bindings signal. On Today that was a sixth of the time the
app spends after its imports before the first paint: with Textual's Footer in its place, the
TUI's first paint was 1.76x the hello-world app's (budget 1.5x), against 1.35x and 1.57x with
this one in the runs just before (python -m tests.benchmarks --only tui, December 2026, a
shared two-core machine at load 11-18). This footer is one line of text,
rebuilt only when the keys shown change; it looks and works the same: the key under the
mouse is highlighted with its tooltip, a click presses it, disabled keys are dim, and the
command palette key sits on the right. Beside it, always, the help key (F1): when the screen's
keys do not fit (80 columns), the last ones are left out and the help key says how many; the
help screen lists them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

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


# The help key: always shown, beside the palette key, saying how many keys did not fit.
HELP_KEY = "f1"
FUNCTION_KEY = re.compile(r"\bf(\d{1,2})\b")


def key_label(display: str) -> str:
    """A key as keyboards print it: function keys in capitals (`F1`, `shift+F6`)."""
    return FUNCTION_KEY.sub(r"F\1", display)


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
        self.help_key: Key | None = None
        self.hidden = 0  # how many keys did not fit, in the last drawing
        self._spans: list[tuple[int, int]] = []
        self._span_keys: list[Key] = []
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
        help_key: Key | None = None
        for key, (_, binding, enabled, tooltip) in active.items():
            if key == palette_key and self.app.ENABLE_COMMAND_PALETTE:
                palette = self._key(binding, enabled, binding.tooltip or binding.description)
            elif key == HELP_KEY and binding.description:
                help_key = self._key(binding, enabled, tooltip)
            elif binding.show and not {binding.action, binding.description} & actions:
                # One key per action, and per description: Today's `e` and the app's F9 both say Emergency.
                actions.update((binding.action, binding.description))
                keys.append(self._key(binding, enabled, tooltip))
        if palette is None and self.app.ENABLE_COMMAND_PALETTE:
            # A dialog hides the app's keys from its bindings, but the palette key is a priority
            # binding of the app: it works on every screen, so it is shown on every screen.
            palette = self._app_key(palette_key)
        if help_key is None:
            help_key = self._app_key(HELP_KEY)
        shown = (tuple(keys), palette, help_key)
        if shown == self._shown:
            return False
        self._shown = shown
        self.keys, self.palette, self.help_key = keys, palette, help_key
        self._hover = None
        return True

    def _key(self, binding: Binding, enabled: bool, tooltip: str) -> Key:
        display = key_label(self.app.get_key_display(binding))
        return Key(binding.key, display, binding.description, not enabled, tooltip)

    def _app_key(self, key: str) -> Key | None:
        """The app's own binding of `key` (shown on dialogs, which hide the app's bindings)."""
        for binding in Binding.make_bindings(self.app.BINDINGS):
            if binding.key == key and binding.description:
                return self._key(binding, True, binding.tooltip or binding.description)
        if key == self.app.COMMAND_PALETTE_BINDING:
            return Key(key, self.app.COMMAND_PALETTE_DISPLAY or "^p", "palette", False, "Open the command palette")
        return None

    # --- drawing ---------------------------------------------------------------------------

    def render(self) -> Text:
        """The keys side by side (key, then description), then help and the palette key at the right edge.

        Keys that do not fit are left out from the end, and the help key says how many: the help
        screen (F1) lists every key of the screen.
        """
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        key_padding = self.get_component_styles("footer-key--key").padding
        description_padding = self.get_component_styles("footer-key--description").padding
        base = self.rich_style

        key_pad = key_padding.left + key_padding.right
        description_pad = description_padding.left + description_padding.right

        def width_of(key: Key, description: str) -> int:
            return key_pad + len(key.display) + (description_pad + len(description) if description else 0)

        def piece(key: Key, description: str) -> Text:
            text = Text(no_wrap=True, end="")
            text.append(" " * key_padding.left + key.display + " " * key_padding.right, key_style)
            if description:
                text.append(
                    " " * description_padding.left + description + " " * description_padding.right,
                    description_style,
                )
            return text

        help_key = self.help_key

        def help_text(hidden: int) -> str:
            assert help_key is not None
            return f"{help_key.description} +{hidden} keys" if hidden else help_key.description

        # The palette key is compact, as Textual draws it: the key, a space, the description, a space.
        palette_width = 1 + len(self.palette.display) + 1 + len(self.palette.description) + 1 if self.palette else 0

        def right_width(hidden: int) -> int:
            return (width_of(help_key, help_text(hidden)) if help_key else 0) + palette_width

        widths = [width_of(key, key.description) for key in self.keys]
        # Before the first layout the width is not known yet: then nothing is left out.
        width = self.size.width or sum(widths) + right_width(0)
        shown = len(widths)
        while shown and sum(widths[:shown]) > width - right_width(len(widths) - shown):
            shown -= 1
        text = Text(no_wrap=True, end="")
        spans: list[tuple[int, int]] = []
        span_keys: list[Key] = []

        def add(key: Key, part: Text) -> None:
            start = len(text)
            text.append_text(part)
            spans.append((start, len(text)))
            span_keys.append(key)
            self._shade(text, len(spans) - 1, key, start, len(text), base)

        for key in self.keys[:shown]:
            add(key, piece(key, key.description))
        hidden = len(widths) - shown
        text.pad_right(max(0, width - right_width(hidden) - len(text)))
        if help_key is not None:
            add(help_key, piece(help_key, help_text(hidden)))
        if self.palette is not None:
            # The edge colour is translucent ($foreground 20%): blended over the footer, as a border is.
            edge = self.styles.background + self.get_component_styles("footer-keys--edge").color
            text.append(PALETTE_EDGE, base + Style(color=edge.rich_color))
            palette = Text(no_wrap=True, end="")
            palette.append(self.palette.display, key_style)
            palette.append(" " + self.palette.description, description_style)
            palette.append(" ")
            add(self.palette, palette)
        self._spans, self._span_keys = spans, span_keys
        self.hidden = hidden
        return text

    def _shade(self, text: Text, index: int, key: Key, start: int, end: int, base: Style) -> None:
        under = base + self.get_component_rich_style("footer-keys--hover") if index == self._hover else base
        text.stylize_before(under, start, end)
        if key.disabled:
            text.stylize(Style(dim=True), start, end)

    # --- the mouse -------------------------------------------------------------------------

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
            self.tooltip = (self._span_keys[index].tooltip or None) if index is not None else None
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
        key = self._span_keys[index]
        if key.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(key.key)
