"""`export`: the visit summary as Markdown, HTML, PDF, FHIR, CSV or iCalendar."""

from __future__ import annotations

import stat
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from journal.cli._env import STDOUT, Env, db_option, note_plain_export, pass_env, write_stdout
from journal.export import SUMMARY_FORMATS, format_for_file, missing_glyphs_warning
from journal.visible import visible

# Endings that say what a file holds: a file with one of them must hold just that.
KNOWN_ENDINGS = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".json", ".zip", ".csv", ".ics")


def refuse_misnamed(output: Path, writes: str, endings: Sequence[str]) -> None:
    """Refuse a file named for another kind of content (`--format csv -o visit.csv` would hold a zip).

    A name whose ending says nothing (`visit`, `list.card`), and a FIFO or device
    (`-o /dev/stdout`), are taken as they are.
    """
    try:
        if output.exists() and not stat.S_ISREG(output.stat().st_mode):
            return
    except OSError:
        return
    name = output.name.lower()
    if output.suffix.lower() not in KNOWN_ENDINGS or any(name.endswith(ending) for ending in endings):
        return
    better = output.name[: -len(output.suffix)] + endings[0]
    raise click.ClickException(
        f"{visible(output.name)} is named for another kind of file, but {writes}: "
        f"name it {visible(better)}, or choose another --format."
    )


def refuse_terminal(what: str) -> None:
    """Refuse to pour a page meant for a browser or a printer into a terminal."""
    if sys.stdout.isatty():
        raise click.ClickException(
            f"{what} is a page for a browser or a printer, not for the terminal: write it to a file with "
            "-o FILE, or send it on with -o - (standard output)."
        )


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(SUMMARY_FORMATS)),
    default=None,
    help="Default: the one FILE's ending names (visit.pdf), else markdown. pdf and csv (a zip) are binary: "
    "they need -o FILE; html is written to a file, not to the terminal.",
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
def export(env: Env, fmt: str | None, since: str | None, until: str | None, output: Path | None, force: bool) -> None:
    """Export the visit summary for a period (text formats go to standard output without -o)."""
    from journal.files import refuse_journal_path, write_private
    from journal.summary.build import build_visit_summary, resolve_period

    to_stdout = output == STDOUT  # `-o -`: standard output, binary formats included
    if to_stdout:
        output = None
    named = format_for_file(output, SUMMARY_FORMATS) if output is not None else None
    chosen = SUMMARY_FORMATS[fmt] if fmt is not None else (named or SUMMARY_FORMATS["markdown"])
    if output is not None:
        refuse_journal_path(output, env.db_path)
        refuse_misnamed(output, f"--format {chosen.name} writes {chosen.label}", (chosen.suffix, *chosen.also))
    if chosen.binary and output is None and not to_stdout:
        raise click.ClickException(f"{chosen.label} is a binary format; write it to a file with -o FILE.")
    if chosen.for_a_file and output is None and not to_stdout:
        refuse_terminal(f"The {chosen.label}")
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
