"""The rules that protect a record hold on every write path: add, edit, delete, undo, restore of a deleted record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import models as m
from journal.application import corrections
from journal.errors import RecordError
from journal.store import Store
from journal.store.rules import RuleError, scan

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.memory()
    yield opened
    opened.close()


def _kineret(store: Store) -> m.Medication:
    return store.add(m.Medication(name="Kineret", pack="anakinra", tracked=True, usual_time="08:00"), now=NOW)


def _taken(store: Store, med: m.Medication, *, hours_ago: int = 2, **dose: object) -> tuple[m.SyringeCheck, m.Dose]:
    at = NOW - timedelta(hours=hours_ago)
    with store.transaction():
        check = store.add(m.SyringeCheck(medication_id=med.id, at=at, tz="UTC"), now=NOW)
        given = store.add(
            m.Dose(
                medication_id=med.id, at=at, tz="UTC", check_id=check.id, region="thigh-left", spot="thigh-left:A1"
            ).changed(**dose),
            now=NOW,
        )
    return check, given


@pytest.mark.parametrize("look", ["cloudy", "discolored", "particles"])
def test_a_syringe_that_looked_wrong_is_never_recorded_as_used(store: Store, look: str) -> None:
    med = _kineret(store)
    with pytest.raises(RuleError) as refused:
        store.add(m.SyringeCheck(medication_id=med.id, at=NOW, tz="UTC", appearance=m.Appearance(look)), now=NOW)
    assert refused.value.rule == "bad syringe never used"
    assert refused.value.field == "appearance"
    assert store.count(m.SyringeCheck) == 0


def test_editing_a_used_check_to_cloudy_is_refused_and_writes_nothing(store: Store) -> None:
    med = _kineret(store)
    check, _ = _taken(store, med)
    history = len(store.history(limit=100))
    with pytest.raises(RuleError, match="cloudy"):
        store.update(check, now=NOW, appearance=m.Appearance.CLOUDY)
    assert store.get(m.SyringeCheck, check.id).appearance is m.Appearance.CLEAR  # type: ignore[union-attr]
    assert len(store.history(limit=100)) == history


def test_a_discarded_check_linked_to_a_taken_dose_is_refused(store: Store) -> None:
    med = _kineret(store)
    check, given = _taken(store, med)
    with pytest.raises(RuleError, match=f"Dose {given.id[:8]} is linked to a syringe that was discarded"):
        store.update(check, now=NOW, outcome=m.CheckOutcome.DISCARDED)


def test_a_discarded_cloudy_check_cannot_be_edited_back_to_used(store: Store) -> None:
    med = _kineret(store)
    thrown = store.add(
        m.SyringeCheck(
            medication_id=med.id, at=NOW, tz="UTC", appearance=m.Appearance.CLOUDY, outcome=m.CheckOutcome.DISCARDED
        ),
        now=NOW,
    )
    with pytest.raises(RuleError, match="must not be injected"):
        store.update(thrown, now=NOW, outcome=m.CheckOutcome.USED)


def test_a_foamy_syringe_is_used_only_with_the_minutes_waited(store: Store) -> None:
    med = _kineret(store)
    foamy = m.SyringeCheck(medication_id=med.id, at=NOW, tz="UTC", appearance=m.Appearance.FOAMY)
    with pytest.raises(RuleError) as refused:
        store.add(foamy, now=NOW)
    assert refused.value.field == "waited_minutes"
    assert store.add(foamy.changed(waited_minutes=5), now=NOW).waited_minutes == 5


@pytest.mark.parametrize(
    ("changes", "rule", "field"),
    [
        ({"spot": "thigh-left:Z9"}, "spot in its region", "spot"),
        ({"region": "elbow", "spot": None}, "spot in its region", "region"),
        ({"spot": "arm-left:A1"}, "spot in its region", "spot"),
        ({"region": "buttock-left", "spot": "buttock-left:A1"}, "region for who injects", "given_by"),
    ],
)
def test_a_dose_site_must_be_a_spot_of_its_region_open_to_who_injects(
    store: Store, changes: dict[str, object], rule: str, field: str
) -> None:
    med = _kineret(store)
    _, given = _taken(store, med)
    with pytest.raises(RuleError) as refused:
        store.update(given, now=NOW, **changes)
    assert (refused.value.rule, refused.value.field) == (rule, field)


def test_someone_else_may_use_the_regions_kept_for_them(store: Store) -> None:
    med = _kineret(store)
    _, given = _taken(store, med)
    moved = store.update(given, now=NOW, region="buttock-left", spot="buttock-left:A1", given_by=m.GivenBy.OTHER)
    assert moved.spot == "buttock-left:A1"


def test_a_check_in_use_cannot_be_deleted_but_its_dose_first_then_it_can(store: Store) -> None:
    med = _kineret(store)
    check, given = _taken(store, med)
    with pytest.raises(RuleError, match="delete the dose first"):
        store.delete(check, now=NOW)
    store.delete(given, now=NOW)
    store.delete(check, now=NOW)
    with pytest.raises(RuleError, match="deleted"):
        store.restore(given, now=NOW)


def test_a_skipped_dose_has_no_syringe_and_one_syringe_makes_one_dose(store: Store) -> None:
    med = _kineret(store)
    check, given = _taken(store, med)
    with pytest.raises(RuleError, match="skipped"):
        store.update(given, now=NOW, status=m.DoseStatus.SKIPPED, region=None, spot=None)
    second = m.Dose(medication_id=med.id, at=NOW - timedelta(hours=1), tz="UTC", check_id=check.id)
    with pytest.raises(RuleError, match="Another dose is already linked"):
        store.add(second, now=NOW)


def _field_rule_cases(med_id: str) -> list[tuple[m.Record, dict[str, object], str, str]]:
    """(a valid record, the change that breaks a rule across its fields, the words, the field named)."""
    day, at = date(2026, 11, 1), NOW - timedelta(days=1)
    return [
        (
            m.Medication(name="Vitamin D", started=day),
            {"stopped": day - timedelta(days=1)},
            "before the start",
            "stopped",
        ),
        (
            m.Schedule(medication_id=med_id, spec="daily at 08:00", starts=day),
            {"ends": date(2026, 10, 1)},
            "cannot end",
            "ends",
        ),
        (
            m.SupplyBox(medication_id=med_id, count=7, received=day),
            {"discard_reason": "dropped"},
            "not when",
            "discarded_at",
        ),
        (
            m.SupplyBox(medication_id=med_id, count=7, received=day),
            {"discarded_at": datetime(2026, 9, 1, tzinfo=UTC)},
            "before it was received",
            "discarded_at",
        ),
        (
            m.Dose(medication_id=med_id, at=at, tz="UTC", status=m.DoseStatus.SKIPPED),
            {"region": "thigh-left"},
            "no injection site",
            "spot",
        ),
        (
            m.SideEffect(symptom="rash", started_at=at, tz="UTC"),
            {"resolved_at": at - timedelta(hours=1)},
            "resolved before it started",
            "resolved_at",
        ),
        (m.Checkin(at=at, tz="UTC", pain=3), {"pain": None}, "needs a pain", "pain"),
        (
            m.LabResult(test="ALT", value=30, at=at, tz="UTC", range_low=5),
            {"range_high": 1},
            "low end is above",
            "range_low",
        ),
    ]


def test_rules_across_a_records_own_fields_hold_on_add_and_edit_and_write_nothing(store: Store) -> None:
    med = store.add(m.Medication(name="Folic acid"), now=NOW)
    for good, change, words, field in _field_rule_cases(med.id):
        bad = good.changed(**change)  # a record whose fields contradict each other can be made...
        with pytest.raises(RuleError, match=words) as refused:
            store.add(bad, now=NOW)  # ...but never stored
        assert refused.value.field == field and store.get(type(bad), bad.id) is None
        kept = store.add(good, now=NOW)
        with pytest.raises(RuleError, match=words):
            store.update(kept, now=NOW, **change)
        assert store.get(type(kept), kept.id) == kept


def test_dates_outside_1900_2100_are_refused(store: Store) -> None:
    with pytest.raises(RuleError, match="1900-2100"):
        store.add(m.Checkin(at=datetime(226, 11, 20, 8, tzinfo=UTC), tz="UTC", pain=3), now=NOW)


def test_undo_takes_back_a_dose_and_its_syringe_check_together(store: Store) -> None:
    med = _kineret(store)
    check, given = _taken(store, med)
    changes = corrections.last_write(store)
    assert [(c.entry.action, c.entry.row_id) for c in changes] == [("insert", check.id), ("insert", given.id)]
    corrections.undo(store, changes, now=NOW)
    assert store.get(m.Dose, given.id) is None and store.get(m.SyringeCheck, check.id) is None
    # The undo is itself a write: undoing it brings both back.
    corrections.undo(store, corrections.last_write(store), now=NOW)
    assert store.get(m.Dose, given.id) is not None and store.get(m.SyringeCheck, check.id) is not None


def test_undo_of_an_edit_restores_every_field(store: Store) -> None:
    med = _kineret(store)
    _, given = _taken(store, med)
    corrections.edit(store, given, {"spot": "thigh-right:B2", "note": "moved"}, now=NOW, zone="UTC")
    corrections.undo(store, corrections.last_write(store), now=NOW)
    back = store.get(m.Dose, given.id)
    assert back is not None and (back.region, back.spot, back.note) == ("thigh-left", "thigh-left:A1", None)


def test_scan_names_a_crafted_violation_written_around_the_store(store: Store) -> None:
    med = _kineret(store)
    check, given = _taken(store, med)
    assert scan(store, now=NOW) == []
    store.db.conn.execute("UPDATE syringe_checks SET appearance = 'particles' WHERE id = ?", [check.id])
    store.db.conn.execute("UPDATE doses SET spot = 'elbow:Z9' WHERE id = ?", [given.id])
    found = {(v.table, v.record_id, v.rule) for v in scan(store, now=NOW)}
    assert ("syringe_checks", check.id, "bad syringe never used") in found
    assert ("doses", given.id, "bad syringe never used") in found
    assert ("doses", given.id, "spot in its region") in found


def test_scan_names_a_row_it_cannot_read_by_its_field_and_reads_the_rest(store: Store) -> None:
    med = _kineret(store)
    _, given = _taken(store, med)
    store.db.conn.execute("UPDATE doses SET at = '226-11-20T08:00:00Z' WHERE id = ?", [given.id])
    found = scan(Store(store.db, store.path), now=NOW)  # a fresh store, as `check` and `restore` open
    assert [(v.table, v.record_id, v.rule, v.field) for v in found] == [("doses", given.id, "readable values", "at")]
    assert "'226-11-20T08:00:00Z'" in found[0].message


def test_no_syringe_comes_from_a_box_thrown_away_or_expired_before_it(store: Store) -> None:
    med = _kineret(store)
    box = store.add(m.SupplyBox(medication_id=med.id, received=date(2026, 11, 1), count=7, expires=date(2027, 1, 1)))
    check = store.add(m.SyringeCheck(medication_id=med.id, at=NOW - timedelta(days=2), tz="UTC", box_id=box.id))
    # Thrown away before the syringe was taken from it: refused at the box's edit, and nothing written.
    with pytest.raises(RuleError, match="thrown away") as refused:
        store.update(box, now=NOW, discarded_at=NOW - timedelta(days=3))
    assert refused.value.rule == "syringe from a usable box"
    assert store.get(m.SupplyBox, box.id).discarded_at is None  # type: ignore[union-attr]
    gone = store.update(box, now=NOW, discarded_at=NOW - timedelta(days=1))
    with pytest.raises(RuleError, match="thrown away"):
        store.add(m.SyringeCheck(medication_id=med.id, at=NOW - timedelta(hours=1), tz="UTC", box_id=gone.id))
    # An expiry date moved before the syringe's day is refused the same way.
    with pytest.raises(RuleError, match="had expired"):
        store.update(gone, now=NOW, expires=date(2026, 11, 10))
    assert scan(store, now=NOW) == [] and check.box_id == box.id


# --- random edits at the store: the invariants hold after every one --------------------------

_EDITS = st.one_of(
    st.tuples(st.just("check"), st.sampled_from(["appearance"]), st.sampled_from(list(m.Appearance))),
    st.tuples(st.just("check"), st.sampled_from(["outcome"]), st.sampled_from(list(m.CheckOutcome))),
    st.tuples(st.just("check"), st.sampled_from(["waited_minutes"]), st.sampled_from([None, 0, 5])),
    st.tuples(st.just("dose"), st.sampled_from(["status"]), st.sampled_from(list(m.DoseStatus))),
    st.tuples(st.just("dose"), st.sampled_from(["given_by"]), st.sampled_from(list(m.GivenBy))),
    st.tuples(
        st.just("dose"),
        st.sampled_from(["spot"]),
        st.sampled_from([None, "thigh-left:A1", "thigh-left:Z9", "buttock-right:B1", "arm-left:A2", "nowhere:A1"]),
    ),
    st.tuples(st.just("dose"), st.sampled_from(["region"]), st.sampled_from([None, "thigh-left", "elbow", "arm-left"])),
    st.tuples(st.sampled_from(["check", "dose"]), st.just("deleted"), st.booleans()),
    st.tuples(st.just("undo"), st.just(""), st.none()),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_EDITS, min_size=1, max_size=12))
def test_random_edits_never_leave_a_record_that_breaks_a_rule(edits: list[tuple[str, str, object]]) -> None:
    with Store.memory() as fresh:
        med = _kineret(fresh)
        check, given = _taken(fresh, med)
        ids = {"check": (m.SyringeCheck, check.id), "dose": (m.Dose, given.id)}
        for target, name, value in edits:
            try:
                if target == "undo":
                    corrections.undo(fresh, corrections.last_write(fresh), now=NOW)
                    continue
                cls, record_id = ids[target]
                record = fresh.get(cls, record_id, include_deleted=True)
                assert record is not None
                if name == "deleted":
                    fresh.update(record, now=NOW, deleted_at=NOW if value else None)
                else:
                    fresh.update(record, now=NOW, **{name: value})
            except RecordError:
                pass  # refused: RuleError or a bad value, and nothing was written
            assert scan(fresh, now=NOW) == []
