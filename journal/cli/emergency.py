"""`emergency`: the medication list for a hospital admission, the moment it is asked for."""

from __future__ import annotations

import click

from journal.cli._env import Env, db_option, pass_env

FORMATS = ["text", "markdown", "json"]


@click.command("emergency")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@db_option
@pass_env
def emergency(env: Env, fmt: str) -> None:
    """Print every active medicine, allergies, conditions and the last dose time."""
    from journal.export import emergency as render
    from journal.summary.emergency import build_emergency_list

    data = build_emergency_list(env.store, now=env.now, zone=env.zone)
    renderer = {"text": render.render_text, "markdown": render.render_markdown, "json": render.render_json}[fmt]
    click.echo(renderer(data), nl=False)


COMMANDS = [emergency]
