"""Batches: a JSON Lines file of stories is read one line at a time and each story's document
is produced (in this process or in worker processes) and written in input order as soon as it
and those before it are done. Memory stays flat whatever the file's length: at most `window`
stories are in flight. A bad line is named and skipped; the others go on.

Files whose first line is an article rather than a story (all their lines form one story) are
not streams: the commands load those whole, as before.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import itertools
import json
import logging
import multiprocessing
import os
import re
import socket
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

from ..base.files import open_for_writing
from ..ingest.formats import LoadError, _from_json_value, parse_json

MAX_LINE_BYTES = 50 * 1024 * 1024  # one story; a longer line is skipped with a warning
CONNECT_TIMEOUT = 10.0  # seconds for a Dask scheduler to answer, whatever is (or is not) at its address
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")  # the Dask comms a scheduler listens on


class BatchError(Exception):
    """A batch that cannot go on (a worker process died, the cluster went away): one line to report."""


@dataclass(frozen=True, slots=True)
class Line:
    source: str
    number: int
    data: bytes


@dataclass(slots=True)
class Done:
    """One line's outcome: its documents (JSON text, one per story) and warnings."""

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
    # a FIFO or a device put in the file's place since it was checked must not block or stream
    # without end: opened without blocking, then it must be a regular file
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def is_story_stream(path: str) -> bool:
    """A .jsonl/.ndjson file (or fsspec URL) whose first non-empty line is a story
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
    """The file's non-empty lines, lazily; LoadError when it cannot be read (so a reading
    problem is never taken for a writing one)."""
    try:
        with _open(path) as handle:
            for number, raw in enumerate(handle, start=1):
                if raw.strip():
                    yield Line(path, number, raw)
    except OSError as error:
        raise LoadError(path, f"cannot read: {error.strerror or error}") from None


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
        done.warnings.append(
            f"{line.source}: {where}an article, not a cluster; in a stream of clusters each line is a story (skipped)"
        )
        done.skipped = True
    done.documents = [json.dumps(document(command, c, min_score), ensure_ascii=False) for c in parsed.stories]
    return done


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the system tells it)."""
    with contextlib.suppress(AttributeError, OSError):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def ordered_map(
    function: Callable[[Line], Done], items: Iterable[Line], jobs: int, window: int | None = None
) -> Iterator[Done]:
    """function over items, results in input order; with jobs > 1 in worker processes (never
    more than the cores or the items), at most `window` items submitted ahead (so a long input
    never sits in memory)."""
    items = iter(items)
    first = list(itertools.islice(items, max(min(jobs, usable_cores()), 1)))  # a short input needs fewer
    workers = len(first)
    items = itertools.chain(first, items)
    if workers <= 1:
        yield from map(function, items)
        return
    window = window or workers * 4
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        pending: deque[Future] = deque()
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise BatchError("a worker process ended abruptly (out of memory, or killed)") from None
    finally:  # an early end (a closed pipe, an error) does not wait for the work still queued
        pool.shutdown(wait=True, cancel_futures=True)


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


def scheduler_address(text: str) -> str:
    """A Dask scheduler's address as Dask takes it ("tcp://host:port"; no scheme means tcp);
    ValueError saying what is wrong, before anything is connected to."""
    match = re.fullmatch(
        r"(?:([A-Za-z][A-Za-z0-9+.-]*)://)?(\[[0-9A-Fa-f:.%\w]+\]|[\w.-]+)(?::(\d{1,5}))?/?", text.strip(), re.ASCII
    )
    example = "like tcp://127.0.0.1:8786"
    if match is None:
        raise ValueError(f"not a scheduler address: {text!r} ({example})")
    scheme, host, port = (match.group(1) or "tcp").lower(), match.group(2), match.group(3)
    if scheme in ("http", "https"):
        raise ValueError(f"{text!r} is a web address (a dashboard?), not a scheduler's ({example})")
    if scheme not in SCHEDULER_SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r} in {text!r} ({', '.join(SCHEDULER_SCHEMES)}; {example})")
    if port is None or not 1 <= int(port) <= 65535:
        raise ValueError(f"{text!r} needs a port from 1 to 65535 ({example})")
    return f"{scheme}://{host}:{int(port)}"


def connect(address: str, timeout: float | None = None):
    """A Client of the scheduler at address, or BatchError within `timeout` (CONNECT_TIMEOUT by
    default; a refused port, a host that does not answer, a server that speaks something else)."""
    from distributed import Client

    # a lost scheduler is the one line BatchError says; Dask's own log would add pages of traceback
    for name in ["distributed", *logging.root.manager.loggerDict]:
        if name.startswith("distributed"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    timeout = timeout or CONNECT_TIMEOUT
    scheme, _, place = address.partition("://")
    if scheme != "ucx":  # the others run on TCP: a refused port or an unknown host is known at once
        host, _, port = place.rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
        except OSError as error:
            raise BatchError(f"no Dask scheduler at {address}: {error.strerror or error}") from None
    outcome: dict = {}

    def attempt() -> None:
        try:
            outcome["client"] = Client(address, timeout=timeout, set_as_default=False)
        except Exception as error:  # noqa: BLE001 (any failure to connect is reported alike)
            outcome["error"] = error

    # Dask's own timeout does not cover every stage of the handshake: a deadline of our own
    thread = threading.Thread(target=attempt, name="broadsheet-connect", daemon=True)
    thread.start()
    thread.join(timeout)
    if "client" in outcome:
        return outcome["client"]
    why = f": {first_line(outcome['error'])}" if "error" in outcome else ""
    raise BatchError(f"no Dask scheduler answered at {address} within {timeout:g} s{why}")


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def run_on_cluster(
    command: str,
    paths: list[str],
    scheduler,
    min_score: float | None = None,
    partition: int = 32,
    window: int | None = None,
) -> Iterator[Done]:
    """The same stream on a Dask distributed cluster (`scheduler`: its address, or a Client).
    Each task is a span of `partition` lines that the worker reads itself (so inputs must be
    paths or URLs the workers reach); at most `window` in flight, results in input order. A
    worker that dies has its tasks run again elsewhere (the scheduler's own recovery, and
    `retries` for errors), so every story appears exactly once. A cluster that goes away is a
    BatchError."""
    from distributed import Client

    address = scheduler.scheduler.address if isinstance(scheduler, Client) else scheduler_address(scheduler)
    client = scheduler if isinstance(scheduler, Client) else connect(address)
    try:
        yield from _on_cluster(client, command, paths, min_score, partition, window)
    except (LoadError, BatchError):
        raise
    except Exception as error:  # noqa: BLE001 (the scheduler killed, the network gone: one line, not a traceback)
        raise BatchError(f"the Dask cluster at {address} failed: {first_line(error)}") from None
    finally:
        if client is not scheduler:
            with contextlib.suppress(Exception):
                client.close(timeout=CONNECT_TIMEOUT)


def _on_cluster(
    client, command: str, paths: list[str], min_score: float | None, partition: int, window: int | None
) -> Iterator[Done]:
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


def _absolute(path: str) -> str:
    return path if is_remote(path) or path.startswith("file://") else os.path.abspath(path)


@contextlib.contextmanager
def open_output(target: str) -> Iterator[TextIO]:
    """A batch's output, in place only when the batch ends well (else the old content stays): a
    local file (or file:// URL) through base.files, any other fsspec URL in an fsspec transaction
    (committed at the end, discarded on an error)."""
    if not is_remote(target):
        if target.startswith("file://"):
            from fsspec.core import url_to_fs

            target = url_to_fs(target)[1]
        with open_for_writing(target) as out:
            yield out
        return
    from fsspec.core import url_to_fs

    filesystem, path = url_to_fs(target)
    with filesystem.transaction, filesystem.open(path, "w", encoding="utf-8") as out:
        yield out


def run_stream(command: str, paths: list[str], jobs: int, min_score: float | None = None) -> Iterator[Done]:
    """Every story line of these files, rendered in order."""
    if jobs > 1:  # workers forked after this start with the engine already imported
        for module in (
            "tui.output.documents",
            {"align": "tui.engine.align", "differences": "tui.engine.align", "quotes": "tui.engine.quotes"}.get(
                command, "tui.base.model"
            ),
        ):
            importlib.import_module(module)
    lines = (line for path in paths for line in read_lines(path))
    return ordered_map(partial(render, command, min_score), lines, jobs)
