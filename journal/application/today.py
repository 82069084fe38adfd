"""Today: each medicine's state now, its sites and supply, the open alerts and the weekly trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from datetime import date, datetime, timedelta

from journal import models as m
from journal.application.doses import dose_now
from journal.application.medicines import confirmed_words
from journal.application.packs import PackLoader, linked_packs, pack_of, standing_warnings, unique_packs
from journal.application.supply import supply_for
from journal.care import alerts as al
from journal.care import regimen, schedule, sites
from journal.care import supply as sup

# The alerts' kinds and words, for the front ends to draw them.
from journal.care.alerts import STAYS_OPEN as STAYS_OPEN
from journal.care.alerts import Alert as Alert
from journal.care.alerts import AlertAction as AlertAction
from journal.care.alerts import AlertKind as AlertKind
from journal.care.alerts import AlertLevel as AlertLevel
from journal.care.alerts import duration_text as duration_text
from journal.care.benefit import WeekAverage, weekly_trend
from journal.content import load_pack
from journal.dataclass import dataclass
from journal.store import Store
from journal.when import format_local, format_near

TREND_WEEKS = 12


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
    missed_at: datetime | None = None
    missed_local: str | None = None
    injected: bool = True
    # As needed: when its limits next allow a dose ('14:30'), or None when one is allowed now.
    allowed_from_local: str | None = None
    # As needed: the doses taken today past its limits (with --extra), and their local times ('14:30').
    above_limit_today: list[datetime] = field(default_factory=list)
    above_limit_local: list[str] = field(default_factory=list)
    # The amount of the dose that matters now (due, overdue, taken, or the next one), as its step says it ('20 mg').
    amount: str | None = None
    # Paused (after a suspected allergic reaction): since when, and why.
    paused_since_local: str | None = None
    pause_reason: str | None = None
    # A weekly split dose: which part is due ('dose 2 of 3'), or None.
    part: str | None = None

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


def _minutes(delta: timedelta | None) -> int | None:
    return None if delta is None else int(delta.total_seconds() // 60)


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
    recent, step, usual, found, due, amount = dose_now(store, med, now=now, zone=zone)
    today = m.local_day(now, zone)
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
        schedule_text=step.regimen.words() + confirmed_words(med),
        next_at=found.next_at,
        next_local=format_near(found.next_at, zone, now=now) if found.next_at else None,
        missed_at=found.missed_at,
        missed_local=format_near(found.missed_at, zone, now=now) if found.missed_at else None,
        injected=med.injected,
        amount=amount,
    )
    if found.state not in (regimen.State.AS_NEEDED, regimen.State.PAUSED):
        part = regimen.part_due([step], due, zone=zone)
        view.part = f"dose {part[0]} of {part[1]}" if part else None
    if found.state is regimen.State.PAUSED and med.paused_at is not None:
        view.paused_since_local = format_near(med.paused_at, zone, now=now)
        view.pause_reason = med.pause_reason
    if found.state is regimen.State.AS_NEEDED:
        allowed = regimen.as_needed_allowed_from(step.regimen, regimen.dosings(recent), now=now)
        view.allowed_from_local = format_near(allowed, zone, now=now) if allowed else None
        broken = regimen.limit_breaks([step], regimen.dosings(recent), zone=zone)
        view.above_limit_today = [t for t in broken if t <= now and m.local_day(t, zone) == today]
        view.above_limit_local = [format_local(t, zone)[-5:] for t in view.above_limit_today]
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


def open_alerts(
    store: Store,
    *,
    now: datetime,
    zone: str,
    medicines: Sequence[MedicineToday] | None = None,
    loader: PackLoader = load_pack,
) -> list[al.Alert]:
    """Open alerts, most urgent first: side effects, overdue doses, supply, expiry, standing warnings."""
    today = m.local_day(now, zone)
    linked = linked_packs(store, loader, on=today)
    packs = unique_packs(linked)
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
                    day=m.local_day(now, zone),
                    due_at=view.due_at,
                    overdue_by=timedelta(minutes=view.overdue_by_minutes),
                ),
            )
            if alert:
                found.append(alert)
        limit = al.limit_alert(med, view.above_limit_today, schedule=view.schedule_text, times=view.above_limit_local)
        if limit:
            found.append(limit)
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
            for med in store.tracked_medications(on=m.local_day(now, zone))
        ),
        key=_time_order,
    )
    since = now - timedelta(weeks=TREND_WEEKS)
    today = Today(
        generated_at=now,
        zone=zone,
        day=m.local_day(now, zone),
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
