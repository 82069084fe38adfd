"""The journal at a glance: reads the store, calls the care rules, returns plain view objects.

This is the one place that joins journal.store and journal.care. The CLI, the TUI and the
exports build on these functions; every function takes `now` (and the user's zone) so a
screen, a command and a test all see the same answer for the same moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from journal import models as m
from journal.care import alerts as al
from journal.care import schedule, sites, warnings
from journal.care import supply as sup
from journal.care import triage as tri
from journal.care.benefit import WeekAverage, weekly_trend
from journal.care.inspection import Inspection, inspect_syringe, leftover_advice
from journal.content import Pack, PackError, available_packs, load_pack, normalize
from journal.errors import JournalError, NotFoundError
from journal.plain import Plain, plain_dataclass
from journal.store import Store
from journal.when import format_local

PackLoader = Callable[[str], Pack]
# How many recent doses feed the site rotation and the usual time (covers every spot of a pack).
RECENT_DOSES = 120
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


def linked_packs(store: Store, loader: PackLoader = load_pack) -> list[tuple[m.Medication, Pack]]:
    """Active medicines linked to a content pack, with their packs."""
    found: list[tuple[m.Medication, Pack]] = []
    for med in store.medications():
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


@plain_dataclass(kw_only=True, eq=False, repr=False)
class MedicineToday(Plain):
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


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Today(Plain):
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
    boxes, empty_boxes, empty_syringes = store.boxes_in_use(med.id, used + discarded)
    today = _local_day(now, zone)
    # Two days back cover today's local day in every zone.
    recent = store.doses(med.id, since=now - timedelta(days=2))
    taken_today = any(d.status is m.DoseStatus.TAKEN for d in schedule.doses_on(recent, today))
    per_day = pack.medication.schedule.doses_per_day if pack else 1
    return sup.supply_status(
        boxes,
        used=used,
        discarded=discarded,
        today=today,
        taken_today=taken_today,
        reorder_lead_days=lead,
        per_day=per_day,
        used_up=sup.UsedUp(boxes=empty_boxes, syringes=empty_syringes),
    )


def medicine_today(
    store: Store,
    med: m.Medication,
    *,
    now: datetime,
    zone: str,
    reorder_lead_days: int | None = None,
    loader: PackLoader = load_pack,
) -> MedicineToday:
    """Due at, taken at, overdue by, last and next site, and supply, for one tracked medicine."""
    pack = pack_of(med, loader)
    recent = store.recent_doses(med.id, RECENT_DOSES)
    usual = schedule.usual_time(med, recent)
    day = schedule.today_status(usual, recent, now=now, zone=zone)
    starts_on = med.started if med.started and med.started > day.day else None
    if starts_on:
        day.overdue_by, day.due_in = None, None
    view = MedicineToday(
        medication_id=med.id,
        name=med.name,
        pack=pack.key if pack else None,
        unit=pack.supply.unit if pack else "dose",
        usual_time=usual.at.strftime("%H:%M"),
        usual_time_source=usual.source,
        usual_time_text=usual.text,
        due_at=day.due_at,
        due_local=format_local(day.due_at, zone)[-5:],
        taken_at=day.taken_at,
        taken_local=format_local(day.taken_at, zone)[-5:] if day.taken_at else None,
        skipped=day.skipped,
        starts_on=starts_on,
        overdue_by_minutes=_minutes(day.overdue_by),
        due_in_minutes=_minutes(day.due_in),
    )
    if pack is not None:
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
    linked = linked_packs(store, loader)
    packs = _packs(linked)
    if medicines is None:
        medicines = [
            medicine_today(store, med, now=now, zone=zone, loader=loader) for med in store.tracked_medications()
        ]
    found = al.side_effect_alerts(store.open_side_effects(), packs, now=now)
    by_id = {med.id: med for med in store.medications()}
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


def build_today(
    store: Store,
    *,
    now: datetime,
    zone: str,
    reorder_lead_days: int | None = None,
    loader: PackLoader = load_pack,
) -> Today:
    """Today for every tracked medicine, the open alerts (most urgent first) and the weekly check-in trend."""
    medicines = [
        medicine_today(store, med, now=now, zone=zone, reorder_lead_days=reorder_lead_days, loader=loader)
        for med in store.tracked_medications()
    ]
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


def status_line(today: Today) -> str:
    """One line for a shell prompt or status bar: next dose, syringes left, open alerts."""
    parts: list[str] = []
    for med in today.medicines:
        if med.taken_at is not None:
            dose = f"{med.name} taken {med.taken_local}"
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


@plain_dataclass(kw_only=True, eq=False, repr=False)
class DoseResult(Plain):
    """What `record_dose` wrote and what to tell the person."""

    medication: m.Medication
    inspection: Inspection | None = None
    check: m.SyringeCheck | None = None
    dose: m.Dose | None = None
    site_label: str | None = None
    suggested: bool = False
    warnings: list[str] = field(default_factory=list)
    leftover_advice: str | None = None

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
    loader: PackLoader = load_pack,
) -> DoseResult:
    """Inspect the syringe, choose the site and write the check and the dose in one transaction.

    A syringe the pack says not to use is recorded as a discarded check and no dose is written.
    """
    pack = pack_of(med, loader)
    look = m.Appearance(appearance) if appearance is not None else None
    inspection = inspect_syringe(pack, look or m.Appearance.CLEAR, waited_minutes=waited_minutes)
    result = DoseResult(medication=med, inspection=inspection if look is not None else None)
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
    earlier = [
        d
        for d in schedule.doses_on(store.recent_doses(med.id, 10), m.local_day(at, zone))
        if d.status is m.DoseStatus.TAKEN
    ]
    if earlier:
        when = format_local(earlier[-1].at, earlier[-1].tz)
        result.warnings.append(
            f"a dose of {med.name} was already recorded for that day ({when}); do not take more than prescribed."
        )
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
                },
                now=now,
            )
        )
    if leftover:
        result.leftover_advice = (
            leftover_advice(pack) if pack else "Never inject the solution left in a used syringe again."
        )
    return result


@plain_dataclass(kw_only=True, eq=False, repr=False)
class EffectResult(Plain):
    """What `record_side_effect` wrote and the triage to show."""

    effect: m.SideEffect
    triage: tri.Triage
    region_note: str | None = None


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
    store.add(effect)
    return EffectResult(effect=effect, triage=verdict, region_note=region_note)


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


def warnings_for_new(store: Store, record: m.Record, *, now: datetime, loader: PackLoader = load_pack) -> list[str]:
    """The interaction and precaution warnings a just-saved record raises (or, for a linked medicine, faces)."""
    found = warnings.warnings_about(standing_warnings(store, now=now, loader=loader), record)
    return [w.text for w in found]


def adherence_for(
    store: Store, med: m.Medication, *, start: date, end: date, now: datetime, zone: str
) -> schedule.Adherence:
    """Adherence of one medicine from `start` to `end`, never before it was started or added."""
    began = med.started or m.local_day(med.created_at, zone)
    first = max(start, began)
    last = min(end, med.stopped) if med.stopped else end
    since = datetime.combine(first - timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo("UTC"))
    until = datetime.combine(last + timedelta(days=2), datetime.min.time(), tzinfo=ZoneInfo("UTC"))
    doses = store.doses(med.id, since=since, until=until)
    return schedule.adherence(doses, start=first, end=last, today=_local_day(now, zone))


def drift_for(store: Store, med: m.Medication, *, since: datetime, until: datetime) -> schedule.Drift:
    """How far the doses of a period strayed from the medicine's usual time."""
    usual = schedule.usual_time(med, store.recent_doses(med.id, RECENT_DOSES))
    return schedule.drift(store.doses(med.id, since=since, until=until), usual.at)
