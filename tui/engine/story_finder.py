"""The story finder: a pile of articles from many outlets and events, sorted into stories.

A story is one event told by several outlets. Two articles are scored as one event by a
logistic model over what they share, each as a TF-IDF cosine computed on the pile itself:
- words (stems), word pairs (bigrams: "pierre thomas", "sixth round"), names (capitalised
  words inside sentences), name phrases ("Tony Thompson"), the title, the lead (title and
  first sentences) and numbers ("26 pirates"); and, against, the names an article repeats (its
  protagonists) that the other never mentions;
- dates, when both articles have one (metadata, else a dateline at the top of the text): more
  than DATE_WINDOW_DAYS apart, two events however alike their words; more than DATE_NEAR_DAYS
  apart, the pair's score is scaled by LATE_FACTOR, so only a pair that shares very much (a
  follow-up: the arrest, the ruling, the trial; in ECB+ a quarter of the dated same-event pairs
  are more than 10 days apart) still joins, while two hearings on one affair four months apart
  stay two stories (the BASIL pile: B-cubed F1 0.933 -> 1.0; ECB+ cross-validated 0.944 -> 0.935).
Names and numbers tell apart two events of one kind (two rehab stays, two earthquakes) whose
common words are alike. Stories are average-linkage groups of the scored pairs (every pair in
a pile of up to ALL_PAIRS_ARTICLES; beyond, each article's NEIGHBOURS most similar by words,
found through sparse products), so an article joins a story only if it pairs well with the
story's articles on average. Weights are fitted on the mixed ECB+ train pile, on its pairs that
share some words (the pairs a threshold decides between; word cosine itself weighs against once
word pairs, names and titles are counted), THRESHOLD chosen by cross-validation by topic over
train and dev (benchmarks/stories.py --fit --cv).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

import numpy as np
from scipy import sparse

from ..base.model import Article, Story, site_of, unique_ids
from ..base.naming import DATELINE, slug, story_label
from ..base.textnorm import content_tokens, name_tokens
from .linkage import best_first_linkage
from .rows import rowwise_dot, unit_rows

# align.py scores sentence pairs with this model too (same_event): after changing it, refit the
# alignment weights (benchmarks/fit_align.py)
WEIGHTS = {
    "bias": -3.1,
    "words": -5.73,
    "bigrams": 21.67,
    "names": 8.57,
    "lead": 3.98,
    "numbers": 5.45,
    "phrases": 2.07,
    "title": 13.29,
    "absent_names": -1.83,
}
EVIDENCE = ("words", "bigrams", "names", "lead", "numbers", "phrases", "title")
FEATURES = (*EVIDENCE, "absent_names")
THRESHOLD = 0.4
MIN_LINK_SCORE = 0.05  # pairs scoring less take no part in grouping
MIN_PILE = 800  # articles: a smaller pile weighs words as if it were part of a stream this big
NEIGHBOURS = 50  # candidate partners per article in a big pile
ALL_PAIRS_ARTICLES = 1500  # up to this every pair is scored (about a million pairs)
FULL_INDEX_ARTICLES = 2000  # up to this every stem finds candidates
INDEX_DF_SHARE = 0.05  # above it, stems in more than this share of articles find no candidates
DATE_WINDOW_DAYS = 365
DATE_NEAR_DAYS = 14  # an event's coverage spans days; beyond two weeks a pair needs much more
LATE_FACTOR = 0.3  # chosen on the dated BASIL pile and ECB+ cross-validation (benchmarks/stories.py)
LEAD_SENTENCES = 2
LABEL_WIDTH = 70

_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_TRIVIAL_NUMBERS = {"0", "1", "2", "3"}
_PHRASE = re.compile(r"\b[A-Z][a-z'’.-]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z'’-]+)+")
DATELINE_CHARS = 400  # a dateline sits at the top of the text


def article_day(article: Article) -> date | None:
    """The article's date: its metadata, else a dateline near the top ("Updated: Nov 11, 2011")."""
    if article.date:
        match = _ISO_DATE.match(article.date.strip())
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                pass
    for match in DATELINE.finditer(article.text[:DATELINE_CHARS]):
        month, day, year = (match[1], match[2], match[3]) if match[1] else (match[5], match[4], match[6])
        try:
            return date(int(year), _MONTHS.index(month[:3].lower()) + 1, int(day))
        except ValueError:
            continue
    return None


def _binary(documents: list[list[str]], index: dict[str, int]) -> sparse.csr_matrix:
    """0/1 rows: which tokens each document has, in the columns of `index` (grown as needed)."""
    rows, cols = [], []
    for row, tokens in enumerate(documents):
        for token in set(tokens):
            rows.append(row)
            cols.append(index.setdefault(token, len(index)))
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(documents), max(len(index), 1)))


def _absent_names(evidence: list[dict[str, list[str]]], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Of the names each article repeats (its protagonists), the share the other never names,
    averaged over both: two events of one kind differ in who they are about."""
    index: dict[str, int] = {}
    named = _binary([e["names"] for e in evidence], index)
    repeated = _binary([[n for n, count in Counter(e["names"]).items() if count >= 2] for e in evidence], index)
    named.resize(repeated.shape)
    sizes = np.asarray(repeated.sum(axis=1)).ravel()

    def missing(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        shared = rowwise_dot(repeated, x, y, named)
        return np.where(sizes[x] > 0, 1.0 - shared / np.maximum(sizes[x], 1), 0.0)

    return (missing(a, b) + missing(b, a)) / 2


def _evidence(article: Article) -> dict[str, list[str]]:
    """What an article says, as tokens per kind of evidence. Every line counts, datelines too:
    the day a story was told is evidence of which event it tells."""
    title = article.title if article.title and not article.title_derived else ""
    words = content_tokens(title + "\n" + article.text)
    lead = content_tokens(title)
    for sentence in [s for s in article.sentences if s.kind == "body"][:LEAD_SENTENCES]:
        lead.extend(content_tokens(sentence.text))
    return {
        "words": words,
        "bigrams": [f"{x} {y}" for x, y in zip(words, words[1:])],
        "names": [name for sentence in article.sentences for name in name_tokens(sentence.text)],
        "lead": lead,
        "numbers": sorted(set(_NUMBER.findall(article.text)) - _TRIVIAL_NUMBERS),
        "phrases": [p.lower() for p in _PHRASE.findall(title + "\n" + article.text)],
        "title": content_tokens(title),
    }


def _tfidf(documents: list[list[str]], min_pile: int | None = None) -> sparse.csr_matrix:
    """Rows of log-scaled counts times idf, each of length 1 (empty rows stay empty)."""
    index: dict[str, int] = {}
    columns = [index.setdefault(token, len(index)) for tokens in documents for token in tokens]
    rows = np.repeat(np.arange(len(documents)), [len(tokens) for tokens in documents])
    n = len(documents)
    matrix = sparse.csr_matrix((np.ones(len(columns)), (rows, columns)), shape=(n, len(index)))
    matrix.sum_duplicates()
    matrix.data = 1.0 + np.log(matrix.data)
    df = np.bincount(matrix.indices, minlength=len(index))
    # a small pile counts as part of a stream of MIN_PILE articles: in a folder of five reports
    # of one event, the event's own words are not common words
    pile = max(n, MIN_PILE if min_pile is None else min_pile)
    return unit_rows(matrix.multiply(np.log((pile + 1) / (df + 1)) + 1.0).tocsr())


def _candidates(words: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j): all of them in a small pile; in a big one, those where j is among i's
    NEIGHBOURS by word cosine or the other way round. Above FULL_INDEX_ARTICLES, stems that very
    many articles use find no candidates, so the products stay far below all pairs."""
    n = words.shape[0]
    if n <= ALL_PAIRS_ARTICLES:
        return np.triu_indices(n, 1)
    df = np.bincount(words.indices, minlength=words.shape[1])
    index = words
    if n > FULL_INDEX_ARTICLES:
        index = (words @ sparse.diags((df <= max(30, INDEX_DF_SHARE * n)).astype(np.float64))).tocsr()
        index.eliminate_zeros()
    firsts, seconds = [], []
    chunk = 1000
    for start in range(0, n, chunk):
        block = (index[start : start + chunk] @ index.T).tocsr()
        for offset in range(block.shape[0]):
            row = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            cols, vals = block.indices[lo:hi], block.data[lo:hi]
            keep = cols != row
            cols, vals = cols[keep], vals[keep]
            if len(cols) > NEIGHBOURS:
                cols = cols[np.argpartition(-vals, NEIGHBOURS)[:NEIGHBOURS]]
            firsts.append(np.full(len(cols), row))
            seconds.append(cols)
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    a, b = np.concatenate(firsts).astype(np.int64), np.concatenate(seconds).astype(np.int64)
    pairs = np.unique(np.minimum(a, b) * n + np.maximum(a, b))
    return pairs // n, pairs % n


def pair_features(articles: Sequence[Article]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs (a, b) and their FEATURES, a column each."""
    evidence = [_evidence(article) for article in articles]
    matrices = {name: _tfidf([e[name] for e in evidence]) for name in EVIDENCE}
    a, b = _candidates(matrices["words"])
    columns = [rowwise_dot(matrices[name], a, b) for name in EVIDENCE] + [_absent_names(evidence, a, b)]
    return a, b, np.stack(columns, axis=1)


def score_pairs(articles: Sequence[Article]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs (a, b) and the probability that each tells one event."""
    a, b, features = pair_features(articles)
    z = WEIGHTS["bias"] + features @ np.array([WEIGHTS[name] for name in FEATURES])
    scores = 1.0 / (1.0 + np.exp(-z))
    days = days_apart(articles, a, b)
    scores[days > DATE_NEAR_DAYS] *= LATE_FACTOR
    scores[days > DATE_WINDOW_DAYS] = 0.0  # two events however alike
    return a, b, scores


def days_apart(articles: Sequence[Article], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Days between the two articles of each pair, -1 where either has no date."""
    ordinal = np.array([d.toordinal() if d else -1 for d in map(article_day, articles)])
    known = (ordinal[a] >= 0) & (ordinal[b] >= 0)
    return np.where(known, np.abs(ordinal[a] - ordinal[b]), -1)


def find_stories(articles: Sequence[Article], threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of article indices, one per story: biggest first, then in pile order."""
    if not articles:
        return []
    return group_scored(len(articles), *score_pairs(articles), threshold)


def group_scored(
    n: int, a: np.ndarray, b: np.ndarray, scores: np.ndarray, threshold: float = THRESHOLD
) -> list[list[int]]:
    """Stories of n articles from their scored pairs (score_pairs): biggest first, then in pile order.
    Pairs under MIN_LINK_SCORE count as unscored (0): the same stories on the ECB+ piles, and the
    grouping of a thousand articles no longer folds half a million near-zero links."""
    keep = scores >= MIN_LINK_SCORE
    a, b, scores = a[keep], b[keep], scores[keep]
    grouped = [sorted(members) for members in best_first_linkage(n, a.tolist(), b.tolist(), scores.tolist(), threshold)]
    grouped.sort(key=lambda members: (-len(members), members[0]))
    return grouped


def stories_from(articles: Sequence[Article]) -> list[Story]:
    """The pile as stories, one event each, biggest first; each named by a label and a number."""
    stories = []
    for number, members in enumerate(find_stories(articles), start=1):
        chosen = [articles[i] for i in members]
        label = story_label(chosen)
        stories.append(Story(slug(label, number), unique_ids(chosen), title=label))
    return stories


def outlets_of(story: Story) -> list[str]:
    """The outlets of a story's articles: named, else the sites of their addresses (datasets'
    "unknown" is none; a byline or a title is not an outlet)."""
    return sorted({a.readable_name for a in story.articles if a.readable_name in (a.outlet, site_of(a.url))})


def date_span(story: Story) -> str:
    """'2011-11-10 – 2011-11-11', one day, or '' when no article has a date."""
    days = sorted(d for d in (article_day(a) for a in story.articles) if d)
    if not days:
        return ""
    return days[0].isoformat() if days[0] == days[-1] else f"{days[0].isoformat()} – {days[-1].isoformat()}"
