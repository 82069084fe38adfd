"""keyring's private names that medjournal uses.

* `keyring.core._keyring_backend`: the backend keyring has already chosen in this process (by
  `set_keyring`, or by an earlier lookup). keyring has no public way to ask whether it has
  chosen one: `get_keyring()` chooses, and that scans every installed backend (some 0.1 s). The
  journal asks first so that it never overrides a choice made in this process (checked with
  keyring 25.7).

`tests/unit/test_private_apis.py` fails, by name, on an upgrade that removes it.
"""

from __future__ import annotations

from types import ModuleType

# Each private name used here, by module, for tests/unit/test_private_apis.py.
USED = {"keyring.core": ("_keyring_backend",)}


def backend_chosen(keyring: ModuleType) -> bool:
    """Whether `keyring` (the imported package) has already chosen its backend in this process."""
    return getattr(keyring.core, "_keyring_backend", None) is not None
