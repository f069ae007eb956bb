"""Batches: a JSON Lines file of clusters is read one line at a time and each cluster's document
is produced (in this process or in worker processes) and written in input order as soon as it
and those before it are done. Memory stays flat whatever the file's length: at most `window`
clusters are in flight. A bad line is named and skipped; the others go on.

Files whose first line is an article rather than a cluster (all their lines form one story) are
not streams: the commands load those whole, as before.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .formats import LoadError, _from_json_value, parse_json

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


def is_cluster_stream(path: str) -> bool:
    """A .jsonl/.ndjson regular file whose first non-empty line is a cluster ({"articles": [...]})."""
    if not path.lower().endswith((".jsonl", ".ndjson")) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as handle:
            for raw in handle:
                if raw.strip():
                    value = json.loads(raw[:MAX_LINE_BYTES])
                    return isinstance(value, dict) and isinstance(value.get("articles"), list)
    except (OSError, ValueError, RecursionError):
        return False
    return False


def read_lines(path: str) -> Iterator[Line]:
    """The file's non-empty lines, lazily."""
    with open(path, "rb") as handle:
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


def run_stream(command: str, paths: list[str], jobs: int, min_score: float | None = None) -> Iterator[Done]:
    """Every cluster line of these files, rendered in order."""
    if jobs > 1:  # workers forked after this start with the engine already imported
        from . import documents  # noqa: F401
        if command == "align":
            from . import align  # noqa: F401
        elif command == "quotes":
            from . import quotes  # noqa: F401
    lines = (line for path in paths for line in read_lines(path))
    return ordered_map(partial(render, command, min_score), lines, jobs)
