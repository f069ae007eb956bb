"""Reading a file from outside (an article, a keymap, the reader's state): only a regular file,
only up to a size limit, and never blocking.

A FIFO blocks its reader until someone writes, /dev/zero never ends, /proc's files say they are
empty and are not, and opening some devices does something. So a path is looked at before it
is opened (anything but a regular file is refused unopened), opened without blocking, and
looked at again through the open descriptor (it may have been swapped in between); then at
most the limit plus one byte is read, whatever size the file claims.
"""

from __future__ import annotations

import os
import stat


class NotReadable(Exception):
    """A file refused for what it is or how big; str() says why in words ('a FIFO (named pipe),
    not a file to read'), without the path: callers name the file their own way."""


class TooLarge(NotReadable):
    """A file over the size limit (callers may name the option that sets it)."""


def size_text(size: int) -> str:
    """A size as messages say it: '12.3 MB', or '512 bytes' under a megabyte."""
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, name in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def read_regular_file(path: str | os.PathLike, max_bytes: int, info: os.stat_result | None = None) -> bytes:
    """The bytes of a regular file (symlinks followed) of at most `max_bytes`.

    Raises NotReadable for anything else or anything bigger, OSError when the system says no
    (FileNotFoundError, PermissionError ...). `info`: the path's stat, when the caller has it.
    """
    info = info or os.stat(path)
    _check(info, max_bytes)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        opened = os.fstat(descriptor)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            _check(opened, max_bytes)  # swapped since it was looked at: judge what was opened
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(descriptor, min(max_bytes + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > max_bytes:  # it grew since stat, or it is a pseudo file that says it is empty
        raise TooLarge(f"over the size limit of {size_text(max_bytes)}")
    return b"".join(chunks)


def _check(info: os.stat_result, max_bytes: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise NotReadable(f"{kind_of(info.st_mode)}, not a file to read")
    if info.st_size > max_bytes:
        raise TooLarge(f"{size_text(info.st_size)} is over the size limit of {size_text(max_bytes)}")
