"""The emergency list is read without pydantic or sqlite-utils, and says what the journal holds."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from journal import models as m
from journal.export.emergency import render_json, render_text
from journal.store import Store
from journal.summary.emergency import build_emergency_list

NOW = datetime(2026, 11, 20, 12, 0, 30, tzinfo=UTC)


def _fill(path: Path) -> None:
    with Store.open(path) as store:
        med = store.add(m.Medication(name="anakinra", brand="Kineret", pack="anakinra", tracked=True))
        store.add(m.Medication(name="Mystery pill", pack="no-such-pack", kind=m.MedKind.SUPPLEMENT))
        store.add(m.Dose(medication_id=med.id, at=datetime(2026, 11, 20, 7, 45, tzinfo=UTC), tz="Europe/Paris"))
        store.add(m.Allergy(substance="latex", reaction="hives"))
        store.add(m.Condition(name="Still's disease"))
        store.save_profile(name="Alex", born="1980-02-03")


def test_the_emergency_command_imports_neither_pydantic_nor_sqlite_utils(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    _fill(path)
    code = (
        "import sys\n"
        "from journal.cli import cli\n"
        f"cli.main(['--db', r'{path}', 'emergency'], standalone_mode=False)\n"
        "print('LOADED', sorted(m for m in ('pydantic', 'sqlite_utils') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "LOADED []"
    assert "latex (hives)" in done.stdout and "Kineret" in done.stdout
    assert "last dose: 2026-11-20 08:45 CET" in done.stdout


def test_a_missing_pack_leaves_the_medicine_on_the_list_without_its_route(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    _fill(path)
    with Store.open(path) as store:
        data = build_emergency_list(store, now=NOW, zone="UTC")
    medicines = {med.name: med for med in data.medicines}
    assert medicines["anakinra"].route == "subcutaneous"  # from the shipped pack
    assert medicines["Mystery pill"].route is None and medicines["Mystery pill"].kind == m.MedKind.SUPPLEMENT
    assert len(data.warnings) == 1  # the anakinra pack's key warning, once
    assert "Mystery pill - supplement" in render_text(data)


def test_emergency_json_gives_utc_times_with_z_and_the_fields_in_order(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    _fill(path)
    with Store.open(path) as store:
        data = json.loads(render_json(build_emergency_list(store, now=NOW, zone="Europe/Paris")))
    assert data["generated_at"] == "2026-11-20T12:00:30Z"
    assert data["born"] == "1980-02-03" and data["name"] == "Alex"
    assert data["allergies"] == [{"substance": "latex", "reaction": "hives"}]
    assert data["conditions"] == ["Still's disease"]
    first = data["medicines"][0]
    assert list(first) == [
        "name",
        "generic",
        "brand",
        "kind",
        "strength",
        "directions",
        "reason",
        "route",
        "tracked",
        "last_dose_at",
        "last_dose_local",
        "last_dose_site",
    ]
    assert first["last_dose_at"] == "2026-11-20T07:45:00Z" and first["tracked"] is True
