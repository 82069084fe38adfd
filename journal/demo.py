"""A realistic, reproducible demo journal: years of daily anakinra injections and all around them.

Everything is written through the Store's public API, so the demo is a real journal with its
history. The person and every value are invented. The same seed and `now` give the same
records (ids included), so benchmarks and tests see the same journal every time.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from journal import models as m
from journal.dataclass import dataclass
from journal.errors import JournalError, NotEmptyError
from journal.schedule_spec import Regimen, parse_regimen
from journal.store import Store

R = TypeVar("R", bound=m.Record)

DEFAULT_YEARS = 1
MAX_YEARS = 50
USUAL_TIME = "08:00"
# Days written per transaction: big enough to be fast, small enough for a live progress bar.
CHUNK_DAYS = 120

# Fallback rotation when the anakinra content pack cannot be read: the self-injection regions.
_FALLBACK_SPOTS = tuple(
    f"{region}:{row}{col}"
    for region, rows, cols in (
        ("thigh-left", 4, 2),
        ("stomach-left", 3, 2),
        ("thigh-right", 4, 2),
        ("stomach-right", 3, 2),
    )
    for row in "ABCD"[:rows]
    for col in range(1, cols + 1)
)
_OTHER_SPOTS = ("arm-left:A1", "arm-left:B1", "arm-right:A1", "arm-right:B1")

_SKIP_REASONS = (
    "Fever since last night; called the doctor.",
    "Travelling; the syringes were left at home.",
    "Forgot the dose until the next morning.",
    "Ran out of syringes before the delivery came.",
)
_PAUSE_REASON = "Not taken, after the fever (see the side effect's note)."
_LATE_NOTES = ("Overslept.", "Early train; injected at work.", "Weekend lie-in.", None)
_DISCARD = (
    (m.Appearance.CLOUDY, "Solution looked cloudy."),
    (m.Appearance.PARTICLES, "Something floating in it."),
    (m.Appearance.DISCOLORED, "Slightly yellow."),
)
_COMMON_EFFECTS = (
    ("Redness at the injection site", "injection-site", 0.45),
    ("Headache", "headache", 0.25),
    ("Nausea", "nausea", 0.15),
    ("Runny nose", "runny-nose", 0.15),
)
_QUESTIONS = (
    # The answers are placeholders: a demo journal gives no medical advice.
    ("Can I take ibuprofen on days my joints are bad?", "Answered at the visit (demo: no advice recorded)."),
    ("Should I keep methotrexate at the same dose?", "Answered at the visit (demo: no advice recorded)."),
    ("Is the redness at the injection site normal?", "Answered at the visit (demo: no advice recorded)."),
    ("Can I have the flu shot this autumn?", "Answered at the visit (demo: no advice recorded)."),
)
_OPEN_QUESTIONS = (
    "Could we try spacing the blood tests further apart?",
    "What should I do with syringes when flying abroad?",
)


@dataclass
class DemoSummary:
    """What the generator wrote."""

    days: int
    start: date
    counts: dict[str, int] = field(default_factory=dict)


class _Writer:
    """Builds records with seeded ids and writes them through the store."""

    def __init__(self, store: Store, rng: random.Random, zone: str) -> None:
        self.store = store
        self.rng = rng
        self.zone = zone
        self.tz = ZoneInfo(zone)
        self.counts: dict[str, int] = {}

    def new(self, cls: type[R], logged: datetime, **fields: Any) -> R:
        """Create and save a record, logged (created) at `logged`."""
        record = cls(
            id=uuid.UUID(int=self.rng.getrandbits(128), version=4).hex,
            created_at=logged,
            updated_at=logged,
            **fields,
        )
        self.store.add(record)
        self.counts[cls.table] = self.counts.get(cls.table, 0) + 1
        return record

    def local(self, day: date, hhmm: str, jitter_minutes: float = 0.0) -> datetime:
        """A UTC moment for a local wall-clock time on `day`, shifted by `jitter_minutes`."""
        hour, minute = (int(p) for p in hhmm.split(":"))
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.tz)
        return (moment + timedelta(minutes=jitter_minutes)).astimezone(UTC).replace(microsecond=0)


class _Rotation:
    """Injection sites as a careful person picks them: the care rules' suggestion each day."""

    KEEP = 30  # a little more than the 28 self-injection spots: enough for least-recently-used ranking

    def __init__(self) -> None:
        self._cycle = 0
        self.pack: Any = None
        self.uses: list[Any] = []
        try:
            from journal.content import PackError, load_pack

            self.pack = load_pack("anakinra")
        except (ImportError, PackError):  # pragma: no cover - the pack ships with the journal
            self.pack = None

    def next(self, at: datetime, given_by: m.GivenBy) -> str:
        """The spot id for an injection at `at`, and remember it."""
        spot = self._suggest(given_by)
        if spot is None:
            choices = _FALLBACK_SPOTS if given_by is m.GivenBy.SELF else _OTHER_SPOTS
            spot = choices[self._cycle % len(choices)]
            self._cycle += 1
        if self.pack is not None:
            from journal.care.sites import SiteUse

            self.uses.insert(0, SiteUse(at=at, region=spot.split(":", 1)[0], spot=spot))
            del self.uses[self.KEEP :]
        return spot

    def _suggest(self, given_by: m.GivenBy) -> str | None:
        if self.pack is None:
            return None
        try:
            from journal.care.sites import suggest_spot
        except ImportError:  # pragma: no cover - the care rules ship with the journal
            return None
        found = suggest_spot(self.pack, self.uses, given_by=given_by)
        return found.id if found is not None else None


def generate(
    store: Store,
    *,
    years: float = DEFAULT_YEARS,
    days: int | None = None,
    seed: int = 1,
    now: datetime | None = None,
    zone: str = "UTC",
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Fill an empty journal with `years` (or `days`) of invented history ending at `now`."""
    if not store.is_empty():
        raise NotEmptyError()
    span = days if days is not None else round(years * 365.25)
    if span < 1:
        raise JournalError("The demo needs at least one day of history.")
    now = (now or m.utcnow()).astimezone(UTC).replace(microsecond=0)
    rng = random.Random(seed)
    w = _Writer(store, rng, zone)
    today = now.astimezone(w.tz).date()
    start = today - timedelta(days=span - 1)
    started_at = w.local(start, "07:30") - timedelta(days=14)

    # The other medicines' doses draw on a generator of their own, so anakinra's history stays as it was.
    t = _Writer(store, random.Random(seed * 7919 + 1), zone)
    with store.transaction():
        anakinra, methotrexate = _setup(w, start, today, started_at, now)
        t.new(m.Schedule, started_at, medication_id=anakinra.id, spec=f"daily at {USUAL_TIME}", starts=start)
        tablets = _schedules(t, store, start, started_at)
        visits = _appointments(w, start, today, now)
        _questions(w, visits, now)
    spots = _Rotation()
    fever_day = _fever_day(start, span)
    state = _DoseState(paused={fever_day + timedelta(days=1), fever_day + timedelta(days=2)})
    done = 0
    while done < span:
        chunk = min(CHUNK_DAYS, span - done)
        with store.transaction():
            for offset in range(done, done + chunk):
                day = start + timedelta(days=offset)
                _one_day(w, anakinra, day, offset, now, spots, state)
                _weekly(w, day, offset, now, methotrexate)
                _tablets(t, tablets, day, now)
        done += chunk
        if progress is not None:
            progress(chunk)
    with store.transaction():
        _serious_effect(w, fever_day, start, now)
    counts = dict(w.counts)
    for table, n in t.counts.items():
        counts[table] = counts.get(table, 0) + n
    return DemoSummary(days=span, start=start, counts=counts)


def _setup(w: _Writer, start: date, today: date, logged: datetime, now: datetime) -> tuple[m.Medication, m.Medication]:
    """The profile, the medicine list, allergies and conditions, as set up before the first dose."""
    w.new(
        m.Profile,
        logged,
        name="Alex Demo",
        born=date(1979, 4, 12),
        emergency_contact="Sam Demo (partner) +33 6 00 00 00 00",
        doctor="Dr. Rivera, rheumatology, City Hospital",
        pharmacy="Corner Pharmacy, 12 Main Street",
        notes="Demo journal: every person and value in it is invented.",
    )
    anakinra = w.new(
        m.Medication,
        logged,
        name="Anakinra",
        generic="anakinra",
        brand="Kineret",
        kind=m.MedKind.PRESCRIPTION,
        directions="As prescribed by Dr. Rivera, every morning",
        route="subcutaneous",
        reason="rheumatoid arthritis",
        prescriber="Dr. Rivera",
        started=start,
        pack="anakinra",
        tracked=True,
        usual_time=USUAL_TIME,
    )
    methotrexate = w.new(
        m.Medication,
        logged,
        name="Methotrexate",
        generic="methotrexate",
        kind=m.MedKind.PRESCRIPTION,
        directions="As prescribed by Dr. Rivera, on Sundays",
        route="oral",
        reason="rheumatoid arthritis",
        prescriber="Dr. Rivera",
        started=start - timedelta(days=400),
    )
    w.new(
        m.Medication,
        logged,
        name="Folic acid",
        kind=m.MedKind.VITAMIN,
        directions="As prescribed by Dr. Rivera, each morning",
        reason="prescribed with methotrexate",
        started=start - timedelta(days=400),
    )
    w.new(
        m.Medication,
        logged,
        name="Ibuprofen",
        kind=m.MedKind.OTC,
        directions="As on the label, when needed",
        reason="joint pain flares",
    )
    w.new(
        m.Medication,
        logged,
        name="Vitamin D3",
        kind=m.MedKind.SUPPLEMENT,
        directions="As on the label",
    )
    prednisone = w.new(
        m.Medication,
        logged,
        name="Prednisone",
        kind=m.MedKind.PRESCRIPTION,
        directions="As prescribed by Dr. Rivera, each morning",
        reason="rheumatoid arthritis flare",
        prescriber="Dr. Rivera",
        started=start - timedelta(days=30),
    )
    stop_day = min(start + timedelta(days=42), today)
    stopped_at = w.local(stop_day, "09:00")
    if stopped_at <= now:
        w.store.update(prednisone, now=stopped_at, stopped=stop_day, stop_reason="Stopped by Dr. Rivera.")
    w.new(m.Allergy, logged, substance="Penicillin", reaction="hives")
    w.new(m.Allergy, logged, substance="Sulfa drugs", reaction="rash and swelling of the lips")
    w.new(m.Condition, logged, name="Rheumatoid arthritis", since=start - timedelta(days=3 * 365))
    w.new(m.Condition, logged, name="Mild asthma", since=date(1995, 1, 1))
    return anakinra, methotrexate


@dataclass
class _DoseState:
    paused: set[date] = field(default_factory=set)
    box: m.SupplyBox | None = None
    box_left: int = 0
    unopened: list[m.SupplyBox] = field(default_factory=list)
    lot_number: int = 24000


BOXES_PER_DELIVERY = 4  # four weeks of daily syringes, 7 to a box


def _deliver(w: _Writer, med: m.Medication, day: date, state: _DoseState) -> None:
    """A pharmacy delivery of a month's boxes, all from one lot, a few days before they are needed."""
    received = day - timedelta(days=w.rng.randint(1, 4))
    state.lot_number += w.rng.randint(3, 40)
    # Later deliveries expire later (the jitter is under the four weeks between deliveries).
    expires = received + timedelta(days=300 + w.rng.randint(0, 20))
    for _ in range(BOXES_PER_DELIVERY):
        state.unopened.append(
            w.new(
                m.SupplyBox,
                w.local(received, "17:30"),
                medication_id=med.id,
                received=received,
                count=7,
                lot=f"K{state.lot_number}",
                expires=expires,
            )
        )


def _take_syringe(w: _Writer, med: m.Medication, day: date, state: _DoseState) -> m.SupplyBox:
    if state.box is None or state.box_left == 0:
        # Reorder when the last unopened box is started, as the journal's supply alert advises.
        if len(state.unopened) <= 1:
            _deliver(w, med, day, state)
        state.box = state.unopened.pop(0)
        state.box_left = state.box.count
    state.box_left -= 1
    return state.box


def _one_day(
    w: _Writer,
    med: m.Medication,
    day: date,
    offset: int,
    now: datetime,
    spots: _Rotation,
    state: _DoseState,
) -> None:
    """The day's anakinra dose: usually on time, sometimes late, rarely skipped."""
    rng = w.rng
    roll = rng.random()
    if roll < 0.04:
        at = w.local(day, USUAL_TIME, rng.uniform(120, 420))  # late
        note = rng.choice(_LATE_NOTES)
    else:
        at = w.local(day, USUAL_TIME, max(-45.0, min(60.0, rng.gauss(0, 12))))
        note = None
    if at > now:
        return
    if 0.04 <= roll < 0.052 or day in state.paused:
        reason = _PAUSE_REASON if day in state.paused else rng.choice(_SKIP_REASONS)
        w.new(m.Dose, at, medication_id=med.id, at=at, tz=w.zone, status=m.DoseStatus.SKIPPED, reason=reason)
        return
    # One early on (a new user meets this in the first weeks), then about four a year.
    if offset == 9 or rng.random() < 0.011:
        appearance, why = rng.choice(_DISCARD)
        box = _take_syringe(w, med, day, state)
        w.new(
            m.SyringeCheck,
            at - timedelta(minutes=3),
            medication_id=med.id,
            at=at - timedelta(minutes=3),
            tz=w.zone,
            appearance=appearance,
            outcome=m.CheckOutcome.DISCARDED,
            reason=why,
            box_id=box.id,
        )
    foamy = rng.random() < 0.03
    box = _take_syringe(w, med, day, state)
    check = w.new(
        m.SyringeCheck,
        at,
        medication_id=med.id,
        at=at,
        tz=w.zone,
        appearance=m.Appearance.FOAMY if foamy else m.Appearance.CLEAR,
        waited_minutes=5 if foamy else None,
        box_id=box.id,
    )
    by_other = rng.random() < 0.05
    spot = spots.next(at, m.GivenBy.OTHER if by_other else m.GivenBy.SELF)
    w.new(
        m.Dose,
        at,
        medication_id=med.id,
        at=at,
        tz=w.zone,
        region=spot.split(":", 1)[0],
        spot=spot,
        given_by=m.GivenBy.OTHER if by_other else m.GivenBy.SELF,
        check_id=check.id,
        leftover=rng.random() < 0.005,
        note=note,
    )
    # Common side effects: frequent in the first month, rare afterwards.
    chance = 0.12 if offset < 30 else 0.01
    if rng.random() < chance:
        symptom, key, _ = _pick_effect(rng)
        started = at + timedelta(hours=rng.randint(1, 8))
        if started <= now:
            resolved = started + timedelta(hours=rng.randint(6, 72))
            w.new(
                m.SideEffect,
                started,
                symptom=symptom,
                symptom_key=key,
                tier=m.Tier.COMMON,
                severity=rng.choice((m.Severity.MILD, m.Severity.MILD, m.Severity.MODERATE)),
                started_at=started,
                tz=w.zone,
                resolved_at=resolved if resolved <= now else None,
                region=spot.split(":", 1)[0] if key == "injection-site" else None,
            )


def _pick_effect(rng: random.Random) -> tuple[str, str, float]:
    roll = rng.random()
    for effect in _COMMON_EFFECTS:
        roll -= effect[2]
        if roll <= 0:
            return effect
    return _COMMON_EFFECTS[0]


# The other medicines' schedules, as a doctor might set them (the journal never suggests one).
TABLET_SCHEDULES = {
    "Methotrexate": "weekly on sun at 20:00",
    "Folic acid": "daily at 08:00",
    "Vitamin D3": "daily at 08:00",
    "Ibuprofen": "as needed max 3 per 24h at least 6 hours apart",
}


def _schedules(t: _Writer, store: Store, start: date, logged: datetime) -> dict[str, tuple[m.Medication, Regimen]]:
    """Each tablet on the list on its own schedule from the first day, with its form."""
    found: dict[str, tuple[m.Medication, Regimen]] = {}
    for med in store.medications():
        spec = TABLET_SCHEDULES.get(med.name)
        if spec is None:
            continue
        form = m.MedForm.CAPSULE if med.name == "Vitamin D3" else m.MedForm.TABLET
        med = store.update(med, now=logged, form=form, tracked=True)
        t.new(m.Schedule, logged, medication_id=med.id, spec=spec, starts=start)
        found[med.name] = (med, parse_regimen(spec))
    return found


def _tablets(t: _Writer, tablets: dict[str, tuple[m.Medication, Regimen]], day: date, now: datetime) -> None:
    """A day of the tablets: mostly on time, sometimes late (past midnight) or forgotten; ibuprofen on bad days."""
    rng = t.rng
    for med, regimen in tablets.values():
        if regimen.as_needed:
            if rng.random() < 0.08:  # a flare: one or two doses, at least six hours apart
                first = t.local(day, "09:00", rng.uniform(0, 180))
                times = [first] + ([first + timedelta(hours=rng.uniform(6.5, 9))] if rng.random() < 0.5 else [])
                for at in times:
                    if at <= now:
                        t.new(m.Dose, at, medication_id=med.id, at=at, tz=t.zone)
            continue
        if regimen.weekdays and day.weekday() not in regimen.weekdays:
            continue
        roll = rng.random()
        if roll < 0.03:
            continue  # forgotten
        late = rng.uniform(180, 300) if roll < 0.06 else rng.gauss(0, 15)  # a few past midnight for a 20:00 dose
        at = t.local(day, regimen.times[0].strftime("%H:%M"), late)
        if at > now:
            continue
        t.new(m.Dose, at, medication_id=med.id, at=at, tz=t.zone)
        if rng.random() < 0.004:  # now and then one more, taken on purpose and recorded as extra
            again = at + timedelta(hours=2)
            if again <= now:
                t.new(
                    m.Dose,
                    again,
                    medication_id=med.id,
                    at=again,
                    tz=t.zone,
                    extra=True,
                    note="Took one more by mistake.",
                )


def _weekly(w: _Writer, day: date, offset: int, now: datetime, methotrexate: m.Medication) -> None:
    """Check-ins: daily in the first two weeks, then weekly; they improve over the first weeks."""
    if offset >= 14 and day.weekday() != 6:
        return
    at = w.local(day, "20:30", w.rng.uniform(-30, 30))
    if at > now:
        return
    rng = w.rng
    # Pain falls from about 7 to about 2 over the first 10 weeks, then wanders around 1-3.
    settle = min(1.0, offset / 70)
    pain = round(7 - 5 * settle + rng.uniform(-1, 1))
    swelling = round(6 - 5 * settle + rng.uniform(-1, 1))
    stiffness = round(90 - 75 * settle + rng.uniform(-10, 10))
    notes = {0: "First day on anakinra.", 14: "Stairs are easier this week.", 56: "Walked to the market and back."}
    w.new(
        m.Checkin,
        at,
        at=at,
        tz=w.zone,
        pain=max(0, min(10, pain)),
        swelling=max(0, min(10, swelling)),
        stiffness_minutes=max(0, stiffness),
        note=notes.get(offset),
    )


def _appointments(w: _Writer, start: date, today: date, now: datetime) -> list[m.Appointment]:
    """Visits every three months, blood tests, yearly flu shots, a dentist, and what is coming up."""
    rng = w.rng
    visits: list[m.Appointment] = []
    plan: list[tuple[date, m.ApptKind, str, str, str]] = []
    day = start + timedelta(days=28)
    while day < today:
        plan.append(
            (day - timedelta(days=7), m.ApptKind.LAB, "City Hospital lab", "Blood tests Dr. Rivera ordered", "Done.")
        )
        plan.append((day, m.ApptKind.DOCTOR, "Dr. Rivera", "Rheumatology follow-up", "Seen."))
        day += timedelta(days=28 if day < start + timedelta(days=90) else 91)
    year = start.year
    while date(year, 10, 15) < today:
        if date(year, 10, 15) >= start:
            plan.append(
                (
                    date(year, 10, 15),
                    m.ApptKind.VACCINATION,
                    "Corner Pharmacy",
                    "Flu shot, agreed with Dr. Rivera first",
                    "Done.",
                )
            )
        year += 1
    if (today - start).days > 200:
        plan.append((start + timedelta(days=200), m.ApptKind.DENTAL, "Dr. Chen", "Check-up", "Told about anakinra."))
    for when, kind, who, purpose, outcome in sorted(plan, key=lambda p: p[0]):
        at = w.local(when, "10:00")
        if at > now:
            continue
        visit = w.new(
            m.Appointment,
            at - timedelta(days=30),
            at=at,
            tz=w.zone,
            kind=kind,
            with_whom=who,
            purpose=purpose,
            status=m.ApptStatus.DONE,
            outcome=outcome,
        )
        if kind is m.ApptKind.DOCTOR:
            visits.append(visit)
    booked = now - timedelta(days=rng.randint(5, 20))
    for ahead, kind, who, purpose in (
        (12, m.ApptKind.LAB, "City Hospital lab", "Blood tests Dr. Rivera ordered"),
        (19, m.ApptKind.DOCTOR, "Dr. Rivera", "Rheumatology follow-up"),
    ):
        w.new(
            m.Appointment,
            booked,
            at=w.local(today + timedelta(days=ahead), "09:30"),
            tz=w.zone,
            kind=kind,
            with_whom=who,
            purpose=purpose,
        )
    return visits


def _questions(w: _Writer, visits: list[m.Appointment], now: datetime) -> None:
    """Questions for the doctor: some answered at past visits, a few still open."""
    for i, (text, answer) in enumerate(_QUESTIONS):
        if i >= len(visits):
            break
        visit = visits[i]
        asked = visit.at - timedelta(days=5)
        w.new(m.Question, asked, text=text, answer=answer, answered_at=visit.at, appointment_id=visit.id)
    for text in _OPEN_QUESTIONS:
        w.new(m.Question, now - timedelta(days=w.rng.randint(1, 6)), text=text)


def _fever_day(start: date, span: int) -> date:
    return start + timedelta(days=min(400, span // 2))


def _serious_effect(w: _Writer, day: date, start: date, now: datetime) -> None:
    """One serious side effect (a fever), reported to the doctor the same day, and a recent open one."""
    started = w.local(day, "18:00")
    if started <= now:
        resolved = started + timedelta(days=3)
        w.new(
            m.SideEffect,
            started,
            symptom="Fever",
            symptom_key="fever",
            tier=m.Tier.SERIOUS,
            severity=m.Severity.MODERATE,
            started_at=started,
            tz=w.zone,
            doctor_contacted_at=started + timedelta(hours=1),
            resolved_at=resolved if resolved <= now else None,
            note="38.6 °C with chills; called the doctor the same evening.",
        )
    recent = now - timedelta(hours=20)
    if recent.astimezone(w.tz).date() >= start:
        w.new(
            m.SideEffect,
            recent,
            symptom="Headache",
            symptom_key="headache",
            tier=m.Tier.COMMON,
            severity=m.Severity.MILD,
            started_at=recent,
            tz=w.zone,
        )
