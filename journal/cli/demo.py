"""`demo`: fill a new journal with years of invented history, to try the app or measure it."""

from __future__ import annotations

import sys

import click

from journal.cli._env import Env, db_option, pass_env, say
from journal.errors import JournalError

# Below this many days the demo is written before a bar would even draw.
PROGRESS_FROM_DAYS = 700


@click.command("demo")
@click.option(
    "--years",
    type=click.IntRange(1, 50),
    default=1,
    show_default=True,
    help="How many years of daily doses to invent.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same journal.")
@db_option
@pass_env
def demo(env: Env, years: int, seed: int) -> None:
    """Fill a new, empty journal with a realistic invented history (try it with --db demo.db)."""
    from journal import demo as generator

    store = env.store
    if not store.is_empty():
        raise JournalError(
            f"{env.db_path} already holds records; the demo only fills a new, empty journal. "
            "Name a new file with --db PATH."
        )
    days = round(years * 365.25)
    if days >= PROGRESS_FROM_DAYS:
        with click.progressbar(length=days, label="Writing the demo journal", file=sys.stderr) as bar:
            summary = generator.generate(store, days=days, seed=seed, now=env.now, zone=env.zone, progress=bar.update)
    else:
        summary = generator.generate(store, days=days, seed=seed, now=env.now, zone=env.zone)
    doses = summary.counts.get("doses", 0)
    say(
        f"Wrote a demo journal to {env.db_path}: {days} days from {summary.start.isoformat()}, "
        f"{doses} doses, {sum(summary.counts.values())} records in all. Every person and value in it is invented."
    )
    say(f"Open it with: medjournal --db {env.db_path}")


COMMANDS = [demo]
