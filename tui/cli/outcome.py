"""How a run ends: the exit codes, the errors a command raises, and inputs counted as skipped."""

from __future__ import annotations

import click

EXIT_FAILED = 1  # the run failed: nothing could be loaded, an output could not be written
EXIT_USAGE = 2  # the command line is wrong: an unknown option or command, a value out of range
EXIT_SKIPPED = 3  # done, but some inputs (files, addresses, lines) were skipped, each named on stderr
EXIT_OUTPUT_FAILED = EXIT_FAILED  # standard output could not take the output (a full disk, an I/O error)
EXIT_CLOSED_PIPE = 128 + 13  # the reader of the pipe left (`| head`): as a shell reports a tool ended by SIGPIPE
EXIT_INTERRUPTED = 128 + 2  # Ctrl-C

EXIT_CODES_HELP = (
    "exit codes: 0 done; 1 the run failed (nothing could be loaded, an output could not be "
    "written); 2 usage error; 3 done, but some inputs were skipped (each named on stderr); "
    "141 the reader of the pipe left"
)

_SKIPPED = "broadsheet.skipped"


class CliError(Exception):
    """A run that failed, said in one line: exit code 1."""

    code = EXIT_FAILED


class UsageError(CliError):
    """A command line that cannot be run as written, said in one line: exit code 2."""

    code = EXIT_USAGE


def note_skipped(count: int = 1) -> None:
    """Inputs left out of this run (each already named on stderr): the run ends with exit code 3."""
    if count:
        meta = click.get_current_context().meta
        meta[_SKIPPED] = meta.get(_SKIPPED, 0) + count


def skipped(context: click.Context) -> int:
    return context.meta.get(_SKIPPED, 0)
