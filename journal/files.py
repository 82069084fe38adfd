"""Writing a private file (an export, a cached pack): 0600, never over an existing file unless asked."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from journal.errors import JournalError
from journal.locations import backup_dir, journal_files

MODE = 0o600


def make_private_dir(folder: Path) -> None:
    """Create `folder` and any missing parents, each 0700 (existing ones are left as they are)."""
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        # exist_ok: a second process may create the same folder at the same moment.
        candidate.mkdir(mode=0o700, exist_ok=True)


def refuse_journal_path(output: Path, journal: Path | None) -> None:
    """Refuse an output path that is the journal, one of its SQLite files, or in its backup folder."""
    if journal is None:
        return
    target = Path(os.path.realpath(output.expanduser()))
    real = Path(os.path.realpath(journal))
    backups = backup_dir(real)
    protected = journal_files(real)
    hit = target in protected or target == backups or backups in target.parents
    if not hit and target.exists():
        # The same file under another name (a hard link, a path through another mount).
        kept = backups.iterdir() if backups.is_dir() else iter(())
        for other in (*protected, *kept):
            with contextlib.suppress(OSError):
                if os.path.samefile(target, other):
                    hit = True
                    break
    if hit:
        raise JournalError(
            f"{output} is the journal, one of its files or one of its backups; "
            "choose another file: nothing was written."
        )


def write_private(path: Path, content: bytes, *, force: bool = False) -> Path:
    """Write `content` to a new file readable only by its owner; replace an existing one only with `force`."""
    path = path.expanduser()
    if path.is_dir():
        raise JournalError(f"{path} is a folder; give a file name such as {path / 'summary.pdf'}.")
    if not path.parent.is_dir():
        raise JournalError(f"The folder {path.parent} does not exist; nothing was written.")
    if force:
        if _is_special(path):
            _stream(path, content)
        else:
            _replace(path, content)
        return path
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE)
    except FileExistsError:
        if _is_special(path):
            raise JournalError(f"{path} is not a regular file; add --force to write into it.") from None
        raise JournalError(f"{path} already exists; add --force to replace it.") from None
    except OSError as exc:
        raise JournalError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    try:
        _write_private(fd, content)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()
        raise JournalError(f"Cannot write {path}: {exc.strerror or exc}; nothing was kept.") from None
    return path


def _is_special(path: Path) -> bool:
    """Whether `path` (followed) is something other than a regular file: a FIFO, a device, a socket."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _stream(path: Path, content: bytes) -> None:
    # A FIFO or a device (/dev/null, a printer) is written into as it is, never replaced by a file.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
    except OSError as exc:
        raise JournalError(f"Cannot write {path}: {exc.strerror or exc}.") from None


def _write_private(fd: int, content: bytes) -> None:
    # 0600 whatever the umask, and on disk before the caller reports it written.
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), MODE)
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _replace(path: Path, content: bytes) -> None:
    # Write beside the target and rename over it, so a failed write leaves the old file whole.
    # A new name of our own (O_EXCL), as tempfile.mkstemp makes it: importing tempfile (and
    # shutil, random) costs an export more than the few lines it would save.
    for _ in range(100):
        temp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise JournalError(f"Cannot write in {path.parent}: {exc.strerror or exc}.") from None
    else:
        raise JournalError(f"Cannot write in {path.parent}: no free temporary name.")
    try:
        _write_private(fd, content)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise JournalError(f"Cannot write {path}: {exc.strerror or exc}; the old file was kept.") from None
