"""The article model: a cleaned body with paragraphs and sentences as exact character spans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

SentenceKind = Literal["body", "heading", "caption", "boilerplate"]
KINDS: tuple[SentenceKind, ...] = ("body", "heading", "caption", "boilerplate")
_NO_OUTLET = {"unknown", "n/a", "none", "-"}  # what datasets write for "no outlet"


@dataclass(frozen=True, slots=True)
class Sentence:
    id: int
    text: str
    start: int
    end: int
    paragraph: int
    kind: SentenceKind

    def to_json(self) -> dict:
        return {"id": self.id, "text": self.text, "start": self.start, "end": self.end,
                "paragraph": self.paragraph, "kind": self.kind}


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

    @property
    def label(self) -> str:
        """What the reader calls this article: its outlet, else its id (the file name)."""
        if not self.outlet or self.outlet.strip().lower() in _NO_OUTLET:
            return self.id
        return self.outlet

    def passage(self, sentence_ids: Iterable[int]) -> str:
        """The text of these sentences, joined: a passage as outlets printed it."""
        return " ".join(self.sentences[i].text for i in sentence_ids)

    def counts(self) -> dict[str, int]:
        counts = {kind: 0 for kind in KINDS}
        for sentence in self.sentences:
            counts[sentence.kind] += 1
        return counts

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "title_derived": self.title_derived,
            "outlet": self.outlet, "authors": list(self.authors), "date": self.date,
            "url": self.url, "tags": list(self.tags), "source": self.source, "text": self.text,
            "sentences": [s.to_json() for s in self.sentences],
        }


@dataclass(slots=True)
class Cluster:
    """One story: the articles of several outlets about one event."""

    id: str
    articles: list[Article]
    title: str = ""
    source: str | None = None

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
