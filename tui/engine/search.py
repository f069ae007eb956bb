"""Fuzzy search over every sentence of a story, made for quotes and names.

Query syntax (as fzf): terms separated by spaces should all match (a sentence with most of the
words by rarity is listed too, after every sentence with all of them, at half its score),
`a | b` matches either;
`'word` exact, `^start` sentence prefix, `end$` sentence suffix, `!word` excludes; a term in
double quotes ("nothing but misery") is an exact phrase. Plain terms match fuzzily: exactly,
as a word prefix (so results come while typing), or as a close spelling (Sergey ~ Sergei).
Accents, case (smart case: an upper-case letter makes a term case-sensitive) and typographic
quotes do not matter. Ranking weighs each term by its rarity in the story, rewards the whole
query appearing as a phrase, and keeps very short sentences ("No.", "But...") from outranking
real matches.

Candidates come from an inverted index of folded words, so a keystroke never scans every
sentence; only the best few hundred candidates get the costlier phrase similarity.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ..base.collector import collector_paused
from ..base.model import Article
from ..base.textnorm import STOPWORDS, fold_char_preserving
from .quotes import quoted_regions, regions_in

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
SEARCH_KINDS = ("body", "heading", "caption")
RERANK = 300
PARTIAL_MATCH = 0.5  # the score of a sentence that lacks some of the query's words is halved
_TRAILING = " .!?\"')]”’…"  # candidates that get the phrase similarity


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(slots=True)
class Entry:
    article: str
    outlet: str | None
    sentence: int
    text: str
    cased: str  # accents and quotes folded, case kept; same length as text
    folded: str  # cased, lower-case
    words: int
    quoted: list[tuple[int, int]] = field(default_factory=list)
    story: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    article: str
    outlet: str | None
    sentence: int
    text: str
    score: float
    spans: tuple[tuple[int, int], ...]
    story: str | None = None  # the story's id, when the index holds several stories

    def to_json(self) -> dict:
        found = {
            "article": self.article,
            "outlet": self.outlet,
            "sentence": self.sentence,
            "text": self.text,
            "score": round(self.score, 4),
            "spans": [list(s) for s in self.spans],
        }
        return found if self.story is None else {"story": self.story, **found}


@dataclass(frozen=True, slots=True)
class Term:
    text: str  # folded (lower-case unless case-sensitive)
    kind: str  # "fuzzy", "exact", "prefix", "suffix"
    negated: bool = False
    case_sensitive: bool = False


def parse_query(query: str) -> list[list[Term]]:
    """AND of OR-groups of terms."""
    tokens = re.findall(r'!?"[^"]*"?|(?:\\ |\S)+', fold_char_preserving(query))
    groups: list[list[Term]] = []
    pending_or = False
    for token in tokens:
        if token == "|":
            pending_or = True
            continue
        term = _term(token.replace("\\ ", " "))
        if term is None:
            continue
        if pending_or and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return groups


def _term(token: str) -> Term | None:
    negated = token.startswith("!")
    if negated:
        token = token[1:]
    kind = "fuzzy"
    if token.startswith('"'):
        token, kind = token.strip('"'), "exact"
    elif token.startswith("'"):
        token, kind = token[1:], "exact"
    elif token.startswith("^"):
        token, kind = token[1:], "prefix"
    elif token.endswith("$") and len(token) > 1:
        token, kind = token[:-1], "suffix"
    if negated and kind == "fuzzy":
        kind = "exact"  # fzf: !word is an exact exclusion
    if not token.strip():
        return None
    case_sensitive = any(c.isupper() for c in token)
    return Term(token if case_sensitive else token.lower(), kind, negated, case_sensitive)


class SearchIndex:
    """Sentences of one story (or several articles), indexed by folded word."""

    def __init__(
        self, articles: Sequence[Article], kinds: Sequence[str] = SEARCH_KINDS, stories: Sequence[str] | None = None
    ) -> None:
        """`stories`, one per article, names each hit's story when the articles come from several."""
        with collector_paused():
            self._build(articles, kinds, stories)

    def _build(self, articles: Sequence[Article], kinds: Sequence[str], stories: Sequence[str] | None) -> None:
        self.entries: list[Entry] = []
        postings: dict[str, list[int]] = {}
        firsts: list[tuple[str, int]] = []  # (first word, entry), for ^prefix terms
        lasts: list[tuple[str, int]] = []  # (last word, entry), for suffix$ terms
        for position, article in enumerate(articles):
            story = stories[position] if stories is not None else None
            quotes = quoted_regions(article.text)
            for sentence in article.sentences:
                if sentence.kind not in kinds:
                    continue
                cased = fold_char_preserving(sentence.text)
                folded = _lower_same_length(cased)
                index = len(self.entries)
                words = _WORD.findall(folded)
                for word in set(words):
                    postings.setdefault(word, []).append(index)
                if words:
                    firsts.append((words[0], index))
                    lasts.append((words[-1], index))
                self.entries.append(
                    Entry(
                        article.id,
                        article.outlet,
                        sentence.id,
                        sentence.text,
                        cased,
                        folded,
                        len(words),
                        regions_in(quotes, sentence.start, sentence.end),
                        story,
                    )
                )
        self.postings = postings
        firsts.sort()
        lasts.sort()
        self.first_words = ([w for w, _ in firsts], [i for _, i in firsts])
        self.last_words = ([w for w, _ in lasts], [i for _, i in lasts])
        self.vocabulary = sorted(postings)
        self.size = len(self.entries)
        self._matches_cache: dict[tuple[str, bool], dict[str, float]] = {}

    # ------------------------------------------------------------ matching one term

    def _idf(self, df: int) -> float:
        return math.log((self.size + 1) / (df + 1)) + 1.0

    def _word_matches(self, term: Term, allow_fuzzy: bool) -> dict[str, float]:
        """Vocabulary words that match a one-word term, with a strength in (0, 1]. Remembered:
        while typing, the same terms come again and again."""
        key = (term.text.lower(), allow_fuzzy)
        cached = self._matches_cache.get(key)
        if cached is None:
            if len(self._matches_cache) > 2000:
                self._matches_cache.clear()
            cached = self._matches_cache[key] = self._find_word_matches(term.text.lower(), allow_fuzzy)
        return cached

    def _find_word_matches(self, word: str, allow_fuzzy: bool) -> dict[str, float]:
        matches: dict[str, float] = {}
        if word in self.postings:
            matches[word] = 1.0
        if len(word) >= 3:  # shorter prefixes match too much to help; wait for a third letter
            start = bisect.bisect_left(self.vocabulary, word)
            for candidate in self.vocabulary[start : start + 400]:
                if not candidate.startswith(word):
                    break
                if candidate != word:
                    matches[candidate] = max(matches.get(candidate, 0.0), 0.75 + 0.2 * len(word) / len(candidate))
        if allow_fuzzy and len(word) >= 4:
            cutoff = 80 if len(word) <= 5 else 75
            for candidate, score, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=40
            ):
                if candidate[:1] == word[:1] and candidate not in matches:
                    matches[candidate] = 0.85 * score / 100
        return matches

    def _term_strengths(self, term: Term) -> tuple[dict[int, float], float]:
        """Sentence -> how well it matches the term; and the term's weight (rarity)."""
        words = _WORD.findall(term.text.lower())
        if not words:
            return {}, 0.0
        if term.kind == "fuzzy" and len(words) == 1:
            strengths: dict[int, float] = {}
            best_df = None
            for vocab_word, strength in self._word_matches(term, allow_fuzzy=True).items():
                posting = self.postings[vocab_word]
                if strength == 1.0 or best_df is None:
                    best_df = len(posting) if best_df is None else min(best_df, len(posting))
                for index in posting:
                    if strength > strengths.get(index, 0.0):
                        strengths[index] = strength
            if term.case_sensitive:
                strengths = {i: s for i, s in strengths.items() if term.text in self.entries[i].cased or s < 1.0}
            weight = self._idf(best_df if best_df is not None else self.size)
            if words[0] in STOPWORDS:
                weight *= 0.25
            return strengths, weight
        # exact, prefix, suffix (and multi-word fuzzy): every word must be there, then the string
        if term.kind in ("prefix", "suffix") and len(words) == 1:
            return self._edge_matches(term, words[0]), self._idf(1)
        candidates: set[int] | None = None
        for word in words:
            found = set(self.postings.get(word, ()))
            if word == words[-1] and term.kind in ("exact", "prefix"):
                start = bisect.bisect_left(self.vocabulary, word)
                for candidate in self.vocabulary[start : start + 400]:
                    if not candidate.startswith(word):
                        break
                    found.update(self.postings[candidate])
            if word == words[0] and term.kind in ("exact", "suffix") and not found:
                found = {i for i, e in enumerate(self.entries) if word in e.folded}
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return {}, self._idf(0)
        strengths = {}
        for index in candidates or ():
            haystack = self.entries[index].cased if term.case_sensitive else self.entries[index].folded
            if term.kind == "prefix":
                ok = haystack.lstrip("\"'(“‘").startswith(term.text)
            elif term.kind == "suffix":  # closing quotes and final punctuation do not count
                ok = haystack.rstrip(_TRAILING).endswith(term.text.rstrip(_TRAILING))
            else:
                ok = term.text in haystack
            if ok:
                strengths[index] = 1.0
        return strengths, self._idf(len(strengths)) * max(1, len(words))

    def _edge_matches(self, term: Term, word: str) -> dict[int, float]:
        """^word / word$ with one word: through the sorted first (last) words of sentences."""
        edges = self.first_words if term.kind == "prefix" else self.last_words
        keys = edges[0]
        start = bisect.bisect_left(keys, word)
        out: dict[int, float] = {}
        for position in range(start, len(keys)):
            key = keys[position]
            if term.kind == "suffix" and key != word or not key.startswith(word):
                break
            index = edges[1][position]
            entry = self.entries[index]
            haystack = entry.cased if term.case_sensitive else entry.folded
            if term.kind == "prefix":
                if haystack.lstrip("\"'(“‘").startswith(term.text):
                    out[index] = 1.0
            elif haystack.rstrip(_TRAILING).endswith(term.text.rstrip(_TRAILING)):
                out[index] = 1.0
        return out

    # ------------------------------------------------------------ the query

    def search(
        self, query: str, *, limit: int = 20, quotes_only: bool = False, articles: Iterable[str] | None = None
    ) -> list[Hit]:
        groups = parse_query(query)
        if not groups:
            return []
        allowed = set(articles) if articles is not None else None
        positive = [g for g in groups if not all(t.negated for t in g)]
        negative = [g for g in groups if all(t.negated for t in g)]
        scores: dict[int, float] = {}
        found_groups: dict[int, int] = {}  # how many of the query's word groups each sentence has
        counted = 0
        total = 0.0
        hard: set[int] | None = None
        matched_terms: list[Term] = []
        highlight = [t for g in positive for t in g if not t.negated]
        informative = [g for g in positive if not all(_is_stopword(t) for t in g)]
        common: list[list[Term]] = []  # stopword groups: they only rank (a sentence with them first)
        if informative:
            common = [g for g in positive if g not in informative]
            positive = informative  # "died in a car": in and a would match nearly everything
        for group in positive:
            group_best: dict[int, float] = {}
            group_weight = 0.0
            for term in group:
                if term.negated or (term.kind != "fuzzy" and len(term.text.strip()) < 2):
                    continue  # a one-letter exact term matches almost everything: wait for more
                strengths, weight = self._term_strengths(term)
                matched_terms.append(term)
                group_weight = max(group_weight, weight)
                for index, strength in strengths.items():
                    value = strength * weight
                    if value > group_best.get(index, 0.0):
                        group_best[index] = value
            total += group_weight
            counted += group_weight > 0
            if any(t.kind != "fuzzy" for t in group):  # an operator makes the group a filter
                hard = set(group_best) if hard is None else hard & set(group_best)
            for index, value in group_best.items():
                scores[index] = scores.get(index, 0.0) + value
                found_groups[index] = found_groups.get(index, 0) + 1
        if not positive:  # only exclusions: everything else matches
            scores = {i: 1.0 for i in range(self.size)}
            total = 1.0
        for group in negative:
            for term in group:
                excluded, _ = self._term_strengths(Term(term.text, term.kind, False, term.case_sensitive))
                for index in excluded:
                    scores.pop(index, None)
        if hard is not None:
            scores = {i: s for i, s in scores.items() if i in hard}
        if allowed is not None:
            scores = {i: s for i, s in scores.items() if self.entries[i].article in allowed}
        if quotes_only:
            scores = {i: s for i, s in scores.items() if self.entries[i].quoted}
        need = 0.5 if len(positive) > 1 else 0.0
        coverage = {i: s / total for i, s in scores.items() if total and s / total > need}
        if not coverage:
            return []
        shortlist = sorted(coverage, key=lambda i: (-coverage[i], i))[:RERANK]
        phrase = " ".join(t.text.lower() for t in matched_terms if t.kind == "fuzzy")
        ranked = []
        for index in shortlist:
            entry = self.entries[index]
            score = coverage[index]
            if phrase and len(phrase.split()) >= 2:
                similarity = (
                    fuzz.partial_ratio(phrase, entry.folded) / 100 if len(entry.folded) >= len(phrase) // 2 else 0.0
                )
                score += 0.35 * similarity * similarity
            if entry.words < 4:
                score *= 0.5 + entry.words / 8  # "No." and "But..." never outrank real matches
            partial = found_groups.get(index, 0) < counted or not _has_common_words(entry.folded, common)
            if partial:
                score *= PARTIAL_MATCH  # a sentence without one of the words: after every one with all
            ranked.append((partial, score, index))
        ranked.sort(key=lambda item: (item[0], -item[1], item[2]))
        hits = []
        for _, score, index in ranked:
            entry = self.entries[index]
            spans = self.spans(entry, highlight)
            if quotes_only:
                spans = _inside(spans, entry.quoted)
                if not spans:
                    continue
            hits.append(
                Hit(
                    entry.article,
                    entry.outlet,
                    entry.sentence,
                    entry.text,
                    min(score, 1.5) / 1.5,
                    tuple(spans),
                    entry.story,
                )
            )
            if len(hits) >= limit:
                break
        return hits

    def spans(self, entry: Entry, terms: list[Term]) -> list[tuple[int, int]]:
        """Character ranges of the sentence that the terms matched, merged."""
        found: list[tuple[int, int]] = []
        for term in terms:
            haystack = entry.cased if term.case_sensitive else entry.folded
            needle = term.text
            if term.kind != "fuzzy" or " " in needle:
                start = haystack.find(needle)
                while start != -1:
                    found.append((start, start + len(needle)))
                    start = haystack.find(needle, start + 1)
                continue
            matches = self._word_matches(term, allow_fuzzy=True)
            for match in _WORD.finditer(entry.folded):
                if match.group() in matches:
                    found.append((match.start(), match.end()))
        return _merge(found, entry.text)


def _has_common_words(folded: str, groups: list[list[Term]]) -> bool:
    """Whether the sentence has a word of each stopword group ("above" in `above law`)."""
    if not groups:
        return True
    words = set(_WORD.findall(folded.lower()))
    return all(any(t.text.lower() in words for t in group if not t.negated) for group in groups)


def _is_stopword(term: Term) -> bool:
    return term.kind == "fuzzy" and term.text.lower() in STOPWORDS


def _merge(spans: list[tuple[int, int]], text: str = "") -> list[tuple[int, int]]:
    """Overlapping spans, and spans separated only by spaces ("nothing but misery"), become one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or (text and not text[merged[-1][1] : start].strip())):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _inside(spans: list[tuple[int, int]], regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for start, end in spans:
        for rs, re_ in regions:
            if start < re_ and end > rs:
                out.append((max(start, rs), min(end, re_)))
    return out
