"""The visit summary: one plain object per period that every export format renders.

Everything a renderer shows is computed here, once, so the Markdown, HTML, PDF, FHIR,
CSV and iCalendar files all give the same figures. Renderers never query the journal.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from enum import StrEnum

from journal import models as m
from journal.dataclass import dataclass

MONTHLY_AFTER_DAYS = 90  # a longer period lists its check-ins by month


class PeriodBasis(StrEnum):
    """How the period was chosen."""

    LAST_VISIT = "last-visit"
    DEFAULT_DAYS = "default-days"
    CUSTOM = "custom"
    ALL = "all"


@dataclass(kw_only=True)
class Period:
    """The time span a summary covers: [since, until) in UTC, and the local days it spans."""

    since: datetime
    until: datetime
    first_day: date
    last_day: date
    basis: PeriodBasis
    label: str

    @property
    def days(self) -> int:
        """How many local calendar days the period spans."""
        return (self.last_day - self.first_day).days + 1

    @property
    def text(self) -> str:
        """'2026-10-01 to 2026-11-25 (since the last visit)'."""
        return f"{self.first_day.isoformat()} to {self.last_day.isoformat()} ({self.label})"


@dataclass(kw_only=True)
class Patient:
    """Who the summary is about."""

    id: str | None = None
    name: str | None = None
    born: date | None = None
    emergency_contact: str | None = None
    doctor: str | None = None
    pharmacy: str | None = None
    notes: str | None = None


@dataclass(kw_only=True)
class Flag:
    """An interaction or precaution a medicine, allergy or condition raises."""

    about: str
    text: str


@dataclass(kw_only=True)
class MedicineEntry:
    """One medicine as the summary lists it."""

    id: str
    name: str
    generic: str | None = None
    brand: str | None = None
    kind: m.MedKind
    strength: str | None = None
    directions: str | None = None
    route: str | None = None
    reason: str | None = None
    prescriber: str | None = None
    started: date | None = None
    stopped: date | None = None
    tracked: bool = False
    usual_time: str | None = None
    pack: str | None = None
    rxnorm: str | None = None
    route_snomed: str | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """Name and strength, e.g. 'anakinra 100 mg'."""
        return " ".join(p for p in (self.name, self.strength) if p)


@dataclass(kw_only=True)
class MedicineChange:
    """A medicine started, stopped or changed during the period."""

    on: date
    name: str
    change: str
    detail: str | None = None


@dataclass(kw_only=True)
class AllergyEntry:
    """An allergy and the precautions it raises."""

    id: str
    substance: str
    reaction: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class ConditionEntry:
    """A condition and the precautions it raises."""

    id: str
    name: str
    since: date | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class AdherenceEntry:
    """Adherence of one tracked medicine over the period."""

    medicine_id: str
    medicine: str
    usual_time: str
    usual_time_note: str | None = None
    days_expected: int
    taken: int
    skipped: int
    missed: int
    missed_dates: list[date] = field(default_factory=list)
    percent: float | None = None
    longest_gap_hours: float | None = None
    drift_count: int = 0
    drift_median_minutes: float | None = None
    drift_largest_minutes: int | None = None
    last_dose_at: datetime | None = None
    last_dose_local: str | None = None
    # Doses beyond the schedule, and for an as-needed medicine its doses per week.
    extra: int = 0
    as_needed_per_week: float | None = None
    schedule: str = ""
    # Taken only as needed: uses and limit breaks, never missed doses or drift.
    as_needed: bool = False
    as_needed_doses: int = 0
    # As-needed doses taken past a limit of the schedule (recorded as extra doses on purpose).
    above_limit: int = 0

    def as_needed_text(self) -> str:
        """An as-needed medicine's use in words: 'ibuprofen: taken as needed 5 times, about 1.2 a week; above the
        limit 1 time'."""
        times = "time" if self.as_needed_doses == 1 else "times"
        text = f"{self.medicine}: taken as needed {self.as_needed_doses} {times}"
        if self.as_needed_per_week is not None:
            text += f", about {self.as_needed_per_week:g} a week"
        if self.above_limit:
            text += f"; above the limit {self.above_limit} time{'' if self.above_limit == 1 else 's'}"
        return text


@dataclass(kw_only=True)
class RegimenEntry:
    """One step of a medicine's schedule, for the calendar: its pattern, times, days and dates."""

    medicine_id: str
    medicine: str
    words: str
    pattern: str  # daily, weekly, weekly split, every, cycle, as needed
    times: list[str] = field(default_factory=list)  # HH:MM, local
    weekdays: list[int] = field(default_factory=list)  # 0 is Monday
    every_days: int = 1
    # A weekly split dose: each part's day (0 is Monday) and time, in order. A cycle: its days on and off.
    parts: list[tuple[int, str]] = field(default_factory=list)
    days_on: int = 0
    days_off: int = 0
    starts: date | None = None  # None: since before the journal had schedules
    ends: date | None = None


@dataclass(kw_only=True)
class DiscardedSyringe:
    """A syringe that was not used, and why."""

    id: str
    medicine: str
    at: datetime
    at_local: str
    appearance: m.Appearance
    reason: str


@dataclass(kw_only=True)
class RegionUse:
    """How many doses went into one injection region."""

    region: str
    label: str
    doses: int


@dataclass(kw_only=True)
class SiteRepeat:
    """A dose placed closer than the spacing to the one before it."""

    at_local: str
    site: str
    previous_local: str
    previous_site: str
    distance_cm: float


@dataclass(kw_only=True)
class SiteRotation:
    """Injection-site rotation of one medicine over the period."""

    medicine: str
    spacing_cm: float
    regions: list[RegionUse] = field(default_factory=list)
    without_site: int = 0
    repeats: list[SiteRepeat] = field(default_factory=list)


@dataclass(kw_only=True)
class EffectEntry:
    """One side effect, as the doctor needs to see it."""

    id: str
    symptom: str
    tier: m.Tier
    severity: m.Severity | None = None
    started_at: datetime
    started_local: str
    resolved_local: str | None = None
    open: bool
    doctor_contacted_local: str | None = None
    duration_days: float | None = None
    region: str | None = None
    note: str | None = None
    advice: str | None = None
    # Ongoing and serious or severe, or with advice now: shown in the Important box, contacted or not.
    important: bool = False


@dataclass(kw_only=True)
class WeekTrend:
    """Average check-in scores of one week (weeks start on Monday)."""

    week_start: date
    checkins: int
    pain: float | None = None
    swelling: float | None = None
    stiffness_minutes: float | None = None


@dataclass(kw_only=True)
class MonthTrend:
    """Average check-in scores of one calendar month, for a period too long to list week by week."""

    month_start: date
    checkins: int
    pain: float | None = None
    swelling: float | None = None
    stiffness_minutes: float | None = None


@dataclass(kw_only=True)
class LabEntry:
    """One lab test: its latest result as of the period's end, the one before it, and which way it moved."""

    test: str
    value: float
    unit: str | None = None
    at: datetime
    at_local: str
    range_low: float | None = None
    range_high: float | None = None
    out_of_range: str | None = None  # 'low' or 'high'
    previous_value: float | None = None
    previous_unit: str | None = None
    previous_local: str | None = None
    trend: str | None = None  # 'rising', 'falling' or 'unchanged' (journal.care.labs.trend)
    in_period: int = 0  # how many results of this test the period holds
    note: str | None = None


@dataclass(kw_only=True)
class AppointmentEntry:
    """An appointment or lab test, past or upcoming."""

    id: str
    at: datetime
    at_local: str
    tz: str
    kind: m.ApptKind
    with_whom: str | None = None
    purpose: str | None = None
    status: m.ApptStatus
    outcome: str | None = None
    advice: str | None = None


@dataclass(kw_only=True)
class QuestionEntry:
    """A question for the doctor that has no answer yet."""

    id: str
    text: str
    asked_on: date


@dataclass(kw_only=True)
class PeriodRecords:
    """The raw records of the period, for the formats that carry every record (CSV, FHIR)."""

    profile: m.Profile | None = None
    medications: list[m.Medication] = field(default_factory=list)
    schedules: list[m.Schedule] = field(default_factory=list)
    supply_boxes: list[m.SupplyBox] = field(default_factory=list)
    syringe_checks: list[m.SyringeCheck] = field(default_factory=list)
    doses: list[m.Dose] = field(default_factory=list)
    side_effects: list[m.SideEffect] = field(default_factory=list)
    allergies: list[m.Allergy] = field(default_factory=list)
    conditions: list[m.Condition] = field(default_factory=list)
    appointments: list[m.Appointment] = field(default_factory=list)
    checkins: list[m.Checkin] = field(default_factory=list)
    questions: list[m.Question] = field(default_factory=list)
    lab_results: list[m.LabResult] = field(default_factory=list)


@dataclass(kw_only=True)
class SourceNote:
    """A content pack's key warning, citation and disclaimer."""

    medicine: str
    key_warning: str
    citation: str
    disclaimer: str


@dataclass(kw_only=True)
class VisitSummary:
    """Everything the visit summary shows, for one period; every format renders this object."""

    generated_at: datetime
    generated_local: str
    zone: str
    period: Period
    patient: Patient = field(default_factory=Patient)
    medicines: list[MedicineEntry] = field(default_factory=list)
    changes: list[MedicineChange] = field(default_factory=list)
    allergies: list[AllergyEntry] = field(default_factory=list)
    conditions: list[ConditionEntry] = field(default_factory=list)
    warnings: list[Flag] = field(default_factory=list)
    adherence: list[AdherenceEntry] = field(default_factory=list)
    regimens: list[RegimenEntry] = field(default_factory=list)
    discarded: list[DiscardedSyringe] = field(default_factory=list)
    sites: list[SiteRotation] = field(default_factory=list)
    side_effects: list[EffectEntry] = field(default_factory=list)
    trend: list[WeekTrend] = field(default_factory=list)
    # Filled when the period is longer than MONTHLY_AFTER_DAYS: the check-in table then lists months.
    trend_months: list[MonthTrend] = field(default_factory=list)
    past_appointments: list[AppointmentEntry] = field(default_factory=list)
    upcoming_appointments: list[AppointmentEntry] = field(default_factory=list)
    questions: list[QuestionEntry] = field(default_factory=list)
    labs: list[LabEntry] = field(default_factory=list)
    sources: list[SourceNote] = field(default_factory=list)
    records: PeriodRecords = field(default_factory=PeriodRecords)

    def medicine_name(self, medication_id: str) -> str:
        """The name of a medicine of this summary by id ('unknown medicine' if absent)."""
        for med in self.records.medications:
            if med.id == medication_id:
                return med.name
        return "unknown medicine"

    @property
    def is_empty(self) -> bool:
        """Whether the journal had nothing to summarise."""
        r = self.records
        return not (
            r.profile or r.medications or r.doses or r.side_effects or r.checkins or r.appointments or r.allergies
        )
