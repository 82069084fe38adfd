"""The journal states the anakinra leaflet's facts in its own words, never in the leaflet's sentences.

The leaflet (MedlinePlus, see ../shared/reference/README.md) is licensed content: the journal may
use its facts, not its wording. The measure: of the leaflet's runs of 8 words in a row (lower-case,
apostrophes dropped), how many stand word for word anywhere in content/ or journal/. Above 8% fails.

Symptom names may stay as the leaflet names them ("hot, red, swollen area on the skin"): the
`label` and `synonyms` of each `[[side_effects.symptoms]]` in a pack are left out of the count.

The repository does not carry the leaflet's text: tests/data/leaflet_runs.txt holds one short hash
per run, in the leaflet's order (duplicates kept), so the share is computed here without it. When the
leaflet is beside the repository (../shared/reference/anakinra-leaflet.txt), a second test checks
that the hashes are those of its current text; regenerate them with
`python tests/unit/test_own_words.py PATH/TO/anakinra-leaflet.txt > tests/data/leaflet_runs.txt`.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNS_FILE = REPO / "tests" / "data" / "leaflet_runs.txt"
LEAFLET = Path(os.environ.get("MEDJOURNAL_LEAFLET", REPO.parent / "shared" / "reference" / "anakinra-leaflet.txt"))
RUN = 8
LIMIT = 0.08  # issue 29: no more than 8% of the leaflet's 8-word runs
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes dropped ("manufacturer's" -> "manufacturers")."""
    return _WORD.findall(text.lower().replace("\u2019", "").replace("'", ""))


def run_hash(run: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:16]


def leaflet_hashes(text: str) -> list[str]:
    w = words(text)
    return [run_hash(tuple(w[i : i + RUN])) for i in range(len(w) - RUN + 1)]


def _symptom_names(pack_toml: Path) -> list[str]:
    """Every symptom label and synonym the pack declares (the leaflet's names may stay as they are)."""
    data = tomllib.loads(pack_toml.read_text(encoding="utf-8"))
    names: list[str] = []
    for symptom in data.get("side_effects", {}).get("symptoms", []):
        names.append(symptom["label"])
        names.extend(symptom.get("synonyms", []))
    return names


def _pieces_without(text: str, names: list[str], where: Path) -> list[str]:
    """The file's text cut at each quoted symptom name, so no run reaches across one."""
    literals = []
    for name in names:
        quoted = [q for q in (f'"{name}"', f"'{name}'") if q in text]
        assert quoted, f"{where}: cannot find the symptom name {name!r} as a TOML string"
        literals.extend(quoted)
    if not literals:
        return [text]
    pattern = "|".join(re.escape(q) for q in sorted(set(literals), key=len, reverse=True))
    return re.split(pattern, text)


def corpus() -> Iterator[tuple[str, list[str]]]:
    """(path, words) for each stretch of text in content/ and journal/ that the count covers."""
    for root in ("content", "journal"):
        for path in sorted((REPO / root).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # fonts and other binaries
            if "\0" in text:
                continue
            name = str(path.relative_to(REPO))
            pieces = [text]
            if path.name == "pack.toml" and path.parent.parent.name == "content":
                pieces = _pieces_without(text, _symptom_names(path), path)
            for piece in pieces:
                yield name, words(piece)


def measure() -> tuple[float, Counter[str], dict[str, list[str]]]:
    """The share of the leaflet's runs found in the corpus, the runs found per file, and their words."""
    hashes = RUNS_FILE.read_text(encoding="ascii").split()
    wanted = set(hashes)
    found: dict[str, set[str]] = {}
    shown: dict[str, list[str]] = {}
    for name, w in corpus():
        for i in range(len(w) - RUN + 1):
            run = tuple(w[i : i + RUN])
            h = run_hash(run)
            if h in wanted:
                if h not in found.get(name, set()):
                    shown.setdefault(name, []).append(" ".join(run))
                found.setdefault(name, set()).add(h)
    anywhere = set().union(*found.values()) if found else set()
    share = sum(1 for h in hashes if h in anywhere) / len(hashes)
    per_file = Counter({name: len(hs) for name, hs in found.items()})
    return share, per_file, shown


def test_the_run_hashes_are_those_of_the_leaflet() -> None:
    if not LEAFLET.is_file():
        pytest.skip(f"the leaflet is not at {LEAFLET} (set MEDJOURNAL_LEAFLET)")
    stored = RUNS_FILE.read_text(encoding="ascii").split()
    assert stored == leaflet_hashes(LEAFLET.read_text(encoding="utf-8")), (
        f"tests/data/leaflet_runs.txt is stale: regenerate it from {LEAFLET} (see this file's docstring)"
    )


def test_the_measure_finds_a_run_and_ignores_symptom_names(tmp_path: Path) -> None:
    hashes = set(RUNS_FILE.read_text(encoding="ascii").split())
    assert run_hash(tuple(words("Tell your doctor if any of these symptoms"))) in hashes
    assert run_hash(tuple(words("Tell your doctor if any of THOSE symptoms"))) not in hashes
    assert words("Manufacturer\u2019s info, 2.5 cm") == ["manufacturers", "info", "2", "5", "cm"]
    pack = tmp_path / "pack.toml"
    pack.write_text(
        '[[side_effects.symptoms]]\nlabel = "Hot, red, swollen area on the skin"\n'
        'synonyms = ["fever, sore throat, chills, and other signs of infection"]\n'
        'advice = "one two three four five six seven eight"\n',
        encoding="utf-8",
    )
    pieces = _pieces_without(pack.read_text(encoding="utf-8"), _symptom_names(pack), pack)
    kept = " ".join(pieces)
    assert "swollen" not in kept and "chills" not in kept and "one two three" in kept


def test_no_more_than_8_percent_of_the_leaflets_8_word_runs_stand_in_our_text() -> None:
    share, per_file, shown = measure()
    print(f"leaflet runs found word for word: {share:.1%} (limit {LIMIT:.0%})")
    for name, count in per_file.most_common(10):
        print(f"  {count:4d}  {name}")
        for run in shown[name][:5]:
            print(f"          {run}")
    worst = ", ".join(f"{name} ({count})" for name, count in per_file.most_common(5))
    assert share <= LIMIT, f"{share:.1%} of the leaflet's 8-word runs are ours word for word; worst: {worst}"


if __name__ == "__main__":
    # python tests/unit/test_own_words.py PATH/TO/anakinra-leaflet.txt > tests/data/leaflet_runs.txt
    print("\n".join(leaflet_hashes(Path(sys.argv[1]).read_text(encoding="utf-8"))))
