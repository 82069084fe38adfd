"""`history`: every change to the journal, newest first, with the ids `edit`, `delete` and `undo` take."""

from __future__ import annotations

import click

from journal.application.changes import ChangeWords
from journal.application.corrections import MIN_PREFIX as SHOWN_ID  # as many as `edit` and `delete` need
from journal.cli._env import Env, db_option, pass_env, say
from journal.models import BY_TABLE
from journal.when import format_local


@click.command("history")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per change, with the record's full id.")
@db_option
@pass_env
def history(env: Env, limit: int, as_json: bool) -> None:
    """Show the latest changes to the journal, each with its record's id."""
    entries = env.existing_store.history(limit=limit)
    if as_json:
        import json

        for entry in entries:
            change = {
                "at": entry.at.isoformat().replace("+00:00", "Z"),
                "action": entry.action,
                "table": entry.table_name,
                "id": entry.row_id,
                "record": entry.after or entry.before,
            }
            # ensure_ascii: a control character in a note reaches the terminal only as \u escapes.
            say(json.dumps(change, ensure_ascii=True))
        return
    if not entries:
        say("The journal is empty.")
        return
    words = ChangeWords(env.existing_store)
    for entry in entries:
        cls = BY_TABLE.get(entry.table_name)
        what = words.what(entry, env.zone)
        label = cls.kind_label if cls else entry.table_name
        say(f"{format_local(entry.at, env.zone)}  {entry.row_id[:SHOWN_ID]}  {entry.action:<7} {label}: {what}")


COMMANDS = [history]
