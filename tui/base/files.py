"""Writing files: whole or not at all, only where a regular file is or may be, under names that
are safe whatever text they come from.

A file is written to a temporary file beside the target, flushed to disk, which then replaces
it: a crash, a full disk or a kill leaves the old file or the new one. The file gets the mode a
new file gets under the user's umask (or keeps the mode of the file it replaces), not the
temporary file's private 0600. What is at the path decides how it is written:

- nothing, or a regular file: replaced as above;
- a symbolic link: followed, knowingly (as the shell's `>` does): the file it points to is the
  one written, the link stays;
- a character device or a FIFO (/dev/null, /dev/stdout, a named pipe): written through, never
  replaced (a FIFO no process reads within FIFO_WAIT seconds is an error, not a hang);
- anything else (a folder, a block device, a socket): refused, with an OSError saying what it is.

A set of files (a folder of them) is made the same way: in a temporary folder beside the target,
which then becomes the target (`new_folder`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

FIFO_WAIT = 10.0  # seconds a FIFO may take to get a reader before writing to it is an error
MAX_NAME_BYTES = 120  # a made-up file name's bytes (UTF-8): within every file system's limit, with room to spare
MAX_NUMBERED = 10_000  # fresh names tried (name, name-2, …) before giving up

_UNSAFE_RUN = re.compile(r"[^\w.-]+")  # separators, spaces, controls, shell and Windows specials
_DASH_RUN = re.compile(r"[-.]*-[-.]*")  # "-.-.-" (what "../../" became) and "--" read as one "-"
_DOT_RUN = re.compile(r"\.{2,}")
# names Windows keeps for devices, whatever the extension (a folder copied there must still work)
_RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))}


def name_key(name: str) -> str:
    """What a case-insensitive, normalising file system (macOS, Windows) compares names by."""
    return unicodedata.normalize("NFKC", name).casefold()


def safe_file_name(
    text: str, suffix: str = "", taken: set[str] | None = None, fallback: str = "item", max_bytes: int = MAX_NAME_BYTES
) -> str:
    """A file name made from untrusted text (an id, a title): letters, digits, '-', '_' and
    single dots only, never a leading dot or dash, never a device name, at most `max_bytes`
    bytes with `suffix` (trusted, like ".json"), and unique among `taken` (name_key()s, which
    the name's is added to) by a "-2", "-3" … before the suffix."""
    stem = _UNSAFE_RUN.sub("-", unicodedata.normalize("NFC", text))
    stem = _DOT_RUN.sub(".", _DASH_RUN.sub("-", stem)).strip("-.") or fallback
    if stem.split(".")[0].casefold() in _RESERVED:
        stem = f"_{stem}"
    for number in range(1, MAX_NUMBERED + 1):
        name = numbered(stem, suffix, number, max_bytes)
        if taken is None:
            return name
        if name_key(name) not in taken:
            taken.add(name_key(name))
            return name
    raise ValueError(f"no free name for {stem!r}")  # only with 10,000 names alike


def numbered(stem: str, suffix: str, number: int, max_bytes: int = MAX_NAME_BYTES) -> str:
    """stem + suffix, "-number" before the suffix from 2 on, the stem cut (at a character) so the
    whole fits in max_bytes."""
    tag = f"-{number}" if number > 1 else ""
    room = max(max_bytes - len(tag.encode()) - len(suffix.encode()), 1)
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip("-.") or stem[:1]
    return f"{cut}{tag}{suffix}"


def write_atomically(path: str | Path, text: str) -> None:
    """The text to the file at path (see the module's docstring for what is at the path). Raises
    OSError when it cannot be written: a regular file is then unchanged."""
    with open_for_writing(path) as out:
        out.write(text)


@contextlib.contextmanager
def open_for_writing(path: str | Path) -> Iterator[TextIO]:
    """A text stream to the file at path, written in place only when the `with` block ends
    without an exception (else the temporary file goes and the old file stays). For writers
    that stream (a batch's documents as they are done)."""
    try:
        info = os.stat(path)  # through any symlink
    except FileNotFoundError:
        info = None
    descriptor = _own_descriptor(path) if info is not None else None
    if descriptor is not None or (info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode))):
        with _write_through(path, descriptor, fifo=info is not None and stat.S_ISFIFO(info.st_mode)) as out:
            yield out
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OSError(
            errno.EISDIR if stat.S_ISDIR(info.st_mode) else errno.EINVAL,
            f"{_kind(info.st_mode)}, not a file to write (only files, devices and FIFOs are)",
        )
    target = os.path.realpath(path)  # a symlink is followed: its target is written, the link stays
    folder = os.path.dirname(target)
    _check_folder(folder)
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".broadsheet-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def write_fresh_file(folder: str | Path, name: str, text: str) -> Path:
    """The text to a new file in folder, never over an existing one: `name`, else name-2,
    name-3 … (before the extension), each claimed with O_CREAT|O_EXCL so two writers at once
    never share a name. Written whole or not at all (a failure leaves no file); returns the path."""
    stem, suffix = os.path.splitext(name)
    for number in range(1, MAX_NUMBERED + 1):
        path = Path(folder) / numbered(stem, suffix, number, max(MAX_NAME_BYTES, len(name.encode())))
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666))
        except FileExistsError:
            continue
        try:
            write_atomically(path, text)  # over the empty file just claimed
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        return path
    raise FileExistsError(errno.EEXIST, f"{MAX_NUMBERED} files named like {name} already there", str(folder))


@contextlib.contextmanager
def new_folder(path: str | Path) -> Iterator[Path]:
    """A folder made whole or not at all: the `with` block fills a temporary folder beside path,
    which becomes path when the block ends without an exception (else it goes). Path must not
    exist or be an empty folder (which the new one replaces, keeping its mode); its parent
    folder must exist. A symlink to a folder is followed."""
    target = os.path.realpath(path)
    check_new_folder(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o777 & ~_umask()
    temporary = tempfile.mkdtemp(dir=os.path.dirname(target), prefix=".broadsheet-")
    try:
        yield Path(temporary)
        os.chmod(temporary, mode)
        try:
            os.rename(temporary, target)  # replaces an empty folder, atomically; refuses any other
        except OSError as error:
            if error.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise OSError(error.errno, "not empty (it was filled while the stories were written)") from None
            raise
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _sync_folder(os.path.dirname(target))


def check_new_folder(path: str | Path) -> None:
    """OSError unless path can become a new folder: its parent exists, and it does not or is an
    empty folder."""
    target = os.path.realpath(path)
    _check_folder(os.path.dirname(target))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(errno.ENOTDIR, f"{_kind(info.st_mode)}, not a folder")
    with os.scandir(target) as entries:
        if next(entries, None) is not None:
            raise OSError(errno.ENOTEMPTY, "not empty")


def _check_folder(folder: str) -> None:
    """A missing folder is named rather than made: a mistyped path must not grow folders."""
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, f"no such folder: {folder}", folder)


def _own_descriptor(path: str | Path) -> int | None:
    """The number of this process's open file descriptor that path leads to (through symlinks:
    /dev/stdout, /dev/fd/63, /proc/self/fd/1), else None. What is behind it is the shell's: `-o
    /dev/stdout > out.html` writes into the file the shell opened, where the shell is in it."""
    own = re.compile(rf"/(?:dev|proc/(?:self|{os.getpid()}))/fd/(\d+)")
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links in a row
        if match := own.fullmatch(current):
            return int(match.group(1))
        try:
            current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
        except OSError:
            return None
    return None


@contextlib.contextmanager
def _write_through(path: str | Path, descriptor: int | None, fifo: bool) -> Iterator[TextIO]:
    """A device, FIFO or open descriptor of ours written as it is (no temporary file can replace it)."""
    descriptor = os.dup(descriptor) if descriptor is not None else _open_device(path, fifo)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        yield out


def _open_device(path: str | Path, fifo: bool) -> int:
    """Opened without blocking (a FIFO nobody reads is waited for FIFO_WAIT seconds, not for
    ever), then blocking: writes wait for the reader."""
    flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    deadline = time.monotonic() + FIFO_WAIT
    while True:
        try:
            descriptor = os.open(path, flags)
            break
        except OSError as error:  # ENXIO on a FIFO: no process reads it yet
            if not (fifo and error.errno == errno.ENXIO):
                raise
            if time.monotonic() > deadline:
                raise OSError(errno.ENXIO, f"a FIFO that no process read within {FIFO_WAIT:g} s") from None
            time.sleep(0.05)
    os.set_blocking(descriptor, True)
    return descriptor


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


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
