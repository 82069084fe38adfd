"""The demo journal: reproducible for a seed, realistic, written through the store, refused on a used journal."""

from __future__ import annotations

import itertools
import statistics
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from journal import models as m
from journal.content import load_pack, parse_spot_id
from journal.demo import generate
from journal.errors import JournalError
from journal.store import Store

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ZONE = "Europe/Paris"


def _rows(store: Store) -> dict[str, list[dict[str, object]]]:
    return {cls.table: [r.row() for r in store.all(cls, include_deleted=True)] for cls in m.RECORD_TYPES}


@pytest.fixture(scope="module")
def year() -> Store:
    """One year of demo history, shared read-only by the realism tests."""
    store = Store.memory()
    generate(store, years=1, seed=7, now=NOW, zone=ZONE)
    return store


def test_same_seed_gives_the_same_journal() -> None:
    a, b, c = Store.memory(), Store.memory(), Store.memory()
    generate(a, days=90, seed=3, now=NOW, zone=ZONE)
    generate(b, days=90, seed=3, now=NOW, zone=ZONE)
    generate(c, days=90, seed=4, now=NOW, zone=ZONE)
    assert _rows(a) == _rows(b)
    assert _rows(a)["doses"] != _rows(c)["doses"]


def test_refuses_a_journal_that_holds_records() -> None:
    store = Store.memory()
    store.add(m.Allergy(substance="Latex"))
    before = len(store.history(limit=1000))
    with pytest.raises(JournalError, match="already holds records"):
        generate(store, days=30, now=NOW)
    assert len(store.history(limit=1000)) == before
    assert store.count(m.Dose) == 0


def test_every_record_has_its_history_row(year: Store) -> None:
    records = sum(len(year.all(cls, include_deleted=True)) for cls in m.RECORD_TYPES)
    inserts = year._rows("SELECT count(*) AS n FROM history WHERE action = 'insert'")[0]["n"]
    assert inserts == records
    assert year.history(limit=5)[0].table_name in m.BY_TABLE


def test_nothing_is_dated_after_now_except_planned_appointments(year: Store) -> None:
    for cls in m.RECORD_TYPES:
        for record in year.all(cls, include_deleted=True):
            assert record.created_at <= NOW, record
    assert all(d.at <= NOW for d in year.all(m.Dose))
    future = [a for a in year.all(m.Appointment) if a.at > NOW]
    assert future and all(a.status is m.ApptStatus.PLANNED for a in future)


def test_one_dose_a_day_mostly_on_time_with_a_few_skips_and_late_ones(year: Store) -> None:
    med = year.tracked_medications()[0]
    assert med.name == "Anakinra" and med.pack == "anakinra" and med.usual_time == "08:00"
    doses = year.doses(med.id)
    days = [m.local_day(d.at, d.tz) for d in doses]
    assert len(days) == len(set(days)) >= 360
    taken = [d for d in doses if d.status is m.DoseStatus.TAKEN]
    skipped = [d for d in doses if d.status is m.DoseStatus.SKIPPED]
    assert 1 <= len(skipped) <= len(doses) * 0.05 and all(d.reason for d in skipped)
    minutes = [(lambda t: t.hour * 60 + t.minute - 8 * 60)(d.at.astimezone(ZoneInfo(d.tz))) for d in taken]
    assert abs(statistics.median(minutes)) <= 15
    late = [x for x in minutes if x >= 120]
    assert 1 <= len(late) <= len(taken) * 0.1


def test_sites_rotate_over_the_packs_regions(year: Store) -> None:
    pack = load_pack("anakinra")
    self_regions = {r.key for r in pack.sites.self_regions()}
    all_regions = {r.key for r in pack.sites.regions}
    anakinra = year.find_medication("anakinra")
    assert anakinra is not None
    taken = [d for d in year.doses(anakinra.id) if d.status is m.DoseStatus.TAKEN]
    own = [d for d in taken if d.given_by is m.GivenBy.SELF]
    for dose in taken:
        assert dose.spot is not None and dose.region is not None
        region, _, _ = parse_spot_id(dose.spot)
        assert region == dose.region and region in all_regions
    assert {d.region for d in own} <= self_regions
    assert all(a.spot != b.spot for a, b in itertools.pairwise(own))
    assert len({d.spot for d in own}) >= 10
    assert any(d.given_by is m.GivenBy.OTHER for d in taken)


def test_syringes_come_from_boxes_and_some_are_discarded(year: Store) -> None:
    med = year.tracked_medications()[0]
    checks = {c.id: c for c in year.all(m.SyringeCheck)}
    boxes = {b.id: b for b in year.boxes(med.id)}
    assert boxes and all(b.lot and b.expires and b.expires > b.received and b.count == 7 for b in boxes.values())
    for dose in year.doses(med.id):
        if dose.status is m.DoseStatus.TAKEN:
            check = checks[dose.check_id or ""]
            assert check.outcome is m.CheckOutcome.USED and check.box_id in boxes
    discarded = [c for c in checks.values() if c.outcome is m.CheckOutcome.DISCARDED]
    assert discarded and all(c.reason and c.appearance is not m.Appearance.CLEAR for c in discarded)
    used = year.syringes_used(med.id)
    assert used.get("used", 0) + used.get("discarded", 0) <= 7 * len(boxes)


def test_side_effects_common_ones_and_one_serious(year: Store) -> None:
    effects = year.all(m.SideEffect)
    pack = load_pack("anakinra")
    serious = [e for e in effects if e.tier is m.Tier.SERIOUS]
    assert len(serious) == 1 and serious[0].doctor_contacted_at is not None
    common = [e for e in effects if e.tier is m.Tier.COMMON]
    assert len(common) >= 3
    for effect in effects:
        assert effect.symptom_key is not None
        assert pack.symptom(effect.symptom_key).tier.value == effect.tier.value
    assert year.open_side_effects()


def test_medicine_list_allergies_and_an_interacting_medicine(year: Store) -> None:
    pack = load_pack("anakinra")
    meds = year.medications(include_stopped=True)
    kinds = {med.kind for med in meds}
    assert {m.MedKind.PRESCRIPTION, m.MedKind.OTC, m.MedKind.VITAMIN, m.MedKind.SUPPLEMENT} <= kinds
    today = date(2026, 12, 1)
    assert any(pack.find_interaction(med.name) for med in meds if med.active_on(today))
    assert any(not med.active_on(today) for med in meds)
    assert len(year.all(m.Allergy)) >= 1 and len(year.all(m.Condition)) >= 1
    assert year.profile() is not None


def test_appointments_and_labs_past_and_upcoming(year: Store) -> None:
    appts = year.all(m.Appointment)
    past = [a for a in appts if a.at <= NOW]
    upcoming = [a for a in appts if a.at > NOW]
    assert {m.ApptKind.DOCTOR, m.ApptKind.LAB} <= {a.kind for a in past}
    assert {m.ApptKind.DOCTOR, m.ApptKind.LAB} <= {a.kind for a in upcoming}
    assert all(a.status is m.ApptStatus.DONE for a in past)
    assert year.last_visit() is not None


def test_checkins_improve_over_the_first_weeks(year: Store) -> None:
    checkins = year.all(m.Checkin, order_by="at")
    first = checkins[0].at
    early = [c.pain for c in checkins if c.at < first + timedelta(days=7) and c.pain is not None]
    later = [c.pain for c in checkins if first + timedelta(days=70) <= c.at < first + timedelta(days=120)]
    assert statistics.mean(early) >= statistics.mean(x for x in later if x is not None) + 3


def test_questions_answered_and_open(year: Store) -> None:
    questions = year.all(m.Question)
    assert any(q.answer and q.appointment_id for q in questions)
    assert year.open_questions()


def test_the_other_medicines_follow_their_own_schedules(year: Store) -> None:
    from journal.schedule_spec import parse_regimen

    plans = {med.name: year.schedules(med.id) for med in year.tracked_medications()}
    assert {name: [p.spec for p in steps] for name, steps in plans.items()} == {
        "Anakinra": ["daily at 08:00"],
        "Methotrexate": ["weekly on sun at 20:00"],
        "Folic acid": ["daily at 08:00"],
        "Vitamin D3": ["daily at 08:00"],
        "Ibuprofen": ["as needed max 3 per 24h at least 6 hours apart"],
    }
    methotrexate = year.find_medication("methotrexate")
    assert methotrexate is not None and methotrexate.form is m.MedForm.TABLET and not methotrexate.injected
    weekly = year.doses(methotrexate.id)
    # Sunday evenings, a few after midnight: never another day of the week.
    assert weekly and all((d.at - timedelta(hours=6)).weekday() == 6 for d in weekly)
    assert 40 <= len(weekly) <= 53
    ibuprofen = year.find_medication("ibuprofen")
    assert ibuprofen is not None and parse_regimen(plans["Ibuprofen"][0].spec).as_needed
    assert 10 <= len(year.doses(ibuprofen.id)) <= 80
    assert all(d.check_id is None and d.spot is None for d in [*weekly, *year.doses(ibuprofen.id)])
