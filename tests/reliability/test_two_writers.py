"""Two programs writing one journal at once: no write lost, no "database is locked" shown to anyone.

Two long-lived processes write through the Store, as the TUI's save path does, while the
`medjournal` command line adds records from three threads at the same time: 1,000 writes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from journal.store import Store
from tests.reliability._helpers import cli_env, integrity, query, run_cli

STORE_WRITES = 480  # per store process
CLI_WRITES = 40
TOTAL = 2 * STORE_WRITES + CLI_WRITES

WRITER = """
import random, sys, time
from journal import models as m
from journal.store import Store

path, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(tag)
with Store.open(path) as store:
    for i in range(count):
        if i % 2:
            record = store.add(m.Allergy(substance=f"{tag} {i}"))
        else:
            with store.transaction():  # read then write, as the TUI's dose flow does
                store.count(m.Allergy)
                record = store.add(m.Allergy(substance=f"{tag} {i}", reaction="hives"))
        print(record.id, flush=True)
        time.sleep(rng.uniform(0, 0.02))
"""


def test_two_processes_and_the_cli_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    Store.open(path).close()
    started = time.monotonic()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(STORE_WRITES), tag],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        for tag in ("tui-a", "tui-b")
    ]

    def cli_add(i: int) -> tuple[int, str, str]:
        done = run_cli(path, "allergy", "add", f"cli {i}", "--reaction", "rash")
        return done.code, done.out, done.err

    with ThreadPoolExecutor(max_workers=3) as pool:
        cli_results = list(pool.map(cli_add, range(CLI_WRITES)))
    outputs = [w.communicate(timeout=120) for w in writers]
    elapsed = time.monotonic() - started

    for writer, (_out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert err == "", err
    for code, out, err in cli_results:
        assert code == 0 and err == "", err
        assert "locked" not in out.lower() and "busy" not in out.lower()

    printed = [line for out, _ in outputs for line in out.split()]
    assert len(printed) == 2 * STORE_WRITES
    stored = {row[0] for row in query(path, "SELECT id FROM allergies WHERE deleted_at IS NULL")}
    assert set(printed) <= stored
    names = {row[0] for row in query(path, "SELECT substance FROM allergies")}
    assert {f"cli {i}" for i in range(CLI_WRITES)} <= names
    assert len(stored) == TOTAL
    assert query(path, "SELECT count(*) FROM history")[0][0] == TOTAL
    assert integrity(path) == "ok"
    print(f"\n{TOTAL} concurrent writes (2 store processes + CLI), none lost, in {elapsed:.1f}s")
