"""One hostile stored value never stops the journal (issue 31, Why 5 and 6, Deliver 5).

Each value is written into a demo journal with plain sqlite3, as another program or a hand edit
would, and every reading command runs over it: no traceback; exit 0 or 3, or one `error:` line
(status and check exit 1 on damage, and say so); the damaged record named; the emergency list
printed in every format. The TUI's first paint runs over each too.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.reliability._helpers import Result, run_cli

EMERGENCY_FORMATS = ("text", "markdown", "json", "html", "pdf", "card")
EXPORT_FORMATS = ("markdown", "html", "pdf", "fhir", "csv", "ics")


@dataclass(frozen=True)
class Hostile:
    """One value put in one column of one row (`pick` chooses the row's id)."""

    table: str
    column: str
    value: str  # SQL
    pick: str  # SQL returning one id
    emergency: bool = False  # a row the emergency list reads: it names it
    unreadable: bool = True  # the row is left out and named (else the value is used as it stands)


_LATEST_DOSE = "SELECT id FROM doses WHERE status = 'taken' ORDER BY at DESC LIMIT 1"
_ANAKINRA = "SELECT id FROM medications WHERE name = 'Anakinra'"

HOSTILE = {
    "medicine name not UTF-8 (a blob)": Hostile("medications", "name", "X'FFFE00'", _ANAKINRA, emergency=True),
    "medicine name not UTF-8 (text)": Hostile(
        "medications", "name", "CAST(X'FFFE41' AS TEXT)", _ANAKINRA, emergency=True
    ),
    "medicine name NULL": Hostile("medications", "name", "NULL", _ANAKINRA, emergency=True),
    "profile name a blob": Hostile("profile", "name", "X'414243'", "SELECT id FROM profile", emergency=True),
    "dose note not UTF-8": Hostile("doses", "note", "CAST(X'C328' AS TEXT)", _LATEST_DOSE),
    "dose zone Mars/Olympus": Hostile("doses", "tz", "'Mars/Olympus'", _LATEST_DOSE, emergency=True),
    "schedule start NULL": Hostile("schedules", "starts", "NULL", "SELECT id FROM schedules LIMIT 1"),
    # The emergency list does not read schedules: it prints in full; the others skip the row and name it.
    "schedule spec garbled": Hostile(
        "schedules", "spec", "'every blue moon at 25:99'", "SELECT id FROM schedules LIMIT 1"
    ),
    "schedule spec not text": Hostile("schedules", "spec", "X'00FF'", "SELECT id FROM schedules LIMIT 1"),
    "box count 2**63": Hostile("supply_boxes", "count", "9223372036854775808", "SELECT id FROM supply_boxes LIMIT 1"),
    "lab value NaN": Hostile("lab_results", "value", "'NaN'", "SELECT id FROM lab_results LIMIT 1"),
    "dose time 226-11-20": Hostile("doses", "at", "'226-11-20'", _LATEST_DOSE),
    "dose status unknown": Hostile("doses", "status", "'teleported'", _LATEST_DOSE),
    "medicine kind unknown": Hostile(
        "medications", "kind", "'potion'", "SELECT id FROM medications WHERE name = 'Ibuprofen'"
    ),
    "appointment zone Mars/Olympus": Hostile(
        "appointments", "tz", "'Mars/Olympus'", "SELECT id FROM appointments ORDER BY at DESC LIMIT 1"
    ),
    "medicine start 2026-13-45": Hostile(
        "medications", "started", "'2026-13-45'", "SELECT id FROM medications WHERE name = 'Methotrexate'"
    ),
    "allergy substance a blob": Hostile(
        "allergies", "substance", "X'FF'", "SELECT id FROM allergies LIMIT 1", emergency=True
    ),
    "check-in pain a word": Hostile("checkins", "pain", "'lots'", "SELECT id FROM checkins LIMIT 1"),
}


@pytest.fixture(scope="module")
def demo_journal(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a year of invented journal, with a lab result added."""
    db = tmp_path_factory.mktemp("demo") / "journal.db"
    assert run_cli(db, "demo").code == 0
    assert run_cli(db, "lab", "add", "CRP", "4.2", "mg/L").code == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db.read_bytes()


def _hostile_journal(path: Path, data: bytes, hostile: Hostile) -> str:
    path.write_bytes(data)
    conn = sqlite3.connect(path)
    try:
        (row_id,) = conn.execute(hostile.pick).fetchone()
        with conn:
            conn.execute(f"UPDATE {hostile.table} SET {hostile.column} = {hostile.value} WHERE id = ?", [row_id])
    finally:
        conn.close()
    return str(row_id)


def _commands(out: Path) -> list[tuple[str, ...]]:
    commands: list[tuple[str, ...]] = [
        ("status",),
        ("status", "--json"),
        ("check",),
        ("med", "list"),
        ("history",),
        ("supply",),
        ("remind", "--once", "--via", "terminal"),
    ]
    commands += [("emergency", "--format", f, "-o", str(out / f"emergency.{f}"), "--force") for f in EMERGENCY_FORMATS]
    commands += [("emergency", "--format", f) for f in ("text", "markdown", "json")]
    # A csv export is a zip of CSV files: a name ending in .csv is refused.
    names = {f: f"export.{'zip' if f == 'csv' else f}" for f in EXPORT_FORMATS}
    commands += [("export", "--format", f, "-o", str(out / names[f]), "--force") for f in EXPORT_FORMATS]
    return commands


def _assert_survived(args: tuple[str, ...], done: Result) -> None:
    assert "Traceback" not in done.err, (args, done.err)
    errors = [line for line in done.err.splitlines() if line.startswith("error:")]
    others = [line for line in done.err.splitlines() if not line.startswith(("error:", "warning:", "note:"))]
    assert not others, (args, done.err)
    if done.code in (0, 3):
        assert not errors, (args, done.err)
        return
    assert done.code == 1, (args, done.code, done.err)
    damaged_status = args[0] == "status" and ("JOURNAL DAMAGED" in done.out or '"damage"' in done.out)
    assert damaged_status or len(errors) == 1, (args, done.out, done.err)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_every_reading_command_survives_a_hostile_value(case: str, tmp_path: Path, demo_journal: bytes) -> None:
    hostile = HOSTILE[case]
    db = tmp_path / "journal.db"
    row_id = _hostile_journal(db, demo_journal, hostile)
    out = tmp_path / "out"
    out.mkdir()
    for args in _commands(out):
        done = run_cli(db, *args)
        _assert_survived(args, done)
        if args[0] == "emergency":
            assert done.code == 0, (args, done.err)
            if "-o" in args:
                written = Path(args[args.index("-o") + 1])
                assert written.stat().st_size > 0
                shown = done.err + (
                    written.read_text("utf-8") if args[2] in ("html", "text", "markdown", "json") else ""
                )
            else:
                shown = done.out + done.err
            if hostile.emergency and hostile.unreadable:
                assert row_id in shown, (args, shown[-2000:])
        if args[0] == "check" and hostile.unreadable:
            assert row_id in done.out + done.err, done.err
        if args[0] in ("status", "export", "remind") and hostile.unreadable:
            named = done.out + done.err
            if row_id not in named:  # only the commands that read the row name it
                assert hostile.table in ("lab_results", "appointments", "checkins", "profile", "allergies"), (
                    args,
                    done.err,
                )


@pytest.mark.parametrize("case", list(HOSTILE))
def test_the_tui_paints_its_first_screen_over_a_hostile_value(case: str, tmp_path: Path, demo_journal: bytes) -> None:
    from journal.store import Store
    from journal.tui.app import make_app

    db = tmp_path / "journal.db"
    _hostile_journal(db, demo_journal, HOSTILE[case])

    async def first_paint() -> str:
        with Store.open(db, daily_backup=False) as store:
            app = make_app(store, now=datetime(2026, 12, 7, 12, tzinfo=UTC), zone="UTC", blink=False)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                return type(app.screen).__name__

    assert asyncio.run(first_paint()) == "TodayScreen"


def test_a_qr_code_that_cannot_hold_everything_holds_the_most_important_part(tmp_path: Path) -> None:
    """59 allergies and a 2,200-character contact: every format prints, the code says it is shortened."""
    from journal.export.card import QR_SHORT_NOTE, QR_SHORTENED, card_qr, page_qr
    from journal.store import Store
    from journal.summary.emergency import build_emergency_list

    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    conn = sqlite3.connect(db)
    with conn:
        for i in range(59):
            conn.execute(
                "INSERT INTO allergies (id, created_at, updated_at, substance, reaction) "
                "VALUES (?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?, 'swelling of the throat')",
                [f"a{i:031d}", f"substance with a long name number {i}"],
            )
    conn.close()
    assert run_cli(db, "profile", "--emergency-contact", "call " * 440).code == 0
    with Store.open(db, daily_backup=False) as store:
        data = build_emergency_list(store, now=datetime(2026, 12, 7, tzinfo=UTC), zone="UTC")
    for text, _size in (page_qr(data), card_qr(data)):
        assert QR_SHORTENED in text
        assert (
            text.index("substance with a long name number 0") < text.index("Emergency contact")
            if "Emergency contact" in text
            else True
        )
    for fmt in EMERGENCY_FORMATS:
        target = tmp_path / f"list.{fmt}"
        done = run_cli(db, "emergency", "--format", fmt, "-o", str(target))
        assert done.code == 0 and "Traceback" not in done.err, (fmt, done.err)
        if fmt in ("html", "card"):
            assert QR_SHORT_NOTE.removesuffix(".") in target.read_text("utf-8")
    listed = run_cli(db, "emergency")
    assert listed.code == 0 and "substance with a long name number 58" in listed.out


def test_a_hostile_value_is_data_in_the_json_emergency_list(tmp_path: Path, demo_journal: bytes) -> None:
    db = tmp_path / "journal.db"
    row_id = _hostile_journal(db, demo_journal, HOSTILE["medicine name not UTF-8 (text)"])
    done = run_cli(db, "emergency", "--format", "json")
    listed = json.loads(done.out)
    assert any(row_id in line for line in listed["damaged"])
    assert "Methotrexate" in {med["name"] for med in listed["medicines"]}


def test_the_tui_names_a_garbled_schedule_on_its_first_paint(tmp_path: Path, demo_journal: bytes) -> None:
    """A schedule the parser does not know is left out and named in Today's banner; the rest is shown."""
    from textual.widgets import Static

    from journal.store import Store
    from journal.tui.app import make_app

    db = tmp_path / "journal.db"
    row_id = _hostile_journal(db, demo_journal, HOSTILE["schedule spec garbled"])

    async def first_paint() -> str:
        with Store.open(db, daily_backup=False) as store:
            app = make_app(store, now=datetime(2026, 12, 7, 12, tzinfo=UTC), zone="UTC", blink=False)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                return str(app.screen.query_one("#danger-banner", Static).render())

    banner = " ".join(asyncio.run(first_paint()).split())
    assert "THE JOURNAL IS DAMAGED" in banner
    assert f"schedules record {row_id}" in banner and "every blue moon" in banner, banner
