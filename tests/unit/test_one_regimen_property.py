"""One regimen truth across surfaces (issue 25, item 8), as a property: for random regimens (daily, weekly, every N
days, as needed; steps with doses, a taper that stops, a pause), random doses and a random moment across midnight
and a daylight-saving change in two zones, Today, `status --json`, `remind --once`'s choice and the summary agree on
what was due and when."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journal import models as m
from journal import reminders
from journal.application.doses import ExtraDoseError, record_dose
from journal.application.medicines import add_medication, add_schedule
from journal.application.status import status_json
from journal.application.today import build_today
from journal.care import regimen
from journal.errors import JournalError
from journal.store import Store
from journal.summary.build import build_visit_summary, resolve_period

# Each zone with the day its summer time ends in 2026: the schedules run across it.
ZONES = {"Europe/Berlin": date(2026, 10, 25), "America/New_York": date(2026, 11, 1)}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

clock = st.builds(lambda h, q: f"{h:02d}:{q * 15:02d}", st.integers(0, 23), st.integers(0, 3))
specs = st.one_of(
    st.lists(clock, min_size=1, max_size=3, unique=True).map(lambda ts: f"daily at {','.join(ts)}"),
    st.builds(
        lambda days, t: f"weekly on {','.join(days)} at {t}",
        st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True),
        clock,
    ),
    st.builds(lambda n, t: f"every {n} days at {t}", st.integers(2, 4), clock),
    st.builds(
        lambda most, apart: " ".join(
            [
                "as needed",
                *([f"max {most} per 24h"] if most else []),
                *([f"at least {apart} hours apart"] if apart else []),
            ]
        ),
        st.sampled_from([None, 1, 2, 3]),
        st.sampled_from([None, 2, 4, 6]),
    ),
)


@st.composite
def journeys(draw: st.DrawFn) -> dict[str, object]:
    zone = draw(st.sampled_from(sorted(ZONES)))
    first = ZONES[zone] - timedelta(days=draw(st.integers(0, 6)))
    steps = []
    starts = first
    for _ in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, 5))
        steps.append((draw(specs), starts, starts + timedelta(days=length - 1), draw(st.sampled_from([None, "5 mg"]))))
        starts += timedelta(days=length)
    open_end = draw(st.booleans())
    then_stop = not open_end and draw(st.booleans())
    span = (starts - first).days + 3
    minutes = st.integers(0, span * 24 * 60)
    return {
        "zone": zone,
        "first": first,
        "steps": steps,
        "open_end": open_end,
        "then_stop": then_stop,
        "doses": sorted(draw(st.lists(minutes, max_size=14))),
        "extra": draw(st.booleans()),
        "pause": draw(st.one_of(st.none(), minutes)),
        "now": draw(minutes),
    }


def _set_up(store: Store, plan: dict[str, object]) -> tuple[m.Medication, datetime, datetime]:
    zone, first = str(plan["zone"]), plan["first"]
    assert isinstance(first, date)
    origin = datetime.combine(first, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    steps = plan["steps"]
    assert isinstance(steps, list)
    added = origin - timedelta(days=1)
    med = add_medication(
        store, {"name": "study tablet", "form": "tablet", "started": first}, now=added, today=first, spec=steps[0][0]
    )
    last = len(steps) - 1
    ends = [None if k == last and plan["open_end"] else step[2] for k, step in enumerate(steps)]
    for k, (spec, starts, _, dose) in enumerate(steps):
        stops = bool(plan["then_stop"]) and k == last
        # The first replaces the schedule `med add` wrote, which starts on the same day.
        add_schedule(
            store, med, spec, starts=starts, ends=ends[k], dose=dose, now=added, then_stop=stops, replace=k == 0
        )
    if plan["then_stop"]:
        stop = ends[last]
        med = store.get(m.Medication, med.id) or med
        assert med.stopped == stop
    now = origin + timedelta(minutes=int(plan["now"]))  # type: ignore[call-overload]
    for offset in plan["doses"]:  # type: ignore[attr-defined]
        at = origin + timedelta(minutes=offset)
        if at > now:
            break
        current = store.get(m.Medication, med.id)
        assert current is not None
        try:
            record_dose(store, current, at=at, zone=zone, now=at)
        except ExtraDoseError:
            if plan["extra"]:
                with contextlib.suppress(JournalError):  # an extra dose after the stop: refused too
                    record_dose(store, current, at=at, zone=zone, now=at, extra=True)
        except JournalError:  # after its stop: refused, nothing written
            pass
    if plan["pause"] is not None:
        paused = origin + timedelta(minutes=int(plan["pause"]))  # type: ignore[call-overload]
        if paused <= now:
            current = store.get(m.Medication, med.id)
            assert current is not None
            store.update(current, now=paused, paused_at=paused, pause_reason="a test")
    found = store.get(m.Medication, med.id)
    assert found is not None
    return found, origin, now


def _ny_first_of_november(*, then_stop: bool, doses: list[int], extra: bool, now: int) -> dict[str, object]:
    one_day = date(2026, 11, 1)  # the day New York's summer time ends
    steps = [("daily at 00:00", one_day, one_day, None)]
    plan = {"zone": "America/New_York", "first": one_day, "steps": steps, "open_end": False, "pause": None}
    return {**plan, "then_stop": then_stop, "doses": doses, "extra": extra, "now": now}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
# Found in CI: an extra dose after a taper's end is refused too; a dose shown as missed 12 h after it was due
# still counts until the end of its day; at exactly 12 h it is still shown as overdue.
@example(_ny_first_of_november(then_stop=True, doses=[1500], extra=True, now=1500))
@example(_ny_first_of_november(then_stop=False, doses=[], extra=False, now=721))
@example(_ny_first_of_november(then_stop=False, doses=[], extra=False, now=720))
def test_today_status_remind_and_the_summary_agree(plan: dict[str, object]) -> None:
    zone = str(plan["zone"])
    with Store.memory() as store:
        med, origin, now = _set_up(store, plan)
        today = build_today(store, now=now, zone=zone)
        day = m.local_day(now, zone)
        listed = {v.medication_id: v for v in today.medicines}
        shown = status_json(today)["medicines"]
        assert isinstance(shown, list)
        due_keys = {r.key for r in reminders.due(today) if r.key.startswith("dose:")}
        steps = regimen.steps_for(med, store.schedules(med.id), [])
        stop = regimen.last_day(steps)
        if stop is not None and day > stop:
            # A taper that ended: nothing due, shown or reminded, ever after.
            assert med.id not in listed and shown == [] and due_keys == set()
            return
        view = listed[med.id]
        (entry,) = shown
        assert entry["state"] == view.state
        # `remind` notifies exactly what Today shows as OVERDUE (never a pause, as needed, or a day with none).
        assert (f"dose:{med.id}:{day.isoformat()}" in due_keys) == (view.state == "overdue")
        if view.state == "paused":
            assert med.paused_at is not None and entry["due_at"] is None and entry["next_at"] is None
        scheduled = set(
            regimen.occurrences(steps, zone=zone, since=origin - timedelta(days=9), until=now + timedelta(days=30))
        )
        if view.state in ("overdue", "due", "taken", "skipped"):
            assert view.due_at in scheduled
            step = regimen.step_on(steps, view.due_at.astimezone(ZoneInfo(zone)).date())
            assert step is not None and view.amount == step.dose
        if view.state == "overdue":
            assert view.due_at <= now <= view.due_at + regimen.OVERDUE_SHOWN_FOR
        if entry["next_at"] is not None:
            # The first after now; a dose taken (or skipped) early is done: the next is the one after it.
            done = view.state in ("taken", "skipped") and view.due_at > now
            following = min(t for t in scheduled if t > (view.due_at if done else now))
            assert entry["next_at"] == following.isoformat().replace("+00:00", "Z")
        period = resolve_period(store, now=now, zone=zone, since=plan["first"])  # type: ignore[arg-type]
        (counted,) = build_visit_summary(store, now=now, zone=zone, period=period).adherence
        assert counted.days_expected == counted.taken + counted.skipped + counted.missed
        taken = [d for d in store.doses(med.id) if d.status is m.DoseStatus.TAKEN and d.at <= now]
        assert counted.taken + counted.extra + counted.as_needed_doses <= len(taken)
        if view.state == "not_due" and view.missed_at is not None and view.missed_at >= origin:
            # Today says "missed" once it is no longer shown as overdue; the summary counts it missed once a
            # dose can no longer count for it (its window closes at the end of its local day, or later).
            (missed_slot,) = regimen.slots(
                steps, zone=zone, since=view.missed_at, until=view.missed_at + timedelta(minutes=1)
            )
            if missed_slot.closes <= now:
                assert m.local_day(view.missed_at, zone) in counted.missed_dates
            else:
                assert m.local_day(view.missed_at, zone) not in counted.missed_dates
        if view.state == "overdue" and all(len(s.regimen.times) == 1 for s in steps):
            # Still open, not missed: the day's one dose is not counted as missed while it is overdue.
            assert m.local_day(view.due_at, zone) not in counted.missed_dates
        if all(s.regimen.as_needed for s in steps):
            assert counted.as_needed and counted.missed == 0 and counted.drift_count == 0
