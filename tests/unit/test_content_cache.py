"""The per-user cache of validated packs: used when the pack is unchanged, ignored when it is not, and
only ever read as data (JSON)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal.content import PackError, clear_cache, load_pack
from journal.content.cache import cache_file, seal
from journal.locations import ENV_CACHE_DIR
from journal.resources import content_root

REPO = Path(__file__).resolve().parents[2]
ANAKINRA_DIR = content_root() / "anakinra"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private cache folder, and no pack remembered in this process before or after the test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(ENV_CACHE_DIR, str(folder))
    clear_cache()
    yield folder / "packs"
    clear_cache()


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped pack, as tmp_path/packs/<key>."""
    shutil.copytree(ANAKINRA_DIR, tmp_path / "packs" / "anakinra")
    return tmp_path / "packs" / "anakinra"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def swap_lead_days(path: Path, days: int) -> None:
    """Change the reorder lead days inside a cache file, keeping its fingerprint, sealed as this code seals it."""
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["pack"]["supply"]["reorder_lead_days"] = days
    stored["seal"] = seal(stored["fingerprint"], json.dumps(stored["pack"], ensure_ascii=False))
    path.write_text(json.dumps(stored), encoding="utf-8")


def new_process_load(pack_dir: Path) -> Path:
    """Forget the in-process packs (as a new start would) and load the pack again; return its cache file."""
    clear_cache()
    load_pack(pack_dir.name, pack_dir.parent)
    return cache_file(pack_dir.resolve())


def test_cache_file_is_private(cache_dir: Path, pack_dir: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        path = new_process_load(pack_dir)
    finally:
        os.umask(old_umask)
    assert path.parent == cache_dir
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in cache_dir.iterdir()] == [path.name], "no temporary file left behind"


def test_unchanged_pack_comes_from_the_cache(cache_dir: Path, pack_dir: Path) -> None:
    path = new_process_load(pack_dir)
    # Swap a different value into the cached pack: seeing it proves the cache was read.
    swap_lead_days(path, 99)
    clear_cache()
    loaded = load_pack("anakinra", pack_dir.parent)
    assert loaded.supply.reorder_lead_days == 99
    assert loaded.directory == pack_dir.resolve()
    assert loaded.section_text("about").startswith("# ")


def test_a_cache_file_others_can_write_is_not_trusted(cache_dir: Path, pack_dir: Path) -> None:
    path = new_process_load(pack_dir)
    swap_lead_days(path, 99)
    path.chmod(0o666)
    clear_cache()
    assert load_pack("anakinra", pack_dir.parent).supply.reorder_lead_days == 7


def test_edited_pack_is_validated_again(cache_dir: Path, pack_dir: Path) -> None:
    new_process_load(pack_dir)
    edit(pack_dir / "pack.toml", "reorder_lead_days = 7", "reorder_lead_days = 10")
    clear_cache()
    assert load_pack("anakinra", pack_dir.parent).supply.reorder_lead_days == 10


def test_broken_pack_fails_even_when_a_good_version_is_cached(cache_dir: Path, pack_dir: Path) -> None:
    new_process_load(pack_dir)
    toml = pack_dir / "pack.toml"
    text = toml.read_text(encoding="utf-8")
    at = -1
    for _ in range(4):
        at = text.index('tier = "common"', at + 1)
    # Same size and same mtime as the good version: only the content differs.
    stat_before = toml.stat()
    toml.write_text(text[:at] + 'tier = "severe"' + text[at + len('tier = "common"') :], encoding="utf-8")
    os.utime(toml, ns=(stat_before.st_atime_ns, stat_before.st_mtime_ns))
    clear_cache()
    with pytest.raises(PackError) as caught:
        load_pack("anakinra", pack_dir.parent)
    assert "pack.toml: side_effects.symptoms.3.tier: Input should be 'common' or 'serious'" in str(caught.value)
    assert caught.value.field == "side_effects.symptoms.3.tier"


def test_removed_section_file_is_noticed_despite_the_cache(cache_dir: Path, pack_dir: Path) -> None:
    new_process_load(pack_dir)
    (pack_dir / "sites.md").unlink()
    clear_cache()
    with pytest.raises(PackError, match=r"sections\.4\.file: section file .*sites\.md does not exist"):
        load_pack("anakinra", pack_dir.parent)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not json",
        b"3",
        json.dumps({"fingerprint": "wrong key", "pack": {}}).encode(),
        # A pickle, as an older medjournal wrote here: never unpickled, only refused as JSON.
        b"\x80\x05\x95\x0b\x00\x00\x00\x00\x00\x00\x00\x8c\x07posix.system\x94.",
    ],
)
def test_corrupt_cache_file_falls_back_to_validating(cache_dir: Path, pack_dir: Path, garbage: bytes) -> None:
    path = new_process_load(pack_dir)
    path.write_bytes(garbage)
    clear_cache()
    pack = load_pack("anakinra", pack_dir.parent)
    assert pack.supply.reorder_lead_days == 7 and pack.directory == pack_dir.resolve()
    assert json.loads(path.read_text(encoding="utf-8"))["pack"]["supply"]["reorder_lead_days"] == 7, "written again"


def test_unusable_cache_folder_still_loads(tmp_path: Path, pack_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(ENV_CACHE_DIR, str(blocker))
    clear_cache()
    try:
        assert load_pack("anakinra", pack_dir.parent).key == "anakinra"
    finally:
        clear_cache()
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_second_start_does_not_import_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys; from journal.content import load_pack; pack = load_pack('anakinra'); "
        "print(pack.medication.key, 'pydantic' in sys.modules)"
    )
    env = {**os.environ, ENV_CACHE_DIR: str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout.split()[0] == "anakinra"
    assert runs[1].stdout.split() == ["anakinra", "False"]


def test_a_pack_read_from_the_cache_equals_the_validated_one(cache_dir: Path, pack_dir: Path) -> None:
    new_process_load(pack_dir)
    clear_cache()
    cached = load_pack("anakinra", pack_dir.parent)
    validated = load_pack("anakinra", ANAKINRA_DIR.parent)  # another folder: not in the cache yet
    assert cached == validated
    assert cached.sites.regions[0].spots(cached.sites.spacing_cm) == validated.sites.regions[0].spots(
        validated.sites.spacing_cm
    )


def test_cache_folders_made_under_umask_000_are_private(cache_dir: Path, pack_dir: Path) -> None:
    previous = os.umask(0)
    try:
        written = new_process_load(pack_dir)
    finally:
        os.umask(previous)
    assert written.exists()
    for folder in (written.parent, *written.parent.parents):
        if folder == cache_dir.parent.parent:
            break
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
