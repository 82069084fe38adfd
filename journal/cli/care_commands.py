"""`supply`, `status`, `guide`, `resolve` and `contacted`: the care rules on the command line."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import TYPE_CHECKING

import click

from journal import models as m
from journal.application.supply import reorder_words
from journal.cli import messages
from journal.cli._env import Env, db_option, pass_env, say, warn
from journal.cli.records import shell_word, tracked_medication
from journal.content import Pack, PackError, available_packs, load_pack
from journal.errors import JournalError
from journal.when import format_local

if TYPE_CHECKING:
    from pathlib import Path

    from journal.application.supply import BoxState, SupplyStatus

# `status` exit code when something needs attention (0 otherwise), for cron or a systemd timer.
NEEDS_ATTENTION = 3
# ... and when the journal is damaged (a record cannot be read, or a check found damage), until `check` passes.
DAMAGED = 1


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" + ("" if count == 1 else "s")


def _lot(box: BoxState) -> str:
    return f" (lot {box.lot})" if box.lot else ""


def _supplies(
    env: Env, med_name: str | None, lead_days: int | None, *, fallback: bool = True
) -> list[tuple[m.Medication, SupplyStatus | None]]:
    """The medicine named, or every active medicine with a box recorded, and its supply; with none,
    every medicine tracked daily (without a supply) when `fallback`."""
    from journal.application.supply import supply_for

    def status_of(med: m.Medication) -> SupplyStatus | None:
        return supply_for(env.store, med, now=env.now, zone=env.zone, reorder_lead_days=lead_days)

    if med_name is None:
        found = [(med, status_of(med)) for med in env.store.medications()]
        supplied: list[tuple[m.Medication, SupplyStatus | None]] = [(med, s) for med, s in found if s is not None]
        if supplied or not fallback:
            return supplied
        tracked = env.store.tracked_medications()
        if tracked:
            return [(med, None) for med in tracked]
    med = tracked_medication(env, med_name)  # with none tracked, the error says how to add one
    return [(med, status_of(med))]


def _show_supply(med: m.Medication, status: SupplyStatus | None) -> None:
    from journal.application.packs import pack_of

    if status is None:
        say(f"{med.name}: no boxes recorded yet. Add one with: medjournal supply add [--lot L] [--expires DATE]")
        return
    pack = pack_of(med)
    unit = pack.supply.unit if pack else "dose"
    extra = [f"{status.expired_unused} more in expired boxes"] if status.expired_unused else []
    if status.thrown_away:
        extra.append(f"{status.thrown_away} thrown away with their boxes")
    say(
        f"{med.name}: {_plural(status.usable, unit)} left "
        f"(received {status.received}, used {status.used}, discarded {status.discarded}"
        + (f"; {'; '.join(extra)})." if extra else ").")
    )
    if not _rate_known(med):
        say(f"No days left or reorder date: {med.name} is not tracked daily, so how fast it is used is not known.")
    elif status.days_left:
        last = status.runs_out_on - timedelta(days=1)
        say(f"Enough for {_plural(status.days_left, 'day')}, until {last.isoformat()}.")
    else:
        say(f"None left for {status.runs_out_on.isoformat()}.")
    if _rate_known(med):
        due = "REORDER NOW: " if status.reorder_due else ""
        words = reorder_words(status.reorder_by, status.today)
        say(f"{due}{words[:1].upper()}{words[1:]} ({status.reorder_lead_days} days before you run out).")
    in_use = [b for b in status.boxes if b.remaining and not b.thrown_away]
    empty = status.used_up_boxes
    if in_use:
        say("Boxes with some left (used in order of expiry; none after its expiry date):")
    for box in in_use:
        lot = f" lot {box.lot}" if box.lot else ""
        expires = f", expires {box.expires.isoformat()}" if box.expires else ""
        state = " EXPIRED" if box.expired else ""
        say(f"  received {box.received.isoformat()}{lot}{expires}: {box.remaining} of {box.count} left{state}")
    if empty:
        say(f"{empty} {'boxes' if empty > 1 else 'box'} used up.")
    thrown = sum(1 for b in status.boxes if b.thrown_away)
    if thrown:
        say(f"{thrown} {'boxes' if thrown > 1 else 'box'} thrown away.")
    for box in status.expired_boxes:
        discard = f"supply discard --lot {shell_word(box.lot)}" if box.lot else "supply discard --lot L"
        warn(
            f"the box{_lot(box)} expired on {box.expires} with {_plural(box.remaining, unit)} unused: do not use "
            f"{'it' if box.remaining == 1 else 'them'}; once the box is thrown away, record it: medjournal {discard}"
        )
    for box in status.expiring_boxes:
        warn(
            f"the box{_lot(box)} expires on {box.expires}, "
            f"before its last {unit} would be used (about {box.outlasts_expiry_on})."
        )
    if status.unaccounted:
        warn(
            f"{status.unaccounted} used that no recorded box, unexpired on the day, held: "
            "record the missing box with `medjournal supply add`."
        )


def _rate_known(med: m.Medication) -> bool:
    # Days left need a rhythm of use: a medicine not tracked daily has none the journal knows.
    return med.tracked


def _reorder(med: m.Medication, status: SupplyStatus) -> str:
    return f"; {reorder_words(status.reorder_by, status.today)}." if _rate_known(med) else "."


def _supply_json(med: m.Medication, status: SupplyStatus) -> dict[str, object]:
    known = _rate_known(med)
    return {
        "medicine": med.name,
        "usable": status.usable,
        "expired_unused": status.expired_unused,
        "days_left": status.days_left if known else None,
        "reorder_by": status.reorder_by.isoformat() if known else None,
    }


@click.group("supply", invoke_without_command=True)
@click.option("--med", "med_name", metavar="NAME", help="Which medicine (default: every one with a box recorded).")
@click.option(
    "--lead-days", type=click.IntRange(0, 365), default=None, help="Days ahead to reorder (default: the pack's)."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="A JSON list, one object per medicine with a supply: medicine, usable, expired_unused, days_left, reorder_by.",
)
@db_option
@pass_env
@click.pass_context
def supply(ctx: click.Context, env: Env, med_name: str | None, lead_days: int | None, as_json: bool) -> None:
    """Syringes left, days left and reorder-by; `supply add` records a box, `supply discard` one thrown away."""
    if ctx.invoked_subcommand is not None:
        return
    # A script reading --json gets a list, empty when no medicine has a box yet.
    env.existing_store  # noqa: B018 - reading supply never creates a journal
    found = _supplies(env, med_name, lead_days, fallback=not as_json)
    if as_json:
        import json

        say(json.dumps([_supply_json(med, status) for med, status in found if status is not None], ensure_ascii=True))
        return
    for index, (med, status) in enumerate(found):
        if index:
            say()
        _show_supply(med, status)


@supply.command("add")
@click.option("--lot", metavar="L", help="The lot number printed on the box.")
@click.option("--expires", metavar="DATE", help="The expiry date printed on the box.")
@click.option("--count", type=click.IntRange(1, 1000), default=None, help="How many in the box (default: the pack's).")
@click.option("--received", metavar="DATE", help="When it arrived (default: today).")
@click.option("--med", "med_name", metavar="NAME", help="Which medicine (default: the one tracked daily).")
@db_option
@pass_env
def supply_add(
    env: Env,
    lot: str | None,
    expires: str | None,
    count: int | None,
    received: str | None,
    med_name: str | None,
) -> None:
    """Record a box received."""
    from journal.application.packs import pack_of
    from journal.application.supply import add_box, supply_for

    med = tracked_medication(env, med_name)
    box = add_box(
        env.store,
        med,
        received=env.day(received) or env.today(),
        now=env.now,
        count=count,
        lot=lot,
        expires=env.day(expires),
    )
    pack = pack_of(med)
    unit = pack.supply.unit if pack else "dose"
    details = ", ".join(
        p for p in (f"lot {box.lot}" if box.lot else "", f"expires {box.expires}" if box.expires else "") if p
    )
    say(f"Added a box of {_plural(box.count, unit)} of {med.name}" + (f" ({details})." if details else "."))
    if box.expires and box.expires < env.today():
        warn(f"this box expired on {box.expires}: do not use it; ask your pharmacist.")
    status = supply_for(env.store, med, now=env.now, zone=env.zone)
    if status is not None:
        say(f"Now {_plural(status.usable, unit)} left" + _reorder(med, status))


@supply.command("discard")
@click.option("--lot", metavar="L", required=True, help="The lot number printed on the box thrown away.")
@click.option("--med", "med_name", metavar="NAME", help="Which medicine (default: the one tracked daily).")
@click.option("--reason", metavar="TEXT", help="Why it was thrown away (expired, dropped, ...).")
@db_option
@pass_env
def supply_discard(env: Env, lot: str, med_name: str | None, reason: str | None) -> None:
    """Record a box thrown away: what was left in it no longer counts, and no dose is taken from it again."""
    from journal.application.packs import pack_of
    from journal.application.supply import discard_box, supply_for

    med = tracked_medication(env, med_name)
    box, left = discard_box(env.store, med, lot=lot, now=env.now, zone=env.zone, reason=reason)
    pack = pack_of(med)
    unit = pack.supply.unit if pack else "dose"
    say(
        f"Recorded the box of {med.name} lot {box.lot} (received {box.received}) as thrown away"
        + (f", with {_plural(left, unit)} in it: they no longer count." if left else ".")
    )
    status = supply_for(env.store, med, now=env.now, zone=env.zone)
    if status is not None:
        say(f"Now {_plural(status.usable, unit)} left" + _reorder(med, status))


@click.command("status")
@click.option(
    "--lead-days", type=click.IntRange(0, 365), default=None, help="Days ahead to reorder (default: the pack's)."
)
@click.option("--json", "as_json", is_flag=True, help="The same state as JSON, for scripts and status bars.")
@db_option
@pass_env
def status(env: Env, lead_days: int | None, as_json: bool) -> int:
    """One line for a shell prompt or status bar; exit 3 when something needs attention, else 0."""
    from journal.application.status import status_json, status_line
    from journal.application.today import build_today

    today = build_today(env.existing_store, now=env.now, zone=env.zone, reorder_lead_days=lead_days)
    unlike = _backups_unlike(env.db_path)
    attention = today.needs_attention or bool(unlike)
    if as_json:
        import json

        # ensure_ascii: a control character typed into a name reaches the terminal only as a \u escape.
        shown = status_json(today)
        if today.damage:  # each record left out, named
            shown["damage"] = list(today.damage)
        if unlike:
            shown["backups_unlike_journal"] = [{"path": str(p), "state": why} for p, why in unlike.items()]
            shown["needs_attention"] = True
        say(json.dumps(shown, ensure_ascii=True))
        return DAMAGED if today.damage else (NEEDS_ATTENTION if attention else 0)
    line = status_line(today)
    if unlike:
        line += f" | {len(unlike)} backup(s) not like the journal: see `medjournal backups`"
    if today.damage:
        say(f"JOURNAL DAMAGED ({len(today.damage)} problem(s): {messages.DAMAGED}) | {line}")
        return DAMAGED
    say(line)
    return NEEDS_ATTENTION if attention else 0


def _backups_unlike(path: Path) -> dict[Path, str]:
    """The journal's backups in another state than it (plain, encrypted, an older passphrase): see `backups`."""
    from journal.application import backups, encryption

    return backups.out_of_step(path, encryption.known_key(path))


def _guide_pack(env: Env, med_name: str | None) -> Pack:
    from journal.application.packs import linked_packs, pack_of

    if med_name:
        med = tracked_medication(env, med_name)
        pack = pack_of(med)
        if pack is None:
            raise JournalError(f"{med.name} has no guide (no content pack is linked to it).")
        return pack
    # Reading the guide should not create a journal file.
    linked = linked_packs(env.store) if env.db_path.exists() else []
    keys = list(dict.fromkeys(p.key for _, p in linked))
    if len(keys) > 1:
        raise JournalError(f"Several medicines have a guide ({', '.join(keys)}); say which with --med NAME.")
    if keys:
        return linked[0][1]
    shipped = available_packs()
    if len(shipped) == 1:
        return load_pack(shipped[0])
    if not shipped:
        raise JournalError("No guides are installed.")
    raise JournalError(f"Guides are available for {', '.join(shipped)}; say which with --med NAME.")


@click.command("guide")
@click.argument("topic", required=False)
@click.option("--med", "med_name", metavar="NAME", help="Whose guide (default: the tracked medicine's).")
@db_option
@pass_env
def guide(env: Env, topic: str | None, med_name: str | None) -> None:
    """Print a section of the medicine's guide (with no TOPIC: the list of topics)."""
    try:
        pack = _guide_pack(env, med_name)
        if topic is None:
            say(f"Guide for {pack.medication.display_name}. Topics:")
            width = max(len(t) for t in pack.topics)
            for section in pack.sections:
                say(f"  {section.topic.ljust(width)}  {section.title}")
            say("Show one with: medjournal guide TOPIC (for example: medjournal guide inject)")
            say(pack.source.disclaimer)
            return
        wanted = topic.strip().lower()
        matches = [t for t in pack.topics if t == wanted] or [t for t in pack.topics if t.startswith(wanted)]
        if len(matches) != 1:
            raise JournalError(f"No guide topic {topic!r}; topics: {', '.join(pack.topics)}.")
        text = pack.section_text(matches[0])
    except PackError as exc:
        raise JournalError(str(exc)) from None
    _print_markdown(text.rstrip())
    source = pack.source_line(text)
    if source:
        say()
        say(source)


def _print_markdown(text: str) -> None:
    # In a terminal, headings and bold read better drawn than as `#` and `**`; piped into a
    # file or another program, the Markdown itself is the most useful plain text.
    if not sys.stdout.isatty():
        say(text)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    Console().print(Markdown(text))


@click.command("resolve")
@click.argument("symptom")
@click.option("--at", "at", metavar="WHEN", help="When it went away; default now.")
@db_option
@pass_env
def resolve(env: Env, symptom: str, at: str | None) -> None:
    """Mark an open side effect as resolved (closes its alert)."""
    from journal.application.effects import resolve_side_effect

    when = env.when(at)
    record = resolve_side_effect(env.store, symptom, at=when, now=env.now)
    say(f"Marked {record.describe()} as resolved on {format_local(when, env.zone)}.")


@click.command("contacted")
@click.argument("symptom")
@click.option("--at", "at", metavar="WHEN", help="When you reached the doctor; default now.")
@db_option
@pass_env
def contacted(env: Env, symptom: str, at: str | None) -> None:
    """Record that you contacted your doctor about an open side effect (closes its alert)."""
    from journal.application.effects import mark_doctor_contacted

    when = env.when(at)
    record = mark_doctor_contacted(env.store, symptom, at=when, now=env.now)
    say(
        f"Noted: doctor contacted about {record.describe()} on {format_local(when, env.zone)}; its alert is closed. "
        f"When it has gone, run `medjournal resolve {shell_word(record.symptom)}`."
    )


COMMANDS = [supply, status, guide, resolve, contacted]
