"""A keyring that stores keys in plain text is named, and asked about before a key goes into it (issue 31).

keyrings.alt's PlaintextKeyring (and any backend like it: told by its class, module, priority and
the file it writes, not by one name) keeps the journal's key in a file any program run as the user
can read, which undoes the encryption. `encrypt --remember` and `remember-key` name it and ask in
a terminal; with nobody to ask they refuse, before anything is converted, unless
`--plaintext-keyring-ok` says yes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from journal.store import cipher
from tests.keyrings import ENV_FILE
from tests.reliability._helpers import cli_env, run_cli

PASSPHRASE = "purple elephant 42"
REPO = Path(__file__).resolve().parents[2]
PLAINTEXT_BACKENDS = ["tests.keyrings.PlaintextFileKeyring", "tests.keyrings.LowPriorityFileKeyring"]


def _ring(tmp_path: Path, backend: str) -> dict[str, str]:
    return {"PYTHON_KEYRING_BACKEND": backend, "PYTHONPATH": str(REPO), ENV_FILE: str(tmp_path / "keyring.json")}


def _journal(tmp_path: Path) -> Path:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra").code == 0
    return db


@pytest.mark.parametrize("backend", PLAINTEXT_BACKENDS)
def test_encrypt_remember_into_a_plaintext_keyring_is_refused_without_a_terminal(tmp_path: Path, backend: str) -> None:
    db = _journal(tmp_path)
    before = db.read_bytes()
    ring = _ring(tmp_path, backend)
    done = run_cli(db, "encrypt", "--remember", env={cipher.ENV_PASSPHRASE: PASSPHRASE, **ring})
    line = done.assert_one_error("plain text", "--plaintext-keyring-ok", "nothing was changed")
    assert backend.rsplit(".", 1)[1] in line and str(tmp_path / "keyring.json") in line
    assert db.read_bytes() == before and cipher.salt_of(db) is None  # not encrypted either
    assert not (tmp_path / "keyring.json").exists()
    assert not cipher.marker_path(db).exists()


@pytest.mark.parametrize("backend", PLAINTEXT_BACKENDS)
def test_the_flag_says_yes_and_the_keyring_is_named_as_plain_text(tmp_path: Path, backend: str) -> None:
    db = _journal(tmp_path)
    ring = _ring(tmp_path, backend)
    done = run_cli(
        db, "encrypt", "--remember", "--plaintext-keyring-ok", env={cipher.ENV_PASSPHRASE: PASSPHRASE, **ring}
    )
    assert done.code == 0, done.err
    assert "warning: the key goes into a keyring that stores it in plain text" in done.out
    assert "The key is kept in a keyring that stores it in plain text" in done.out
    assert "system keyring" not in done.out.replace("`medjournal forget-key`", "")
    assert cipher.salt_of(db) is not None
    assert "journal key" in (tmp_path / "keyring.json").read_text()
    assert run_cli(db, "med", "list", env=ring).code == 0  # opens with the remembered key


def test_remember_key_into_a_plaintext_keyring_is_refused_without_a_terminal(tmp_path: Path) -> None:
    db = _journal(tmp_path)
    assert run_cli(db, "encrypt", env={cipher.ENV_PASSPHRASE: PASSPHRASE}).code == 0
    ring = _ring(tmp_path, PLAINTEXT_BACKENDS[0])
    done = run_cli(db, "remember-key", env={cipher.ENV_PASSPHRASE: PASSPHRASE, **ring})
    done.assert_one_error("plain text", "--plaintext-keyring-ok")
    assert not (tmp_path / "keyring.json").exists()
    done = run_cli(db, "remember-key", "--plaintext-keyring-ok", env={cipher.ENV_PASSPHRASE: PASSPHRASE, **ring})
    assert done.code == 0 and "plain text" in done.out, done.err


def test_a_keyring_that_is_not_plain_text_is_used_without_asking(tmp_path: Path) -> None:
    db = _journal(tmp_path)
    ring = _ring(tmp_path, "tests.keyrings.FileKeyring")  # priority 1, no file it names: as a system keyring
    done = run_cli(db, "encrypt", "--remember", env={cipher.ENV_PASSPHRASE: PASSPHRASE, **ring})
    assert done.code == 0, done.err
    assert "plain text" not in done.out and "The key is kept in the system keyring" in done.out


@pytest.mark.parametrize(("answer", "kept"), [("n", False), ("y", True)])
def test_in_a_terminal_the_person_is_asked(tmp_path: Path, answer: str, kept: bool) -> None:
    db = _journal(tmp_path)
    ring = _ring(tmp_path, PLAINTEXT_BACKENDS[0])
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "journal", "--db", str(db), "encrypt", "--remember"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env({cipher.ENV_PASSPHRASE: PASSPHRASE, **ring}),
    )
    os.close(follower)
    try:
        os.write(leader, f"{answer}\n".encode())
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(leader)
    assert "stores keys in plain text" in out and "Keep the key there anyway?" in out, out
    assert (proc.returncode == 0) is kept, err
    assert (cipher.salt_of(db) is not None) is kept
    assert (tmp_path / "keyring.json").exists() is kept


def test_the_backend_is_judged_by_its_class_module_priority_and_file() -> None:
    class PlaintextKeyring:  # keyrings.alt.file's
        priority = 0.5
        file_path = "/home/me/.local/share/python_keyring/keyring_pass.cfg"

    class EncryptedKeyring(PlaintextKeyring):  # keyrings.alt.file's, which encrypts with a password of its own
        pass

    class SecretService:  # a system keyring: no file of its own, a high priority
        priority = 5

    class Keyring:  # a file-writing backend of keyrings.alt, named neutrally
        priority = 1
        file_path = "/home/me/keys.cfg"

    PlaintextKeyring.__module__ = EncryptedKeyring.__module__ = "keyrings.alt.file"
    Keyring.__module__ = "keyrings.alt.custom"
    SecretService.__module__ = "keyring.backends.SecretService"
    assert cipher._stores_in_plain_text(PlaintextKeyring())
    assert not cipher._stores_in_plain_text(EncryptedKeyring())
    assert not cipher._stores_in_plain_text(SecretService())
    assert cipher._stores_in_plain_text(Keyring())
