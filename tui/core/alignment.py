"""What alignment produces: scored sentence pairs and facts. Light on purpose (no numpy), so the
reader can hold and query an alignment without importing the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, slots=True, order=True)
class SentenceKey:
    article: str
    sentence: int


@dataclass(frozen=True, slots=True)
class Pair:
    a: SentenceKey
    b: SentenceKey
    score: float


@dataclass(slots=True)
class Fact:
    id: int
    score: float
    members: dict[str, list[int]]  # article id -> sentence ids, in reading order

    @property
    def articles(self) -> list[str]:
        return list(self.members)

    def keys(self) -> Iterable[SentenceKey]:
        for article, sentences in self.members.items():
            for sentence in sentences:
                yield SentenceKey(article, sentence)


@dataclass(slots=True)
class Alignment:
    pairs: list[Pair]
    facts: list[Fact]
    threshold: float
    # derived from the facts, never passed in
    fact_of: dict[SentenceKey, int] = field(init=False, default_factory=dict)
    by_article: dict[str, dict[int, int]] = field(init=False, default_factory=dict)  # article -> sentence -> fact

    def __post_init__(self) -> None:
        self.fact_of = {key: fact.id for fact in self.facts for key in fact.keys()}
        for key, fact in self.fact_of.items():
            self.by_article.setdefault(key.article, {})[key.sentence] = fact

    def counterparts(self, key: SentenceKey) -> list[SentenceKey]:
        fact_id = self.fact_of.get(key)
        if fact_id is None:
            return []
        return [k for k in self.facts[fact_id].keys() if k.article != key.article]
