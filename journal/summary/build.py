"""Building the visit summary: read the journal once, apply the care rules, return plain data."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from journal import models as m
from journal.care import benefit, labs, regimen, schedule, sites, triage
from journal.care import warnings as care_warnings
from journal.content import Pack, PackError, load_pack, spot_distance_cm
from journal.errors import JournalError
from journal.store import Store
from journal.store import summary_queries as q
from journal.summary import model as s
from journal.when import format_local

DEFAULT_DAYS = 90
# Fields whose change is worth telling the doctor about.
_CHANGE_FIELDS = ("name", "strength", "directions", "route", "kind", "reason", "usual_time", "tracked")
_TIER_ORDER = {m.Tier.SERIOUS: 0, m.Tier.COMMON: 1, m.Tier.OTHER: 2}


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def resolve_period(
    store: Store,
    *,
    now: datetime,
    zone: str,
    since: date | None = None,
    until: date | None = None,
    days: int | None = None,
    all_time: bool = False,
) -> s.Period:
    """The period to summarise: the dates given, the last N days, all time, or since the last visit (else 90 days)."""
    # A period is [since, until). Up to now, it includes the current second: records keep whole
    # seconds, so one written in the same second as the export (`checkin ... && export`) is in it.
    end = _midnight(until + timedelta(days=1), zone) if until else now.replace(microsecond=0) + timedelta(seconds=1)
    # "Last N days" count back from the period's last day: today, unless --until says otherwise.
    today = _day(end - timedelta(seconds=1), zone)
    if since is not None:
        start, basis, label = _midnight(since, zone), s.PeriodBasis.CUSTOM, "chosen dates"
    elif all_time:
        first = q.first_activity(store)
        start = _midnight(_day(first, zone), zone) if first and first < end else _midnight(today, zone)
        end = max(end, start + timedelta(days=1)) if start >= end else end
        basis, label = s.PeriodBasis.ALL, "everything in the journal"
    elif days is not None:
        start, basis, label = (
            _midnight(today - timedelta(days=days - 1), zone),
            s.PeriodBasis.CUSTOM,
            f"last {days} days",
        )
    else:
        visit = store.last_visit()
        if visit is not None and visit.at < end:
            start, basis = visit.at, s.PeriodBasis.LAST_VISIT
            label = f"since the last visit on {format_local(visit.at, visit.tz)}"
        else:
            start, basis = _midnight(today - timedelta(days=DEFAULT_DAYS - 1), zone), s.PeriodBasis.DEFAULT_DAYS
            label = f"last {DEFAULT_DAYS} days; no doctor's visit marked done"
    if until is None and since is not None and start > end:
        end = start
    if start >= end:
        raise JournalError(
            f"The period starts on {_day(start, zone)} and ends on {_day(end - timedelta(seconds=1), zone)}; "
            "the start must come before the end."
        )
    return s.Period(
        since=start,
        until=end,
        first_day=_day(start, zone),
        last_day=_day(end - timedelta(seconds=1), zone),
        basis=basis,
        label=label,
    )


def _load_packs(meds: list[m.Medication]) -> dict[str, Pack]:
    # A missing or broken pack must not stop the summary: the doctor still needs the rest.
    packs: dict[str, Pack] = {}
    for med in meds:
        if med.pack and med.pack not in packs:
            try:
                packs[med.pack] = load_pack(med.pack)
            except PackError:
                continue
    return packs


def build_visit_summary(store: Store, *, now: datetime, zone: str, period: s.Period | None = None) -> s.VisitSummary:
    """The visit summary for `period` (default: since the last visit, else the last 90 days)."""
    period = period or resolve_period(store, now=now, zone=zone)
    since, until = period.since, period.until
    all_meds = store.medications(include_stopped=True)
    today = now.astimezone(ZoneInfo(zone)).date()
    active = [med for med in all_meds if med.active_on(today)]
    packs = _load_packs(all_meds)
    linked = [(med, packs[med.pack]) for med in active if med.pack and med.pack in packs]
    allergies = store.all(m.Allergy)
    conditions = store.all(m.Condition)
    appointments = store.all(m.Appointment, order_by="at")
    # Adherence counts whole local days: a dose taken before the visit on its day still counts.
    day_doses = store.doses(since=min(since, _midnight(period.first_day, zone)), until=until)
    doses = [d for d in day_doses if d.at >= since]
    checks = store.between(m.SyringeCheck, "at", since, until)
    effects = q.side_effects_overlapping(store, since, until)
    checkins = store.between(m.Checkin, "at", since, until)
    questions = store.all(m.Question)
    profile = store.profile()
    lab_groups = labs.by_test(store.lab_results(until=until))

    standing = care_warnings.standing_warnings(
        linked, medications=active, allergies=allergies, conditions=conditions, appointments=appointments, now=now
    )

    def flags_for(record_id: str) -> list[str]:
        return [w.text for w in standing if w.record_id == record_id]

    # Every medicine tracked on a day of the period, one stopped during it too (a taper that ended).
    taken_in_period = [med for med in all_meds if med.tracked and med.active_on(period.first_day)]
    past = [a for a in appointments if since <= a.at < until]
    upcoming = [a for a in appointments if a.at >= now and a.status is m.ApptStatus.PLANNED]
    shown = {a.id for a in (*past, *upcoming)}
    active_packs = {p.key: p for _, p in linked}
    return s.VisitSummary(
        generated_at=now,
        generated_local=format_local(now, zone, with_zone=True),
        zone=zone,
        period=period,
        patient=_patient(profile),
        medicines=[_medicine(med, packs.get(med.pack or ""), flags_for(med.id)) for med in active],
        changes=_changes(store, all_meds, period, zone),
        allergies=[
            s.AllergyEntry(id=a.id, substance=a.substance, reaction=a.reaction, flags=flags_for(a.id))
            for a in allergies
        ],
        conditions=[s.ConditionEntry(id=c.id, name=c.name, since=c.since, flags=flags_for(c.id)) for c in conditions],
        warnings=[s.Flag(about=w.subject, text=w.text) for w in standing],
        adherence=[_adherence(store, med, day_doses, period, now, zone) for med in taken_in_period],
        regimens=[entry for med in active if med.tracked for entry in _regimens(store, med)],
        discarded=_discarded(checks, all_meds, packs),
        sites=[
            _rotation(med, packs[med.pack], doses) for med in active if med.tracked and med.pack and med.pack in packs
        ],
        side_effects=_effects(effects, list(packs.values()), now, zone),
        trend=_trend(checkins),
        trend_months=_trend_months(checkins) if period.days > s.MONTHLY_AFTER_DAYS else [],
        labs=[_lab(group, since) for group in lab_groups.values()],
        past_appointments=[_appointment(a, active_packs) for a in past],
        upcoming_appointments=[_appointment(a, active_packs) for a in upcoming],
        questions=[
            s.QuestionEntry(id=qn.id, text=qn.text, asked_on=_day(qn.created_at, zone))
            for qn in questions
            if qn.answer is None
        ],
        sources=[
            s.SourceNote(
                medicine=pack.medication.display_name,
                key_warning=pack.medication.key_warning,
                citation=pack.source.citation,
                disclaimer=pack.source.disclaimer,
            )
            for pack in active_packs.values()
        ],
        records=s.PeriodRecords(
            profile=profile,
            medications=all_meds,
            schedules=store.all(m.Schedule),
            supply_boxes=q.supply_boxes(store),
            syringe_checks=checks,
            doses=doses,
            side_effects=effects,
            allergies=allergies,
            conditions=conditions,
            appointments=[a for a in appointments if a.id in shown],
            checkins=checkins,
            questions=questions,
            # The period's results, and each test's latest even when it is older: what the doctor follows.
            lab_results=sorted(
                (r for group in lab_groups.values() for r in group if r.at >= since or r is group[-1]),
                key=lambda r: r.at,
            ),
        ),
    )


def _patient(profile: m.Profile | None) -> s.Patient:
    if profile is None:
        return s.Patient()
    return s.Patient(
        id=profile.id,
        name=profile.name,
        born=profile.born,
        emergency_contact=profile.emergency_contact,
        doctor=profile.doctor,
        pharmacy=profile.pharmacy,
        notes=profile.notes,
    )


def _medicine(med: m.Medication, pack: Pack | None, flags: list[str]) -> s.MedicineEntry:
    codes = pack.medication.codes if pack else None
    return s.MedicineEntry(
        id=med.id,
        name=med.name,
        generic=med.generic,
        brand=med.brand,
        kind=med.kind,
        strength=med.strength,
        directions=med.directions,
        route=med.route or (pack.medication.route if pack else None),
        reason=med.reason,
        prescriber=med.prescriber,
        started=med.started,
        stopped=med.stopped,
        tracked=med.tracked,
        usual_time=med.usual_time,
        pack=med.pack if pack else None,
        rxnorm=codes.rxnorm if codes else None,
        route_snomed=codes.route_snomed if codes else None,
        flags=flags,
    )


def _changes(store: Store, meds: list[m.Medication], period: s.Period, zone: str) -> list[s.MedicineChange]:
    changes: list[s.MedicineChange] = []
    started_here: set[str] = set()
    for med in meds:
        if med.started and period.first_day <= med.started <= period.last_day:
            changes.append(s.MedicineChange(on=med.started, name=med.name, change="started", detail=med.strength))
            started_here.add(med.id)
        if med.stopped and period.first_day <= med.stopped <= period.last_day:
            changes.append(s.MedicineChange(on=med.stopped, name=med.name, change="stopped", detail=med.stop_reason))
    for entry in q.changes_between(store, m.Medication.table, period.since, period.until):
        after = entry.after or {}
        name = str(after.get("name") or (entry.before or {}).get("name") or "medicine")
        day = _day(entry.at, zone)
        if entry.action == "insert" and entry.row_id not in started_here and not after.get("started"):
            changes.append(
                s.MedicineChange(on=day, name=name, change="added to the list", detail=after.get("strength"))
            )
        elif entry.action == "update" and entry.before:
            diffs = [
                f"{field.replace('_', ' ')}: {_shown(entry.before.get(field))} -> {_shown(after.get(field))}"
                for field in _CHANGE_FIELDS
                if entry.before.get(field) != after.get(field)
            ]
            if diffs:
                changes.append(s.MedicineChange(on=day, name=name, change="changed", detail="; ".join(diffs)))
        elif entry.action == "delete":
            changes.append(s.MedicineChange(on=day, name=name, change="removed from the list"))
    return sorted(changes, key=lambda c: c.on)


def _shown(value: object) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _regimens(store: Store, med: m.Medication) -> list[s.RegimenEntry]:
    steps = regimen.steps_for(med, store.schedules(med.id), store.recent_doses(med.id, schedule.RECENT_FOR_MEDIAN))
    return [
        s.RegimenEntry(
            medicine_id=med.id,
            medicine=med.name,
            words=step.regimen.words(),
            pattern=step.regimen.pattern.value,
            times=[t.strftime("%H:%M") for t in step.regimen.times],
            weekdays=list(step.regimen.weekdays),
            every_days=step.regimen.every_days,
            parts=[(day, at.strftime("%H:%M")) for day, at in step.regimen.parts],
            days_on=step.regimen.days_on,
            days_off=step.regimen.days_off,
            starts=step.starts if step.starts.year > 1900 else None,
            ends=step.ends,
        )
        for step in steps
    ]


def _adherence(
    store: Store, med: m.Medication, doses: list[m.Dose], period: s.Period, now: datetime, zone: str
) -> s.AdherenceEntry:
    mine = [d for d in doses if d.medication_id == med.id]
    # Doses are expected from its start date (else the day it entered the journal), or from its first dose when that
    # is earlier: doses typed in afterwards for the days since it was started count.
    first = store.first_dose(med.id)
    began = min(day for day in (med.started or _day(med.created_at, zone), first and _day(first.at, zone)) if day)
    start = max(period.first_day, began)
    today = _day(now, zone)
    end = min(period.last_day, today, med.stopped or period.last_day)
    recent = store.recent_doses(med.id, limit=schedule.RECENT_FOR_MEDIAN)
    rows = store.schedules(med.id)
    steps = regimen.steps_for(med, rows, recent)
    usual = (
        schedule.UsualTime(at=steps[-1].regimen.times[0], source=schedule.TimeSource.SET)
        if rows and steps[-1].regimen.times
        else schedule.usual_time(med, recent)
    )
    result = regimen.adherence(steps, regimen.dosings(mine), start=start, end=end, zone=zone, now=now)
    missed_dates = sorted({_day(moment, zone) for moment in result.missed_at})
    taken_at = sorted(d.at for d in mine if d.status is m.DoseStatus.TAKEN and start <= _day(d.at, zone) <= end)
    gap = max((b - a for a, b in itertools.pairwise(taken_at)), default=None)
    as_needed = bool(steps) and all(step.regimen.as_needed for step in steps)
    # Taken when needed: no time to drift from, nothing missed.
    drift = schedule.drift([] if as_needed else mine, usual.at)
    last = store.last_dose(med.id)
    return s.AdherenceEntry(
        medicine_id=med.id,
        medicine=med.name,
        usual_time=usual.at.strftime("%H:%M"),
        usual_time_note=None if usual.source is schedule.TimeSource.SET else usual.source.value,
        days_expected=result.expected,
        taken=result.taken,
        skipped=result.skipped,
        missed=result.missed,
        missed_dates=missed_dates,
        percent=round(result.percent, 1) if result.percent is not None else None,
        extra=result.extra,
        as_needed=as_needed,
        as_needed_doses=result.as_needed_doses,
        above_limit=result.above_limit,
        as_needed_per_week=round(result.as_needed_per_week, 1) if result.as_needed_per_week is not None else None,
        schedule=steps[-1].regimen.words() if steps else "",
        longest_gap_hours=round(gap.total_seconds() / 3600, 1) if gap else None,
        drift_count=drift.count,
        drift_median_minutes=drift.median_minutes,
        drift_largest_minutes=drift.largest_minutes,
        last_dose_at=last.at if last else None,
        last_dose_local=format_local(last.at, last.tz, with_zone=True) if last else None,
    )


def _discarded(
    checks: list[m.SyringeCheck], meds: list[m.Medication], packs: dict[str, Pack]
) -> list[s.DiscardedSyringe]:
    names = {med.id: med for med in meds}
    found: list[s.DiscardedSyringe] = []
    for check in checks:
        if check.outcome is not m.CheckOutcome.DISCARDED:
            continue
        med = names.get(check.medication_id)
        reason = check.reason
        if reason is None and med and med.pack in packs:
            try:
                reason = packs[med.pack or ""].appearance(check.appearance.value).advice
            except KeyError:
                reason = None
        found.append(
            s.DiscardedSyringe(
                id=check.id,
                medicine=med.name if med else "unknown medicine",
                at=check.at,
                at_local=format_local(check.at, check.tz),
                appearance=check.appearance,
                reason=reason or f"syringe looked {check.appearance.value}",
            )
        )
    return found


def _site_text(pack: Pack, dose: m.Dose) -> str:
    return sites.spot_label(pack, dose.spot, dose.region) or "no site"


def _rotation(med: m.Medication, pack: Pack, doses: list[m.Dose]) -> s.SiteRotation:
    taken = sorted(
        (d for d in doses if d.medication_id == med.id and d.status is m.DoseStatus.TAKEN), key=lambda d: d.at
    )
    counts: Counter[str] = Counter()
    without = 0
    for dose in taken:
        region = dose.region or (dose.spot.partition(":")[0] if dose.spot else None)
        if region:
            counts[region] += 1
        else:
            without += 1
    labels = {r.key: r.label for r in pack.sites.regions}
    repeats: list[s.SiteRepeat] = []
    spacing = pack.sites.spacing_cm
    for before, after in itertools.pairwise(taken):
        if not (sites.spot_of(pack, before.spot) and sites.spot_of(pack, after.spot)):
            continue
        distance = spot_distance_cm(pack, before.spot or "", after.spot or "")
        if not math.isinf(distance) and distance < spacing:
            repeats.append(
                s.SiteRepeat(
                    at_local=format_local(after.at, after.tz),
                    site=_site_text(pack, after),
                    previous_local=format_local(before.at, before.tz),
                    previous_site=_site_text(pack, before),
                    distance_cm=round(distance, 1),
                )
            )
    return s.SiteRotation(
        medicine=med.name,
        spacing_cm=spacing,
        regions=[s.RegionUse(region=key, label=labels.get(key, key), doses=n) for key, n in counts.most_common()],
        without_site=without,
        repeats=repeats,
    )


def _effects(effects: list[m.SideEffect], packs: list[Pack], now: datetime, zone: str) -> list[s.EffectEntry]:
    entries: list[s.EffectEntry] = []
    for effect in sorted(effects, key=lambda e: (_TIER_ORDER[e.tier], e.started_at)):
        end = effect.resolved_at or now
        lingering = triage.lingering_days(packs, effect.symptom_key)
        action = triage.current_action(effect, now=now, lingering=lingering)
        advice = None
        if action is triage.Action.CALL_NOW:
            advice = "Serious: call the doctor now (not yet resolved or reported)."
        elif action is triage.Action.TELL_DOCTOR:
            advice = "Tell the doctor: severe or lasting."
        entries.append(
            s.EffectEntry(
                id=effect.id,
                symptom=effect.symptom,
                tier=effect.tier,
                severity=effect.severity,
                started_at=effect.started_at,
                started_local=format_local(effect.started_at, effect.tz),
                resolved_local=format_local(effect.resolved_at, effect.tz) if effect.resolved_at else None,
                open=effect.resolved_at is None,
                doctor_contacted_local=(
                    format_local(effect.doctor_contacted_at, effect.tz) if effect.doctor_contacted_at else None
                ),
                duration_days=round((end - effect.started_at).total_seconds() / 86400, 1),
                region=effect.region,
                note=effect.note,
                advice=advice,
                important=advice is not None
                or (
                    effect.resolved_at is None
                    and (effect.tier is m.Tier.SERIOUS or effect.severity is m.Severity.SEVERE)
                ),
            )
        )
    return entries


def _trend(checkins: list[m.Checkin]) -> list[s.WeekTrend]:
    return [
        s.WeekTrend(
            week_start=week.starts,
            checkins=week.checkins,
            pain=week.pain,
            swelling=week.swelling,
            stiffness_minutes=week.stiffness_minutes,
        )
        for week in benefit.weekly_trend(checkins)
    ]


def _lab(results: list[m.LabResult], since: datetime) -> s.LabEntry:
    latest = results[-1]
    previous = results[-2] if len(results) > 1 else None
    return s.LabEntry(
        test=latest.test,
        value=latest.value,
        unit=latest.unit,
        at=latest.at,
        at_local=format_local(latest.at, latest.tz),
        range_low=latest.range_low,
        range_high=latest.range_high,
        out_of_range=latest.out_of_range,
        previous_value=previous.value if previous else None,
        previous_unit=previous.unit if previous else None,
        previous_local=format_local(previous.at, previous.tz) if previous else None,
        trend=labs.trend(results),
        in_period=sum(1 for r in results if r.at >= since),
        note=latest.note,
    )


def _trend_months(checkins: list[m.Checkin]) -> list[s.MonthTrend]:
    return [
        s.MonthTrend(
            month_start=month.starts,
            checkins=month.checkins,
            pain=month.pain,
            swelling=month.swelling,
            stiffness_minutes=month.stiffness_minutes,
        )
        for month in benefit.monthly_trend(checkins)
    ]


def _appointment(appt: m.Appointment, packs: dict[str, Pack]) -> s.AppointmentEntry:
    advice = None
    if appt.kind in (m.ApptKind.VACCINATION, m.ApptKind.SURGERY, m.ApptKind.DENTAL):
        for pack in packs.values():
            advice = pack.appointments.advice_for(appt.kind.value)
            if advice:
                break
    return s.AppointmentEntry(
        id=appt.id,
        at=appt.at,
        at_local=format_local(appt.at, appt.tz),
        tz=appt.tz,
        kind=appt.kind,
        with_whom=appt.with_whom,
        purpose=appt.purpose,
        status=appt.status,
        outcome=appt.outcome,
        advice=advice,
    )
