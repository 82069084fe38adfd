"""Keyring backends for tests: one in memory, one in a JSON file a `medjournal` subprocess can share."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend

ENV_FILE = "MEDJOURNAL_TEST_KEYRING_FILE"
# For a subprocess: PYTHON_KEYRING_BACKEND=FILE_BACKEND, PYTHONPATH=<repository>, ENV_FILE=<a path>.
FILE_BACKEND = "tests.keyrings.FileKeyring"


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict, gone with the process."""

    priority: float = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves its __init__ unannotated
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


class FileKeyring(MemoryKeyring):
    """Passwords in the JSON file named by MEDJOURNAL_TEST_KEYRING_FILE."""

    def _path(self) -> Path:
        return Path(os.environ[ENV_FILE])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        items = self._load()
        items[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(items))

    def delete_password(self, service: str, username: str) -> None:
        items = self._load()
        items.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(items))


class PlaintextFileKeyring(FileKeyring):
    """As keyrings.alt's PlaintextKeyring: a file of keys as they are, and a class name that says so."""

    @property
    def file_path(self) -> str:
        return str(self._path())


class LowPriorityFileKeyring(FileKeyring):
    """A backend writing a file, at a priority keyring does not recommend (under 1), its name silent on plain text."""

    priority = 0.5

    @property
    def file_path(self) -> str:
        return str(self._path())
