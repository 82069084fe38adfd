"""Encrypting the journal at rest: `encrypt`, `decrypt`, `passphrase`, `remember-key`, `forget-key`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from journal.application import backups, encryption
from journal.cli._env import Env, db_option, pass_env, say, warn
from journal.errors import JournalError

ENV_NEW_PASSPHRASE = "MEDJOURNAL_NEW_PASSPHRASE"


def _note(text: str) -> None:
    click.echo(text, err=True)


def _new_passphrase(env_name: str) -> str:
    """A new passphrase: from `env_name`, else typed twice in the terminal."""
    given = os.environ.get(env_name)
    if given:
        return given
    if not sys.stdin.isatty():
        raise JournalError(
            f"no passphrase: run this in a terminal to type one, or set {env_name}; nothing was changed."
        )
    import getpass

    first = getpass.getpass("New passphrase: ")
    if not first:
        raise JournalError("an empty passphrase protects nothing; nothing was changed.")
    if getpass.getpass("The same passphrase again: ") != first:
        raise JournalError("the two passphrases differ; nothing was changed.")
    return first


def _journal(env: Env, *, encrypted: bool) -> Path:
    path = env.db_path
    if not path.is_file():
        raise JournalError(f"There is no journal at {path}.")
    encryption.finish_interrupted(path)  # an earlier conversion killed half-way: finished or undone first
    if encryption.is_encrypted(path) != encrypted:
        state = "is not encrypted" if encrypted else "is encrypted already"
        raise JournalError(f"{path} {state}; nothing was changed.")
    return path


def _convertible(env: Env, *, encrypted: bool) -> Path:
    """As `_journal`, and refused at once when its disk has no room for a new copy (before any question)."""
    path = _journal(env, encrypted=encrypted)
    encryption.require_room(path)
    return path


def _done_by_finishing(env: Env, *, encrypted: bool) -> bool:
    """Whether finishing an interrupted conversion left the journal as this one would (`encrypted` or plain)."""
    path = env.db_path
    if not path.is_file() or not encryption.finish_interrupted(path) or encryption.is_encrypted(path) != encrypted:
        return False
    say(f"{path} is {'encrypted' if encrypted else 'plain'} now (see the note above); nothing more to do.")
    return True


def _warn_failed(failed: encryption.Failures, left_as: str) -> None:
    for backup, why in failed:
        warn(f"{backup} was left {left_as} ({why}).")


def keyring_words() -> str:
    """Where keyring keeps a key, in words: a backend that stores it in plain text is named as such."""
    plain = encryption.plaintext_keyring()
    if plain is not None:  # keyrings.alt's PlaintextKeyring and the like: a file any program run as you can read
        return f"a keyring that stores it in plain text ({plain}), not encrypted"
    return "the system keyring"


PLAINTEXT_OK_HELP = (
    "keep the key even in a keyring that stores it in plain text (such as keyrings.alt's PlaintextKeyring, "
    "a file any program run as you can read), without asking; without it such a keyring is refused "
    "unless you confirm in a terminal."
)


def _agree_to_keyring(plaintext_ok: bool, *, instead: str) -> None:
    """Ask before a key goes into a keyring that stores it in plain text (refused when nobody can be asked)."""
    plain = encryption.plaintext_keyring()
    if plain is None:
        return
    if plaintext_ok:
        warn(f"the key goes into a keyring that stores it in plain text ({plain}), as --plaintext-keyring-ok says.")
        return
    if not sys.stdin.isatty():
        raise JournalError(
            f"the keyring here stores keys in plain text ({plain}), readable by any program run as you: "
            f"add --plaintext-keyring-ok to keep the key there anyway, or {instead}; nothing was changed."
        )
    question = (
        f"The keyring here stores keys in plain text ({plain}): any program run as you could read the key "
        "and open the journal. Keep the key there anyway?"
    )
    if not click.confirm(question, default=False):
        raise JournalError(f"the key was not put in a plain-text keyring ({instead}); nothing was changed.")


@click.command("encrypt")
@click.option(
    "--remember", is_flag=True, help="Keep the key in the system keyring, so the journal opens without asking."
)
@click.option("--plaintext-keyring-ok", "plaintext_ok", is_flag=True, help=f"With --remember: {PLAINTEXT_OK_HELP}")
@db_option
@pass_env
def encrypt(env: Env, remember: bool, plaintext_ok: bool) -> None:
    """Encrypt the journal and its backups with a passphrase (SQLCipher); exports stay plain."""
    if _done_by_finishing(env, encrypted=True):
        return
    path = _convertible(env, encrypted=False)
    if remember:  # asked before anything is converted: a refusal leaves the journal as it was
        _agree_to_keyring(plaintext_ok, instead="leave out --remember")
    found = backups.inspect(path)
    if not found.ok:
        raise JournalError(
            f"{path} cannot be encrypted: {(found.problems or ['newer schema'])[0]}; nothing was changed."
        )
    _note(f"note: {encryption.LOST_PASSPHRASE}")
    passphrase = _new_passphrase(encryption.ENV_PASSPHRASE)
    salt = os.urandom(encryption.SALT_BYTES)
    key = encryption.derive(passphrase, salt)
    done, failed = encryption.encrypt_journal(path, key, salt)
    _warn_failed(failed, "plain")
    say(f"Encrypted {path}, and {done} backup(s) beside it, with your passphrase.")
    say("Copies made elsewhere before now, and every export you make, are not encrypted.")
    if remember:
        encryption.remember(salt, key)
        say(
            f"The key is kept in {keyring_words()}: the journal opens without asking "
            "(`medjournal forget-key` undoes it)."
        )


@click.command("decrypt")
@db_option
@pass_env
def decrypt(env: Env) -> None:
    """Turn the encrypted journal and its backups back into plain SQLite files."""
    if _done_by_finishing(env, encrypted=False):
        return
    path = _convertible(env, encrypted=True)
    key, salt = encryption.current_key(path)
    done, failed = encryption.decrypt_journal(path, key, salt)
    _warn_failed(failed, "encrypted")
    encryption.forget(salt)
    say(f"Decrypted {path}, and {done} backup(s) beside it: anyone who can read the files can read them.")


@click.command("passphrase")
@db_option
@pass_env
def passphrase(env: Env) -> None:
    """Change the encrypted journal's passphrase (its backups beside it too)."""
    path = _convertible(env, encrypted=True)
    key, salt = encryption.current_key(path)
    _note(f"note: {encryption.LOST_PASSPHRASE}")
    new_key = encryption.derive(_new_passphrase(ENV_NEW_PASSPHRASE), salt)
    remembered = encryption.keyring_key(salt) is not None
    _, failed = encryption.change_key(path, (key, salt), new_key)
    _warn_failed(failed, "with the old passphrase")
    if remembered:
        encryption.remember(salt, new_key)
    say(
        f"Changed the passphrase of {path} and of its backups"
        + (" (the keyring holds the new key)." if remembered else ".")
    )


@click.command("remember-key")
@click.option("--plaintext-keyring-ok", "plaintext_ok", is_flag=True, help="K" + PLAINTEXT_OK_HELP[1:])
@db_option
@pass_env
def remember_key(env: Env, plaintext_ok: bool) -> None:
    """Keep the encrypted journal's key in the system keyring, so it opens without asking."""
    path = _journal(env, encrypted=True)
    _agree_to_keyring(plaintext_ok, instead="type the passphrase or set MEDJOURNAL_PASSPHRASE instead")
    key, salt = encryption.current_key(path)
    encryption.remember(salt, key)
    say(f"The key of {path} is kept in {keyring_words()}; anyone logged in as you can open the journal.")


@click.command("forget-key")
@db_option
@pass_env
def forget_key(env: Env) -> None:
    """Remove the encrypted journal's key from the system keyring: the passphrase is asked again."""
    path = _journal(env, encrypted=True)
    salt = encryption.salt_of(path)
    assert salt is not None
    if encryption.forget(salt):
        say(f"The system keyring no longer holds the key of {path}.")
    else:
        say(f"The system keyring held no key for {path}.")


COMMANDS = [encrypt, decrypt, passphrase, remember_key, forget_key]
