"""The journal's schema, one step per function, applied in order by sqlite-utils.

Each step is frozen once released: change the schema by adding a step, never by editing
one. Every step runs in a transaction together with the row that records it.

`STEPS`, at the end, lists the steps in order: journal.store.connection hands them to
sqlite-utils' Migrations, and compares their names with a journal's applied steps without
importing sqlite-utils (a journal already current is opened through sqlite3 alone). A new
step is a new function here and its name at the end of `STEPS`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlite_utils import Database

_META: dict[str, Any] = {"id": str, "created_at": str, "updated_at": str, "deleted_at": str}


def _table(db: Database, name: str, columns: dict[str, Any], **fks: str) -> None:
    db.table(name).create(
        {**_META, **columns},
        pk="id",
        not_null={"id", "created_at", "updated_at"},
        foreign_keys=[(column, other, "id") for column, other in fks.items()],
    )


def m001_initial(db: Database) -> None:
    _table(
        db,
        "profile",
        {"name": str, "born": str, "emergency_contact": str, "doctor": str, "pharmacy": str, "notes": str},
    )
    _table(
        db,
        "medications",
        {
            "name": str,
            "generic": str,
            "brand": str,
            "kind": str,
            "strength": str,
            "directions": str,
            "route": str,
            "reason": str,
            "prescriber": str,
            "started": str,
            "stopped": str,
            "stop_reason": str,
            "pack": str,
            "tracked": bool,
            "usual_time": str,
            "note": str,
        },
    )
    _table(
        db,
        "supply_boxes",
        {"medication_id": str, "received": str, "count": int, "lot": str, "expires": str, "note": str},
        medication_id="medications",
    )
    _table(
        db,
        "syringe_checks",
        {
            "medication_id": str,
            "at": str,
            "tz": str,
            "appearance": str,
            "waited_minutes": int,
            "outcome": str,
            "reason": str,
            "box_id": str,
        },
        medication_id="medications",
        box_id="supply_boxes",
    )
    _table(
        db,
        "doses",
        {
            "medication_id": str,
            "at": str,
            "tz": str,
            "status": str,
            "region": str,
            "spot": str,
            "given_by": str,
            "check_id": str,
            "leftover": bool,
            "reason": str,
            "note": str,
        },
        medication_id="medications",
        check_id="syringe_checks",
    )
    _table(
        db,
        "side_effects",
        {
            "symptom": str,
            "symptom_key": str,
            "tier": str,
            "severity": str,
            "started_at": str,
            "tz": str,
            "resolved_at": str,
            "doctor_contacted_at": str,
            "region": str,
            "note": str,
        },
    )
    _table(db, "allergies", {"substance": str, "reaction": str, "note": str})
    _table(db, "conditions", {"name": str, "since": str, "note": str})
    _table(
        db,
        "appointments",
        {"at": str, "tz": str, "kind": str, "with_whom": str, "purpose": str, "status": str, "outcome": str},
    )
    _table(
        db,
        "checkins",
        {"at": str, "tz": str, "pain": int, "swelling": int, "stiffness_minutes": int, "note": str},
    )
    _table(
        db,
        "questions",
        {"text": str, "answer": str, "answered_at": str, "appointment_id": str},
        appointment_id="appointments",
    )
    db.table("history").create(
        {"id": str, "at": str, "table_name": str, "row_id": str, "action": str, "before": str, "after": str},
        pk="id",
        not_null={"id", "at", "table_name", "row_id", "action"},
    )
    # The queries the screens and exports run on every open, newest first.
    db.table("doses").create_index(["medication_id", "at"])
    db.table("doses").create_index(["at"])
    db.table("syringe_checks").create_index(["at"])
    db.table("supply_boxes").create_index(["medication_id"])
    db.table("side_effects").create_index(["started_at"])
    db.table("appointments").create_index(["at"])
    db.table("checkins").create_index(["at"])
    db.table("history").create_index(["at"])
    db.table("history").create_index(["table_name", "row_id"])


def m002_indexes_for_paging_and_supply(db: Database) -> None:
    # The timeline pages boxes by when they were recorded (about 50 a year), and the supply
    # count groups every syringe check by outcome on each open: both read an index, not the table.
    db.table("supply_boxes").create_index(["created_at"])
    db.table("syringe_checks").create_index(["medication_id", "outcome", "deleted_at"])


def m003_index_for_syringes_used(db: Database) -> None:
    # Today and `status` count every taken dose since the first box on each open (supply): an
    # index of the taken doses alone answers the count without reading years of dose rows (status
    # and deleted_at are in it too, so SQLite need not look them up in the rows to be sure).
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_doses_taken ON doses (medication_id, at, status, deleted_at) "
        "WHERE status = 'taken' AND deleted_at IS NULL"
    )


def m004_lab_results(db: Database) -> None:
    # Laboratory results: a number with its unit and the lab's reference range, when it was taken.
    _table(
        db,
        "lab_results",
        {
            "test": str,
            "value": float,
            "unit": str,
            "range_low": float,
            "range_high": float,
            "at": str,
            "tz": str,
            "note": str,
        },
    )
    db.table("lab_results").create_index(["at"])
    db.table("lab_results").create_index(["test", "at"])


def m005_history_batches(db: Database) -> None:
    # The changes one write made together (a syringe check and its dose) share a batch id, so
    # `undo` takes the whole write back; rows written before this step are each their own batch.
    db.table("history").add_column("batch", str)
    db.table("history").create_index(["batch"])


def m006_schedules_forms_extra_doses(db: Database) -> None:
    # Every medicine on its own schedule: a tracked medicine's daily time becomes a daily schedule
    # from the day it started (or was added, or its first dose, whichever is earliest). The old
    # columns stay as they were, so nothing is lost. Its form says whether it is injected; a
    # medicine linked to a content pack was injected until now. `extra` marks a dose taken beyond it.
    _table(
        db,
        "schedules",
        {"medication_id": str, "spec": str, "starts": str, "ends": str, "dose": str, "note": str},
        medication_id="medications",
    )
    db.table("schedules").create_index(["medication_id", "starts"])
    db.table("medications").add_column("form", str)
    db.execute("UPDATE medications SET form = 'injection' WHERE pack IS NOT NULL")
    db.table("doses").add_column("extra", int, not_null_default=0)
    tracked = db.execute(
        "SELECT id, usual_time, started, substr(created_at, 1, 10), created_at FROM medications WHERE tracked = 1"
    ).fetchall()
    for med_id, usual, started, added, stamp in tracked:
        first = db.execute("SELECT min(substr(at, 1, 10)) FROM doses WHERE medication_id = ?", [med_id]).fetchone()[0]
        starts = min(day for day in (started, added, first) if day)
        at = usual or _usual_time(db, med_id)
        db.execute(
            "INSERT INTO schedules (id, created_at, updated_at, medication_id, spec, starts) VALUES (?, ?, ?, ?, ?, ?)",
            [uuid.uuid4().hex, stamp, stamp, med_id, f"daily at {at}", starts],
        )


def _usual_time(db: Database, med_id: str) -> str:
    # As the journal read an untimed tracked medicine until m006: the lower median of the local
    # times of its last 14 taken doses, else 08:00.
    rows = db.execute(
        "SELECT at, tz FROM doses WHERE medication_id = ? AND status = 'taken' AND deleted_at IS NULL "
        "ORDER BY at DESC LIMIT 14",
        [med_id],
    ).fetchall()
    times = sorted(datetime.fromisoformat(at).astimezone(ZoneInfo(tz)).strftime("%H:%M") for at, tz in rows)
    return times[(len(times) - 1) // 2] if times else "08:00"


def m007_box_discards(db: Database) -> None:
    # `supply discard`: a box thrown away keeps its row (nothing is hard-deleted) with when and
    # why, so its unused syringes stop counting and no later dose draws from it.
    db.table("supply_boxes").add_column("discarded_at", str)
    db.table("supply_boxes").add_column("discard_reason", str)


def m008_link_indexes(db: Database) -> None:
    # The rules follow a syringe check to its dose, and a box to its syringe checks, at every write
    # (journal/store/rules.py): without an index each is a scan of years of rows (1.9 ms for the
    # doses of the ten-year demo, twice for every dose saved).
    db.table("doses").create_index(["check_id"])
    db.table("syringe_checks").create_index(["box_id"])


def m009_pauses_and_confirmed_frequencies(db: Database) -> None:
    # A medicine paused after a suspected allergic reaction (nothing due, no reminder, a dose asks
    # first) until `med resume`, which records its note; and a frequency the prescriber confirmed
    # that the journal otherwise refuses (methotrexate more often than weekly).
    medications = db.table("medications")
    medications.add_column("paused_at", str)
    medications.add_column("pause_reason", str)
    medications.add_column("resumed_at", str)
    medications.add_column("resume_note", str)
    medications.add_column("prescribed_daily", int, not_null_default=0)


def m010_step_stops_and_dose_amounts(db: Database) -> None:
    # A schedule step that stops the medicine after its last day (the end of a taper), and the
    # amount of each dose taken, as the step in force said it ("20 mg"), for History and exports.
    db.table("schedules").add_column("then_stop", int, not_null_default=0)
    db.table("doses").add_column("amount", str)


def m011_import_sources(db: Database) -> None:
    # `medjournal import`: each imported record keeps where it came from (the app's format, the
    # file, the source's own id or a hash of its row), so that a second import of the same file
    # recognises what is already there and adds nothing.
    _table(
        db,
        "import_sources",
        {"format": str, "file": str, "key": str, "record_table": str, "record_id": str},
    )
    db.table("import_sources").create_index(["format", "key"])


STEPS = (
    m001_initial,
    m002_indexes_for_paging_and_supply,
    m003_index_for_syringes_used,
    m004_lab_results,
    m005_history_batches,
    m006_schedules_forms_extra_doses,
    m007_box_discards,
    m008_link_indexes,
    m009_pauses_and_confirmed_frequencies,
    m010_step_stops_and_dose_amounts,
    m011_import_sources,
)
