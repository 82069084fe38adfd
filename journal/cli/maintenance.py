"""Looking after the journal file: `check`, `backup`, `backups`, `restore`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from journal.application import backups, damage, encryption
from journal.application.opening import Store
from journal.cli._env import Env, db_option, pass_env, say, tell_wal_left_out, warn
from journal.errors import JournalError
from journal.locations import manual_backup_path
from journal.when import format_local


def _when(env: Env, iso: str | None) -> str:
    if not iso:
        return "never"
    try:
        return format_local(datetime.fromisoformat(iso), env.zone)
    except ValueError:
        return iso


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / (1024 * 1024):.1f} MB"


@click.command("check")
@db_option
@pass_env
def check(env: Env) -> None:
    """Check the journal file for damage (integrity, foreign keys) and records that break a rule; writes nothing."""
    path = env.db_path
    if not path.exists():
        raise JournalError(f"no journal at {path}.")
    found = backups.inspect(path)
    tell_wal_left_out(path)
    say(f"Journal: {path}")
    if found.unknown_steps:
        say(f"Schema: written by a newer version of medjournal (step {found.unknown_steps[-1]}).")
    elif found.steps:
        say(f"Schema: {len(found.steps)} step(s), latest {found.steps[-1]}.")
    for problem in found.problems:
        say(f"Problem: {problem}")
    if found.problems:
        raise JournalError(
            f"{path} has {len(found.problems)} problem(s); restore a backup with `medjournal restore` "
            "(see `medjournal backups`)."
        )
    say("Integrity: ok.")
    say("Foreign keys: ok.")
    _check_records(path)
    _check_packs()
    broken = backups.rule_violations(path) if found.steps else []
    for violation in broken:
        say(f"Rule broken: {violation.line()}")
    if broken:
        raise JournalError(
            f"{path} has {len(broken)} rule violation(s); correct each record with "
            "`medjournal edit ID FIELD=VALUE` or remove it with `medjournal delete ID`."
        )
    say("Rules: every record keeps them.")
    # The one thing check writes: it forgets the damage earlier checks noted, now that it passed.
    damage.clear_problems(path)
    say(f"Changes recorded: {found.records}, the last on {_when(env, found.last_change)}.")


def _check_records(path: Path) -> None:
    """Every record read back: those whose stored values cannot be read are named, and fail the check."""
    damaged = damage.scan_file(path)
    for item in damaged:
        say(f"Damaged record: {item.describe()}")
    if damaged:
        raise JournalError(
            f"{path} holds {len(damaged)} record(s) that cannot be read (left out of everything shown); "
            "restore a backup from before they were written, or correct them with a database tool."
        )
    say("Records: all readable.")


def _check_packs() -> None:
    """The installed content packs: a broken one means the rules it holds were not checked, and fails the check."""
    from journal.content.loader import broken_packs

    failed = broken_packs()
    for error in failed:
        say(f"Problem: {error}")
    if failed:
        raise JournalError(
            f"{len(failed)} installed content pack(s) cannot be read, so the rules they hold were not checked; "
            "reinstall medjournal."
        )
    say("Content packs: sound.")


@click.command("backup")
@click.argument("dest", required=False, metavar="[DEST]")
@db_option
@pass_env
def backup(env: Env, dest: str | None) -> None:
    """Copy the journal safely, even while it is open (default: into its backup folder)."""
    path = env.db_path
    with Store.open(path, create=False) as store:
        if dest is None:
            written = backups.take(store.db, path, backups.MANUAL)
        else:
            target = Path(dest).expanduser()
            if target.is_dir():
                target = manual_backup_path(target, path, datetime.now(UTC))
            written = store.backup_to(target)
    say(f"Backed up {path} to {written} (integrity checked).")


@click.command("backups")
@db_option
@pass_env
def list_backups(env: Env) -> None:
    """List the journal's backups, newest first."""
    path = env.db_path
    found = backups.list_backups(path)
    for problem in damage.noted_problems(path):
        warn(f"{problem}; run `medjournal check`.")
    if backups.keep_problem():
        warn(f"{backups.keep_problem()}.")
    interrupted = backups.interrupted_conversion(path)
    if interrupted is not None:
        warn(
            f"a `medjournal {interrupted}` of {path} is under way or was interrupted: its backups may be in "
            "another state than the journal until the next command that opens the journal finishes it."
        )
    if not found:
        say(f"No backups yet in {path.name}.backups beside {path}.")
        return
    # The journal's key, when it opens without asking: a backup on an older passphrase is then told apart.
    key = encryption.key_without_asking(path) if path.is_file() and encryption.is_encrypted(path) else None
    unlike = backups.out_of_step(path, key)
    if unlike:
        state = "encrypted" if encryption.is_encrypted(path) else "plain"
        warn(f"{len(unlike)} backup(s) are in another state than the journal, which is {state} (marked below).")
    keep = backups.keep_count()
    say(f"Backups of {path} (daily ones: the last {keep} are kept; set {backups.ENV_KEEP} to change):")
    for item in found:
        when = format_local(item.taken_at, env.zone)
        say(f"  {when}  {item.kind:<24} {_size(item.size):>8}  {item.path}")
        if item.path in unlike:
            say(f"      not like the journal: {unlike[item.path]}")
        say(f"      {backups.restorable(item.path, journal=path, unlike=unlike.get(item.path))}")


@click.command("restore")
@click.argument("src", metavar="SRC")
@click.option("--yes", is_flag=True, help="Replace the journal without asking.")
@db_option
@pass_env
def restore(env: Env, src: str, yes: bool) -> None:
    """Replace the journal with a backup, after checking it; the current journal is kept as a backup."""
    path = env.db_path
    source = Path(src).expanduser()
    found = backups.validate_source(source)
    say(f"{source}: {found.records} change(s) recorded, the last on {_when(env, found.last_change)}.")
    # Records the journal already leaves out and names: restored as they are, once the person has seen them.
    for line in found.unreadable:
        say(f"Unreadable record: {line}")
    if found.unreadable:
        say(
            f"{len(found.unreadable)} record(s) above cannot be read: they are restored as they are, left out of "
            "what the journal shows, and named by `medjournal check` until corrected."
        )
    if not yes:
        if not sys.stdin.isatty():
            raise JournalError("restore replaces the whole journal: add --yes to confirm; nothing was changed.")
        also = f", {len(found.unreadable)} unreadable record(s) included" if found.unreadable else ""
        question = f"Replace {path} with it{also} (the current journal is kept as a backup)?"
        if not click.confirm(question, default=False):
            raise JournalError("nothing was restored.")
    kept = backups.restore(source, path)
    say(f"Restored {path} from {source}.")
    if kept is not None:
        say(f"The previous journal was kept as {kept}.")


COMMANDS = [check, backup, list_backups, restore]
