"""Shared by the reliability tests: reading a journal back without the app, and running the CLI."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECORD_TABLES = ("medications", "allergies", "syringe_checks", "doses", "side_effects", "checkins")


@dataclass
class Result:
    """What one run of `medjournal` printed and returned."""

    code: int
    out: str
    err: str

    def assert_one_error(self, *words: str) -> str:
        """The run failed with exactly one `error:` line on stderr, containing `words`."""
        lines = self.err.strip().splitlines()
        assert self.code == 1, (self.code, self.out, self.err)
        assert len(lines) == 1 and lines[0].startswith("error: "), self.err
        assert "Traceback" not in self.err
        for word in words:
            assert word.lower() in lines[0].lower(), lines[0]
        return lines[0]


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a `medjournal` subprocess: no MEDJOURNAL_* from the caller, UTC, no colour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDJOURNAL")}
    env.update({"TZ": "UTC", "NO_COLOR": "1", "COLUMNS": "120"})
    env.update(extra or {})
    return env


def run_cli(db: Path, *args: str, env: dict[str, str] | None = None, **kwargs: Any) -> Result:
    """Run `python -m journal --db DB ARGS...` as a user would."""
    done = subprocess.run(
        [sys.executable, "-m", "journal", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=cli_env(env),
        timeout=120,
        **kwargs,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def integrity(path: Path) -> str:
    """`PRAGMA integrity_check` of a journal file, read with plain sqlite3."""
    conn = sqlite3.connect(str(path))
    try:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check").fetchall())
    finally:
        conn.close()


def query(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of one query on a journal file, read with plain sqlite3."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and its mtime in nanoseconds."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
