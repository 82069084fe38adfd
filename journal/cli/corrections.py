"""Correcting the journal from the command line: `edit`, `delete`, `undo`."""

from __future__ import annotations

import sys

import click

from journal.application import corrections
from journal.cli._env import Env, db_option, pass_env, say
from journal.errors import JournalError


def _show(record_id: str) -> str:
    return record_id[: corrections.MIN_PREFIX]


@click.command("edit")
@click.argument("record_id", metavar="ID")
@click.argument("assignments", nargs=-1, required=True, metavar="FIELD=VALUE...")
@db_option
@pass_env
def edit(env: Env, record_id: str, assignments: tuple[str, ...]) -> None:
    """Correct fields of a record (ID as `history` shows it), held to the same rules as a new entry."""
    typed: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise JournalError(f"{item!r} is not FIELD=VALUE (for example spot=thigh-left:B2, or note= to clear).")
        typed[name] = value
    store = env.store
    record = corrections.find_record(store, record_id, include_deleted=True)
    before = {name: corrections.shown_value(record, name, env.zone) for name in corrections.editable_fields(record)}
    saved = corrections.edit(store, record, typed, now=env.now, zone=env.zone)
    changed = [
        f"{name} {before[name] or '(empty)'} -> {corrections.shown_value(saved, name, env.zone) or '(empty)'}"
        for name in corrections.editable_fields(saved)
        if corrections.shown_value(saved, name, env.zone) != before[name]
    ]
    if not changed:
        say(f"Nothing changed: the {saved.kind_label} {_show(saved.id)} already holds those values.")
        return
    say(f"Changed {saved.kind_label} {_show(saved.id)} ({saved.describe()}): {'; '.join(changed)}.")


@click.command("delete")
@click.argument("record_id", metavar="ID")
@db_option
@pass_env
def delete(env: Env, record_id: str) -> None:
    """Delete a record (ID as `history` shows it); it is kept in the history, and `undo` brings it back."""
    store = env.store
    record = corrections.find_record(store, record_id, include_deleted=True)
    corrections.delete(store, record, now=env.now)
    say(f"Deleted {record.kind_label} {_show(record.id)} ({record.describe()}); `medjournal undo` brings it back.")


@click.command("undo")
@click.option("--yes", is_flag=True, help="Undo without asking.")
@db_option
@pass_env
def undo(env: Env, yes: bool) -> None:
    """Take back the last change to the journal (shown first), with everything written together with it."""
    store = env.store
    changes = corrections.last_write(store)
    say("The last change:")
    for change in changes:
        say(f"  {change.describe(env.zone)}")
    if not yes:
        if not sys.stdin.isatty():
            raise JournalError("undo changes the journal: add --yes to confirm; nothing was changed.")
        if not click.confirm("Undo it?", default=False):
            raise JournalError("nothing was undone.")
    corrections.undo(store, changes, now=env.now)
    say("Undone." if len(changes) == 1 else f"Undone ({len(changes)} changes).")


COMMANDS = [edit, delete, undo]
