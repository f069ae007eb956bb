"""Quotation marks in article text: where direct quotations are.

A quotation may run over several sentences, open with straight or typographic marks, or
close without the scraper keeping the closing mark; the regions here are character ranges of
an article's body text, which search (quotes-only) and quote extraction build on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..base.collector import collector_paused
from ..base.model import Article
from ..base.textnorm import fold
from .speakers import People, Reader

OPENING = "“„«"
CLOSING = "”»"
_QUOTE_EVENT = re.compile("\n\n|``|''|[" + OPENING + CLOSING + '"]')


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Ranges (start, end) of text inside double quotation marks, marks excluded.

    Quotations do not run over a paragraph break unless the next paragraph opens with a mark
    (the news convention for quotes over several paragraphs); an unclosed quotation ends at
    the end of its paragraph.
    """
    regions: list[tuple[int, int]] = []
    start: int | None = None
    # only these places can open or close a quotation: a jump from one to the next is the same
    # walk as looking at every character, without the Python loop over all of them
    for match in _QUOTE_EVENT.finditer(text):
        index, found = match.start(), match.group()
        if found == "\n\n":
            if start is not None:
                regions.append((start, index))
                start = None
        elif found in ("``", "''"):  # typewriter marks of converted corpora, used either way
            if start is None:
                start = index + 2
            else:
                if index > start:
                    regions.append((start, index))
                start = None
        elif start is None:
            if found in OPENING or found == '"':  # straight quotes alternate within a paragraph
                start = index + 1
        elif found in CLOSING or found == '"':
            if index > start:
                regions.append((start, index))
            start = None
    if start is not None and len(text) > start:
        regions.append((start, len(text)))
    return [(s, e) for s, e in regions if text[s:e].strip()]


def regions_in(regions: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of `regions` inside [start, end), relative to start."""
    out = []
    for s, e in regions:
        if e <= start or s >= end:
            continue
        out.append((max(s, start) - start, min(e, end) - start))
    return out


# ---------------------------------------------------------------- quotations


@dataclass(slots=True)
class Quote:
    id: int
    article: str
    sentence: int
    start: int  # span in the article's text
    end: int
    text: str
    speaker: str | None = None
    paraphrase: bool = False
    group: int = -1

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "text": self.text,
            "article": self.article,
            "sentence": self.sentence,
            "span": [self.start, self.end],
            "paraphrase": self.paraphrase,
            "group": self.group,
        }


@dataclass(slots=True)
class QuoteGroup:
    id: int
    speaker: str | None
    quotes: list[int] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"id": self.id, "speaker": self.speaker, "quotes": self.quotes, "outlets": self.outlets}


@dataclass(slots=True)
class QuoteSet:
    quotes: list[Quote]
    groups: list[QuoteGroup]

    def by_speaker(self) -> list[tuple[str | None, list[QuoteGroup]]]:
        """Groups under their speaker: named speakers alphabetically, unknown (None) last."""
        speakers: dict[str | None, list[QuoteGroup]] = {}
        for group in self.groups:
            speakers.setdefault(group.speaker, []).append(group)
        return sorted(speakers.items(), key=lambda item: (item[0] is None, item[0] or ""))


def extract_quotes(articles: Sequence[Article], kinds: Sequence[str] = ("body",)) -> QuoteSet:
    """Direct quotations with speakers, paraphrases of them, and groups across outlets."""
    with collector_paused():
        return _extract_quotes(articles, kinds)


def _extract_quotes(articles: Sequence[Article], kinds: Sequence[str]) -> QuoteSet:
    people = People(articles)
    quotes: list[Quote] = []
    for article in articles:
        text = article.text
        reader = Reader(article, people)
        starts = [s.start for s in article.sentences]
        for start, end in quoted_regions(text):
            sentence = _sentence_at(article, starts, start)
            if sentence is None or sentence.kind not in kinds:
                continue
            quoted = text[start:end].strip().rstrip(",")
            if len(quoted.split()) < 1:
                continue
            speaker = reader.speaker(start, end, sentence)
            quotes.append(Quote(len(quotes), article.id, sentence.id, start, start + len(quoted), quoted, speaker))
    quotes.extend(_paraphrases(articles, quotes))
    return QuoteSet(quotes, _group(quotes, {a.id: a.label for a in articles}))


def _sentence_at(article: Article, starts: list[int], position: int):
    """The sentence holding `position` (or ending just before it), found by bisection."""
    index = bisect_right(starts, position) - 1
    if index < 0:
        return None
    sentence = article.sentences[index]
    return sentence if position < sentence.end + 1 else None


_WORD = re.compile(r"[a-z0-9]{4,}")
RARE_WORDS = 3  # a quote's rarest words: where to look for other renderings of it
CROWDED = 64  # a word in more quotes or sentences than this is no evidence on its own
COMPARED_CHARS = 2000  # of two quotations both longer (no news quotation is): the start of each is compared


def _words(folded: str) -> set[str]:
    return set(_WORD.findall(folded))


def _word_index(word_sets: list[set[str]]) -> tuple[Counter, dict[str, list[int]]]:
    """How many of the texts hold each word, and which (in order)."""
    df = Counter(w for words in word_sets for w in words)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, words in enumerate(word_sets):
        for word in words:
            postings[word].append(index)
    return df, postings


def _rarest(words: set[str], df: Counter) -> list[str]:
    return sorted(words, key=lambda w: (df[w], w))[:RARE_WORDS]


def _paraphrases(articles: Sequence[Article], quotes: list[Quote]) -> list[Quote]:
    """Sentences that render a quote without quotation marks (at least six words of it).
    Sentences sharing a quote's rarest words are screened; only the few close ones get an
    alignment for the span."""
    long_quotes = [q for q in quotes if len(q.text.split()) >= 6]
    quoted_sentences = {(q.article, q.sentence) for q in quotes}
    candidates = [
        (a, s) for a in articles for s in a.sentences if s.kind == "body" and (a.id, s.id) not in quoted_sentences
    ]
    if not long_quotes or not candidates:
        return []
    needles = [fold(q.text).rstrip(".,!?") for q in long_quotes]
    haystacks = [fold(s.text) for _, s in candidates]
    # Only sentences that share at least two of a quote's rarest words are compared: all pairs
    # grew with the square of the story's size.
    df, postings = _word_index([_words(h) for h in haystacks])
    pairs = []
    for qi, needle in enumerate(needles):
        rare = [w for w in _rarest({w for w in _words(needle) if df[w]}, df) if df[w] <= CROWDED]
        hits = Counter(ci for w in rare for ci in postings[w])
        pairs += [(qi, ci) for ci, count in hits.items() if count >= min(2, len(rare))]
    found: list[Quote] = []
    for qi, ci in sorted(pairs):
        quote, (article, sentence) = long_quotes[qi], candidates[ci]
        if article.id == quote.article or (article.id, sentence.id) in quoted_sentences:
            continue
        alignment = fuzz.partial_ratio_alignment(needles[qi], haystacks[ci], score_cutoff=85)
        if alignment is None or alignment.dest_end - alignment.dest_start < 0.6 * len(needles[qi]):
            continue
        start = sentence.start + alignment.dest_start
        end = sentence.start + alignment.dest_end
        while start > sentence.start and article.text[start - 1].isalnum():
            start -= 1  # whole words only
        while end < sentence.end and article.text[end].isalnum():
            end += 1
        found.append(
            Quote(
                len(quotes) + len(found),
                article.id,
                sentence.id,
                start,
                end,
                article.text[start:end],
                quote.speaker,
                paraphrase=True,
            )
        )
        quoted_sentences.add((article.id, sentence.id))
    return found


def _candidate_pairs(folded: list[str]) -> list[tuple[int, int]]:
    """Pairs (i < j) of quotes worth comparing: j holds one of i's rarest words. Where a word is
    in very many quotes (one quote in a thousand wire copies), i meets only its neighbours in
    that word's list: grouping is transitive, so a chain is enough, and the work stays linear."""
    words = [_words(f) for f in folded]
    df, postings = _word_index(words)
    pairs: set[tuple[int, int]] = set()
    for i, ws in enumerate(words):
        for word in _rarest(ws, df):
            posting = postings[word]
            if len(posting) > CROWDED:
                at = bisect_right(posting, i)
                posting = posting[max(0, at - 1 - CROWDED // 4) : at + CROWDED // 4]
            pairs.update((min(i, j), max(i, j)) for j in posting if j != i)
    return sorted(pairs)


def _group(quotes: list[Quote], labels: dict[str, str]) -> list[QuoteGroup]:
    """The same quote in several articles: close wording (partial quoting and punctuation aside)."""
    parent = list(range(len(quotes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    folded = [fold(q.text) for q in quotes]
    for i, j in _candidate_pairs(folded):
        a, b = quotes[i], quotes[j]
        if a.article == b.article and not (a.paraphrase or b.paraphrase):
            continue
        if min(len(folded[i]), len(folded[j])) < 12 or root(i) == root(j):
            continue
        x, y = folded[i], folded[j]
        if min(len(x), len(y)) > COMPARED_CHARS:  # two long quotations: their starts, so the cost stays linear
            x, y = x[:COMPARED_CHARS], y[:COMPARED_CHARS]
        if fuzz.partial_ratio(x, y) >= 85 or fuzz.token_set_ratio(x, y) >= 80:
            parent[root(j)] = root(i)
    groups: dict[int, QuoteGroup] = {}
    for quote in quotes:
        r = root(quote.id)
        group = groups.setdefault(r, QuoteGroup(len(groups), None))
        quote.group = group.id
        group.quotes.append(quote.id)
        label = labels[quote.article]
        if label not in group.outlets:
            group.outlets.append(label)
        if group.speaker is None and quote.speaker and not quote.paraphrase:
            group.speaker = quote.speaker
    for group in groups.values():  # paraphrases take the group's speaker
        for qid in group.quotes:
            if quotes[qid].paraphrase and group.speaker:
                quotes[qid].speaker = group.speaker
    return sorted(groups.values(), key=lambda g: g.id)
