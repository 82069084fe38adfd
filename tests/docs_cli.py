"""docs/cli.md, generated from the `--help` of every `medjournal` command.

    python -m tests.docs_cli          # write docs/cli.md again
    python -m tests.docs_cli --check  # exit 1 if docs/cli.md is out of date

tests/unit/test_docs_cli.py fails when the file differs from what `render()` makes, so a
changed option or help text is never left out of the reference.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
REGENERATE = "python -m tests.docs_cli"
# The help text is wrapped at this width whatever the terminal, so the file is the same everywhere.
WIDTH = 80

_HEADER = f"""\
# Command-line reference

<!-- Generated from every command's --help by `{REGENERATE}`. Do not edit by hand. -->

Each command's `--help`, as `medjournal` prints it. [commands.md](commands.md) explains
the rules behind the options: how times are read, which dose a dose belongs to, exit
statuses and the JSON the commands print.

Every command takes `--db PATH`, before or after the command's name.
"""


def _commands(group: click.Group, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    ctx = click.Context(group, info_name="medjournal")
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def _help(runner: CliRunner, group: click.Group, path: tuple[str, ...]) -> str:
    result = runner.invoke(group, [*path, "--help"], prog_name="medjournal", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"`medjournal {' '.join(path)} --help` exited {result.exit_code}: {result.output}")
    return result.output.rstrip() + "\n"


def _anchor(title: str) -> str:
    # GitHub's heading anchors: lower case, spaces to hyphens, other punctuation dropped.
    return "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def render() -> str:
    """The whole of docs/cli.md, from the commands as they are now."""
    from journal.cli import cli

    runner = CliRunner()
    paths = [(), *_commands(cli, ())]
    titles = [" ".join(("medjournal", *path)) for path in paths]
    parts = [_HEADER, "## Commands\n"]
    parts.append("".join(f"* [`{title}`](#{_anchor(title)})\n" for title in titles))
    for path, title in zip(paths, titles, strict=True):
        parts.append(f"## {title}\n\n```text\n{_help(runner, cli, path)}```\n")
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Write docs/cli.md, or with --check say whether it is up to date."""
    args = list(sys.argv[1:] if argv is None else argv)
    text = render()
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else None
    if args == ["--check"]:
        if current == text:
            return 0
        print(f"{DOC.relative_to(ROOT)} is out of date: run `{REGENERATE}` and commit it.", file=sys.stderr)
        return 1
    if args:
        print(f"usage: {REGENERATE} [--check]", file=sys.stderr)
        return 2
    if current != text:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
