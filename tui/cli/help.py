"""What `--help` says: each command's summary and example, the overview of `broadsheet --help`,
and the click classes that print them (examples kept as written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from .outcome import EXIT_CODES_HELP

COMMANDS = ("articles", "align", "differences", "search", "quotes", "stories", "feeds", "export", "notes", "keys")

# One line and one example per command: `broadsheet --help` lists them all, and each
# command's own help ends with its example.
COMMAND_SUMMARIES = {
    "articles": (
        "list the loaded articles: label, outlet, date, title, sentence counts",
        "broadsheet articles --json   (no PATH: the bundled seeds)",
    ),
    "align": ("the passages that report the same fact in different outlets", "broadsheet align story/ --min-score 0.6"),
    "differences": (
        "where outlets disagree inside a fact: numbers, dates, roles, quotations, previews",
        "broadsheet differences story/ --json",
    ),
    "search": ("fuzzy search across every article (fzf syntax)", 'broadsheet search "\'Sochi Lavrov" --limit 5'),
    "quotes": ("direct quotations, their speakers, and who carries each", "broadsheet quotes story/ --json"),
    "stories": (
        "sort a pile of articles (files, folders, URLs, feeds) into stories, one event each",
        "broadsheet stories pile/ --json > stories.jsonl",
    ),
    "feeds": (
        "list the items of RSS, Atom or JSON feeds (by URL or file)",
        "broadsheet feeds https://example.com/world.rss --since 2d",
    ),
    "export": (
        "a story to share: one self-contained HTML page, Markdown or JSON",
        "broadsheet export story/ --format html -o story.html",
    ),
    "notes": (
        "every mark and note from the reading desk, quoted exactly, ready to cite",
        "broadsheet notes --format md",
    ),
    "keys": ("the reader's key bindings for a keymap", "broadsheet keys --keymap vim"),
}

READER_USAGE = (
    "broadsheet [PATH ...] [--keymap NAME|PATH] [--max-bytes N]\n       broadsheet COMMAND [options] [PATH ...]"
)
READER_DESCRIPTION = (
    "Read several outlets' articles about one event side by side: the passages that report the "
    "same fact share a colour; what only one outlet says is dimmed."
)


def overview() -> str:
    """The commands with their examples, the exit codes and a few ways in: `broadsheet --help`."""
    width = max(map(len, COMMANDS))
    lines = ["commands (broadsheet COMMAND --help for each):"]
    for name in COMMANDS:
        summary, example = COMMAND_SUMMARIES[name]
        lines += [f"  {name:{width}s}  {summary}", f"  {'':{width}s}  e.g. {example}"]
    lines += [
        "",
        "exit codes: 0 done; 1 the run failed (nothing could be loaded, an output could not be",
        "  written); 2 usage error; 3 done, but some inputs were skipped (each named on stderr);",
        "  141 the reader of the pipe left",
    ]
    lines += [
        "",
        "examples:",
        "  broadsheet                     the bundled seed story",
        "  broadsheet story/ other.html   a folder and a page, side by side",
        "  cat story.jsonl | broadsheet - stories from standard input",
        "  broadsheet https://a.example/x https://b.example/y",
        "                                 two web pages side by side (--offline: from the cache)",
        "",
        "In the reader, ? shows every key; q quits.",
    ]
    return "\n".join(lines)


class BroadsheetCommand(click.Command):
    """A command whose help ends with its example and the exit codes, kept as written."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        if "epilog" not in kwargs:
            kwargs["epilog"] = f"example: {COMMAND_SUMMARIES[name][1]}\n\n{EXIT_CODES_HELP}"
        super().__init__(name, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, [self._whole_option(ctx, arg) for arg in args])
        except click.UsageError as error:
            error.ctx = error.ctx or ctx  # "-o needs a value" names its command too
            raise

    def _whole_option(self, ctx: click.Context, arg: str) -> str:
        """An unambiguous start of a long option stands for it, as argparse allowed and scripts
        wrote (`--out` for `--output`, `--js` for `--json`)."""
        name, equals, value = arg.partition("=")
        if not name.startswith("--") or name == "--":
            return arg
        names = [n for param in self.get_params(ctx) for n in getattr(param, "opts", []) if n.startswith("--")]
        if name in names:
            return arg
        matches = [n for n in names if n.startswith(name)]
        return matches[0] + equals + value if len(matches) == 1 else arg

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog:
            formatter.write_paragraph()
            formatter.write(self.epilog + "\n")


def command(name: str, description: str) -> Callable[[Callable[..., Any]], click.Command]:
    """A scripting command: its description, its summary from COMMAND_SUMMARIES, its example."""
    return click.command(name, cls=BroadsheetCommand, help=description, short_help=COMMAND_SUMMARIES[name][0])


class ReaderCommand(BroadsheetCommand):
    """The reader: its help is `broadsheet --help`, the overview of every command."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        kwargs.update(help=READER_DESCRIPTION, epilog=overview())
        super().__init__(name, **kwargs)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write(f"Usage: {READER_USAGE}\n")
