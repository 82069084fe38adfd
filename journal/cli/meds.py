"""`med`, `allergy` and `condition`: the medicine list and the precautions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from journal import models as m
from journal.cli import messages
from journal.cli._env import Env, db_option, pass_env, say
from journal.errors import JournalError, NotFoundError
from journal.when import format_near

KINDS = [k.value for k in m.MedKind]
FORMS = [f.value for f in m.MedForm]


@click.group("med")
def med() -> None:
    """Every medicine, OTC product, vitamin, supplement and herbal you take."""


@med.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), default=None, help="What sort of product it is.")
@click.option("--strength", metavar="S", help="As written on the label or box.")
@click.option("--how", "directions", metavar="DIRECTIONS", help="How and when you take it.")
@click.option("--reason", metavar="R", help="What it is for.")
@click.option("--prescriber", metavar="P", help="Who prescribed it.")
@click.option("--started", metavar="DATE", help="When you started it (2026-11-20, today, yesterday).")
@click.option("--track/--no-track", default=None, help="Log its daily doses in the journal.")
@click.option(
    "--time", "usual_time", metavar="HH:MM", help="The usual time of the daily dose (--track: daily at HH:MM)."
)
@click.option(
    "--schedule",
    "spec",
    metavar="SPEC",
    help="When it is taken, in one of the forms above.",
)
@click.option("--form", type=click.Choice(FORMS), default=None, help="What it is taken as (a guide sets it).")
@click.option(
    "--prescribed-daily",
    is_flag=True,
    help="The prescription says to take it more often than the journal otherwise accepts for this medicine "
    "(methotrexate more often than once a week: a cancer treatment); recorded with it.",
)
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
    spec: str | None,
    form: str | None,
    prescribed_daily: bool,
) -> None:
    """Add a medicine to your list, on a schedule of its own if it has one.

    \b
    SPEC, in any letter case (DAY is mon..sun, times are HH:MM where you are):
      daily at HH:MM[,HH:MM...]                    daily at 08:00,20:00
      weekly on DAY[,DAY...] at HH:MM[,HH:MM...]   weekly on mon,thu at 09:00
      weekly split DAY HH:MM, DAY HH:MM[, ...]     weekly split fri 08:00, fri 20:00, sat 08:00
      every N days at HH:MM[,HH:MM...]             every 3 days at 09:00
      cycle N on M off at HH:MM[,HH:MM...]         cycle 21 on 7 off at 09:00
      as needed [max N per 24h] [at least H hours apart]

    A weekly split dose is one weekly dose taken in parts, in the order written; each part is
    due in its own window and named "dose 2 of 3". Every N days and a cycle count from the
    first day. See docs/schedules.md.
    """
    from journal.application.medicines import add_medication, schedule_words
    from journal.cli import medlist

    values = {
        "name": name,
        "kind": kind,
        "strength": strength,
        "directions": directions,
        "reason": reason,
        "prescriber": prescriber,
        "started": env.day(started),
        "tracked": track,
        "usual_time": usual_time,
        "form": form,
        "prescribed_daily": prescribed_daily or None,
    }
    with _confirm_hint():
        record = add_medication(env.store, values, now=env.now, today=env.today(), spec=spec)
    plan = schedule_words(env.store, record, today=env.today())
    say(f"Added {record.describe()} ({record.kind.value}{', ' + plan if plan else ''}).")
    medlist.print_warnings(env, record)


@med.command("schedule")
@click.argument("name")
@click.argument("spec")
@click.option("--from", "from_date", metavar="DATE", required=True, help="The first day of this schedule.")
@click.option(
    "--until", "until_date", metavar="DATE", help="Its last day (nothing is due after it unless another step follows)."
)
@click.option("--dose", "amount", metavar="AMOUNT", help="The dose of this step, as the prescription says it.")
@click.option(
    "--then",
    "then",
    type=click.Choice(["stop"]),
    default=None,
    help="What happens after the step's last day: 'stop' stops the medicine (the end of a taper; needs --until).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace the steps this one overlaps: each ends the day before it starts, or is removed if it starts later.",
)
@click.option(
    "--prescribed-daily",
    is_flag=True,
    help="The prescription says so: a frequency the journal otherwise refuses for this medicine (see med add).",
)
@db_option
@pass_env
def med_schedule(
    env: Env,
    name: str,
    spec: str,
    from_date: str,
    until_date: str | None,
    amount: str | None,
    then: str | None,
    replace: bool,
    prescribed_daily: bool,
) -> None:
    """Change a medicine's schedule from a date (a taper, a titration, a new time).

    SPEC takes the forms `med add --help` lists (docs/schedules.md).
    Steps never share a day: end the step before with its own --until, or give --replace.
    """

    from journal.application.medicines import add_schedule

    record = _active(env, name)
    with _confirm_hint(), _overlap_hint():
        done = add_schedule(
            env.store,
            record,
            spec,
            starts=env.day(from_date) or env.today(),
            ends=env.day(until_date),
            dose=amount,
            now=env.now,
            prescribed_daily=prescribed_daily,
            then_stop=then == "stop",
            replace=replace,
        )
    say(f"{record.name}: {done.step.describe()}.")
    for old in done.ended:
        say(f"The step before ({old.describe()}) now ends on {old.ends}.")
    for old in done.removed:
        say(f"Replaced the step {old.describe()}.")
    if done.stops_after is not None:
        say(f"{record.name} stops after {done.stops_after}: nothing is due from the day after.")


@med.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include stopped medicines.")
@db_option
@pass_env
def med_list(env: Env, show_all: bool) -> None:
    """List your medicines, each with its schedule in words."""
    from journal.application.medicines import schedule_words

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
        plan = schedule_words(env.store, record, today=env.today())
        if plan:
            parts.append(plan)
        if record.paused_at is not None:
            parts.append(f"PAUSED since {format_near(record.paused_at, env.zone, now=env.now)}")
        if record.stopped:
            ended = record.stopped < env.today()
            parts.append(f"{'stopped' if ended else 'stops after'} {record.stopped.isoformat()}")
        say(" | ".join(parts))


@med.command("stop")
@click.argument("name")
@click.option("--reason", metavar="R", help="Why it was stopped.")
@click.option("--on", "on_date", metavar="DATE", help="Its last day (default: today); it stays on the list until then.")
@db_option
@pass_env
def med_stop(env: Env, name: str, reason: str | None, on_date: str | None) -> None:
    """Mark a medicine as stopped from a day (it stays in the journal's history)."""
    from journal.application.medicines import stop_medication

    record = _active(env, name)
    stopped = env.day(on_date) or env.today()
    stop_medication(env.store, record, on=stopped, now=env.now, reason=reason)
    if stopped > env.today():
        say(f"{record.describe()} stops after {stopped.isoformat()}: it stays on every list, and is due, until then.")
    else:
        say(f"Stopped {record.describe()} on {stopped.isoformat()}.")


@med.command("resume")
@click.argument("name")
@click.option("--note", metavar="TEXT", help="What the doctor said (kept with the medicine).")
@db_option
@pass_env
def med_resume(env: Env, name: str, note: str | None) -> None:
    """Lift a medicine's pause (after a suspected allergic reaction), once the doctor says to go on."""
    from journal.application.medicines import resume_medication, schedule_words

    record = resume_medication(env.store, _active(env, name), now=env.now, note=note)
    plan = schedule_words(env.store, record, today=env.today())
    say(f"Resumed {record.describe()}{': ' + plan if plan else ''}; its doses are due and reminded again.")


def _active(env: Env, name: str) -> m.Medication:
    record = env.store.find_medication(name, on=env.today())
    if record is None:
        raise NotFoundError(f"No active medicine is called {name!r}; see `medjournal med list`.")
    return record


@contextmanager
def _confirm_hint() -> Iterator[None]:
    """A schedule refused as more often than the medicine is taken says how to confirm the prescription."""
    from journal.application.refusals import RuleError

    try:
        yield
    except RuleError as exc:
        if exc.rule != "once a week":
            raise
        raise JournalError(messages.once_weekly(exc.violation)) from None


@contextmanager
def _overlap_hint() -> Iterator[None]:
    """A step refused for sharing days with another says the command line's ways out."""
    from journal.application.refusals import RuleError

    try:
        yield
    except RuleError as exc:
        if exc.rule != "one step at a time":
            raise
        message = exc.violation.message.rstrip(".")
        raise JournalError(
            f"{message}; nothing was recorded. Give that step a last day first, or add --replace to end it "
            "the day before this one starts."
        ) from None


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
    from journal.application.records import add_allergy
    from journal.cli import medlist

    record = add_allergy(env.store, {"substance": substance, "reaction": reaction}, now=env.now)
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
    from journal.application.records import add_condition
    from journal.cli import medlist

    record = add_condition(env.store, {"name": name, "since": env.day(since)}, now=env.now)
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
