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

_UNFINISHED: set[Path] = set()
"""Temporary files of the atomic writes under way in this process."""


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffix, so writers that go by it still do) to write
    to; renamed onto ``path`` when the block ends normally, removed when it raises."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}",
                               dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    tmp_path = Path(tmp)
    _UNFINISHED.add(tmp_path)
    try:
        yield tmp_path
        os.chmod(tmp_path, _mode(target))  # mkstemp makes it 0600; an output is an ordinary file
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    finally:
        _UNFINISHED.discard(tmp_path)


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
