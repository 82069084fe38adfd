"""Patient phrasings from tests/data/triage_phrasings.csv give the tier and action listed beside them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from journal import models as m
from journal.care import triage
from journal.care.triage import Action
from journal.content import load_pack

TABLE = Path(__file__).resolve().parents[1] / "data" / "triage_phrasings.csv"
ANAKINRA = load_pack("anakinra")
EXPECTED = {
    "emergency": (m.Tier.SERIOUS, Action.EMERGENCY),
    "call-now": (m.Tier.SERIOUS, Action.CALL_NOW),
    "tell-doctor": (m.Tier.COMMON, Action.TELL_DOCTOR),
    "watch": (m.Tier.COMMON, Action.WATCH),
    "other": (m.Tier.OTHER, Action.MENTION_IF_UNUSUAL),
    "nothing": None,  # the text says nothing is wrong: not a side effect at all
}


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


ROWS = _rows()


def test_the_table_is_well_formed_and_holds_the_leaflets_phrases_and_at_least_80_more() -> None:
    assert all(set(row) == {"phrase", "expected", "why"} and row["expected"] in EXPECTED for row in ROWS)
    phrases = [row["phrase"] for row in ROWS]
    assert len(set(phrases)) == len(phrases)
    leaflet = [row for row in ROWS if row["why"].startswith(("leaflet:", "FDA label:"))]
    assert len(leaflet) >= 20 and len(ROWS) - len(leaflet) >= 80


@pytest.mark.parametrize("row", ROWS, ids=[row["phrase"] for row in ROWS])
def test_a_patient_phrasing_gets_the_tier_and_action_the_table_expects(row: dict[str, str]) -> None:
    nothing = triage.says_nothing_is_wrong([ANAKINRA], row["phrase"])
    assert nothing == (row["expected"] == "nothing"), f"{row['phrase']!r}: {row['why']}"
    if not nothing:
        result = triage.triage(ANAKINRA, row["phrase"])
        assert (result.tier, result.action) == EXPECTED[row["expected"]], f"{row['phrase']!r}: {row['why']}"
