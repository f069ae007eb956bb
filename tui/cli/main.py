"""The command group and how a run ends. `broadsheet [PATH ...]` opens the reader and
`broadsheet COMMAND ...` runs a command (what click-default-group does, with the check for a
mistyped command at the same place); every failure ends as one line on stderr and an exit code."""

from __future__ import annotations

import difflib
import os
import re
import sys
from typing import Any

import click
from click.shell_completion import CompletionItem

from ..desk.keymap import KeymapError
from ..ingest.formats import LoadError
from .desk_commands import export, notes
from .help import COMMANDS
from .outcome import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_SKIPPED, EXIT_USAGE, CliError, UsageError, skipped
from .output import OutputError, printable, printable_output
from .pile_commands import feeds, stories
from .reader_commands import READER, keys, reader
from .story_commands import align, articles, differences, quotes, search


class ReaderFirstGroup(click.Group):
    """The reader unless the first word names a command. Its options and PATHs may come in any
    order (`broadsheet --keymap vim story/`), so the group parses nothing itself."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.resilient_parsing and not args:  # the shell completes the first word: a command or a path
            return super().parse_args(ctx, args)
        if not args or args[0] not in COMMANDS:
            if not ctx.resilient_parsing:  # while the shell completes, a word typed so far is no mistake
                not_a_command(args)
            args = [READER, *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        if incomplete.startswith("-"):  # the reader's options
            return reader.shell_complete(ctx, incomplete)
        # files first: bash offers them only when no command matches
        return [CompletionItem(incomplete, type="file"), *super().shell_complete(ctx, incomplete)]

    def invoke(self, ctx: click.Context) -> Any:
        code = super().invoke(ctx)
        # done, but not with everything it was given (the reader shows what it skipped)
        if code == 0 and ctx.invoked_subcommand != READER and skipped(ctx):
            return EXIT_SKIPPED
        return code


def not_a_command(argv: list[str]) -> None:
    """A first word that is neither a path nor a command is most likely a mistyped command:
    say so, with the nearest command, rather than "no such file or folder"."""
    word = argv[0] if argv else ""
    if not word or word == "-" or word.startswith("-") or os.path.lexists(word):
        return
    if not re.fullmatch(r"[A-Za-z][A-Za-z-]{1,30}", word):  # a name with a dot, a slash or a digit is a path
        return
    nearest = max(COMMANDS, key=lambda command: difflib.SequenceMatcher(None, word.lower(), command).ratio())
    raise UsageError(
        f"'{printable(word)}' is neither a file nor a command; did you mean `{nearest}`? "
        f"(commands: {', '.join(COMMANDS)})"
    )


@click.group("broadsheet", cls=ReaderFirstGroup, context_settings={"help_option_names": ["-h", "--help"]})
def broadsheet() -> None:
    """Read several outlets' articles about one event side by side."""


for command in (reader, articles, align, differences, search, quotes, stories, feeds, export, notes, keys):
    broadsheet.add_command(command)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        return _run(argv)
    except BrokenPipeError:  # the reader of stderr left while the run said how it ended
        return OutputError(BrokenPipeError(), sys.stderr, "standard error").report()


def _run(argv: list[str]) -> int:
    try:
        # every line printed goes through the gate, click's messages too: they quote what was typed
        with printable_output():
            code = broadsheet.main(argv, prog_name="broadsheet", standalone_mode=False)
            sys.stdout.flush()  # what is still buffered fails here, in words, not at exit
    except click.UsageError as error:
        print(printable(usage_line(error)), file=sys.stderr)
        return EXIT_USAGE
    except click.ClickException as error:
        print(printable(f"broadsheet: {error.format_message()}"), file=sys.stderr)
        return error.exit_code or EXIT_FAILED
    except (LoadError, CliError, KeymapError) as error:
        for warning in getattr(error, "warnings", []):
            print(printable(f"broadsheet: {warning}"), file=sys.stderr)
        print(printable(f"broadsheet: {error}"), file=sys.stderr)
        return getattr(error, "code", EXIT_FAILED)
    except OutputError as failure:
        return failure.report()
    except BrokenPipeError:
        return OutputError(BrokenPipeError(), sys.stdout, "standard output").report()
    except (click.Abort, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return code if isinstance(code, int) else 0


def usage_line(error: click.UsageError) -> str:
    """click's message in one line, naming the command and where its help is."""
    path = error.ctx.command_path.strip() if error.ctx else "broadsheet"
    message = " ".join(error.format_message().split())
    return f"{path}: {message} (see {path} --help)"
