"""A story's name from its articles: the headline most of them agree with (a title that is only a
dateline names nothing), and a file-name-like slug of it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .model import Article, Story
from .textnorm import content_tokens

MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(rf"\b{MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b|\b(\d{{1,2}})\s+{MONTH},?\s+(\d{{4}})\b", re.I)


def story_label(articles: Sequence[Article]) -> str:
    """A story's label, whole: the title most of its articles' words agree with, else a first
    sentence (lists shorten it to their width, files keep it whole)."""
    titled = [a for a in articles if a.title and not a.title_derived and day_free(a.title)]
    candidates = titled or list(articles)
    if len(candidates) == 1:
        chosen = candidates[0]
    else:
        common = Counter(t for a in articles for t in set(content_tokens(a.text)))
        chosen = max(candidates, key=lambda a: sum(common[t] for t in set(content_tokens(a.title or a.text[:200]))))
    text = (
        chosen.title
        if chosen in titled
        else next((s.text for s in chosen.sentences if s.kind == "body"), chosen.title or chosen.id)
    )
    return " ".join(text.split())


def day_free(title: str) -> bool:
    """A scraped title that is only a dateline ("April 27, 2009") names no story."""
    return len(DATELINE.sub("", title).split()) >= 3


def slug(label: str, number: int | None = None) -> str:
    words = re.findall(r"[a-z0-9]+", label.lower())[:6]
    slug = "-".join(words) or "story"
    return slug if number is None else f"{number:03d}-{slug}"


def named_story(articles: Sequence[Article]) -> Story:
    """A story of articles that came with no folder to name it (web pages, standard input):
    named after its articles' headlines."""
    label = story_label(articles)
    return Story(slug(label), list(articles), title=label)
