"""`medjournal remind`: notifications through the desktop's own service, the terminal's bell otherwise."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click

from journal import reminders
from journal.application.opening import Store
from journal.cli._env import Env, db_option, pass_env, say
from journal.errors import JournalError
from journal.locations import reminders_state_file, systemd_user_dir
from journal.visible import visible
from journal.when import now_utc

NOTIFIED = 3
UNIT = "medjournal-remind"
CHECK_SECONDS = 60

# A notifier shows one notification and says whether it reached the desktop's notification service.
Notifier = Callable[[str, str], bool]


def desktop(title: str, body: str) -> bool:
    """Show a notification through the desktop's service (D-Bus, macOS, Windows); False if there is none."""
    if sys.platform.startswith("linux") and not _session_bus():
        return False
    import asyncio
    import logging

    # desktop-notifier logs a failure (with its traceback) instead of raising: we fall back quietly.
    logging.getLogger("desktop_notifier").setLevel(logging.CRITICAL)
    from desktop_notifier import DesktopNotifier

    dispatched: list[bool] = []

    async def send() -> None:
        notifier = DesktopNotifier(app_name="medjournal", app_icon=None)  # not the Python logo it defaults to
        await notifier.send(title=title, message=body, on_dispatched=lambda: dispatched.append(True))

    try:
        asyncio.run(asyncio.wait_for(send(), timeout=10))
    except Exception:
        return False
    return bool(dispatched)


def _session_bus() -> bool:
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    return Path(f"/run/user/{os.getuid()}/bus").exists()


def terminal(title: str, body: str) -> bool:
    """The fallback: the terminal's bell and one printed line (the body names the medicine already)."""
    click.echo("\a", nl=False)
    say(f"reminder: {body}")
    return True


NOTIFIERS: dict[str, Notifier] = {"desktop": desktop, "terminal": terminal}


def _notify(via: str, reminder: reminders.Reminder, details: bool) -> None:
    body = reminder.body(details=details)
    if via == "terminal" or not NOTIFIERS["desktop"](reminder.title, body):
        NOTIFIERS["terminal"](reminder.title, body)


# --- what was sent, for `--once` run by a timer -------------------------------------------------


def _state_file() -> Path:
    return reminders_state_file()


def _load_sent(journal: Path) -> dict[str, datetime]:
    try:
        saved = json.loads(_state_file().read_text(encoding="utf-8")).get(str(journal.resolve()), {})
        return {key: datetime.fromisoformat(value) for key, value in saved.items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _save_sent(journal: Path, sent: dict[str, datetime]) -> None:
    from journal.files import make_private_dir, write_private

    path = _state_file()
    try:
        everything = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        everything = {}
    everything[str(journal.resolve())] = {key: when.isoformat() for key, when in sent.items()}
    try:
        make_private_dir(path.parent)
        write_private(path, json.dumps(everything).encode("utf-8"), force=True)
    except (OSError, JournalError) as exc:
        # The reminders were shown: a failure here must not read as a failed run (a timer would
        # only run it again), it only means the same reminders may come back sooner.
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        click.echo(visible(f"warning: cannot note the reminders sent in {path} ({reason}); they may repeat."), err=True)


def remind_round(
    store: Store, sent: dict[str, datetime], *, now: datetime, zone: str, every: int, via: str, details: bool
) -> int:
    """Notify what is due now and not sent recently; how many notifications were shown."""
    from journal.application.today import build_today

    due = reminders.due(build_today(store, now=now, zone=zone))
    reminders.forget_answered(sent, due, now=now)
    chosen = reminders.to_send(due, sent, now=now, every_minutes=every)
    for reminder in chosen:
        _notify(via, reminder, details)
        sent[reminder.key] = now
    return len(chosen)


def run_loop(
    env: Env,
    *,
    every: int,
    via: str,
    details: bool,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = now_utc,
) -> None:
    """Check every minute until interrupted (or `rounds` checks, for tests)."""
    sent: dict[str, datetime] = {}
    done = 0
    while rounds is None or done < rounds:
        remind_round(env.reading_store, sent, now=clock(), zone=env.zone, every=every, via=via, details=details)
        done += 1
        if rounds is None or done < rounds:
            sleep(CHECK_SECONDS)


# --- installing a timer -------------------------------------------------------------------------


def _program() -> str:
    found = shutil.which("medjournal")
    return str(Path(found).resolve()) if found else f"{sys.executable} -m journal"


def _command(env: Env, every: int, details: bool) -> list[str]:
    return [
        *shlex.split(_program()),
        "--db",
        str(env.db_path.resolve()),
        "remind",
        "--once",
        "--every",
        str(every),
        *(["--details"] if details else []),
    ]


def has_systemd() -> bool:
    """Whether this machine runs systemd (so a user timer can be installed)."""
    return shutil.which("systemctl") is not None and Path("/run/systemd/system").is_dir()


def unit_dir() -> Path:
    """Where systemd looks for this user's units."""
    return systemd_user_dir()


def unit_files(command: list[str], every: int) -> dict[str, str]:
    """The service and timer that run `remind --once` every `every` minutes."""
    exec_start = " ".join(f'"{part}"' if " " in part else part for part in command)
    service = (
        "[Unit]\n"
        "Description=medjournal reminders: doses due or overdue, serious alerts, reorder dates\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={exec_start}\n"
        "# remind exits 3 when it showed a notification\n"
        "SuccessExitStatus=3\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=Run medjournal reminders every {every} minutes\n\n"
        "[Timer]\n"
        "OnActiveSec=1min\n"
        f"OnUnitActiveSec={every}min\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def _systemctl(*args: str) -> bool:
    try:
        return subprocess.run(["systemctl", "--user", *args], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def install(env: Env, every: int, details: bool) -> None:
    """Write and start a systemd user timer; without systemd, print the crontab line instead."""
    command = _command(env, every, details)
    if not has_systemd():
        line = f"*/{every} * * * * {shlex.join(command)}" if 60 % every == 0 else None
        say("This machine has no systemd: add this line with `crontab -e` to be reminded:")
        say(line or f"@hourly {shlex.join(command)}  (cron cannot repeat every {every} minutes)")
        say("Cron jobs cannot reach the desktop's notifications everywhere; the bell and line then go to cron's mail.")
        return
    folder = unit_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in unit_files(command, every).items():
        (folder / name).write_text(text, encoding="utf-8")
    if _systemctl("daemon-reload") and _systemctl("enable", "--now", f"{UNIT}.timer"):
        say(f"Installed and started {UNIT}.timer: reminders every {every} minutes ({folder}).")
    else:
        say(f"Wrote {UNIT}.service and {UNIT}.timer in {folder}; start them with:")
        say(f"systemctl --user daemon-reload && systemctl --user enable --now {UNIT}.timer")


def uninstall() -> None:
    """Stop and remove the systemd user timer (without systemd: say which crontab line to remove)."""
    folder = unit_dir()
    files = [folder / name for name in (f"{UNIT}.timer", f"{UNIT}.service")]
    if not any(path.exists() for path in files):
        if not has_systemd():
            say("No timer was installed here; remove the `medjournal ... remind --once` line with `crontab -e`.")
        else:
            say(f"No {UNIT} timer is installed.")
        return
    _systemctl("disable", "--now", f"{UNIT}.timer")
    for path in files:
        path.unlink(missing_ok=True)
    _systemctl("daemon-reload")
    say(f"Removed {UNIT}.timer and {UNIT}.service from {folder}.")


@click.command("remind")
@click.option("--once", is_flag=True, help="Notify what is due now and exit (3 if something was notified, else 0).")
@click.option(
    "--every",
    type=click.IntRange(1, 24 * 60),
    default=reminders.DEFAULT_EVERY_MINUTES,
    show_default=True,
    metavar="MINUTES",
    help="Repeat an overdue dose this often until it is logged or skipped.",
)
@click.option("--details", is_flag=True, help="Show the whole reminder, not only the medicine's name and the time.")
@click.option(
    "--via",
    type=click.Choice(["auto", "desktop", "terminal"]),
    default="auto",
    show_default=True,
    help="The desktop's notifications (auto: falling back to the bell and a printed line), or the terminal only.",
)
@click.option("--install", "do_install", is_flag=True, help="Install a systemd user timer (or print a crontab line).")
@click.option("--uninstall", "do_uninstall", is_flag=True, help="Remove the timer --install made.")
@db_option
@pass_env
def remind(
    env: Env, once: bool, every: int, details: bool, via: str, do_install: bool, do_uninstall: bool
) -> int | None:
    """Remind of doses due or overdue, serious alerts and reorder dates; keeps running unless --once."""
    if do_install and do_uninstall:
        raise JournalError("choose --install or --uninstall, not both.")
    if do_install:
        install(env, every, details)
        return None
    if do_uninstall:
        uninstall()
        return None
    if not env.db_path.exists():
        raise JournalError(f"There is no journal at {env.db_path}.")
    if once:
        sent = _load_sent(env.db_path)
        shown = remind_round(env.reading_store, sent, now=env.now, zone=env.zone, every=every, via=via, details=details)
        _save_sent(env.db_path, sent)
        return NOTIFIED if shown else 0
    say(f"Reminding for {env.db_path} (Ctrl+C stops); an overdue dose is repeated every {every} minutes.")
    run_loop(env, every=every, via=via, details=details)
    return None


COMMANDS = [remind]
