"""The medjournal benchmark: a ten-year demo journal, timed against floors measured in the same run.

Run from the repository root:

    python -m tests.benchmarks [--years 10] [--runs 7] [--out FILE.md]

Every figure is the median of several runs. Start-up figures are ratios against a floor
measured in the same run, interleaved with it, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "_tui_driver.py"
EXPORT_FORMATS_FALLBACK = ("text", "markdown", "html", "pdf", "fhir", "ics", "csv")


@dataclass
class Row:
    """One line of the results table."""

    metric: str
    median: str
    target: str
    ok: bool | None  # None: measured for information, or could not be measured
    note: str = ""

    def cells(self) -> list[str]:
        verdict = "n/a" if self.ok is None else ("pass" if self.ok else "**FAIL**")
        return [self.metric, self.median, self.target, verdict + (f" ({self.note})" if self.note else "")]


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDJOURNAL")}
    env.update({"NO_COLOR": "1", "COLUMNS": "120", "PYTHONDONTWRITEBYTECODE": "0"})
    env.update(extra or {})
    return env


def _medjournal() -> list[str]:
    """The installed console script, as a user runs it (else `python -m journal`)."""
    script = Path(sys.executable).with_name("medjournal")
    return [str(script)] if script.exists() else [sys.executable, "-m", "journal"]


@dataclass
class Proc:
    """One finished process."""

    started: float  # time.time() just before it was started
    elapsed: float  # wall seconds until it exited
    cpu: float  # user + system CPU seconds (less sensitive than wall time to a busy machine)
    rss_kib: int  # peak resident memory
    out: bytes


def _spawn(cmd: list[str], extra_env: dict[str, str] | None = None) -> Proc:
    """Run a command that must succeed and measure it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=_env(extra_env))
        # wait4 gives this child's own peak RSS and CPU (RUSAGE_CHILDREN would mix all children).
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({code}): {err.read().decode(errors='replace')[-1500:]}")
        return Proc(started, elapsed, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss), out.read())


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the journal -------------------------------------------------------------------------


def make_journal(path: Path, years: int, seed: int) -> tuple[float, dict[str, int]]:
    """Write the demo journal through the store, as `medjournal demo` does; seconds taken."""
    from journal.demo import generate
    from journal.store import Store

    start = time.perf_counter()
    with Store.open(path) as store:
        summary = generate(store, years=years, seed=seed, zone="UTC")
    return time.perf_counter() - start, summary.counts


# --- start-up: emergency and the TUI -------------------------------------------------------


def bench_emergency(db: Path, runs: int) -> list[Row]:
    """`medjournal emergency` wall time against importing sqlite_utils and pydantic."""
    floor_cmd = [sys.executable, "-c", "import sqlite_utils, pydantic"]
    cmd = [*_medjournal(), "--db", str(db), "emergency"]
    _spawn(floor_cmd)
    _spawn(cmd)  # warm the page cache and the bytecode
    floors, runs_ = [], []
    for _ in range(runs):
        floors.append(_spawn(floor_cmd))
        runs_.append(_spawn(cmd))
    floor, took = _median([p.elapsed for p in floors]), _median([p.elapsed for p in runs_])
    cpu_ratio = _median([p.cpu for p in runs_]) / _median([p.cpu for p in floors])
    ratio = took / floor
    return [
        Row('Import floor: `python -c "import sqlite_utils, pydantic"`', _s(floor), "(floor)", None),
        Row("`medjournal emergency` wall time", _s(took), "", None),
        Row("`medjournal emergency` / import floor", f"{ratio:.2f}x", "<= 1.2x", ratio <= 1.2),
        Row("`medjournal emergency` / import floor, in CPU time", f"{cpu_ratio:.2f}x", "(info)", None),
    ]


def _tui_once(kind: str, db: Path | None, extra_env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Seconds from spawning to the first paint, peak RSS (KiB) and the screen shown."""
    proc = _spawn([sys.executable, str(DRIVER), kind] + ([str(db)] if db else []), extra_env)
    line = proc.out.decode(errors="replace").strip().splitlines()[-1]
    report = json.loads(line[line.index("{") :])
    return float(report["at"]) - proc.started, proc.rss_kib, str(report.get("screen", "?"))


def tui_available() -> bool:
    """Whether the TUI (journal.tui.app.make_app) exists in this working tree."""
    code = subprocess.run(
        [sys.executable, "-c", "from journal.tui.app import make_app"], capture_output=True, env=_env()
    ).returncode
    return code == 0


def bench_tui(db: Path, runs: int) -> list[Row]:
    """Time to first paint of Today and peak memory, against a hello-world Textual app.

    The journal's figure is the `medjournal --db DB` command itself.
    """
    if not tui_available():
        return [Row("TUI first paint of Today / hello-world app", "not measured", "<= 1.5x", None, "no TUI yet")]
    _tui_once("hello", None)
    _, _, screen = _tui_once("journal", db)
    hello_t, hello_m, tui_t, tui_m = [], [], [], []
    for _ in range(runs):
        t, rss, _ = _tui_once("hello", None)
        hello_t.append(t)
        hello_m.append(rss)
        t, rss, screen = _tui_once("journal", db)
        tui_t.append(t)
        tui_m.append(rss)
    ht, tt = _median(hello_t), _median(tui_t)
    hm, tm = _median(hello_m), _median(tui_m)
    paint, mem = tt / ht, tm / hm
    return [
        Row("Hello-world Textual app: first paint (headless)", _s(ht), "(floor)", None),
        Row(f"TUI first paint (`medjournal --db DEMO`, {screen}, headless)", _s(tt), "", None),
        Row("TUI first paint / hello-world app", f"{paint:.2f}x", "<= 1.5x", paint <= 1.5),
        Row("Hello-world Textual app: peak memory", f"{hm / 1024:.1f} MiB", "(floor)", None),
        Row("TUI peak memory", f"{tm / 1024:.1f} MiB", "", None),
        Row("TUI peak memory / hello-world app", f"{mem:.2f}x", "<= 1.5x", mem <= 1.5),
    ]


# --- an encrypted journal -------------------------------------------------------------------

BENCH_PASSPHRASE = "benchmark passphrase"


def encrypted_copy(db: Path, work: Path) -> tuple[Path, dict[str, str]]:
    """An encrypted copy of the demo journal, its key remembered in a file keyring; the env that finds it.

    The keyring is tests/keyrings.py's FileKeyring: what is measured is medjournal's cost (the
    keyring package, SQLCipher, decrypting each page), not a desktop keyring's own latency.
    """
    import json as json_

    from journal.store import Store, cipher

    enc = work / "encrypted.db"
    with Store.open(db, daily_backup=False) as store:
        store.backup_to(enc)
    salt = os.urandom(cipher.SALT_BYTES)
    key = cipher.derive(BENCH_PASSPHRASE, salt)
    cipher.convert(enc, None, (key, salt))
    ring = work / "keyring.json"
    ring.write_text(json_.dumps({f"{cipher.KEYRING_SERVICE}/{cipher._keyring_name(salt)}": key.hex()}))
    state = work / "state"
    (state / "medjournal").mkdir(parents=True)
    (state / "medjournal" / "remembered-keys").write_text(salt.hex() + "\n")  # as `remember-key` leaves it
    repo = str(HERE.parents[1])
    env = {
        "XDG_STATE_HOME": str(state),
        "PYTHON_KEYRING_BACKEND": "tests.keyrings.FileKeyring",
        "MEDJOURNAL_TEST_KEYRING_FILE": str(ring),
        "PYTHONPATH": repo + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    return enc, env


def bench_encrypted(db: Path, runs: int, work: Path) -> list[Row]:
    """An encrypted journal opened with its remembered key (`emergency`, the TUI's first paint); the passphrase path."""
    enc, env = encrypted_copy(db, work)
    floor_cmd = [sys.executable, "-c", "import sqlite_utils, pydantic"]
    cmd = [*_medjournal(), "--db", str(enc), "emergency"]
    by_passphrase = {**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    by_passphrase["MEDJOURNAL_PASSPHRASE"] = BENCH_PASSPHRASE
    _spawn(floor_cmd)
    _spawn(cmd, env)  # its first opening turns the new file to WAL mode, a change: checked again next time
    _tui_once("hello", None)
    _tui_once("journal", enc, env)  # this one checks it and notes that it passed
    floors, plain_emergency, remembered, changed, typed, hello, plain_tui, tui, tui_changed = ([] for _ in range(9))
    screen = "?"
    for _ in range(runs):
        floors.append(_spawn(floor_cmd).elapsed)
        plain_emergency.append(_spawn([*_medjournal(), "--db", str(db), "emergency"]).elapsed)
        remembered.append(_spawn(cmd, env).elapsed)
        os.utime(enc)  # a change, as any write makes one: SQLCipher's quick_check runs again
        changed.append(_spawn(cmd, env).elapsed)
        typed.append(_spawn(cmd, by_passphrase).elapsed)
        hello.append(_tui_once("hello", None)[0])
        plain_tui.append(_tui_once("journal", db)[0])
        took, _, screen = _tui_once("journal", enc, env)
        tui.append(took)
        os.utime(enc)
        tui_changed.append(_tui_once("journal", enc, env)[0])
    floor, rem, pas, ht, tt = (_median(x) for x in (floors, remembered, typed, hello, tui))
    pe, pt, ch, tch = _median(plain_emergency), _median(plain_tui), _median(changed), _median(tui_changed)
    start = time.perf_counter()
    from journal.store import cipher

    cipher.derive(BENCH_PASSPHRASE, os.urandom(cipher.SALT_BYTES))
    kdf = time.perf_counter() - start
    return [
        Row("Encrypted journal, key remembered: `medjournal emergency`", _s(rem), "", None),
        Row(
            "Encrypted journal, key remembered: `emergency` / import floor",
            f"{rem / floor:.2f}x",
            "<= 1.6x",
            rem / floor <= 1.6,
        ),
        Row(f"Encrypted journal, key remembered: TUI first paint ({screen})", _s(tt), "", None),
        Row(
            "Encrypted journal, key remembered: TUI first paint / hello-world app",
            f"{tt / ht:.2f}x",
            "<= 1.5x",
            tt / ht <= 1.5,
        ),
        Row("The same runs on the plain journal: `emergency` / import floor", f"{pe / floor:.2f}x", "(info)", None),
        Row("The same runs on the plain journal: TUI first paint / hello-world app", f"{pt / ht:.2f}x", "(info)", None),
        Row(
            "Encrypted journal changed since its last check (quick_check again): `emergency` / import floor",
            f"{ch / floor:.2f}x",
            "(info)",
            None,
        ),
        Row(
            "Encrypted journal changed since its last check: TUI first paint / hello-world app",
            f"{tch / ht:.2f}x",
            "(info)",
            None,
        ),
        Row("Encrypted journal, passphrase given: `emergency` (derives the key each time)", _s(pas), "(info)", None),
        Row("Key derivation alone (PBKDF2-HMAC-SHA512, 256,000 rounds)", _s(kdf), "(info)", None),
    ]


# --- in-process: history paging and logging a dose -----------------------------------------


def _timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def bench_today(db: Path, runs: int) -> list[Row]:
    """Building Today (each scheduled medicine's state, sites, supply, alerts) in-process, as the TUI does."""
    from journal.application.today import build_today
    from journal.store import Store
    from journal.when import now_utc

    with Store.open(db, daily_backup=False) as store:
        scheduled = len(store.tracked_medications())
        took = _median(_timed(lambda: build_today(store, now=now_utc(), zone="UTC"), max(runs, 7)))
    return [Row(f"Today: built for {scheduled} scheduled medicines (in-process)", _ms(took), "(info)", None)]


def bench_history(db: Path, runs: int) -> list[Row]:
    """Fetching the next page of history and of the timeline, deep in a ten-year journal."""
    from journal.store import Store

    rows: list[Row] = []
    with Store.open(db) as store:
        # Page through the change history: each page starts where the previous one ended.
        pages: list[float] = []
        cursor = None
        for _ in range(max(runs, 20)):
            start = time.perf_counter()
            page = store.history(limit=50, before=cursor)
            pages.append(time.perf_counter() - start)
            cursor = page[-1]
        took = _median(pages)
        rows.append(Row("History: next page of 50 changes (store)", _ms(took), "< 50 ms", took < 0.05))
        try:
            from journal.store.timeline import timeline_page
        except ImportError:
            return rows
        pages = []
        after = None
        for _ in range(max(runs, 20)):
            start = time.perf_counter()
            tpage = timeline_page(store, limit=50, after=after)
            pages.append(time.perf_counter() - start)
            after = tpage.next
        took = _median(pages)
        rows.append(Row("Timeline: next page of 50 records (store)", _ms(took), "< 50 ms", took < 0.05))
    return rows


def _remove_copy(copy: Path) -> None:
    """Remove a copy of the journal, its WAL files and the backups the app took of it."""
    for path in copy.parent.glob(copy.name + "*"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _prepare_keys_copy(db: Path) -> tuple[Path, Callable[[], None]]:
    """A copy of the journal for the keys, and what to run before each dose so that one is due.

    The apps' clocks read 08:05 today (tests/benchmarks/keys.py): the other daily medicines are
    given a dose at 07:30 so that `d` has one medicine due (the injection), not a question which;
    before each round, the injection's doses and syringe checks of today are soft-deleted.
    """
    import time_machine

    from journal import models as mm
    from journal.application.doses import open_now
    from journal.store import Store

    copy = db.with_name("keys-copy.db")
    _remove_copy(copy)
    with Store.open(db, daily_backup=False) as source:
        source.backup_to(copy)
    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    clock = midnight + timedelta(hours=8, minutes=4)
    with time_machine.travel(clock, tick=False), Store.open(copy, daily_backup=False) as store:
        for med in open_now(store, store.tracked_medications(), now=clock, zone="UTC"):
            if not med.injected:
                store.add(mm.Dose(medication_id=med.id, at=clock - timedelta(minutes=34), tz="UTC"))

    def before_dose() -> None:
        with time_machine.travel(clock, tick=True), Store.open(copy, daily_backup=False) as store:
            injected = {med.id for med in store.tracked_medications() if med.injected}
            for cls in (mm.Dose, mm.SyringeCheck):
                for record in store.between(cls, "at", midnight):
                    if getattr(record, "medication_id", None) in injected:
                        store.delete(record)

    return copy, before_dose


def bench_keys(db: Path, runs: int) -> list[Row]:
    """Keypress to drawn from a real pseudo-terminal, against the floor app doing the same (see keys.py)."""
    if not tui_available():
        return [Row("Keypress to drawn", "not measured", "<= 1.5x", None, "no TUI yet")]
    from tests.benchmarks.keys import run_keys

    copy, before_dose = _prepare_keys_copy(db)
    try:
        bursts = run_keys(copy, max(runs, 7), _env(), before_dose)
    finally:
        _remove_copy(copy)
    labels = {
        "d": "`d` on Today to the dose form drawn",
        "enter": "The last Enter of a dose to Today redrawn",
        "f2": "F2 to the reference panel drawn",
        "palette": "ctrl+p to the command palette drawn with its actions",
        "page": "ctrl+n to the next page of History drawn",
    }
    rows = []
    for key, label in labels.items():
        # A burst with no byte read (seen once in a few hundred on a loaded machine) is left out.
        ours = _median([b.took for b in bursts["journal"][key] if b.took is not None])
        floor = _median([b.took for b in bursts["floor"][key] if b.took is not None])
        our_cpu = _median([b.cpu for b in bursts["journal"][key]])
        floor_cpu = _median([b.cpu for b in bursts["floor"][key]])
        ratio = ours / floor
        note = f"{_ms(ours)} against {_ms(floor)}; CPU {_ms(our_cpu)} against {_ms(floor_cpu)}"
        rows.append(Row(f"{label} / floor app (pty, 120x40)", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5, note))
    return rows


def bench_dose(db: Path, runs: int) -> list[Row]:
    """Logging a dose with its syringe check through the store, on a copy of the journal."""
    from journal import models as mm
    from journal.store import Store

    copy = db.with_name("dose-copy.db")
    with Store.open(db) as source:
        source.backup_to(copy)
    times: list[float] = []
    with Store.open(copy) as store:
        med = store.tracked_medications()[0]
        base = mm.utcnow() - timedelta(days=1)
        for i in range(max(runs, 20)):
            at = base + timedelta(minutes=i)
            start = time.perf_counter()
            with store.transaction():
                check = store.add(mm.SyringeCheck(medication_id=med.id, at=at, tz="UTC"))
                # A minute apart: extra doses, as the store's rules across records require them marked.
                store.add(
                    mm.Dose(medication_id=med.id, at=at, tz="UTC", region="thigh-left", check_id=check.id, extra=True)
                )
            times.append(time.perf_counter() - start)
    took = _median(times)
    return [Row("Logging a dose (check + dose, one transaction, synchronous=FULL)", _ms(took), "< 20 ms", took < 0.02)]


# --- exports -------------------------------------------------------------------------------


def export_formats() -> tuple[str, ...] | None:
    """The formats `medjournal export --format` accepts, or None while there is no export command."""
    done = subprocess.run([*_medjournal(), "export", "--help"], capture_output=True, text=True, env=_env())
    if done.returncode != 0:
        return None
    import re

    found = re.search(r"--format\s+\[([^\]]+)\]", done.stdout)
    return tuple(found.group(1).split("|")) if found else EXPORT_FORMATS_FALLBACK


def bench_exports(db: Path, runs: int, work: Path) -> list[Row]:
    """`medjournal export` wall time for the last 90 days and for the whole journal, per format."""
    formats = export_formats()
    if formats is None:
        return [Row("Export (every format)", "not measured", "< 0.5 s / < 3 s", None, "no export command yet")]
    rows: list[Row] = []
    today = datetime.now(UTC).date()
    periods = (
        ("90 days", ["--since", (today - timedelta(days=90)).isoformat()], 0.5),
        ("all ten years", ["--since", "2000-01-01"], 3.0),
    )
    for fmt in formats:
        for label, args, target in periods:
            out = work / f"export-{fmt}-{label.replace(' ', '-')}.out"
            cmd = [*_medjournal(), "--db", str(db), "export", "--format", fmt, *args, "--output", str(out), "--force"]
            try:
                _spawn(cmd)
                times = [_spawn(cmd).elapsed for _ in range(runs)]
            except RuntimeError as exc:
                rows.append(Row(f"Export {fmt}, {label}", "failed", f"< {target:g} s", False, str(exc)[:120]))
                continue
            took = _median(times)
            rows.append(Row(f"Export {fmt}, {label} (`medjournal export`)", _s(took), f"< {target:g} s", took < target))
    if "pdf" in formats:
        rows.append(_pdf_library_import(runs))
    return rows


def _pdf_library_import(runs: int) -> Row:
    """What importing the PDF writer (pydyf) alone costs: the part of a PDF export no code of ours can skip."""
    bare, pdf = [sys.executable, "-c", "pass"], [sys.executable, "-c", "import pydyf"]
    _spawn(pdf)
    bare_t, pdf_t = [], []
    for _ in range(max(3, runs // 2)):
        bare_t.append(_spawn(bare).elapsed)
        pdf_t.append(_spawn(pdf).elapsed)
    return Row(
        'PDF library alone: `python -c "import pydyf"`',
        _s(_median(pdf_t)),
        "(info)",
        None,
        f"`python -c pass`: {_s(_median(bare_t))}",
    )


# --- the table -----------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    lines = ["| Metric | Median | Target | Result |", "| --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Build the demo journal, run every measurement, print the table; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10, help="years of demo history (default 10)")
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement; the median is reported")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="also write the Markdown table to this file")
    parser.add_argument("--only", help="comma-separated: emergency,tui,history,keys,dose,export,encrypted")
    parser.add_argument("--keep", type=Path, help="also copy the demo journal here, to profile against it")
    args = parser.parse_args(argv)
    only = (
        set(args.only.split(","))
        if args.only
        else {"emergency", "tui", "history", "keys", "dose", "export", "encrypted"}
    )

    work = Path(tempfile.mkdtemp(prefix="medjournal-bench-"))
    try:
        db = work / "demo.db"
        _log(f"Writing a {args.years}-year demo journal to {db} ...")
        took, counts = make_journal(db, args.years, args.seed)
        size = db.stat().st_size / 1e6
        _log(f"  {sum(counts.values())} records, {size:.1f} MB, in {took:.1f} s")
        rows = [
            Row(
                f"Demo journal: {args.years} years, {sum(counts.values())} records, {size:.1f} MB (written in)",
                _s(took),
                "",
                None,
            )
        ]
        steps: list[tuple[str, Callable[[], list[Row]]]] = [
            ("emergency", lambda: bench_emergency(db, args.runs)),
            ("tui", lambda: bench_tui(db, args.runs)),
            ("tui", lambda: bench_today(db, args.runs)),
            ("history", lambda: bench_history(db, args.runs)),
            ("keys", lambda: bench_keys(db, args.runs)),
            ("dose", lambda: bench_dose(db, args.runs)),
            ("export", lambda: bench_exports(db, args.runs, work)),
            ("encrypted", lambda: bench_encrypted(db, args.runs, work)),
        ]
        for name, step in steps:
            if name in only:
                _log(f"Measuring {name} ...")
                try:
                    rows += step()
                except Exception as exc:  # one broken part must not hide the other figures
                    _log(f"  {name} failed: {exc}")
                    rows.append(Row(f"{name}", "failed", "", False, str(exc).splitlines()[-1][:160]))
    finally:
        if args.keep and (work / "demo.db").exists():
            shutil.copyfile(work / "demo.db", args.keep)
            args.keep.chmod(0o600)
        shutil.rmtree(work, ignore_errors=True)

    header = (
        f"medjournal benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, median of {args.runs} runs\n\n"
    )
    text = header + table(rows)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0 if all(row.ok is not False for row in rows) else 1
