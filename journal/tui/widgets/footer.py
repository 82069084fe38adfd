"""The footer of every screen: Textual's Footer, drawn the same, with far fewer widgets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from journal.plain import Frozen

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

Signature = tuple[tuple[Any, ...], ...]


@dataclass(eq=False, repr=False)
class Key(Frozen):
    """One key shown in the footer."""

    key: str
    display: str
    description: str
    disabled: bool
    tooltip: str


class FooterKeys(Widget):
    """Every key of the footer in one widget, drawn as Textual's FooterKey draws each one.

    One FooterKey per binding cost about 2 ms each while a screen starts (styles, component
    classes, layout and render): Today shows twelve.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-keys--hover",
    }
    # FooterKey's own style, with the hover drawn on the key under the mouse rather than on the widget.
    DEFAULT_CSS = """
    FooterKeys {
        width: auto;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
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
    }
    """

    def __init__(self, keys: list[Key]) -> None:
        super().__init__()
        self.keys = keys
        self._spans: list[tuple[int, int]] = []
        self._hover: int | None = None

    def render(self) -> Text:
        """The keys side by side: the key, then its description."""
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
            end = len(text)
            spans.append((start, end))
            under = base + self.get_component_rich_style("footer-keys--hover") if index == self._hover else base
            text.stylize_before(under, start, end)
            if key.disabled:
                text.stylize(Style(dim=True), start, end)
        self._spans = spans
        return text

    def _key_at(self, x: int) -> int | None:
        for index, (start, end) in enumerate(self._spans):
            if start <= x < end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Highlight the key under the mouse and show its tooltip."""
        index = self._key_at(event.x)
        if index != self._hover:
            self._hover = index
            self.tooltip = (self.keys[index].tooltip or None) if index is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        """No key is highlighted once the mouse has left."""
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click presses the key."""
        index = self._key_at(event.x)
        if index is None:
            return
        if self.keys[index].disabled:
            self.app.bell()
        else:
            self.app.simulate_key(self.keys[index].key)


class JournalFooter(Footer):
    """Textual's Footer, drawn the same, that rebuilds its keys only when the bindings shown change.

    The stock footer recomposes on every bindings signal (three times while Today starts), makes
    one widget per key and restyles each twice as it mounts: on Today that was about a third of
    the start-up time spent after the imports. Here the keys are one FooterKeys widget, composed
    with the screen's first frame; the palette key on the right is Textual's own.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wanted: Signature | None = None

    def _signature(self, screen: Screen[Any]) -> Signature:
        """What the keys would show: the bindings shown, and the palette key (shown though not `show`)."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (
            tuple(
                (key, binding.key_display, binding.description, binding.action, enabled, tooltip)
                for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                if binding.show or key == palette
            ),
            (self.show_command_palette, self.compact),
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Recompose only when what the keys show differs from what is shown or already on its way."""
        # Without app focus the stock footer waits for the next signal: nothing is recorded then.
        if screen is self.screen and self.is_attached and screen.app.app_focus:
            wanted = self._signature(screen)
            if wanted == self._wanted:
                return
            self._wanted = wanted
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        """The keys shown (the first binding of each action, as in Textual), then the palette key."""
        # The screen's bindings are known when the footer mounts: show them in the first frame
        # rather than in a second layout after the bindings signal.
        self.set_reactive(Footer._bindings_ready, True)
        self._wanted = self._signature(self.screen)
        active = self.screen.active_bindings
        keys: list[Key] = []
        actions: set[str] = set()
        for _, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            keys.append(Key(binding.key, self.app.get_key_display(binding), binding.description, not enabled, tooltip))
        yield FooterKeys(keys)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, tooltip = found
                palette = FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    classes="-command-palette -compact",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )
                # Compact from the start, as Textual's palette key ends up (no restyling as it mounts).
                palette.set_reactive(FooterKey.compact, True)
                yield palette
