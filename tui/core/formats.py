"""Readers for each article format: bytes of one file in, Articles (or clusters) out.

Every reader raises LoadError with a message a person can act on; the loader adds the path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .clean import clean_inline, clean_text
from .model import Article, Cluster
from .structure import Block, article_from_text, build_article, split_blocks


class LoadError(Exception):
    """A file (or stdin) that cannot be loaded; str() is the one line the user sees."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


@dataclass(slots=True)
class Parsed:
    """What one file holds: loose articles (one story), and/or whole clusters."""

    articles: list[Article] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, source: str) -> str:
    """Text of a file: UTF-8 first, then detection (a Latin-1 file keeps its accents)."""
    if not data.strip():
        raise LoadError(source, "empty file")
    if b"\x00" in data[:8192]:
        raise LoadError(source, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported late: only non-UTF-8 files need it

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(source, "binary file, not text in any known encoding")
    return str(best)


# ---------------------------------------------------------------- plain text and Markdown

def read_text(data: bytes, source: str, article_id: str) -> Parsed:
    return Parsed(articles=[article_from_text(article_id, decode(data, source), source=source)])


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def read_markdown(data: bytes, source: str, article_id: str) -> Parsed:
    meta, text = split_front_matter(decode(data, source), source)
    return Parsed(articles=[article_from_markdown(article_id, text, source=source, **meta)])


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (title, outlet or sitename, date, authors, url, tags) and the rest."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        front = load_yaml(m.group(1))
    except yaml.YAMLError as error:
        raise LoadError(source, f"invalid front matter: {yaml_problem(error)}") from None
    if not isinstance(front, dict):
        return {}, text[m.end():]
    front.setdefault("outlet", front.get("sitename") or front.get("hostname"))
    return _article_meta(front), text[m.end():]


def article_from_markdown(article_id: str, text: str, **meta) -> Article:
    """Markdown to an Article: the first level-1 heading is the title, other headings are
    headings, list items and quotes are paragraphs; markup is dropped, link text kept."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(clean_text(text))
    blocks: list[Block] = []
    heading_level = 0
    for token in tokens:
        if token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "inline":
            content = _inline_text(token.children or [])
            if not content:
                continue
            if heading_level == 1 and not meta.get("title") and not blocks:
                meta["title"] = content
            elif heading_level:
                blocks.append(Block(content, "heading"))
            else:
                blocks.append(Block(content))
        elif token.type in ("fence", "code_block"):
            blocks.extend(split_blocks(token.content))
    return build_article(article_id, blocks, **meta)


def _inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image" and child.children:
            parts.append(_inline_text(child.children))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


# ---------------------------------------------------------------- HTML

def read_html(data: bytes, source: str, article_id: str) -> Parsed:
    """Main text through trafilatura, as Markdown (headings survive) with the page's metadata
    (title, author, date, url, site name) as front matter."""
    import trafilatura

    markdown = trafilatura.extract(
        decode(data, source), output_format="markdown", with_metadata=True, include_comments=False,
        include_tables=False, favor_precision=True,
    )
    if not markdown or not markdown.strip():
        raise LoadError(source, "no article text found in the HTML page")
    try:
        meta, text = split_front_matter(markdown, source)
    except LoadError:
        meta, text = {}, _FRONT_MATTER.sub("", markdown, count=1)  # metadata we cannot read: text only
    if not text.strip():
        raise LoadError(source, "no article text found in the HTML page")
    return Parsed(articles=[article_from_markdown(article_id, text, source=source, **meta)])


# ---------------------------------------------------------------- JSON and JSON Lines

def read_json(data: bytes, source: str, article_id: str) -> Parsed:
    text = decode(data, source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise LoadError(source, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    return _from_json_value(value, source, article_id, where="")


def read_jsonl(data: bytes, source: str, article_id: str) -> Parsed:
    text = decode(data, source)
    parsed = Parsed()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise LoadError(source, f"invalid JSON at line {number}, column {error.colno}: {error.msg}") from None
        one = _from_json_value(value, source, f"{article_id}-{number}", where=f"line {number}: ")
        parsed.articles.extend(one.articles)
        parsed.clusters.extend(one.clusters)
        parsed.warnings.extend(one.warnings)
    if not parsed.articles and not parsed.clusters:
        raise LoadError(source, "no articles in the file")
    return parsed


def _from_json_value(value: Any, source: str, default_id: str, where: str) -> Parsed:
    parsed = Parsed()
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        cluster_id = str(value.get("id") or value.get("cluster") or default_id)
        articles = _json_articles(value["articles"], source, cluster_id, where, parsed.warnings)
        if not articles:
            raise LoadError(source, f"{where}cluster '{cluster_id}' has no articles with text")
        title = clean_inline(str(value["title"])) if value.get("title") else ""
        parsed.clusters.append(Cluster(cluster_id, unique_ids(articles), title=title, source=source))
    elif isinstance(value, dict):
        parsed.articles.extend(_json_articles([value], source, default_id, where, None))
    elif isinstance(value, list):
        parsed.articles.extend(_json_articles(value, source, default_id, where, parsed.warnings))
        if not parsed.articles:
            raise LoadError(source, f"{where}no articles with text in the list")
    else:
        raise LoadError(source, f"{where}expected an article object, a list of them, or a cluster with \"articles\"")
    return parsed


def _json_articles(items: list, source: str, default_id: str, where: str,
                   warnings: list[str] | None) -> list[Article]:
    """Articles of a JSON list; with `warnings`, a bad item is skipped and named, else it fails."""
    articles = []
    for index, item in enumerate(items):
        label = f"{where}article {index + 1}" if len(items) > 1 else f"{where}article".rstrip()
        try:
            if not isinstance(item, dict):
                raise LoadError(source, f"{label}: expected an object with \"text\"")
            body = item.get("text", item.get("body", item.get("content")))
            if not isinstance(body, str) or not body.strip():
                raise LoadError(source, f"{label}: no \"text\"")
            article_id = str(item.get("id") or (default_id if len(items) == 1 else f"{default_id}-{index + 1}"))
            article = article_from_text(clean_inline(article_id), body, read_header=True,
                                        source=source, **_article_meta(item))
            if not article.sentences:
                raise LoadError(source, f"{label}: text has no sentences")
            articles.append(article)
        except LoadError as error:
            if warnings is None:
                raise
            warnings.append(f"{error} (skipped)")
    return articles


def _article_meta(item: dict) -> dict[str, Any]:
    """Article metadata from a JSON object or front matter, tolerant of common shapes."""
    authors = item.get("authors", item.get("author"))
    if isinstance(authors, str):
        authors = [a for a in re.split(r"\s*(?:,|;| and )\s*", authors) if a]
    tags = item.get("tags")
    if isinstance(tags, str):
        tags = [t for t in re.split(r"\s*,\s*", tags) if t]
    meta = {
        "title": item.get("title"), "outlet": item.get("outlet", item.get("source_name")),
        "url": item.get("url"), "date": item.get("date", item.get("published")),
        "authors": [str(a) for a in authors] if isinstance(authors, list) else None,
        "tags": [str(t) for t in tags] if isinstance(tags, list) else None,
    }
    return {k: (str(v) if k in ("title", "outlet", "url", "date") and v is not None else v)
            for k, v in meta.items() if v not in (None, "", [])}


def unique_ids(articles: list[Article]) -> list[Article]:
    """Make article ids unique within a cluster (alignment and the JSON refer to them)."""
    seen: dict[str, int] = {}
    for article in articles:
        count = seen.get(article.id, 0)
        seen[article.id] = count + 1
        if count:
            article.id = f"{article.id}-{count + 1}"
    return articles


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases: a few hundred bytes of nested aliases ("billion
    laughs") expand into gigabytes for whatever walks the result, and no file of ours needs them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str):
    """YAML from outside (front matter, cluster.yaml, keymaps): safe types only, no aliases."""
    return yaml.load(text, Loader=_NoAliasLoader)


def yaml_problem(error: yaml.YAMLError) -> str:
    """Where and what: the line where the broken construct starts (context), else the problem's."""
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    parts = [p for p in (getattr(error, "context", None), getattr(error, "problem", None)) if p]
    problem = ": ".join(parts) or str(error).splitlines()[0]
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return problem


READERS = {
    ".txt": read_text, ".text": read_text,
    ".md": read_markdown, ".markdown": read_markdown,
    ".html": read_html, ".htm": read_html,
    ".json": read_json, ".jsonl": read_jsonl, ".ndjson": read_jsonl,
}
