"""`import`: bring the medicines and their history from another app (MedTimer, MyTherapy)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click

from journal.cli._env import Env, db_option, pass_env, say
from journal.errors import JournalError

# Of the records skipped for one reason, how many are named one by one (the rest are counted).
NAMED = 10


@click.command("import")
@click.argument("file", metavar="FILE")
@click.option(
    "--format",
    "source_format",
    type=click.Choice(["medtimer", "mytherapy"]),
    default=None,
    help="The app the file comes from (default: recognised from its content).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be imported, and write nothing.")
@click.option(
    "--all-or-nothing",
    is_flag=True,
    help="Import nothing if a rule or a bad value refuses any record (rows the journal has no place for, "
    "such as measurements, do not count).",
)
@click.option(
    "--tz", "zone", metavar="ZONE", help="The time zone the file's times were in (default: yours, e.g. Europe/Berlin)."
)
@db_option
@pass_env
def import_command(
    env: Env, file: str, source_format: str | None, dry_run: bool, all_or_nothing: bool, zone: str | None
) -> None:
    """Import medicines, doses and skips from a MedTimer backup or a MyTherapy Archive.csv.

    Each record is held to the same rules as one typed in; what cannot be imported is listed with the reason,
    and importing the same file again adds nothing.
    """
    from journal.application.imports import import_file, read_file
    from journal.application.opening import Store

    tz = _zone(zone) if zone else env.zone
    parsed = read_file(Path(file), source_format=source_format, zone=tz)
    if dry_run and not env.db_path.exists():
        # No journal yet: the dry run imports into an empty one in memory, and no file is created.
        with Store.memory() as store:
            report = import_file(store, parsed, file=Path(file).name, now=env.now, zone=tz, dry_run=True)
    else:
        report = import_file(
            env.store,
            parsed,
            file=Path(file).name,
            now=env.now,
            zone=tz,
            dry_run=dry_run,
            all_or_nothing=all_or_nothing,
        )
    would = "would be " if not report.written else ""
    say(f"{file}: a {report.label}, its times read in {tz}.")
    for line in report.medicines:
        say(f"medicine {would}added: {line}")
    for name in sorted(set(report.taken) | set(report.skips)):
        say(f"{name}: {report.taken[name]} doses taken and {report.skips[name]} skipped {would}added")
    for note in report.notes:
        say(f"note: {note}")
    grouped: dict[str, list[str]] = defaultdict(list)
    for item in report.skipped:
        grouped[item.why].append(item.what)
    for why, items in grouped.items():
        for what in items[:NAMED]:
            say(f"skipped: {what}: {why}")
        if len(items) > NAMED:
            say(f"skipped: {len(items) - NAMED} more like these: {why}")
    summary = f"{report.added} added, {report.already} already there, {len(report.skipped)} skipped"
    if report.written:
        undo = " `medjournal undo` takes the whole import back." if report.added else ""
        say(f"Imported: {summary}.{undo}")
    elif dry_run:
        say(f"Dry run, nothing was written: {summary}.")
    else:
        raise JournalError(
            f"{len(report.refused)} records of {file} cannot be imported (listed above), and --all-or-nothing "
            "was given: nothing was written."
        )


def _zone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise JournalError(f"--tz {name!r} is not a time zone name such as Europe/Berlin.") from None
    return name


COMMANDS = [import_command]
