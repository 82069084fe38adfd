"""Encryption, for the front ends: asking for a passphrase, unlocking, encrypting, decrypting,
changing the key, and the keys remembered in the system keyring.

The store does each of these itself (`journal/store/cipher.py`); this module is the front ends'
door to them.
"""

from __future__ import annotations

from journal.store import cipher
from journal.store.cipher import (
    ENV_PASSPHRASE,
    LOST_PASSPHRASE,
    SALT_BYTES,
    Failures,
    PassphraseError,
    change_key,
    check_after_use,
    current_key,
    decrypt_journal,
    derive,
    encrypt_journal,
    finish_interrupted,
    forget,
    is_cipher_connection,
    is_encrypted,
    key_without_asking,
    keyring_key,
    known_key,
    plaintext_keyring,
    remember,
    require_room,
    salt_of,
    unlock,
)

__all__ = [
    "ENV_PASSPHRASE",
    "LOST_PASSPHRASE",
    "SALT_BYTES",
    "Failures",
    "PassphraseError",
    "change_key",
    "check_after_use",
    "current_key",
    "decrypt_journal",
    "derive",
    "encrypt_journal",
    "finish_interrupted",
    "forget",
    "is_cipher_connection",
    "is_encrypted",
    "key_without_asking",
    "keyring_key",
    "known_key",
    "never_ask_on_terminal",
    "plaintext_keyring",
    "remember",
    "require_room",
    "salt_of",
    "unlock",
]


def never_ask_on_terminal() -> None:
    """Make the store refuse, not ask on the terminal, when a journal's key is not at hand.

    The TUI asks on a screen of its own (journal/tui/screens/passphrase.py), never on the
    terminal it draws on.
    """
    cipher.ask = None
