"""`backups` and `status` say when a backup is in another state than the journal, and which can be restored.

The states a conversion can leave (issue 31): a plain backup beside an encrypted journal (`encrypt`
could not convert it, or a copy put back by hand), an encrypted one beside a plain journal (a
`decrypt` that failed on it), one on an old passphrase (a `passphrase` that failed on it, or an
older copy), one of another journal, and a conversion under way or interrupted (its marker).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from journal.store import cipher
from tests.reliability._helpers import run_cli
from tests.reliability.test_conversions import KILL, NEW, OLD, _backups, _copy, _make

NEEDS_ATTENTION = 3


@pytest.fixture(scope="module")
def journals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A plain and an encrypted journal with two backups each."""
    return {
        "plain": _make(tmp_path_factory.mktemp("plain"), encrypted=False),
        "encrypted": _make(tmp_path_factory.mktemp("encrypted"), encrypted=True),
    }


def _blocks(out: str) -> dict[str, str]:
    """`backups`'s lines about each backup, by file name."""
    found: dict[str, str] = {}
    name = ""
    for line in out.splitlines():
        if line.startswith("  ") and not line.startswith("      "):
            name = Path(line.split()[-1]).name
            found[name] = ""
        elif name:
            found[name] += line.strip() + "\n"
    return found


def test_a_plain_backup_of_an_encrypted_journal_is_named_and_not_restorable(
    journals: dict[str, Path], tmp_path: Path
) -> None:
    db = _copy(journals["encrypted"], tmp_path)
    stray, kept = _backups(db)
    plain = _copy(journals["plain"], tmp_path / "other")
    shutil.copy(_backups(plain)[0], stray)  # a plain copy where an encrypted backup was
    env = {cipher.ENV_PASSPHRASE: OLD}

    listed = run_cli(db, "backups", env=env)
    assert listed.code == 0, listed.err
    assert "1 backup(s) are in another state than the journal, which is encrypted" in listed.out
    blocks = _blocks(listed.out)
    assert "plain (not encrypted), while the journal is encrypted" in blocks[stray.name]
    assert "cannot be restored into the encrypted journal" in blocks[stray.name]
    assert "not like the journal" not in blocks[kept.name]
    assert "can be restored" in blocks[kept.name] and "cannot" not in blocks[kept.name]  # checked with the key

    status = run_cli(db, "status", env=env)
    assert status.code == NEEDS_ATTENTION, status.err
    assert "1 backup(s) not like the journal: see `medjournal backups`" in status.out
    as_json = run_cli(db, "status", "--json", env=env)
    assert as_json.code == NEEDS_ATTENTION
    shown = json.loads(as_json.out)
    assert shown["needs_attention"] is True
    assert [Path(b["path"]).name for b in shown["backups_unlike_journal"]] == [stray.name]

    # What `backups` says matches what `restore` does.
    run_cli(db, "restore", "--yes", str(stray), env=env).assert_one_error("not encrypted")


def test_a_backup_on_an_old_passphrase_is_named_when_the_key_is_at_hand(
    journals: dict[str, Path], tmp_path: Path
) -> None:
    db = _copy(journals["encrypted"], tmp_path)
    old_copy = tmp_path / "old.db"
    stale = _backups(db)[0]
    shutil.copy(stale, old_copy)
    changed = run_cli(db, "passphrase", env={cipher.ENV_PASSPHRASE: OLD, "MEDJOURNAL_NEW_PASSPHRASE": NEW})
    assert changed.code == 0, changed.err
    shutil.copy(old_copy, stale)  # as a `passphrase` that could not convert it leaves it
    env = {cipher.ENV_PASSPHRASE: NEW}

    blocks = _blocks(run_cli(db, "backups", env=env).out)
    assert "on an old passphrase" in blocks[stale.name]
    assert "restore asks for its old one" in blocks[stale.name]
    status = run_cli(db, "status", env=env)
    assert status.code == NEEDS_ATTENTION and "1 backup(s) not like the journal" in status.out

    # Without a key at hand nothing is asked: the backup is listed as checked when restored.
    blind = run_cli(db, "backups", stdin=subprocess.DEVNULL)
    assert blind.code == 0, blind.err
    assert "encrypted: checked when restored" in _blocks(blind.out)[stale.name]


def test_an_encrypted_backup_of_a_plain_journal_is_named(journals: dict[str, Path], tmp_path: Path) -> None:
    db = _copy(journals["plain"], tmp_path)
    other = _copy(journals["encrypted"], tmp_path / "other")
    target = _backups(db)[0]
    shutil.copy(_backups(other)[0], target)

    listed = run_cli(db, "backups")
    assert listed.code == 0, listed.err
    block = _blocks(listed.out)[target.name]
    assert "encrypted, while the journal is plain" in block
    assert "cannot be restored into the plain journal" in block
    status = run_cli(db, "status")
    assert status.code == NEEDS_ATTENTION and "1 backup(s) not like the journal" in status.out


def test_a_backup_of_another_encrypted_journal_is_named(journals: dict[str, Path], tmp_path: Path) -> None:
    db = _copy(journals["encrypted"], tmp_path)
    foreign = _copy(journals["encrypted"], tmp_path / "other")
    again = run_cli(foreign, "decrypt", env={cipher.ENV_PASSPHRASE: OLD})
    assert again.code == 0, again.err
    assert run_cli(foreign, "encrypt", env={cipher.ENV_PASSPHRASE: OLD}).code == 0  # a new salt
    target = _backups(db)[0]
    shutil.copy(_backups(foreign)[0], target)

    block = _blocks(run_cli(db, "backups", env={cipher.ENV_PASSPHRASE: OLD}).out)[target.name]
    assert "another journal's passphrase" in block and "cannot be restored" in block


def test_backups_names_an_interrupted_conversion_and_leaves_it_for_the_next_opening(
    journals: dict[str, Path], tmp_path: Path
) -> None:
    db = _copy(journals["plain"], tmp_path)
    killed = run_cli(db, "encrypt", env={cipher.ENV_PASSPHRASE: OLD, KILL: "journal-converted"})
    assert killed.code < 0
    listed = run_cli(db, "backups", env={cipher.ENV_PASSPHRASE: OLD})
    assert listed.code == 0, listed.err
    assert "warning: a `medjournal encrypt` of" in listed.out and "was interrupted" in listed.out
    assert "2 backup(s) are in another state than the journal, which is encrypted" in listed.out
    assert cipher.marker_path(db).exists()  # listing writes nothing

    # The next command that opens the journal finishes it: then nothing is out of step.
    status = run_cli(db, "status", env={cipher.ENV_PASSPHRASE: OLD})
    assert "note: an interrupted" in status.err
    assert "not like the journal" not in status.out
    listed = run_cli(db, "backups", env={cipher.ENV_PASSPHRASE: OLD})
    assert "warning" not in listed.out, listed.out
    assert all("can be restored" in block for block in _blocks(listed.out).values())
