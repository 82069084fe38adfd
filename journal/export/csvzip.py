"""Every record kind of the period as its own CSV file, all in one zip, for a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from journal import models as m
from journal.export._escape import plain
from journal.summary.model import VisitSummary

# A cell starting with one of these is a formula to a spreadsheet: user text must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = plain(str(value))
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv(cls: type[m.Record], records: list[Any], names: dict[str, str]) -> str:
    columns = list(m.field_names(cls))
    with_med = "medication_id" in columns
    header = [*columns, "medication"] if with_med else columns
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for record in records:
        row = record.row()
        cells = [_cell(row.get(c)) for c in columns]
        if with_med:
            cells.append(_cell(names.get(row.get("medication_id") or "", "")))
        writer.writerow(cells)
    return out.getvalue()


def csv_files(data: VisitSummary) -> dict[str, str]:
    """File name to CSV text, one file per record kind (a header row even when empty)."""
    r = data.records
    names = {med.id: med.name for med in r.medications}
    kinds: list[tuple[type[m.Record], list[Any]]] = [
        (m.Profile, [r.profile] if r.profile else []),
        (m.Medication, r.medications),
        (m.Schedule, r.schedules),
        (m.SupplyBox, r.supply_boxes),
        (m.SyringeCheck, r.syringe_checks),
        (m.Dose, r.doses),
        (m.SideEffect, r.side_effects),
        (m.Allergy, r.allergies),
        (m.Condition, r.conditions),
        (m.Appointment, r.appointments),
        (m.Checkin, r.checkins),
        (m.Question, r.questions),
        (m.LabResult, r.lab_results),
    ]
    return {f"{cls.table}.csv": _csv(cls, records, names) for cls, records in kinds}


def render_csv_zip(data: VisitSummary) -> bytes:
    """The zip of CSV files (UTF-8 with a byte-order mark, so spreadsheets detect the encoding)."""
    stamp = data.generated_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        readme = (
            f"medjournal export, period {data.period.text}, generated {data.generated_local}.\r\n"
            "One CSV file per kind of record; times are UTC (ISO 8601) with the time zone they were recorded in.\r\n"
            "Cells that a spreadsheet would read as a formula start with an apostrophe.\r\n"
        )
        archive.writestr(zipfile.ZipInfo("README.txt", date_time=stamp), readme.encode("utf-8"))
        for name, text in csv_files(data).items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, ("\ufeff" + text).encode("utf-8"))
    return buffer.getvalue()
