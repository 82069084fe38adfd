"""The medicine list: adding, scheduling, stopping, pausing and resuming a medicine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import date, datetime, timedelta

from journal import models as m
from journal.application.packs import PackLoader, match_pack
from journal.care import regimen
from journal.content import load_pack
from journal.dataclass import dataclass
from journal.errors import JournalError
from journal.store import Store


def confirmed_words(med: m.Medication) -> str:
    """' (as prescribed, confirmed by you)' after the schedule of a medicine whose frequency the user confirmed."""
    return " (as prescribed, confirmed by you)" if med.prescribed_daily else ""


def schedule_words(store: Store, record: m.Medication, *, today: date) -> str:
    """The medicine's schedule today in words ('weekly on Friday at 09:00'), or '' when it has none."""
    rows = store.schedules(record.id)
    steps = regimen.steps_for(record, rows, []) if rows else []
    step = regimen.step_on(steps, today) or (steps[-1] if steps else None)
    if step is not None:
        dose = f", {step.dose}" if step.dose else ""
        changes = f" (changes: {len(steps)} steps)" if len(steps) > 1 else ""
        confirmed = confirmed_words(record)
        return f"{step.regimen.words()}{dose}{confirmed}{changes}"
    if record.tracked:
        return "tracked daily" + (f" at {record.usual_time}" if record.usual_time else "")
    return ""


class DuplicateMedicineError(JournalError):
    """A medicine already on the list (the same pack, or a name, generic or brand in common)."""


def same_medicine(store: Store, record: m.Medication) -> m.Medication | None:
    """The active medicine a new one would repeat: the same content pack, or a name, generic or brand in common
    (a known medicine's every name counts: 'MTX' and 'Trexall' are methotrexate)."""
    for existing in store.medications():
        if record.pack and existing.pack == record.pack:
            return existing
    # Imported here: it brings pydantic, which reading the journal never needs.
    from journal.content.known import all_names

    mine = all_names(record.name, record.generic, record.brand)
    for existing in store.medications():
        if mine & all_names(existing.name, existing.generic, existing.brand):
            return existing
    return None


def add_medication(
    store: Store,
    values: Mapping[str, object],
    *,
    now: datetime,
    today: date,
    spec: str | None = None,
    loader: PackLoader = load_pack,
) -> m.Medication:
    """Add a medicine (validated), linked to its content pack if its name, generic or brand names one, on a schedule.

    A linked medicine is an injection and tracked unless told otherwise, with its generic name, brand and
    route filled in where they were not typed. `spec` is its schedule ('weekly on fri at 09:00'); a usual
    time with tracking means 'daily at HH:MM'. A medicine already on the list is refused, naming it.
    """
    from journal.schedule_spec import parse_regimen

    # Left out when not given, so that the record's defaults apply; a blank name is kept, to be refused.
    given = {k: v for k, v in values.items() if k == "name" or (v is not None and v != "")}
    name = str(given.get("name", ""))
    if spec is not None and given.get("usual_time"):
        raise JournalError("give either a schedule or a usual time (which means 'daily at HH:MM'), not both.")
    plan = parse_regimen(spec) if spec else None
    names = [name, *(str(given[k]) for k in ("generic", "brand") if k in given)]
    pack = match_pack(names, loader=loader)
    if pack is not None:
        info = pack.medication
        given["pack"] = pack.key
        given.setdefault("generic", info.generic)
        brand = next((b for b in info.brands if b.casefold() == name.strip().casefold()), None)
        if brand is not None:
            given.setdefault("brand", brand)
        given.setdefault("route", info.route)
        given.setdefault("form", m.MedForm.INJECTION)
        given.setdefault("tracked", True)
    if plan is not None:
        given.setdefault("tracked", True)
    record = m.Medication.validate({"kind": m.MedKind.PRESCRIPTION, **given}, now=now)
    if plan is None and record.usual_time and record.tracked:  # validated first: a bad time is named as the time
        plan = parse_regimen(f"daily at {record.usual_time}")
    existing = same_medicine(store, record)
    if existing is not None:
        raise DuplicateMedicineError(
            f"{record.name} is already on your list as {existing.describe()} (added {existing.created_at.date()}); "
            "change that entry, or stop it first to add it again."
        )
    with store.transaction():
        store.add(record, now=now)
        if plan is not None:
            store.add(m.Schedule(medication_id=record.id, spec=plan.spec(), starts=record.started or today), now=now)
    return record


@dataclass(kw_only=True)
class Scheduled:
    """What `add_schedule` wrote: the new step, the steps it ended or removed, and the stop it set."""

    step: m.Schedule
    ended: list[m.Schedule] = field(default_factory=list)
    removed: list[m.Schedule] = field(default_factory=list)
    stops_after: date | None = None


def add_schedule(
    store: Store,
    med: m.Medication,
    spec: str,
    *,
    starts: date,
    now: datetime,
    ends: date | None = None,
    dose: str | None = None,
    prescribed_daily: bool = False,
    then_stop: bool = False,
    replace: bool = False,
) -> Scheduled:
    """A schedule step for a medicine from a day (a taper, a titration, a new time); the medicine is then tracked.

    A step sharing a day with another is refused by the store, naming it, unless `replace`: then, in the same
    write, each step it overlaps ends the day before it starts, or is removed if it starts on or after that day.
    `then_stop`: the medicine stops after the step's last day (`ends`, required), a taper's end.
    `prescribed_daily`: the user confirms the prescription says so (a frequency otherwise refused for it).
    """
    from journal.schedule_spec import parse_regimen

    values = {"medication_id": med.id, "spec": parse_regimen(spec).spec(), "starts": starts, "ends": ends}
    step = m.Schedule.validate({**values, "dose": dose, "then_stop": then_stop}, now=now)
    if then_stop and ends is None:
        raise JournalError("a step after which the medicine stops needs its last day.")
    with store.transaction():
        done = Scheduled(step=step)
        if replace:
            last = date.max if ends is None or then_stop else ends
            for old in store.schedules(med.id):
                old_last = date.max if old.ends is None or old.then_stop else old.ends
                if not (old.starts <= last and starts <= old_last):
                    continue
                if old.then_stop and med.stopped == old.ends:  # its stop was this step's; the new plan decides
                    med = store.update(med, now=now, stopped=None, stop_reason=None)
                if old.starts < starts:
                    done.ended.append(store.update(old, now=now, ends=starts - timedelta(days=1), then_stop=False))
                else:
                    done.removed.append(store.delete(old, now=now))
        if prescribed_daily and not med.prescribed_daily:
            med = store.update(med, now=now, prescribed_daily=True)
        done.step = store.add(step, now=now)
        if not med.tracked:
            med = store.update(med, now=now, tracked=True)
        if then_stop and ends is not None and (med.stopped is None or med.stopped > ends):
            store.update(med, now=now, stopped=ends, stop_reason=STOP_AFTER_STEP)
            done.stops_after = ends
    return done


# Why a medicine stopped when its last schedule step ended (`med schedule ... --then stop`).
STOP_AFTER_STEP = "the last step of its schedule ended, as prescribed"


def track(store: Store, med: m.Medication, at: str | None, *, today: date, now: datetime) -> m.Medication:
    """Log a medicine's doses: daily at `at` ('08:00') on a schedule from today unless it has one; with no time,
    at the usual time of the doses logged."""
    with store.transaction():
        med = store.update(med, now=now, tracked=True, usual_time=at or med.usual_time)
        if at and not store.schedules(med.id):
            add_schedule(store, med, f"daily at {at}", starts=today, now=now)
        return med


def stop_medication(
    store: Store, med: m.Medication, *, on: date, now: datetime, reason: str | None = None
) -> m.Medication:
    """Stop a medicine on a local day: it is taken through that day and stays on every list until then. The
    store refuses a stop before a dose already recorded (naming the days)."""
    return store.update(med, now=now, stopped=on, stop_reason=reason)


def resume_medication(store: Store, med: m.Medication, *, now: datetime, note: str | None = None) -> m.Medication:
    """Lift a medicine's pause (the person asked the doctor), with the note they give; its doses are due again."""
    if not med.paused:
        raise JournalError(f"{med.name} is not paused.")
    return store.update(med, now=now, paused_at=None, resumed_at=now, resume_note=note)
