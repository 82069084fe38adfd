"""Every text field of the command line, and WHEN, fed arbitrary text (hypothesis).

Whatever is typed: the command either works or prints one `error:` line and exits 1; nothing
escapes as a traceback; no control character reaches the terminal unescaped; a time stored is
ISO-8601 with a four-digit year between 1900 and 2100; and the journal stays sound.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.cli.group import run
from journal.errors import WhenError
from journal.when import MAX_YEAR, MIN_YEAR, parse_when

# What a shell can pass in argv: any character but NUL (and no lone surrogates).
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=60)
# Text that looks like a time or a date, to reach deeper than the first refusal.
WHENISH = st.one_of(
    TEXT,
    st.from_regex(r"\A-?\d{1,6}-\d{1,3}-\d{1,3}([ T]\d{1,3}:\d{1,3}(:\d{1,3})?([+-]\d{2}:\d{2}|Z)?)?\Z"),
    st.from_regex(r"\A\d{1,12} ?(m|min|h|hours|d|days) ago\Z"),
    st.from_regex(r"\A(today|yesterday|tomorrow|monday|sunday) \d{1,3}(:\d{1,3})?( ?[ap]m)?\Z"),
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STORED_TIME = re.compile(r"^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

# Each command line with one {} where the fuzzed text goes.
TEXT_FIELDS = [
    ["med", "add", "{}"],
    ["med", "add", "vitamin C", "--strength", "{}", "--how", "{}", "--reason", "{}", "--prescriber", "{}"],
    ["med", "stop", "{}", "--reason", "{}"],
    ["allergy", "add", "{}", "--reaction", "{}"],
    ["condition", "add", "{}"],
    ["effect", "{}", "--note", "{}"],
    ["effect", "headache", "--site", "{}"],
    ["dose", "--note", "{}"],
    ["dose", "--skip", "{}"],
    ["dose", "--med", "{}"],
    ["dose", "--site", "{}"],
    ["appt", "add", "tomorrow 09:00", "doctor", "--with", "{}", "--note", "{}"],
    ["checkin", "--note", "{}"],
    ["profile", "--name", "{}", "--emergency-contact", "{}", "--doctor", "{}", "--pharmacy", "{}", "--notes", "{}"],
    ["supply", "add", "--lot", "{}"],
    ["resolve", "{}"],
    ["contacted", "{}"],
    ["guide", "{}"],
]
WHEN_FIELDS = [
    ["dose", "--at", "{}"],
    ["effect", "headache", "--at", "{}"],
    ["checkin", "--pain", "3", "--at", "{}"],
    ["appt", "add", "{}", "lab"],
    ["resolve", "headache", "--at", "{}"],
    ["med", "add", "fish oil", "--started", "{}"],
    ["condition", "add", "asthma", "--since", "{}"],
    ["profile", "--born", "{}"],
    ["supply", "add", "--expires", "{}", "--received", "{}"],
    ["export", "--since", "{}", "--until", "{}"],
]


@pytest.fixture(scope="module")
def journal() -> Iterator[Path]:
    """One journal for every example of a module: a tracked medicine, a box, a side effect."""
    import tempfile

    saved = {k: os.environ.get(k) for k in ("TZ", "MEDJOURNAL_DB")}
    os.environ["TZ"] = "UTC"
    os.environ.pop("MEDJOURNAL_DB", None)
    with tempfile.TemporaryDirectory(prefix="medjournal-fuzz-") as folder:
        db = Path(folder) / "journal.db"
        for args in (["med", "add", "anakinra"], ["supply", "add"], ["effect", "headache"]):
            assert _run(db, args)[0] == 0
        yield db
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _run(db: Path, args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["--db", str(db), *args])
    return code, out.getvalue(), err.getvalue()


def _check(db: Path, template: list[str], text: str) -> None:
    args = [text if part == "{}" else part for part in template]
    code, out, err = _run(db, args)  # any exception but a clean exit fails the test here
    assert code in (0, 1), (args, code, err)
    if code == 1:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, err)
    assert not CONTROL.search(out + err.replace("\n", "")), (args, out, err)


def _sound(db: Path) -> None:
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table, column in (("doses", "at"), ("side_effects", "started_at"), ("checkins", "at"), ("history", "at")):
            for (value,) in conn.execute(f"SELECT {column} FROM {table}"):
                found = STORED_TIME.match(value)
                assert found and MIN_YEAR <= int(found.group(1)) <= MAX_YEAR + 1, (table, value)
    finally:
        conn.close()


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("template", TEXT_FIELDS, ids=lambda t: " ".join(t))
@FUZZ
@given(text=TEXT)
def test_every_text_field_takes_any_text(journal: Path, template: list[str], text: str) -> None:
    _check(journal, template, text)
    _sound(journal)


@pytest.mark.parametrize("template", WHEN_FIELDS, ids=lambda t: " ".join(t))
@FUZZ
@given(text=WHENISH)
def test_every_when_and_date_field_takes_any_text(journal: Path, template: list[str], text: str) -> None:
    _check(journal, template, text)
    _sound(journal)


@settings(max_examples=400, deadline=None)
@given(text=WHENISH, zone=st.sampled_from(["UTC", "Pacific/Kiritimati", "America/Adak", "Asia/Kathmandu"]))
def test_when_is_a_time_between_1900_and_2100_or_a_when_error(text: str, zone: str) -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    try:
        moment = parse_when(text, now=now, zone=zone)
    except WhenError:
        return
    assert moment.tzinfo is not None and moment.utcoffset() is not None
    from zoneinfo import ZoneInfo

    assert MIN_YEAR <= moment.astimezone(ZoneInfo(zone)).year <= MAX_YEAR
