"""`export`: the visit summary as Markdown, HTML, PDF, FHIR, CSV or iCalendar."""

from __future__ import annotations

from pathlib import Path

import click

from journal.cli._env import STDOUT, Env, db_option, note_plain_export, pass_env, write_stdout
from journal.export import SUMMARY_FORMATS, missing_glyphs_warning
from journal.visible import visible


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(SUMMARY_FORMATS)),
    default="markdown",
    show_default=True,
    help="pdf and csv (a zip) are binary: they need -o FILE.",
)
@click.option("--since", metavar="DATE", help="First day (default: the last doctor's visit marked done, else 90 days).")
@click.option("--until", metavar="DATE", help="Last day, included (default: now).")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Write to FILE (created 0600; - is standard output).",
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@db_option
@pass_env
def export(env: Env, fmt: str, since: str | None, until: str | None, output: Path | None, force: bool) -> None:
    """Export the visit summary for a period (text formats go to standard output without -o)."""
    from journal.files import refuse_journal_path, write_private
    from journal.summary.build import build_visit_summary, resolve_period

    chosen = SUMMARY_FORMATS[fmt]
    to_stdout = output == STDOUT  # `-o -`: standard output, binary formats included
    if to_stdout:
        output = None
    if output is not None:
        refuse_journal_path(output, env.db_path)
    if chosen.binary and output is None and not to_stdout:
        raise click.ClickException(f"{chosen.label} is a binary format; write it to a file with -o FILE.")
    # It only reads: the day's automatic backup waits for a write. The journal is checked while
    # the renderer is imported (with its format's library, such as the PDF writer).
    store, render = env.reading_store_during(chosen.renderer)
    period = resolve_period(store, now=env.now, zone=env.zone, since=env.day(since), until=env.day(until))
    content = chosen.encode(render(build_visit_summary(store, now=env.now, zone=env.zone, period=period)))
    if output is None:
        if chosen.binary:
            write_stdout(content)
        else:
            click.echo(visible(content.decode("utf-8")), nl=False)
        return
    written = write_private(output, content, force=force)
    click.echo(visible(f"Wrote the visit summary ({chosen.label}) for {period.text} to {written}."))
    if warning := missing_glyphs_warning(content):
        click.echo(visible(f"warning: {warning}"), err=True)
    note_plain_export(env, written)


COMMANDS = [export]
