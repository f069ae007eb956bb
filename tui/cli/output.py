"""The one place the commands' output goes through: the printable gate on stdout and stderr,
JSON writing, warnings, and the progress bar of a batch (rich.progress, on stderr)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

from ..base.gate import CONTROL_CHARS, valid_unicode
from ..output.documents import documents_text
from .outcome import EXIT_CLOSED_PIPE, EXIT_OUTPUT_FAILED, CliError


def printable(text: str) -> str:
    """The last gate before the terminal: whatever control is left shows as \\uXXXX (in JSON
    that is the character's own escape, so documents stay valid and mean the same); a lone
    surrogate (an argument's undecodable byte) becomes U+FFFD, which every encoder takes."""
    return CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", valid_unicode(text))


def to_json(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def print_documents(documents: list[dict]) -> None:
    """One document indented, several as JSON Lines."""
    sys.stdout.write(documents_text(documents))


def print_json(value: Any) -> None:
    sys.stdout.write(to_json(value, indent=1) + "\n")


def warn(message: str) -> None:
    """One line on stderr, `broadsheet: ` first (through the gate: messages quote inputs)."""
    print(printable(f"broadsheet: {message}"), file=sys.stderr)


class OutputError(Exception):
    """Standard output could not take what a command printed (a full disk, a closed pipe)."""

    def __init__(self, error: OSError, stream, name: str) -> None:
        super().__init__(error.strerror or str(error))
        self.error, self.stream, self.name = error, stream, name

    def report(self) -> int:
        """Say so in one line (a closed pipe quietly) and return the exit code. What is left in
        the stream's buffer then goes to /dev/null: the interpreter's last flush would fail again."""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        if isinstance(self.error, BrokenPipeError):
            return EXIT_CLOSED_PIPE
        with contextlib.suppress(OSError, ValueError):  # stderr itself may be what failed
            print(printable(f"broadsheet: {self.name}: cannot write: {self}"), file=sys.stderr)
        return EXIT_OUTPUT_FAILED


class PrintableStream:
    """stdout/stderr for the scripting commands, through printable(). Given a `name`, a failed
    write or flush is an OutputError naming it, whichever command printed (and not an OSError,
    which click would turn into exit code 1)."""

    def __init__(self, stream, name: str | None = None) -> None:
        self._stream, self._name = stream, name

    def write(self, text: str) -> int:
        return self._guarded(self._stream.write, printable(text))

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    def _guarded(self, call, *args):
        try:
            return call(*args)
        except OSError as error:
            if self._name is None:
                raise
            raise OutputError(error, self._stream, self._name) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def unguarded(stream):
    """The terminal behind a gated stream (for rich's own control sequences)."""
    return stream._stream if isinstance(stream, PrintableStream) else stream


@contextlib.contextmanager
def printable_output() -> Iterator[None]:
    """Every line the commands print goes through the gate, click's messages too: they quote
    what was typed."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (
        PrintableStream(sys.stdout, "standard output"),
        PrintableStream(sys.stderr, "standard error"),
    )
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def plain_output() -> Iterator[None]:
    """The terminal as it is, for the reader: it draws on the terminal itself."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (unguarded(stream) for stream in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def output_target(target: str | None) -> Iterator[Any]:
    """stdout, or a file or fsspec URL that gets the documents only when the batch ends well
    (its old content stays otherwise); a missing folder is named, not made."""
    if target is None:
        yield sys.stdout
        return
    from ..output.batch import open_output

    try:
        with open_output(target) as handle:
            yield PrintableStream(handle)  # the same gate as stdout: the same bytes
    except OSError as error:
        raise CliError(f"{target}: cannot write: {error.strerror or error}") from None


class BatchProgress:
    """A bar on stderr while a batch runs: share of the input read, stories done, time left.
    Warnings print above it."""

    def __init__(self, total_bytes: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            BarColumn(bar_width=20),
            TaskProgressColumn(),
            TextColumn("{task.fields[stories]} stories"),
            TimeRemainingColumn(),
            console=Console(file=unguarded(sys.stderr), highlight=False),
            transient=True,
            redirect_stdout=False,  # the documents go to stdout, through the gate
            redirect_stderr=False,
        )
        self._task = self._progress.add_task("batch", total=max(total_bytes, 1), stories=0)

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._progress.stop()

    def advance(self, size: int, stories: int) -> None:
        self._progress.update(self._task, advance=size, stories=stories)

    def warn(self, message: str) -> None:
        from rich.text import Text

        self._progress.console.print(Text(printable(f"broadsheet: {message}")), soft_wrap=True)
