"""The `broadsheet` command: the reader by default, scripting commands that print JSON.

Nothing here imports Textual until the reader is opened, so the scripting commands run
without the UI.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from .base.gate import CONTROL_CHARS, valid_unicode
from .base.model import Cluster, counted
from .base.resources import version
from .desk.keymap import KeymapError
from .ingest.formats import LoadError
from .ingest.loader import CLUSTER_META, DEFAULT_MAX_BYTES, LoadResult, is_skipped_input, load_paths
from .output.documents import align_document, articles_document, documents_text, found_story_document, quotes_document
from .output.export import FORMATS

COMMANDS = ("articles", "align", "differences", "search", "quotes", "stories", "feeds", "export", "notes", "keys")
EXIT_FAILED = 1  # the run failed: nothing could be loaded, an output could not be written
EXIT_USAGE = 2  # the command line is wrong: an unknown option or command, a value out of range
EXIT_SKIPPED = 3  # done, but some inputs (files, addresses, lines) were skipped, each named on stderr
EXIT_OUTPUT_FAILED = EXIT_FAILED  # standard output could not take the output (a full disk, an I/O error)
EXIT_CLOSED_PIPE = 128 + 13  # the reader of the pipe left (`| head`): as a shell reports a tool ended by SIGPIPE

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


class CliError(Exception):
    """A run that failed, said in one line: exit code 1."""

    code = EXIT_FAILED


class UsageError(CliError):
    """A command line that cannot be run as written, said in one line: exit code 2."""

    code = EXIT_USAGE


EXIT_CODES_HELP = (
    "exit codes: 0 done; 1 the run failed (nothing could be loaded, an output could not be "
    "written); 2 usage error; 3 done, but some inputs were skipped (each named on stderr); "
    "141 the reader of the pipe left"
)


def _paths_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="article files, folders, cluster files (.json/.jsonl), http(s) addresses of pages, "
        "feeds (.rss/.atom/.xml or their URL: their items' pages) or - for stdin; "
        "default: the bundled seeds",
    )
    parser.add_argument(
        "--max-bytes",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help="largest file to read, in bytes (K, M and G suffixes; default 50M)",
    )
    _offline_argument(parser)


def _offline_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offline",
        action="store_true",
        help="addresses from the cache only (what was fetched before); names what is missing",
    )


MAX_BYTES_LIMIT = 4 * 1024**3  # --max-bytes: a file read whole, and parsed, in memory
MAX_JOBS = 1024  # --jobs: as many as asked, up to the cores and the work (tui.output.batch)


def _size(text: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    value = text.strip().lower()
    try:
        size = int(float(value[:-1]) * units[value[-1]]) if value and value[-1] in units else int(value)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (1 to 4G; K, M and G suffixes)") from None
    if not 1 <= size <= MAX_BYTES_LIMIT:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range: 1 byte to 4G")
    return size


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r} (1 to {MAX_JOBS})") from None
    if not 1 <= jobs <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range: 1 to {MAX_JOBS} (and no more than the cores)")
    return jobs


def _scheduler(text: str) -> str:
    from .output.batch import scheduler_address

    try:
        return scheduler_address(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _batch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="with --json on JSON Lines of clusters: worker processes (default: every core)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        type=_scheduler,
        help="run the batch on a Dask distributed cluster, like tcp://127.0.0.1:8786 "
        "(pip install 'broadsheet[cluster]')",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH|URL",
        help="with a batch: write the documents there (a path or an fsspec URL) instead of stdout",
    )


def _data_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="the reading desk's folder (marks, notes, positions; default: the user data folder)",
    )


def _keymap_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keymap", metavar="NAME|PATH", help="keymap preset (default, vim, emacs) or a YAML file")


def _command_parser(name: str, description: str) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog=f"broadsheet {name}",
        description=description,
        epilog=f"example: {COMMAND_SUMMARIES[name][1]}\n\n{EXIT_CODES_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _overview() -> str:
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


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    reader = argparse.ArgumentParser(
        prog="broadsheet",
        usage="broadsheet [PATH ...] [--keymap NAME|PATH] [--max-bytes N]\n"
        "       broadsheet COMMAND [options] [PATH ...]",
        description="Read several outlets' articles about one event side by side: the passages\n"
        "that report the same fact share a colour; what only one outlet says is dimmed.",
        epilog=_overview(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reader.add_argument("--version", action="version", version=f"broadsheet {version()}")
    _paths_argument(reader)
    _keymap_argument(reader)
    _data_dir_argument(reader)
    reader.add_argument("--fresh", action="store_true", help="start at the top, not where you were")
    commands: dict[str, argparse.ArgumentParser] = {}

    articles = _command_parser("articles", "List the loaded articles.")
    _paths_argument(articles)
    articles.add_argument("--json", action="store_true", help="print JSON (one document per story)")
    _batch_arguments(articles)
    commands["articles"] = articles

    align = _command_parser("align", "Find the passages that report the same fact in different outlets.")
    _paths_argument(align)
    align.add_argument("--json", action="store_true", help="print JSON (one document per story)")
    _min_score_argument(align)
    _batch_arguments(align)
    commands["align"] = align

    differences = _command_parser(
        "differences",
        "Where outlets disagree inside one fact: figures, dates, a "
        "person's role, a quotation worded differently, a preview told as done elsewhere.",
    )
    _paths_argument(differences)
    differences.add_argument("--json", action="store_true", help="print JSON (one document per story)")
    _min_score_argument(differences)
    _batch_arguments(differences)
    commands["differences"] = differences

    search = _command_parser(
        "search", "Fuzzy search across all articles (fzf syntax: 'exact ^prefix suffix$ !not a|b)."
    )
    # optional here so that a missing QUERY gets its own message (argparse would also call the
    # optional PATH list "required")
    search.add_argument("query", metavar="QUERY", nargs="?")
    _paths_argument(search)
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    search.add_argument("--quotes", action="store_true", help="only text inside quotation marks")
    commands["search"] = search

    quotes = _command_parser("quotes", "Direct quotations, their speakers and groups.")
    _paths_argument(quotes)
    quotes.add_argument("--json", action="store_true", help="print JSON")
    _batch_arguments(quotes)
    commands["quotes"] = quotes

    stories = _command_parser(
        "stories",
        "Sort a pile of articles from many outlets and events into stories "
        "(one event each). Text: one line per story (size, outlets, dates, label). "
        "Without --json or --out, the reader opens on the story list.",
    )
    _paths_argument(stories)
    stories.add_argument(
        "--json", action="store_true", help="print JSON Lines: one story a line, as the reader reads them"
    )
    stories.add_argument(
        "-o",
        "--output",
        "--out",
        dest="out",
        metavar="FOLDER",
        help="write one folder per story (articles as JSON, cluster.yaml)",
    )
    stories.add_argument(
        "--text",
        action="store_true",
        help="print the one-line-per-story list instead of opening the "
        "reader (the default when output is not a terminal)",
    )
    _keymap_argument(stories)
    _data_dir_argument(stories)
    commands["stories"] = stories

    feeds = _command_parser(
        "feeds", "List the items of RSS, Atom or JSON feeds, newest first: outlet, date, title, link."
    )
    feeds.add_argument("paths", nargs="+", metavar="FEED", help="feed addresses (http/https) or feed files")
    feeds.add_argument("--json", action="store_true", help="print JSON")
    feeds.add_argument("--since", metavar="SPAN", help="only items newer than this (30m, 12h, 2d, 1w)")
    feeds.add_argument("--limit", type=int, metavar="N", help="at most N items")
    feeds.add_argument("--max-bytes", type=_size, default=DEFAULT_MAX_BYTES, metavar="N", help=argparse.SUPPRESS)
    _offline_argument(feeds)
    commands["feeds"] = feeds

    export = _command_parser(
        "export",
        "Export stories: a self-contained HTML page (columns in the reader's colours, "
        "a coverage matrix, quotes by speaker), Markdown, or JSON.",
    )
    _paths_argument(export)
    export.add_argument("--format", choices=FORMATS, default="html", help="html (default), md or json")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    _min_score_argument(export)
    _data_dir_argument(export)
    commands["export"] = export

    notes = _command_parser(
        "notes",
        "Marks and notes from the reading desk: each sentence quoted exactly with its "
        "outlet, date, URL and story. With PATHs, those stories' marks (anchored to "
        "their sentences); without, every story's.",
    )
    notes.add_argument("paths", nargs="*", metavar="PATH", help="stories to list (default: every story with marks)")
    notes.add_argument("--max-bytes", type=_size, default=DEFAULT_MAX_BYTES, metavar="N", help=argparse.SUPPRESS)
    notes.add_argument("--json", action="store_true", help="print JSON")
    notes.add_argument("--format", choices=("text", "md"), default="text", help="text (default) or md (citations)")
    _data_dir_argument(notes)
    commands["notes"] = notes

    keys = _command_parser("keys", "The reader's key bindings.")
    _keymap_argument(keys)
    keys.add_argument("--json", action="store_true", help="print JSON")
    commands["keys"] = keys
    return reader, commands


def load(args: argparse.Namespace) -> list[Cluster]:
    result: LoadResult = load_paths(
        args.paths,
        max_bytes=args.max_bytes,
        offline=getattr(args, "offline", False),
        progress=_fetch_progress(args.paths),
    )
    for warning in result.warnings:
        print(printable(f"broadsheet: {warning}"), file=sys.stderr)
    args.skipped = getattr(args, "skipped", 0) + sum(map(is_skipped_input, result.warnings))
    return result.clusters


def printable(text: str) -> str:
    """The last gate before the terminal: whatever control is left shows as \\uXXXX (in JSON
    that is the character's own escape, so documents stay valid and mean the same); a lone
    surrogate (an argument's undecodable byte) becomes U+FFFD, which every encoder takes."""
    return CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", valid_unicode(text))


def to_json(value, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


class OutputError(Exception):
    """Standard output could not take what a command printed (a full disk, a closed pipe)."""

    def __init__(self, error: OSError, stream) -> None:
        super().__init__(error.strerror or str(error))
        self.error, self.stream = error, stream

    def report(self) -> int:
        """Say so in one line (a closed pipe quietly) and return the exit code. What is left in
        the stream's buffer then goes to /dev/null: the interpreter's last flush would fail again."""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        if isinstance(self.error, BrokenPipeError):
            return EXIT_CLOSED_PIPE
        print(printable(f"broadsheet: standard output: cannot write: {self}"), file=sys.stderr)
        return EXIT_OUTPUT_FAILED


class _PrintableStream:
    """stdout/stderr for the scripting commands, through printable(). As standard output
    (`output`), a failed write or flush is an OutputError, whichever command printed."""

    def __init__(self, stream, output: bool = False) -> None:
        self._stream, self._output = stream, output

    def write(self, text: str) -> int:
        return self._guarded(self._stream.write, printable(text))

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    def _guarded(self, call, *args):
        try:
            return call(*args)
        except OSError as error:
            if not self._output:
                raise
            raise OutputError(error, self._stream) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def _printable_output():
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _PrintableStream(sys.stdout, output=True), _PrintableStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def _plain_output():
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (getattr(stream, "_stream", stream) for stream in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def print_documents(documents: list[dict]) -> None:
    sys.stdout.write(documents_text(documents))


# ---------------------------------------------------------------- commands


def stream_documents(command: str, args: argparse.Namespace, min_score: float | None = None) -> int | None:
    """--json over JSON Lines files of clusters: one cluster at a time, in worker processes,
    written in input order as each is done. None when the input is not such a stream."""
    import os

    from .output.batch import BatchError, is_cluster_stream, is_remote, run_on_cluster, run_stream

    if not args.json or not args.paths or not all(p != "-" and is_cluster_stream(p) for p in args.paths):
        if args.scheduler or args.output:
            raise UsageError("--scheduler and --output work on --json batches of JSON Lines files of clusters")
        return None
    if args.scheduler:
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            raise CliError("--scheduler needs Dask: pip install 'broadsheet[cluster]'")
        results = run_on_cluster(command, args.paths, args.scheduler, min_score)
    else:
        # batch.ordered_map starts no more workers than the cores or the lines
        results = run_stream(command, args.paths, args.jobs or os.cpu_count() or 1, min_score)
    local = [p for p in args.paths if not is_remote(p)]
    progress = (
        _Progress(sum(os.path.getsize(p) for p in local))
        if sys.stderr.isatty() and not args.quiet and len(local) == len(args.paths)
        else None
    )
    try:
        with _output(args.output) as out:
            return _write_stream(results, out, progress, args.paths)
    except BatchError as error:
        raise CliError(str(error)) from None


@contextlib.contextmanager
def _output(target: str | None):
    """stdout, or a file or fsspec URL that gets the documents only when the batch ends well
    (its old content stays otherwise); a missing folder is named, not made."""
    if target is None:
        yield sys.stdout
        return
    from .output.batch import open_output

    try:
        with open_output(target) as handle:
            yield _PrintableStream(handle)  # the same gate as stdout: the same bytes
    except OSError as error:
        raise CliError(f"{target}: cannot write: {error.strerror or error}") from None


def _write_stream(results, out, progress, paths: list[str]) -> int:
    first: str | None = None
    count = skipped = 0
    for done in results:
        for warning in done.warnings:
            if progress:
                progress.clear()
            print(printable(f"broadsheet: {warning}"), file=sys.stderr)
        skipped += done.skipped
        for text in done.documents:
            count += 1
            if count == 1:
                first = text  # one story prints indented, several one a line: wait for the second
                continue
            if count == 2:
                out.write(first + "\n")
            out.write(text + "\n")
        if progress:
            progress.advance(done.size, count)
    if progress:
        progress.clear()
    if count == 1:
        out.write(documents_text([json.loads(first)]))
    elif count == 0:
        raise CliError(f"{', '.join(paths)}: no clusters could be read")
    return EXIT_SKIPPED if skipped else 0


class _Progress:
    """One line on stderr: clusters done, rate, time left (estimated from the bytes read)."""

    def __init__(self, total_bytes: int) -> None:
        import time

        self.total, self.done_bytes, self.started, self.clock, self.shown = (
            max(total_bytes, 1),
            0,
            time.monotonic(),
            time.monotonic,
            0.0,
        )

    def advance(self, size: int, clusters: int) -> None:
        self.done_bytes += size
        now = self.clock()
        if now - self.shown < 0.2:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-6)
        share = min(self.done_bytes / self.total, 1.0)
        left = elapsed * (1 - share) / share if share else 0.0
        bar = "█" * int(share * 20) + "·" * (20 - int(share * 20))
        sys.stderr.write(
            f"\r{bar} {share:4.0%}  {clusters} clusters  {clusters / elapsed:.1f}/s  "
            f"{int(left) // 60}:{int(left) % 60:02d} left "
        )
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def cmd_articles(args: argparse.Namespace) -> int:
    if (code := stream_documents("articles", args)) is not None:
        return code
    clusters = load(args)
    if args.json:
        print_documents([articles_document(c) for c in clusters])
        return 0
    for cluster in clusters:
        print(f"{cluster.id}: {cluster.display_title} ({counted(len(cluster.articles), 'article')})")
        for article in cluster.articles:
            counts = article.counts()
            derived = " (derived)" if article.title_derived else ""
            print(f"  {article.id}  {article.outlet or '-'}  {article.date or '-'}")
            print(f"    title: {article.title}{derived}")
            if article.authors:
                print(f"    authors: {', '.join(article.authors)}")
            print("    sentences: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    _check_min_score(args)
    if (code := stream_documents("align", args, args.min_score)) is not None:
        return code
    clusters = load(args)
    documents = [align_document(c, args.min_score) for c in clusters]
    if args.json:
        print_documents(documents)
        return 0
    for cluster, document in zip(clusters, documents):
        articles = {a.id: a for a in cluster.articles}
        print(
            f"{cluster.id}: {counted(len(document['facts']), 'fact')} "
            f"across {counted(len(cluster.articles), 'article')}"
        )
        for fact in document["facts"]:
            outlets = ", ".join(articles[m["article"]].label for m in fact["members"])
            print(f"\nfact {fact['id'] + 1}  score {fact['score']:.2f}  [{outlets}]")
            for member in fact["members"]:
                article = articles[member["article"]]
                print(f"  {article.label}: {article.passage(member['sentences'])}")
        in_facts = {(m["article"], i) for f in document["facts"] for m in f["members"] for i in m["sentences"]}
        print("\nunique to one outlet (body sentences in no fact):")
        for article in cluster.articles:
            unique = sum(1 for s in article.sentences if s.kind == "body" and (article.id, s.id) not in in_facts)
            print(f"  {article.label}: {unique}")
        print()
    return 0


DIFFERENCE_KINDS = {
    "number": "figures",
    "date": "dates",
    "person": "people and roles",
    "quote": "quotation wording",
    "preview": "expected / done",
}


def cmd_differences(args: argparse.Namespace) -> int:
    from .output.documents import differences_document

    _check_min_score(args)
    if (code := stream_documents("differences", args, args.min_score)) is not None:
        return code
    clusters = load(args)
    documents = [differences_document(c, args.min_score) for c in clusters]
    if args.json:
        print_documents(documents)
        return 0
    for cluster, document in zip(clusters, documents):
        found = document["differences"]
        sentences = {(a.id, s.id): s.text for a in cluster.articles for s in a.sentences}
        print(f"{cluster.id}: {counted(len(found), 'difference')} where the outlets tell the same fact")
        for difference in found:
            fact = f"fact {difference['fact'] + 1}" if difference["fact"] is not None else "pair"
            print(f"\n{fact} · {DIFFERENCE_KINDS[difference['kind']]}")
            for side in (difference["a"], difference["b"]):
                text = sentences[(side["article"], side["sentence"])]
                print(f"  {side['outlet']}: {_with_span_marked(text, *side['span'])}")
        print()
    return 0


def _with_span_marked(text: str, start: int, end: int, room: int = 110) -> str:
    """The sentence around a span, the span between ⟦ ⟧, shortened to about `room` characters."""
    before, span, after = text[:start], text[start:end], text[end:]
    side = max((room - len(span)) // 2, 20)
    if len(before) > side:
        before = "…" + before[-side:].lstrip()
    if len(after) > side:
        after = after[:side].rstrip() + "…"
    return f"{before}⟦{span}⟧{after}"


def cmd_search(args: argparse.Namespace) -> int:
    from .engine.search import SearchIndex

    if not args.query:
        raise UsageError("search needs a QUERY: broadsheet search QUERY [PATH ...]")
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    clusters = load(args)
    articles = [a for c in clusters for a in c.articles]
    # several stories: each hit names its story (article ids are unique only within one)
    stories = [c.id for c in clusters for _ in c.articles] if len(clusters) > 1 else None
    hits = SearchIndex(articles, stories=stories).search(args.query, limit=args.limit, quotes_only=args.quotes)
    if args.json:
        print(to_json({"query": args.query, "hits": [h.to_json() for h in hits]}, indent=1))
        return 0
    if not hits:
        print(f"no match for {args.query!r}")
    labels = {(c.id if stories else None, a.id): a.label for c in clusters for a in c.articles}
    for hit in hits:
        where = f"{hit.story}: " if hit.story is not None else ""
        print(
            f"{hit.score:.2f}  {where}{labels[hit.story, hit.article]} #{hit.sentence}: {_marked(hit.text, hit.spans)}"
        )
    return 0


def _marked(text: str, spans) -> str:
    """The matched parts between »« marks, for plain terminals and pipes."""
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], "»", text[start:end], "«"]
        last = end
    out.append(text[last:])
    return "".join(out)


def cmd_quotes(args: argparse.Namespace) -> int:
    from .engine.quotes import extract_quotes

    if (code := stream_documents("quotes", args)) is not None:
        return code
    clusters = load(args)
    if args.json:
        print_documents([quotes_document(c) for c in clusters])
        return 0
    documents = [(cluster, extract_quotes(cluster.articles)) for cluster in clusters]
    for cluster, found in documents:
        labels = {a.id: a.label for a in cluster.articles}
        print(f"{cluster.id}: {counted(len(found.quotes), 'quote')} in {counted(len(found.groups), 'group')}")
        for speaker, groups in found.by_speaker():
            print(f"\n{speaker or '(speaker unknown)'}")
            for group in groups:
                for qid in group.quotes:
                    quote = found.quotes[qid]
                    mark = " (paraphrase)" if quote.paraphrase else ""
                    print(f"  [{group.id}] {labels[quote.article]}: \u201c{quote.text}\u201d{mark}")
        print()
    return 0


def _min_score_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--min-score",
        type=float,
        metavar="S",
        help="the cut that means the same fact: pairs scoring at least S, facts grouped at S "
        "(default 0.5; the reader's + and - move the same cut)",
    )


def _check_min_score(args: argparse.Namespace) -> None:
    if args.min_score is not None and not 0.0 <= args.min_score <= 1.0:
        raise UsageError("--min-score must be between 0 and 1")


def cmd_export(args: argparse.Namespace) -> int:
    from .base.files import write_atomically
    from .output.export import export_text

    _check_min_score(args)
    clusters = load(args)
    desk, problem = open_desk(args.data_dir)  # marks and notes go in when there is a reading desk
    text = export_text(clusters, args.format, desk=desk, min_score=args.min_score)
    for warning in ([problem] if problem else []) + (desk.warnings if desk is not None else []):
        print(printable(f"broadsheet: warning: {warning}"), file=sys.stderr)  # a busy or damaged desk
    if desk is not None and desk.incomplete:
        args.skipped = getattr(args, "skipped", 0) + 1  # marks the damaged desk could not give: exit 3
    if args.output:
        try:
            write_atomically(args.output, text)
        except OSError as error:
            raise CliError(f"{args.output}: cannot write: {error.strerror or error}") from None
        print(f"wrote {args.output} ({args.format}, {counted(len(clusters), 'story')})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def open_desk(folder: str | None):
    """The reading desk, or None with the reason (the reader works without it)."""
    from pathlib import Path

    from .desk.store import Desk, DeskError

    try:
        return Desk.open(Path(folder) if folder else None), None
    except DeskError as error:
        return None, str(error)


def cmd_notes(args: argparse.Namespace) -> int:
    from .desk.store import STATUS_SIGNS, story_key

    desk, problem = open_desk(args.data_dir)
    if desk is None:
        raise CliError(problem)
    if args.paths:
        stories = [(story_key(c), c.display_title, desk.marks(c)) for c in load(args)]
    else:
        stories = desk.all_marks()
    for warning in desk.warnings:  # after reading: a damaged or busy store is found then too
        print(f"broadsheet: warning: {warning}", file=sys.stderr)
    # some marks could not be read: the rest is listed, the exit code says it is not all
    code = EXIT_SKIPPED if desk.incomplete else 0
    stories = [(sid, title, marks) for sid, title, marks in stories if marks]
    if args.json:
        print(
            to_json(
                {
                    "stories": [
                        {"id": sid, "title": title, "marks": [m.to_json() for m in marks]}
                        for sid, title, marks in stories
                    ]
                },
                indent=1,
            )
        )
        return code
    if not stories and not desk.incomplete:
        print("no marks yet: in the reader, m marks a sentence and a writes a note")
    from .output.export import in_quotes

    for sid, title, marks in stories:
        if args.format == "md":
            from .output.export import md_text, safe_url

            print(f"## {md_text(title)}\n")
            for mark in marks:
                source = ", ".join(md_text(x) for x in (mark.outlet, mark.date) if x)
                link = f", <{url}>" if (url := safe_url(mark.url)) else ""
                status = f" **{mark.status}**" if mark.status else ""
                print(f"> {md_text(in_quotes(mark.sentence_text))}\n>\n> — {source}{link}{status}\n")
                if mark.note:
                    print(f"{md_text(mark.note)}\n")
            continue
        print(f"{title}  [{sid}]")
        for mark in marks:
            sign = ("●" if mark.bookmark else " ") + STATUS_SIGNS.get(mark.status, " ")
            where = ", ".join(x for x in (mark.outlet, mark.date, mark.url) if x)
            orphan = (
                "  (orphaned: the sentence is no longer in the article)" if args.paths and mark.sentence is None else ""
            )
            fact = " (whole fact)" if mark.scope == "fact" else ""
            print(f"  {sign} {in_quotes(mark.sentence_text)}{fact} — {where}{orphan}")
            for line in mark.note.splitlines():
                print(f"      {line}")
        print()
    return code


def active_keymap(choice: str | None):
    """The chosen preset or file with the user's override over it; validated before any UI."""
    from .desk.keymap import load_keymap, user_keymap_path

    return load_keymap(choice, user_keymap_path())


def cmd_keys(args: argparse.Namespace) -> int:
    from .desk.keymap import ACTIONS, delivery_warnings

    keymap = active_keymap(args.keymap)
    warnings = delivery_warnings(keymap)
    if args.json:
        print_documents(
            [
                {
                    "keymap": keymap.name,
                    "bindings": [
                        {"id": a.id, "description": a.description, "keys": keymap.keys_for(a.id)} for a in ACTIONS
                    ],
                    "warnings": warnings,
                }
            ]
        )
        return 0
    for warning in warnings:
        print(f"broadsheet: warning: key {warning}", file=sys.stderr)
    print(f"keymap: {keymap.name}")
    width = max(len(a.id) for a in ACTIONS)
    for action in ACTIONS:
        print(f"  {action.id:{width}s}  {keymap.keys_label(action.id):24s}  {action.description}")
    return 0


def keys_from_terminal() -> None:
    """After the articles were read from a pipe on standard input, take keys from the terminal
    (as less and fzf do): the reader reads keys from file descriptor 0."""
    import os

    if sys.stdin is not None and sys.stdin.isatty():
        return
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        raise CliError(
            "standard input held the articles and there is no terminal (/dev/tty) "
            "to read keys from; use a scripting command instead (broadsheet --help)"
        ) from None
    os.dup2(terminal, 0)
    os.close(terminal)


def cmd_reader(args: argparse.Namespace) -> int:
    from .runtime.align_process import start_helper, stop_helper

    keymap = active_keymap(args.keymap)
    if _addresses(args.paths):
        return open_reader(None, keymap, args, loader=lambda progress, cancelled: _loaded(args, progress, cancelled))
    start_helper()  # imports the engine on another core while the files load and the UI starts
    try:
        clusters = load(args)
    except BaseException:
        stop_helper()
        raise
    return open_reader(clusters, keymap, args)


def _addresses(paths: list[str] | None) -> list[str]:
    """The addresses and feed files among the paths: what the reader fetches on its loading screen."""
    from .ingest.addresses import is_feed_file, is_url

    return [p for p in paths or [] if is_url(p) or is_feed_file(p)]


def _loaded(args: argparse.Namespace, progress, cancelled=None) -> tuple[list[Cluster], list[str]]:
    result = load_paths(
        args.paths, max_bytes=args.max_bytes, offline=args.offline, progress=progress, cancelled=cancelled
    )
    return result.clusters, result.warnings


def open_reader(clusters: list[Cluster] | None, keymap, args: argparse.Namespace, loader=None) -> int:
    from .base.gate import as_shown
    from .engine.pairs import THRESHOLD
    from .runtime.align_process import prefetch_alignment, stop_helper

    if clusters is not None and len(clusters) == 1:
        prefetch_alignment(clusters[0].articles, THRESHOLD)
    else:
        stop_helper()  # a story list, or pages still to fetch: the reader aligns the story opened
    keys_from_terminal()
    from .ui.app import BroadsheetApp  # the UI is imported only when the reader opens

    desk, problem = open_desk(args.data_dir)
    app = BroadsheetApp(
        clusters,
        keymap,
        desk=desk,
        desk_problem=problem,
        fresh=getattr(args, "fresh", False),
        loader=loader,
        addresses=[as_shown(a) for a in _addresses(args.paths)],
    )
    app.run()
    return app.return_code or 0


def _fetch_progress(paths: list[str]):
    """On a terminal, a line on stderr as each address arrives, so a long fetch shows life
    (failures are the warnings printed after the load); None without addresses."""
    if not _addresses(paths) or not sys.stderr.isatty():
        return None
    lock = threading.Lock()

    def report(url: str, state: str) -> None:
        if state in ("done", "cached"):
            with lock:
                sys.stderr.write(
                    printable(f"broadsheet: {'fetched' if state == 'done' else 'from the cache'} {url}") + "\n"
                )

    return report


def cmd_stories(args: argparse.Namespace) -> int:
    from .base.model import shorten
    from .engine.story_finder import LABEL_WIDTH, date_span, outlets_of, stories_from

    if args.out:
        check_out_folder(args.out)
    # the list as text when asked, or when the output goes to a pipe or a file (| less, > list.txt)
    as_text = args.text or not sys.stdout.isatty()
    to_read = not (args.json or args.out or as_text)
    keymap = active_keymap(args.keymap) if to_read else None
    if to_read and _addresses(args.paths):

        def sorted_into_stories(progress, cancelled):
            clusters, warnings = _loaded(args, progress, cancelled)
            return stories_from([a for c in clusters for a in c.articles]), warnings

        with _plain_output():
            return open_reader(None, keymap, args, loader=sorted_into_stories)
    clusters = load(args)
    pile = [a for c in clusters for a in c.articles]
    found = stories_from(pile)
    if args.out:
        write_story_folders(found, args.out)
        print(
            f"{counted(len(found), 'story')} from {counted(len(pile), 'article')} written to {args.out}",
            file=sys.stderr,
        )
    if args.json:
        sys.stdout.write("".join(to_json(found_story_document(c)) + "\n" for c in found))
    elif as_text or args.out:
        for cluster in found:
            names = outlets_of(cluster)
            outlets = ", ".join(names[:4]) + (f" +{len(names) - 4}" if len(names) > 4 else "")
            span = date_span(cluster) or "-"
            print(
                f"{len(cluster.articles):4d}  {shorten(cluster.title, LABEL_WIDTH)}  [{outlets or '-'}]  {span}  "
                f"({cluster.id})"
            )
    if not to_read:
        return 0
    with _plain_output():  # the reader draws on the terminal itself
        return open_reader(found, keymap, args)


def check_out_folder(folder: str) -> None:
    """--out needs a new or empty folder in a folder that exists: earlier stories would mix
    with these (removing them is not ours to do), and a mistyped path must not grow folders."""
    from .base.files import check_new_folder

    try:
        check_new_folder(folder)
    except OSError as error:
        if error.errno == errno.ENOTEMPTY:
            raise CliError(f"{printable(folder)}: not empty; --out needs a new or empty folder") from None
        raise CliError(f"{printable(folder)}: cannot use it: {error.strerror or error}") from None


def write_story_folders(stories: list[Cluster], folder: str) -> None:
    """One folder per story: each article as a JSON file, the story's id and title in
    cluster.yaml. File names come from the ids through safe_file_name (ids are untrusted: no
    separators, no "..", bounded, unique). The set appears whole or not at all: it is written
    into a temporary folder beside FOLDER, which then becomes FOLDER (an empty FOLDER is
    replaced, its mode kept)."""
    import yaml

    from .base.files import name_key, new_folder, safe_file_name, write_atomically

    try:
        with new_folder(folder) as root:
            story_names: set[str] = set()
            for cluster in stories:
                target = root / safe_file_name(cluster.id, taken=story_names, fallback="story")
                target.mkdir()
                meta = {"id": cluster.id, "title": cluster.title}  # the id as it was, whatever the folder's name
                write_atomically(target / CLUSTER_META, yaml.safe_dump(meta, allow_unicode=True))
                article_names = {name_key(CLUSTER_META)}
                for article in cluster.articles:
                    document = {
                        k: v for k, v in article.to_json().items() if k not in ("sentences", "label", "title_derived")
                    }
                    name = safe_file_name(article.id, ".json", taken=article_names, fallback="article")
                    write_atomically(target / name, to_json(document, indent=1) + "\n")
    except OSError as error:
        raise CliError(f"{printable(folder)}: cannot write the stories: {error.strerror or error}") from None


MIN_SINCE, MAX_SINCE = timedelta(minutes=1), timedelta(days=36500)  # feeds a century old are not news


def _since(text: str) -> timedelta:
    """--since as a span from 1 minute to 100 years; CliError naming the option otherwise."""
    from .ingest.feeds import parse_since

    try:
        since = parse_since(text)
    except OverflowError:  # more days than a timedelta holds
        since = None
    except ValueError as error:
        raise UsageError(f"--since: {error}") from None
    if since is None or not MIN_SINCE <= since <= MAX_SINCE:
        raise UsageError(f"--since {text!r} is out of range: 1m to 100 years (36500d)")
    return since


def cmd_feeds(args: argparse.Namespace) -> int:
    from .base.gate import as_shown
    from .ingest.addresses import is_url
    from .ingest.feeds import read_feed, select
    from .ingest.fetch import Fetcher, is_feed
    from .ingest.loader import read_bytes

    since = _since(args.since) if args.since else None
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    items, read, problems = [], [], []
    addresses = [p for p in args.paths if is_url(p)]
    fetched = {}
    if addresses:
        with Fetcher(offline=args.offline) as fetcher:
            fetched = dict(zip(addresses, fetcher.fetch_all(addresses, accept=is_feed, wanted="a feed")))
            for warning in fetcher.warnings + fetcher.take_late_warnings():  # a damaged cache, a stale copy
                print(printable(f"broadsheet: {warning}"), file=sys.stderr)
    for path in args.paths:
        try:
            if path in fetched:
                result = fetched[path]
                if isinstance(result, LoadError):
                    raise result
                items += read_feed(result.body, as_shown(path))
            else:
                shown = as_shown(path)
                items += read_feed(read_bytes(Path(path), shown, max_bytes=args.max_bytes), shown)
            read.append(path)
        except LoadError as error:
            problems.append(str(error))
            print(f"broadsheet: {error}", file=sys.stderr)
    if not read:
        raise CliError(f"no feed could be read ({problems[0]})" if len(problems) == 1 else "no feed could be read")
    args.skipped = len(problems)  # the feeds that could be read are listed; exit 3 says some could not
    chosen = select(items, since, args.limit)
    if args.json:
        print(to_json({"feeds": [as_shown(p) for p in read], "items": [i.to_json() for i in chosen]}, indent=1))
        return 0
    for item in chosen:
        when = item.date.strftime("%Y-%m-%d %H:%M") if item.date else "-"
        print(f"{when}  {item.outlet or '-'}  {item.title or '(untitled)'}")
        print(f"    {item.link or '(no http link)'}")
    if not chosen:
        print("no items" + (f" in the last {args.since}" if since else ""))
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "articles": cmd_articles,
    "align": cmd_align,
    "differences": cmd_differences,
    "search": cmd_search,
    "quotes": cmd_quotes,
    "export": cmd_export,
    "notes": cmd_notes,
    "keys": cmd_keys,
    "stories": cmd_stories,
    "feeds": cmd_feeds,
}


def _not_a_command(argv: list[str]) -> None:
    """A first word that is neither a path nor a command is most likely a mistyped command:
    say so, with the nearest command, rather than "no such file or folder"."""
    import difflib

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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    reader, commands = build_parser()
    try:
        # every line the CLI prints goes through the gate, argparse's too: its messages quote
        # what was typed ("unrecognized arguments: …", "invalid choice: …")
        with _printable_output():
            if argv and argv[0] in COMMANDS:
                # options anywhere on the line: `search QUERY --limit 5 PATH` as well as before QUERY
                args = commands[argv[0]].parse_intermixed_args(argv[1:])
                handler = HANDLERS.get(argv[0])
                if handler is None:
                    raise UsageError(f"'{argv[0]}' is not available yet")
                code = handler(args)
                sys.stdout.flush()  # what is still buffered fails here, in words, not at exit
                if code == 0 and getattr(args, "skipped", 0):
                    code = EXIT_SKIPPED  # done, but not with everything it was given
            else:
                _not_a_command(argv)
                args = reader.parse_intermixed_args(argv)
                with _plain_output():  # the reader draws on the terminal itself
                    code = cmd_reader(args)
    except (LoadError, CliError, KeymapError) as error:
        for warning in getattr(error, "warnings", []):
            print(printable(f"broadsheet: {warning}"), file=sys.stderr)
        print(printable(f"broadsheet: {error}"), file=sys.stderr)
        return getattr(error, "code", EXIT_FAILED)
    except OutputError as failure:
        return failure.report()
    except BrokenPipeError:
        return OutputError(BrokenPipeError(), sys.stdout).report()
    except SystemExit:  # argparse's --help, --version or usage message must reach stdout too
        try:
            sys.stdout.flush()
        except OSError as error:
            return OutputError(error, sys.stdout).report()
        raise
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
