"""Pydantic models and enums for every record in the journal.

Validation lives here, once: the command line and the TUI both show these messages.
Times are stored as UTC (ISO-8601, to the second, with a trailing Z) together with the
IANA zone they were recorded in, so a dose logged while travelling stays on its local day.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

# How far in the future a dose, check-in or side effect may be dated (clock skew, typing).
FUTURE_GRACE = timedelta(minutes=5)
NAME_MAX = 200
TEXT_MAX = 10_000


class MedKind(StrEnum):
    PRESCRIPTION = "prescription"
    OTC = "otc"
    VITAMIN = "vitamin"
    SUPPLEMENT = "supplement"
    HERBAL = "herbal"


class Appearance(StrEnum):
    CLEAR = "clear"
    FOAMY = "foamy"
    CLOUDY = "cloudy"
    DISCOLORED = "discolored"
    PARTICLES = "particles"


class CheckOutcome(StrEnum):
    USED = "used"
    DISCARDED = "discarded"


class DoseStatus(StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"
    MISSED = "missed"


class GivenBy(StrEnum):
    SELF = "self"
    OTHER = "other"


class Tier(StrEnum):
    SERIOUS = "serious"
    COMMON = "common"
    OTHER = "other"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class ApptKind(StrEnum):
    DOCTOR = "doctor"
    LAB = "lab"
    VACCINATION = "vaccination"
    SURGERY = "surgery"
    DENTAL = "dental"
    OTHER = "other"


class ApptStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"


# --- field types -------------------------------------------------------------------------


def _utc_seconds(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a time needs its time zone")
    return value.astimezone(UTC).replace(microsecond=0)


def _iso_z(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


UtcDateTime = Annotated[datetime, AfterValidator(_utc_seconds), PlainSerializer(_iso_z, return_type=str)]


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{value}' is not a time zone name such as Europe/Paris") from exc
    return value


Zone = Annotated[str, AfterValidator(_zone)]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


OptionalText = Annotated[Annotated[str, Field(max_length=TEXT_MAX)] | None, BeforeValidator(_blank_to_none)]
OptionalName = Annotated[Annotated[str, Field(max_length=NAME_MAX)] | None, BeforeValidator(_blank_to_none)]


def _required_name(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None:
        raise ValueError("cannot be empty")
    return value


RequiredName = Annotated[str, BeforeValidator(_required_name), Field(max_length=NAME_MAX)]
RequiredText = Annotated[str, BeforeValidator(_required_name), Field(max_length=TEXT_MAX)]


def _hhmm(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parsed = datetime.strptime(value, "%H:%M")
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a time of day such as 08:30") from exc
    return parsed.strftime("%H:%M")


TimeOfDay = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_hhmm)]
Score = Annotated[int | None, Field(ge=0, le=10)]


def new_id() -> str:
    """A new random record key."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def _now(info: ValidationInfo) -> datetime:
    context = info.context or {}
    now = context.get("now")
    return now if isinstance(now, datetime) else utcnow()


def _not_in_future(value: datetime | None, info: ValidationInfo) -> datetime | None:
    # Records read back from the journal were checked when they were written.
    if (info.context or {}).get("loading"):
        return value
    if value is not None and value > _now(info) + FUTURE_GRACE:
        raise ValueError("is in the future; record what has already happened")
    return value


# --- records -----------------------------------------------------------------------------


class Record(BaseModel):
    """Fields every journal record carries."""

    # defer_build: a command builds the validators of the kinds it reads, not all thirteen (about 8 ms).
    model_config = ConfigDict(validate_assignment=True, use_enum_values=False, extra="ignore", defer_build=True)

    table: ClassVar[str] = ""
    kind_label: ClassVar[str] = "record"

    id: str = Field(default_factory=new_id)
    created_at: UtcDateTime = Field(default_factory=utcnow)
    updated_at: UtcDateTime = Field(default_factory=utcnow)
    deleted_at: UtcDateTime | None = None

    def row(self) -> dict[str, Any]:
        """The record as a row of plain values for SQLite."""
        return self.model_dump(mode="json")

    def describe(self) -> str:
        """A short human description, used in history and listings."""
        return self.id


class Profile(Record):
    table: ClassVar[str] = "profile"
    kind_label: ClassVar[str] = "profile"

    name: OptionalName = None
    born: date | None = None
    emergency_contact: OptionalText = None
    doctor: OptionalText = None
    pharmacy: OptionalText = None
    notes: OptionalText = None

    @field_validator("born")
    @classmethod
    def _born_past(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and value > _now(info).date():
            raise ValueError("is in the future")
        return value

    def describe(self) -> str:
        return self.name or "profile"


class Medication(Record):
    table: ClassVar[str] = "medications"
    kind_label: ClassVar[str] = "medicine"

    name: RequiredName
    generic: OptionalName = None
    brand: OptionalName = None
    kind: MedKind = MedKind.PRESCRIPTION
    strength: OptionalName = None
    directions: OptionalText = None
    route: OptionalName = None
    reason: OptionalText = None
    prescriber: OptionalName = None
    started: date | None = None
    stopped: date | None = None
    stop_reason: OptionalText = None
    pack: OptionalName = None
    tracked: bool = False
    usual_time: TimeOfDay = None
    note: OptionalText = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.started and self.stopped and self.stopped < self.started:
            raise ValueError(f"the stop date {self.stopped} is before the start date {self.started}")
        return self

    @property
    def active(self) -> bool:
        """Whether the medicine is still being taken."""
        return self.stopped is None and self.deleted_at is None

    def describe(self) -> str:
        return " ".join(p for p in (self.name, self.strength) if p)


class SupplyBox(Record):
    table: ClassVar[str] = "supply_boxes"
    kind_label: ClassVar[str] = "box"

    medication_id: str
    received: date
    count: int = Field(ge=1, le=1000)
    lot: OptionalName = None
    expires: date | None = None
    note: OptionalText = None

    def describe(self) -> str:
        lot = f" lot {self.lot}" if self.lot else ""
        return f"box of {self.count}{lot}"


class SyringeCheck(Record):
    table: ClassVar[str] = "syringe_checks"
    kind_label: ClassVar[str] = "syringe check"

    medication_id: str
    at: UtcDateTime
    tz: Zone
    appearance: Appearance = Appearance.CLEAR
    waited_minutes: int | None = Field(default=None, ge=0, le=240)
    outcome: CheckOutcome = CheckOutcome.USED
    reason: OptionalText = None
    box_id: str | None = None

    future_check = field_validator("at")(_not_in_future)

    def describe(self) -> str:
        return f"syringe {self.appearance.value}, {self.outcome.value}"


class Dose(Record):
    table: ClassVar[str] = "doses"
    kind_label: ClassVar[str] = "dose"

    medication_id: str
    at: UtcDateTime
    tz: Zone
    status: DoseStatus = DoseStatus.TAKEN
    region: OptionalName = None
    spot: OptionalName = None
    given_by: GivenBy = GivenBy.SELF
    check_id: str | None = None
    leftover: bool = False
    reason: OptionalText = None
    note: OptionalText = None

    future_check = field_validator("at")(_not_in_future)

    @model_validator(mode="after")
    def _skip_has_no_site(self) -> Self:
        if self.status is not DoseStatus.TAKEN and (self.region or self.spot):
            raise ValueError(f"a {self.status.value} dose has no injection site")
        return self

    def describe(self) -> str:
        where = f" at {self.spot or self.region}" if (self.spot or self.region) else ""
        return f"dose {self.status.value}{where}"


class SideEffect(Record):
    table: ClassVar[str] = "side_effects"
    kind_label: ClassVar[str] = "side effect"

    symptom: RequiredName
    symptom_key: OptionalName = None
    tier: Tier = Tier.OTHER
    severity: Severity | None = None
    started_at: UtcDateTime
    tz: Zone
    resolved_at: UtcDateTime | None = None
    doctor_contacted_at: UtcDateTime | None = None
    region: OptionalName = None
    note: OptionalText = None

    future_check = field_validator("started_at")(_not_in_future)

    @model_validator(mode="after")
    def _resolved_after_start(self) -> Self:
        if self.resolved_at and self.resolved_at < self.started_at:
            raise ValueError("it cannot be resolved before it started")
        return self

    @property
    def open(self) -> bool:
        """Still present: not resolved."""
        return self.resolved_at is None

    def describe(self) -> str:
        sev = f" ({self.severity.value})" if self.severity else ""
        return f"{self.symptom}{sev}"


class Allergy(Record):
    table: ClassVar[str] = "allergies"
    kind_label: ClassVar[str] = "allergy"

    substance: RequiredName
    reaction: OptionalText = None
    note: OptionalText = None

    def describe(self) -> str:
        return self.substance + (f" ({self.reaction})" if self.reaction else "")


class Condition(Record):
    table: ClassVar[str] = "conditions"
    kind_label: ClassVar[str] = "condition"

    name: RequiredName
    since: date | None = None
    note: OptionalText = None

    def describe(self) -> str:
        return self.name


class Appointment(Record):
    table: ClassVar[str] = "appointments"
    kind_label: ClassVar[str] = "appointment"

    at: UtcDateTime
    tz: Zone
    kind: ApptKind = ApptKind.DOCTOR
    with_whom: OptionalName = None
    purpose: OptionalText = None
    status: ApptStatus = ApptStatus.PLANNED
    outcome: OptionalText = None

    def describe(self) -> str:
        who = f" with {self.with_whom}" if self.with_whom else ""
        return f"{self.kind.value} appointment{who}"


class Checkin(Record):
    table: ClassVar[str] = "checkins"
    kind_label: ClassVar[str] = "check-in"

    at: UtcDateTime
    tz: Zone
    pain: Score = None
    swelling: Score = None
    stiffness_minutes: int | None = Field(default=None, ge=0, le=1440)
    note: OptionalText = None

    future_check = field_validator("at")(_not_in_future)

    @model_validator(mode="after")
    def _has_something(self) -> Self:
        if self.pain is None and self.swelling is None and self.stiffness_minutes is None and not self.note:
            raise ValueError("a check-in needs a pain, swelling or stiffness score, or a note")
        return self

    def describe(self) -> str:
        parts = []
        if self.pain is not None:
            parts.append(f"pain {self.pain}/10")
        if self.swelling is not None:
            parts.append(f"swelling {self.swelling}/10")
        if self.stiffness_minutes is not None:
            parts.append(f"stiffness {self.stiffness_minutes} min")
        return ", ".join(parts) or "note"


class Question(Record):
    table: ClassVar[str] = "questions"
    kind_label: ClassVar[str] = "question"

    text: RequiredText
    answer: OptionalText = None
    answered_at: UtcDateTime | None = None
    appointment_id: str | None = None

    def describe(self) -> str:
        return self.text


RECORD_TYPES: tuple[type[Record], ...] = (
    Profile,
    Medication,
    SupplyBox,
    SyringeCheck,
    Dose,
    SideEffect,
    Allergy,
    Condition,
    Appointment,
    Checkin,
    Question,
)
BY_TABLE: dict[str, type[Record]] = {t.table: t for t in RECORD_TYPES}


class HistoryEntry(BaseModel):
    """One change to one record: what it was before and after."""

    id: str
    at: UtcDateTime
    table_name: str
    row_id: str
    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    # Order of writing: several changes can share one second (a dose and its syringe check).
    seq: int = 0


# --- helpers -----------------------------------------------------------------------------

_FIELD_LABELS = {
    "with_whom": "with",
    "stiffness_minutes": "stiffness",
    "usual_time": "usual time",
    "started_at": "start time",
    "at": "time",
    "tz": "time zone",
}


def explain(error: ValidationError) -> str:
    """One sentence a person understands, from the first problem pydantic found."""
    first = error.errors()[0]
    loc = [str(part) for part in first.get("loc", ()) if not isinstance(part, int)]
    message = first.get("msg", "is not valid")
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if first.get("type") == "missing":
        message = "is required"
    elif first.get("type") == "string_too_long":
        message = f"is too long (at most {first.get('ctx', {}).get('max_length')} characters)"
    if not loc:
        return message[:1].upper() + message[1:] + "."
    field = _FIELD_LABELS.get(loc[-1], loc[-1].replace("_", " "))
    if message.startswith(("Input should be", "Input must be")):
        message = "should be" + message[len("Input should be") :]
    return f"{field[:1].upper()}{field[1:]} {message}".rstrip(".") + "."


def zone_of(name: str) -> tzinfo:
    """The tzinfo for an IANA zone name."""
    return ZoneInfo(name)


def local_day(moment: datetime, zone: str) -> date:
    """The calendar day a UTC moment fell on in the zone it was recorded in."""
    return moment.astimezone(ZoneInfo(zone)).date()
