"""Batches: a JSON Lines file of clusters is read one line at a time and each cluster's document
is produced (in this process or in worker processes) and written in input order as soon as it
and those before it are done. Memory stays flat whatever the file's length: at most `window`
clusters are in flight. A bad line is named and skipped; the others go on.

Files whose first line is an article rather than a cluster (all their lines form one story) are
not streams: the commands load those whole, as before.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..ingest.formats import LoadError, _from_json_value, parse_json

MAX_LINE_BYTES = 50 * 1024 * 1024  # one cluster; a longer line is skipped with a warning


@dataclass(frozen=True, slots=True)
class Line:
    source: str
    number: int
    data: bytes


@dataclass(slots=True)
class Done:
    """One line's outcome: its documents (JSON text, one per cluster) and warnings."""

    number: int
    documents: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: bool = False
    size: int = 0


def is_remote(path: str) -> bool:
    """An fsspec location other than a local file (s3://, gs://, http:// …): opened through
    fsspec. Not addresses.is_url, which names the pages the loader fetches."""
    return "://" in path and not path.startswith("file://")


def _open(path: str):
    """A local file, or any fsspec URL (s3://, gs://, http://, memory:// …; needs fsspec)."""
    if is_remote(path) or path.startswith("file://"):
        import fsspec

        return fsspec.open(path, "rb").open()
    return open(path, "rb")


def is_cluster_stream(path: str) -> bool:
    """A .jsonl/.ndjson file (or fsspec URL) whose first non-empty line is a cluster
    ({"articles": [...]})."""
    if not path.lower().endswith((".jsonl", ".ndjson")) or not (is_remote(path) or os.path.isfile(path)):
        return False
    try:
        with _open(path) as handle:
            for raw in handle:
                if raw.strip():
                    value = json.loads(raw[:MAX_LINE_BYTES])
                    return isinstance(value, dict) and isinstance(value.get("articles"), list)
    except (OSError, ValueError, RecursionError, ImportError):
        return False
    return False


def read_lines(path: str) -> Iterator[Line]:
    """The file's non-empty lines, lazily."""
    with _open(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                yield Line(path, number, raw)


def render(command: str, min_score: float | None, line: Line) -> Done:
    """In a worker: one line to its documents, or a named warning."""
    from .documents import document

    done = Done(line.number, size=len(line.data))
    where = f"line {line.number}: "
    if len(line.data) > MAX_LINE_BYTES:
        done.warnings.append(f"{line.source}: {where}longer than {MAX_LINE_BYTES // 2**20} MB (skipped)")
        done.skipped = True
        return done
    try:
        text = line.data.decode("utf-8")
        value = parse_json(text, line.source, line=line.number)
        parsed = _from_json_value(value, line.source, f"{Path(line.source).stem}-{line.number}", where=where)
    except UnicodeDecodeError:
        done.warnings.append(f"{line.source}: {where}not UTF-8 (skipped)")
        done.skipped = True
        return done
    except LoadError as error:
        done.warnings.append(f"{error} (skipped)")
        done.skipped = True
        return done
    done.warnings.extend(parsed.warnings)
    if parsed.articles:
        done.warnings.append(f"{line.source}: {where}an article, not a cluster; in a stream of clusters each line "
                             "is a story (skipped)")
        done.skipped = True
    done.documents = [json.dumps(document(command, c, min_score), ensure_ascii=False) for c in parsed.clusters]
    return done


def ordered_map(function: Callable[[Line], Done], items: Iterable[Line], jobs: int, window: int | None = None) -> Iterator[Done]:
    """function over items, results in input order; with jobs > 1 in worker processes, at most
    `window` items submitted ahead (so a long input never sits in memory)."""
    if jobs <= 1:
        yield from map(function, items)
        return
    window = window or jobs * 4
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque[Future] = deque()
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@dataclass(frozen=True, slots=True)
class Span:
    """Part of an input file: bytes [start, end), whose first line is line `first`."""

    source: str
    start: int
    end: int
    first: int


def spans(path: str, lines_per_span: int) -> Iterator[Span]:
    """The file cut at line boundaries every `lines_per_span` lines (the client reads only to
    find them; the workers read the text)."""
    start = offset = 0
    first = number = 1
    count = 0
    with _open(path) as handle:
        for raw in handle:
            offset += len(raw)
            number += 1
            count += 1
            if count >= lines_per_span:
                yield Span(path, start, offset, first)
                start, first, count = offset, number, 0
    if count:
        yield Span(path, start, offset, first)


def render_span(command: str, min_score: float | None, span: Span) -> list[Done]:
    """A task on a cluster: read this part of the input (a path or URL the worker can reach)
    and render its lines."""
    with _open(span.source) as handle:
        handle.seek(span.start)
        data = handle.read(span.end - span.start)
    # split on "\n" only, as reading the file line by line does (a stray "\r" stays inside its line)
    lines = (Line(span.source, span.first + i, raw) for i, raw in enumerate(data.split(b"\n")) if raw.strip())
    return [render(command, min_score, line) for line in lines]


def run_on_cluster(command: str, paths: list[str], scheduler, min_score: float | None = None,
                   partition: int = 32, window: int | None = None) -> Iterator[Done]:
    """The same stream on a Dask distributed cluster (`scheduler`: its address, or a Client).
    Each task is a span of `partition` lines that the worker reads itself (so inputs must be
    paths or URLs the workers reach); at most `window` in flight, results in input order. A
    worker that dies has its tasks run again elsewhere (the scheduler's own recovery, and
    `retries` for errors), so every cluster appears exactly once."""
    from distributed import Client

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        window = window or max(4, 4 * sum(client.nthreads().values()))
        task = partial(render_span, command, min_score)
        pending: deque = deque()
        parts = (span for path in paths for span in spans(_absolute(path), partition))
        for span in parts:
            pending.append(client.submit(task, span, retries=3, pure=False))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if client is not scheduler:
            client.close()


def _absolute(path: str) -> str:
    return path if is_remote(path) or path.startswith("file://") else os.path.abspath(path)


def run_stream(command: str, paths: list[str], jobs: int, min_score: float | None = None) -> Iterator[Done]:
    """Every cluster line of these files, rendered in order."""
    if jobs > 1:  # workers forked after this start with the engine already imported
        for module in ("tui.output.documents", {"align": "tui.engine.align", "quotes": "tui.engine.quotes"}
                       .get(command, "tui.base.model")):
            importlib.import_module(module)
    lines = (line for path in paths for line in read_lines(path))
    return ordered_map(partial(render, command, min_score), lines, jobs)
