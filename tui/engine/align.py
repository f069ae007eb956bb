"""Cross-outlet alignment: which sentences of different articles report the same fact.

How it works, in the order data flows:
1. Each aligned sentence (body text, and headings long enough to be headlines) becomes weighted
   stems (textnorm); name variants that the story spells several ways (Sergei/Sergey,
   Bocharov/Bocharev) are merged into one token.
2. Weights come from the story itself: a stem that few sentences share is strong evidence.
3. Candidates come from sparse products of the sentences' stems, never from all pairs: each
   sentence keeps its best few partners in every other article (for big stories only through
   informative stems).
4. Each candidate gets features (shared words against what each sentence adds, weighted by
   rarity; TF-IDF cosine of the sentences with their neighbours and of their latent vectors;
   shared wording and quotations as word trigrams, quoted words; shared and differing numbers;
   how it ranks among the sentence's options; neighbours that align too; where the two stand in
   their articles; how likely the two articles tell one event, as
   the story finder judges it) and a logistic score in [0, 1]: the probability of the same
   fact, fitted on BASIL train stories (fact-level gold, benchmarks/fit_align.py) with the
   bias placed so that the cut chosen on dev is THRESHOLD. A near-identical sentence always
   pairs.
5. Facts: average-linkage groups of the pairs at the cut, one sentence per article, whose
   members pair with each other at the cut on average.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel, Levenshtein
from scipy import sparse
from threadpoolctl import threadpool_limits

from ..base.collector import collector_paused
from ..base.model import Article
from ..base.textnorm import content_tokens, fold, name_tokens
from .linkage import average_linkage
from .pairs import THRESHOLD, Alignment, Fact, Pair, SentenceKey
from .quotes import quoted_regions, regions_in
from .rows import rowwise_dot, unit_rows
from .story_finder import group_scored
from .story_finder import score_pairs as score_article_pairs

DEFAULT_KINDS = ("body",)

# Logistic model over the pair features (see _features), in the features' own units; fitted with
# benchmarks/fit_align.py on BASIL train (fact-level gold), "apart" on ECB+ train (BASIL's
# articles always tell one event). THRESHOLD (alignment.py) is the one cut for every story.
WEIGHTS = {
    "bias": -5.989,
    "apart": -2.000,
    "bigram": -1.067,
    "context": 1.200,
    "cosine": 1.240,
    "cover_large": -0.994,
    "heading": 1.549,
    "latent": 0.967,
    "lead": 0.526,
    "length": -0.344,
    "mutual": 0.309,
    "number_clash": 0.617,
    "numbers": 0.903,
    "other_quote": -1.227,
    "phrase": -2.531,
    "phrase_run": 1.941,
    "position": -1.085,
    "position_gap": -0.634,
    "quote": -0.380,
    "quoted_words": 1.084,
    "rank_a": 0.273,
    "rank_b": 0.422,
    "rare": 0.703,
    "short": -0.955,
    "specific": 1.137,
    "top": 1.913,
    "window": 6.872,
    "wording": 3.550,
}
CANDIDATES_PER_ARTICLE = 8  # per sentence and other article
NEAR_DUPLICATE = 0.9  # word-sequence similarity at which two sentences always pair
NEAR_DUPLICATE_TOKENS = 3  # content words, so "He said." never counts as a near-duplicate
NEAR_DUPLICATE_WINDOW = 0.3  # a cheap filter before comparing word sequences
QUOTE_TRIGRAMS = 4.0  # the quote feature counts shared quoted trigrams up to this
SAME_QUOTE = 3  # shared quoted trigrams at which two sentences always pair (BASIL train: 86% gold)
SAME_QUOTE_SCORE = 0.9
MAX_CANDIDATES = 120  # per sentence, over all other articles
MAX_CANDIDATES_LARGE = 24  # the same above LARGE_STORY: many outlets, or wire copies of one text
POSTING_CAP = 256  # sentences; above LARGE_STORY a stem in more pairs only neighbours in its postings
POSTING_WINDOW = 16
LARGE_STORY = 2000  # sentences; above it only each sentence's rarest stems find candidates
FULL_INDEX_UNITS = 1500  # sentences; up to this every stem finds candidates (below quadratic cost anyway)
INDEX_TOKENS = 10
INDEX_DF_SHARE = 0.2  # stems in more than this share of sentences find no candidates
LATENT_DIMS = 16
LATENT_OVERSAMPLE = 8  # extra random directions for the range finder
EXACT_LATENT_UNITS = 800  # sentences; up to this the latent space is exact
ONE_STORY_ARTICLES = 500  # above, the story finder does not weigh which articles tell one event
HEADLINE_TOKENS = 5  # content words that make a heading a headline, aligned like body text
NEIGHBOUR_WEIGHT = 0.5  # share of a neighbouring sentence's words in a sentence's window
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(slots=True)
class _Unit:
    article: int
    sentence: int
    tokens: list[str]  # stemmed content words
    words: list[str]  # every folded word, in order (for shared phrases)
    quoted: list[str]  # the folded words inside quotation marks
    quoted_tokens: list[str]  # and their stems
    order: int  # position among the article's aligned sentences
    heading: bool


def align(
    articles: Sequence[Article], kinds: Sequence[str] = DEFAULT_KINDS, min_score: float | None = None
) -> Alignment:
    """Align a story's articles. One cut means "the same fact" (THRESHOLD unless `min_score`
    moves it): pairs scoring at least the cut are listed, and facts group them."""
    # The dense steps are small: one BLAS thread is as quick, and threads that wait for a core
    # another process holds made a loaded machine several times slower.
    with threadpool_limits(limits=1, user_api="blas"), collector_paused():
        return _align(articles, kinds, THRESHOLD if min_score is None else min_score)


@dataclass(slots=True)
class Candidates:
    """Every candidate pair of a story with its features: what the score weighs (and what
    benchmarks/fit_align.py fits the weights on)."""

    units: list[_Unit]
    a: np.ndarray  # unit indices, a[k] < b[k], different articles
    b: np.ndarray
    features: dict[str, np.ndarray]


def candidates(articles: Sequence[Article], kinds: Sequence[str] = DEFAULT_KINDS) -> Candidates | None:
    """The candidate pairs and their features, or None when fewer than two articles have
    sentences to align."""
    units = _units(articles, kinds)
    if len(articles) < 2 or len({u.article for u in units}) < 2:
        return None
    matrices, bigrams, idf_mass, numbers = _vectors(articles, units)
    a, b = _candidates(matrices, units)
    if len(a) == 0:
        return None
    features = _features(matrices, bigrams, idf_mass, numbers, units, a, b, _same_event(articles, units, a, b))
    return Candidates(units, a, b, features)


def _align(articles: Sequence[Article], kinds: Sequence[str], cut: float) -> Alignment:
    found = candidates(articles, kinds)
    if found is None:
        return Alignment([], [], cut)
    units, cand_a, cand_b, features = found.units, found.a, found.b, found.features
    same_words = _near_duplicate(units, cand_a, cand_b, features["window"])
    scores = np.maximum(np.maximum(_score(features), same_words), _same_quotation(features))
    keep = scores >= cut
    ids = [a.id for a in articles]
    keys = [SentenceKey(ids[u.article], u.sentence) for u in units]
    # order as SentenceKey orders (article id, sentence), without comparing objects
    key_rank = np.empty(len(units), dtype=np.int64)
    key_rank[sorted(range(len(units)), key=keys.__getitem__)] = np.arange(len(units))
    a, b, scores, same_words = cand_a[keep], cand_b[keep], np.round(scores[keep], 4), same_words[keep] > 0
    swap = key_rank[b] < key_rank[a]
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    order = np.lexsort((key_rank[b], key_rank[a], -scores))
    a, b, scores, same_words = a[order], b[order], scores[order], same_words[order]
    pairs = [Pair(keys[i], keys[j], score) for i, j, score in zip(a.tolist(), b.tolist(), scores.tolist())]
    facts = _facts(a, b, scores, same_words, units, ids, cut)
    return Alignment(pairs, facts, cut)


def _same_quotation(features: dict[str, np.ndarray]) -> np.ndarray:
    """Two outlets quoting the same words (SAME_QUOTE trigrams or more, about five words) report
    the same statement, however differently they frame it: SAME_QUOTE_SCORE, else 0."""
    return np.where(features["quote"] * QUOTE_TRIGRAMS >= SAME_QUOTE, SAME_QUOTE_SCORE, 0.0)


def _near_duplicate(units: list[_Unit], a: np.ndarray, b: np.ndarray, window: np.ndarray) -> np.ndarray:
    """An identical or near-identical sentence in two outlets is the same statement whatever its
    length or surroundings: its similarity of words in order (0 unless above NEAR_DUPLICATE)."""
    out = np.zeros(len(a))
    for k in np.flatnonzero(window >= NEAR_DUPLICATE_WINDOW).tolist():
        first, second = units[a[k]].tokens, units[b[k]].tokens
        if min(len(first), len(second)) < NEAR_DUPLICATE_TOKENS:
            continue
        similarity = Indel.normalized_similarity(first, second)
        if similarity >= NEAR_DUPLICATE:
            out[k] = similarity
    return out


# Irregular forms of common news verbs (as textnorm.stem leaves them), so "felt" meets "feel"
_IRREGULAR = {
    "felt": "feel",
    "left": "leave",
    "went": "go",
    "gone": "go",
    "came": "come",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "made": "make",
    "met": "meet",
    "lost": "lose",
    "paid": "pay",
    "sent": "send",
    "spent": "spend",
    "wrote": "write",
    "written": "write",
    "brought": "bring",
    "bought": "buy",
    "thought": "think",
    "knew": "know",
    "known": "know",
    "held": "hold",
    "began": "begin",
    "begun": "begin",
    "ran": "run",
    "sought": "seek",
    "fought": "fight",
    "kept": "keep",
    "led": "lead",
    "fell": "fall",
    "fallen": "fall",
    "rose": "rise",
    "risen": "rise",
    "struck": "strike",
    "stood": "stand",
    "spoke": "speak",
    "spoken": "speak",
    "chose": "choose",
    "chosen": "choose",
    "drew": "draw",
    "drawn": "draw",
    "shot": "shoot",
    "sold": "sell",
    "heard": "hear",
    "found": "find",
    "built": "build",
    "caught": "catch",
    "fled": "flee",
    "hid": "hide",
    "hidden": "hide",
    "broke": "break",
    "broken": "break",
    "wore": "wear",
    "worn": "wear",
    "threw": "throw",
    "thrown": "throw",
    "grew": "grow",
    "grown": "grow",
    "dealt": "deal",
    "meant": "mean",
    "bore": "bear",
    "borne": "bear",
    "forgave": "forgive",
    "forgiven": "forgive",
    "undertook": "undertake",
}


def _lemmas(tokens: list[str]) -> list[str]:
    return [_IRREGULAR.get(t, t) for t in tokens]


def _units(articles: Sequence[Article], kinds: Sequence[str]) -> list[_Unit]:
    units = []
    for index, article in enumerate(articles):
        regions = quoted_regions(article.text)
        order = 0
        for sentence in article.sentences:
            if sentence.kind not in kinds and sentence.kind != "heading":
                continue
            tokens = _lemmas(content_tokens(sentence.text))
            # A headline-like heading states a fact ("Lohan Leaves Betty Ford, Checks Into
            # Malibu Rehab"); a short sub-heading ("Election interference?") does not.
            if sentence.kind == "heading" and "heading" not in kinds and len(tokens) < HEADLINE_TOKENS:
                continue
            if not tokens:
                continue
            folded = fold(sentence.text)
            # a quotation may open in an earlier sentence: the regions are the article's
            parts = [sentence.text[start:end] for start, end in regions_in(regions, sentence.start, sentence.end)]
            quoted = [w for part in parts for w in _WORD.findall(fold(part))]
            quoted_tokens = [t for part in parts for t in _lemmas(content_tokens(part))]
            units.append(
                _Unit(
                    index,
                    sentence.id,
                    tokens,
                    _WORD.findall(folded),
                    quoted,
                    quoted_tokens,
                    order,
                    sentence.kind == "heading",
                )
            )
            order += 1
    return units


def _variant_map(articles: Sequence[Article], vocabulary: set[str]) -> dict[str, str]:
    """Names spelled differently across outlets (Sergei/Sergey) mapped to one spelling."""
    names = sorted({t for a in articles for s in a.sentences for t in name_tokens(s.text)} & vocabulary)
    by_prefix: dict[str, list[str]] = {}
    for name in names:
        if len(name) >= 5 and not name.isdigit():
            by_prefix.setdefault(name[:3], []).append(name)
    mapping: dict[str, str] = {}
    for group in by_prefix.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if second not in mapping and Levenshtein.normalized_similarity(first, second) >= 0.8:
                    mapping[second] = mapping.get(first, first)
    return mapping


def _vectors(articles, units):
    """TF-IDF rows (L2-normalised), bigram rows, each row's total idf, and number sets."""
    vocabulary = {t for u in units for t in u.tokens}
    variants = _variant_map(articles, vocabulary)
    for unit in units:
        unit.tokens = [variants.get(t, t) for t in unit.tokens]
        unit.quoted_tokens = [variants.get(t, t) for t in unit.quoted_tokens]
    index: dict[str, int] = {}
    rows, cols, vals = [], [], []
    brows, bcols = [], []
    bindex: dict[tuple[str, str], int] = {}
    numbers = []
    for r, unit in enumerate(units):
        counts: dict[int, int] = {}
        for token in unit.tokens:
            column = index.setdefault(token, len(index))
            counts[column] = counts.get(column, 0) + 1
        for c, n in counts.items():
            rows.append(r)
            cols.append(c)
            vals.append(1.0 + math.log(n))
        for bigram in set(zip(unit.tokens, unit.tokens[1:])):
            brows.append(r)
            bcols.append(bindex.setdefault(bigram, len(bindex)))
        numbers.append({t for t in unit.tokens if not t.isalpha() and _DIGIT.search(t)})
    n = len(units)
    tf = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(index)), dtype=np.float64)
    df = np.bincount(cols, minlength=len(index))
    idf = np.log((n + 1) / (df + 1)) + 1.0
    weighted = tf.multiply(idf).tocsr()
    binary = tf.copy()
    binary.data[:] = 1.0
    idf_mass = np.asarray(binary.multiply(idf).sum(axis=1)).ravel()
    matrix = unit_rows(weighted)
    bdf = np.bincount(bcols, minlength=len(bindex)) if bcols else np.zeros(0)
    bidf = np.log((n + 1) / (bdf + 1)) + 1.0
    bmatrix = sparse.csr_matrix((bidf[bcols] if bcols else [], (brows, bcols)), shape=(n, len(bindex)))
    bmatrix = unit_rows(bmatrix)
    # binary idf rows, for the shared-rare-mass feature; "specific" also discounts stems that
    # every article uses (the story's own names: Pompeo, Sochi), which say nothing of one fact
    rare = binary.multiply(idf).tocsr()
    article_of_row = np.array([u.article for u in units])
    presence = sparse.csr_matrix(
        (np.ones(len(rows)), (article_of_row[rows], cols)), shape=(int(article_of_row.max()) + 1, len(index))
    )
    presence.data[:] = 1.0
    article_df = np.asarray(presence.sum(axis=0)).ravel()
    n_articles = presence.shape[0]
    spread = 1.0 - (article_df - 1) / max(n_articles - 1, 1)
    specific = binary.multiply(idf * spread).tocsr()
    # the stems inside quotation marks, idf-weighted: a quoted word found in the other sentence
    qrows = [r for r, unit in enumerate(units) for t in set(unit.quoted_tokens) if t in index]
    qcols = [index[t] for unit in units for t in set(unit.quoted_tokens) if t in index]
    quoted = sparse.csr_matrix((idf[qcols] if qcols else [], (qrows, qcols)), shape=(n, len(index)))
    return (matrix, rare, specific, _latent(matrix), quoted), bmatrix, idf_mass, numbers


def _latent(matrix: sparse.csr_matrix) -> np.ndarray:
    """Rows in a small latent space of the story's own vocabulary (LSA): stems that the
    story's sentences use together count as related (Venezuela ~ Maduro). Exact (through
    the small Gram matrix) for stories of usual size; beyond, a randomised range finder with
    a fixed seed. Neither runs a full decomposition of the sentences x stems matrix."""
    dims = min(LATENT_DIMS, min(matrix.shape) - 1)
    if dims < 2:
        return np.zeros((matrix.shape[0], 1))
    if matrix.shape[0] <= EXACT_LATENT_UNITS:
        values, vectors = np.linalg.eigh((matrix @ matrix.T).toarray())
        top = np.argsort(values)[::-1][:dims]
        latent = vectors[:, top] * np.sqrt(np.maximum(values[top], 0.0))
    else:
        probe = np.random.default_rng(0).standard_normal((matrix.shape[1], dims + LATENT_OVERSAMPLE))
        basis, _ = np.linalg.qr(matrix @ probe)
        for _ in range(2):
            basis, _ = np.linalg.qr(matrix @ (matrix.T @ basis))
        small_u, s, _ = np.linalg.svd((matrix.T @ basis).T, full_matrices=False)
        latent = (basis @ small_u[:, :dims]) * s[:dims]
    return latent / np.maximum(np.linalg.norm(latent, axis=1, keepdims=True), 1e-12)


def _candidates(matrices, units) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j, different articles) sharing informative stems; each sentence keeps its
    best CANDIDATES_PER_ARTICLE partners in every other article."""
    matrix = matrices[0]
    n = matrix.shape[0]
    article = np.array([u.article for u in units])
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    # Stems in very many sentences make the index quadratic and say little: not for candidates.
    cap = n if n <= FULL_INDEX_UNITS else max(30, int(INDEX_DF_SHARE * n))
    informative = sparse.diags((df <= cap).astype(np.float64))
    index = (matrix @ informative).tocsr()
    extra_rows = extra_cols = np.zeros(0, dtype=np.int64)
    extra_vals = np.zeros(0)
    if n > LARGE_STORY:
        index = _keep_rarest(index, df, INDEX_TOKENS)
        # A stem in very many sentences (wire copies of one text) would pair each with all the
        # others: there, each sentence meets only its neighbours in the stem's postings.
        crowded = np.bincount(index.indices, minlength=index.shape[1]) > POSTING_CAP
        if crowded.any():
            extra_rows, extra_cols = _posting_neighbours(index, crowded, POSTING_WINDOW)
            extra_vals = rowwise_dot(index, extra_rows, extra_cols)
            extra_rows, extra_cols = np.r_[extra_rows, extra_cols], np.r_[extra_cols, extra_rows]
            extra_vals = np.r_[extra_vals, extra_vals]
            order = np.argsort(extra_rows, kind="stable")
            extra_rows, extra_cols, extra_vals = extra_rows[order], extra_cols[order], extra_vals[order]
            index = (index @ sparse.diags((~crowded).astype(np.float64))).tocsr()
            index.eliminate_zeros()
    chosen_a, chosen_b = [], []
    chunk = 2048
    for start in range(0, n, chunk):
        block = (index[start : start + chunk] @ index.T).tocoo()
        lo, hi = np.searchsorted(extra_rows, [start, start + chunk])
        rows = np.r_[block.row + start, extra_rows[lo:hi]]
        cols = np.r_[block.col, extra_cols[lo:hi]]
        vals = np.r_[block.data, extra_vals[lo:hi]]
        mask = article[rows] != article[cols]
        rows, cols, vals = rows[mask], cols[mask], vals[mask]
        if len(rows) == 0:
            continue
        # best few per (row, other article): sort by row, article, -value and take the head
        order = np.lexsort((-vals, article[cols], rows))
        rows, cols = rows[order], cols[order]
        group = rows.astype(np.int64) * (article.max() + 1) + article[cols]
        first = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
        rank = np.arange(len(group)) - np.repeat(first, np.diff(np.r_[first, len(group)]))
        keep = rank < CANDIDATES_PER_ARTICLE
        rows, cols, vals = rows[keep], cols[keep], vals[order][keep]
        # and at most MAX_CANDIDATES per sentence overall, the strongest
        order = np.lexsort((-vals, rows))
        rows, cols = rows[order], cols[order]
        first = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
        rank = np.arange(len(rows)) - np.repeat(first, np.diff(np.r_[first, len(rows)]))
        keep = rank < (MAX_CANDIDATES if n <= LARGE_STORY else MAX_CANDIDATES_LARGE)
        chosen_a.append(rows[keep])
        chosen_b.append(cols[keep])
    if not chosen_a:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    a = np.concatenate(chosen_a)
    b = np.concatenate(chosen_b)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs = np.unique(lo.astype(np.int64) * n + hi)
    return pairs // n, pairs % n


def _posting_neighbours(index: sparse.csr_matrix, columns: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of rows at most `window` apart in the postings of the given columns: linear in the
    postings, where all pairs would be quadratic."""
    postings = index[:, np.flatnonzero(columns)].tocsc()
    postings.sort_indices()
    rows = postings.indices.astype(np.int64)
    column = np.repeat(np.arange(postings.shape[1]), np.diff(postings.indptr))
    firsts, seconds = [rows[:0]], [rows[:0]]
    for step in range(1, min(window, len(rows) - 1) + 1):
        same = column[step:] == column[:-step]
        firsts.append(rows[:-step][same])
        seconds.append(rows[step:][same])
    return np.concatenate(firsts), np.concatenate(seconds)


def _keep_rarest(index: sparse.csr_matrix, df: np.ndarray, k: int) -> sparse.csr_matrix:
    """Each row keeps only its k rarest stems: two sentences that report one fact share some
    of their rarest words, and the product of the index stays far below quadratic."""
    index.eliminate_zeros()
    lengths = np.diff(index.indptr)
    if lengths.max(initial=0) <= k:
        return index
    row = np.repeat(np.arange(index.shape[0]), lengths)
    order = np.lexsort((df[index.indices], row))  # by row, then rarest first
    rank = np.arange(len(order)) - np.repeat(index.indptr[:-1], lengths)
    keep = order[rank < k]
    return sparse.csr_matrix((index.data[keep], (row[keep], index.indices[keep])), shape=index.shape)


def _same_event(articles: Sequence[Article], units: list[_Unit], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each candidate, how likely its two articles tell one event: the story finder's pair
    score averaged with whether it puts the two in one story (which weighs each pair against the
    rest of the story). A story can hold two similar events, and sentences of articles that
    tell the same one report the same facts far more often.
    Above ONE_STORY_ARTICLES the story is taken as the one story it was given as: weighing every
    pair of so many articles (wire copies share every word) would cost more than the alignment.
    Below, an articles x articles table is small."""
    n = len(articles)
    if n > ONE_STORY_ARTICLES:
        return np.ones(len(a))
    first, second, scores = score_article_pairs(articles)
    story = np.empty(n, dtype=np.int64)
    for number, members in enumerate(group_scored(n, first, second, scores)):
        story[members] = number
    pair = np.zeros((n, n))
    pair[first, second] = pair[second, first] = scores
    article = np.array([u.article for u in units])
    x, y = article[a], article[b]
    return (pair[x, y] + (story[x] == story[y])) / 2


def _wordings(units: list[_Unit]) -> tuple[sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix]:
    """Binary rows of each sentence's words and word trigrams (stopwords kept: the wording
    itself), and of the trigrams inside its quotation marks. Shared trigrams find a quotation or
    a sentence copied with small changes, which stems alone confuse with any two sentences on
    one topic."""
    index: dict[str, int] = {}
    words = [np.array([index.setdefault(w, len(index)) for w in unit.words], dtype=np.int64) for unit in units]
    quoted = [np.array([index.setdefault(w, len(index)) for w in unit.quoted], dtype=np.int64) for unit in units]
    size = max(len(index), 1)

    def rows_of(sequences: list[np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
        """(row, code) of every n-gram, a code per distinct n-gram of word ids."""
        rows, codes = [], []
        for r, ids in enumerate(sequences):
            if len(ids) < n:
                continue
            code = ids[: len(ids) - n + 1].copy()
            for k in range(1, n):
                code = code * size + ids[k : len(ids) - n + 1 + k]
            rows.append(np.full(len(code), r))
            codes.append(code)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(codes)

    def binary(rows: np.ndarray, columns: np.ndarray, width: int) -> sparse.csr_matrix:
        matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(units), max(width, 1)))
        matrix.data[:] = 1.0  # a repeated word or trigram counts once
        return matrix

    word_rows, word_ids = rows_of(words, 1)
    tri_rows, tri_codes = rows_of(words, 3)
    quote_rows, quote_codes = rows_of(quoted, 3)
    # trigram codes can pass 2**63 for a huge vocabulary: their ranks are the columns instead
    distinct, columns = np.unique(np.r_[tri_codes, quote_codes], return_inverse=True)
    return (
        binary(word_rows, word_ids, size),
        binary(tri_rows, columns[: len(tri_codes)], len(distinct)),
        binary(quote_rows, columns[len(tri_codes) :], len(distinct)),
    )


def _features(matrices, bmatrix, idf_mass, numbers, units, a, b, same_event) -> dict[str, np.ndarray]:
    matrix, rare, specific, latent, quoted_stems = matrices
    cosine = rowwise_dot(matrix, a, b)
    related = np.einsum("ij,ij->i", latent[a], latent[b])
    shared_mass = _shared_mass(rare, a, b)
    top = _max_shared(rare, a, b) / max(math.log(len(units) + 1) + 1.0, 1.0)
    larger = np.maximum(idf_mass[a], idf_mass[b])
    article = np.array([u.article for u in units])
    rank_a = _relative_rank(cosine, a, article[b])
    rank_b = _relative_rank(cosine, b, article[a])
    sizes = np.array([len(u.tokens) for u in units])
    words, trigrams, quoted = _wordings(units)
    shared_trigrams = rowwise_dot(trigrams, a, b)
    word_counts = np.asarray(words.sum(axis=1)).ravel()
    counts = np.asarray(trigrams.sum(axis=1)).ravel()
    quoted_counts = np.asarray(quoted.sum(axis=1)).ravel()
    # a quotation of one found in the other's words, whichever carries the marks
    shared_quote = np.maximum(rowwise_dot(quoted, a, b, trigrams), rowwise_dot(trigrams, a, b, quoted))
    both_quote = (quoted_counts[a] > 0) & (quoted_counts[b] > 0)
    has_numbers = np.array([bool(found) for found in numbers])
    shared_numbers = _shared_numbers(numbers, a, b)
    order = np.array([u.order for u in units])
    heading = np.array([u.heading for u in units])
    last = np.zeros(int(article.max()) + 1)
    np.maximum.at(last, article, order)
    relative = order / np.maximum(last[article], 1)
    return {
        "cosine": cosine,
        "window": rowwise_dot(_windows(matrix, article), a, b),
        "latent": related,
        # how unlikely the two articles tell one event (a story can hold two similar ones)
        "apart": 1.0 - same_event,
        "bigram": rowwise_dot(bmatrix, a, b),
        "rare": np.minimum(shared_mass / 20.0, 2.0),
        "top": top,
        "specific": np.minimum(_shared_mass(specific, a, b) / 10.0, 1.5),
        # how much of each sentence the shared words cover: one may add details, not both
        "cover_large": shared_mass / np.maximum(larger, 1e-9),
        "phrase": shared_trigrams / np.maximum(np.minimum(counts[a], counts[b]), 1.0),
        "phrase_run": np.minimum(shared_trigrams, 6.0) / 6.0,
        "quote": np.minimum(shared_quote, QUOTE_TRIGRAMS) / QUOTE_TRIGRAMS,
        "quoted_words": _quoted_words(quoted_stems, rare, a, b),
        # two quotations that share no words: two different things said
        "other_quote": (both_quote & (shared_quote == 0)).astype(np.float64),
        "numbers": shared_numbers,
        "number_clash": (has_numbers[a] & has_numbers[b] & (shared_numbers == 0)).astype(np.float64),
        "rank_a": rank_a,
        "rank_b": rank_b,
        "mutual": ((rank_a >= 1.0) & (rank_b >= 1.0)).astype(np.float64),
        "context": _context(cosine, a, b, article),
        "lead": ((order[a] < 2) & (order[b] < 2)).astype(np.float64),
        "heading": (heading[a] | heading[b]).astype(np.float64),
        "short": (np.minimum(sizes[a], sizes[b]) <= 4).astype(np.float64),
        "position": np.maximum(relative[a], relative[b]),
        "position_gap": np.abs(relative[a] - relative[b]),
        # the share of the shorter sentence's words (stopwords too) that the other has
        "wording": rowwise_dot(words, a, b) / np.maximum(np.minimum(word_counts[a], word_counts[b]), 1.0),
        "length": np.log1p(np.minimum(sizes[a], sizes[b])),
    }


def _quoted_words(quoted: sparse.csr_matrix, rare: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The share (by idf) of one sentence's quoted stems that the other has, the larger of the
    two ways: a word or two quoted by both ("very badly") is one quotation."""
    present = rare.copy()
    present.data[:] = 1.0
    mass = np.asarray(quoted.sum(axis=1)).ravel()
    forward = rowwise_dot(quoted, a, b, present) / np.maximum(mass[a], 1e-9)
    backward = rowwise_dot(quoted, b, a, present) / np.maximum(mass[b], 1e-9)
    return np.maximum(forward, backward)


def _shared_numbers(numbers: list[set[str]], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 where the two sentences share a number, else 0 (only pairs that both have one are looked at)."""
    has = np.array([bool(found) for found in numbers])
    out = np.zeros(len(a))
    both = np.flatnonzero(has[a] & has[b])
    out[both] = [bool(numbers[i] & numbers[j]) for i, j in zip(a[both].tolist(), b[both].tolist())]
    return out


def _windows(matrix: sparse.csr_matrix, article: np.ndarray) -> sparse.csr_matrix:
    """Each sentence's row plus half of each neighbour's in its article, L2-normalised: a fact
    is often told over two sentences, and the one that names it lends words to the other
    ("He said: ..." after "Pompeo warned Iran")."""
    n = matrix.shape[0]
    same = (article[1:] == article[:-1]).astype(np.float64) * NEIGHBOUR_WEIGHT
    rows = np.arange(n - 1)
    shift = sparse.csr_matrix((np.r_[same, same], (np.r_[rows + 1, rows], np.r_[rows, rows + 1])), shape=(n, n))
    return unit_rows(matrix + shift @ matrix)


def _shared_mass(rare: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sum of idf over the stems two sentences share."""
    ones = rare.copy()
    ones.data[:] = 1.0
    return rowwise_dot(rare, a, b, ones)


def _max_shared(rare: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The idf of the rarest stem two sentences share."""
    product = rare[a].multiply(rare[b] > 0).tocsr()
    return np.asarray(product.max(axis=1).todense()).ravel()


def _relative_rank(cosine: np.ndarray, side: np.ndarray, other_article: np.ndarray) -> np.ndarray:
    """A pair's cosine over the best cosine of that sentence in that other article (1 = best)."""
    _, group = np.unique(side.astype(np.int64) * (int(other_article.max()) + 1) + other_article, return_inverse=True)
    best = np.zeros(group.max() + 1)
    np.maximum.at(best, group, cosine)
    return np.divide(cosine, best[group], out=np.zeros_like(cosine), where=best[group] > 0)


def _context(cosine: np.ndarray, a: np.ndarray, b: np.ndarray, article: np.ndarray) -> np.ndarray:
    """Do the neighbours align too? Best cosine among the candidate pairs (a±1, b±1)."""
    n = len(article)
    codes = a.astype(np.int64) * n + b
    order = np.argsort(codes)
    sorted_codes, sorted_cos = codes[order], cosine[order]
    out = np.zeros(len(a))
    for di in (-1, 1):
        for dj in (-1, 1):
            ni, nj = a + di, b + dj
            valid = (ni >= 0) & (ni < n) & (nj >= 0) & (nj < n)
            ni, nj = np.where(valid, ni, 0), np.where(valid, nj, 0)
            valid &= (article[ni] == article[a]) & (article[nj] == article[b])
            lo, hi = np.minimum(ni, nj), np.maximum(ni, nj)
            wanted = lo.astype(np.int64) * n + hi
            at = np.clip(np.searchsorted(sorted_codes, wanted), 0, max(len(sorted_codes) - 1, 0))
            found = valid & (sorted_codes[at] == wanted)
            out = np.maximum(out, np.where(found, sorted_cos[at], 0.0))
    return out


def _score(features: dict[str, np.ndarray]) -> np.ndarray:
    z = np.full(len(next(iter(features.values()))), WEIGHTS["bias"])
    for name, values in features.items():
        z += WEIGHTS[name] * values
    return 1.0 / (1.0 + np.exp(-z))


def _facts(
    a: np.ndarray,
    b: np.ndarray,
    scores: np.ndarray,
    same_words: np.ndarray,
    units: list[_Unit],
    ids: list[str],
    link: float,
) -> list[Fact]:
    """Facts from the pairs (unit indices, strongest first) by average linkage at `link`: a
    sentence that pairs well with one member of a fact but not with the rest stays out, so facts
    do not chain into neighbouring facts; one sentence per outlet keeps a fact to one statement.
    Two near-identical sentences (`same_words`) join without the average: the same words do not
    drift into another fact, and wire copies are too many to score every pair of."""
    groups = average_linkage(
        a.tolist(), b.tolist(), scores.tolist(), link, parts=[u.article for u in units], always=same_words.tolist()
    )
    group_of = {unit: group for group, grouped in groups.items() for unit in grouped}
    inside: dict[int, list[float]] = {}
    for i, j, score in zip(a.tolist(), b.tolist(), scores.tolist()):
        if group_of[i] == group_of[j]:
            inside.setdefault(group_of[i], []).append(score)
    facts = []
    for group, grouped in groups.items():
        if len(grouped) < 2:
            continue
        ordered = sorted(grouped)  # unit indices run in reading order (article, then sentence)
        by_article = {ids[units[unit].article]: [units[unit].sentence] for unit in ordered}
        facts.append((ordered[0], round(float(np.mean(inside[group])), 4), by_article))
    facts.sort(key=lambda item: item[0])
    return [Fact(n, score, by_article) for n, (_, score, by_article) in enumerate(facts)]
