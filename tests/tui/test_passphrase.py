"""The passphrase screen of an encrypted journal: a wrong one is said beside the field, the right one opens it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from journal import models as m
from journal.store import Store, cipher
from journal.tui.screens.passphrase import PassphraseApp


@pytest.fixture(autouse=True)
def _fresh_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(cipher.ENV_PASSPHRASE, raising=False)
    cipher.forget_in_process()
    yield
    cipher.forget_in_process()


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    with Store.open(path) as store:
        store.add(m.Medication.validate({"name": "vitamin D", "kind": "vitamin"}))
    salt = os.urandom(cipher.SALT_BYTES)
    cipher.convert(path, None, (cipher.derive("open sesame", salt), salt))
    cipher.forget_in_process()
    return path


def test_a_wrong_passphrase_is_said_beside_the_field_and_the_right_one_unlocks(encrypted: Path) -> None:
    app = PassphraseApp(encrypted)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*"wrong", "enter")
            await pilot.pause()
            error = str(app.screen.query_one("#passphrase-error", Static).render())
            assert "does not open" in error
            field = app.screen.query_one("#passphrase", Input)
            assert field.value == "wrong" and field.password  # kept, and hidden
            field.value = ""
            await pilot.press(*"open", "space", *"sesame", "enter")
            await pilot.pause()

    asyncio.run(go())
    assert app.return_value is True
    with Store.open(encrypted) as store:  # the key is kept for this process: no second question
        assert [med.name for med in store.all(m.Medication)] == ["vitamin D"]


def test_escape_leaves_the_journal_closed(encrypted: Path) -> None:
    app = PassphraseApp(encrypted)

    async def go() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()

    asyncio.run(go())
    assert app.return_value is False
    with pytest.raises(cipher.PassphraseError):
        Store.open(encrypted)


def test_the_export_screen_says_an_export_of_an_encrypted_journal_is_not_encrypted(
    encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from journal.tui.screens.export import ExportScreen
    from tests.tui.test_export_screen import _export, _Host, _text

    monkeypatch.setenv(cipher.ENV_PASSPHRASE, "open sesame")
    store = Store.open(encrypted)
    screen = ExportScreen(store, datetime.now(UTC), zone="UTC", home=tmp_path)

    async def go() -> None:
        async with _Host(screen).run_test(size=(110, 50)) as pilot:
            await _export(pilot, screen)
            assert "It is not encrypted." in _text(screen, "#export-result")

    try:
        asyncio.run(go())
    finally:
        store.close()
    assert list(tmp_path.glob("medjournal-summary-*.pdf"))
