"""`history`: every change to the journal, newest first."""

from __future__ import annotations

import click

from journal.cli._env import Env, db_option, pass_env, say
from journal.models import BY_TABLE
from journal.when import format_local


@click.command("history")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@db_option
@pass_env
def history(env: Env, limit: int) -> None:
    """Show the latest changes to the journal."""
    entries = env.existing_store.history(limit=limit)
    if not entries:
        say("The journal is empty.")
        return
    for entry in entries:
        cls = BY_TABLE.get(entry.table_name)
        snapshot = entry.after or entry.before or {}
        try:
            what = cls.from_row(snapshot).describe() if cls else entry.row_id
        except ValueError:
            what = entry.row_id
        label = cls.kind_label if cls else entry.table_name
        say(f"{format_local(entry.at, env.zone)}  {entry.action:<7} {label}: {what}")


COMMANDS = [history]
