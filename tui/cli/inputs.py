"""Reading the PATHs a command names (files, folders, addresses, standard input), and batches:
JSON Lines of stories run one story at a time in worker processes."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..base.model import Story
from ..ingest.loader import DEFAULT_MAX_BYTES, is_skipped_input, load_paths
from .outcome import CliError, UsageError, note_skipped
from .output import BatchProgress, output_target, warn

Progress = Callable[[str, str], None]


@dataclass
class Inputs:
    """The PATHs of a command with --max-bytes and --offline."""

    paths: list[str]
    max_bytes: int = DEFAULT_MAX_BYTES
    offline: bool = False

    def load(self) -> list[Story]:
        """The stories read; what could not be read is named on stderr and counted as skipped."""
        result = load_paths(
            self.paths, max_bytes=self.max_bytes, offline=self.offline, progress=_fetch_progress(self.addresses)
        )
        for warning in result.warnings:
            warn(warning)
        note_skipped(sum(map(is_skipped_input, result.warnings)))
        return result.stories

    def load_for_reader(self, progress, cancelled=None) -> tuple[list[Story], list[str]]:
        """For the reader's loading screen: it shows the progress and the warnings itself."""
        result = load_paths(
            self.paths, max_bytes=self.max_bytes, offline=self.offline, progress=progress, cancelled=cancelled
        )
        return result.stories, result.warnings

    @property
    def addresses(self) -> list[str]:
        """The addresses and feed files among the paths: what is fetched, not read from disk."""
        from ..ingest.addresses import is_feed_file, is_url

        return [p for p in self.paths if is_url(p) or is_feed_file(p)]


def _fetch_progress(addresses: list[str]) -> Progress | None:
    """On a terminal, a line on stderr as each address arrives, so a long fetch shows life
    (failures are the warnings printed after the load); None without addresses."""
    if not addresses or not sys.stderr.isatty():
        return None
    lock = threading.Lock()

    def report(url: str, state: str) -> None:
        if state in ("done", "cached"):
            with lock:
                warn(f"{'fetched' if state == 'done' else 'from the cache'} {url}")

    return report


@dataclass
class Batch:
    """--jobs, --quiet, --scheduler and -o/--output: how a batch of JSON Lines runs."""

    jobs: int | None = None
    quiet: bool = False
    scheduler: str | None = None
    output: str | None = None


def stream_documents(
    command: str, inputs: Inputs, batch: Batch, as_json: bool, min_score: float | None = None
) -> int | None:
    """--json over JSON Lines files of stories: one story at a time, in worker processes,
    written in input order as each is done. None when the input is not such a stream."""
    from ..output.batch import BatchError, is_remote, is_story_stream, run_on_cluster, run_stream

    paths = inputs.paths
    if not as_json or not paths or not all(p != "-" and is_story_stream(p) for p in paths):
        if batch.scheduler or batch.output:
            raise UsageError("--scheduler and --output work on --json batches of JSON Lines files of clusters")
        return None
    if batch.scheduler:
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            raise CliError("--scheduler needs Dask: pip install 'broadsheet[cluster]'")
        results = run_on_cluster(command, paths, batch.scheduler, min_score)
    else:
        # batch.ordered_map starts no more workers than the cores or the lines
        results = run_stream(command, paths, batch.jobs or os.cpu_count() or 1, min_score)
    local = [p for p in paths if not is_remote(p)]
    show_progress = sys.stderr.isatty() and not batch.quiet and len(local) == len(paths)
    try:
        with output_target(batch.output) as out:
            if not show_progress:
                return _write_stream(results, out, None, paths)
            with BatchProgress(sum(os.path.getsize(p) for p in local)) as progress:
                return _write_stream(results, out, progress, paths)
    except BatchError as error:
        raise CliError(str(error)) from None


def _write_stream(results: Iterable, out, progress: BatchProgress | None, paths: list[str]) -> int:
    import json

    from ..output.documents import documents_text

    first: str | None = None
    count = skipped = 0
    for done in results:
        for warning in done.warnings:
            (progress.warn if progress else warn)(warning)
        skipped += done.skipped
        for text in done.documents:
            count += 1
            if count == 1:
                first = text  # one story prints indented, several one a line: wait for the second
                continue
            if count == 2:
                out.write(f"{first}\n")
            out.write(text + "\n")
        if progress:
            progress.advance(done.size, count)
    if count == 1 and first is not None:
        out.write(documents_text([json.loads(first)]))
    elif count == 0:
        raise CliError(f"{', '.join(paths)}: no clusters could be read")
    note_skipped(skipped)  # bad lines, each named: exit 3, as for any input left out
    return 0
