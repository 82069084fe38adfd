"""The rules that protect a record, checked where the store writes and by `check`.

Every write (add, edit, delete, undo, restore of a deleted record) runs `enforce` inside its
transaction, and `scan` runs the same rules over a whole journal (`check`, and a backup before
`restore` takes it), so no path can store a syringe that looked wrong as injected, a spot
outside its region, a date no calendar of ours can show, or a record whose fields contradict
each other (a stop before the start). The rules live here only; a record checks its values'
types and limits when it is made, and nothing across its fields.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from journal import models as m
from journal.content import Pack, PackError, Verdict, load_pack
from journal.dataclass import dataclass
from journal.errors import RecordError

if TYPE_CHECKING:
    from journal.store.store import Store

# Rules across a medicine's records that earlier versions did not hold at the write: a journal they wrote
# may break them, so they never block its restore (see backups.validate_source); `check` names them.
ACROSS_RECORDS = frozenset(
    {
        "one entry per medicine",
        "once a week",
        "no dose after the stop",
        "no dose before the start",
        "extra doses marked",
        "one step at a time",
    }
)

# The calendar the journal can store and show (the same bounds WHEN accepts).
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass(frozen=True)
class Violation:
    """One record that breaks one rule."""

    table: str
    record_id: str
    rule: str
    message: str
    field: str | None = None

    def line(self) -> str:
        """The violation in one line: table, short id, rule, what is wrong."""
        return f"{self.table} {self.record_id[:8]}: {self.rule}: {self.message.rstrip('.')}"


class RuleError(RecordError):
    """A write refused because the record would break a rule; `rule` names it."""

    def __init__(self, violation: Violation) -> None:
        super().__init__(f"{violation.message} (rule: {violation.rule})", field=violation.field)
        self.rule = violation.rule
        self.violation = violation


def enforce(record: m.Record, store: Store, *, now: datetime) -> None:
    """Raise RuleError for the first rule `record` (about to be written) or a record linked to it would break."""
    for found in violations(record, store, now=now):
        raise RuleError(found)


def violations(record: m.Record, store: Store, *, now: datetime, scanning: bool = False) -> list[Violation]:
    """Every rule broken by `record` as it would be stored, and by the live records that link to it.

    `scanning` (check): of two doses for one time, only the one written second is named.
    """
    found = list(_dates(record))
    if record.deleted_at is None:
        found.extend(_own_fields(record))
        if isinstance(record, m.SyringeCheck):
            found.extend(_syringe(record, _pack(store, record.medication_id)))
            found.extend(_box_of(record, store))
        elif isinstance(record, m.Dose):
            found.extend(_dose(record, store))
            found.extend(_dose_in_dates(record, store))
            found.extend(_dose_beyond_schedule(record, store, scanning=scanning))
        elif isinstance(record, m.Medication):
            found.extend(_same_medicine(record, store))
            found.extend(_stopped_before_doses(record, store))
            for step in store.schedules(record.id):
                found.extend(_frequency(step, record))
        elif isinstance(record, m.Schedule):
            med = store.get(m.Medication, record.medication_id, include_deleted=True)
            if med is not None:
                found.extend(_frequency(record, med))
            found.extend(_overlapping_step(record, store, scanning=scanning))
    if isinstance(record, m.SyringeCheck):
        for dose in store.doses_linked_to(record.id):
            found.extend(_dose_link(dose, record, store, subject=f"dose {dose.id[:8]}"))
    elif isinstance(record, m.SupplyBox):
        for check in store.checks_from_box(record.id):
            found.extend(_box_link(check, record, subject=f"syringe check {check.id[:8]}"))
    return found


def scan(store: Store, *, now: datetime) -> list[Violation]:
    """Every rule broken by any live record of the journal, values and links alike.

    A row whose stored values cannot be read is left out by the store, which names it
    (journal.store.damage); it is listed here as breaking "readable values".
    """
    from journal.store.connection import table_names

    found: list[Violation] = []
    present = set(table_names(store.db.conn))
    store = cast("Store", _ReadOnce(store))
    for cls in m.RECORD_TYPES:
        if cls.table not in present:
            continue
        for record in store.all(cls):
            try:
                type(record).validate(record.values(), now=now)
            except RecordError as exc:
                found.append(Violation(cls.table, record.id, "valid values", exc.message, exc.field))
                continue
            found.extend(v for v in violations(record, store, now=now, scanning=True) if v.record_id == record.id)
    for damaged in store.damaged_records():
        found.append(Violation(damaged.table, damaged.id, "readable values", damaged.describe(), damaged.field))
    return found


class _ReadOnce:
    """The store as `scan` reads it: each medicine, its schedule steps and its doses read once, not once per dose
    (the rules across a medicine's doses read them around every dose: 6.7 s for `check` of the ten-year demo,
    against 3.2 s before those rules and 3.3 s read once)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._medications: dict[str, m.Medication | None] = {}
        self._schedules: dict[str, list[m.Schedule]] = {}
        self._doses: dict[str, tuple[list[datetime], list[m.Dose]]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get(self, cls: type[m.Record], record_id: str, *, include_deleted: bool = False) -> m.Record | None:
        if cls is not m.Medication or not include_deleted:
            return self._store.get(cls, record_id, include_deleted=include_deleted)
        if record_id not in self._medications:
            self._medications[record_id] = self._store.get(m.Medication, record_id, include_deleted=True)
        return self._medications[record_id]

    def schedules(self, medication_id: str) -> list[m.Schedule]:
        if medication_id not in self._schedules:
            self._schedules[medication_id] = self._store.schedules(medication_id)
        return self._schedules[medication_id]

    def doses(
        self, medication_id: str | None = None, since: datetime | None = None, until: datetime | None = None
    ) -> list[m.Dose]:
        if medication_id is None:
            return self._store.doses(medication_id, since, until)
        if medication_id not in self._doses:
            every = self._store.doses(medication_id)
            self._doses[medication_id] = ([d.at for d in every], every)
        times, every = self._doses[medication_id]
        first = bisect_left(times, since) if since is not None else 0
        last = bisect_left(times, until) if until is not None else len(every)
        return every[first:last]


def _dates(record: m.Record) -> Iterator[Violation]:
    for name, value in record.values().items():
        if isinstance(value, date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            shown = value.date() if isinstance(value, datetime) else value
            yield _broken(record, "dates 1900-2100", f"the {name.replace('_', ' ')} {shown} is outside 1900-2100", name)


@dataclass(frozen=True)
class _FieldRule:
    """A rule across one record's own fields: its name, the field it is shown beside, the test and the words."""

    rule: str
    field: str
    broken: Callable[[Any], bool]
    message: Callable[[Any], str]


_FIELD_RULES: dict[type[m.Record], tuple[_FieldRule, ...]] = {
    m.Medication: (
        _FieldRule(
            "stop after start",
            "stopped",
            lambda r: bool(r.started and r.stopped and r.stopped < r.started),
            lambda r: f"the stop date {r.stopped} is before the start date {r.started}",
        ),
    ),
    m.Schedule: (
        _FieldRule(
            "end after start",
            "ends",
            lambda r: bool(r.ends and r.ends < r.starts),
            lambda r: f"the schedule cannot end ({r.ends}) before it starts ({r.starts})",
        ),
        _FieldRule(
            "a stop has a day",
            "ends",
            lambda r: bool(r.then_stop and r.ends is None),
            lambda r: "a step after which the medicine stops needs its last day",
        ),
    ),
    m.SupplyBox: (
        _FieldRule(
            "thrown away when",
            "discarded_at",
            lambda r: bool(r.discard_reason and r.discarded_at is None),
            lambda r: "a reason for throwing the box away is given, but not when it was thrown away",
        ),
        # A day's slack: `received` is a local day, `discarded_at` a UTC moment.
        _FieldRule(
            "thrown away after received",
            "discarded_at",
            lambda r: bool(r.discarded_at and r.discarded_at.date() < r.received - timedelta(days=1)),
            lambda r: f"the box is thrown away before it was received ({r.received})",
        ),
    ),
    m.Dose: (
        _FieldRule(
            "site only when taken",
            "spot",
            lambda r: r.status is not m.DoseStatus.TAKEN and bool(r.region or r.spot),
            lambda r: f"a {r.status.value} dose has no injection site",
        ),
    ),
    m.SideEffect: (
        _FieldRule(
            "resolved after started",
            "resolved_at",
            lambda r: bool(r.resolved_at and r.resolved_at < r.started_at),
            lambda r: "it cannot be resolved before it started",
        ),
    ),
    m.Checkin: (
        _FieldRule(
            "something to record",
            "pain",
            lambda r: r.pain is None and r.swelling is None and r.stiffness_minutes is None and not r.note,
            lambda r: "a check-in needs a pain, swelling or stiffness score, or a note",
        ),
    ),
    m.LabResult: (
        _FieldRule(
            "range low to high",
            "range_low",
            lambda r: r.range_low is not None and r.range_high is not None and r.range_low > r.range_high,
            lambda r: "the range's low end is above its high end",
        ),
    ),
}


def _own_fields(record: m.Record) -> Iterator[Violation]:
    for each in _FIELD_RULES.get(type(record), ()):
        if each.broken(record):
            yield _broken(record, each.rule, each.message(record), each.field)


def _pack(store: Store, medication_id: str) -> Pack | None:
    med = store.get(m.Medication, medication_id, include_deleted=True)
    if med is None or not med.pack:
        return None
    try:
        return load_pack(med.pack)
    except PackError:
        return None


def _looks(appearance: m.Appearance) -> str:
    return "with particles in it" if appearance is m.Appearance.PARTICLES else f"that is {appearance.value}"


def _syringe(check: m.SyringeCheck, pack: Pack | None) -> Iterator[Violation]:
    from journal.care.inspection import verdict_for

    if check.outcome is not m.CheckOutcome.USED:
        return
    verdict = verdict_for(pack, check.appearance)
    if verdict is Verdict.DISCARD:
        yield _broken(
            check,
            "bad syringe never used",
            f"a syringe {_looks(check.appearance)} must not be injected, so it cannot be recorded as used",
            "appearance",
        )
    elif verdict is Verdict.WAIT and not check.waited_minutes:
        yield _broken(
            check,
            "bad syringe never used",
            f"a syringe {_looks(check.appearance)} is used only once it has cleared: give the minutes waited",
            "waited_minutes",
        )


def _dose(dose: m.Dose, store: Store) -> Iterator[Violation]:
    if dose.check_id is not None:
        check = store.get(m.SyringeCheck, dose.check_id, include_deleted=True)
        if check is None:
            yield _broken(
                dose, "dose's syringe check", "the syringe check of the dose is not in the journal", "check_id"
            )
        else:
            yield from _dose_link(dose, check, store)
    yield from _site(dose, _pack(store, dose.medication_id))


def _dose_link(dose: m.Dose, check: m.SyringeCheck, store: Store, *, subject: str = "the dose") -> Iterator[Violation]:
    """A live dose and the syringe check it names: one each, the same medicine, a taken dose, a usable syringe."""
    from journal.care.inspection import verdict_for

    if check.deleted_at is None and verdict_for(_pack(store, check.medication_id), check.appearance) is Verdict.DISCARD:
        yield _broken(
            dose,
            "bad syringe never used",
            f"{subject} is linked to a syringe {_looks(check.appearance)}, which must not be injected",
            "appearance",
        )
        return
    yield from _link(dose, check, store, subject)


def _link(dose: m.Dose, check: m.SyringeCheck, store: Store, subject: str) -> Iterator[Violation]:
    rule = "dose's syringe check"
    if check.deleted_at is not None:
        yield _broken(
            dose, rule, f"{subject} is linked to a syringe check that was deleted: delete the dose first", "check_id"
        )
    elif check.medication_id != dose.medication_id:
        yield _broken(dose, rule, f"the syringe check of {subject} is for another medicine", "check_id")
    elif check.outcome is not m.CheckOutcome.USED:
        yield _broken(dose, rule, f"{subject} is linked to a syringe that was discarded, not injected", "outcome")
    elif dose.status is not m.DoseStatus.TAKEN:
        yield _broken(dose, rule, f"{subject} is {dose.status.value}, so it has no syringe check", "status")
    elif any(other.id != dose.id for other in store.doses_linked_to(check.id)):
        yield _broken(dose, rule, "another dose is already linked to the same syringe check", "check_id")


def _box_of(check: m.SyringeCheck, store: Store) -> Iterator[Violation]:
    box = store.get(m.SupplyBox, check.box_id, include_deleted=True) if check.box_id else None
    if box is not None:
        yield from _box_link(check, box, subject="the syringe")


def _box_link(check: m.SyringeCheck, box: m.SupplyBox, *, subject: str) -> Iterator[Violation]:
    """A live syringe check and the box it names: same medicine, not expired on its day nor thrown away before it."""
    from journal.care.supply import usable_for

    rule = "syringe from a usable box"
    day = m.local_day(check.at, check.tz)
    if box.deleted_at is not None:
        return
    if box.medication_id != check.medication_id:
        yield _broken(check, rule, f"{subject} comes from a box of another medicine", "box_id")
    elif not usable_for(box, check.at, day):
        if box.discarded_at is not None and check.at >= box.discarded_at:
            gone = f"was thrown away on {box.discarded_at.date()}"
        else:
            gone = f"had expired ({box.expires}) on {day}"
        yield _broken(check, rule, f"{subject} of {day} comes from a box that {gone}", "box_id")


def _site(dose: m.Dose, pack: Pack | None) -> Iterator[Violation]:
    if pack is None or not (dose.region or dose.spot):
        return
    key = dose.region or (dose.spot or "").partition(":")[0]
    try:
        region = pack.region(key)
    except KeyError:
        known = ", ".join(r.key for r in pack.sites.regions)
        yield _broken(dose, "spot in its region", f"{key!r} is not an injection region (known: {known})", "region")
        return
    if dose.spot:
        try:
            spot = pack.sites.spot(dose.spot)
        except ValueError as exc:
            yield _broken(dose, "spot in its region", str(exc), "spot")
            return
        if spot.region != region.key:
            yield _broken(dose, "spot in its region", f"the spot {dose.spot} is not in {region.label}", "spot")
    if dose.given_by is m.GivenBy.SELF and not region.self_allowed:
        yield _broken(
            dose,
            "region for who injects",
            f"{region.label} is only for when someone else gives the injection",
            "given_by",
        )


# --- rules across a medicine's records ---------------------------------------------------


def _identity(med: m.Medication) -> set[str]:
    from journal.content.known import all_names

    return all_names(med.name, med.generic, med.brand)


def _same_medicine(med: m.Medication, store: Store) -> Iterator[Violation]:
    """One entry per medicine: two entries not stopped must not share a content pack or any name."""
    if med.stopped is not None:
        return
    mine = _identity(med)
    for other in store.medications(include_stopped=True):
        if other.id == med.id or other.stopped is not None:
            continue
        if (med.pack and other.pack == med.pack) or mine & _identity(other):
            yield _broken(
                med,
                "one entry per medicine",
                f"the list already has {other.describe()}, the same medicine under another of its names",
                "name",
            )
            return


def _taken_after(med: m.Medication, day: date, store: Store) -> list[m.Dose]:
    """The medicine's live taken doses whose local day is after `day`."""
    since = datetime.combine(day, time(0), tzinfo=UTC)  # a day early in every zone east of UTC is filtered below
    return [
        d for d in store.doses(med.id, since=since) if d.status is m.DoseStatus.TAKEN and m.local_day(d.at, d.tz) > day
    ]


def _stopped_before_doses(med: m.Medication, store: Store) -> Iterator[Violation]:
    """A stop date is not before a dose already recorded: the medicine is taken through its stop date."""
    if med.stopped is None:
        return
    later = _taken_after(med, med.stopped, store)
    if later:
        days = ", ".join(sorted({str(m.local_day(d.at, d.tz)) for d in later})[:3])
        more = f" and {len(later) - 3} more" if len(later) > 3 else ""
        yield _broken(
            med,
            "no dose after the stop",
            f"the stop date {med.stopped} is before doses of {med.name} already recorded (on {days}{more}): "
            "a medicine is taken through its stop date",
            "stopped",
        )


def _dose_in_dates(dose: m.Dose, store: Store) -> Iterator[Violation]:
    """A dose taken falls within its medicine's dates: not before its start, not after its stop."""
    if dose.status is not m.DoseStatus.TAKEN:
        return
    med = store.get(m.Medication, dose.medication_id, include_deleted=True)
    if med is None:
        return
    day = m.local_day(dose.at, dose.tz)
    if med.stopped is not None and day > med.stopped:
        yield _broken(
            dose, "no dose after the stop", f"the dose is after the last day of {med.name} ({med.stopped})", "at"
        )
    elif med.started is not None and day < med.started:
        yield _broken(
            dose, "no dose before the start", f"the dose is before {med.name} was started ({med.started})", "at"
        )


def _dose_beyond_schedule(dose: m.Dose, store: Store, *, scanning: bool) -> Iterator[Violation]:
    """A dose not marked extra is one its schedule allows: not a second for a time already taken, not too close to
    another, not on a day with nothing due, not past an as-needed limit, not while the medicine is paused."""
    from journal.care import regimen
    from journal.schedule_spec import ScheduleError

    if dose.status is not m.DoseStatus.TAKEN or dose.extra:
        return
    med = store.get(m.Medication, dose.medication_id, include_deleted=True)
    if med is None:
        return
    rows = store.schedules(med.id)
    if not rows:  # no schedule written (only a medicine tracked before schedules existed): nothing to hold it to
        return
    try:
        steps = regimen.steps_for(med, rows, [])
    except ScheduleError:
        return
    span = regimen.reach(steps)
    # A dose being written is held against every other; in a scan, against those written before it, so that of two
    # for one time the second written is named as the extra one.
    mine = (dose.created_at, dose.id)
    others = [
        d
        for d in store.doses(med.id, since=dose.at - span, until=dose.at + span)
        if d.id != dose.id and (not scanning or (d.created_at, d.id) < mine)
    ]
    refusal = regimen.extra_dose(steps, regimen.dosings(others), dose.at, zone=dose.tz, paused_since=med.paused_at)
    if refusal is not None:
        yield _broken(
            dose,
            "extra doses marked",
            f"a dose of {med.name} beyond its schedule is not marked extra ({refusal.kind.value.replace('_', ' ')})",
            "extra",
        )


def _reach(step: m.Schedule) -> tuple[date, date]:
    """The days a step holds: a step that stops the medicine holds every day after it too (nothing follows it)."""
    return step.starts, date.max if step.ends is None or step.then_stop else step.ends


def _overlapping_step(step: m.Schedule, store: Store, *, scanning: bool) -> Iterator[Violation]:
    """One schedule step at a time: a medicine's steps never share a day (the prescription changes on a day, and
    the change says which step ends); none follows a step after which the medicine stops.

    `scanning` (check): of two steps that overlap, only the one written second is named.
    """
    first, last = _reach(step)
    mine = (step.created_at, step.id)
    for other in store.schedules(step.medication_id):
        if other.id == step.id or other.deleted_at is not None or (scanning and (other.created_at, other.id) > mine):
            continue
        start, end = _reach(other)
        if first <= end and start <= last:
            after = " (the medicine stops after it)" if other.then_stop else ""
            yield _broken(
                step,
                "one step at a time",
                f"the schedule from {step.starts} overlaps the step {other.describe()}{after}: a medicine follows one "
                "step at a time",
                "starts",
            )
            return


def _frequency(step: m.Schedule, med: m.Medication) -> Iterator[Violation]:
    """A medicine the content names as taken once a week is never scheduled more often, unless the user
    confirmed that the prescription says so (`prescribed_daily`)."""
    from journal.care.regimen import more_often_than_weekly
    from journal.content.known import known_as
    from journal.schedule_spec import ScheduleError, parse_regimen

    if step.deleted_at is not None or med.prescribed_daily:
        return
    known = known_as(med.name, med.generic, med.brand)
    if known is None or not known.once_weekly:
        return
    try:
        regimen = parse_regimen(step.spec)
    except ScheduleError:
        return
    if more_often_than_weekly(regimen):
        yield _broken(
            step,
            "once a week",
            f"a schedule of {regimen.words()} for {_named(med.name, known.generic)} is refused: {known.why} "
            f"(sources: {known.source}); it is accepted only when the prescription says so",
            "spec",
        )


def _named(name: str, generic: str) -> str:
    """'MTX (methotrexate)', or the name alone when it is the generic one."""
    return name if name.strip().casefold() == generic.casefold() else f"{name} ({generic})"


def _broken(record: m.Record, rule: str, message: str, field: str | None) -> Violation:
    return Violation(record.table, record.id, rule, message[:1].upper() + message[1:] + ".", field)
