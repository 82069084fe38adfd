"""A full disk, simulated with PRAGMA max_page_count: one clear line, exit 1, the journal intact."""

from __future__ import annotations

from pathlib import Path

from journal.store.connection import ENV_TEST_MAX_PAGES
from tests.reliability._helpers import integrity, query, run_cli, snapshot

LONG = "r" * 9000  # needs overflow pages, so the write must grow the file


def test_full_disk_says_so_and_keeps_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "med", "add", "anakinra", "--track").code == 0
    assert run_cli(path, "allergy", "add", "latex").code == 0
    before = snapshot(tmp_path)
    pages = query(path, "PRAGMA page_count")[0][0]
    full = {ENV_TEST_MAX_PAGES: str(pages)}

    for args in (
        ("allergy", "add", "penicillin", "--reaction", LONG),
        ("effect", "headache", "--note", LONG),
        ("med", "add", "methotrexate", "--how", LONG),
    ):
        result = run_cli(path, *args, env=full)
        result.assert_one_error("disk", "full", "nothing was saved")
        assert result.out == ""

    assert snapshot(tmp_path) == before, "a failed write changed a file"
    assert integrity(path) == "ok"
    assert [r[0] for r in query(path, "SELECT substance FROM allergies")] == ["latex"]
    assert query(path, "SELECT count(*) FROM history")[0][0] == 2

    # Space freed: the same journal opens and takes the record normally.
    assert run_cli(path, "allergy", "add", "penicillin", "--reaction", LONG).code == 0
    assert run_cli(path, "check").code == 0
    assert sorted(r[0] for r in query(path, "SELECT substance FROM allergies")) == ["latex", "penicillin"]


def test_the_page_limit_can_only_shrink(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    assert run_cli(path, "allergy", "add", "latex").code == 0
    # A huge or malformed value changes nothing: SQLite's own limit stays in force.
    for value in ("99999999999", "-1", "lots", "0"):
        assert (
            run_cli(path, "allergy", "add", f"x{value}", "--reaction", LONG, env={ENV_TEST_MAX_PAGES: value}).code == 0
        )
    assert query(path, "SELECT count(*) FROM allergies")[0][0] == 5
