"""`med`, `allergy` and `condition`: the medicine list and the precautions."""

from __future__ import annotations

import click

from journal import models as m
from journal.cli._env import Env, db_option, pass_env, say
from journal.errors import NotFoundError

KINDS = [k.value for k in m.MedKind]


@click.group("med")
def med() -> None:
    """Every medicine, OTC product, vitamin, supplement and herbal you take."""


@med.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), default=None, help="What sort of product it is.")
@click.option("--strength", metavar="S", help="For example 100 mg or 1000 IU.")
@click.option("--how", "directions", metavar="DIRECTIONS", help="How and when you take it.")
@click.option("--reason", metavar="R", help="What it is for.")
@click.option("--prescriber", metavar="P", help="Who prescribed it.")
@click.option("--started", metavar="DATE", help="When you started it (2026-11-20, today, yesterday).")
@click.option("--track/--no-track", default=None, help="Log its daily doses in the journal.")
@click.option("--time", "usual_time", metavar="HH:MM", help="The usual time of the daily dose.")
@db_option
@pass_env
def med_add(
    env: Env,
    name: str,
    kind: str | None,
    strength: str | None,
    directions: str | None,
    reason: str | None,
    prescriber: str | None,
    started: str | None,
    track: bool | None,
    usual_time: str | None,
) -> None:
    """Add a medicine to your list."""
    from journal.cli import medlist

    record = medlist.new_medication(
        env,
        name=name,
        kind=kind,
        strength=strength,
        directions=directions,
        reason=reason,
        prescriber=prescriber,
        started=env.day(started),
        tracked=track,
        usual_time=usual_time,
    )
    store = env.store
    if store.find_medication(record.name) is not None:
        raise click.ClickException(f"{record.name} is already on your list; stop it first to add it again.")
    store.add(record)
    tracked = ", logged daily" + (f" at {record.usual_time}" if record.usual_time else "") if record.tracked else ""
    say(f"Added {record.describe()} ({record.kind.value}{tracked}).")
    medlist.print_warnings(env, record)


@med.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include stopped medicines.")
@db_option
@pass_env
def med_list(env: Env, show_all: bool) -> None:
    """List your medicines."""
    meds = env.existing_store.medications(include_stopped=show_all)
    if not meds:
        say("No medicines yet. Add one with: medjournal med add NAME")
        return
    for record in meds:
        parts = [record.describe(), record.kind.value]
        if record.directions:
            parts.append(record.directions)
        if record.reason:
            parts.append(f"for {record.reason}")
        if record.tracked:
            parts.append("tracked daily" + (f" at {record.usual_time}" if record.usual_time else ""))
        if record.stopped:
            parts.append(f"stopped {record.stopped.isoformat()}")
        say(" | ".join(parts))


@med.command("stop")
@click.argument("name")
@click.option("--reason", metavar="R", help="Why it was stopped.")
@click.option("--on", "on_date", metavar="DATE", help="When it was stopped (default: today).")
@db_option
@pass_env
def med_stop(env: Env, name: str, reason: str | None, on_date: str | None) -> None:
    """Mark a medicine as stopped (it stays in the journal's history)."""
    store = env.store
    record = store.find_medication(name)
    if record is None:
        raise NotFoundError(f"No active medicine is called {name!r}; see `medjournal med list`.")
    stopped = env.day(on_date) or env.today()
    store.update(record, now=env.now, stopped=stopped, stop_reason=reason)
    say(f"Stopped {record.describe()} on {stopped.isoformat()}.")


@click.group("allergy")
def allergy() -> None:
    """Allergies and intolerances."""


@allergy.command("add")
@click.argument("substance")
@click.option("--reaction", metavar="R", help="What happens (for example hives).")
@db_option
@pass_env
def allergy_add(env: Env, substance: str, reaction: str | None) -> None:
    """Record an allergy."""
    from journal.cli import medlist

    record = env.store.add(m.Allergy(substance=substance, reaction=reaction))
    say(f"Added allergy: {record.describe()}.")
    medlist.print_warnings(env, record)


@allergy.command("list")
@db_option
@pass_env
def allergy_list(env: Env) -> None:
    """List recorded allergies."""
    records = env.existing_store.all(m.Allergy)
    for record in records:
        say(record.describe())
    if not records:
        say("No allergies recorded.")


@click.group("condition")
def condition() -> None:
    """Health conditions that matter for your medicines."""


@condition.command("add")
@click.argument("name")
@click.option("--since", metavar="DATE", help="When it started.")
@db_option
@pass_env
def condition_add(env: Env, name: str, since: str | None) -> None:
    """Record a condition."""
    from journal.cli import medlist

    record = env.store.add(m.Condition(name=name, since=env.day(since)))
    say(f"Added condition: {record.describe()}.")
    medlist.print_warnings(env, record)


@condition.command("list")
@db_option
@pass_env
def condition_list(env: Env) -> None:
    """List recorded conditions."""
    records = env.existing_store.all(m.Condition)
    for record in records:
        say(record.describe())
    if not records:
        say("No conditions recorded.")


COMMANDS = [med, allergy, condition]
