"""The records of the journal (dataclasses, validated by pydantic when made) and their enums.

Validation lives here, once: the command line and the TUI both show these messages.
Times are stored as UTC (ISO-8601, to the second, with a trailing Z) together with the
IANA zone they were recorded in, so a dose logged while travelling stays on its local day.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, field, fields, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import Enum, StrEnum
from functools import cache
from types import NoneType, UnionType
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Self,
    TypeVar,
    Union,
    dataclass_transform,
    get_args,
    get_origin,
    get_type_hints,
)
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.dataclass import dataclass
from journal.errors import RecordError
from journal.validation import After, Before, Limits
from journal.when import iso_utc, now_utc

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError, ValidationInfo

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


class MedForm(StrEnum):
    INJECTION = "injection"
    TABLET = "tablet"
    CAPSULE = "capsule"
    LIQUID = "liquid"
    OTHER = "other"


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
# Each limit is declared on the field's type, inside Annotated, with journal.validation's markers:
# Limits for bounds and lengths, After/Before for the checks and clean-ups that need code.


def _utc_seconds(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a time needs its time zone")
    return value.astimezone(UTC).replace(microsecond=0)


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


# The length limit first: a Before sees the raw input before what stands left of it.
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


# The clock records default to (journal.when's, under the name callers of this module know).
utcnow = now_utc


def new_id() -> str:
    """A new random record key."""
    return uuid.uuid4().hex


def _now(info: "ValidationInfo") -> datetime:
    context = info.context or {}
    now = context.get("now")
    return now if isinstance(now, datetime) else utcnow()


def _not_in_future(value: datetime | None, info: "ValidationInfo") -> datetime | None:
    if value is not None and value > _now(info) + FUTURE_GRACE:
        raise ValueError("is in the future; record what has already happened")
    return value


def _born_past(value: date | None, info: "ValidationInfo") -> date | None:
    if value is not None and value > _now(info).date():
        raise ValueError("is in the future")
    return value


PastUtcDateTime = Annotated[UtcDateTime, After(_not_in_future, info=True)]


# --- records -----------------------------------------------------------------------------

R = TypeVar("R", bound="Record")


@dataclass_transform(kw_only_default=True, field_specifiers=(field,))
def record(cls: type[R]) -> type[R]:
    """Make `cls` a record: a dataclass (journal.dataclass) whose constructor validates its values with pydantic."""
    made = dataclass(kw_only=True)(cls)
    made.__init__ = _validating_init  # type: ignore[method-assign]
    return made


def _validating_init(self: "Record", **values: Any) -> None:
    self.__dict__.update(_validated(type(self), values, None).__dict__)


@record
class Record:
    """Fields every journal record carries.

    Making a record validates it (pydantic, imported then): a bad value raises RecordError with
    one sentence. Records read back from the journal were checked when they were written, so
    `from_row` only converts the stored values back to their types.
    """

    table: ClassVar[str] = ""
    kind_label: ClassVar[str] = "record"
    # Read by pydantic: a field name it does not know is an error, not silently dropped.
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    id: str = field(default_factory=new_id)
    created_at: UtcDateTime = field(default_factory=utcnow)
    updated_at: UtcDateTime = field(default_factory=utcnow)
    deleted_at: UtcDateTime | None = None

    @classmethod
    def validate(cls, data: Mapping[str, Any], *, now: datetime | None = None) -> Self:
        """A record from typed-in values (unknown keys ignored), validated as of `now` (default: the clock)."""
        names = field_names(cls)
        return _validated(cls, {k: v for k, v in data.items() if k in names}, now)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        """A record from a stored row (or a history snapshot), without validating it again.

        Raise ValueError naming the field for a stored value that is not of the field's type."""
        record = cls.__new__(cls)
        values = record.__dict__
        for name, read, default, required in _readers(cls):
            if name in row:
                value = row[name]
                if value is None and required:
                    raise ValueError(f"{cls.table} {row.get('id')}: {name}: empty, and it must hold a value")
                try:
                    values[name] = None if value is None else read(value)
                except (TypeError, ValueError):
                    raise ValueError(f"{cls.table} {row.get('id')}: {name}: cannot read {value!r}") from None
            elif default is not None:
                values[name] = default()
            else:
                raise ValueError(f"{cls.table} {row.get('id')}: {name}: missing")
        return record

    @classmethod
    def bad_field(cls, row: Mapping[str, Any]) -> tuple[str, Any] | None:
        """The first stored column of `row` that `from_row` cannot read, and its value; None when all can be."""
        for name, read, _default, required in _readers(cls):
            if name not in row:
                continue
            value = row[name]
            if value is None:
                if required:
                    return name, value
                continue
            try:
                read(value)
            except (TypeError, ValueError):
                return name, value
        return None

    def changed(self, **changes: Any) -> Self:
        """A copy with some fields changed, validated like a new record."""
        return replace(self, **changes)

    def values(self) -> dict[str, Any]:
        """The fields and their values."""
        return {name: self.__dict__[name] for name in field_names(type(self))}

    def row(self) -> dict[str, Any]:
        """The record as a row of plain values for SQLite (times as UTC ISO-8601 with Z)."""
        return {name: _plain(self.__dict__[name]) for name in field_names(type(self))}

    def describe(self) -> str:
        """A short human description, used in history and listings."""
        return self.id


@record
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


@record
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
    # What it is taken as; only an injection has syringe checks, injection sites and boxes of syringes.
    form: MedForm | None = None
    # Paused (after a suspected allergic reaction): nothing is due and a dose asks first, until resumed.
    paused_at: UtcDateTime | None = None
    pause_reason: OptionalText = None
    resumed_at: UtcDateTime | None = None
    resume_note: OptionalText = None
    # The user confirmed that the prescription says so: a frequency the journal otherwise refuses
    # (methotrexate more often than once a week, for a cancer treatment).
    prescribed_daily: bool = False

    @property
    def injected(self) -> bool:
        """Whether doses are injections (syringe check, site): the form says so, or a linked pack does."""
        return self.form is MedForm.INJECTION or (self.form is None and self.pack is not None)

    def active_on(self, day: date) -> bool:
        """Whether the medicine is on the list on a local day: not deleted, and not stopped before it
        (a medicine is taken through its stop date)."""
        return self.deleted_at is None and (self.stopped is None or self.stopped >= day)

    @property
    def paused(self) -> bool:
        """Whether the medicine is paused now (a pause is lifted by `med resume`)."""
        return self.paused_at is not None

    def describe(self) -> str:
        return " ".join(p for p in (self.name, self.strength) if p)


def _schedule_spec(value: str) -> str:
    from journal.schedule_spec import ScheduleError, parse_regimen

    try:
        return parse_regimen(value).spec()
    except ScheduleError as exc:
        raise ValueError(exc.message) from None


# A schedule as the store keeps it ("daily at 08:00"): one the parser does not know (garbled by hand, or
# written by a newer version) is read as damage, like a zone no clock knows, never as a crash later.
ScheduleSpec = Annotated[str, Limits(max_length=NAME_MAX), After(_schedule_spec)]


@record
class Schedule(Record):
    """A medicine's regimen from a local day (`starts`) until `ends`: a new step replaces it from its own start."""

    table: ClassVar[str] = "schedules"
    kind_label: ClassVar[str] = "schedule"

    medication_id: str
    spec: ScheduleSpec
    starts: date
    ends: date | None = None
    dose: OptionalName = None
    note: OptionalText = None
    # The medicine stops after this step's last day (the end of a taper): nothing is due after it.
    then_stop: bool = False

    def describe(self) -> str:
        from journal.schedule_spec import parse_regimen

        dose = f", {self.dose}" if self.dose else ""
        until = f" until {self.ends}" if self.ends else ""
        stop = ", then stop" if self.then_stop else ""
        return f"{parse_regimen(self.spec).words()}{dose}, from {self.starts}{until}{stop}"


@record
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
    # When the box was thrown away with what was left in it (`supply discard`), and why.
    discarded_at: PastUtcDateTime | None = None
    discard_reason: OptionalText = None

    def describe(self) -> str:
        lot = f" lot {self.lot}" if self.lot else ""
        gone = ", thrown away" if self.discarded_at else ""
        return f"box of {self.count}{lot}{gone}"


@record
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


@record
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
    # Taken on purpose beyond the schedule (`dose --extra`): counted and shown to the doctor.
    extra: bool = False
    # The amount taken, as the schedule step in force said it ("20 mg"), when it said one.
    amount: OptionalName = None

    def describe(self) -> str:
        where = f" at {self.spot or self.region}" if (self.spot or self.region) else ""
        amount = f", {self.amount}" if self.amount else ""
        return f"dose {self.status.value}{amount}{where}"


@record
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

    @property
    def open(self) -> bool:
        """Still present: not resolved."""
        return self.resolved_at is None

    def describe(self) -> str:
        sev = f" ({self.severity.value})" if self.severity else ""
        return f"{self.symptom}{sev}"


@record
class Allergy(Record):
    """A substance the person reacts to."""

    table: ClassVar[str] = "allergies"
    kind_label: ClassVar[str] = "allergy"

    substance: RequiredName
    reaction: OptionalText = None
    note: OptionalText = None

    def describe(self) -> str:
        return self.substance + (f" ({self.reaction})" if self.reaction else "")


@record
class Condition(Record):
    """A health condition the person has."""

    table: ClassVar[str] = "conditions"
    kind_label: ClassVar[str] = "condition"

    name: RequiredName
    since: date | None = None
    note: OptionalText = None

    def describe(self) -> str:
        return self.name


@record
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


@record
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

    def describe(self) -> str:
        parts = []
        if self.pain is not None:
            parts.append(f"pain {self.pain}/10")
        if self.swelling is not None:
            parts.append(f"swelling {self.swelling}/10")
        if self.stiffness_minutes is not None:
            parts.append(f"stiffness {self.stiffness_minutes} min")
        return ", ".join(parts) or "note"


# A measured value or a range end: a real number (no NaN or infinity).
LabNumber = Annotated[float, Limits(allow_inf_nan=False)]


@record
class LabResult(Record):
    """A laboratory test result: its value and unit, the lab's reference range, when it was taken."""

    table: ClassVar[str] = "lab_results"
    kind_label: ClassVar[str] = "lab result"

    test: RequiredName
    value: LabNumber
    unit: OptionalName = None
    range_low: LabNumber | None = None
    range_high: LabNumber | None = None
    at: PastUtcDateTime
    tz: Zone
    note: OptionalText = None

    @property
    def out_of_range(self) -> str | None:
        """'low' or 'high' when the value is outside the reference range, else None."""
        if self.range_low is not None and self.value < self.range_low:
            return "low"
        if self.range_high is not None and self.value > self.range_high:
            return "high"
        return None

    def describe(self) -> str:
        return f"{self.test} {format_number(self.value)}" + (f" {self.unit}" if self.unit else "")


def format_number(value: float) -> str:
    """A measured number without trailing zeros: '4.5', '120', '0.04' (ten significant digits at most)."""
    return f"{value:.10g}"


@record
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


@record
class ImportSource(Record):
    """Where an imported record came from (`medjournal import`): the app's format, the file, and the source's own
    id or a stable hash of its row, so that importing the same file again recognises what is already there."""

    table: ClassVar[str] = "import_sources"
    kind_label: ClassVar[str] = "import source"

    format: RequiredName
    file: OptionalText = None
    key: RequiredText  # a medicine's key holds its name: longer than a name may be
    record_table: RequiredName
    record_id: RequiredName

    def describe(self) -> str:
        return f"imported from {self.format} ({self.file or 'a file'})"


RECORD_TYPES: tuple[type[Record], ...] = (
    Profile,
    Medication,
    Schedule,
    SupplyBox,
    SyringeCheck,
    Dose,
    SideEffect,
    Allergy,
    Condition,
    Appointment,
    Checkin,
    Question,
    LabResult,
)
# An import source is bookkeeping beside the records (where an import's records came from), not one a person keeps:
# it is not exported or found by id, but undo, history and the damage scan know its table.
_KEPT: tuple[type[Record], ...] = (*RECORD_TYPES, ImportSource)
BY_TABLE: dict[str, type[Record]] = {t.table: t for t in _KEPT}


@dataclass
class HistoryEntry:
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
    # The changes written together in one transaction share it (None before schema step m005).
    batch: str | None = None


# --- validating and reading --------------------------------------------------------------


def field_names(cls: type[Record]) -> tuple[str, ...]:
    """The stored fields of a record kind, in column order."""
    return tuple(spec.name for spec in fields(cls))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _read_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("a stored time without its zone")
    return moment


def _read_bool(value: Any) -> bool:
    if value not in (0, 1):
        raise ValueError("not 0 or 1")
    return bool(value)


def _read_float(value: Any) -> float:
    if type(value) not in (int, float):
        raise TypeError("not a number")
    return float(value)


def _exactly(kind: type) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"not a {kind.__name__}")
        return value

    return read


_READ: dict[Any, Callable[[Any], Any]] = {
    datetime: _read_time,
    date: date.fromisoformat,
    bool: _read_bool,
    float: _read_float,
    int: _exactly(int),
    str: _exactly(str),
}


def _read_zone(value: Any) -> str:
    # A zone no clock knows (`Mars/Olympus`, edited by hand) would stop every page that shows the time.
    if type(value) is not str:
        raise TypeError("not a str")
    return _known_zone(value)


@cache
def _known_zone(value: str) -> str:
    return _zone(value)


def _read_schedule_spec(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a str")
    return _known_schedule_spec(value)


@cache
def _known_schedule_spec(value: str) -> str:
    _schedule_spec(value)  # raises ValueError for a form the parser does not know
    return value  # as stored: the reader never rewrites a value


def _reader(kind: Any) -> Callable[[Any], Any]:
    """How a stored value becomes a value of the field's type `kind` (Zone: a name the clock knows)."""
    if kind is Zone:
        return _read_zone
    if kind is ScheduleSpec:
        return _read_schedule_spec
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    if kind not in _READ:
        raise TypeError(f"no reader for a stored {kind!r}")
    return _READ[kind]


def _base_type(hint: Any) -> Any:
    """`datetime` for `datetime | None` (or Optional[datetime]): the one type that is not None."""
    if get_origin(hint) in (Union, UnionType):
        (hint,) = (arg for arg in get_args(hint) if arg is not NoneType)
    return hint


def field_type(cls: type[Record], name: str) -> tuple[Any, bool]:
    """The type a record's field holds (`date` for `date | None`, an Enum class), and whether it may be None."""
    hint = get_type_hints(cls)[name]  # the types only, the Annotated limits left out
    return _base_type(hint), get_origin(hint) in (Union, UnionType) and NoneType in get_args(hint)


# Per field: its name, its reader, its default, and whether a stored NULL is damage (no default, not optional).
_Reader = tuple[str, Callable[[Any], Any], Callable[[], Any] | None, bool]


# Per record kind, made on first use (functools.cache would do, but mypy refuses a class as its key).
_READERS: dict[type[Record], tuple[_Reader, ...]] = {}
_VALIDATORS: dict[type[Record], "TypeAdapter[Any]"] = {}


def _readers(cls: type[Record]) -> tuple[_Reader, ...]:
    """Per field of a record kind: its name, how to read its stored value, and its default."""
    if cls not in _READERS:
        hints = get_type_hints(cls)  # the types only, the Annotated limits left out
        full = get_type_hints(cls, include_extras=True)
        made = []
        for f in fields(cls):
            hint = hints[f.name]
            optional = get_origin(hint) in (Union, UnionType) and NoneType in get_args(hint)
            default = _default(f)
            kind = next((alias for alias in (Zone, ScheduleSpec) if full[f.name] == alias), None) or _base_type(hint)
            made.append((f.name, _reader(kind), default, not optional and default is None))
        _READERS[cls] = tuple(made)
    return _READERS[cls]


def _default(spec: Field[Any]) -> Callable[[], Any] | None:
    """What a row without this field (an older history snapshot) holds: the field's default, if any."""
    if spec.default_factory is not MISSING:
        return spec.default_factory
    if spec.default is MISSING:
        return None
    return lambda: spec.default


def _validator(cls: type[Record]) -> "TypeAdapter[Any]":
    if cls not in _VALIDATORS:
        from pydantic import TypeAdapter

        _VALIDATORS[cls] = TypeAdapter(cls)
    return _VALIDATORS[cls]


def _validated(cls: type[R], values: Mapping[str, Any], now: datetime | None) -> R:
    from pydantic import ValidationError

    try:
        made: R = _validator(cls).validate_python(values, context={"now": now} if now else None)
    except ValidationError as exc:
        raise RecordError(explain(exc), field=error_field(exc)) from None
    return made


# --- helpers -----------------------------------------------------------------------------

_FIELD_LABELS = {
    "with_whom": "with",
    "stiffness_minutes": "stiffness",
    "usual_time": "usual time",
    "started_at": "start time",
    "at": "time",
    "tz": "time zone",
}


def error_field(error: "ValidationError") -> str | None:
    """The field a validation error is about, if any."""
    for problem in error.errors():
        names = [str(part) for part in problem.get("loc", ()) if not isinstance(part, int)]
        if names:
            return names[-1]
    return None


def explain(error: "ValidationError") -> str:
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
