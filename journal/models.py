"""The records of the journal (dataclasses, validated by pydantic when made) and their enums.

Validation lives here, once: the command line and the TUI both show these messages.
Times are stored as UTC (ISO-8601, to the second, with a trailing Z) together with the
IANA zone they were recorded in, so a dose logged while travelling stays on its local day.
"""

from __future__ import annotations

import builtins
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import MISSING, field, fields, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import Enum, StrEnum
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.errors import RecordError
from journal.plain import Plain, plain_dataclass
from journal.validation import After, Before, Limits

if TYPE_CHECKING:
    from pydantic import ValidationError, ValidationInfo

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
    return f"{value.year:04d}" + value.strftime("-%m-%dT%H:%M:%SZ")  # strftime's %Y does not pad years before 1000


UtcDateTime = Annotated[datetime, After(_utc_seconds)]


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{value}' is not a time zone name such as Europe/Paris") from exc
    return value


Zone = Annotated[str, After(_zone)]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


OptionalText = Annotated[Annotated[str, Limits(max_length=TEXT_MAX)] | None, Before(_blank_to_none)]
OptionalName = Annotated[Annotated[str, Limits(max_length=NAME_MAX)] | None, Before(_blank_to_none)]


def _required_name(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None:
        raise ValueError("cannot be empty")
    return value


# Limits first: they constrain the string itself, the check before it sees the raw input.
RequiredName = Annotated[str, Limits(max_length=NAME_MAX), Before(_required_name)]
RequiredText = Annotated[str, Limits(max_length=TEXT_MAX), Before(_required_name)]


def _hhmm(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parsed = datetime.strptime(value, "%H:%M")
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a time of day such as 08:30") from exc
    return parsed.strftime("%H:%M")


TimeOfDay = Annotated[str | None, Before(_blank_to_none), After(_hhmm)]
Score = Annotated[int, Limits(ge=0, le=10)] | None


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
    if value is not None and value > _now(info) + FUTURE_GRACE:
        raise ValueError("is in the future; record what has already happened")
    return value


def _born_past(value: date | None, info: ValidationInfo) -> date | None:
    if value is not None and value > _now(info).date():
        raise ValueError("is in the future")
    return value


Past = After(_not_in_future, info=True)
PastUtcDateTime = Annotated[UtcDateTime, Past]


# --- records -----------------------------------------------------------------------------


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Record(Plain):
    """Fields every journal record carries.

    Making a record validates it (pydantic, imported then): a bad value raises RecordError with
    one sentence. Records read back from the journal were checked when they were written, so
    `from_row` builds them without validating again.
    """

    table: ClassVar[str] = ""
    kind_label: ClassVar[str] = "record"

    id: str = field(default_factory=new_id)
    created_at: UtcDateTime = field(default_factory=utcnow)
    updated_at: UtcDateTime = field(default_factory=utcnow)
    deleted_at: UtcDateTime | None = None

    def __post_init__(self) -> None:
        self.__dict__.update(_validated(type(self), self.__dict__, None))

    @classmethod
    def validate(cls, data: Mapping[str, Any], *, now: datetime | None = None) -> Self:
        """A record from typed-in values (unknown keys ignored), validated as of `now` (default: the clock)."""
        values: dict[str, Any] = {}
        for spec in fields(cls):
            if spec.name in data:
                values[spec.name] = data[spec.name]
            elif spec.default is not MISSING:
                values[spec.name] = spec.default
            elif spec.default_factory is not MISSING:
                values[spec.name] = spec.default_factory()
        record = cls.__new__(cls)
        record.__dict__.update(_validated(cls, values, now))
        return record

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        """A record from a stored row (or a history snapshot), without validating it again."""
        record = cls.__new__(cls)
        values = record.__dict__
        for name, read, default in _readers(cls):
            if name in row:
                value = row[name]
                values[name] = value if value is None or read is None else read(value)
            else:
                values[name] = default()
        return record

    def changed(self, **changes: Any) -> Self:
        """A copy with some fields changed, validated like a new record."""
        return replace(self, **changes)

    def values(self) -> dict[str, Any]:
        """The fields and their values."""
        return {name: self.__dict__[name] for name in field_names(type(self))}

    def row(self) -> dict[str, Any]:
        """The record as a row of plain values for SQLite (times as UTC ISO-8601 with Z)."""
        return {name: _plain(self.__dict__[name]) for name in field_names(type(self))}

    def check(self) -> None:
        """Rules across fields; raise ValueError with the problem."""

    def describe(self) -> str:
        """A short human description, used in history and listings."""
        return self.id


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Profile(Record):
    """The person the journal is about: name, birth date, contacts."""

    table: ClassVar[str] = "profile"
    kind_label: ClassVar[str] = "profile"

    name: OptionalName = None
    born: Annotated[date | None, After(_born_past, info=True)] = None
    emergency_contact: OptionalText = None
    doctor: OptionalText = None
    pharmacy: OptionalText = None
    notes: OptionalText = None

    def describe(self) -> str:
        return self.name or "profile"


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Medication(Record):
    """A medicine, vitamin or supplement on the list; `tracked` ones have their doses logged."""

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

    def check(self) -> None:
        if self.started and self.stopped and self.stopped < self.started:
            raise ValueError(f"the stop date {self.stopped} is before the start date {self.started}")

    @property
    def active(self) -> bool:
        """Whether the medicine is still being taken."""
        return self.stopped is None and self.deleted_at is None

    def describe(self) -> str:
        return " ".join(p for p in (self.name, self.strength) if p)


@plain_dataclass(kw_only=True, eq=False, repr=False)
class SupplyBox(Record):
    """A box of syringes (or packs) received, with its lot and expiry."""

    table: ClassVar[str] = "supply_boxes"
    kind_label: ClassVar[str] = "box"

    medication_id: str
    received: date
    count: Annotated[int, Limits(ge=1, le=1000)]
    lot: OptionalName = None
    expires: date | None = None
    note: OptionalText = None

    def describe(self) -> str:
        lot = f" lot {self.lot}" if self.lot else ""
        return f"box of {self.count}{lot}"


@plain_dataclass(kw_only=True, eq=False, repr=False)
class SyringeCheck(Record):
    """How a syringe looked before use, and whether it was used or discarded."""

    table: ClassVar[str] = "syringe_checks"
    kind_label: ClassVar[str] = "syringe check"

    medication_id: str
    at: PastUtcDateTime
    tz: Zone
    appearance: Appearance = Appearance.CLEAR
    waited_minutes: Annotated[int, Limits(ge=0, le=240)] | None = None
    outcome: CheckOutcome = CheckOutcome.USED
    reason: OptionalText = None
    box_id: str | None = None

    def describe(self) -> str:
        return f"syringe {self.appearance.value}, {self.outcome.value}"


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Dose(Record):
    """One dose taken, skipped or missed, and where on the body it went."""

    table: ClassVar[str] = "doses"
    kind_label: ClassVar[str] = "dose"

    medication_id: str
    at: PastUtcDateTime
    tz: Zone
    status: DoseStatus = DoseStatus.TAKEN
    region: OptionalName = None
    spot: OptionalName = None
    given_by: GivenBy = GivenBy.SELF
    check_id: str | None = None
    leftover: bool = False
    reason: OptionalText = None
    note: OptionalText = None

    def check(self) -> None:
        if self.status is not DoseStatus.TAKEN and (self.region or self.spot):
            raise ValueError(f"a {self.status.value} dose has no injection site")

    def describe(self) -> str:
        where = f" at {self.spot or self.region}" if (self.spot or self.region) else ""
        return f"dose {self.status.value}{where}"


@plain_dataclass(kw_only=True, eq=False, repr=False)
class SideEffect(Record):
    """A side effect: when it started, how bad, its triage tier, when it resolved."""

    table: ClassVar[str] = "side_effects"
    kind_label: ClassVar[str] = "side effect"

    symptom: RequiredName
    symptom_key: OptionalName = None
    tier: Tier = Tier.OTHER
    severity: Severity | None = None
    started_at: PastUtcDateTime
    tz: Zone
    resolved_at: UtcDateTime | None = None
    doctor_contacted_at: UtcDateTime | None = None
    region: OptionalName = None
    note: OptionalText = None

    def check(self) -> None:
        if self.resolved_at and self.resolved_at < self.started_at:
            raise ValueError("it cannot be resolved before it started")

    @property
    def open(self) -> bool:
        """Still present: not resolved."""
        return self.resolved_at is None

    def describe(self) -> str:
        sev = f" ({self.severity.value})" if self.severity else ""
        return f"{self.symptom}{sev}"


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Allergy(Record):
    """A substance the person reacts to."""

    table: ClassVar[str] = "allergies"
    kind_label: ClassVar[str] = "allergy"

    substance: RequiredName
    reaction: OptionalText = None
    note: OptionalText = None

    def describe(self) -> str:
        return self.substance + (f" ({self.reaction})" if self.reaction else "")


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Condition(Record):
    """A health condition the person has."""

    table: ClassVar[str] = "conditions"
    kind_label: ClassVar[str] = "condition"

    name: RequiredName
    since: date | None = None
    note: OptionalText = None

    def describe(self) -> str:
        return self.name


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Appointment(Record):
    """A doctor visit, lab test, vaccination, surgery or dental appointment."""

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


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Checkin(Record):
    """How the person feels: pain, swelling, morning stiffness, a note."""

    table: ClassVar[str] = "checkins"
    kind_label: ClassVar[str] = "check-in"

    at: PastUtcDateTime
    tz: Zone
    pain: Score = None
    swelling: Score = None
    stiffness_minutes: Annotated[int, Limits(ge=0, le=1440)] | None = None
    note: OptionalText = None

    def check(self) -> None:
        if self.pain is None and self.swelling is None and self.stiffness_minutes is None and not self.note:
            raise ValueError("a check-in needs a pain, swelling or stiffness score, or a note")

    def describe(self) -> str:
        parts = []
        if self.pain is not None:
            parts.append(f"pain {self.pain}/10")
        if self.swelling is not None:
            parts.append(f"swelling {self.swelling}/10")
        if self.stiffness_minutes is not None:
            parts.append(f"stiffness {self.stiffness_minutes} min")
        return ", ".join(parts) or "note"


@plain_dataclass(kw_only=True, eq=False, repr=False)
class Question(Record):
    """A question to ask at the next visit, and its answer."""

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


@plain_dataclass(eq=False, repr=False)
class HistoryEntry(Plain):
    """One change to one record: what it was before and after."""

    id: str
    at: datetime
    table_name: str
    row_id: str
    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    # Order of writing: several changes can share one second (a dose and its syringe check).
    seq: int = 0


# --- validating and reading --------------------------------------------------------------

_Reader = tuple[str, Callable[[Any], Any] | None, Callable[[], Any]]
# Per record kind, built on first use.
_FIELD_NAMES: dict[type[Record], tuple[str, ...]] = {}
_READERS: dict[type[Record], tuple[_Reader, ...]] = {}
_VALIDATORS: dict[type[Record], Any] = {}


def field_names(cls: type[Record]) -> tuple[str, ...]:
    """The stored fields of a record kind, in column order."""
    found = _FIELD_NAMES.get(cls)
    if found is None:
        found = _FIELD_NAMES[cls] = tuple(spec.name for spec in fields(cls))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso_z(value.astimezone(UTC))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _base_type(hint: Any) -> Any:
    """`datetime` for `Annotated[datetime | None, ...]`: the one non-None type under the wrappers."""
    while True:
        origin = get_origin(hint)
        if origin is Annotated:
            hint = get_args(hint)[0]
        elif origin in (Union, UnionType):
            hint = next(arg for arg in get_args(hint) if arg is not NoneType)
        else:
            return hint


def _reader(kind: Any) -> Callable[[Any], Any] | None:
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is bool:
        return bool
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    return None


_FIRST_NAME = re.compile(r"^(?:Annotated\[)?(\w+)")


def _field_kind(annotation: str) -> Any:
    """The type under a field's annotation, read from its first name: typing.get_type_hints, which
    evaluates every annotation, costs milliseconds a journal read should not pay."""
    found = _FIRST_NAME.match(annotation)
    assert found is not None, annotation
    name = found.group(1)
    return _base_type(globals()[name] if name in globals() else getattr(builtins, name))


def _readers(cls: type[Record]) -> tuple[_Reader, ...]:
    known = _READERS.get(cls)
    if known is not None:
        return known
    found = []
    for spec in fields(cls):
        if spec.default_factory is not MISSING:
            default: Callable[[], Any] = spec.default_factory
        else:
            default = (lambda value: lambda: value)(None if spec.default is MISSING else spec.default)
        found.append((spec.name, _reader(_field_kind(str(spec.type))), default))
    _READERS[cls] = tuple(found)
    return _READERS[cls]


def _validator(cls: type[Record]) -> Any:
    """The pydantic validator of a record kind's fields (a TypedDict), then its rules across fields."""
    known = _VALIDATORS.get(cls)
    if known is not None:
        return known
    from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

    from journal.validation import adapter

    hints = get_type_hints(cls, include_extras=True)
    shape = TypedDict(cls.__name__, {name: hints[name] for name in field_names(cls)})  # type: ignore[misc]

    def across(values: dict[str, Any]) -> dict[str, Any]:
        shadow = cls.__new__(cls)
        shadow.__dict__.update(values)
        shadow.check()
        return values

    _VALIDATORS[cls] = adapter(Annotated[shape, After(across)])
    return _VALIDATORS[cls]


def _validated(cls: type[Record], values: Mapping[str, Any], now: datetime | None) -> dict[str, Any]:
    from pydantic import ValidationError

    try:
        return _validator(cls).validate_python(dict(values), context={"now": now} if now else None)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise RecordError(explain(exc), field=error_field(exc)) from None


# --- helpers -----------------------------------------------------------------------------

_FIELD_LABELS = {
    "with_whom": "with",
    "stiffness_minutes": "stiffness",
    "usual_time": "usual time",
    "started_at": "start time",
    "at": "time",
    "tz": "time zone",
}


def error_field(error: ValidationError) -> str | None:
    """The field a validation error is about, if any."""
    for problem in error.errors():
        names = [str(part) for part in problem.get("loc", ()) if not isinstance(part, int)]
        if names:
            return names[-1]
    return None


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
