"""A fixed demo journal and a frozen clock, so every export test sees the same figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from journal import models as m
from journal.store import Store

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ZONE = "Europe/Paris"
SCRIPT = "<script>alert(1)</script>"
PARIS = ZoneInfo(ZONE)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A Paris wall-clock time as a UTC moment."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def _add(store: Store, record: m.Record, at: datetime) -> Any:
    # Fixed creation times keep the history (and so "last updated") independent of the real clock.
    record.created_at = at
    record.updated_at = at
    return store.add(record)


def fill_demo(store: Store) -> dict[str, m.Record]:
    """A month of anakinra injections, other medicines, side effects, check-ins and appointments."""
    made: dict[str, m.Record] = {}
    setup = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    _add(
        store,
        m.Profile(
            name="Ana Example",
            born=date(1980, 4, 2),
            emergency_contact="Ben Example, +33 6 12 34 56 78",
            doctor="Dr Claire Martin, rheumatology, +33 1 23 45 67 89",
            pharmacy="Pharmacie du Centre, +33 1 98 76 54 32",
        ),
        setup,
    )
    kineret = _add(
        store,
        m.Medication(
            name="anakinra",
            brand="Kineret",
            strength="100 mg",
            directions="100 mg under the skin once a day",
            reason="rheumatoid arthritis",
            started=date(2026, 6, 1),
            pack="anakinra",
            tracked=True,
            usual_time="08:00",
        ),
        setup,
    )
    made["kineret"] = kineret
    made["mtx"] = _add(
        store,
        m.Medication(
            name="Methotrexate",
            strength="15 mg",
            directions="once a week on Sunday",
            reason="rheumatoid arthritis",
            started=date(2025, 3, 1),
        ),
        setup,
    )
    _add(
        store,
        m.Medication(name="Vitamin D3", kind=m.MedKind.VITAMIN, strength="1000 IU", directions="one tablet a day"),
        setup,
    )
    _add(
        store,
        m.Medication(
            name="Echinacea", kind=m.MedKind.HERBAL, directions="tea in the evening", started=date(2026, 11, 3)
        ),
        setup,
    )
    _add(
        store,
        m.Medication(
            name="Ibuprofen",
            kind=m.MedKind.OTC,
            strength="400 mg",
            directions="when needed",
            started=date(2026, 1, 1),
            stopped=date(2026, 11, 10),
            stop_reason="pain better",
        ),
        setup,
    )
    _add(store, m.Allergy(substance="Latex", reaction="hives"), setup)
    _add(store, m.Allergy(substance="Penicillin", reaction="rash"), setup)
    _add(store, m.Condition(name="Rheumatoid arthritis", since=date(2019, 5, 1)), setup)
    _add(store, m.Condition(name="Asthma"), setup)
    visit = local(date(2026, 10, 28), 10)
    _add(
        store,
        m.Appointment(
            at=visit, tz=ZONE, kind=m.ApptKind.DOCTOR, with_whom="Dr Martin", status=m.ApptStatus.DONE, outcome="ok"
        ),
        visit,
    )
    spots = ["thigh-left:A1", "thigh-right:A1", "stomach-left:A1", "stomach-right:A1", "thigh-left:C2"]
    day = date(2026, 10, 28)
    index = 0
    spot = spots[0]
    while day <= date(2026, 11, 25):
        at = local(day, 8, (index * 7) % 25)
        if day == date(2026, 11, 5):
            _add(
                store,
                m.Dose(medication_id=kineret.id, at=at, tz=ZONE, status=m.DoseStatus.SKIPPED, reason="fever"),
                at,
            )
        elif day == date(2026, 11, 12):
            pass  # forgotten: a missed day
        else:
            check = None
            if day == date(2026, 11, 15):
                bad = local(day, 7, 50)
                _add(
                    store,
                    m.SyringeCheck(
                        medication_id=kineret.id,
                        at=bad,
                        tz=ZONE,
                        appearance=m.Appearance.CLOUDY,
                        outcome=m.CheckOutcome.DISCARDED,
                    ),
                    bad,
                )
                check = _add(store, m.SyringeCheck(medication_id=kineret.id, at=at, tz=ZONE), at)
            # On the 20th the same spot as the day before: a repeat the summary must show.
            spot = spot if day == date(2026, 11, 20) else spots[index % len(spots)]
            dose = m.Dose(
                medication_id=kineret.id,
                at=at,
                tz=ZONE,
                region=spot.partition(":")[0],
                spot=spot,
                check_id=check.id if check else None,
            )
            made["last_dose"] = _add(store, dose, at)
            index += 1
        day += timedelta(days=1)
    _add(
        store,
        m.SideEffect(
            symptom="rash",
            symptom_key="rash",
            tier=m.Tier.SERIOUS,
            severity=m.Severity.MODERATE,
            started_at=local(date(2026, 11, 4), 19),
            tz=ZONE,
            resolved_at=local(date(2026, 11, 7), 9),
            doctor_contacted_at=local(date(2026, 11, 4), 20),
        ),
        local(date(2026, 11, 4), 19),
    )
    _add(
        store,
        m.SideEffect(
            symptom="redness at the injection site",
            symptom_key="injection-site",
            tier=m.Tier.COMMON,
            severity=m.Severity.MILD,
            started_at=local(date(2026, 11, 10), 9),
            tz=ZONE,
            resolved_at=local(date(2026, 11, 12), 9),
            region="stomach-left",
        ),
        local(date(2026, 11, 10), 9),
    )
    _add(
        store,
        m.SideEffect(
            symptom="headache",
            symptom_key="headache",
            tier=m.Tier.COMMON,
            severity=m.Severity.MILD,
            started_at=local(date(2026, 11, 20), 15),
            tz=ZONE,
            note=f"worse after screens {SCRIPT}",
        ),
        local(date(2026, 11, 20), 15),
    )
    for offset, (pain, swelling, stiffness) in enumerate([(6, 5, 60), (5, 5, 45), (5, 4, 40), (4, 3, 30), (3, 2, 20)]):
        at = local(date(2026, 10, 30) + timedelta(days=6 * offset), 20)
        _add(
            store,
            m.Checkin(
                at=at,
                tz=ZONE,
                pain=pain,
                swelling=swelling,
                stiffness_minutes=stiffness,
                note=SCRIPT if offset == 2 else None,
            ),
            at,
        )
    lab = local(date(2026, 11, 18), 8, 30)
    _add(
        store,
        m.Appointment(at=lab, tz=ZONE, kind=m.ApptKind.LAB, purpose="blood count", status=m.ApptStatus.DONE),
        lab,
    )
    _add(
        store,
        m.Appointment(at=local(date(2026, 12, 2), 17), tz=ZONE, kind=m.ApptKind.VACCINATION, purpose="flu shot"),
        local(date(2026, 11, 19), 12),
    )
    _add(
        store,
        m.Appointment(at=local(date(2026, 12, 9), 10, 30), tz=ZONE, kind=m.ApptKind.DOCTOR, with_whom="Dr Martin"),
        local(date(2026, 11, 19), 12),
    )
    _add(store, m.Question(text="Can I have the flu shot this year?"), local(date(2026, 11, 19), 12))
    _add(
        store,
        m.SupplyBox(
            medication_id=kineret.id, received=date(2026, 11, 1), count=7, lot="K123", expires=date(2027, 3, 1)
        ),
        local(date(2026, 11, 1), 12),
    )
    return made
