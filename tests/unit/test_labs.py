"""Lab results: typed values and ranges, the record's rules, the store's reads and history, the summary's trend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from journal import models as m
from journal.care.labs import by_test, parse_range, parse_value, range_text, trend
from journal.errors import RecordError
from journal.store import Store
from journal.summary.build import build_visit_summary

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


def _lab(test: str, value: float, days_ago: int, unit: str | None = "10*9/L", **fields: object) -> m.LabResult:
    at = NOW - timedelta(days=days_ago)
    return m.LabResult.validate(
        {
            "test": test,
            "value": value,
            "unit": unit,
            "at": at,
            "tz": "UTC",
            "created_at": at,
            "updated_at": at,
            **fields,
        },
        now=NOW,
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3.5-5.0", (3.5, 5.0)), ("3,5 – 5", (3.5, 5.0)), ("2 to 7.5", (2.0, 7.5)), ("<5", (None, 5.0)),
     ("≥ 1.5", (1.5, None)), ("-1-3", (-1.0, 3.0))],
)  # fmt: skip
def test_the_range_forms_people_type_are_read(typed: str, expected: tuple[float | None, float | None]) -> None:
    assert parse_range(typed) == expected


@pytest.mark.parametrize("typed", ["normal", "5-3", "1-", "", "3.5 5.0", "<"])
def test_an_unknown_range_form_is_refused_with_one_sentence(typed: str) -> None:
    with pytest.raises(RecordError) as raised:
        parse_range(typed)
    assert raised.value.message.count(".") >= 1 and "\n" not in raised.value.message


@pytest.mark.parametrize("typed", ["abc", "nan", "inf", "1e400", "4.5 mg", "", "1,2,3"])
def test_a_value_that_is_not_a_plain_number_is_refused(typed: str) -> None:
    with pytest.raises(RecordError, match="not a number"):
        parse_value(typed)


def test_decimal_commas_and_signs_are_numbers() -> None:
    assert [parse_value(t) for t in ("4,5", "-1", "+2.25", ".5")] == [4.5, -1.0, 2.25, 0.5]
    assert range_text(3.5, 5.0) == "3.5-5" and range_text(None, 5.0) == "< 5" and range_text(None, None) == ""


def test_the_journal_refuses_a_backwards_range_and_the_record_a_non_finite_value(store: Store) -> None:
    with pytest.raises(RecordError, match="low end is above") as refused:
        store.add(_lab("ALT", 30, 1, range_low=50, range_high=10), now=NOW)
    assert refused.value.field == "range_low" and store.all(m.LabResult) == []
    with pytest.raises(RecordError, match="finite"):
        _lab("ALT", float("nan"), 1)
    assert _lab("Neutrophils", 1.8, 1, range_low=2.0, range_high=7.5).out_of_range == "low"
    assert _lab("ALT", 80, 1, unit="U/L", range_high=45).out_of_range == "high"


def test_adding_a_result_writes_its_history_and_the_test_name_matches_in_any_case(store: Store) -> None:
    added = store.add(_lab("Нейтрофилы", 2.1, 3))
    store.add(_lab("ALT", 30, 2, unit="U/L"))
    assert [r.id for r in store.lab_results(test="нейтрофилы")] == [added.id]
    entry = next(h for h in store.history(limit=10) if h.row_id == added.id)
    assert (
        entry.table_name == "lab_results"
        and entry.action == "insert"
        and entry.after is not None
        and entry.after["value"] == 2.1
    )
    store.delete(added)
    assert store.lab_results(test="НЕЙТРОФИЛЫ") == []


def test_trend_compares_the_latest_with_the_one_before_in_the_same_unit() -> None:
    rising = [_lab("N", 1.8, 30), _lab("N", 2.4, 1)]
    assert trend(rising) == "rising" and trend(rising[:1]) is None
    assert trend([_lab("N", 2.4, 30), _lab("N", 1.1, 1)]) == "falling"
    assert trend([_lab("N", 2.0, 30), _lab("N", 2.0, 1)]) == "unchanged"
    assert trend([_lab("N", 2.0, 30, unit="G/L"), _lab("N", 2000, 1, unit="10*6/L")]) is None
    groups = by_test([_lab("ALT", 1, 3), _lab("alt ", 2, 2), _lab("N", 3, 1)])
    assert [len(g) for g in groups.values()] == [2, 1]


def test_the_summary_shows_each_tests_latest_value_and_trend(store: Store) -> None:
    store.add(_lab("Neutrophils", 1.8, 200, range_low=2.0, range_high=7.5))  # before the 90-day period
    store.add(_lab("neutrophils", 2.6, 10, range_low=2.0, range_high=7.5))
    store.add(_lab("ALT", 52, 400, unit="U/L", range_high=45))
    summary = build_visit_summary(store, now=NOW, zone="UTC")
    by_name = {lab.test.casefold(): lab for lab in summary.labs}
    neutrophils, alt = by_name["neutrophils"], by_name["alt"]
    assert (neutrophils.value, neutrophils.previous_value, neutrophils.trend) == (2.6, 1.8, "rising")
    assert neutrophils.in_period == 1 and neutrophils.out_of_range is None
    assert (alt.value, alt.out_of_range, alt.trend, alt.in_period) == (52, "high", None, 0)
    # The period's results and each test's latest, even an old one, go to the formats carrying records.
    assert sorted(r.value for r in summary.records.lab_results) == [2.6, 52]
