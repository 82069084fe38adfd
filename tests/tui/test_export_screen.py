"""The export screen writes the visit summary where asked, privately, and says where."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Static

from journal import models as m
from journal.store import Store
from journal.tui.screens.export import ExportScreen

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ZONE = "Europe/Paris"


class _Host(App[None]):
    def __init__(self, screen: ExportScreen) -> None:
        super().__init__()
        self._export = screen

    def on_mount(self) -> None:
        self.push_screen(self._export)


@pytest.fixture
def small_store() -> Iterator[Store]:
    store = Store.memory()
    med = store.add(m.Medication(name="anakinra", strength="100 mg", pack="anakinra", tracked=True, usual_time="08:00"))
    store.add(m.Dose(medication_id=med.id, at=datetime(2026, 11, 24, 7, 5, tzinfo=UTC), tz=ZONE))
    store.add(m.Checkin(at=datetime(2026, 11, 24, 19, 0, tzinfo=UTC), tz=ZONE, pain=4, note="<b>[bold]x[/bold]</b>"))
    yield store
    store.close()


def _text(screen: ExportScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _export(pilot: object, screen: ExportScreen) -> None:
    await pilot.click("#export-go")  # type: ignore[attr-defined]
    await screen.app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def test_default_export_writes_a_private_pdf_in_home_and_reports_it(small_store: Store, tmp_path: Path) -> None:
    asyncio.run(_test_default_export_writes_a_private_pdf_in_home_and_reports_it(small_store, tmp_path))


async def _test_default_export_writes_a_private_pdf_in_home_and_reports_it(small_store: Store, tmp_path: Path) -> None:
    screen = ExportScreen(small_store, NOW, zone=ZONE, home=tmp_path)
    async with _Host(screen).run_test(size=(110, 50)) as pilot:
        assert screen.query_one("#export-path", Input).value == str(tmp_path / "medjournal-summary-2026-11-25.pdf")
        await _export(pilot, screen)
        target = tmp_path / "medjournal-summary-2026-11-25.pdf"
        assert screen.written == target
        assert target.read_bytes().startswith(b"%PDF-")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert str(target) in _text(screen, "#export-result")


def test_choosing_markdown_and_30_days_changes_file_and_period(small_store: Store, tmp_path: Path) -> None:
    asyncio.run(_test_choosing_markdown_and_30_days_changes_file_and_period(small_store, tmp_path))


async def _test_choosing_markdown_and_30_days_changes_file_and_period(small_store: Store, tmp_path: Path) -> None:
    screen = ExportScreen(small_store, NOW, zone=ZONE, home=tmp_path)
    async with _Host(screen).run_test(size=(110, 50)) as pilot:
        await pilot.click("#period-30")
        await pilot.click("#format-markdown")
        await pilot.pause()
        assert "last 30 days" in _text(screen, "#export-period-text")
        path = Path(screen.query_one("#export-path", Input).value)
        assert path.suffix == ".md"
        await _export(pilot, screen)
        text = path.read_text(encoding="utf-8")
        assert "2026-10-27 to 2026-11-25 (last 30 days)" in text
        assert "anakinra" in text


def test_an_existing_file_is_kept_and_the_typed_path_stays(small_store: Store, tmp_path: Path) -> None:
    asyncio.run(_test_an_existing_file_is_kept_and_the_typed_path_stays(small_store, tmp_path))


async def _test_an_existing_file_is_kept_and_the_typed_path_stays(small_store: Store, tmp_path: Path) -> None:
    screen = ExportScreen(small_store, NOW, zone=ZONE, home=tmp_path)
    target = tmp_path / "mine.pdf"
    target.write_bytes(b"keep")
    async with _Host(screen).run_test(size=(110, 50)) as pilot:
        path_input = screen.query_one("#export-path", Input)
        path_input.value = str(target)
        await _export(pilot, screen)
        assert "already exists" in _text(screen, "#export-path-error")
        assert target.read_bytes() == b"keep"
        assert path_input.value == str(target)
        await pilot.click("#export-force")
        await _export(pilot, screen)
        assert target.read_bytes().startswith(b"%PDF-")


def test_a_missing_folder_is_reported_beside_the_path(small_store: Store, tmp_path: Path) -> None:
    asyncio.run(_test_a_missing_folder_is_reported_beside_the_path(small_store, tmp_path))


async def _test_a_missing_folder_is_reported_beside_the_path(small_store: Store, tmp_path: Path) -> None:
    screen = ExportScreen(small_store, NOW, zone=ZONE, home=tmp_path)
    async with _Host(screen).run_test(size=(110, 50)) as pilot:
        typed = str(tmp_path / "no-such-folder" / "x.pdf")
        screen.query_one("#export-path", Input).value = typed
        await _export(pilot, screen)
        assert "does not exist" in _text(screen, "#export-path-error")
        assert screen.query_one("#export-path", Input).value == typed
        assert screen.written is None
