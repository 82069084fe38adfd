"""The classes of a content pack (pack.toml) and the look-ups the care rules use.

They are frozen dataclasses (journal.dataclass) whose limits are declared on the field types, inside Annotated
(journal.validation's markers); the loader validates pack.toml into them with a pydantic
TypeAdapter, strictly: a string is never taken for a number.
"""

import dataclasses
import math
import re
from dataclasses import field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, NamedTuple

from journal.content.errors import PackError, display_path
from journal.dataclass import dataclass
from journal.validation import After, Before, Limits

# --- text helpers -------------------------------------------------------------------

_EDGE_PUNCTUATION = " \t\r\n.,;:!?\"'()[]"


def normalize(text: str) -> str:
    """Lower-case `text`, collapse runs of whitespace and drop surrounding punctuation."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.lower().split()).strip(_EDGE_PUNCTUATION)


def _key_words(key: str) -> str:
    return key.replace("-", " ")


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _term_spans(text: str, term: str) -> list[tuple[int, int]]:
    # A whole-word match that is not \b: a term may start or end with punctuation ("e. coli").
    # Plain searching, not a regular expression per term: compiling fifty of them cost
    # milliseconds on every start of the TUI.
    spans: list[tuple[int, int]] = []
    start = text.find(term)
    while start != -1:
        end = start + len(term)
        if not (start > 0 and _is_word(text[start - 1])) and not (end < len(text) and _is_word(text[end])):
            spans.append((start, end))
            start = text.find(term, end)
        else:
            start = text.find(term, start + 1)
    return spans


def _find_term(text: str, term: str) -> tuple[int, int] | None:
    spans = _term_spans(text, term)
    return spans[0] if spans else None


def _check_phrase(value: str) -> str:
    if value != normalize(value) or not value:
        raise ValueError(f"{value!r} should be lower-case, single-spaced, without edge punctuation")
    return value


def _check_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


# --- field types --------------------------------------------------------------------


def _context(info: Any) -> dict[str, Any]:
    # `info` is pydantic's ValidationInfo; its context is what the loader passed (pack_dir).
    return info.context if isinstance(info.context, dict) else {}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


_KEY_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _check_key(value: str) -> str:
    if not _KEY_RE.fullmatch(value):
        raise ValueError(f"{value!r} should be lower-case letters and digits, words joined by '-'")
    return value


Text = Annotated[str, Limits(min_length=1), Before(_strip)]
Key = Annotated[str, After(_check_key)]
Phrase = Annotated[str, After(_check_phrase)]
PositiveInt = Annotated[int, Limits(gt=0)]
NonNegativeInt = Annotated[int, Limits(ge=0)]
GridSize = Annotated[int, Limits(gt=0, le=26)]
PositiveFloat = Annotated[float, Limits(gt=0)]
NonEmpty = Limits(min_length=1)


class Tier(StrEnum):
    """How urgent a listed side effect is."""

    COMMON = "common"
    SERIOUS = "serious"


class Verdict(StrEnum):
    """What to do with a syringe that looks a certain way."""

    USE = "use"
    WAIT = "wait"
    DISCARD = "discard"


class _Model:
    # Read by pydantic when the loader validates: unknown keys in pack.toml are an error, and
    # each value must already be of its field's type (the loader validates TOML as JSON, so an
    # array is taken for a tuple and a string for an enum, but a string never for a number).
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "strict": True}


# --- [medication], [source] ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Codes(_Model):
    """Terminology codes used by exports; either may be absent."""

    rxnorm: Text | None = None
    route_snomed: Text | None = None


@dataclass(frozen=True, kw_only=True)
class Schedule(_Model):
    """The usual dosing rhythm."""

    doses_per_day: PositiveInt
    same_time_every_day: bool
    text: Text


@dataclass(frozen=True, kw_only=True)
class Medication(_Model):
    """Names, class, route and form of the medicine the pack is about."""

    key: Key
    generic: Text
    brands: tuple[Text, ...] = ()
    drug_class: Text
    route: Text
    form: Text
    purpose: Text
    key_warning: Text
    codes: Codes = field(default_factory=Codes)
    schedule: Schedule

    @property
    def names(self) -> tuple[str, ...]:
        """The generic name followed by every brand."""
        return (self.generic, *self.brands)

    @property
    def display_name(self) -> str:
        """The generic name with the brands in brackets, e.g. 'genericname (Brand)'."""
        return f"{self.generic} ({', '.join(self.brands)})" if self.brands else self.generic


@dataclass(frozen=True, kw_only=True)
class OtherSource(_Model):
    """A source other than the main leaflet, and which facts it covers."""

    name: Text
    covers: Text


@dataclass(frozen=True, kw_only=True)
class Source(_Model):
    """Where the pack's facts come from, and the disclaimer to show with them."""

    name: Text
    publisher: Text
    also_from: tuple[Text, ...] = ()
    disclaimer: Text
    other: tuple[OtherSource, ...] = ()

    @property
    def citation(self) -> str:
        """One line naming the source, e.g. for the foot of a report."""
        also = f", with information from {' and '.join(self.also_from)}" if self.also_from else ""
        return f"{self.name}, {self.publisher}{also}"

    @property
    def notice(self) -> str:
        """The disclaimer followed by the source, for a screen that shows the pack's facts."""
        return f"{self.disclaimer} Source: {self.citation}."


# --- [supply], [inspection] ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Supply(_Model):
    """Box size and refill advice."""

    units_per_box: PositiveInt
    unit: Text
    single_use: bool
    reorder_lead_days: NonNegativeInt
    refill_advice: Text
    do_not_share: Text
    first_use: Text
    disposal: Text


@dataclass(frozen=True, kw_only=True)
class Appearance(_Model):
    """One way a syringe's contents can look, and the verdict for it."""

    key: Key
    label: Text
    verdict: Verdict
    advice: Text


def _unique_appearances(value: tuple[Appearance, ...]) -> tuple[Appearance, ...]:
    _check_unique([a.key for a in value], "appearance key")
    return value


@dataclass(frozen=True, kw_only=True)
class Inspection(_Model):
    """How to check a syringe before use."""

    do_not_shake: Text
    leftover: Text
    appearances: Annotated[tuple[Appearance, ...], NonEmpty, After(_unique_appearances)]


# --- [sites] ---------------------------------------------------------------------------

_SPOT_RE = re.compile(r"^(?P<region>[a-z0-9-]+):(?P<row>[A-Z])(?P<col>[1-9][0-9]*)$")


class Spot(NamedTuple):
    """One spot of a region's grid; x grows across the columns, y down the rows."""

    id: str
    region: str
    row: int  # 0-based; row 0 is "A"
    col: int  # 0-based; col 0 is "1"
    x_cm: float
    y_cm: float


def spot_id(region: str, row: int, col: int) -> str:
    """Build a spot id such as 'region-key:B2' from 0-based row and column."""
    return f"{region}:{chr(ord('A') + row)}{col + 1}"


def parse_spot_id(value: str) -> tuple[str, int, int]:
    """Split 'region-key:B2' into ('region-key', 1, 1); raise ValueError if malformed."""
    region, _, cell = value.strip().partition(":")
    found = _SPOT_RE.match(f"{region.lower()}:{cell.upper()}")
    if not found:
        raise ValueError(f"{value!r} is not a spot id (region, colon, row letter, column number, e.g. 'region-key:B2')")
    return found["region"], ord(found["row"]) - ord("A"), int(found["col"]) - 1


@dataclass(frozen=True, kw_only=True)
class AvoidNote(_Model):
    """Where not to inject, and the source that says so."""

    text: Text
    source: Text


@dataclass(frozen=True, kw_only=True)
class Region(_Model):
    """A body area for injections, with a small grid of spots (a UI model)."""

    key: Key
    label: Text
    part: Key
    self_allowed: bool
    rows: GridSize
    cols: GridSize

    def spots(self, spacing_cm: float) -> tuple[Spot, ...]:
        """Every spot of the grid, row by row, `spacing_cm` apart."""
        return tuple(
            Spot(spot_id(self.key, r, c), self.key, r, c, c * spacing_cm, r * spacing_cm)
            for r in range(self.rows)
            for c in range(self.cols)
        )

    def spot_ids(self) -> tuple[str, ...]:
        """Every spot id of the grid, row by row."""
        return tuple(spot_id(self.key, r, c) for r in range(self.rows) for c in range(self.cols))


def _check_regions(value: tuple[Region, ...]) -> tuple[Region, ...]:
    _check_unique([r.key for r in value], "region key")
    if not any(r.self_allowed for r in value):
        raise ValueError("at least one region must have self_allowed = true")
    return value


@dataclass(frozen=True, kw_only=True)
class Sites(_Model):
    """Injection regions, spot spacing and where not to inject."""

    spacing_cm: PositiveFloat
    rotate: Text
    avoid: tuple[AvoidNote, ...] = ()
    regions: Annotated[tuple[Region, ...], NonEmpty, After(_check_regions)]

    def region(self, key: str) -> Region:
        """The region with this key; KeyError if there is none."""
        for region in self.regions:
            if region.key == key:
                return region
        raise KeyError(f"no injection region {key!r} (known: {', '.join(r.key for r in self.regions)})")

    def self_regions(self) -> tuple[Region, ...]:
        """Regions a person may inject into themselves."""
        return tuple(r for r in self.regions if r.self_allowed)

    def spots(self, region: str) -> tuple[Spot, ...]:
        """Every spot of one region with its (x_cm, y_cm) position."""
        return self.region(region).spots(self.spacing_cm)

    def spot(self, value: str) -> Spot:
        """The spot with this id; ValueError if malformed or outside its region's grid."""
        key, row, col = parse_spot_id(value)
        try:
            region = self.region(key)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        if row >= region.rows or col >= region.cols:
            raise ValueError(f"{value!r} is outside the {region.rows}x{region.cols} grid of {key!r}")
        return Spot(spot_id(key, row, col), key, row, col, col * self.spacing_cm, row * self.spacing_cm)


def spot_distance_cm(pack_or_sites: "Pack | Sites", spot_a: str, spot_b: str) -> float:
    """Distance in cm between two spots; math.inf when they lie in different regions."""
    sites = pack_or_sites.sites if isinstance(pack_or_sites, Pack) else pack_or_sites
    a, b = sites.spot(spot_a), sites.spot(spot_b)
    if a.region != b.region:
        return math.inf
    return math.hypot(a.x_cm - b.x_cm, a.y_cm - b.y_cm)


# --- [side_effects] --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Symptom(_Model):
    """A listed side effect, its tier, and words people use for it; `emergency` asks for emergency help."""

    key: Key
    label: Text
    tier: Tier
    synonyms: tuple[Phrase, ...] = ()
    injection_site: bool = False
    emergency: bool = False

    @property
    def terms(self) -> tuple[str, ...]:
        """Every normalized phrase that names this symptom."""
        seen = dict.fromkeys([self.key, _key_words(self.key), normalize(self.label), *self.synonyms])
        return tuple(seen)


@dataclass(frozen=True, kw_only=True)
class TierAdvice(_Model):
    """What to do for each tier; `other` for anything the pack does not list, `emergency` for emergency symptoms."""

    serious: Text
    common: Text
    other: Text
    emergency: Text


def _check_symptoms(value: tuple[Symptom, ...]) -> tuple[Symptom, ...]:
    _check_unique([s.key for s in value], "symptom key")
    owner: dict[str, str] = {}
    for symptom in value:
        if symptom.emergency and symptom.tier is not Tier.SERIOUS:
            raise ValueError(f"{symptom.key!r}: only a serious symptom can be an emergency")
        for term in symptom.terms:
            if owner.setdefault(term, symptom.key) != symptom.key:
                raise ValueError(f"{term!r} names both {owner[term]!r} and {symptom.key!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class SideEffects(_Model):
    """Side effects in tiers, with the journal's lingering threshold."""

    lingering_days: PositiveInt
    advice: TierAdvice
    symptoms: Annotated[tuple[Symptom, ...], NonEmpty, After(_check_symptoms)]

    def advice_for(self, tier: Tier | str) -> str:
        """The advice for 'serious', 'common' or 'other'."""
        value = str(tier)
        if value not in ("serious", "common", "other"):
            raise ValueError(f"unknown tier {value!r}")
        text: str = getattr(self.advice, value)
        return text

    def symptom(self, key: str) -> Symptom:
        """The symptom with this key; KeyError if there is none."""
        for symptom in self.symptoms:
            if symptom.key == key:
                return symptom
        raise KeyError(f"no symptom {key!r}")

    def find(self, text: str) -> Symptom | None:
        """The symptom whose key, label or synonym is `text` (any case), else None."""
        wanted = normalize(text)
        if not wanted:
            return None
        for symptom in self.symptoms:
            if wanted in symptom.terms:
                return symptom
        return None


# --- [[interactions]], [precautions], [appointments] -----------------------------------


@dataclass(frozen=True, kw_only=True)
class Interaction(_Model):
    """A medicine to mention to the doctor, by generic name and brands."""

    generic: Text
    brands: tuple[Text, ...] = ()
    group: Text | None = None
    advice: Text

    @property
    def names(self) -> tuple[str, ...]:
        """The generic name followed by every brand."""
        return (self.generic, *self.brands)

    @property
    def terms(self) -> tuple[str, ...]:
        """Every normalized name."""
        return tuple(normalize(n) for n in self.names)


@dataclass(frozen=True, kw_only=True)
class Precaution(_Model):
    """An allergy or condition to tell the doctor about, with the words that match it.

    `signs` are keys of side effects to call the doctor about at once while the condition stands.
    """

    key: Key
    label: Text
    match: Annotated[tuple[Phrase, ...], NonEmpty]
    advice: Text
    signs: tuple[Key, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every normalized phrase that matches this precaution."""
        return tuple(dict.fromkeys([*self.match, normalize(self.label)]))


def _unique_precautions(value: tuple[Precaution, ...]) -> tuple[Precaution, ...]:
    _check_unique([p.key for p in value], "key")
    return value


@dataclass(frozen=True, kw_only=True)
class Precautions(_Model):
    """Allergies and conditions that matter for this medicine."""

    medicines_advice: Text
    allergies_advice: Text
    allergies: Annotated[tuple[Precaution, ...], After(_unique_precautions)] = ()
    conditions: Annotated[tuple[Precaution, ...], After(_unique_precautions)] = ()


@dataclass(frozen=True, kw_only=True)
class Appointments(_Model):
    """Advice by appointment kind, and the medicine list to bring to visits."""

    doctor: Text
    lab: Text
    vaccination: Text
    surgery: Text
    dental: Text
    bring_list: Text

    def advice_for(self, kind: str) -> str | None:
        """The advice for 'doctor', 'lab', 'vaccination', 'surgery' or 'dental', else None."""
        if kind == "bring_list" or kind not in _field_names(type(self)):
            return None
        text: str = getattr(self, kind)
        return text


# --- [[sections]], [[journal_settings]] ------------------------------------------------


def _section_file_exists(value: str, info: Any) -> str:
    if "/" in value or "\\" in value or value.startswith(".") or not value.endswith(".md"):
        raise ValueError(f"{value!r} should be a plain file name ending in .md, beside pack.toml")
    folder = _context(info).get("pack_dir")
    if isinstance(folder, Path) and not (folder / value).is_file():
        raise ValueError(f"section file {display_path(folder / value)} does not exist")
    return value


@dataclass(frozen=True, kw_only=True)
class Section(_Model):
    """One Markdown page of the reference panel."""

    topic: Key
    title: Text
    file: Annotated[Text, After(_section_file_exists, info=True)]


@dataclass(frozen=True, kw_only=True)
class JournalSetting(_Model):
    """A number the journal chose itself, which is not a fact from the source."""

    field: Text
    note: Text


def _resolve(node: Any, parts: list[str]) -> bool:
    if not parts:
        return True
    head, rest = parts[0], parts[1:]
    if head == "*":
        return isinstance(node, tuple) and len(node) > 0 and all(_resolve(item, rest) for item in node)
    if isinstance(node, dict):
        return head in node and _resolve(node[head], rest)
    if isinstance(node, _Model):
        return head in _field_names(type(node)) and _resolve(getattr(node, head), rest)
    return False


def _field_names(cls: type[Any]) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


def _unique_interactions(value: tuple[Interaction, ...]) -> tuple[Interaction, ...]:
    _check_unique([t for i in value for t in i.terms], "interaction name")
    return value


def _unique_topics(value: tuple[Section, ...]) -> tuple[Section, ...]:
    _check_unique([s.topic for s in value], "section topic")
    return value


def _signs_exist(value: Precautions, info: Any) -> Precautions:
    # info.data holds side_effects (validated before precautions).
    effects = info.data.get("side_effects")
    known = {s.key for s in effects.symptoms} if isinstance(effects, SideEffects) else None
    for item in (*value.allergies, *value.conditions):
        missing = [k for k in item.signs if known is not None and k not in known]
        if missing:
            raise ValueError(f"{item.key!r}: signs {', '.join(map(repr, missing))} are not side effects of this pack")
    return value


def _settings_exist(value: tuple[JournalSetting, ...], info: Any) -> tuple[JournalSetting, ...]:
    # info.data holds the pack's fields validated so far (journal_settings comes last).
    for index, setting in enumerate(value):
        parts = setting.field.split(".")
        if parts[0] in info.data and not _resolve(info.data, parts):
            raise ValueError(f"item {index}: {setting.field!r} is not a field of this pack")
    return value


# --- the pack --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Pack(_Model):
    """A validated content pack: facts for the rules, Markdown for the reference panel."""

    steps: Annotated[tuple[Text, ...], NonEmpty]
    medication: Medication
    source: Source
    supply: Supply
    inspection: Inspection
    sites: Sites
    side_effects: SideEffects
    interactions: Annotated[tuple[Interaction, ...], After(_unique_interactions)] = ()
    precautions: Annotated[Precautions, After(_signs_exist, info=True)]
    appointments: Appointments
    sections: Annotated[tuple[Section, ...], NonEmpty, After(_unique_topics)]
    journal_settings: Annotated[tuple[JournalSetting, ...], After(_settings_exist, info=True)] = ()

    # -- where the pack lives ----------------------------------------------------------

    @property
    def key(self) -> str:
        """The pack's key, the same as its folder name."""
        return self.medication.key

    @property
    def directory(self) -> Path:
        """The folder holding pack.toml and the Markdown sections."""
        folder = self.__dict__.get("_directory")
        return folder if isinstance(folder, Path) else Path()

    def placed_in(self, folder: Path) -> "Pack":
        """This pack, remembering the folder it was read from (the loader calls this once)."""
        # Not a dataclass field, so pack.toml cannot set it.
        object.__setattr__(self, "_directory", folder)
        return self

    # -- reference text ----------------------------------------------------------------

    @property
    def topics(self) -> tuple[str, ...]:
        """Section topics in reading order."""
        return tuple(s.topic for s in self.sections)

    def section(self, topic: str) -> Section:
        """The section for a topic; KeyError listing the topics if there is none."""
        for section in self.sections:
            if section.topic == topic:
                return section
        raise KeyError(f"no section {topic!r} in pack {self.key!r} (topics: {', '.join(self.topics)})")

    def section_text(self, topic: str) -> str:
        """The Markdown of one section."""
        path = self.directory / self.section(topic).file
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PackError(f"{display_path(path)}: cannot read section {topic!r}: {exc}", path=path) from exc

    def source_line(self, text: str) -> str | None:
        """'Source: ... (the disclaimer)' to follow a section's text, or None when the text names the
        source itself (every section of the shipped pack ends with its own)."""
        if self.source.name in text:
            return None
        return f"Source: {self.source.citation}. {self.source.disclaimer}"

    # -- look-ups for the care rules ---------------------------------------------------

    def find_symptom(self, text: str) -> Symptom | None:
        """The listed symptom named by `text` (key, label or synonym, any case), else None."""
        return self.side_effects.find(text)

    def symptom(self, key: str) -> Symptom:
        """The symptom with this key; KeyError if there is none."""
        return self.side_effects.symptom(key)

    def find_interaction(self, name: str) -> Interaction | None:
        """The interacting medicine named by `name` (generic or brand, any case, or as a word in it)."""
        wanted = normalize(name)
        if not wanted:
            return None
        for interaction in self.interactions:
            if wanted in interaction.terms:
                return interaction
        best: tuple[int, Interaction] | None = None
        for interaction in self.interactions:
            for term in interaction.terms:
                if _find_term(wanted, term) and (best is None or len(term) > best[0]):
                    best = (len(term), interaction)
        return best[1] if best else None

    def match_allergy(self, text: str) -> tuple[Precaution, ...]:
        """The allergy precautions that `text` mentions, in pack order."""
        return _match_precautions(self.precautions.allergies, text)

    def match_condition(self, text: str) -> tuple[Precaution, ...]:
        """The condition precautions that `text` mentions, in pack order."""
        return _match_precautions(self.precautions.conditions, text)

    def appearance(self, key: str) -> Appearance:
        """The syringe appearance with this key; KeyError if there is none."""
        for appearance in self.inspection.appearances:
            if appearance.key == key:
                return appearance
        known = ", ".join(a.key for a in self.inspection.appearances)
        raise KeyError(f"no syringe appearance {key!r} (known: {known})")

    def region(self, key: str) -> Region:
        """The injection region with this key; KeyError if there is none."""
        return self.sites.region(key)

    def spots(self, region: str) -> tuple[Spot, ...]:
        """Every spot of one region with its (x_cm, y_cm) position."""
        return self.sites.spots(region)

    def is_journal_setting(self, field: str) -> bool:
        """Whether a dotted field (e.g. 'supply.reorder_lead_days') is a journal setting."""
        for setting in self.journal_settings:
            pattern = re.escape(setting.field).replace(r"\*", r"[^.]+")
            if re.fullmatch(pattern, field):
                return True
        return False


def _match_precautions(items: tuple[Precaution, ...], text: str) -> tuple[Precaution, ...]:
    # A match inside a longer match of another item does not count:
    # "planning a pregnancy" is not also "pregnancy", "HIV infection" not also "infection".
    wanted = normalize(text)
    spans: list[tuple[int, int, str]] = []
    for item in items:
        for term in item.terms:
            spans.extend((start, end, item.key) for start, end in _term_spans(wanted, term))

    def covered(start: int, end: int, key: str) -> bool:
        return any(
            other != key and o_start <= start and end <= o_end and o_end - o_start > end - start
            for o_start, o_end, other in spans
        )

    kept = {key for start, end, key in spans if not covered(start, end, key)}
    return tuple(item for item in items if item.key in kept)
