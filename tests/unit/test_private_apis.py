"""Each private API of a dependency that journal/private_apis/ uses still exists in the installed version.

An upgrade that removes one fails here, naming it, instead of somewhere in the app.
"""

from __future__ import annotations

import importlib

import pytest
from rich.terminal_theme import TerminalTheme

from journal.private_apis import keyring as keyring_apis
from journal.private_apis import textual as textual_apis


@pytest.mark.parametrize(
    ("module", "name"), [(module, name) for module, names in textual_apis.USED.items() for name in names]
)
def test_textual_private_name_still_exists(module: str, name: str) -> None:
    found = importlib.import_module(module)
    assert hasattr(found, name), (
        f"{module}.{name} is gone from the installed Textual: see journal/private_apis/textual.py"
    )


def test_textual_terminal_palettes_have_sixteen_colours() -> None:
    # journal/tui/themes.py changes colours 1, 3, 9 and 11 of each by index.
    for palette in (textual_apis.dark_terminal_palette(), textual_apis.light_terminal_palette()):
        assert isinstance(palette, TerminalTheme)
        assert len([palette.ansi_colors[index] for index in range(16)]) == 16


@pytest.mark.parametrize(
    ("module", "name"), [(module, name) for module, names in keyring_apis.USED.items() for name in names]
)
def test_keyring_private_name_still_exists(module: str, name: str) -> None:
    found = importlib.import_module(module)
    assert hasattr(found, name), (
        f"{module}.{name} is gone from the installed keyring: see journal/private_apis/keyring.py"
    )


def test_keyring_says_whether_it_has_chosen_a_backend() -> None:
    import keyring

    from tests.keyrings import MemoryKeyring

    before = keyring.core._keyring_backend
    try:
        keyring.core._keyring_backend = None
        assert not keyring_apis.backend_chosen(keyring)
        keyring.set_keyring(MemoryKeyring())
        assert keyring_apis.backend_chosen(keyring)
    finally:
        keyring.core._keyring_backend = before
