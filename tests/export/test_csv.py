"""The CSV export: every record kind in its own file, all in one zip, readable by a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace

from journal import models as m
from journal.export.csvzip import csv_files, render_csv_zip
from journal.summary.model import VisitSummary


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_zip_holds_one_csv_per_record_kind(demo_summary: VisitSummary) -> None:
    archive = zipfile.ZipFile(io.BytesIO(render_csv_zip(demo_summary)))
    names = set(archive.namelist())
    assert {f"{kind.table}.csv" for kind in m.RECORD_TYPES} <= names
    doses = _rows(archive, "doses.csv")
    assert len(doses) == len(demo_summary.records.doses)
    assert {row["medication"] for row in doses} == {"anakinra"}
    assert sum(row["status"] == "skipped" for row in doses) == demo_summary.adherence[0].skipped
    assert len(_rows(archive, "medications.csv")) == 5  # stopped ones too


def test_a_cell_a_spreadsheet_would_run_as_a_formula_stays_text(demo_summary: VisitSummary) -> None:
    allergy = m.Allergy(substance='=HYPERLINK("http://evil")', reaction="-2+3")
    records = replace(demo_summary.records, allergies=[allergy])
    text = csv_files(replace(demo_summary, records=records))["allergies.csv"]
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["substance"] == '\'=HYPERLINK("http://evil")'
    assert row["reaction"] == "'-2+3"
