"""`medjournal import` as a user runs it: the summary, a second run that adds nothing, a broken file refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

ARCHIVE = Path(__file__).resolve().parents[1] / "fixtures" / "mytherapy" / "Archive.csv"


def test_import_prints_what_came_in_and_a_second_run_adds_nothing(
    medjournal: Callable[..., Run], journal_path: Path, tmp_path: Path
) -> None:
    dry = medjournal("import", str(ARCHIVE), "--dry-run", "--tz", "Europe/Madrid")
    assert dry.code == 0 and "Dry run, nothing was written: 7 added" in dry.out
    assert not journal_path.exists()

    first = medjournal("import", str(ARCHIVE), "--tz", "Europe/Madrid")
    assert first.code == 0, first.err
    assert "medicine added: Metformina tabletas (no schedule)" in first.out
    assert "skipped: Peso on 2026-08-18 22:09:02 (line 5): a measurement, not a medicine" in first.out
    assert "Imported: 7 added, 0 already there, 3 skipped." in first.out
    again = medjournal("import", str(ARCHIVE))
    assert again.code == 0 and "Imported: 0 added, 7 already there" in again.out

    # A name from the file is data: its control characters are shown, never sent to the terminal.
    hostile = tmp_path / "Archive.csv"
    hostile.write_text(
        "actual_date,scheduled_date,type,name,value,unit,status,note\n"
        "2026-08-18 08:00:00,,drug,Evil\x1b]0;pwned\x07,1,pill,confirmed,\n",
        encoding="utf-8",
    )
    shown = medjournal("import", str(hostile))
    assert shown.code == 0 and "Evil\\x1b]0;pwned\\x07" in shown.out and "\x1b" not in shown.out

    broken = tmp_path / "backup.json"
    broken.write_bytes(b'{"version": 4, "list": [')
    refused = medjournal("import", str(broken))
    assert refused.code == 1 and refused.out == ""
    assert refused.err.startswith("error: ") and refused.err.count("\n") == 1 and "backup.json" in refused.err
