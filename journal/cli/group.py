"""The `medjournal` commands (click), each module's loaded only when its command runs.

`journal.cli.main` comes here for everything but opening the TUI with at most `--db`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

import click

from journal import __version__
from journal.cli import messages
from journal.cli._env import Env, db_option
from journal.errors import JournalError
from journal.visible import visible


class _LazyGroup(click.Group):
    """Imports a command's module only when that command runs (or when --help lists them all)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        # A module named like its command (emergency, demo, history) is enough on its own:
        # `medjournal emergency` then skips importing every other command's dependencies.
        if cmd_name not in self.commands and cmd_name in _COMMAND_MODULES:
            _register_module(cmd_name)
        if cmd_name not in self.commands:
            _register()
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH",
    default=None,
    help="The journal file (default: MEDJOURNAL_DB, then the user-data folder).",
)
@click.version_option(__version__, prog_name="medjournal")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """A private, offline medication journal. With no command, opens the TUI."""
    env = ctx.ensure_object(Env)
    env.db_option = db
    ctx.call_on_close(env.close)
    if ctx.invoked_subcommand is None:
        from journal.cli.launch import run_tui

        run_tui(env.db_path)


# Each module lists its commands in COMMANDS; add a module here to add its commands.
_COMMAND_MODULES = (
    "records",
    "meds",
    "emergency",
    "history",
    "demo",
    "maintenance",
    "care_commands",
    "export",
    "corrections",
    "lab",
    "crypto",
    "remind",
    "imports",
)


_registered: set[str] = set()


def _register_module(name: str) -> None:
    from importlib import import_module

    if name not in _registered:
        for command in import_module(f"journal.cli.{name}").COMMANDS:
            cli.add_command(command)
        _registered.add(name)


def _register() -> None:
    for name in _COMMAND_MODULES:
        _register_module(name)


def fail(message: str) -> int:
    """Print one `error:` line to stderr; the exit status to use."""
    text = " ".join(visible(str(message)).split())
    click.echo(f"error: {text}", err=True)
    return 1


# The exit status of a command that saved its record and then failed (its confirmation could not
# be written, the disk filled up after the commit): not 1, so that a script does not record it again.
SAVED_THEN_FAILED = 4


def run(args: Sequence[str]) -> int:
    """Run one command line (the arguments after `medjournal`); the exit status."""
    from journal.application.opening import COMMITS

    commits = COMMITS[0]
    try:
        result = cli.main(args=list(args), prog_name="medjournal", standalone_mode=False)
        sys.stdout.flush()  # here, not at exit: a full disk or a closed pipe is one error line
    except click.ClickException as exc:
        result = fail(exc.format_message())
    except click.exceptions.Abort:
        result = fail("interrupted; nothing more was written.")
    except JournalError as exc:
        result = _failed(exc, COMMITS[0] > commits)
    except KeyboardInterrupt:
        result = fail("interrupted; nothing more was written.")
    except OSError as exc:
        _drop_stdout()
        if isinstance(exc, BrokenPipeError) and COMMITS[0] == commits:
            return 0  # the reader (`| head`) has what it wanted
        result = _failed(_os_error(exc), COMMITS[0] > commits)
    return result if isinstance(result, int) else 0


def _failed(exc: JournalError | str, saved: bool) -> int:
    status = fail(messages.failed(exc, saved=saved))
    return SAVED_THEN_FAILED if saved else status


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return f"cannot write the output: {reason}."
    return f"{exc.filename}: {reason}."


def _drop_stdout() -> None:
    # What is left in its buffer would fail again when Python flushes it at exit, with a traceback.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


__all__ = ["cli", "db_option", "fail", "run"]
