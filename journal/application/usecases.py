"""The use cases the CLI and the TUI share: Today, status, recording a dose, a side effect, a box, a medicine.

The application layer: it reads through the store, asks the care rules and writes through the
store, and returns plain view objects. Every function takes `now` (and the user's zone) so a
screen, a command and a test all see the same answer for the same moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from journal import models as m
from journal.care import alerts as al
from journal.care import regimen, schedule, sites, warnings
from journal.care import supply as sup
from journal.care import triage as tri
from journal.care.benefit import WeekAverage, weekly_trend
from journal.care.inspection import Inspection, inspect_syringe, leftover_advice
from journal.content import Pack, PackError, available_packs, load_pack, normalize
from journal.dataclass import dataclass
from journal.errors import JournalError, NotFoundError
from journal.store import Store
from journal.when import format_day, format_local, format_near, iso_utc

PackLoader = Callable[[str], Pack]
# How many recent doses feed the site rotation and the usual time (covers every spot of a pack).
RECENT_DOSES = 120
# For a medicine that is not injected: enough for its state now (a few days of four daily doses, or
# weeks of a weekly one) and an as-needed limit (at most 48 in 24 hours).
RECENT_TABLETS = 50
TREND_WEEKS = 12


# --- packs -----------------------------------------------------------------------------


def pack_of(med: m.Medication, loader: PackLoader = load_pack) -> Pack | None:
    """The content pack a medicine is linked to, or None (also when the pack is missing or broken)."""
    if not med.pack:
        return None
    try:
        return loader(med.pack)
    except PackError:
        return None


def linked_packs(
    store: Store, loader: PackLoader = load_pack, *, on: date | None = None
) -> list[tuple[m.Medication, Pack]]:
    """Medicines active on `on` (default: today) linked to a content pack, with their packs."""
    found: list[tuple[m.Medication, Pack]] = []
    for med in store.medications(on=on):
        pack = pack_of(med, loader)
        if pack is not None:
            found.append((med, pack))
    return found


def _packs(linked: Sequence[tuple[m.Medication, Pack]]) -> list[Pack]:
    unique: dict[str, Pack] = {}
    for _, pack in linked:
        unique.setdefault(pack.key, pack)
    return list(unique.values())


def match_pack(
    names: Sequence[str | None], keys: Sequence[str] | None = None, loader: PackLoader = load_pack
) -> Pack | None:
    """The shipped pack whose generic or brand name is one of `names` (or a word in one), any case."""
    wanted = [normalize(n) for n in names if n and normalize(n)]
    for key in available_packs() if keys is None else keys:
        try:
            pack = loader(key)
        except PackError:
            continue
        terms = [normalize(n) for n in pack.medication.names]
        for text in wanted:
            if any(re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", text) for t in terms):
                return pack
    return None


# --- today -----------------------------------------------------------------------------


@dataclass(kw_only=True)
class MedicineToday:
    """One tracked medicine today: schedule, sites and supply."""

    medication_id: str
    name: str
    pack: str | None = None
    unit: str = "dose"
    usual_time: str
    usual_time_source: schedule.TimeSource
    usual_time_text: str
    due_at: datetime
    due_local: str
    taken_at: datetime | None = None
    taken_local: str | None = None
    skipped: bool = False
    # Set when the medicine's start date is still to come: nothing is due before it.
    starts_on: date | None = None
    overdue_by_minutes: int | None = None
    due_in_minutes: int | None = None
    last_site: str | None = None
    last_site_label: str | None = None
    suggested_spot: str | None = None
    suggested_label: str | None = None
    suggestion_note: str | None = None
    syringes_left: int | None = None
    days_left: int | None = None
    runs_out_on: date | None = None
    reorder_by: date | None = None
    reorder_due: bool = False
    expired_boxes: list[sup.BoxState] = field(default_factory=list)
    supply: sup.SupplyStatus | None = None
    # The regimen: its state now (regimen.State), in words, and the next scheduled time.
    state: str = regimen.State.NOT_DUE.value
    schedule_text: str = ""
    next_at: datetime | None = None
    next_local: str | None = None
    missed_local: str | None = None
    injected: bool = True
    # As needed: when its limits next allow a dose ('14:30'), or None when one is allowed now.
    allowed_from_local: str | None = None
    # Paused (after a suspected allergic reaction): since when, and why.
    paused_since_local: str | None = None
    pause_reason: str | None = None

    @property
    def dose_wanted_now(self) -> bool:
        """Whether a scheduled dose's time has come and it is neither taken nor skipped (what `remind` notifies)."""
        return self.state == regimen.State.OVERDUE.value and self.starts_on is None


@dataclass(kw_only=True)
class Today:
    """Everything the Today screen and `status` show."""

    generated_at: datetime
    zone: str
    day: date
    medicines: list[MedicineToday]
    alerts: list[al.Alert]
    trend: list[WeekAverage]
    # Damage in the journal: records that cannot be read, problems a check noted (until `check` passes).
    damage: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        """Whether anything needs attention (`status` exits 3)."""
        return any(a.needs_attention for a in self.alerts)


def _local_day(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def _minutes(delta: timedelta | None) -> int | None:
    return None if delta is None else int(delta.total_seconds() // 60)


def site_context(store: Store, med: m.Medication, pack: Pack) -> tuple[list[sites.SiteUse], frozenset[str]]:
    """Past injection sites of a medicine (newest first) and regions blocked by an open site reaction."""
    doses = store.recent_doses(med.id, RECENT_DOSES)
    return sites.uses_from_doses(doses), sites.blocked_regions(pack, store.open_side_effects())


def supply_for(
    store: Store,
    med: m.Medication,
    *,
    now: datetime,
    zone: str,
    reorder_lead_days: int | None = None,
    loader: PackLoader = load_pack,
) -> sup.SupplyStatus | None:
    """The supply of a medicine as of `now`, or None when no box was ever recorded."""
    first = store.first_box(med.id)
    if first is None:
        return None
    pack = pack_of(med, loader)
    lead = reorder_lead_days if reorder_lead_days is not None else (pack.supply.reorder_lead_days if pack else 7)
    # Usage counts from the first box received: doses before it came from a supply not recorded.
    # Counted by the store (an index), not by loading years of doses and checks as records.
    used, discarded = store.syringes_since(med.id, first)
    # Only the boxes with syringes left are read as records; the used-up ones are counted.
    boxes, reached, empty_boxes, empty_syringes = store.boxes_in_use(med.id, first)
    today = _local_day(now, zone)
    # Two days back cover today's local day in every zone.
    recent = store.doses(med.id, since=now - timedelta(days=2))
    taken_today = any(d.status is m.DoseStatus.TAKEN for d in schedule.doses_on(recent, today))
    per_day = pack.medication.schedule.doses_per_day if pack else 1
    status = sup.supply_status(
        boxes,
        used=used,
        discarded=discarded,
        today=today,
        taken_today=taken_today,
        reorder_lead_days=lead,
        per_day=per_day,
        used_up=sup.UsedUp(boxes=empty_boxes, syringes=empty_syringes),
        reached=reached,
    )
    rows = store.schedules(med.id)
    if not rows:
        return status
    # On a schedule, the supply lasts until the first scheduled dose it cannot cover (a weekly
    # tablet's box lasts weeks), counted from the dose still open now.
    # The doses of the last two days are enough: a dose is open regimen.OVERDUE_SHOWN_FOR after it was due.
    steps = regimen.steps_for(med, rows, [])
    state = regimen.state_now(steps, regimen.dosings(recent), now=now, zone=zone)
    open_now = state.state in (regimen.State.DUE, regimen.State.OVERDUE) and state.due_at is not None
    since = state.due_at if open_now and state.due_at is not None else now + timedelta(seconds=1)
    covered = regimen.coverage(steps, status.usable, since=since, zone=zone)
    if covered is None:
        return status
    first, runs_out = covered
    reorder_by = runs_out - timedelta(days=lead)
    return replace(
        status,
        days_left=(runs_out - first).days,
        runs_out_on=runs_out,
        reorder_by=reorder_by,
        reorder_due=today >= reorder_by,
    )


def _dose_now(
    store: Store, med: m.Medication, *, now: datetime, zone: str
) -> tuple[list[m.Dose], regimen.Step, schedule.UsualTime, regimen.Now, datetime]:
    """A medicine's latest doses, its schedule step today, its usual time, its state now and the dose's due time."""
    # An injection's site rotation reads its last RECENT_DOSES; any other medicine's state needs fewer.
    recent = store.recent_doses(med.id, RECENT_DOSES if med.injected else RECENT_TABLETS)
    today = _local_day(now, zone)
    rows = store.schedules(med.id)
    steps = regimen.steps_for(med, rows, recent)
    step = regimen.step_on(steps, today) or steps[-1]
    if rows:
        first = step.regimen.times[0] if step.regimen.times else schedule.DEFAULT_TIME
        usual = schedule.UsualTime(at=first, source=schedule.TimeSource.SET)
    else:
        usual = schedule.usual_time(med, recent)
    found = regimen.state_now(steps, regimen.dosings(recent), now=now, zone=zone, paused_since=med.paused_at)
    return recent, step, usual, found, found.due_at or schedule.due_at(today, usual, zone)


def medicine_today(
    store: Store,
    med: m.Medication,
    *,
    now: datetime,
    zone: str,
    reorder_lead_days: int | None = None,
    loader: PackLoader = load_pack,
) -> MedicineToday:
    """Its state now (taken, due, overdue, not due, as needed), last and next site, and supply, for one medicine."""
    pack = pack_of(med, loader)
    recent, step, usual, found, due = _dose_now(store, med, now=now, zone=zone)
    today = _local_day(now, zone)
    starts_on = med.started if med.started and med.started > today else None
    view = MedicineToday(
        medication_id=med.id,
        name=med.name,
        pack=pack.key if pack else None,
        unit=pack.supply.unit if pack else "dose",
        usual_time=usual.at.strftime("%H:%M"),
        usual_time_source=usual.source,
        usual_time_text=usual.text,
        due_at=due,
        due_local=format_local(due, zone)[-5:],
        taken_at=found.taken_at if found.state in (regimen.State.TAKEN, regimen.State.AS_NEEDED) else None,
        taken_local=format_near(found.taken_at, zone, now=now) if found.taken_at else None,
        skipped=found.state is regimen.State.SKIPPED,
        starts_on=starts_on,
        overdue_by_minutes=_minutes(now - due) if found.state is regimen.State.OVERDUE else None,
        due_in_minutes=_minutes(due - now) if found.state is regimen.State.DUE else None,
        state=found.state.value,
        schedule_text=step.regimen.words() + (" (as prescribed, confirmed by you)" if med.prescribed_daily else ""),
        next_at=found.next_at,
        next_local=format_near(found.next_at, zone, now=now) if found.next_at else None,
        missed_local=format_near(found.missed_at, zone, now=now) if found.missed_at else None,
        injected=med.injected,
    )
    if found.state is regimen.State.PAUSED and med.paused_at is not None:
        view.paused_since_local = format_near(med.paused_at, zone, now=now)
        view.pause_reason = med.pause_reason
    if found.state is regimen.State.AS_NEEDED:
        allowed = regimen.as_needed_allowed_from(step.regimen, regimen.dosings(recent), now=now)
        view.allowed_from_local = format_near(allowed, zone, now=now) if allowed else None
    if found.state is regimen.State.TAKEN and view.taken_local:
        view.taken_local = view.taken_local.removeprefix("today ")
    if pack is not None and med.injected and found.state is not regimen.State.PAUSED:
        uses, blocked = sites.uses_from_doses(recent), sites.blocked_regions(pack, store.open_side_effects())
        if uses:
            view.last_site = uses[0].spot or uses[0].region
            view.last_site_label = sites.spot_label(pack, uses[0].spot, uses[0].region)
        suggestion = sites.suggest_spot(pack, uses, blocked=blocked)
        if suggestion is not None:
            view.suggested_spot = suggestion.id
            view.suggested_label = sites.spot_label(pack, suggestion.id)
        else:
            view.suggestion_note = "No spot you can inject yourself is free (open site reactions); ask your doctor."
    status = supply_for(store, med, now=now, zone=zone, reorder_lead_days=reorder_lead_days, loader=loader)
    if status is not None:
        view.supply = status
        view.syringes_left = status.usable
        view.days_left = status.days_left
        view.runs_out_on = status.runs_out_on
        view.reorder_by = status.reorder_by
        view.reorder_due = status.reorder_due
        view.expired_boxes = status.expired_boxes
    return view


def standing_warnings(store: Store, *, now: datetime, loader: PackLoader = load_pack) -> list[warnings.CareWarning]:
    """Every interaction and precaution warning for the active pack-linked medicines."""
    linked = linked_packs(store, loader)
    if not linked:
        return []
    return warnings.standing_warnings(
        linked,
        medications=store.medications(),
        allergies=store.all(m.Allergy),
        conditions=store.all(m.Condition),
        appointments=store.between(m.Appointment, "at", now),
        now=now,
    )


def open_alerts(
    store: Store,
    *,
    now: datetime,
    zone: str,
    medicines: Sequence[MedicineToday] | None = None,
    loader: PackLoader = load_pack,
) -> list[al.Alert]:
    """Open alerts, most urgent first: side effects, overdue doses, supply, expiry, standing warnings."""
    today = _local_day(now, zone)
    linked = linked_packs(store, loader, on=today)
    packs = _packs(linked)
    if medicines is None:
        medicines = [
            medicine_today(store, med, now=now, zone=zone, loader=loader) for med in store.tracked_medications(on=today)
        ]
    found = al.side_effect_alerts(store.open_side_effects(), packs, now=now)
    by_id = {med.id: med for med in store.medications(on=today)}
    for view in medicines:
        med = by_id[view.medication_id]
        if view.overdue_by_minutes is not None:
            alert = al.dose_alert(
                med,
                schedule.DayStatus(
                    day=_local_day(now, zone), due_at=view.due_at, overdue_by=timedelta(minutes=view.overdue_by_minutes)
                ),
            )
            if alert:
                found.append(alert)
        if view.supply is not None:
            found.extend(al.supply_alerts(med, view.supply, unit=view.unit))
    if linked:
        found.extend(al.warning_alerts(standing_warnings(store, now=now, loader=loader)))
    return al.sort_alerts(found)


_STATE_ORDER = {"overdue": 0, "paused": 1, "due": 1, "taken": 2, "skipped": 2, "not_due": 3, "as_needed": 4}


def _time_order(view: MedicineToday) -> tuple[int, datetime]:
    """What to do now first: overdue, then due in time order, then done, then what comes later, then as needed."""
    moment = view.next_at if view.state == "not_due" and view.next_at else view.due_at
    return _STATE_ORDER.get(view.state, 3), moment


def build_today(
    store: Store,
    *,
    now: datetime,
    zone: str,
    reorder_lead_days: int | None = None,
    loader: PackLoader = load_pack,
) -> Today:
    """Today for every tracked medicine, the open alerts (most urgent first) and the weekly check-in trend."""
    medicines = sorted(
        (
            medicine_today(store, med, now=now, zone=zone, reorder_lead_days=reorder_lead_days, loader=loader)
            for med in store.tracked_medications(on=_local_day(now, zone))
        ),
        key=_time_order,
    )
    since = now - timedelta(weeks=TREND_WEEKS)
    today = Today(
        generated_at=now,
        zone=zone,
        day=_local_day(now, zone),
        medicines=medicines,
        alerts=open_alerts(store, now=now, zone=zone, medicines=medicines, loader=loader),
        trend=weekly_trend(store.between(m.Checkin, "at", since)),
    )
    today.damage = journal_damage(store)
    return today


def journal_damage(store: Store) -> list[str]:
    """What is known to be wrong with the journal: unreadable records met so far, and noted check failures."""
    from journal.store import damage

    found = [item.describe() for item in store.damaged_records()]
    if store.path is not None:
        found.extend(damage.noted_problems(store.path))
    return found


DAMAGE_HINT = "run `medjournal check` (and see `medjournal backups`)"


def status_json(today: Today) -> dict[str, object]:
    """`status --json`: each medicine's state (taken, skipped, due, overdue, not_due, as_needed) and the open alerts."""
    medicines = []
    for med in today.medicines:
        upcoming = med.next_at if med.state == regimen.State.NOT_DUE.value else med.due_at
        if med.state in (regimen.State.AS_NEEDED.value, regimen.State.PAUSED.value):
            upcoming = None
        medicines.append(
            {
                "name": med.name,
                "state": med.state,
                "schedule": med.schedule_text,
                "due_at": iso_utc(upcoming) if upcoming else None,
                "taken_at": iso_utc(med.taken_at) if med.taken_at else None,
            }
        )
    alerts = [
        {"level": a.level.value, "kind": a.kind.value, "title": a.title, "needs_attention": a.needs_attention}
        for a in today.alerts
    ]
    return {"medicines": medicines, "alerts": alerts, "needs_attention": today.needs_attention}


def status_line(today: Today) -> str:
    """One line for a shell prompt or status bar: next dose, syringes left, open alerts."""
    parts: list[str] = []
    for med in today.medicines:
        if med.state == regimen.State.PAUSED:
            dose = f"{med.name} PAUSED since {med.paused_since_local} (ask your doctor before the next dose)"
        elif med.state == regimen.State.AS_NEEDED:
            dose = f"{med.name} as needed" + (f", last {med.taken_local}" if med.taken_local else "")
            dose += f", next from {med.allowed_from_local}" if med.allowed_from_local else ""
        elif med.taken_at is not None:
            dose = f"{med.name} taken {med.taken_local}"
        elif med.state == regimen.State.NOT_DUE and not med.starts_on:
            missed = f", missed {med.missed_local}" if med.missed_local else ""
            dose = f"{med.name} next {med.next_local or 'not scheduled'}{missed}"
        elif med.skipped:
            dose = f"{med.name} skipped today"
        elif med.starts_on:
            dose = f"{med.name} starts {med.starts_on.isoformat()}"
        else:
            default = "default time, " if med.usual_time_source is schedule.TimeSource.DEFAULT else ""
            if med.overdue_by_minutes is not None:
                late = al.duration_text(med.overdue_by_minutes)
                dose = f"{med.name} OVERDUE {late} (due {med.due_local}{', default time' if default else ''})"
            else:
                dose = f"{med.name} due {med.due_local} ({default}in {al.duration_text(med.due_in_minutes or 0)})"
        parts.append(dose)
        if med.syringes_left is not None:
            unit = med.unit if med.syringes_left == 1 else f"{med.unit}s"
            parts.append(f"{med.syringes_left} {unit}")
    shown = [a for a in today.alerts if a.needs_attention and a.kind is not al.AlertKind.DOSE]
    for alert in shown[:2]:
        prefix = "ALERT: " if alert.level is al.AlertLevel.URGENT else ""
        parts.append(prefix + alert.title)
    if len(shown) > 2:
        parts.append(f"+{len(shown) - 2} more")
    if not parts:
        return "medjournal: nothing tracked yet"
    return " | ".join(parts)


# --- recording -------------------------------------------------------------------------


@dataclass(kw_only=True)
class DoseResult:
    """What `record_dose` wrote and what to tell the person."""

    medication: m.Medication
    inspection: Inspection | None = None
    check: m.SyringeCheck | None = None
    dose: m.Dose | None = None
    site_label: str | None = None
    suggested: bool = False
    warnings: list[str] = field(default_factory=list)
    leftover_advice: str | None = None
    first_use: str | None = None
    disposal: str | None = None
    site_advice: str | None = None

    @property
    def discarded(self) -> bool:
        """The syringe was discarded: no dose was recorded."""
        return self.dose is None


def record_dose(
    store: Store,
    med: m.Medication,
    *,
    at: datetime,
    zone: str,
    now: datetime,
    appearance: m.Appearance | str | None = None,
    waited_minutes: int | None = None,
    site: str | None = None,
    given_by: m.GivenBy = m.GivenBy.SELF,
    leftover: bool = False,
    note: str | None = None,
    extra: bool = False,
    loader: PackLoader = load_pack,
) -> DoseResult:
    """Inspect the syringe, choose the site and write the check and the dose in one transaction.

    A syringe the pack says not to use is recorded as a discarded check and no dose is written. A dose
    the schedule does not allow (its time already taken, an as-needed limit) is refused before anything
    is written unless `extra`; ExtraDoseError says what was taken and when.
    """
    if not med.injected:
        if not extra:
            refuse_extra(store, med, at=at, zone=zone, now=now)
        if appearance is not None or site is not None or leftover:
            raise JournalError(f"{med.name} is not an injection: it has no syringe check, injection site or leftover.")
        with store.transaction():
            taken = store.add(
                m.Dose.validate({"medication_id": med.id, "at": at, "tz": zone, "note": note, "extra": extra}, now=now)
            )
        return DoseResult(medication=med, dose=taken)
    pack = pack_of(med, loader)
    look = m.Appearance(appearance) if appearance is not None else None
    inspection = inspect_syringe(pack, look or m.Appearance.CLEAR, waited_minutes=waited_minutes)
    result = DoseResult(
        medication=med,
        inspection=inspection if look is not None else None,
        first_use=first_use_advice(store, med, pack),
        disposal=pack.supply.disposal if pack else None,
        site_advice=(sites.avoid_advice(pack) or None) if pack else None,
    )
    if not inspection.usable:
        check = m.SyringeCheck.validate(
            {
                "medication_id": med.id,
                "at": at,
                "tz": zone,
                "appearance": inspection.appearance,
                "waited_minutes": waited_minutes,
                "outcome": m.CheckOutcome.DISCARDED,
                "reason": inspection.reason,
            },
            now=now,
        )
        with store.transaction():
            result.check = store.add(check)
        return result
    if not extra:
        # A syringe set aside is recorded whatever was taken before; a dose beyond the schedule is not.
        refuse_extra(store, med, at=at, zone=zone, now=now)
    region: str | None = site
    spot: str | None = None
    if pack is not None:
        uses, blocked = site_context(store, med, pack)
        later = [u for u in uses if u.at > at]
        after = min(later, key=lambda u: u.at) if later else None
        uses = [u for u in uses if u.at <= at]
        chosen = (
            sites.choose_site(pack, site, uses, given_by=given_by, after=after)
            if site
            else sites.suggest_spot(pack, uses, given_by=given_by, blocked=blocked, after=after)
        )
        if chosen is None:
            result.warnings.append(
                "No injection spot is free (every allowed region has an open site reaction or is too close); "
                "no site was recorded. Choose one with --site, and tell your doctor about the reaction."
            )
        else:
            region, spot = chosen.region, chosen.id
            result.suggested = site is None
            result.site_label = sites.spot_label(pack, chosen.id)
            result.warnings.extend(sites.site_warnings(pack, chosen, uses, blocked=blocked, after=after))
    with store.transaction():
        if look is not None:
            result.check = store.add(
                m.SyringeCheck.validate(
                    {
                        "medication_id": med.id,
                        "at": at,
                        "tz": zone,
                        "appearance": inspection.appearance,
                        "waited_minutes": waited_minutes,
                        "outcome": m.CheckOutcome.USED,
                    },
                    now=now,
                )
            )
        result.dose = store.add(
            m.Dose.validate(
                {
                    "medication_id": med.id,
                    "at": at,
                    "tz": zone,
                    "region": region,
                    "spot": spot,
                    "given_by": given_by,
                    "check_id": result.check.id if result.check else None,
                    "leftover": leftover,
                    "note": note,
                    "extra": extra,
                },
                now=now,
            )
        )
    if leftover:
        result.leftover_advice = (
            leftover_advice(pack) if pack else "Never inject the solution left in a used syringe again."
        )
    return result


def schedule_words(store: Store, record: m.Medication, *, today: date) -> str:
    """The medicine's schedule today in words ('weekly on Friday at 09:00'), or '' when it has none."""
    rows = store.schedules(record.id)
    steps = regimen.steps_for(record, rows, []) if rows else []
    step = regimen.step_on(steps, today) or (steps[-1] if steps else None)
    if step is not None:
        dose = f", {step.dose}" if step.dose else ""
        changes = f" (changes: {len(steps)} steps)" if len(steps) > 1 else ""
        confirmed = " (as prescribed, confirmed by you)" if record.prescribed_daily else ""
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
    from journal.care.regimen import parse_regimen

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
    elif given.get("usual_time") and given.get("tracked", False):
        plan = parse_regimen(f"daily at {given['usual_time']}")
    record = m.Medication.validate({"kind": m.MedKind.PRESCRIPTION, **given}, now=now)
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


def _refusal(store: Store, med: m.Medication, *, at: datetime, zone: str) -> regimen.Refusal | None:
    """Why a dose of `med` at `at` would be more than its schedule allows, or None."""
    recent = store.recent_doses(med.id, RECENT_DOSES)
    steps = regimen.steps_for(med, store.schedules(med.id), recent)
    return regimen.extra_dose(steps, regimen.dosings(recent), at, zone=zone, paused_since=med.paused_at)


def open_now(store: Store, meds: Sequence[m.Medication], *, now: datetime, zone: str) -> list[m.Medication]:
    """The scheduled medicines a dose taken now would count for (their dose due or overdue, not yet taken).

    A bare `dose` or `d` takes the one there is; with two or more it never chooses: the person does.
    """
    found = []
    for med in meds:
        if med.paused:
            continue
        recent = store.recent_doses(med.id, RECENT_DOSES)
        steps = regimen.steps_for(med, store.schedules(med.id), recent)
        step = regimen.step_on(steps, _local_day(now, zone))
        if step is None or step.regimen.as_needed:
            continue
        if regimen.extra_dose(steps, regimen.dosings(recent), now, zone=zone) is None:
            found.append(med)
    return found


class ExtraDoseError(JournalError):
    """A dose beyond what the schedule allows, refused before anything was written; `refusal` says why."""

    def __init__(self, reason: str, *, medication: m.Medication, refusal: regimen.Refusal) -> None:
        if refusal.kind is regimen.RefusalKind.PAUSED:
            tail = (
                ". Nothing was recorded. Once your doctor says to go on, resume it (med resume); "
                "a dose taken anyway is recorded as an extra one (--extra)."
            )
        else:
            tail = (
                ", so this would be an extra dose; nothing was recorded. "
                "If you are taking an extra dose on purpose, record it as one (--extra)."
            )
        super().__init__(reason + tail)
        self.reason = reason
        self.medication = medication
        self.refusal = refusal


def refusal_sentence(med: m.Medication, refusal: regimen.Refusal, *, at: datetime, zone: str, now: datetime) -> str:
    """The refusal of a dose at `at` as the user reads it, its times named from `now` ('today 08:10')."""
    if refusal.kind is regimen.RefusalKind.PAUSED:
        why = f" after {med.pause_reason}" if med.pause_reason else ""
        since = format_near(refusal.earlier, zone, now=now) if refusal.earlier else ""
        return f"{med.name} is paused since {since}{why}; ask your doctor before the next dose"
    if refusal.earlier is not None:
        return f"{med.name}: {refusal.sentence(format_near(refusal.earlier, zone, now=now))}"
    if refusal.kind is regimen.RefusalKind.OUTSIDE:
        return f"{med.name} {refusal.sentence(format_near(at, zone, now=now))}"
    day = format_day(refusal.day or _local_day(at, zone), today=_local_day(now, zone))
    return f"{med.name} {refusal.sentence(day)}"


def refuse_extra(store: Store, med: m.Medication, *, at: datetime, zone: str, now: datetime) -> None:
    """ExtraDoseError if a dose at `at` would be more than the schedule allows; says what was taken and when
    (today, yesterday: from `now`, the day the user reads it on), the schedule and that nothing is due, or the
    pause."""
    refusal = _refusal(store, med, at=at, zone=zone)
    if refusal is not None:
        reason = refusal_sentence(med, refusal, at=at, zone=zone, now=now)
        raise ExtraDoseError(reason, medication=med, refusal=refusal)


def first_use_advice(store: Store, med: m.Medication, pack: Pack | None) -> str | None:
    """The pack's first-use advice while no dose of this medicine has been recorded as taken, else None."""
    if pack is None or store.last_dose(med.id) is not None:
        return None
    return pack.supply.first_use


def visit_reminders(store: Store, appts: Sequence[m.Appointment], *, loader: PackLoader = load_pack) -> dict[str, str]:
    """What to remember before each doctor's, lab or hospital visit (keep it, bring the medicine list), by id."""
    packs = _packs(linked_packs(store, loader))
    if not packs:
        return {}
    found: dict[str, str] = {}
    for appt in appts:
        text = warnings.visit_reminder(packs[0], appt.kind)
        if text is not None:
            found[appt.id] = text
    return found


@dataclass(kw_only=True)
class EffectResult:
    """What `record_side_effect` wrote and the triage to show."""

    effect: m.SideEffect
    triage: tri.Triage
    region_note: str | None = None
    # The medicine paused because the effect reads as an allergic reaction to it (get emergency help).
    paused: m.Medication | None = None


def record_side_effect(
    store: Store,
    text: str,
    *,
    at: datetime,
    zone: str,
    now: datetime,
    severity: m.Severity | str | None = None,
    site: str | None = None,
    note: str | None = None,
    loader: PackLoader = load_pack,
) -> EffectResult:
    """Triage a side effect against the active packs and record it with its tier and symptom key."""
    linked = linked_packs(store, loader)
    level = m.Severity(severity) if severity is not None else None
    verdict = tri.triage_all(_packs(linked), text, level)
    region: str | None = None
    region_note: str | None = None
    pack = next((p for _, p in linked if p.key == verdict.pack), None)
    if site:
        key = site.strip().partition(":")[0].lower()
        if pack is not None:
            try:
                pack.region(key)
            except KeyError:
                known = ", ".join(r.key for r in pack.sites.regions)
                raise JournalError(f"{site!r} is not an injection region; use one of: {known}") from None
        region = key
    elif verdict.injection_site and pack is not None:
        owner = next(med for med, p in linked if p.key == pack.key)
        last = store.last_dose(owner.id)
        if last is not None and last.region:
            region = last.region
            region_note = (
                f"Noted at {sites.spot_label(pack, None, region)}, where the last injection went "
                "(use --site REGION if it is elsewhere); no spot there is suggested until it is resolved."
            )
    effect = m.SideEffect.validate(
        {
            "symptom": text,
            "symptom_key": verdict.symptom_key,
            "tier": verdict.tier,
            "severity": level,
            "started_at": at,
            "tz": zone,
            "region": region,
            "note": note,
        },
        now=now,
    )
    paused: m.Medication | None = None
    suspect = next((med for med, p in linked if p.key == verdict.pack), None)
    with store.transaction():
        store.add(effect)
        if verdict.action is tri.Action.EMERGENCY and suspect is not None and not suspect.paused:
            # The pack says to stop the medicine and get help: nothing is due, reminded or suggested until
            # the person resumes it (`med resume`), having asked the doctor.
            paused = store.update(
                suspect,
                now=now,
                paused_at=at,
                pause_reason=f"a suspected allergic reaction ({text.strip()})",
                resumed_at=None,
                resume_note=None,
            )
    return EffectResult(effect=effect, triage=verdict, region_note=region_note, paused=paused)


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


def find_open_effect(store: Store, text: str, *, loader: PackLoader = load_pack) -> m.SideEffect:
    """The newest unresolved side effect named by `text` (as typed, or the same listed symptom)."""
    open_effects = store.open_side_effects()
    wanted = normalize(text)
    key = tri.triage_all(_packs(linked_packs(store, loader)), text).symptom_key
    for effect in open_effects:
        if normalize(effect.symptom) == wanted or (key is not None and effect.symptom_key == key):
            return effect
    if not open_effects:
        raise NotFoundError("No side effect is open.")
    names = ", ".join(dict.fromkeys(e.symptom for e in open_effects))
    raise NotFoundError(f"No open side effect matches {text!r}; open ones: {names}.")


def resolve_side_effect(
    store: Store, text: str, *, at: datetime, now: datetime, loader: PackLoader = load_pack
) -> m.SideEffect:
    """Mark the open side effect named by `text` as resolved at `at`."""
    effect = find_open_effect(store, text, loader=loader)
    if at < effect.started_at:
        raise JournalError(
            f"{effect.symptom} started on {format_local(effect.started_at, effect.tz)}; it cannot be resolved before."
        )
    return store.update(effect, now=now, resolved_at=at)


def mark_doctor_contacted(
    store: Store, text: str, *, at: datetime, now: datetime, loader: PackLoader = load_pack
) -> m.SideEffect:
    """Record that the doctor was contacted about the open side effect named by `text` (closes its alert)."""
    effect = find_open_effect(store, text, loader=loader)
    return store.update(effect, now=now, doctor_contacted_at=at)


def add_box(
    store: Store,
    med: m.Medication,
    *,
    received: date,
    now: datetime,
    count: int | None = None,
    lot: str | None = None,
    expires: date | None = None,
    note: str | None = None,
    loader: PackLoader = load_pack,
) -> m.SupplyBox:
    """Record a box received; its size defaults to the pack's units per box."""
    pack = pack_of(med, loader)
    if count is None:
        if pack is None:
            raise JournalError(f"{med.name} has no content pack to say how many are in a box: add --count N.")
        count = pack.supply.units_per_box
    box = m.SupplyBox.validate(
        {"medication_id": med.id, "received": received, "count": count, "lot": lot, "expires": expires, "note": note},
        now=now,
    )
    return store.add(box)


def discard_box(
    store: Store,
    med: m.Medication,
    *,
    lot: str,
    now: datetime,
    zone: str,
    reason: str | None = None,
    loader: PackLoader = load_pack,
) -> tuple[m.SupplyBox, int]:
    """Record the box of lot `lot` thrown away (an edit of the box, so undo and history take it back);
    returns it and how many syringes were still in it."""
    wanted = lot.strip().casefold()
    matching = [b for b in store.boxes(med.id) if (b.lot or "").strip().casefold() == wanted]
    if not matching:
        known = sorted({b.lot for b in store.boxes(med.id) if b.lot})
        listed = f" (lots recorded: {', '.join(known)})" if known else " (no box has a lot recorded)"
        raise NotFoundError(f"no box of {med.name} has lot {lot!r}{listed}.")
    kept = [b for b in matching if b.discarded_at is None]
    if not kept:
        thrown = max(b.discarded_at for b in matching if b.discarded_at)
        raise JournalError(f"the box of {med.name} lot {lot!r} was already thrown away on {_local_day(thrown, zone)}.")
    status = supply_for(store, med, now=now, zone=zone, loader=loader)
    left = {b.box_id: b.remaining for b in status.boxes} if status else {}
    if len(kept) > 1:
        # Boxes of one delivery share a lot: the one with syringes left is the one at hand.
        kept = [b for b in kept if left.get(b.id, 0)] or kept
    if len(kept) > 1:
        which = "; ".join(f"received {b.received}, {left.get(b.id, 0)} left" for b in kept)
        raise JournalError(
            f"{len(kept)} boxes of {med.name} have lot {lot!r} ({which}): the journal cannot tell which."
        )
    box = store.update(kept[0], now=now, discarded_at=now, discard_reason=reason)
    return box, left.get(box.id, 0)


def warnings_for_new(store: Store, record: m.Record, *, now: datetime, loader: PackLoader = load_pack) -> list[str]:
    """The interaction and precaution warnings a just-saved record raises (or, for a linked medicine, faces)."""
    found = warnings.warnings_about(standing_warnings(store, now=now, loader=loader), record)
    return [w.text for w in found]


def advice_for_new(store: Store, record: m.Record, *, loader: PackLoader = load_pack) -> list[str]:
    """The pack facts for the moment a record is added: any allergy, a visit, a medicine linked to a pack."""
    if isinstance(record, m.Medication):
        pack = pack_of(record, loader)
        advice = first_use_advice(store, record, pack)
        return [advice] if advice else []
    packs = _packs(linked_packs(store, loader))
    if not packs:
        return []
    if isinstance(record, m.Allergy):
        return [packs[0].precautions.allergies_advice]
    if isinstance(record, m.Appointment):
        return list(visit_reminders(store, [record], loader=loader).values())
    return []


def drift_for(store: Store, med: m.Medication, *, since: datetime, until: datetime) -> schedule.Drift:
    """How far the doses of a period strayed from the medicine's usual time."""
    usual = schedule.usual_time(med, store.recent_doses(med.id, RECENT_DOSES))
    return schedule.drift(store.doses(med.id, since=since, until=until), usual.at)
