"""`medjournal demo`: fills a new journal, refuses a used one with one error line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from journal import models as m
from journal.store import Store


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    return lines[0]


def test_demo_fills_a_new_journal_that_the_other_commands_read(
    medjournal: Callable[..., Any], journal_path: Path
) -> None:
    done = medjournal("demo", "--years", "2", "--seed", "5")
    assert done.code == 0, done.err
    assert "invented" in done.out
    # The progress bar goes to stderr, so the summary on stdout stays clean for scripts.
    assert "Writing the demo journal" in done.err and "Writing" not in done.out
    with Store.open(journal_path) as store:
        # Two years are 730 days, each with a dose taken, skipped or missed: today's only once its
        # time (08:00) has come, since the demo invents nothing later than now.
        assert store.count(m.Dose) >= 729
        assert store.tracked_medications()[0].name == "Anakinra"
    listing = medjournal("emergency")
    assert listing.code == 0
    assert "Anakinra" in listing.out and "Methotrexate" in listing.out
    assert "last dose: none recorded" not in listing.out


def test_demo_refuses_a_journal_with_records(medjournal: Callable[..., Any], journal_path: Path) -> None:
    with Store.open(journal_path) as store:
        store.add(m.Allergy(substance="Latex"))
    done = medjournal("demo")
    assert done.code == 1
    assert "already holds records" in _one_error_line(done.err)
    with Store.open(journal_path) as store:
        assert store.count(m.Dose) == 0 and len(store.all(m.Allergy)) == 1


def test_demo_rejects_a_bad_year_count(medjournal: Callable[..., Any], journal_path: Path) -> None:
    done = medjournal("demo", "--years", "0")
    assert done.code == 1
    assert "--years" in _one_error_line(done.err)
    with Store.open(journal_path) as store:
        assert store.is_empty()
