"""Every private API of a dependency that medjournal uses, one module per dependency.

A private name can vanish in any release. Keeping each use here, behind a function of ours,
means an upgrade that removes one breaks one function, and `tests/unit/test_private_apis.py`
names it, instead of failing somewhere in the app. The core imports only the modules for its
own dependencies (never `textual`), so this package has no imports of its own.
"""
