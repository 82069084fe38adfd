"""`lab`: laboratory results (a number, its unit and the lab's reference range) and their list."""

from __future__ import annotations

import click

from journal import models as m
from journal.cli._env import Env, db_option, pass_env, say
from journal.when import format_local


@click.group("lab")
def lab() -> None:
    """Laboratory results: record one, list them."""


@lab.command("add")
@click.argument("test")
@click.argument("value")
@click.argument("unit", required=False)
@click.option(
    "--at", "at", metavar="WHEN", help="When the sample was taken (2026-11-20 08:00, yesterday); default now."
)
@click.option("--range", "range_text", metavar="LOW-HIGH", help="The lab's reference range: 3.5-5.0, <5 or >1.5.")
@click.option("--note", metavar="TEXT")
@db_option
@pass_env
def lab_add(
    env: Env, test: str, value: str, unit: str | None, at: str | None, range_text: str | None, note: str | None
) -> None:
    """Record a lab result: TEST VALUE [UNIT], for example: lab add neutrophils 1.8 10*9/L --range 2.0-7.5."""
    from journal.application.records import add_lab_result, parse_range, parse_value

    number = parse_value(value)
    low, high = parse_range(range_text) if range_text is not None else (None, None)
    when = env.when(at)
    values = {"test": test, "value": number, "unit": unit, "range_low": low, "range_high": high, "note": note}
    record = add_lab_result(env.store, values, at=when, zone=env.zone, now=env.now)
    say(f"Recorded lab result: {_line(record)}.")


def _line(record: m.LabResult) -> str:
    from journal.application.records import range_text

    text = f"{format_local(record.at, record.tz)}  {record.describe()}"
    reference = range_text(record.range_low, record.range_high)
    if reference:
        text += f" (range {reference}" + (f", {record.out_of_range}" if record.out_of_range else "") + ")"
    return text + (f" - {record.note}" if record.note else "")


@lab.command("list")
@click.option("--test", "test", metavar="NAME", help="Only this test (any letter case).")
@db_option
@pass_env
def lab_list(env: Env, test: str | None) -> None:
    """List lab results, oldest first."""
    results = env.existing_store.lab_results(test=test)
    for record in results:
        say(_line(record))
    if not results:
        say(f"No results recorded for {test}." if test else "No lab results recorded.")


COMMANDS = [lab]
