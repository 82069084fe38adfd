"""Import from another app: a file read into plain data (journal.importers), then each record written through the
use cases, as if typed, and held to the store's rules.

One import is one transaction (one `undo` takes it back); each record group (a medicine and its schedule, a dose and
its source) is kept or dropped on its own inside it, so what a rule refuses is listed and the rest still comes in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import field
from datetime import datetime
from pathlib import Path

from journal import models as m
from journal.application.doses import ExtraDoseError, record_dose, record_skip, refuse_extra
from journal.application.medicines import add_medication, same_medicine, schedule_words
from journal.dataclass import dataclass
from journal.errors import JournalError, RecordError
from journal.importers import FORMATS, LABELS, ImportFileError, Intake, Medicine, Parsed, detect, name_key
from journal.store import Store

# The largest file read (a ten-year MyTherapy archive is about 2 MB; a MedTimer backup of ten years, about 10).
MAX_BYTES = 64 * 1024 * 1024


def read_file(path: Path, *, source_format: str | None, zone: str) -> Parsed:
    """A file's records, its format recognised from its content unless given; ImportFileError naming the file."""
    name = str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImportFileError(f"{name} is not a file.")
        if size > MAX_BYTES:
            raise ImportFileError(
                f"{name} is {size / 1024 / 1024:.1f} MB, more than the {MAX_BYTES // 1024 // 1024} MB an import reads."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{name} cannot be read: {exc.strerror or exc}.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            "it is not a MedTimer backup or a MyTherapy archive."
        ) from None
    if not text.strip():
        raise ImportFileError(f"{name} is empty.")
    found = source_format or detect(text)
    if found is None:
        raise ImportFileError(
            f"{name} is neither a MedTimer backup (JSON) nor a MyTherapy Archive.csv; "
            f"name its format with --format ({'|'.join(FORMATS)}) if it is one."
        )
    if found == "medtimer":
        from journal.importers import medtimer

        return medtimer.parse(text, name=name)
    if found == "mytherapy":
        from journal.importers import mytherapy

        return mytherapy.parse(text, name=name, zone=zone)
    raise ImportFileError(f"{found!r} is not a format the import reads ({', '.join(FORMATS)}).")


@dataclass(kw_only=True)
class Skipped:
    """A record not imported: what, why, and whether a rule or a value refused it (rather than the journal having
    no place for it)."""

    what: str
    why: str
    refused: bool = False


@dataclass(kw_only=True)
class ImportReport:
    """What an import added, found already there, and skipped; `written` is False after a dry run or a refusal."""

    format: str
    file: str
    zone: str
    medicines: list[str] = field(default_factory=list)  # each added medicine, with its schedule in words
    taken: Counter[str] = field(default_factory=Counter)  # doses taken added, per medicine
    skips: Counter[str] = field(default_factory=Counter)  # doses skipped added, per medicine
    already: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def label(self) -> str:
        return LABELS.get(self.format, self.format)

    @property
    def refused(self) -> list[Skipped]:
        return [s for s in self.skipped if s.refused]

    @property
    def added(self) -> int:
        return len(self.medicines) + sum(self.taken.values()) + sum(self.skips.values())


class _Undo(Exception):
    """Raised to roll the import's transaction back (a dry run, or --all-or-nothing with a refusal)."""


def import_file(
    store: Store,
    parsed: Parsed,
    *,
    file: str,
    now: datetime,
    zone: str,
    dry_run: bool = False,
    all_or_nothing: bool = False,
) -> ImportReport:
    """Write what `parsed` holds through the use cases, in one transaction; the report of what happened.

    A record already imported from this format (its key kept with it) is counted as already there; a medicine
    already on the list is used as it is. `dry_run` does everything and rolls it back, so the report says exactly
    what an import would do; `all_or_nothing` rolls back when any record was refused.
    """
    report = ImportReport(format=parsed.format, file=file, zone=zone, notes=list(parsed.notes))
    report.skipped.extend(Skipped(what=left.what, why=left.why) for left in parsed.left)
    try:
        with store.transaction():
            _write(store, parsed, report, now=now)
            if dry_run or (all_or_nothing and report.refused):
                raise _Undo
    except _Undo:
        return report
    report.written = True
    return report


def _write(store: Store, parsed: Parsed, report: ImportReport, *, now: datetime) -> None:
    known = store.import_sources(parsed.format)
    meds: dict[str, m.Medication | None] = {}
    for med in parsed.medicines:
        meds[name_key(med.name)] = _medicine(store, med, report, known, now=now)
    done: set[str] = set()
    for intake in parsed.intakes:
        if intake.key in known or intake.key in done:
            report.already += 1
            continue
        done.add(intake.key)
        record = meds.get(name_key(intake.medicine))
        if record is None:
            report.skipped.append(Skipped(what=_intake_words(intake, report.zone), why="its medicine was not imported"))
            continue
        _intake(store, record, intake, report, now=now)


def _source(store: Store, report: ImportReport, key: str, record: m.Record, now: datetime) -> None:
    store.add(
        m.ImportSource(format=report.format, file=report.file, key=key, record_table=record.table, record_id=record.id),
        now=now,
    )


def _medicine(
    store: Store, med: Medicine, report: ImportReport, known: dict[str, tuple[str, str]], *, now: datetime
) -> m.Medication | None:
    """The journal's medicine for one the file lists: imported before, already on the list, or added now."""
    if med.key in known:
        earlier = store.get(m.Medication, known[med.key][1], include_deleted=True)
        if earlier is not None and earlier.deleted_at is None:
            report.already += 1
            return earlier
    try:
        candidate = m.Medication.validate({"name": med.name}, now=now)
    except RecordError as exc:
        report.skipped.append(Skipped(what=f"medicine {med.name}", why=exc.message, refused=True))
        return None
    existing = same_medicine(store, candidate)
    if existing is not None:
        report.already += 1
        return existing
    today = m.local_day(now, report.zone)
    values = {"name": med.name, "directions": med.directions, "note": med.note}
    try:
        with store.savepoint():
            record = add_medication(store, values, now=now, today=today, spec=med.spec)
            _source(store, report, med.key, record, now)
    except JournalError as exc:
        if med.spec is None or getattr(exc, "rule", None) is None:
            report.skipped.append(Skipped(what=f"medicine {med.name}", why=exc.message, refused=True))
            return None
        # A schedule a rule refuses (weekly methotrexate set daily): the medicine comes in without it.
        report.skipped.append(Skipped(what=f"{med.name}'s schedule ({med.spec})", why=exc.message, refused=True))
        return _medicine(store, Medicine(name=med.name, key=med.key, directions=med.directions), report, known, now=now)
    plan = schedule_words(store, record, today=today)
    report.medicines.append(f"{record.describe()}" + (f" ({plan})" if plan else " (no schedule)"))
    if med.unscheduled:
        report.skipped.append(Skipped(what=f"{med.name}'s schedule", why=med.unscheduled))
    return record


def _intake_words(intake: Intake, zone: str) -> str:
    local = intake.at.astimezone(m.zone_of(zone))
    return f"{intake.medicine} {'taken' if intake.taken else 'skipped'} {local:%Y-%m-%d %H:%M}"


def _intake(store: Store, med: m.Medication, intake: Intake, report: ImportReport, *, now: datetime) -> None:
    """One dose taken or skipped, as `dose` or `skip` would record it; a dose the rules refuse is listed, not
    forced in (never marked extra on the file's behalf)."""
    zone = report.zone
    try:
        with store.savepoint():
            if not intake.taken:
                dose = record_skip(
                    store, med, at=intake.at, zone=zone, now=now, reason=intake.reason or "skipped", note=intake.note
                )
            elif med.injected:
                # Not record_dose: it would choose an injection site the source never recorded.
                refuse_extra(store, med, at=intake.at, zone=zone, now=now)
                dose = store.add(
                    m.Dose.validate(
                        {"medication_id": med.id, "at": intake.at, "tz": zone, "note": intake.note}, now=now
                    ),
                    now=now,
                )
            else:
                found = record_dose(store, med, at=intake.at, zone=zone, now=now, note=intake.note).dose
                assert found is not None  # a medicine that is not injected has no syringe to discard
                dose = found
            _source(store, report, intake.key, dose, now)
    except ExtraDoseError as exc:
        why = f"{exc.reason}: as an extra dose it is left for you to record (`dose --extra`)"
        report.skipped.append(Skipped(what=_intake_words(intake, zone), why=why, refused=True))
        return
    except JournalError as exc:
        report.skipped.append(Skipped(what=_intake_words(intake, zone), why=exc.message, refused=True))
        return
    (report.taken if intake.taken else report.skips)[med.describe()] += 1


__all__ = ["MAX_BYTES", "ImportFileError", "ImportReport", "Skipped", "import_file", "read_file"]
