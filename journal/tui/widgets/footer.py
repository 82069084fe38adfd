"""The footer of every screen: Textual's Footer, without the work it repeats while a screen starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

Signature = tuple[tuple[Any, ...], ...]


class JournalFooter(Footer):
    """Textual's Footer, drawn the same, that rebuilds its keys only when the bindings shown change.

    The stock footer recomposes on every bindings signal (three times while Today starts) and
    restyles each key twice as it is mounted (its `compact` starts True, then is bound to False):
    on Today that was about a third of the start-up time spent after the imports.
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
        """The stock keys, with their compact style set before they mount (no restyling)."""
        # The screen's bindings are known when the footer mounts: show them in the first frame
        # rather than in a second layout after the bindings signal.
        self.set_reactive(Footer._bindings_ready, True)
        self._wanted = self._signature(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Bound keys follow the footer; the palette key is not bound and stays compact, as in Textual.
                compact = self.compact if widget._reactive_connect else True
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget
