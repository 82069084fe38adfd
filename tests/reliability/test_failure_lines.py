"""Failure paths of issue 31 (Why 7, 8, 12; Deliver 6, 10): one `error:` line, never a traceback;
an error after the commit says the record was saved and exits 4; `-o` streams into special files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.reliability._helpers import Result, cli_env, query, run_cli


def _run_to(stdout_path: str, db: Path, *args: str) -> Result:
    with open(stdout_path, "w") as out:  # /dev/full, as a shell redirect opens it
        done = subprocess.run(
            [sys.executable, "-m", "journal", "--db", str(db), *args],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
            timeout=120,
        )
    return Result(done.returncode, "", done.stderr)


@pytest.mark.parametrize("kind", ["loop", "dangling"])
@pytest.mark.parametrize("args", [("status",), ("med", "add", "anakinra"), ("emergency",), ("history",)])
def test_a_journal_path_that_is_a_broken_symlink_is_one_error(tmp_path: Path, kind: str, args: tuple[str, ...]) -> None:
    db = tmp_path / "journal.db"
    if kind == "loop":
        other = tmp_path / "other.db"
        db.symlink_to(other)
        other.symlink_to(db)
    else:
        db.symlink_to(tmp_path / "gone" / "journal.db")
    run_cli(db, *args).assert_one_error(str(db), "symbolic link")
    assert not (tmp_path / "gone").exists()


def test_a_backups_keep_that_is_not_a_plain_number_keeps_the_record(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    done = run_cli(db, "med", "add", "anakinra", env={"MEDJOURNAL_BACKUPS_KEEP": "³"})
    assert done.code == 0, done.err
    assert "Traceback" not in done.err and "MEDJOURNAL_BACKUPS_KEEP" in done.err
    assert query(db, "SELECT count(*) FROM medications WHERE name = 'anakinra'") == [(1,)]


def test_remind_once_with_no_writable_state_folder_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra", "--time", "00:00").code == 0
    not_a_folder = tmp_path / "state"
    not_a_folder.write_text("a file where the state folder should be")
    done = run_cli(db, "remind", "--once", "--via", "terminal", env={"XDG_STATE_HOME": str(not_a_folder)})
    assert done.code in (0, 3), (done.code, done.err)
    assert "Traceback" not in done.err
    assert all(line.startswith("warning:") for line in done.err.splitlines()), done.err


def test_an_error_after_the_commit_exits_4_and_says_it_was_saved(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    done = _run_to("/dev/full", db, "checkin", "--pain", "3")
    assert done.code == 4, (done.code, done.err)
    lines = done.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the record WAS saved"), done.err
    assert query(db, "SELECT count(*) FROM checkins") == [(1,)]


def test_a_reading_command_into_a_full_disk_is_one_error(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    run_result = _run_to("/dev/full", db, "med", "list")
    run_result.assert_one_error("no space")


@pytest.mark.parametrize("command", ["export", "emergency"])
def test_output_into_a_fifo_is_a_stream_and_the_fifo_stays(tmp_path: Path, command: str) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = run_cli(db, command, "-o", str(fifo), "--force")
    reader.join(timeout=60)
    assert done.code == 0, done.err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"anakinra" in received[0]
    refused = run_cli(db, command, "-o", str(fifo))
    refused.assert_one_error("not a regular file", "--force")


def test_output_into_dev_null_leaves_the_device(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    assert run_cli(db, "export", "-o", "/dev/null", "--force").code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (("export", "--format", "pdf"), b"%PDF"),
        (("export", "--format", "markdown"), b"#"),
        (("emergency", "--format", "pdf"), b"%PDF"),
        (("emergency",), b"EMERGENCY"),
    ],
)
def test_dash_is_standard_output(tmp_path: Path, args: tuple[str, ...], start: bytes) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    done = subprocess.run(
        [sys.executable, "-m", "journal", "--db", str(db), *args, "-o", "-"],
        capture_output=True,
        env=cli_env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(start)
    assert not (tmp_path / "-").exists()
