"""`emergency`: the medication list for a hospital admission, the moment it is asked for."""

from __future__ import annotations

from pathlib import Path

import click

from journal.cli._env import STDOUT, Env, db_option, note_plain_export, pass_env, write_stdout
from journal.visible import visible

FORMATS = ["text", "markdown", "json", "html", "pdf", "card"]
# The endings a file of each format may have, the usual one first.
ENDINGS = {
    "text": (".txt",),
    "markdown": (".md", ".markdown", ".txt"),
    "json": (".json",),
    "html": (".html", ".htm"),
    "pdf": (".pdf",),
    "card": (".html", ".htm", ".pdf"),
}


@click.command("emergency")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Default: the one FILE's ending names (list.pdf), else text. html and pdf: a printable page plus a "
    "wallet card, with a QR code; card: the wallet card alone (PDF when FILE ends in .pdf, else HTML). html "
    "and card are written to a file, not to the terminal.",
)
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
def emergency(env: Env, fmt: str | None, output: Path | None, force: bool) -> None:
    """Print every active medicine, allergies, conditions and the last dose time."""
    from journal.cli.export import refuse_misnamed, refuse_terminal
    from journal.files import refuse_journal_path
    from journal.summary.emergency import build_emergency_list

    to_stdout = output == STDOUT  # `-o -`: standard output, PDF included
    if fmt is None:
        fmt = "text"
        if output is not None and not to_stdout:
            name = output.name.lower()
            fmt = next((f for f in ("pdf", "html", "json", "markdown") if name.endswith(ENDINGS[f])), "text")
    if output is not None and not to_stdout:
        refuse_journal_path(output, env.db_path)
        refuse_misnamed(output, f"--format {fmt} writes the emergency list as {fmt}", ENDINGS[fmt])
    if fmt in ("html", "card") and output is None:
        refuse_terminal("The emergency list as HTML" if fmt == "html" else "The wallet card")

    # No daily backup first: on a ten-year journal it would delay the list by about 0.1 s.
    data = build_emergency_list(env.reading_store, now=env.now, zone=env.zone_or_utc())
    content: str | bytes
    if fmt in ("text", "markdown", "json"):
        from journal.export import emergency as render

        content = {"text": render.render_text, "markdown": render.render_markdown, "json": render.render_json}[fmt](
            data
        )
    else:
        from journal.export import card

        as_pdf = fmt == "pdf" or (fmt == "card" and output is not None and output.suffix.lower() == ".pdf")
        if as_pdf and output is None:  # `-o -` is not None: a PDF to standard output is asked for
            raise click.ClickException("PDF is a binary format; write it to a file with -o FILE.")
        wallet_only = fmt == "card"
        content = (
            card.render_card_pdf(data, wallet_only=wallet_only)
            if as_pdf
            else card.render_card_html(data, wallet_only=wallet_only)
        )
    if output is None or to_stdout:
        if isinstance(content, bytes):
            write_stdout(content)
        else:
            click.echo(visible(content), nl=False)
        return
    from journal.files import write_private

    written = write_private(output, content.encode("utf-8") if isinstance(content, str) else content, force=force)
    click.echo(visible(f"Wrote the emergency list ({fmt}) to {written}."))
    if isinstance(content, bytes):
        from journal.export import missing_glyphs_warning

        if warning := missing_glyphs_warning(content):
            click.echo(visible(f"warning: {warning}"), err=True)
    note_plain_export(env, written)


COMMANDS = [emergency]
