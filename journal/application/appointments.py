"""Appointments and the questions for the next visit."""

from __future__ import annotations

from datetime import datetime

from journal import models as m
from journal.store import Store


def add_appointment(
    store: Store,
    *,
    at: datetime,
    zone: str,
    kind: m.ApptKind | str,
    now: datetime,
    with_whom: str | None = None,
    purpose: str | None = None,
) -> m.Appointment:
    """Add an appointment (validated; the store holds it to the rules)."""
    record = m.Appointment.validate(
        {"at": at, "tz": zone, "kind": kind, "with_whom": with_whom, "purpose": purpose}, now=now
    )
    return store.add(record, now=now)


def set_status(store: Store, record: m.Appointment, status: m.ApptStatus, *, now: datetime) -> m.Appointment:
    """Mark an appointment planned, done or cancelled."""
    return store.update(record, now=now, status=status)


def add_question(store: Store, text: str, *, now: datetime) -> m.Question:
    """A question for the doctor, filed under the next planned doctor's appointment if there is one."""
    visit = next_visit(store, now=now)
    record = m.Question.validate({"text": text, "appointment_id": visit.id if visit else None}, now=now)
    return store.add(record, now=now)


def next_visit(store: Store, *, now: datetime) -> m.Appointment | None:
    """The next planned doctor's appointment: where a question for the doctor is filed."""
    return next(
        (
            a
            for a in store.between(m.Appointment, "at", now)
            if a.status is m.ApptStatus.PLANNED and a.kind is m.ApptKind.DOCTOR
        ),
        None,
    )


def carry_question(store: Store, record: m.Question, visit: m.Appointment, *, now: datetime) -> m.Question:
    """File a question under another visit (the next one, when the one it was asked for has passed)."""
    return store.update(record, now=now, appointment_id=visit.id)
