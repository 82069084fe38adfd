"""The screens the app can open, by name: add a screen here and it gets a key on Today,
a command in the palette and a line in the help screen. Modules are imported on first use."""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from typing import TYPE_CHECKING

from journal.dataclass import dataclass

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class ScreenEntry:
    """A screen reachable from Today with one key."""

    name: str
    title: str
    key: str
    module: str
    cls: str
    help: str
    short: str = ""

    def available(self) -> bool:
        """Whether the screen's module is installed (a screen may ship later)."""
        return _installed(self.module)

    def load(self) -> type[Screen[None]]:
        """The screen class, imported now."""
        screen: type[Screen[None]] = getattr(importlib.import_module(self.module), self.cls)
        return screen


@cache
def _installed(module: str) -> bool:
    # Asked for every key of the footer each time the bindings change: look on disk once.
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


_HERE = __name__
SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "dose", "Log a dose", "d", f"{_HERE}.dose", "DoseScreen", "Check the syringe, pick the site, confirm", "Dose"
    ),
    ScreenEntry(
        "effects", "Side effects", "s", f"{_HERE}.effects", "EffectsScreen", "Record, resolve, edit", "Effects"
    ),
    ScreenEntry("checkin", "Check-in", "c", f"{_HERE}.checkin", "CheckinScreen", "Pain, swelling, stiffness"),
    ScreenEntry(
        "medicines", "Medicines", "m", f"{_HERE}.medicines", "MedicinesScreen", "Medicines, allergies, profile", "Meds"
    ),
    ScreenEntry(
        "appointments",
        "Appointments",
        "a",
        f"{_HERE}.appointments",
        "AppointmentsScreen",
        "Visits, labs, questions",
        "Appts",
    ),
    ScreenEntry("history", "History", "h", f"{_HERE}.history", "HistoryScreen", "Every record, newest first"),
    ScreenEntry("export", "Export", "x", f"{_HERE}.export", "ExportScreen", "Visit summary and exports", "Export"),
    ScreenEntry("labs", "Lab results", "l", f"{_HERE}.labs", "LabsScreen", "Add and read lab results", "Labs"),
    ScreenEntry("welcome", "Set up", "w", f"{_HERE}.welcome", "WelcomeScreen", "Profile, medicine, first box"),
)
BY_NAME: dict[str, ScreenEntry] = {entry.name: entry for entry in SCREENS}


def available_screens() -> list[ScreenEntry]:
    """The screens whose modules exist."""
    return [entry for entry in SCREENS if entry.available()]
