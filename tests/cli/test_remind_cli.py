"""`medjournal remind`: what is notified, how privately, how often, and the timer it installs."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journal.cli import group, remind
from journal.cli._env import Env
from tests.conftest import Run

Medjournal = Callable[..., Run]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A fake desktop notification service: what it was asked to show."""
    seen: list[tuple[str, str]] = []

    def fake(title: str, body: str) -> bool:
        seen.append((title, body))
        return True

    monkeypatch.setitem(remind.NOTIFIERS, "desktop", fake)
    monkeypatch.setenv("TZ", "UTC")
    return seen


def _due() -> str:
    """A daily time two hours ago (UTC): the dose is overdue whatever the hour the test runs at."""
    return (datetime.now(UTC) - timedelta(hours=2)).strftime("%H:%M")


def _add_anakinra(medjournal: Medjournal) -> str:
    """anakinra daily at `_due()`, started days ago (so that two hours ago is on its schedule after midnight too)."""
    due, started = _due(), (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    assert medjournal("med", "add", "anakinra", "--time", due, "--started", started).code == 0
    return due


def _journal(medjournal: Medjournal, *, boxes: int = 1) -> str:
    due = _add_anakinra(medjournal)
    for _ in range(boxes):
        assert medjournal("supply", "add", "--count", "7").code == 0
    return due


def test_once_notifies_a_due_dose_privately_then_exits_3_and_0_when_nothing_is_new(
    medjournal: Medjournal, journal_path: Path, shown: list[tuple[str, str]]
) -> None:
    due = _journal(medjournal, boxes=4)
    assert group.run(["--db", str(journal_path), "remind", "--once"]) == remind.NOTIFIED
    ((title, body),) = shown
    assert title == "anakinra" and body == f"anakinra {due}"  # the medicine and the time, nothing more
    assert group.run(["--db", str(journal_path), "remind", "--once"]) == 0  # sent a moment ago: not again yet
    assert len(shown) == 1


def test_details_and_a_reorder_date_reached(
    medjournal: Medjournal, journal_path: Path, shown: list[tuple[str, str]]
) -> None:
    due = _add_anakinra(medjournal)
    # Six syringes for the daily doses from the next one on: they run out within the 7 days' lead.
    assert medjournal("supply", "add", "--count", "6").code == 0
    assert group.run(["--db", str(journal_path), "remind", "--once", "--details"]) == remind.NOTIFIED
    bodies = [body for _, body in shown]
    assert any("overdue" in body or f"due at {due}" in body for body in bodies)
    # Six days left within a seven days' lead: the reorder date is today or gone (by the hour), never "by" it.
    reorder = re.compile(r"Reorder anakinra (today|now \(the reorder date was \d{4}-\d\d-\d\d\)): 6 left")
    assert any(reorder.match(body) for body in bodies), bodies


def test_a_serious_side_effect_is_notified_without_naming_it(
    medjournal: Medjournal, journal_path: Path, shown: list[tuple[str, str]]
) -> None:
    _journal(medjournal, boxes=4)
    assert medjournal("dose").code == 0
    assert medjournal("effect", "fever").code == 0
    assert group.run(["--db", str(journal_path), "remind", "--once"]) == remind.NOTIFIED
    ((title, body),) = shown
    assert "fever" not in body.lower() and "open medjournal" in body and title == "medjournal"


def test_the_terminal_fallback_rings_and_prints_one_line(medjournal: Medjournal) -> None:
    due = _journal(medjournal, boxes=4)
    # No session bus here: the desktop cannot be reached, so the bell and a line stand in.
    done = medjournal("remind", "--once", env={"DBUS_SESSION_BUS_ADDRESS": "", "XDG_RUNTIME_DIR": "/nonexistent"})
    assert done.code == remind.NOTIFIED
    assert done.out == f"\areminder: anakinra {due}\n"
    assert medjournal("dose").code == 0
    assert medjournal("remind", "--once", "--via", "terminal", "--every", "1").code == 0  # logged: nothing to say


def test_the_loop_repeats_an_unanswered_dose_every_n_minutes_until_it_is_logged(
    medjournal: Medjournal, journal_path: Path, shown: list[tuple[str, str]]
) -> None:
    due = _journal(medjournal, boxes=4)
    start = datetime.now(UTC)
    ticks = iter([start, start + timedelta(minutes=5), start + timedelta(minutes=15), start + timedelta(minutes=31)])
    rounds = 0

    def sleep(_seconds: float) -> None:
        nonlocal rounds
        rounds += 1
        if rounds == 3:  # after the third check, the dose is logged
            assert medjournal("dose").code == 0

    env = Env()
    env.db_option = str(journal_path)
    env.zone = "UTC"
    try:
        remind.run_loop(env, every=15, via="auto", details=False, rounds=4, sleep=sleep, clock=lambda: next(ticks))
    finally:
        env.close()
    # At the start and 15 minutes later; not at 5 minutes, nor after it was logged.
    assert shown == [("anakinra", f"anakinra {due}")] * 2


def test_install_writes_a_user_timer_or_prints_a_crontab_line(
    journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    calls: list[tuple[str, ...]] = []

    def systemctl(*args: str) -> bool:
        calls.append(args)
        return True

    monkeypatch.setattr(remind, "_systemctl", systemctl)

    monkeypatch.setattr(remind, "has_systemd", lambda: False)
    assert group.run(["--db", str(journal_path), "remind", "--install", "--every", "20"]) == 0
    out = capsys.readouterr().out
    assert "crontab -e" in out and "*/20 * * * * " in out and f"--db {journal_path} remind --once --every 20" in out
    assert not (tmp_path / "config").exists() and not calls

    monkeypatch.setattr(remind, "has_systemd", lambda: True)
    assert group.run(["--db", str(journal_path), "remind", "--install", "--details"]) == 0
    units = tmp_path / "config" / "systemd" / "user"
    service = (units / "medjournal-remind.service").read_text()
    timer = (units / "medjournal-remind.timer").read_text()
    assert f"--db {journal_path} remind --once --every 15 --details" in service
    assert "SuccessExitStatus=3" in service and "OnUnitActiveSec=15min" in timer
    assert ("enable", "--now", "medjournal-remind.timer") in calls

    assert group.run(["--db", str(journal_path), "remind", "--uninstall"]) == 0
    assert not any(units.iterdir())
    assert ("disable", "--now", "medjournal-remind.timer") in calls
