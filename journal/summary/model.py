"""The visit summary: one plain object per period that every export format renders.

Everything a renderer shows is computed here, once, so the Markdown, HTML, PDF, FHIR,
CSV and iCalendar files all give the same figures. Renderers never query the journal.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from journal import models as m


class PeriodBasis(StrEnum):
    """How the period was chosen."""

    LAST_VISIT = "last-visit"
    DEFAULT_DAYS = "default-days"
    CUSTOM = "custom"
    ALL = "all"


class _Model(BaseModel):
    # Validators are built on first use, not at import: `export` builds only what it fills.
    model_config = ConfigDict(defer_build=True)


class Period(_Model):
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


class Patient(_Model):
    """Who the summary is about."""

    id: str | None = None
    name: str | None = None
    born: date | None = None
    emergency_contact: str | None = None
    doctor: str | None = None
    pharmacy: str | None = None
    notes: str | None = None


class Flag(_Model):
    """An interaction or precaution a medicine, allergy or condition raises."""

    about: str
    text: str


class MedicineEntry(_Model):
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
    flags: list[str] = []

    @property
    def label(self) -> str:
        """Name and strength, e.g. 'anakinra 100 mg'."""
        return " ".join(p for p in (self.name, self.strength) if p)


class MedicineChange(_Model):
    """A medicine started, stopped or changed during the period."""

    on: date
    name: str
    change: str
    detail: str | None = None


class AllergyEntry(_Model):
    """An allergy and the precautions it raises."""

    id: str
    substance: str
    reaction: str | None = None
    flags: list[str] = []


class ConditionEntry(_Model):
    """A condition and the precautions it raises."""

    id: str
    name: str
    since: date | None = None
    flags: list[str] = []


class AdherenceEntry(_Model):
    """Adherence of one tracked medicine over the period."""

    medicine_id: str
    medicine: str
    usual_time: str
    usual_time_note: str | None = None
    days_expected: int
    taken: int
    skipped: int
    missed: int
    missed_dates: list[date] = []
    percent: float | None = None
    longest_gap_hours: float | None = None
    drift_count: int = 0
    drift_median_minutes: float | None = None
    drift_largest_minutes: int | None = None
    last_dose_at: datetime | None = None
    last_dose_local: str | None = None


class DiscardedSyringe(_Model):
    """A syringe that was not used, and why."""

    id: str
    medicine: str
    at: datetime
    at_local: str
    appearance: m.Appearance
    reason: str


class RegionUse(_Model):
    """How many doses went into one injection region."""

    region: str
    label: str
    doses: int


class SiteRepeat(_Model):
    """A dose placed closer than the spacing to the one before it."""

    at_local: str
    site: str
    previous_local: str
    previous_site: str
    distance_cm: float


class SiteRotation(_Model):
    """Injection-site rotation of one medicine over the period."""

    medicine: str
    spacing_cm: float
    regions: list[RegionUse] = []
    without_site: int = 0
    repeats: list[SiteRepeat] = []


class EffectEntry(_Model):
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


class WeekTrend(_Model):
    """Average check-in scores of one week (weeks start on Monday)."""

    week_start: date
    checkins: int
    pain: float | None = None
    swelling: float | None = None
    stiffness_minutes: float | None = None


class AppointmentEntry(_Model):
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


class QuestionEntry(_Model):
    """A question for the doctor that has no answer yet."""

    id: str
    text: str
    asked_on: date


class PeriodRecords(_Model):
    """The raw records of the period, for the formats that carry every record (CSV, FHIR)."""

    profile: m.Profile | None = None
    medications: list[m.Medication] = []
    supply_boxes: list[m.SupplyBox] = []
    syringe_checks: list[m.SyringeCheck] = []
    doses: list[m.Dose] = []
    side_effects: list[m.SideEffect] = []
    allergies: list[m.Allergy] = []
    conditions: list[m.Condition] = []
    appointments: list[m.Appointment] = []
    checkins: list[m.Checkin] = []
    questions: list[m.Question] = []


class SourceNote(_Model):
    """A content pack's key warning, citation and disclaimer."""

    medicine: str
    key_warning: str
    citation: str
    disclaimer: str


class VisitSummary(_Model):
    """Everything the visit summary shows, for one period; every format renders this object."""

    generated_at: datetime
    generated_local: str
    zone: str
    period: Period
    patient: Patient = Field(default_factory=Patient)
    medicines: list[MedicineEntry] = []
    changes: list[MedicineChange] = []
    allergies: list[AllergyEntry] = []
    conditions: list[ConditionEntry] = []
    warnings: list[Flag] = []
    adherence: list[AdherenceEntry] = []
    discarded: list[DiscardedSyringe] = []
    sites: list[SiteRotation] = []
    side_effects: list[EffectEntry] = []
    trend: list[WeekTrend] = []
    past_appointments: list[AppointmentEntry] = []
    upcoming_appointments: list[AppointmentEntry] = []
    questions: list[QuestionEntry] = []
    sources: list[SourceNote] = []
    records: PeriodRecords = Field(default_factory=PeriodRecords)

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
