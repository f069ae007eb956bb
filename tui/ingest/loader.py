"""Paths to stories: files, folders (recursive), cluster files and stdin become Stories.

A folder's own article files form one story named after the folder (a `cluster.yaml` there may
name it and give per-file metadata); each cluster file (JSON/JSONL with "articles") is a story
of its own; loose files named on the command line form one story together.

Paths are untrusted like the text inside them: only regular files are read (a FIFO or a device
would block or never end), each up to a size limit; every file and folder is visited once
(symlink loops, a folder linking to itself, the same file named twice); a folder that cannot be
read is skipped with a warning, and names are cleaned before anyone shows them. What the user
names is followed wherever it leads; inside a folder, a symbolic link is followed only to what
lies within the folder named (a link to a private folder or to / would pull in files nobody
pointed at), and the walk stops at a depth and a number of entries.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import yaml

from ..base.collector import collector_paused
from ..base.gate import as_shown, clean_inline
from ..base.model import Article, Story, unique_ids
from ..base.naming import named_story
from ..base.reading import NotReadable, TooLarge, kind_of, read_regular_file, size_text
from ..base.resources import seeds_dir
from ..base.yamlfile import load_yaml, yaml_problem
from .addresses import is_feed_file, is_url
from .formats import READERS, LoadError, Parsed, read_html, read_json, read_jsonl, read_text

if TYPE_CHECKING:  # the fetcher and the feeds load only when a PATH needs them
    from .fetch import Fetcher, Progress

CLUSTER_META = "cluster.yaml"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
META_MAX_BYTES = 1024 * 1024  # cluster.yaml
MAX_FOLDER_DEPTH = 32  # subfolders below a folder named: deeper ones are skipped, named
MAX_FOLDER_ENTRIES = 100_000  # names looked at in one load's folders: then the walk stops, saying so
_SKIPPED_FOLDERS = {"__pycache__"}


@dataclass(slots=True)
class LoadResult:
    stories: list[Story] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # skipped files, one line each


def is_skipped_input(warning: str) -> bool:
    """Does this warning say an input (a file, a folder, an address, a line, a feed's items)
    was left out? Reading the same file twice, metadata ignored, a cache that cannot be used or
    a stale copy standing in leave nothing out."""
    return (warning.endswith("skipped)") and not warning.endswith("already read (skipped)")) or bool(
        re.search(r"\b\d+ items? skipped\b", warning)
    )


@dataclass(slots=True)
class _Walk:
    """State of one load: what was read already, the size limit, and what went wrong."""

    result: LoadResult
    max_bytes: int
    visited: set[tuple[int, int]] = field(default_factory=set)
    root: str = ""  # the real path of the folder the user named, which links inside it may not leave
    entries_left: int = field(default_factory=lambda: MAX_FOLDER_ENTRIES)

    def first_visit(self, info: os.stat_result) -> bool:
        key = (info.st_dev, info.st_ino)
        if key in self.visited:
            return False
        self.visited.add(key)
        return True


def load_paths(
    paths: list[str] | None = None,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    offline: bool = False,
    progress: Progress | None = None,
    cancelled: threading.Event | None = None,
) -> LoadResult:
    """Load every path; raise LoadError for a path that yields nothing at all.

    A bad file named directly is an error; a bad file inside a folder is skipped with a warning.
    http(s) addresses are fetched (all at once, before the files are read; `offline`: from the
    cache only) and feeds expand into their items' pages; an address that gives no article is
    a warning, so the others still open. `progress(url, state)` hears of each fetch; setting
    `cancelled` stops the waiting for them (a LoadError).
    """
    with collector_paused(), _Web(offline, progress, cancelled) as web:
        result = _load_paths(paths, stdin, max_bytes, web)
        result.warnings[:0] = web.warnings
        if not result.stories:
            given = paths or []
            error = LoadError(
                as_shown(given[0]) if len(given) == 1 else f"{len(given)} paths",
                "no articles could be read" + (" (each problem above)" if result.warnings else ""),
            )
            error.warnings = result.warnings
            raise error
        return result


class _Web:
    """The fetcher of one load, made when the first address or feed needs it."""

    def __init__(self, offline: bool, progress: Progress | None, cancelled: threading.Event | None) -> None:
        self.offline = offline
        self.cancelled = cancelled
        self.progress = progress
        self.warnings: list[str] = []
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            from .fetch import Fetcher

            self._fetcher = Fetcher(offline=self.offline, cancelled=self.cancelled)
            self.warnings.extend(self._fetcher.warnings)
        return self._fetcher

    def __enter__(self) -> _Web:
        return self

    def __exit__(self, *_exc) -> None:
        if self._fetcher is not None:
            self._fetcher.close()


def _load_paths(paths: list[str] | None, stdin: BinaryIO | None, max_bytes: int, web: _Web) -> LoadResult:
    if not paths:
        paths = [str(seeds_dir())]
    if paths.count("-") > 1:
        raise LoadError("-", "standard input given more than once (it can be read only once)")
    walk = _Walk(LoadResult(), max_bytes)
    result = walk.result
    loose: list[Article] = []
    loose_parents: set[str] = set()
    addresses = list(dict.fromkeys(raw for raw in paths if is_url(raw)))
    from_web: dict[str, list[Article]] = {}
    if addresses:
        from .web import load_addresses

        from_web, problems = load_addresses(addresses, web.fetcher, web.progress)
        result.warnings.extend(problems)
    for raw in paths:
        if is_url(raw):
            loose.extend(from_web.pop(raw, []))
            loose_parents.add("web")
            continue
        if raw == "-":
            parsed = _read_stdin(stdin or sys.stdin.buffer, max_bytes)
            loose_parents.add("stdin")
        else:
            path, shown = Path(raw), as_shown(raw)
            info = _stat(path, shown)
            if not walk.first_visit(info):
                result.warnings.append(f"{shown}: already read (skipped)")
                continue
            if stat.S_ISDIR(info.st_mode):
                before, warned = len(result.stories), len(result.warnings)
                walk.root = os.path.realpath(path)
                _load_folder(path, shown, walk, depth=0)
                if len(result.stories) == before:
                    skipped = result.warnings[warned:]
                    why = f" ({len(skipped)} skipped; first: {skipped[0]})" if skipped else ""
                    raise LoadError(shown, f"no articles found in this folder{why}")
                continue
            if is_feed_file(path.suffix):
                from .feeds import read_feed
                from .web import feed_links, load_feed_items

                items = read_feed(read_bytes(path, shown, info, max_bytes), shown)
                found, problems = load_feed_items(feed_links(items), web.fetcher, web.progress)
                if not found:
                    raise LoadError(
                        shown,
                        "no article could be read from the feed's items" + (f" ({problems[0]})" if problems else ""),
                    )
                parsed = Parsed(articles=found, warnings=problems)
            else:
                parsed = load_file(path, shown, info, max_bytes)
            loose_parents.add(as_shown(path.resolve().parent.name) or "articles")
        result.warnings.extend(parsed.warnings)
        result.stories.extend(parsed.stories)
        loose.extend(parsed.articles)
    if loose:
        if loose_parents <= {"web", "stdin"}:  # no folder names the story: its headlines do
            result.stories.insert(0, named_story(unique_ids(loose)))
        else:
            name = loose_parents.pop() if len(loose_parents) == 1 else "articles"
            result.stories.insert(0, Story(name, unique_ids(loose), source=None))
    _unique_story_ids(result.stories)
    return result


def _os_problem(shown: str, error: OSError) -> LoadError:
    """What went wrong with a path, said plainly."""
    if isinstance(error, FileNotFoundError):
        return LoadError(shown, "no such file or folder")
    if isinstance(error, PermissionError):
        return LoadError(shown, "permission denied")
    return LoadError(shown, f"cannot read: {error.strerror or error}")


def _stat(path: Path, shown: str) -> os.stat_result:
    """The file's facts (symlinks followed), or a LoadError saying plainly why not."""
    try:
        return path.stat()
    except OSError as error:
        raise _os_problem(shown, error) from None


def load_file(path: Path, shown: str, info: os.stat_result | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Parsed:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        info = info or _stat(path, shown)
        if not stat.S_ISREG(info.st_mode):
            raise LoadError(shown, f"{kind_of(info.st_mode)}, not a file to read")
        kinds = ", ".join(sorted({ext for ext in READERS}))
        raise LoadError(shown, f"unsupported file type '{as_shown(path.suffix or path.name)}' (supported: {kinds})")
    return reader(read_bytes(path, shown, info, max_bytes), shown, as_shown(path.stem) or "article")


def read_bytes(path: Path, shown: str, info: os.stat_result | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, up to the size limit; anything else is a LoadError saying why."""
    info = info or _stat(path, shown)
    try:
        return read_regular_file(path, max_bytes, info)
    except TooLarge as problem:
        raise LoadError(shown, f"{problem} (--max-bytes)") from None
    except NotReadable as problem:
        raise LoadError(shown, str(problem)) from None
    except OSError as error:
        raise _os_problem(shown, error) from None


def _read_stdin(stream: BinaryIO, max_bytes: int) -> Parsed:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LoadError("<stdin>", f"over the size limit of {size_text(max_bytes)} (--max-bytes)")
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            return read_json(data, "<stdin>", "stdin")
        except LoadError as error:
            if "invalid JSON at line 2" not in error.problem:
                raise
            return read_jsonl(data, "<stdin>", "stdin")  # several JSON documents, one a line
    if head == b"<":
        return read_html(data, "<stdin>", "stdin")
    return read_text(data, "<stdin>", "stdin")


def _load_folder(folder: Path, shown: str, walk: _Walk, depth: int) -> None:
    """One story for the folder's own articles, one for each cluster file; then subfolders."""
    result = walk.result
    entries = _entries(folder, shown, walk, depth)
    if entries is None:
        return
    meta = _folder_meta(folder, shown, walk)
    articles: list[Article] = []
    folders: list[tuple[Path, str]] = []
    for entry in entries:
        if entry.name.startswith(".") or entry.name == CLUSTER_META or entry.name in _SKIPPED_FOLDERS:
            continue
        path, entry_shown = Path(entry.path), str(Path(shown) / as_shown(entry.name))
        try:
            info = _inside_stat(entry, entry_shown, walk)
        except LoadError as error:
            result.warnings.append(f"{error} (skipped)")
            continue
        if not walk.first_visit(info):
            result.warnings.append(f"{entry_shown}: already read (skipped)")
            continue
        if stat.S_ISDIR(info.st_mode):
            folders.append((path, entry_shown))
            continue
        if not stat.S_ISREG(info.st_mode):
            result.warnings.append(f"{entry_shown}: {kind_of(info.st_mode)}, not a file to read (skipped)")
            continue
        if path.suffix.lower() not in READERS:
            result.warnings.append(
                f"{entry_shown}: unsupported file type '{as_shown(path.suffix or path.name)}' (skipped)"
            )
            continue
        try:
            parsed = load_file(path, entry_shown, info, walk.max_bytes)
        except LoadError as error:
            result.warnings.append(f"{error} (skipped)")
            continue
        result.warnings.extend(parsed.warnings)
        result.stories.extend(parsed.stories)
        for article in parsed.articles:
            _apply_meta(article, entry.name, meta.get("articles") or {})
        articles.extend(parsed.articles)
    if articles:
        story_id = as_shown(str(meta.get("id") or folder.resolve().name))
        result.stories.append(
            Story(story_id, unique_ids(articles), title=clean_inline(str(meta.get("title") or "")), source=shown)
        )
    for path, entry_shown in folders:
        _load_folder(path, entry_shown, walk, depth + 1)


def _entries(folder: Path, shown: str, walk: _Walk, depth: int) -> list[os.DirEntry] | None:
    """The folder's entries by name, within the walk's bounds; None (with a warning, or a
    LoadError for the folder named) when it cannot be read or lies too deep."""
    if depth > MAX_FOLDER_DEPTH:
        walk.result.warnings.append(f"{shown}: more than {MAX_FOLDER_DEPTH} folders deep (folder skipped)")
        return None
    if walk.entries_left <= 0:
        return None  # the walk has stopped, and said so once
    try:
        with os.scandir(folder) as scan:
            entries = list(itertools.islice(scan, walk.entries_left + 1))
    except OSError as error:
        problem = _os_problem(shown, error)
        if depth == 0:
            raise problem from None
        walk.result.warnings.append(f"{problem} (folder skipped)")
        return None
    if len(entries) > walk.entries_left:
        entries = entries[: walk.entries_left]
        walk.result.warnings.append(
            f"{shown}: the walk stopped after {MAX_FOLDER_ENTRIES} names in folders (the rest not read)"
        )
    walk.entries_left -= len(entries)
    return sorted(entries, key=lambda e: e.name)


def _inside_stat(entry: os.DirEntry, shown: str, walk: _Walk) -> os.stat_result:
    """An entry's facts, its links followed only within the folder the user named."""
    _stays_inside(entry.path, shown, walk.root)
    return _stat(Path(entry.path), shown)


def _stays_inside(path: str | Path, shown: str, root: str) -> None:
    """A LoadError naming a symbolic link that leads out of the folder `root`."""
    if not os.path.islink(path):
        return
    try:
        target = os.path.realpath(path)
    except OSError as error:  # a link the system will not read out (/proc/1/cwd)
        raise _os_problem(shown, error) from None
    if target != root and not target.startswith(root.rstrip(os.sep) + os.sep):
        raise LoadError(shown, "a symbolic link to outside the folder, not followed")


def _folder_meta(folder: Path, shown: str, walk: _Walk) -> dict:
    result = walk.result
    path = folder / CLUSTER_META
    where = str(Path(shown) / CLUSTER_META)
    if not os.path.lexists(path):
        return {}
    try:
        _stays_inside(path, where, walk.root)
        meta = load_yaml(read_regular_file(path, META_MAX_BYTES).decode("utf-8"))
    except LoadError as error:
        result.warnings.append(f"{error} (ignored)")
        return {}
    except NotReadable as problem:
        result.warnings.append(f"{where}: {problem} (ignored)")
        return {}
    except (OSError, UnicodeDecodeError) as error:
        result.warnings.append(f"{where}: cannot read: {getattr(error, 'strerror', None) or error} (ignored)")
        return {}
    except yaml.YAMLError as error:
        result.warnings.append(f"{where}: invalid YAML at {yaml_problem(error)} (ignored)")
        return {}
    if not isinstance(meta, dict):
        result.warnings.append(f"{where}: expected a mapping with title/articles (ignored)")
        return {}
    if "articles" in meta and not isinstance(meta["articles"], dict):
        result.warnings.append(f"{where}: 'articles' must map file names to their metadata (ignored)")
        meta = {k: v for k, v in meta.items() if k != "articles"}
    return meta


def _apply_meta(article: Article, file_name: str, per_file: dict) -> None:
    """cluster.yaml's per-file metadata fills (and overrides) what the file itself said."""
    entry = per_file.get(file_name) or per_file.get(Path(file_name).stem) or per_file.get(article.id)
    if not isinstance(entry, dict):
        return
    for key in ("outlet", "url", "date"):
        if entry.get(key):
            setattr(article, key, clean_inline(str(entry[key])))
    if entry.get("title"):
        article.title = clean_inline(str(entry["title"]))
        article.title_derived = False
    if entry.get("authors"):
        authors = entry["authors"]
        article.authors = [clean_inline(str(a)) for a in (authors if isinstance(authors, list) else [authors])]


def _unique_story_ids(stories: list[Story]) -> None:
    seen: dict[str, int] = {}
    for story in stories:
        count = seen.get(story.id, 0)
        seen[story.id] = count + 1
        if count:
            story.id = f"{story.id}-{count + 1}"
