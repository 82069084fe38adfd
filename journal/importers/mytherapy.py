"""MyTherapy's `Archive.csv`: one row per intake or measurement, local times with no zone.

    actual_date,scheduled_date,type,name,value,unit,status,note
    2026-08-18 08:00:00,2026-08-18 08:00:00,drug,Metformina tabletas,1.00,comprimido(s),confirmed,

`drug` rows are doses (`confirmed` taken, `rejected` skipped with the note as the reason); `measurement` and
`activity` rows are not medicine. The same (actual_date, type, name) can appear twice: it is read once.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from journal.importers import ImportFileError, Intake, Left, Medicine, Parsed, name_key, row_hash

COLUMNS = ("actual_date", "type", "name", "status")
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


def parse(text: str, *, name: str, zone: str) -> Parsed:
    """The drug rows of an archive as intakes, at their local times in `zone`; ImportFileError when it is damaged."""
    parsed = Parsed(format="mytherapy")
    tz = ZoneInfo(zone)
    lines = text.splitlines()
    try:
        rows = list(csv.reader(lines, strict=True))
    except csv.Error as exc:
        raise ImportFileError(f"{name} is not a readable MyTherapy archive: {exc}.") from None
    if not rows:
        raise ImportFileError(f"{name} is empty.")
    header = [c.strip().lower() for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFileError(f"{name} is not a MyTherapy archive: it has no {', '.join(missing)} column.")
    column = {c: i for i, c in enumerate(header)}
    seen: set[str] = set()
    names: dict[str, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            where = "ends in the middle of" if number == len(rows) else "has a damaged"
            raise ImportFileError(
                f"{name} {where} a row (line {number} has {len(row)} of its {len(header)} fields): "
                "export it again from MyTherapy."
            )

        def cell(key: str, row: list[str] = row) -> str:
            return row[column[key]].strip() if key in column else ""

        kind, med_name, status, stamp = cell("type").lower(), cell("name"), cell("status").lower(), cell("actual_date")
        what = f"{med_name or 'a row'} on {stamp or 'no date'} (line {number})"
        key = row_hash(stamp, kind, name_key(med_name))
        if key in seen:
            parsed.left.append(Left(what=what, why="the same row is in the archive twice; it is read once"))
            continue
        seen.add(key)
        if kind in ("measurement", "activity"):
            parsed.left.append(
                Left(what=what, why=f"{'an activity' if kind == 'activity' else 'a measurement'}, not a medicine")
            )
            continue
        if kind != "drug":
            parsed.left.append(Left(what=what, why=f"its type {kind!r} is not one the journal imports"))
            continue
        if not med_name:
            parsed.left.append(Left(what=what, why="it names no medicine"))
            continue
        if status not in ("confirmed", "rejected"):
            parsed.left.append(Left(what=what, why=f"its status {status!r} is neither confirmed nor rejected"))
            continue
        local = _local(stamp)
        if local is None:
            parsed.left.append(Left(what=what, why=f"{stamp!r} is not a date and time such as 2026-08-18 08:00:00"))
            continue
        at, choice = _to_utc(local, tz)
        if choice:
            parsed.notes.append(f"{med_name} on {stamp} (line {number}): {choice}")
        names.setdefault(name_key(med_name), med_name)
        amount = " ".join(p for p in (cell("value"), cell("unit")) if p) or None
        note = cell("note") or None
        taken = status == "confirmed"
        parsed.intakes.append(
            Intake(
                medicine=med_name,
                key=key,
                at=at,
                taken=taken,
                reason=None if taken else (note or "rejected in MyTherapy"),
                note="; ".join(p for p in (amount, note if taken else None) if p) or None,
            )
        )
    parsed.medicines = [Medicine(name=n, key="medicine:" + k) for k, n in names.items()]
    return parsed


def _local(stamp: str) -> datetime | None:
    for form in _FORMATS:
        try:
            return datetime.strptime(stamp, form)
        except ValueError:
            continue
    return None


def _to_utc(local: datetime, tz: ZoneInfo) -> tuple[datetime, str | None]:
    """A wall time in `tz` as UTC, and what was chosen when the clocks changed: of a time that happened twice
    (clocks back), the first; a time that never happened (clocks forward) is read with the offset before the
    change, so 02:30 on the night the clocks skip from 02:00 to 03:00 becomes 03:30."""
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC), None
    back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local
    if back:
        return first.astimezone(UTC), "this time happened twice (the clocks went back); the first is used"
    moved = first.astimezone(UTC).astimezone(tz)
    shift = moved.replace(tzinfo=None) - local
    return first.astimezone(UTC), (
        f"this time did not exist (the clocks went forward); read as {moved:%H:%M}"
        + (f", {int(shift / timedelta(minutes=1))} minutes later" if shift else "")
    )
