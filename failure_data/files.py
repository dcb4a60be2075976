"""Writing output files so that an interrupted run leaves the old file or the new one, never half.

Every output of the tool (``--out``, ``--save``, ``-o``, ``--plot``) is written through
:func:`atomic_path`: to a temporary file beside the target, renamed onto it (``os.replace``,
atomic on one file system) only when writing finished. An error or Ctrl-C in between removes
the temporary file and leaves the target as it was. A process that must end without unwinding
(the CLI's last resort on Ctrl-C) removes the temporary files still open with
:func:`remove_unfinished`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from failure_data.errors import DataError


class OutputError(DataError):
    """An output file could not be written (no permission, no room, a folder in the way)."""

_UNFINISHED: set[Path] = set()
"""Temporary files of the atomic writes under way in this process."""


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffix, so writers that go by it still do) to write
    to; renamed onto ``path`` when the block ends normally, removed when it raises."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}",
                                   dir=target.parent if str(target.parent) else ".")
    except OSError as e:
        raise cannot_write(target, e) from None
    os.close(fd)
    tmp_path = Path(tmp)
    _UNFINISHED.add(tmp_path)
    try:
        yield tmp_path
        os.chmod(tmp_path, _mode(target))  # mkstemp makes it 0600; an output is an ordinary file
        os.replace(tmp_path, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(e, OSError):  # the disk filled, the target is a folder, ...: the old file stays
            raise cannot_write(target, e) from None
        raise
    finally:
        _UNFINISHED.discard(tmp_path)


def cannot_write(target: Path, e: OSError) -> OutputError:
    """The error of an output that could not be written: the file, the system's reason, the fix."""
    why = e.strerror or str(e)
    if target.is_dir():
        why = "it is a folder"
    return OutputError(f"cannot write {str(target)!r}: {why}; nothing was written there (an older "
                       "file of that name is as it was): write it to another file, in a folder you "
                       "can write to with room on its disk")


LOCK_NAME = ".cpo-writing"


@contextlib.contextmanager
def folder_lock(folder: str | Path) -> Iterator[Path]:
    """Hold ``folder`` for one writer while several files are written into it (a saved run), so
    two runs at once cannot leave it holding files of each: a second writer is refused while the
    first is alive (the lock names its process; one left by a process that is gone is taken
    over). Released at the end, and by :func:`remove_unfinished` on Ctrl-C."""
    lock = Path(folder) / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            pid = _pid_in(lock)
            if pid is not None and _alive(pid):
                raise OutputError(
                    f"another run (process {pid}) is writing {str(folder)!r} now; wait for it to "
                    f"finish, or write to another folder (if no run is under way, remove "
                    f"{str(lock)!r})") from None
            with contextlib.suppress(OSError):  # left by a run that is gone: take it over, and
                lock.unlink()  # the temporaries it was writing (atomic_path's, never renamed)
                for part in Path(folder).glob(".*.part*"):
                    part.unlink()
            continue
        except OSError as e:
            raise cannot_write(lock, e) from None
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()}\n")
        break
    else:  # pragma: no cover - another writer took it over between our two tries
        raise OutputError(f"another run is writing {str(folder)!r} now; write to another folder")
    _UNFINISHED.add(lock)
    try:
        yield lock
    finally:
        _UNFINISHED.discard(lock)
        with contextlib.suppress(OSError):
            lock.unlink()


def _pid_in(lock: Path) -> int | None:
    try:
        return int(lock.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


def remove_unfinished() -> None:
    """Remove the temporary files of every atomic write still under way (their targets are left
    as they were): for a process about to end without unwinding its stack."""
    for tmp_path in list(_UNFINISHED):
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        _UNFINISHED.discard(tmp_path)


def write_text_atomic(path: str | Path, text: str) -> None:
    """``Path(path).write_text(text)`` (UTF-8), atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _mode(target: Path) -> int:
    """The target's own permissions if it exists, else what a plain open() would give."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
