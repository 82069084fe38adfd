"""Side-effect triage from a pack's tiers and synonyms, and which logged effects still need the doctor.

The words of a symptom come from the pack; how patients write them is read here: word forms and
plurals ("fevers", "coughing"), any word order ("throat is sore"), British spellings
("diarrhoea"), and words that say a common effect is severe or lasting ("won't go away").

A sentence is read clause by clause. A denial ("no", "not", "without", "never", "don't have")
denies the symptoms that follow it in its clause ("not short of breath, only a runny nose":
a runny nose, and no shortness of breath); "but", "only", "just" and the like start a new
clause. Of the symptoms left, the most urgent one wins. Near an injection ("the injection spot
is red"), a "spot" is the site, not a rash. A text that says nothing is wrong ("no side
effects today, feel fine") is not a side effect at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from journal import models as m
from journal.content import Pack, Symptom
from journal.dataclass import dataclass

EMERGENCY = "get emergency help now"
CALL_NOW = "call your doctor now"
TELL_DOCTOR = "tell your doctor"
CALL_IF_UNUSUAL = "call your doctor if it is unusual"
# Used when no pack is linked to any active medicine.
GENERIC_OTHER_ADVICE = "Call your doctor if you have any unusual problem while using your medicines."
DEFAULT_LINGERING_DAYS = 7

# Words that say a common side effect is severe or does not go away (the leaflet's rule for telling
# the doctor). Matched as whole phrases after the same word-form folding as symptoms; numbers and
# "a few"/"a couple of" are skipped, so "for 3 days" and "for a couple of days" read as "for days".
SEVERITY_PHRASES: tuple[str, ...] = (
    "severe",
    "severely",
    "bad",
    "really bad",
    "very bad",
    "terrible",
    "awful",
    "horrible",
    "unbearable",
    "excruciating",
    "agony",
    "worst",
    "intense",
    "extreme",
    "won't go away",
    "wont go away",
    "will not go away",
    "not going away",
    "doesn't go away",
    "does not go away",
    "hasn't gone away",
    "has not gone away",
    "not gone away",
    "won't stop",
    "will not stop",
    "keeps coming back",
    "keeps getting worse",
    "getting worse",
    "worse and worse",
    "persistent",
    "constant",
    "constantly",
    "all the time",
    "nonstop",
    "non-stop",
    "still there",
    "for days",
    "for weeks",
    "for a week",
    "for over a week",
    "for more than a week",
    "all week",
    "since last week",
    "days now",
    "weeks now",
    "after a week",
    "after days",
    "after weeks",
    "badly",
)

_RANK = {m.Tier.SERIOUS: 2, m.Tier.COMMON: 1, m.Tier.OTHER: 0}

# --- how patients write -------------------------------------------------------------------

_STOPWORD_TEXT = (
    "a an the my me i im is are am was were be been being it its of at in on to and or with around near "
    "where from this that has have having had got very really quite bit little some so just also all over up"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# British spellings and irregular forms, folded before the suffix rules.
_WORD_MAP = {
    "diarrhoea": "diarrhea",
    "oedema": "edema",
    "anaemia": "anemia",
    "haemorrhage": "hemorrhage",
    "haematoma": "hematoma",
    "oesophagus": "esophagus",
    "colour": "color",
    "discoloured": "discolored",
    "discolouration": "discoloration",
    "tumour": "tumor",
    "odour": "odor",
    "swollen": "swell",
    "swelled": "swell",
    "swelling": "swell",
    "bled": "bleed",
    "bleeding": "bleed",
    "felt": "feel",
    "threw": "throw",
    "thrown": "throw",
}
# Skipped in severity phrases: "for a couple of days" reads as "for days", "for over a week" as "for week".
_FILLER_WORDS = (
    "one two three four five six seven eight nine ten few couple several many of a an the about over more than "
    "nearly almost least at"
)
_WORD_RE = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    # A few suffix rules, applied to the text and to the pack's terms alike: they only need to
    # fold the forms of one word together ("cough", "coughs", "coughing" -> "cough").
    word = _WORD_MAP.get(word, word)
    if word in _WORD_MAP.values():
        return word
    if word.endswith("oea"):
        word = word[:-3] + "ea"
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 6 and word.endswith("ness"):
        word = word[:-4]
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word[-1] in "ey":
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The folded word stems of `text`, in order: lower case, no apostrophes, British spellings made American."""
    text = text.lower().replace("\u2019", "").replace("\u2018", "").replace("'", "")
    return [_stem(w) for w in _WORD_RE.findall(text)]


def _content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in _STOPWORDS]


@functools.lru_cache(maxsize=4096)
def _term_words(term: str) -> tuple[str, ...]:
    return tuple(_content_words(term))


def _mentions(found: Sequence[str], term: Sequence[str]) -> frozenset[int] | None:
    """Where every word of `term` appears in `found`, in any order, close together; None if it does not."""
    if not term or not set(term) <= set(found):
        return None
    window = len(term) + 3
    for start in range(max(len(found) - window, 0) + 1):
        span = found[start : start + window]
        if set(term) <= set(span):
            return frozenset(start + span.index(word) for word in term)
    return None


def _phrase_in(found: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(list(found[i : i + n]) == list(phrase) for i in range(len(found) - n + 1))


_FILLERS = frozenset(_stem(w) for w in _FILLER_WORDS.split())
_SEVERITY_WORDS = tuple([w for w in words(p) if w not in _FILLERS] for p in SEVERITY_PHRASES)


def says_severe(text: str) -> bool:
    """Whether `text` says a symptom is severe or does not go away ("bad", "won't go away", "for days")."""
    found = [w for w in words(text) if w not in _FILLERS and not w.isdigit()]
    return any(_phrase_in(found, phrase) for phrase in _SEVERITY_WORDS)


# --- triage ---------------------------------------------------------------------------------


class Action(StrEnum):
    """What the person should do about a side effect now."""

    EMERGENCY = "emergency"
    CALL_NOW = "call-now"
    TELL_DOCTOR = "tell-doctor"
    WATCH = "watch"
    MENTION_IF_UNUSUAL = "mention-if-unusual"


@dataclass(kw_only=True)
class Triage:
    """The tier of a typed symptom and what to do about it."""

    text: str
    symptom_key: str | None = None
    label: str | None = None
    tier: m.Tier
    action: Action
    advice: str
    pack: str | None = None
    injection_site: bool = False
    # What was read in the text: symptoms affirmed ("Runny nose (common)") and denied ("Rash").
    affirmed: tuple[str, ...] = ()
    denied: tuple[str, ...] = ()

    @property
    def understood_line(self) -> str | None:
        """ "Understood: runny nose (common); not: short of breath", when there is more than one thing to say."""
        if not self.denied and len(self.affirmed) < 2:
            return None
        parts = [f"Understood: {', '.join(self.affirmed) or 'no listed side effect'}"]
        if self.denied:
            parts.append(f"not: {', '.join(self.denied)}")
        return "; ".join(parts) + "."

    @property
    def headline(self) -> str:
        """One short line: the tier and the action."""
        name = self.label or self.text
        if self.action is Action.EMERGENCY:
            return f"{name}: {EMERGENCY}."
        if self.action is Action.CALL_NOW:
            return f"{name}: serious side effect - {CALL_NOW}."
        if self.action is Action.TELL_DOCTOR:
            return f"{name}: {TELL_DOCTOR}."
        if self.action is Action.WATCH:
            return f"{name}: common side effect."
        return f"{name}: not a side effect listed for this medicine."


def _urgency(symptom: Symptom) -> int:
    return 3 if symptom.emergency else _RANK[m.Tier(symptom.tier.value)]


# --- reading a sentence: clauses, denials, the injection site --------------------------------

# Where a new clause starts: punctuation that ends a sentence, and words that turn from one thing
# to another ("no rash, just a headache"). A comma does not: "no fever, chills or cough" denies all three.
_CLAUSE_BREAK = re.compile(
    r"[;.!?\n]|\b(?:but|only|just|except|although|though|however|yet|whereas|apart from|other than)\b",
    re.IGNORECASE,
)


# Words that deny what follows them in their clause. "Can't" is not one: "can't breathe" is a symptom.
def _stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in text.split())


_DENIALS = _stems("no not without never dont doesnt didnt isnt arent wasnt werent havent hasnt hadnt none nor neither")
# Words that may stand between a denial and what it denies ("I do not have any hives", "not
# getting a fever"); any other word breaks the denial ("not able to breathe" denies nothing).
_DENIAL_GAP = _stems(
    "any do did does feel feeling felt get getting notice noticed see seen sign signs longer more anymore "
    "experience experienced experiencing suffer suffering from had having been much single trace today"
)
# Words that place a text at an injection; there, a "spot" is the site, not a rash.
_AT_INJECTION = _stems("injection injected inject injecting site shot jab needle")
_SPOT = _stem("spot")
# What a person writes when nothing is wrong. A phrase that starts with a denial carries its own.
_NOTHING_WRONG = tuple(
    tuple(_content_words(phrase))
    for phrase in (
        "no side effects",
        "no side effect",
        "no symptoms",
        "no problems",
        "no problem",
        "no issues",
        "no reaction",
        "no reactions",
        "nothing wrong",
        "nothing to report",
        "nothing new",
        "feel fine",
        "feeling fine",
        "feel good",
        "feeling good",
        "feel great",
        "feel well",
        "feeling well",
        "all good",
        "all fine",
        "all well",
    )
)


@dataclass(frozen=True)
class _Match:
    where: frozenset[int]
    symptom: Symptom
    term: str  # the pack's phrase that matched ("short of breath"), to say what was understood
    denied: bool


def _clauses(text: str) -> list[str]:
    return [part for part in _CLAUSE_BREAK.split(text) if part and part.strip()]


def _denied(found: Sequence[str], where: frozenset[int], matched: Sequence[frozenset[int]]) -> bool:
    """Whether a denial earlier in the clause reaches the words at `where`, across gap words and other symptoms."""
    listed = set().union(*matched) if matched else set()
    for i in range(min(where) - 1, -1, -1):
        word = found[i]
        if word in _DENIALS:
            return True
        if word not in _DENIAL_GAP and i not in listed:
            return False
    return False


def _clause_matches(pack: Pack, clause: str) -> list[_Match]:
    found = _content_words(clause)
    at_injection = any(w in _AT_INJECTION for w in found)
    raw: list[tuple[frozenset[int], Symptom, str]] = []
    for symptom in pack.side_effects.symptoms:
        for term in symptom.terms:
            words_of = _term_words(term)
            if at_injection and not symptom.injection_site and _SPOT in words_of:
                continue  # "the injection spot is red" is the site, not "red spots"
            where = _mentions(found, words_of)
            if where is not None:
                raw.append((where, symptom, term))
    # A term found only inside a longer term of another symptom does not count: "tummy ache" is not also "achy".
    kept = [
        (where, symptom, term)
        for where, symptom, term in raw
        if not any(where < other and symptom is not owner for other, owner, _ in raw)
    ]
    spans = [where for where, _, _ in kept]
    return [_Match(where, symptom, term, _denied(found, where, spans)) for where, symptom, term in kept]


def _matches(pack: Pack, text: str) -> list[_Match]:
    return [match for clause in _clauses(text) for match in _clause_matches(pack, clause)]


def _mentioned(pack: Pack, text: str) -> list[tuple[frozenset[int], Symptom]]:
    """The symptoms `text` says the person has (denied ones left out), with where their words are."""
    return [(match.where, match.symptom) for match in _matches(pack, text) if not match.denied]


def _denied_matches(pack: Pack, text: str) -> list[_Match]:
    """The symptoms `text` says the person does not have ("no rash"), each once, in the order written."""
    matches = _matches(pack, text)
    affirmed = {id(match.symptom) for match in matches if not match.denied}
    found: list[_Match] = []
    for match in matches:
        if match.denied and id(match.symptom) not in affirmed and all(f.symptom is not match.symptom for f in found):
            found.append(match)
    return found


def denied_symptoms(pack: Pack, text: str) -> list[Symptom]:
    """The symptoms `text` says the person does not have ("no rash"), each once, in the order written."""
    return [match.symptom for match in _denied_matches(pack, text)]


def says_nothing_is_wrong(packs: Sequence[Pack], text: str) -> bool:
    """Whether `text` only says that nothing is wrong: no symptom it affirms, and a denial or "feel fine"."""
    if any(_mentioned(pack, text) for pack in packs):
        return False
    if any(denied_symptoms(pack, text) for pack in packs):
        return True
    for clause in _clauses(text):
        found = _content_words(clause)
        for phrase in _NOTHING_WRONG:
            for start in range(len(found) - len(phrase) + 1):
                if tuple(found[start : start + len(phrase)]) != phrase:
                    continue
                own_denial = phrase[0] in _DENIALS or phrase[0] == _stem("nothing")
                if own_denial or not _denied(found, frozenset({start}), []):
                    return True
    return False


def find_symptom(pack: Pack, text: str) -> Symptom | None:
    """The listed symptom `text` names exactly, else the most urgent one it says the person has.

    Among equally urgent ones, the longest term wins."""
    exact = pack.find_symptom(text)
    best = max(_mentioned(pack, text), key=lambda match: (_urgency(match[1]), len(match[0])), default=None)
    if exact is not None and (best is None or _urgency(exact) >= _urgency(best[1])):
        return exact
    return best[1] if best else None


def mentions_injection_site(pack: Pack, text: str) -> bool:
    """Whether `text` speaks of an injection site ("injection site is hot and red"), whatever its tier."""
    return any(symptom.injection_site for _, symptom in _mentioned(pack, text))


def understood(pack: Pack, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the journal read in `text`, in the pack's words: the symptoms affirmed, each with its tier
    ("runny nose (common)"), and those denied ("short of breath")."""
    said: list[str] = []
    seen: list[Symptom] = []
    for match in _matches(pack, text):
        if not match.denied and all(s is not match.symptom for s in seen):
            seen.append(match.symptom)
            tier = "emergency" if match.symptom.emergency else match.symptom.tier.value
            said.append(f"{match.term.replace('-', ' ')} ({tier})")
    return tuple(said), tuple(match.term.replace("-", " ") for match in _denied_matches(pack, text))


def watch_advice(pack: Pack) -> str:
    """The leaflet's rule for a common side effect, and the journal's own check-back setting."""
    days = pack.side_effects.lingering_days
    return (
        f"{pack.side_effects.advice.common} (Journal setting, not medical advice: if it is still open after "
        f"{days} days, the journal lists it as one to tell your doctor about.)"
    )


def triage(pack: Pack, text: str, severity: m.Severity | None = None) -> Triage:
    """Tier and advice for a typed symptom: emergency, serious, common (severe or lasting: tell the doctor) or other."""
    symptom = find_symptom(pack, text)
    advice = pack.side_effects.advice
    affirmed, denied = understood(pack, text)
    if symptom is None:
        return Triage(
            text=text,
            tier=m.Tier.OTHER,
            action=Action.MENTION_IF_UNUSUAL,
            advice=advice.other,
            pack=pack.key,
            denied=denied,
        )
    tier = m.Tier(symptom.tier.value)
    if symptom.emergency:
        action, said = Action.EMERGENCY, advice.emergency
    elif tier is m.Tier.SERIOUS:
        action, said = Action.CALL_NOW, advice.serious
    elif severity is m.Severity.SEVERE or says_severe(text):
        action, said = Action.TELL_DOCTOR, advice.common
    else:
        action, said = Action.WATCH, watch_advice(pack)
    return Triage(
        text=text,
        symptom_key=symptom.key,
        label=symptom.label,
        tier=tier,
        action=action,
        advice=said,
        pack=pack.key,
        injection_site=symptom.injection_site or mentions_injection_site(pack, text),
        affirmed=affirmed,
        denied=denied,
    )


_ACTION_RANK = {a: i for i, a in enumerate(reversed(Action))}


def triage_all(packs: Sequence[Pack], text: str, severity: m.Severity | None = None) -> Triage:
    """The most urgent triage across the packs of every active medicine (tier other without packs)."""
    results = [triage(pack, text, severity) for pack in packs]
    if not results:
        return Triage(text=text, tier=m.Tier.OTHER, action=Action.MENTION_IF_UNUSUAL, advice=GENERIC_OTHER_ADVICE)
    return max(results, key=lambda t: (_RANK[t.tier], _ACTION_RANK[t.action]))


def _symptom_of(packs: Sequence[Pack], symptom_key: str | None) -> tuple[Pack, Symptom] | None:
    for pack in packs:
        for symptom in pack.side_effects.symptoms:
            if symptom_key and symptom.key == symptom_key:
                return pack, symptom
    return None


def lingering_days(packs: Sequence[Pack], symptom_key: str | None) -> int:
    """Days after which a common side effect counts as one that does not go away."""
    found = _symptom_of(packs, symptom_key)
    if found is not None:
        return found[0].side_effects.lingering_days
    return packs[0].side_effects.lingering_days if packs else DEFAULT_LINGERING_DAYS


def advice_for_action(packs: Sequence[Pack], symptom_key: str | None, action: Action) -> str:
    """The pack's advice for a logged effect's current action (the pack that lists it, else the first)."""
    found = _symptom_of(packs, symptom_key)
    pack = found[0] if found else (packs[0] if packs else None)
    if pack is None:
        return GENERIC_OTHER_ADVICE if action is Action.MENTION_IF_UNUSUAL else ""
    said = pack.side_effects.advice
    return {
        Action.EMERGENCY: said.emergency,
        Action.CALL_NOW: said.serious,
        Action.TELL_DOCTOR: said.common,
        Action.WATCH: said.common,
        Action.MENTION_IF_UNUSUAL: said.other,
    }[action]


def current_action(effect: m.SideEffect, *, now: datetime, lingering: int, packs: Sequence[Pack] = ()) -> Action | None:
    """What a logged side effect asks for now; None once resolved or the doctor was contacted.

    With `packs`, a serious effect the pack marks as an emergency asks for emergency help.
    """
    if effect.resolved_at is not None or effect.deleted_at is not None or effect.doctor_contacted_at is not None:
        return None
    if effect.tier is m.Tier.SERIOUS:
        found = _symptom_of(packs, effect.symptom_key)
        return Action.EMERGENCY if found and found[1].emergency else Action.CALL_NOW
    if effect.tier is m.Tier.COMMON:
        lasting = now - effect.started_at >= timedelta(days=lingering)
        if effect.severity is m.Severity.SEVERE or lasting or says_severe(effect.symptom):
            return Action.TELL_DOCTOR
        return Action.WATCH
    return Action.MENTION_IF_UNUSUAL
