"""What every command shares: the journal it opens, the clock, the zone, and how it prints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import click

from journal.application.opening import Store
from journal.errors import JournalError, WhenError
from journal.locations import resolve_db_path
from journal.visible import visible
from journal.when import local_zone_name, now_utc, parse_date, parse_when

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class Env:
    """Per-invocation state: the journal path, opened on first use, and one `now`."""

    def __init__(self) -> None:
        self.db_option: str | None = None
        self.now: datetime = now_utc()
        self._store: Store | None = None

    @cached_property
    def zone(self) -> str:
        """The user's time zone (a bad TZ is an error here, when a command first needs the zone)."""
        return local_zone_name()

    def zone_or_utc(self) -> str:
        """The user's zone; UTC, said on stderr, when TZ names no zone (for the emergency list, which must print)."""
        try:
            return self.zone
        except WhenError as exc:
            click.echo(f"warning: {visible(str(exc))}; times below are in UTC.", err=True)
            self.__dict__["zone"] = "UTC"
            return "UTC"

    @property
    def db_path(self) -> Path:
        """The journal file this invocation uses."""
        return resolve_db_path(self.db_option)

    @property
    def store(self) -> Store:
        """The open journal (opened and migrated on first use; the day's backup taken).

        Created only by a command that can record something into a new journal (see CREATES_JOURNAL).
        """
        if self._store is None:
            refuse_broken_packs()
            self._store = Store.open(self.db_path, create=_creates_journal())
            _tell_damage(self._store)
        return self._store

    @property
    def existing_store(self) -> Store:
        """The open journal for a command that only reads it: never created (no journal at PATH is an error)."""
        if self._store is None:
            self._store = Store.open(self.db_path, create=False, writing=False)
            tell_wal_left_out(self.db_path)
        return self._store

    @property
    def reading_store(self) -> Store:
        """As `existing_store`, and the day's automatic backup is left to the next write."""
        if self._store is None:
            self._store = Store.open(self.db_path, create=False, daily_backup=False, writing=False)
            tell_wal_left_out(self.db_path)
        return self._store

    def reading_store_during(self, work: Callable[[], T]) -> tuple[Store, T]:
        """`reading_store`, with its integrity check run on a second thread while `work` (a slow import) runs here."""
        if self._store is not None:
            return self._store, work()
        from journal.application.opening import open_while_loading

        opening = open_while_loading(self.db_path, create=False, writing=False)
        done = work()
        self._store = opening.result()
        tell_wal_left_out(self.db_path)
        return self._store, done

    def close(self) -> None:
        """Close the journal if it was opened, naming on stderr each record it left out as unreadable."""
        if self._store is not None:
            store, self._store = self._store, None
            try:
                for found in store.damaged_records():
                    click.echo(
                        f"warning: {visible(found.describe())}; it is left out (run `medjournal check`).", err=True
                    )
            finally:
                store.close()

    def when(self, text: str | None, *, ahead: bool = False) -> datetime:
        """A typed time, or now; a bare time of day is the latest one up to now, unless `ahead` (appointments)."""
        return self.now if text is None else parse_when(text, now=self.now, zone=self.zone, ahead=ahead)

    def day(self, text: str | None) -> date | None:
        """A typed date, or None."""
        if text is None:
            return None
        return parse_date(text, today=self.now.astimezone(_zoneinfo(self.zone)).date())

    def today(self) -> date:
        """Today's date where the user is."""
        return self.now.astimezone(_zoneinfo(self.zone)).date()


# The commands that can record something into a new, empty journal: the only ones that create one where
# there is none (`profile` only when it sets a field). Every other command reads, or changes records that
# must exist (`dose` needs a medicine, `undo` a change): at a mistyped --db it is one error, never a new
# empty journal left behind.
CREATES_JOURNAL = frozenset(
    {"med add", "allergy add", "condition add", "lab add", "appt add", "checkin", "effect", "profile", "demo", "import"}
)


def _creates_journal() -> bool:
    """Whether the running command may create the journal (outside a command, as in tests: yes)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return True
    names: list[str] = []
    while ctx.parent is not None:  # the root's own name ("medjournal", "python -m journal") left out
        names.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    current = click.get_current_context()
    if names == ["profile"]:
        return any(value is not None for value in current.params.values())
    return " ".join(names) in CREATES_JOURNAL


def refuse_broken_packs() -> None:
    """Raise JournalError when an installed content pack is broken: its rules would be silently lost at a write."""
    from journal.content.loader import broken_packs

    broken = broken_packs()
    if broken:
        raise JournalError(
            f"{broken[0]}; medjournal's installed content is broken, so the rules it holds (injection sites, "
            "syringe checks) cannot be kept: nothing was changed. Reinstall medjournal."
        )


def tell_wal_left_out(path: Path) -> None:
    """Say on stderr when the journal was read without its write-ahead log (see connection.read_only_connection)."""
    from journal.application.opening import wal_left_out

    if wal_left_out(path):
        click.echo(
            visible(
                f"warning: {path} was read without its write-ahead log ({path.name}-wal), which cannot be read here: "
                "the latest changes may be missing below."
            ),
            err=True,
        )


def _tell_damage(store: Store) -> None:
    """Damage an earlier check noted, said on stderr at each command that writes, until `check` passes."""
    from journal.application import backups, damage

    problem = backups.keep_problem()
    if problem:
        click.echo(f"warning: {visible(problem)}.", err=True)
    if store.path is not None:
        for problem in damage.noted_problems(store.path):
            click.echo(f"warning: {visible(problem)}; run `medjournal check`.", err=True)


def _zoneinfo(zone: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(zone)


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.find_object(Env).db_option = value  # type: ignore[union-attr]


def db_option(func: F) -> F:
    """`--db PATH` on a subcommand, so it works before or after the command name."""
    return click.option(
        "--db",
        metavar="PATH",
        expose_value=False,
        callback=_remember_db,
        help="The journal file (default: MEDJOURNAL_DB, then the user-data folder).",
    )(func)


pass_env = click.make_pass_decorator(Env)


# `-o -`: standard output, as for most Unix tools (never a file named "-").
STDOUT = Path("-")


def write_stdout(content: bytes) -> None:
    """Binary content (a PDF, a zip) to standard output, as it is."""
    import sys

    sys.stdout.flush()
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()


def say(text: str = "") -> None:
    """Print a line of output (user text is printed literally: no markup)."""
    # Control characters shown escaped: an escape sequence typed into a note must not drive the terminal.
    click.echo(visible(text))


def warn(text: str) -> None:
    """Print a warning line to standard output, marked so it stands out in a terminal."""
    click.echo(f"warning: {visible(text)}")


def note_plain_export(env: Env, written: Path) -> None:
    """Say, on standard error, that a file exported from an encrypted journal is not encrypted."""
    from journal.application import encryption

    if encryption.is_encrypted(env.db_path):
        note = f"note: {written} is not encrypted (exports are meant to be shared); keep it safe."
        click.echo(visible(note), err=True)
