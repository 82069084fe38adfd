"""Recording a dose: the syringe check, the site, and the refusal of a dose beyond the schedule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from datetime import datetime

from journal import models as m
from journal.application.packs import PackLoader, first_use_advice, pack_of
from journal.care import regimen, schedule, sites
from journal.care.inspection import Inspection, leftover_advice

# The site and syringe advice the dose form shows as the user picks (reads only).
from journal.care.inspection import inspect_syringe as inspect_syringe
from journal.care.sites import avoid_advice as avoid_advice
from journal.care.sites import site_warnings as site_warnings
from journal.care.sites import spot_label as spot_label
from journal.care.sites import suggest_spot as suggest_spot
from journal.content import Pack, load_pack
from journal.dataclass import dataclass
from journal.errors import JournalError
from journal.store import Store
from journal.when import format_day, format_near

# How many recent doses feed the site rotation and the usual time (covers every spot of a pack).
RECENT_DOSES = 120


# For a medicine that is not injected: enough for its state now (a few days of four daily doses, or
# weeks of a weekly one) and an as-needed limit (at most 48 in 24 hours).
RECENT_TABLETS = 50


def site_context(store: Store, med: m.Medication, pack: Pack) -> tuple[list[sites.SiteUse], frozenset[str]]:
    """Past injection sites of a medicine (newest first) and regions blocked by an open site reaction."""
    doses = store.recent_doses(med.id, RECENT_DOSES)
    return sites.uses_from_doses(doses), sites.blocked_regions(pack, store.open_side_effects())


def dose_now(
    store: Store, med: m.Medication, *, now: datetime, zone: str
) -> tuple[list[m.Dose], regimen.Step, schedule.UsualTime, regimen.Now, datetime, str | None]:
    """A medicine's latest doses, its schedule step today, its usual time, its state now, the dose's due time, and
    the amount of that dose as its step says it ('20 mg'; for a medicine taken as needed, today's step's)."""
    # An injection's site rotation reads its last RECENT_DOSES; any other medicine's state needs fewer.
    recent = store.recent_doses(med.id, RECENT_DOSES if med.injected else RECENT_TABLETS)
    today = m.local_day(now, zone)
    rows = store.schedules(med.id)
    steps = regimen.steps_for(med, rows, recent)
    step = regimen.step_on(steps, today) or steps[-1]
    if rows:
        first = step.regimen.times[0] if step.regimen.times else schedule.DEFAULT_TIME
        usual = schedule.UsualTime(at=first, source=schedule.TimeSource.SET)
    else:
        usual = schedule.usual_time(med, recent)
    found = regimen.state_now(steps, regimen.dosings(recent), now=now, zone=zone, paused_since=med.paused_at)
    due = found.due_at or schedule.due_at(today, usual, zone)
    moment = found.due_at or found.next_at
    amount = regimen.amount_at(steps, moment, zone=zone) if moment is not None else step.dose
    return recent, step, usual, found, due, amount


@dataclass(kw_only=True)
class DoseResult:
    """What `record_dose` wrote and what to tell the person."""

    medication: m.Medication
    inspection: Inspection | None = None
    check: m.SyringeCheck | None = None
    dose: m.Dose | None = None
    site_label: str | None = None
    suggested: bool = False
    # Every allowed region has an open site reaction or is too close: no site was recorded (each front end
    # says how to choose one).
    no_free_spot: bool = False
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
        values = {"medication_id": med.id, "at": at, "tz": zone, "note": note, "extra": extra}
        with store.transaction():
            taken = store.add(m.Dose.validate({**values, "amount": amount_of(store, med, at, zone=zone)}, now=now))
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
            result.no_free_spot = True
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
                    "amount": amount_of(store, med, at, zone=zone),
                },
                now=now,
            )
        )
    if leftover:
        result.leftover_advice = (
            leftover_advice(pack) if pack else "Never inject the solution left in a used syringe again."
        )
    return result


def record_skip(
    store: Store, med: m.Medication, *, at: datetime, zone: str, now: datetime, reason: str, note: str | None = None
) -> m.Dose:
    """Record a dose not taken, with the reason."""
    dose = m.Dose.validate(
        {"medication_id": med.id, "at": at, "tz": zone, "status": m.DoseStatus.SKIPPED, "reason": reason, "note": note},
        now=now,
    )
    return store.add(dose, now=now)


def _regimen(store: Store, med: m.Medication) -> tuple[list[m.Dose], list[regimen.Step]]:
    """A medicine's latest doses and its schedule steps, as the extra-dose rule reads them."""
    recent = store.recent_doses(med.id, RECENT_DOSES)
    return recent, regimen.steps_for(med, store.schedules(med.id), recent)


def amount_of(store: Store, med: m.Medication, at: datetime, *, zone: str) -> str | None:
    """The amount a dose of `med` at `at` is, as the schedule step it falls under says it ('20 mg'), or None."""
    return regimen.amount_at(regimen.steps_for(med, store.schedules(med.id), []), at, zone=zone)


def _refusal(store: Store, med: m.Medication, *, at: datetime, zone: str) -> regimen.Refusal | None:
    """Why a dose of `med` at `at` would be more than its schedule allows, or None."""
    recent, steps = _regimen(store, med)
    return regimen.extra_dose(steps, regimen.dosings(recent), at, zone=zone, paused_since=med.paused_at)


def open_now(store: Store, meds: Sequence[m.Medication], *, now: datetime, zone: str) -> list[m.Medication]:
    """The scheduled medicines a dose taken now would count for (their dose due or overdue, not yet taken).

    A bare `dose` or `d` takes the one there is; with two or more it never chooses: the person does.
    """
    found = []
    for med in meds:
        if med.paused:
            continue
        recent, steps = _regimen(store, med)
        step = regimen.step_on(steps, m.local_day(now, zone))
        if step is None or step.regimen.as_needed:
            continue
        if regimen.extra_dose(steps, regimen.dosings(recent), now, zone=zone) is None:
            found.append(med)
    return found


@dataclass(frozen=True)
class DoseChoice:
    """One active medicine a dose may be logged for, with its state now (for a chooser)."""

    medication: m.Medication
    # regimen.State now; None for a medicine with no schedule that is not tracked (nothing is ever due).
    state: regimen.State | None
    # Whether a dose taken now would count for its scheduled dose (due or overdue, not yet taken).
    open: bool = False
    # The scheduled dose that matters now (due, overdue or taken), or the next one; UTC.
    due_at: datetime | None = None
    next_at: datetime | None = None
    taken_at: datetime | None = None
    # A weekly split dose: (part, parts) of the dose due.
    part: tuple[int, int] | None = None


# The order of a chooser after the doses open now: due later today, done, later days, as needed, paused, untracked.
_CHOICE_ORDER = {
    regimen.State.OVERDUE: 0,
    regimen.State.DUE: 1,
    regimen.State.TAKEN: 2,
    regimen.State.SKIPPED: 2,
    regimen.State.NOT_DUE: 3,
    regimen.State.AS_NEEDED: 4,
    regimen.State.PAUSED: 5,
}


def dose_choices(store: Store, meds: Sequence[m.Medication], *, now: datetime, zone: str) -> list[DoseChoice]:
    """Every medicine of `meds` with its state now: first those a dose now would count for (overdue before due,
    then by the time due, so an overdue injection is never below a tablet), then the rest, due ones first."""
    found: list[DoseChoice] = []
    for med in meds:
        recent, steps = _regimen(store, med)
        if not steps:  # neither scheduled nor tracked: nothing is ever due
            found.append(DoseChoice(med, None))
            continue
        state = regimen.state_now(steps, regimen.dosings(recent), now=now, zone=zone, paused_since=med.paused_at)
        step = regimen.step_on(steps, m.local_day(now, zone))
        scheduled = step is not None and not step.regimen.as_needed and not med.paused
        is_open = scheduled and regimen.extra_dose(steps, regimen.dosings(recent), now, zone=zone) is None
        due = state.due_at
        part = regimen.part_due(steps, due, zone=zone) if due is not None else None
        found.append(DoseChoice(med, state.state, is_open, due, state.next_at, state.taken_at, part))
    far = datetime.max.replace(tzinfo=now.tzinfo)

    def order(choice: DoseChoice) -> tuple[int, int, datetime]:
        rank = _CHOICE_ORDER.get(choice.state, 6) if choice.state is not None else 6
        moment = choice.next_at if choice.state is regimen.State.NOT_DUE else choice.due_at
        return (0 if choice.open else 1, rank, moment or far)

    return sorted(found, key=order)


class ExtraDoseError(JournalError):
    """A dose beyond what the schedule allows, refused before anything was written; `refusal` says why."""

    def __init__(self, reason: str, *, medication: m.Medication, refusal: regimen.Refusal) -> None:
        done = (
            ". Nothing was recorded."
            if refusal.kind is regimen.RefusalKind.PAUSED
            else ", so this would be an extra dose; nothing was recorded."
        )
        super().__init__(reason + done)
        # The reason alone ('anakinra: the dose for that time was already taken (today 08:05)'): each front end
        # says what to do about it in its own words (journal.cli.messages; the TUI asks).
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
    day = format_day(refusal.day or m.local_day(at, zone), today=m.local_day(now, zone))
    return f"{med.name} {refusal.sentence(day)}"


def refuse_extra(store: Store, med: m.Medication, *, at: datetime, zone: str, now: datetime) -> None:
    """ExtraDoseError if a dose at `at` would be more than the schedule allows; says what was taken and when
    (today, yesterday: from `now`, the day the user reads it on), the schedule and that nothing is due, or the
    pause."""
    refusal = _refusal(store, med, at=at, zone=zone)
    if refusal is not None:
        reason = refusal_sentence(med, refusal, at=at, zone=zone, now=now)
        raise ExtraDoseError(reason, medication=med, refusal=refusal)


def drift_for(store: Store, med: m.Medication, *, since: datetime, until: datetime) -> schedule.Drift:
    """How far the doses of a period strayed from the medicine's usual time."""
    usual = schedule.usual_time(med, store.recent_doses(med.id, RECENT_DOSES))
    return schedule.drift(store.doses(med.id, since=since, until=until), usual.at)
