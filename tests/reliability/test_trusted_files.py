"""Nothing read from disk is trusted more than the content itself (issue 31, Deliver 9).

The pack cache (JSON in the user's cache folder) was trusted: editing it to call a cloudy syringe
"use" made a cloudy syringe a dose, and `check` passed. A syntax error in the installed pack.toml
silently turned the site rules off. A line in `remembered-keys` made the journal import any module.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from journal import locations
from journal.content import clear_cache, load_pack, loader
from journal.resources import content_root
from tests.reliability._helpers import query, run_cli


def _cloudy_made_use(cache_dir: Path) -> None:
    """Edit every cached pack as a person (or a program) might: a cloudy syringe is fit to use."""
    for path in (cache_dir / "packs").glob("*.json"):
        stored = json.loads(path.read_text(encoding="utf-8"))
        for look in stored["pack"]["inspection"]["appearances"]:
            if look["key"] == "cloudy":
                look["verdict"] = "use"
        path.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")


def test_an_edited_pack_cache_never_lets_a_cloudy_syringe_be_used(tmp_path: Path) -> None:
    db = tmp_path / "journal.db"
    env = {"MEDJOURNAL_CACHE_DIR": str(tmp_path / "cache")}
    assert run_cli(db, "med", "add", "anakinra", "--time", "08:00", env=env).code == 0
    assert list((tmp_path / "cache" / "packs").glob("*.json")), "the pack was cached"
    _cloudy_made_use(tmp_path / "cache")
    done = run_cli(db, "dose", "--syringe", "cloudy", env=env)
    assert done.code == 0 and "NO DOSE RECORDED" in done.out, (done.out, done.err)
    assert query(db, "SELECT count(*) FROM doses")[0][0] == 0
    assert query(db, "SELECT outcome FROM syringe_checks") == [("discarded",)]
    assert run_cli(db, "check", env=env).code == 0


def test_an_edited_cache_file_is_validated_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(locations.ENV_CACHE_DIR, str(tmp_path / "cache"))
    clear_cache()
    try:
        load_pack("anakinra")
        _cloudy_made_use(tmp_path / "cache")
        clear_cache()
        looks = {look.key: look.verdict.value for look in load_pack("anakinra").inspection.appearances}
    finally:
        clear_cache()
    assert looks["cloudy"] == "discard"


def _invoke(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """Run a command in this process (so that it sees the patched content folder), as `medjournal` runs it."""
    from journal.cli.group import run

    code = run(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_broken_installed_pack_is_an_error_never_a_silent_loss_of_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "journal.db"
    assert run_cli(db, "med", "add", "anakinra", "--time", "08:00").code == 0  # linked while the pack was sound
    with pytest.MonkeyPatch.context() as patch:
        root = tmp_path / "content"
        shutil.copytree(content_root(), root)
        toml = root / "anakinra" / "pack.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('key = "cloudy"', 'key = "cloudy'), encoding="utf-8")
        patch.setattr(loader, "content_root", lambda: root)
        patch.setenv(locations.ENV_CACHE_DIR, str(tmp_path / "cache"))
        clear_cache()
        try:
            for args in (("dose", "--site", "abdomen"), ("allergy", "add", "latex")):
                code, out, err = _invoke(capsys, db, *args)
                assert code == 1 and "pack.toml" in err and "syntax" in err.lower(), (args, out, err)
                assert len(err.splitlines()) == 1 and err.startswith("error: ") and out == "", (args, out, err)
            code, out, err = _invoke(capsys, db, "check")
            assert code == 1 and "pack.toml" in out + err, (out, err)
            code, out, err = _invoke(capsys, db, "emergency")  # the emergency list still prints (it writes nothing)
            assert code == 0 and "anakinra" in out, (out, err)
        finally:
            clear_cache()
    assert query(db, "SELECT count(*) FROM doses")[0][0] == 0
    assert query(db, "SELECT count(*) FROM allergies")[0][0] == 0


def test_remembered_keys_accept_only_keyring_backends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from journal.store import cipher

    pytest.importorskip("keyring")
    state = tmp_path / "state"
    state.mkdir()
    planted = tmp_path / "planted_module_medjournal.py"
    planted.write_text("import pathlib\npathlib.Path(__file__).with_suffix('.ran').write_text('ran')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cipher, "_state_dir", lambda: state)
    salt = "ab" * 16
    (state / "remembered-keys").write_text(
        f"{salt} planted_module_medjournal.Backend\n{'cd' * 16} keyring.backends.fail.Keyring\n", encoding="ascii"
    )
    found = cipher._remembered()
    assert found.get(salt, "") == ""  # not a backend keyring knows: keyring's own choice
    assert found["cd" * 16] == "keyring.backends.fail.Keyring"
    cipher.keyring_key(bytes.fromhex(salt))
    assert "planted_module_medjournal" not in sys.modules
    assert not planted.with_suffix(".ran").exists()


def test_a_keyring_that_stores_in_plain_text_is_named_as_such(tmp_path: Path) -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    from journal.cli.crypto import keyring_words

    class PlaintextKeyring(KeyringBackend):  # as keyrings.alt.file names its plain-text backend
        priority = 1
        file_path = str(tmp_path / "keyring_pass.cfg")

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            pass

        def delete_password(self, service: str, username: str) -> None:
            pass

    PlaintextKeyring.__module__, PlaintextKeyring.__qualname__ = "keyrings.alt.file", "PlaintextKeyring"
    before = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())  # type: ignore[no-untyped-call]  # keyring's __init__ has no hints
    try:
        words = keyring_words()
    finally:
        keyring.set_keyring(before)
    assert "plain text" in words and "keyrings.alt.file.PlaintextKeyring" in words and "system keyring" not in words
