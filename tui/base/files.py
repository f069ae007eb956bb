"""Writing a file whole or not at all: the text goes to a temporary file beside the target,
flushed to disk, which then replaces it. A crash, a full disk or a kill leaves the old file or
the new one. The file gets the mode a new file gets under the user's umask (or keeps the mode
of the file it replaces), not the temporary file's private 0600."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: str | Path, text: str) -> None:
    """Raises OSError when the folder cannot take the file; the target is then unchanged."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".broadsheet-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _umask() -> int:
    """The process's umask, read without changing it where the system shows it (setting it to
    read it back would race with other threads creating files)."""
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def _sync_folder(folder: str) -> None:
    """The rename itself reaches the disk (best effort: not every system opens folders)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
