"""What alignment produces: scored sentence pairs and facts. Light on purpose (no numpy), so the
reader can hold and query an alignment without importing the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable


# How strongly a fact's sentences must pair with each other on average. The default keeps facts
# precise; a reader can step it up (only the surest facts) or down (more, weaker facts).
FACT_LINK = 0.82
FACT_LINK_STEPS = (0.5, 0.6, 0.7, 0.8, FACT_LINK, 0.85, 0.9, 0.95)


def next_fact_link(current: float, step: int) -> float:
    """The next cut up (step 1) or down (step -1) from `current`, staying within the steps."""
    ladder = sorted(set(FACT_LINK_STEPS) | {current})
    position = ladder.index(current) + step
    return ladder[min(max(position, 0), len(ladder) - 1)]


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
    fact_link: float = FACT_LINK
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
