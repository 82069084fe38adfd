"""A plain journal never loads the encryption: sqlcipher3 and keyring are imported for encrypted ones only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journal.demo import generate
from journal.store import Store
from tests.unit.test_import_hygiene import _READ_PATHS

_PATHS = {
    **_READ_PATHS,
    "medjournal emergency": (
        "import sys\nfrom journal.cli import cli\ncli.main(['--db', sys.argv[1], 'emergency'], standalone_mode=False)\n"
    ),
    "medjournal dose": (
        "import sys\nfrom journal.cli import cli\n"
        "cli.main(['--db', sys.argv[1], 'dose', '--med', 'Anakinra', '--extra'], standalone_mode=False)\n"
    ),
}


@pytest.mark.parametrize("path", list(_PATHS))
def test_a_plain_journal_does_not_import_sqlcipher_or_keyring(path: str, tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    with Store.open(db) as store:
        generate(store, years=1, seed=3, zone="UTC")
    code = _PATHS[path] + "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlcipher3', 'keyring'}))\n"
    done = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
