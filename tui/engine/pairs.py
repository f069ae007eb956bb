"""What alignment produces: scored sentence pairs and facts. Light on purpose (no numpy), so the
reader can hold and query an alignment without importing the engine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# The one cut that means "the same fact": a pair scoring at least this is listed, and a fact's
# sentences pair at least this well on average. Chosen on BASIL dev (benchmarks/fit_align.py
# moves the score so the chosen cut is 0.5). A reader steps it up (only the surest facts) or
# down (more, weaker ones); `align --min-score` moves the same cut.
THRESHOLD = 0.5
CUT_STEPS = (0.2, 0.3, 0.4, THRESHOLD, 0.6, 0.7, 0.8, 0.9)


def next_cut(current: float, step: int) -> float:
    """The next cut up (step 1) or down (step -1) from `current`, staying within the steps."""
    ladder = sorted(set(CUT_STEPS) | {current})
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
    threshold: float  # the cut: pairs listed and facts grouped at it
    # derived from the facts, never passed in
    fact_of: dict[SentenceKey, int] = field(init=False, default_factory=dict)
    by_article: dict[str, dict[int, int]] = field(init=False, default_factory=dict)  # article -> sentence -> fact

    def __post_init__(self) -> None:
        self.fact_of = {key: fact.id for fact in self.facts for key in fact.keys()}
        for key, fact in self.fact_of.items():
            self.by_article.setdefault(key.article, {})[key.sentence] = fact

    @property
    def fact_link(self) -> float:
        """How well a fact's sentences pair on average: the same cut (kept under its old name,
        which the JSON documents carry)."""
        return self.threshold

    def counterparts(self, key: SentenceKey) -> list[SentenceKey]:
        fact_id = self.fact_of.get(key)
        if fact_id is None:
            return []
        return [k for k in self.facts[fact_id].keys() if k.article != key.article]
