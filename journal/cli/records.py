"""Quick entries: `dose`, `effect`, `appt`, `checkin`, `profile`."""

from __future__ import annotations

import click

from journal import models as m
from journal.cli import messages
from journal.cli._env import Env, db_option, pass_env, say, warn
from journal.errors import JournalError, NotFoundError
from journal.when import format_local, format_near

APPEARANCES = [a.value for a in m.Appearance]
SEVERITIES = [s.value for s in m.Severity]
APPT_KINDS = [k.value for k in m.ApptKind]


def tracked_medication(env: Env, name: str | None) -> m.Medication:
    """The medicine a dose is for: the one named, the only one tracked, or the only one due now.

    Two or more due at once: it never chooses between them (an overdue injection is never passed over
    for a tablet due later); the person names one.
    """
    store = env.store
    if name:
        found = store.find_medication(name, on=env.today())
        if found is None:
            raise NotFoundError(f"No active medicine is called {name!r}; see `medjournal med list`.")
        return found
    tracked = store.tracked_medications(on=env.today())
    if not tracked:
        raise JournalError(
            "No medicine is tracked daily yet; add one first, for example: "
            "medjournal med add anakinra --track --time 08:00"
        )
    if len(tracked) == 1:
        return tracked[0]
    from journal.application.doses import open_now

    due = open_now(env.store, tracked, now=env.now, zone=env.zone)
    if len(due) == 1:
        return due[0]
    if due:
        raise JournalError(messages.several_due(due))
    names = ", ".join(med.name for med in tracked)
    raise JournalError(f"Several medicines are tracked ({names}) and none is due now; say which with --med NAME.")


@click.command("dose")
@click.option("--at", "at", metavar="WHEN", help="When (08:30, yesterday 21:00, 2026-11-20 08:00); default now.")
@click.option(
    "--site",
    metavar="SITE",
    help="A region (thigh-left: its least recently used spot) or a spot (thigh-left:B2); default: the suggested spot.",
)
@click.option(
    "--syringe", type=click.Choice(APPEARANCES), default=None, help="How the syringe looked (default: clear)."
)
@click.option(
    "--waited", type=click.IntRange(0, 240), metavar="MINUTES", help="Minutes a foamy syringe sat until it cleared."
)
@click.option("--by", "given_by", type=click.Choice([g.value for g in m.GivenBy]), default="self")
@click.option("--leftover", is_flag=True, help="Some solution was left in the syringe after injecting.")
@click.option("--skip", "skip_reason", metavar="REASON", help="Record a skipped dose, with the reason.")
@click.option("--note", metavar="TEXT")
@click.option("--extra", is_flag=True, help="A dose beyond the schedule, on purpose (counted and shown as extra).")
@click.option("--med", "med_name", metavar="NAME", help="Which medicine (default: the one due now).")
@db_option
@pass_env
def dose(
    env: Env,
    at: str | None,
    site: str | None,
    syringe: str | None,
    waited: int | None,
    given_by: str,
    leftover: bool,
    skip_reason: str | None,
    note: str | None,
    extra: bool,
    med_name: str | None,
) -> None:
    """Record a dose: the syringe check and the injection site for an injection (or a skipped dose)."""
    from journal.application.doses import ExtraDoseError, record_dose

    med = tracked_medication(env, med_name)
    when = env.when(at)
    if skip_reason is not None:
        if site or syringe or waited is not None or leftover:
            raise click.UsageError(
                "--skip records a dose not taken: it takes no --site, --syringe, --waited or --leftover."
            )
        from journal.application.doses import record_skip

        record = record_skip(env.store, med, at=when, zone=env.zone, now=env.now, reason=skip_reason, note=note)
        say(f"Recorded a skipped {med.name} dose on {format_local(when, env.zone)}: {record.reason}.")
        return
    try:
        result = record_dose(
            env.store,
            med,
            at=when,
            zone=env.zone,
            now=env.now,
            appearance=syringe,
            waited_minutes=waited,
            site=site,
            given_by=m.GivenBy(given_by),
            leftover=leftover,
            note=note,
            extra=extra,
        )
    except ExtraDoseError as exc:
        raise JournalError(messages.extra_dose(exc)) from None
    check = result.inspection
    if result.first_use:
        say(f"First dose: {result.first_use}")
    if result.dose is None:
        assert result.check is not None and check is not None
        say(f"Syringe: {check.label.lower()} - DO NOT USE IT. {check.advice}")
        say(
            f"NO DOSE RECORDED. The syringe was recorded as discarded at {format_local(when, env.zone)}, "
            f"and your {med.name} supply is one syringe lower."
        )
        if result.disposal:
            say(result.disposal)
        say("Take a new syringe, check it, and run `medjournal dose` again once you have injected it.")
        return
    if check is not None:
        waited_text = f" after waiting {check.waited_minutes} min until it cleared" if check.waited_minutes else ""
        say(f"Syringe: {check.label.lower()} - used{waited_text}.")
    where = ""
    if result.site_label:
        where = f" at the {'suggested ' if result.suggested else ''}spot {result.site_label}"
    elif result.dose.region:
        where = f", site {result.dose.region}"
    by = " (given by someone else)" if result.dose.given_by is m.GivenBy.OTHER else ""
    extra_text = " (an extra dose)" if extra else ""
    amount = f" ({result.dose.amount})" if result.dose.amount else ""
    say(f"Recorded {med.name} dose{amount}{extra_text}, {format_near(when, env.zone, now=env.now)}{where}{by}.")
    if result.site_advice and result.dose.region:
        say(f"At the site: {result.site_advice}")
    if result.no_free_spot:
        warn(messages.no_free_spot())
    for text in result.warnings:
        warn(text)
    if result.leftover_advice:
        say(f"Leftover solution noted - never inject it again. {result.leftover_advice}")
    if result.disposal:
        say(result.disposal)


@click.command("effect")
@click.argument("symptom")
@click.option("--severity", type=click.Choice(SEVERITIES), default=None)
@click.option("--at", "at", metavar="WHEN", help="When it started; default now.")
@click.option("--site", metavar="REGION", help="For a reaction at an injection site: which region (e.g. thigh-left).")
@click.option("--note", metavar="TEXT")
@db_option
@pass_env
def effect(env: Env, symptom: str, severity: str | None, at: str | None, site: str | None, note: str | None) -> None:
    """Record a side effect and say what to do about it."""
    from journal.application.effects import Action, record_side_effect

    when = env.when(at)
    result = record_side_effect(
        env.store, symptom, at=when, zone=env.zone, now=env.now, severity=severity, site=site, note=note
    )
    record, triage = result.effect, result.triage
    say(f"Recorded side effect: {record.describe()} from {format_local(when, env.zone)}.")
    if triage.understood_line:
        say(triage.understood_line)
    stays_open = (
        f"This stays an open alert until you run `medjournal contacted {shell_word(symptom)}` "
        f"or `medjournal resolve {shell_word(symptom)}`."
    )
    if triage.action is Action.EMERGENCY:
        say(f"EMERGENCY - GET EMERGENCY HELP NOW. {triage.advice}")
        say(stays_open)
    elif triage.action is Action.CALL_NOW:
        say(f"SERIOUS - CALL YOUR DOCTOR NOW. {triage.advice}")
        say(stays_open)
    elif triage.action is Action.TELL_DOCTOR:
        say(f"TELL YOUR DOCTOR: {triage.label or symptom} is a common side effect, described as severe or lasting.")
        say(triage.advice)
    elif triage.action is Action.WATCH:
        say(f"Common side effect ({triage.label}). {triage.advice}")
    else:
        say(f"Not a side effect the guide lists. {triage.advice}")
        say(stays_open)
    if result.paused is not None:
        name = result.paused.name
        say(
            f"{name} is PAUSED from now: nothing is due or reminded, and a dose asks first. Ask your doctor "
            f"before the next dose; once they say to go on, run `medjournal med resume {shell_word(name)}`."
        )
    if result.assumed_region:
        say(messages.assumed_region(result.assumed_region))


def shell_word(text: str) -> str:
    """`text` quoted for a shell when it has spaces or quotes."""
    import shlex

    return shlex.quote(text)


@click.group("appt")
def appt() -> None:
    """Doctor's appointments, lab tests, vaccinations, surgery and dental work."""


@appt.command("add")
@click.argument("when")
@click.argument("kind", type=click.Choice(APPT_KINDS))
@click.option("--with", "with_whom", metavar="WHO", help="Who you are seeing.")
@click.option("--note", metavar="TEXT", help="What it is for.")
@db_option
@pass_env
def appt_add(env: Env, when: str, kind: str, with_whom: str | None, note: str | None) -> None:
    """Add an appointment (WHEN: 2026-12-01 09:30, tomorrow 14:00)."""
    from journal.application.appointments import add_appointment
    from journal.cli import medlist

    moment = env.when(when, ahead=True)
    record = add_appointment(
        env.store, at=moment, zone=env.zone, kind=kind, now=env.now, with_whom=with_whom, purpose=note
    )
    say(f"Added {record.describe()} on {format_local(moment, env.zone)}.")
    medlist.print_warnings(env, record)


@appt.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include past appointments.")
@db_option
@pass_env
def appt_list(env: Env, show_all: bool) -> None:
    """List upcoming appointments."""
    records = env.existing_store.between(m.Appointment, "at", None if show_all else env.now)
    for record in records:
        extra = f" - {record.purpose}" if record.purpose else ""
        say(f"{format_local(record.at, record.tz)}  {record.describe()} [{record.status.value}]{extra}")
    if not records:
        say("No appointments." if show_all else "No upcoming appointments.")


@click.command("checkin")
@click.option("--pain", type=click.IntRange(0, 10), help="Pain, 0 (none) to 10 (worst).")
@click.option("--swelling", type=click.IntRange(0, 10), help="Swelling, 0 to 10.")
@click.option("--stiffness", type=click.IntRange(0, 1440), metavar="MINUTES", help="Morning stiffness in minutes.")
@click.option("--at", "at", metavar="WHEN")
@click.option("--note", metavar="TEXT")
@db_option
@pass_env
def checkin(
    env: Env, pain: int | None, swelling: int | None, stiffness: int | None, at: str | None, note: str | None
) -> None:
    """Record how the treatment is working."""
    from journal.application.records import add_checkin

    when = env.when(at)
    values = {"pain": pain, "swelling": swelling, "stiffness_minutes": stiffness, "note": note}
    record = add_checkin(env.store, values, at=when, zone=env.zone, now=env.now)
    say(f"Recorded check-in: {record.describe()} at {format_local(when, env.zone)}.")


@click.command("profile")
@click.option("--name", "name")
@click.option("--born", metavar="DATE")
@click.option("--emergency-contact", "emergency_contact", metavar="C")
@click.option("--doctor", metavar="D")
@click.option("--pharmacy", metavar="P")
@click.option("--notes", metavar="TEXT")
@db_option
@pass_env
def profile(
    env: Env,
    name: str | None,
    born: str | None,
    emergency_contact: str | None,
    doctor: str | None,
    pharmacy: str | None,
    notes: str | None,
) -> None:
    """Show the profile, or set its fields."""
    changes = {
        k: v
        for k, v in {
            "name": name,
            "born": env.day(born),
            "emergency_contact": emergency_contact,
            "doctor": doctor,
            "pharmacy": pharmacy,
            "notes": notes,
        }.items()
        if v is not None
    }
    from journal.application.records import save_profile

    store = env.store
    current = save_profile(store, changes, now=env.now) if changes else store.profile()
    if current is None:
        say("No profile yet. Set it with: medjournal profile --name NAME --emergency-contact C ...")
        return
    if changes:
        say("Profile saved.")
    for label, value in (
        ("Name", current.name),
        ("Born", current.born.isoformat() if current.born else None),
        ("Emergency contact", current.emergency_contact),
        ("Doctor", current.doctor),
        ("Pharmacy", current.pharmacy),
        ("Notes", current.notes),
    ):
        say(f"{label}: {value or '-'}")


COMMANDS = [dose, effect, appt, checkin, profile]
