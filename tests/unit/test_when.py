"""Property tests of the WHEN parser: round trips, daylight-saving changes, and the local day across zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from journal import models as m
from journal.errors import WhenError
from journal.when import format_local, iso_utc, parse_when

# Zones with the awkward cases: DST both ways, half-hour DST (Lord Howe), 45-minute offsets,
# southern-hemisphere summers, a zone that dropped DST, and no DST at all.
ZONES = [
    "UTC",
    "Europe/Paris",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "America/St_Johns",
]
zones = st.sampled_from(ZONES)
# Whole minutes between 2000 and 2037: what people type, and what format_local shows.
moments = st.integers(min_value=946_684_800 // 60, max_value=2_114_380_800 // 60).map(
    lambda minute: datetime.fromtimestamp(minute * 60, UTC)
)
wall_times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


def _ambiguous(moment: datetime, zone: str) -> bool:
    """Whether the moment's local wall time happens twice (the hour repeated when clocks go back)."""
    local = moment.astimezone(ZoneInfo(zone))
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _skipped(wall: datetime, zone: str) -> bool:
    """Whether a wall time never happens (the hour skipped when clocks go forward)."""
    aware = wall.replace(tzinfo=ZoneInfo(zone))
    return aware.astimezone(UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None) != wall


@settings(max_examples=300, deadline=None)
@given(moment=moments, zone=zones)
@example(moment=datetime(2026, 10, 25, 0, 30, tzinfo=UTC), zone="Europe/Paris")  # 02:30, the first time
@example(moment=datetime(2026, 10, 25, 1, 30, tzinfo=UTC), zone="Europe/Paris")  # 02:30, the second time
def test_what_is_shown_reads_back_as_the_same_moment(moment: datetime, zone: str) -> None:
    shown = format_local(moment, zone)
    parsed = parse_when(shown, now=moment + timedelta(days=1), zone=zone)
    assert format_local(parsed, zone) == shown
    if _ambiguous(moment, zone):
        # The repeated hour reads as its first occurrence: never later than what happened.
        assert parsed <= moment and moment - parsed <= timedelta(hours=1)
    else:
        assert parsed == moment


@settings(max_examples=200, deadline=None)
@given(moment=moments, zone=zones)
def test_iso_8601_with_an_offset_is_exact_in_any_zone(moment: datetime, zone: str) -> None:
    text = moment.astimezone(ZoneInfo(zone)).isoformat()
    assert parse_when(text, now=moment, zone="UTC") == moment
    assert parse_when(text.replace("T", " "), now=moment, zone="Asia/Tokyo") == moment


@settings(max_examples=300, deadline=None)
@given(wall=wall_times, zone=zones)
@example(wall=datetime(2026, 3, 29, 2, 30), zone="Europe/Paris")  # does not exist
@example(wall=datetime(2026, 3, 8, 2, 15), zone="America/New_York")  # does not exist
@example(wall=datetime(2026, 4, 5, 1, 45), zone="Australia/Lord_Howe")  # the half-hour fold
def test_a_typed_wall_time_lands_on_that_wall_time_or_just_after_a_gap(wall: datetime, zone: str) -> None:
    parsed = parse_when(wall.strftime("%Y-%m-%d %H:%M"), now=datetime(2038, 1, 1, tzinfo=UTC), zone=zone)
    local = parsed.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    if _skipped(wall, zone):
        # A time skipped by spring-forward moves forward by the gap, never backward, never to another day's hour.
        assert wall < local <= wall + timedelta(hours=1)
    else:
        assert local == wall


@settings(max_examples=200, deadline=None)
@given(now=moments, zone=zones, hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_a_time_of_day_is_the_latest_one_up_to_now_and_yesterday_means_the_day_before(
    now: datetime, zone: str, hour: int, minute: int
) -> None:
    local_now = now.astimezone(ZoneInfo(zone))
    today = local_now.date()
    typed = f"{hour:02d}:{minute:02d}"
    later_today = datetime.combine(today, time(hour, minute)) > local_now.replace(tzinfo=None) + timedelta(minutes=5)
    latest = today - timedelta(days=1) if later_today else today
    for text, day, ahead in (
        (typed, latest, False),
        (typed, today, True),
        (f"yesterday {typed}", today - timedelta(days=1), False),
    ):
        parsed = parse_when(text, now=now, zone=zone, ahead=ahead)
        local = parsed.astimezone(ZoneInfo(zone))
        wall = datetime.combine(day, time(hour, minute))
        if not _skipped(wall, zone):
            assert (local.date(), local.hour, local.minute) == (day, hour, minute), text
            if not ahead:
                assert parsed <= now + timedelta(minutes=5) or text.startswith("yesterday")


@settings(max_examples=300, deadline=None)
@given(wall=wall_times, logged_in=zones, read_in=zones)
@example(wall=datetime(2026, 11, 20, 23, 30), logged_in="America/New_York", read_in="Asia/Tokyo")
@example(wall=datetime(2026, 11, 20, 0, 15), logged_in="Pacific/Kiritimati", read_in="America/St_Johns")
def test_a_dose_stays_on_the_local_day_it_was_logged_wherever_it_is_read(
    wall: datetime, logged_in: str, read_in: str
) -> None:
    at = parse_when(wall.strftime("%Y-%m-%d %H:%M"), now=datetime(2038, 1, 1, tzinfo=UTC), zone=logged_in)
    dose = m.Dose.validate({"medication_id": "med", "at": at, "tz": logged_in}, now=datetime(2038, 1, 1, tzinfo=UTC))
    # Stored, then read back by a reader somewhere else: the stored zone decides the day.
    read = m.Dose.from_row(dose.row())
    expected: date = at.astimezone(ZoneInfo(logged_in)).date()
    assert m.local_day(read.at, read.tz) == expected
    if not _skipped(wall, logged_in):
        assert expected == wall.date()
    assert format_local(read.at, read.tz).startswith(expected.isoformat())
    # The reader's own zone is irrelevant: the day depends only on what was stored.
    assert m.local_day(parse_when(at.isoformat(), now=at, zone=read_in), read.tz) == expected


@pytest.mark.parametrize("text", ["", "   ", "25:00", "12:60", "13pm", "2026-13-01 08:00", "soon", "yesterday at"])
def test_nonsense_is_refused_with_a_sentence(text: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, now=datetime(2026, 11, 20, 8, tzinfo=UTC), zone="Europe/Paris")
    assert "\n" not in str(caught.value) and str(caught.value)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 20, 9, 30, 5, 999, tzinfo=ZoneInfo("Europe/Paris")), "2026-11-20T08:30:05Z"),
        (datetime(226, 3, 4, 5, 6, 7, tzinfo=UTC), "0226-03-04T05:06:07Z"),
        (datetime(1, 1, 1, tzinfo=UTC), "0001-01-01T00:00:00Z"),
    ],
)
def test_stored_times_are_utc_with_a_four_digit_year(moment: datetime, text: str) -> None:
    assert iso_utc(moment) == text
    assert datetime.fromisoformat(text).astimezone(UTC) == moment.replace(microsecond=0)


def test_a_time_without_its_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        iso_utc(datetime(2026, 11, 20, 8, 0))


def test_at_00_07_a_bare_23_50_means_last_night() -> None:
    now = datetime(2026, 11, 20, 0, 7, tzinfo=UTC)
    assert parse_when("23:50", now=now, zone="UTC") == datetime(2026, 11, 19, 23, 50, tzinfo=UTC)
    assert parse_when("23:50", now=now, zone="UTC", ahead=True) == datetime(2026, 11, 20, 23, 50, tzinfo=UTC)
