"""The article model: a cleaned body with paragraphs and sentences as exact character spans."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

SentenceKind = Literal["body", "heading", "caption", "boilerplate"]
KINDS: tuple[SentenceKind, ...] = ("body", "heading", "caption", "boilerplate")
_NO_OUTLET = {"unknown", "n/a", "none", "-"}  # what datasets write for "no outlet"
LABEL_MAX = 24  # characters of a label made from a byline or a title
_NUMBERED_ID = re.compile(r"^(\d{1,6})_[0-9a-f]{8,}$")  # "000_7f85f8fce582eb04": a file named by a hash


@dataclass(frozen=True, slots=True)
class Sentence:
    id: int
    text: str
    start: int
    end: int
    paragraph: int
    kind: SentenceKind

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    start: int
    end: int
    kind: SentenceKind
    sentences: tuple[int, ...]  # sentence ids, in order


@dataclass(slots=True)
class Article:
    id: str
    text: str
    title: str = ""
    title_derived: bool = False
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    source: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    story_label: str | None = field(default=None, repr=False)  # set by its Story: unique there

    @property
    def label(self) -> str:
        """What the reader calls this article: the outlet, else the URL's site, else the byline,
        else a short title, else a short id; told apart from the story's others ("AP (2)")."""
        return self.story_label or self.readable_name

    @property
    def readable_name(self) -> str:
        if self.outlet and self.outlet.strip().lower() not in _NO_OUTLET:
            return self.outlet
        site = site_of(self.url)
        if site:
            return site
        if self.authors:
            return shorten(", ".join(self.authors), LABEL_MAX)
        if self.title and not self.title_derived:  # a first sentence standing in for a title names nothing
            return shorten(self.title, LABEL_MAX)
        numbered = _NUMBERED_ID.match(self.id)
        return numbered.group(1) if numbered else shorten(self.id, LABEL_MAX)

    def passage(self, sentence_ids: Iterable[int]) -> str:
        """The text of these sentences, joined: a passage as outlets printed it."""
        return " ".join(self.sentences[i].text for i in sentence_ids)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {kind: 0 for kind in KINDS}
        for sentence in self.sentences:
            counts[sentence.kind] += 1
        return counts

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "title": self.title,
            "title_derived": self.title_derived,
            "outlet": self.outlet,
            "authors": list(self.authors),
            "date": self.date,
            "url": self.url,
            "tags": list(self.tags),
            "source": self.source,
            "text": self.text,
            "sentences": [s.to_json() for s in self.sentences],
        }


@dataclass(slots=True)
class Story:
    """One story: the articles of several outlets about one event."""

    id: str
    articles: list[Article]
    title: str = ""
    source: str | None = None

    def __post_init__(self) -> None:
        label_articles(self.articles)

    @property
    def display_title(self) -> str:
        return self.title or (self.articles[0].title if self.articles else self.id)

    @property
    def date(self) -> str | None:
        dates = sorted(a.date for a in self.articles if a.date)
        return dates[0] if dates else None

    @property
    def outlets(self) -> list[str]:
        return sorted({a.outlet for a in self.articles if a.outlet})


def label_articles(articles: list[Article]) -> None:
    """Give each article of a story a label no other article there has: "AP", "AP (2)"."""
    seen: dict[str, int] = {}
    for article in articles:
        name = article.readable_name
        count = seen.get(name.casefold(), 0) + 1
        seen[name.casefold()] = count
        article.story_label = name if count == 1 else f"{name} ({count})"


def site_of(url: str | None) -> str | None:
    """The host of an http(s) URL without "www.": "reuters.com"."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    return host[4:] if host.startswith("www.") else host


def counted(n: int, noun: str) -> str:
    """'1 article', '2 articles', '3 stories': a count with its noun in the right number."""
    if n == 1:
        return f"1 {noun}"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        plural = noun[:-1] + "ies"
    elif noun.endswith(("s", "x", "ch", "sh")):
        plural = noun + "es"
    else:
        plural = noun + "s"
    return f"{n} {plural}"


def shorten(text: str, width: int) -> str:
    """At most `width` characters, cut at a word boundary where there is one, "…" at the end."""
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def unique_ids(articles: list[Article]) -> list[Article]:
    """Make article ids unique within a story (alignment and the JSON refer to them)."""
    seen: dict[str, int] = {}
    for article in articles:
        count = seen.get(article.id, 0)
        seen[article.id] = count + 1
        if count:
            article.id = f"{article.id}-{count + 1}"
    return articles
