"""Paths to stories: files, folders (recursive), cluster files and stdin become Clusters.

A folder's own article files form one story named after the folder (a `cluster.yaml` there may
name it and give per-file metadata); each cluster file (JSON/JSONL with "articles") is a story
of its own; loose files named on the command line form one story together.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import yaml

from .clean import clean_inline
from .formats import (READERS, LoadError, Parsed, load_yaml, read_html, read_json, read_jsonl, read_text, unique_ids,
                      yaml_problem)
from .model import Article, Cluster
from .resources import seeds_dir

CLUSTER_META = "cluster.yaml"


@dataclass(slots=True)
class LoadResult:
    clusters: list[Cluster] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # skipped files, one line each


def load_paths(paths: list[str] | None = None, stdin: BinaryIO | None = None) -> LoadResult:
    """Load every path; raise LoadError for a path that yields nothing at all.

    A bad file named directly is an error; a bad file inside a folder is skipped with a warning.
    """
    if not paths:
        paths = [str(seeds_dir())]
    result = LoadResult()
    loose: list[Article] = []
    loose_parents: set[str] = set()
    if paths.count("-") > 1:
        raise LoadError("-", "standard input given more than once (it can be read only once)")
    for raw in paths:
        if raw == "-":
            parsed = _read_stdin(stdin or sys.stdin.buffer)
            loose_parents.add("stdin")
        else:
            path = Path(raw)
            if path.is_dir():
                before = len(result.clusters)
                _load_folder(path, raw, result)
                if len(result.clusters) == before:
                    raise LoadError(raw, "no articles found in this folder")
                continue
            parsed = load_file(path, raw)
            loose_parents.add(path.resolve().parent.name or "articles")
        result.warnings.extend(parsed.warnings)
        result.clusters.extend(parsed.clusters)
        loose.extend(parsed.articles)
    if loose:
        name = loose_parents.pop() if len(loose_parents) == 1 else "articles"
        result.clusters.insert(0, Cluster(name, unique_ids(loose), source=None))
    _unique_cluster_ids(result.clusters)
    return result


def load_file(path: Path, shown: str) -> Parsed:
    if not path.exists() and not path.is_symlink():
        raise LoadError(shown, "no such file or folder")  # whatever its extension says
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted({ext for ext in READERS}))
        raise LoadError(shown, f"unsupported file type '{path.suffix or path.name}' (supported: {kinds})")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(shown, "no such file or folder") from None
    except PermissionError:
        raise LoadError(shown, "permission denied") from None
    except OSError as error:
        raise LoadError(shown, f"cannot read: {error.strerror or error}") from None
    return reader(data, shown, path.stem)


def _read_stdin(stream: BinaryIO) -> Parsed:
    data = stream.read()
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


def _load_folder(folder: Path, shown: str, result: LoadResult) -> None:
    """One story for the folder's own articles, one for each cluster file; then subfolders."""
    meta = _folder_meta(folder, shown, result)
    articles: list[Article] = []
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    for entry in entries:
        if entry.name.startswith(".") or entry.is_dir() or entry.name == CLUSTER_META:
            continue
        entry_shown = str(Path(shown) / entry.name)
        if entry.suffix.lower() not in READERS:
            result.warnings.append(f"{entry_shown}: unsupported file type '{entry.suffix or entry.name}' (skipped)")
            continue
        try:
            parsed = load_file(entry, entry_shown)
        except LoadError as error:
            result.warnings.append(f"{error} (skipped)")
            continue
        result.warnings.extend(parsed.warnings)
        result.clusters.extend(parsed.clusters)
        for article in parsed.articles:
            _apply_meta(article, entry.name, meta.get("articles") or {})
        articles.extend(parsed.articles)
    if articles:
        cluster_id = str(meta.get("id") or folder.resolve().name)
        result.clusters.append(Cluster(cluster_id, unique_ids(articles), title=str(meta.get("title") or ""),
                                       source=shown))
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith(".") and entry.name != "__pycache__":
            _load_folder(entry, str(Path(shown) / entry.name), result)


def _folder_meta(folder: Path, shown: str, result: LoadResult) -> dict:
    path = folder / CLUSTER_META
    if not path.is_file():
        return {}
    where = str(Path(shown) / CLUSTER_META)
    try:
        meta = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        result.warnings.append(f"{where}: cannot read: {error} (ignored)")
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


def _unique_cluster_ids(clusters: list[Cluster]) -> None:
    seen: dict[str, int] = {}
    for cluster in clusters:
        count = seen.get(cluster.id, 0)
        seen[cluster.id] = count + 1
        if count:
            cluster.id = f"{cluster.id}-{count + 1}"
