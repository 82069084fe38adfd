"""Property tests of the models: every valid record survives `row()` -> SQLite -> `from_row` unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import models as m
from journal.errors import RecordError
from journal.store import Store

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

# Any printable or control character SQLite can store (lone surrogates cannot be UTF-8).
chars = st.characters(exclude_categories=["Cs"])
names = st.text(chars, min_size=1, max_size=m.NAME_MAX).filter(lambda s: s.strip())
texts = st.none() | st.text(chars, max_size=400)
short = st.none() | st.text(chars, max_size=m.NAME_MAX)
zones = st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"])
past = st.datetimes(min_value=datetime(2000, 1, 1), max_value=NOW.replace(tzinfo=None), timezones=st.just(UTC)).map(
    lambda d: d.replace(microsecond=0)
)
days = st.dates(min_value=date(1990, 1, 1), max_value=NOW.date())
hhmm = st.none() | st.builds(lambda h, mi: f"{h:02d}:{mi:02d}", st.integers(0, 23), st.integers(0, 59))
scores = st.none() | st.integers(0, 10)


@st.composite
def medications(draw: st.DrawFn) -> dict[str, Any]:
    started = draw(st.none() | days)
    stopped = draw(st.none() | st.dates(min_value=started or date(1990, 1, 1), max_value=NOW.date()))
    return {
        "name": draw(names),
        "generic": draw(short),
        "brand": draw(short),
        "kind": draw(st.sampled_from(list(m.MedKind))),
        "strength": draw(short),
        "directions": draw(texts),
        "reason": draw(texts),
        "started": started,
        "stopped": stopped,
        "tracked": draw(st.booleans()),
        "usual_time": draw(hhmm),
        "note": draw(texts),
    }


@st.composite
def doses(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(list(m.DoseStatus)))
    taken = status is m.DoseStatus.TAKEN
    return {
        "medication_id": m.new_id(),
        "at": draw(past),
        "tz": draw(zones),
        "status": status,
        "region": draw(short) if taken else None,
        "spot": draw(short) if taken else None,
        "given_by": draw(st.sampled_from(list(m.GivenBy))),
        "leftover": draw(st.booleans()),
        "reason": draw(texts),
        "note": draw(texts),
    }


@st.composite
def side_effects(draw: st.DrawFn) -> dict[str, Any]:
    started = draw(past)
    resolved = draw(st.none() | st.just(started + timedelta(hours=draw(st.integers(0, 500)))))
    return {
        "symptom": draw(names),
        "tier": draw(st.sampled_from(list(m.Tier))),
        "severity": draw(st.none() | st.sampled_from(list(m.Severity))),
        "started_at": started,
        "tz": draw(zones),
        "resolved_at": resolved,
        "note": draw(texts),
    }


@st.composite
def checkins(draw: st.DrawFn) -> dict[str, Any]:
    data = {
        "at": draw(past),
        "tz": draw(zones),
        "pain": draw(scores),
        "swelling": draw(scores),
        "stiffness_minutes": draw(st.none() | st.integers(0, 1440)),
        "note": draw(texts),
    }
    if data["pain"] is None and data["swelling"] is None and data["stiffness_minutes"] is None:
        data["pain"] = draw(st.integers(0, 10))
    return data


RECORDS = st.one_of(
    medications().map(lambda d: (m.Medication, d)),
    doses().map(lambda d: (m.Dose, d)),
    side_effects().map(lambda d: (m.SideEffect, d)),
    checkins().map(lambda d: (m.Checkin, d)),
    st.builds(lambda s, r, n: (m.Allergy, {"substance": s, "reaction": r, "note": n}), names, texts, texts),
    st.builds(lambda n, d: (m.Condition, {"name": n, "since": d}), names, st.none() | days),
    st.builds(
        lambda at, tz, k, w, p, s: (
            m.Appointment,
            {"at": at, "tz": tz, "kind": k, "with_whom": w, "purpose": p, "status": s},
        ),
        past,
        zones,
        st.sampled_from(list(m.ApptKind)),
        short,
        texts,
        st.sampled_from(list(m.ApptStatus)),
    ),
    st.builds(lambda t, a: (m.Question, {"text": t, "answer": a}), names, texts),
    st.builds(
        lambda n, b, c, d: (m.Profile, {"name": n, "born": b, "emergency_contact": c, "doctor": d}),
        short,
        st.none() | days,
        texts,
        texts,
    ),
    st.builds(
        lambda r, c, lot, e: (
            m.SupplyBox,
            {"medication_id": m.new_id(), "received": r, "count": c, "lot": lot, "expires": e},
        ),
        days,
        st.integers(1, 1000),
        short,
        st.none() | days,
    ),
)


@cache
def _store() -> Store:
    # One in-memory journal for every example; foreign keys off so records can stand alone.
    store = Store.memory()
    store.db.conn.execute("PRAGMA foreign_keys = OFF")
    return store


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_a_valid_record_round_trips_through_row_and_sqlite(
    kind_and_data: tuple[type[m.Record], dict[str, Any]],
) -> None:
    cls, data = kind_and_data
    record = cls.validate(data, now=NOW)
    row = record.row()
    assert all(v is None or isinstance(v, str | int | float | bool) for v in row.values())
    assert cls.from_row(row) == record

    store = _store()
    if cls is m.Medication:
        # One entry per medicine: the examples before this one are not on the list any more.
        store.db.conn.execute("DELETE FROM medications")
    store.add(record)
    assert store.get(cls, record.id) == record
    # Validating what was read must not change it: the row is a fixed point.
    assert cls.from_row(store.get(cls, record.id).row()).row() == row  # type: ignore[union-attr]


@settings(max_examples=150, deadline=None)
@given(name=names, pad=st.text(" \t\n", max_size=5))
def test_names_are_kept_as_typed_apart_from_outer_blanks(name: str, pad: str) -> None:
    med = m.Medication(name=pad + name + pad)
    assert med.name == name.strip()
    assert m.Medication.from_row(med.row()).name == name.strip()


@settings(max_examples=150, deadline=None)
@given(pain=st.integers().filter(lambda n: not 0 <= n <= 10))
def test_a_pain_score_outside_0_to_10_is_refused_in_one_sentence(pain: int) -> None:
    with pytest.raises(RecordError) as caught:
        m.Checkin(pain=pain, at=NOW, tz="UTC")
    sentence = caught.value.message
    assert sentence.startswith("Pain ") and sentence.endswith(".") and "\n" not in sentence


@settings(max_examples=150, deadline=None)
@given(severity=st.text(max_size=20).filter(lambda s: s not in {v.value for v in m.Severity}))
def test_a_severity_other_than_mild_moderate_severe_is_refused_in_one_sentence(severity: str) -> None:
    with pytest.raises(RecordError) as caught:
        m.SideEffect(symptom="rash", severity=cast(m.Severity, severity), started_at=NOW, tz="UTC")
    sentence = caught.value.message
    assert sentence.startswith("Severity ") and sentence.endswith(".") and "\n" not in sentence


@settings(max_examples=100, deadline=None)
@given(ahead=st.integers(min_value=6, max_value=60 * 24 * 365))
def test_a_dose_in_the_future_is_refused_but_reading_it_back_is_not(ahead: int) -> None:
    later = NOW + timedelta(minutes=ahead)
    try:
        m.Dose.validate({"medication_id": "x", "at": later, "tz": "UTC"}, now=NOW)
    except RecordError as exc:
        assert "future" in exc.message
    else:
        raise AssertionError("a dose in the future was accepted")
    # A record already in the journal (say, written on a machine whose clock ran ahead) still loads.
    loaded = m.Dose.from_row({"medication_id": "x", "at": later.strftime("%Y-%m-%dT%H:%M:%SZ"), "tz": "UTC"})
    assert loaded.at == later
