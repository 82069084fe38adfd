"""The iCalendar export parses back: appointments with alarms, the daily dose as a repeating event."""

from __future__ import annotations

from typing import cast

import icalendar

from journal.export.ics import fold, render_ics, text_value
from journal.summary.model import VisitSummary


def test_calendar_parses_back_with_rrule_and_alarms(demo_summary: VisitSummary) -> None:
    text = render_ics(demo_summary)
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    daily = [e for e in events if e.get("RRULE")]
    assert len(daily) == 1
    assert cast(icalendar.vRecur, daily[0]["RRULE"])["FREQ"] == ["DAILY"]
    start = daily[0].decoded("DTSTART")
    assert (start.hour, start.minute) == (8, 0) and start.tzinfo is None  # floating: 08:00 wherever you are
    assert daily[0].walk("VALARM")
    upcoming = [e for e in events if str(e.get("STATUS")) == "CONFIRMED"]
    assert len(upcoming) == 2
    assert all(len(e.walk("VALARM")) == 2 for e in upcoming)
    vaccination = next(e for e in upcoming if "Vaccination" in str(e["SUMMARY"]))
    assert "talking to your doctor first" in str(vaccination["DESCRIPTION"])


def test_every_line_is_at_most_75_octets_and_ends_with_crlf(demo_summary: VisitSummary) -> None:
    text = render_ics(demo_summary)
    assert text.endswith("\r\n")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75


def test_special_characters_and_long_text_round_trip() -> None:
    nasty = "Dr Müller; room 4, floor 2\nbring the list \\ the bag " + "é" * 80
    line = fold("DESCRIPTION:" + text_value(nasty))
    calendar = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:20260101T000000Z\r\n{line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["DESCRIPTION"]) == nasty
    assert all(len(part.encode("utf-8")) <= 75 for part in line.split("\r\n"))


def test_each_schedule_is_its_own_repeat_rule_and_as_needed_has_none() -> None:
    from datetime import UTC, date, datetime

    from dateutil.rrule import rrulestr

    from journal import models as m
    from journal.store import Store
    from journal.summary.build import build_visit_summary

    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    with Store.memory() as store:
        plans = {
            "methotrexate": "weekly on fri at 20:00",
            "anakinra": "every 2 days at 08:00",
            "folic acid": "daily at 08:00,20:00",
            "ibuprofen": "as needed max 3 per 24h",
        }
        for name, spec in plans.items():
            med = store.add(m.Medication(name=name, tracked=True, created_at=now, updated_at=now), now=now)
            store.add(m.Schedule(medication_id=med.id, spec=spec, starts=date(2026, 11, 2)), now=now)
        text = render_ics(build_visit_summary(store, now=now, zone="UTC"))
    events = [e for e in icalendar.Calendar.from_ical(text).walk("VEVENT") if e.get("RRULE")]
    by_name: dict[str, list[icalendar.Component]] = {}
    for event in events:
        by_name.setdefault(str(event["SUMMARY"]).removesuffix(" dose"), []).append(event)
    assert "ibuprofen" not in by_name
    assert len(by_name["folic acid"]) == 2  # one event per time of day

    def first_days(name: str, count: int) -> list[date]:
        event = by_name[name][0]
        rule = rrulestr(cast(bytes, event["RRULE"].to_ical()).decode(), dtstart=event.decoded("DTSTART"))
        return [moment.date() for moment in rule[:count]]

    assert first_days("methotrexate", 3) == [date(2026, 11, 6), date(2026, 11, 13), date(2026, 11, 20)]
    assert first_days("anakinra", 3) == [date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 6)]


def test_a_split_dose_and_a_cycle_expand_to_the_regimens_own_occurrences() -> None:
    from datetime import UTC, date, datetime

    from dateutil.rrule import rrulestr

    from journal import models as m
    from journal.care import regimen
    from journal.schedule_spec import parse_regimen
    from journal.store import Store
    from journal.summary.build import build_visit_summary

    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    plans = {
        "methotrexate": "weekly split fri 08:00, fri 20:00, sat 08:00",
        "capecitabine": "cycle 3 on 2 off at 09:00",
    }
    with Store.memory() as store:
        for name, spec in plans.items():
            med = store.add(m.Medication(name=name, tracked=True, created_at=now, updated_at=now), now=now)
            store.add(m.Schedule(medication_id=med.id, spec=spec, starts=date(2026, 11, 2)), now=now)
        text = render_ics(build_visit_summary(store, now=now, zone="UTC"))
    events = [e for e in icalendar.Calendar.from_ical(text).walk("VEVENT") if e.get("RRULE")]
    since, until = datetime(2026, 11, 2), datetime(2026, 12, 31)
    for name, spec in plans.items():
        expanded = sorted(
            moment
            for event in events
            if str(event["SUMMARY"]).startswith(name)
            for moment in rrulestr(
                cast(bytes, event["RRULE"].to_ical()).decode(), dtstart=event.decoded("DTSTART")
            ).between(since, until, inc=True)
        )
        steps = [regimen.Step(parse_regimen(spec), date(2026, 11, 2))]
        expected = regimen.occurrences(
            steps, zone="UTC", since=since.replace(tzinfo=UTC), until=until.replace(tzinfo=UTC)
        )
        assert expanded == [moment.replace(tzinfo=None) for moment in expected], name
    parts = sorted(str(e["SUMMARY"]) for e in events if str(e["SUMMARY"]).startswith("methotrexate"))
    assert parts == [f"methotrexate dose (dose {k} of 3)" for k in (1, 2, 3)]
