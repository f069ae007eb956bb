"""The options the commands share, each spelt the same everywhere, and the values they take
(sizes, worker counts, time spans, scheduler addresses, the score cut)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any, NamedTuple

import click
from click.shell_completion import CompletionItem

from ..ingest.loader import DEFAULT_MAX_BYTES
from .inputs import Batch, Inputs

MAX_BYTES_LIMIT = 4 * 1024**3  # --max-bytes: a file read whole, and parsed, in memory
MAX_JOBS = 1024  # --jobs: as many as asked, up to the cores and the work (tui.output.batch)
MIN_SINCE, MAX_SINCE = timedelta(minutes=1), timedelta(days=36500)  # feeds a century old are not news

PATHS_HELP = (
    "article files, folders, cluster files (.json/.jsonl), http(s) addresses of pages, "
    "feeds (.rss/.atom/.xml or their URL: their items' pages) or - for stdin; "
    "default: the bundled seeds"
)


class Place(click.ParamType):
    """A PATH: a file, a folder, an address or -, taken as written (the loader says what is
    wrong with it); the shell completes file names."""

    name = "path"

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(incomplete, type="file")]


class Size(click.ParamType):
    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        units = {"k": 1024, "m": 1024**2, "g": 1024**3}
        text = str(value).strip().lower()
        try:
            size = int(float(text[:-1]) * units[text[-1]]) if text and text[-1] in units else int(text)
        except (ValueError, OverflowError):
            self.fail(f"not a size: {value!r} (1 to 4G; K, M and G suffixes)", param, ctx)
        if not 1 <= size <= MAX_BYTES_LIMIT:
            self.fail(f"{value!r} is out of range: 1 byte to 4G", param, ctx)
        return size


class Jobs(click.ParamType):
    name = "jobs"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            jobs = int(value)
        except ValueError:
            self.fail(f"not a number: {value!r} (1 to {MAX_JOBS})", param, ctx)
        if not 1 <= jobs <= MAX_JOBS:
            self.fail(f"{value!r} is out of range: 1 to {MAX_JOBS} (and no more than the cores)", param, ctx)
        return jobs


class Scheduler(click.ParamType):
    name = "address"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..output.batch import scheduler_address

        try:
            return scheduler_address(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


class Score(click.ParamType):
    name = "score"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            score = float(value)
        except ValueError:
            self.fail(f"not a number: {value!r} (0 to 1)", param, ctx)
        if not 0.0 <= score <= 1.0:
            self.fail("must be between 0 and 1", param, ctx)
        return score


class Since(NamedTuple):
    span: timedelta
    text: str  # as typed, for messages


class Span(click.ParamType):
    """--since: a span from 1 minute to 100 years."""

    name = "span"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Since:
        from ..ingest.feeds import parse_since

        if isinstance(value, Since):
            return value
        try:
            since = parse_since(value)
        except OverflowError:  # more days than a timedelta holds
            since = None
        except ValueError as error:
            self.fail(str(error), param, ctx)
        if since is None or not MIN_SINCE <= since <= MAX_SINCE:
            self.fail(f"{value!r} is out of range: 1m to 100 years (36500d)", param, ctx)
        return Since(since, value)


COUNT = click.IntRange(min=1)

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def inputs(
    *,
    metavar: str = "[PATH]...",
    help: str = PATHS_HELP,
    required: bool = False,
    offline: bool = True,
    hidden_max_bytes=False,
) -> Decorator:
    """PATH ..., --max-bytes and --offline, given to the command as one `inputs` (Inputs)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def with_inputs(*args: Any, paths: tuple[str, ...], max_bytes: int, offline: bool = False, **kwargs: Any):
            return command(*args, inputs=Inputs(list(paths), max_bytes, offline), **kwargs)

        wrapped: Callable[..., Any] = with_inputs
        if offline:
            wrapped = offline_option(wrapped)
        wrapped = click.option(
            "--max-bytes",
            type=Size(),
            default=DEFAULT_MAX_BYTES,
            metavar="N",
            hidden=hidden_max_bytes,
            help="largest file to read, in bytes (K, M and G suffixes; default 50M)",
        )(wrapped)
        return click.argument("paths", type=Place(), nargs=-1, required=required, metavar=metavar, help=help)(wrapped)

    return decorate


def offline_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--offline",
        is_flag=True,
        help="addresses from the cache only (what was fetched before); names what is missing",
    )(command)


def json_option(help: str = "print JSON") -> Decorator:
    return click.option("--json", "as_json", is_flag=True, help=help)


def min_score_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--min-score",
        type=Score(),
        metavar="S",
        help="the cut that means the same fact: pairs scoring at least S, facts grouped at S "
        "(default 0.5; the reader's + and - move the same cut)",
    )(command)


def batch_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--jobs, --quiet, --scheduler and -o/--output, given to the command as one `batch` (Batch)."""

    @functools.wraps(command)
    def with_batch(*args: Any, jobs: int | None, quiet: bool, scheduler: str | None, output: str | None, **kwargs):
        return command(*args, batch=Batch(jobs, quiet, scheduler, output), **kwargs)

    for option in reversed(
        [
            click.option(
                "--jobs",
                type=Jobs(),
                metavar="N",
                help="with --json on JSON Lines of clusters: worker processes (default: every core)",
            ),
            click.option("--quiet", is_flag=True, help="no progress bar on stderr"),
            click.option(
                "--scheduler",
                type=Scheduler(),
                metavar="ADDRESS",
                help="run the batch on a Dask distributed cluster, like tcp://127.0.0.1:8786 "
                "(pip install 'broadsheet[cluster]')",
            ),
            click.option(
                "-o",
                "--output",
                metavar="PATH|URL",
                help="with a batch: write the documents there (a path or an fsspec URL) instead of stdout",
            ),
        ]
    ):
        with_batch = option(with_batch)
    return with_batch


def data_dir_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--data-dir",
        metavar="DIR",
        help="the reading desk's folder (marks, notes, positions; default: the user data folder)",
    )(command)


def keymap_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--keymap", metavar="NAME|PATH", help="keymap preset (default, vim, emacs) or a YAML file")(
        command
    )
