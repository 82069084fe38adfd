"""History's edit dialog, for every kind of record and every form of medicine.

The case reported (issue 23, item 9): `e` on a tablet dose in History closed the app with
`WrongType: ... expected BodyMap, found Entry`, losing what was typed: the dialog took any widget
with the spot's id for a body map, and a dose without one has a plain field there.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from journal import models as m
from journal.store import Store
from journal.store.timeline import KINDS
from journal.tui.app import MedJournalApp
from journal.tui.screens.history import kind_label
from journal.tui.widgets.bodymap import BodyMap
from tests.tui.conftest import ZONE, at, build, put, seed
from tests.tui.test_flows import cell, drive, type_text


def _screen(app: MedJournalApp) -> str:
    return type(app.screen).__name__


def _changes(store: Store) -> int:
    """How many changes the journal's history holds: the same number means nothing was written."""
    return len(store.history(limit=100_000))


async def _edit_first(app: MedJournalApp, pilot: Pilot[None], kind: str) -> None:
    """Open History, put the cursor on the newest entry of `kind` and press `e`."""
    await pilot.press("h")
    table = app.screen.query_one("#timeline", DataTable)
    table.move_cursor(row=next(r for r in range(table.row_count) if cell(table, r, 1) == kind))
    await pilot.press("e")
    await pilot.pause()
    assert _screen(app) == "EditRecordDialog"


def _medicine_with_a_dose(store: Store, spot: str | None = None, **medicine: Any) -> m.Dose:
    med = put(store, m.Medication, name="folic acid", strength="5 mg", tracked=True, **medicine)
    dose = put(store, m.Dose, at(1, 9), medication_id=med.id, at=at(1, 9), tz=ZONE, spot=spot, note="with breakfast")
    assert isinstance(dose, m.Dose)
    return dose


def test_editing_a_tablet_dose_from_history_saves_the_note_and_the_app_runs_on(store: Store) -> None:
    dose = _medicine_with_a_dose(store, form=m.MedForm.TABLET)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _edit_first(app, pilot, "dose")
        # A tablet goes nowhere on the body: no body map, no site fields, no leftover solution.
        assert not app.screen.query(BodyMap)
        assert not app.screen.query("#edit-spot, #edit-region, #edit-leftover")
        note = app.screen.query_one("#edit-note")
        note.focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "with lunch")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _screen(app) == "HistoryScreen"
        assert app.is_running

    drive(app, steps)
    saved = store.get(m.Dose, dose.id)
    assert saved is not None and saved.note == "with lunch" and saved.spot is None and saved.region is None


@pytest.mark.parametrize(
    ("medicine", "held", "spot"),
    [
        ({"form": m.MedForm.TABLET}, None, None),
        ({}, None, None),  # no form, no pack: not an injection
        ({"form": m.MedForm.TABLET, "pack": "anakinra"}, None, None),  # the form says tablet: no body map
        ({"form": m.MedForm.TABLET}, "left arm", "Entry"),  # a site held by mistake is shown, to be cleared
        ({"form": m.MedForm.INJECTION}, None, "Entry"),  # an injection without a pack: the site as typed
        ({"pack": "anakinra"}, "thigh-left:A1", "BodyMap"),  # the pack's body map places the spot
    ],
    ids=["tablet", "no-form", "tablet-with-pack", "tablet-with-a-site", "injection-without-pack", "injection"],
)
def test_a_dose_is_edited_with_the_site_field_its_form_calls_for(
    store: Store, medicine: dict[str, Any], held: str | None, spot: str | None
) -> None:
    dose = _medicine_with_a_dose(store, held, **medicine)
    app = build(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _edit_first(app, pilot, "dose")
        found = app.screen.query("#edit-spot")
        assert (type(found.first()).__name__ if found else None) == spot
        app.screen.query_one("#edit-note").focus()
        await pilot.press("ctrl+u")
        await type_text(pilot, "late")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _screen(app) == "HistoryScreen"

    drive(app, steps)
    saved = store.get(m.Dose, dose.id)
    assert saved is not None and saved.note == "late" and saved.spot == held


def _every_kind(store: Store) -> None:
    """A small journal with at least one record of each kind History lists (all on its first page)."""
    seed(store, days=2, serious=True)
    _medicine_with_a_dose(store, form=m.MedForm.TABLET)
    put(store, m.Condition, name="rheumatoid arthritis")
    put(store, m.Checkin, at(1, 20), at=at(1, 20), tz=ZONE, pain=3)
    put(store, m.LabResult, test="CRP", value=4.5, unit="mg/L", range_high=5.0, at=at(3, 9), tz=ZONE)


@pytest.mark.parametrize("kind", [kind_label(kind) for kind in KINDS])
def test_every_kind_history_lists_opens_in_the_edit_dialog_and_saves_unchanged(store: Store, kind: str) -> None:
    _every_kind(store)
    app = build(store)
    before = _changes(store)

    async def steps(pilot: Pilot[None]) -> None:
        await _edit_first(app, pilot, kind)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _screen(app) == "HistoryScreen"
        assert app.is_running

    drive(app, steps)
    assert _changes(store) == before  # nothing changed, nothing written
