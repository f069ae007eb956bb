"""The story finder on mixed piles of real articles, next to a plain TF-IDF baseline.

    python -m benchmarks.stories            # quality on the train and dev piles, speed on 535 articles
    python -m benchmarks.stories --large 5000,20000  # also synthetic piles (time, peak memory, growth)
    python -m benchmarks.stories --fit      # refit the pair model's weights on the train pile
    python -m benchmarks.stories --cv       # also cross-validate by topic (4 folds over train and dev)

The piles: every article of ../shared/corpus/ecbplus_subtopic/{train,dev} (one ECB+ sub-topic
= one event), shuffled, without story ids; and a dated pile, the BASIL stories' articles
(../shared/corpus/basil/{train,dev}: three outlets on one event each, 2010-2019).
Scored with B-cubed precision, recall and F1
against the events. The baseline: TF-IDF cosine of the articles' words, average linkage over
all pairs, its threshold the best on the train pile.
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import re
import resource
import time
from collections import Counter

import numpy as np

from benchmarks.corpora import SHARED, require_shared
from tui.base.model import Article
from tui.engine import story_finder as stories
from tui.ingest.loader import load_paths


def _shuffled(pattern: str, seed: int) -> tuple[list[Article], list[str]]:
    """Every article of the cluster files matching `pattern`, shuffled, with its story's id."""
    articles, events = [], []
    for path in sorted(glob.glob(pattern)):
        story = load_paths([path]).stories[0]
        articles += story.articles
        events += [story.id] * len(story.articles)
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    return [articles[i] for i in order], [events[i] for i in order]


def pile(split: str, seed: int = 0) -> tuple[list[Article], list[str]]:
    return _shuffled(os.path.join(SHARED, "corpus", "ecbplus_subtopic", split, "*.json"), seed)


def dated_pile(seed: int = 0) -> tuple[list[Article], list[str]]:
    """Every article of the BASIL stories (train and dev; Fox News, The New York Times and
    HuffPost on one event each, 2010-2019, all dated), shuffled: one story = one event. Two
    stories of one kind months apart (two Benghazi hearings) are what dates tell apart."""
    return _shuffled(os.path.join(SHARED, "corpus", "basil", "*", "*.json"), seed)


def bcubed(predicted: list[int], gold: list[str]) -> tuple[float, float, float]:
    in_predicted, in_gold, both = Counter(predicted), Counter(gold), Counter(zip(predicted, gold))
    precision = sum(both[(p, g)] / in_predicted[p] for p, g in zip(predicted, gold)) / len(gold)
    recall = sum(both[(p, g)] / in_gold[g] for p, g in zip(predicted, gold)) / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def labels_of(groups: list[list[int]], n: int) -> list[int]:
    out = [0] * n
    for number, members in enumerate(groups):
        for i in members:
            out[i] = number
    return out


def baseline(articles: list[Article], threshold: float) -> list[int]:
    """TF-IDF cosine of all words, average linkage over every pair (scipy)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    from tui.base.textnorm import content_tokens

    matrix = stories._tfidf([content_tokens(a.title + "\n" + a.text) for a in articles], min_pile=1)  # plain idf
    distance = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform((distance + distance.T) / 2, checks=False), "average")
    return fcluster(tree, 1.0 - threshold, "distance").tolist()


def logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression by Newton steps: the weights, bias first."""
    x = np.c_[np.ones(len(x)), x]
    w = np.zeros(x.shape[1])
    for _ in range(40):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        hessian = (x * (p * (1 - p))[:, None]).T @ x + 1e-3 * np.eye(len(w))
        w -= np.linalg.solve(hessian, x.T @ (p - y))
    return w


# The model is fitted on the pairs that share some words: pairs that share almost none are never
# one story whatever the weights, and, a hundred times as many, they would set the weights.
FIT_MIN_WORDS = 0.1  # word cosine


def fit_pairs(articles: list[Article], events: list[str]) -> np.ndarray:
    """Logistic 'same event' weights (bias first) on the pile's pairs that share some words."""
    a, b, x = stories.pair_features(articles)
    gold = np.array(events)
    hard = x[:, stories.FEATURES.index("words")] >= FIT_MIN_WORDS
    return logistic(x[hard], (gold[a] == gold[b])[hard].astype(float))


def fit(articles: list[Article], events: list[str]) -> None:
    """Fits the pair model on the pile; the weights go into the module."""
    w = fit_pairs(articles, events)
    fitted = dict(zip(["bias", *stories.FEATURES], np.round(w, 2).tolist()))
    print("WEIGHTS =", fitted)
    stories.WEIGHTS.update(fitted)


def cross_validate(articles: list[Article], events: list[str], thresholds, folds: int = 4) -> dict[float, float]:
    """Mean B-cubed F1 over held-out topics: weights fitted on the other topics' pile, each
    fold's pile sorted alone. A topic's two events stay in one fold."""
    topic = np.array([re.match(r"\d+", e).group() for e in events])
    names = sorted(set(topic), key=int)
    fold_of = np.array([names.index(t) % folds for t in topic])
    gold = np.array(events)
    saved = dict(stories.WEIGHTS)
    scores = {t: 0.0 for t in thresholds}
    try:
        for k in range(folds):
            train, held = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
            stories.WEIGHTS.update(
                zip(["bias", *stories.FEATURES], fit_pairs([articles[i] for i in train], list(gold[train])))
            )
            part = [articles[i] for i in held]
            for t in thresholds:
                scores[t] += bcubed(labels_of(stories.find_stories(part, t), len(part)), list(gold[held]))[2] / folds
    finally:
        stories.WEIGHTS.update(saved)
    return scores


def synthetic(n: int, articles: list[Article]) -> list[Article]:
    """n articles: copies of the real ones whose names and numbers carry a copy mark, so that
    each copy of an event is an event of its own, with the sizes and wording of real news."""
    from tui.ingest.structure import article_from_text

    out = []
    copy = 0
    while len(out) < n:
        mark = "".join("qxzjvkwyfh"[int(d)] for d in f"{copy:04d}")

        def marked(text: str, mark: str = mark, copy: int = copy) -> str:
            text = re.sub(r"\b([A-Z][a-z]{2,})", lambda m: mark.capitalize() + m[1].lower(), text)
            return re.sub(r"\b(\d+)\b", lambda m: str(int(m[1]) + 7 * copy), text)

        for article in articles[: n - len(out)]:
            out.append(article_from_text(f"{article.id}-{copy}", marked(article.text), title=marked(article.title)))
        copy += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", default="", help="also time synthetic piles of these sizes (comma-separated)")
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--cv", action="store_true")
    args = parser.parse_args()
    require_shared()
    piles = {"train": pile("train"), "dev": pile("dev"), "dated": dated_pile()}
    if args.fit:
        fit(*piles["train"])
    if args.cv:
        articles = piles["train"][0] + piles["dev"][0]
        scores = cross_validate(articles, piles["train"][1] + piles["dev"][1], [0.25, 0.3, 0.35, 0.4, 0.45, 0.5])
        print(
            "cross-validation by topic, mean held-out B-cubed F1 by threshold: "
            + ", ".join(f"{t:.2f}: {f:.3f}" for t, f in scores.items())
            + f"  (THRESHOLD is {stories.THRESHOLD})"
        )
    sweep = np.arange(0.04, 0.5, 0.02)
    base_train = {float(t): bcubed(baseline(piles["train"][0], float(t)), piles["train"][1])[2] for t in sweep}
    base_threshold = max(base_train, key=base_train.get)
    print(f"baseline: TF-IDF cosine + average linkage, threshold {base_threshold:.2f} (best on train)")
    print(
        f"{'pile':<8}{'articles':>9}{'events':>8}{'stories':>9}   {'B3 P':>6}{'B3 R':>6}{'B3 F1':>7}   {'baseline F1':>11}   time"  # noqa: E501
    )
    for name, (articles, events) in piles.items():
        started = time.perf_counter()
        groups = stories.find_stories(articles)
        elapsed = time.perf_counter() - started
        p, r, f1 = bcubed(labels_of(groups, len(articles)), events)
        base = bcubed(baseline(articles, base_threshold), events)[2]
        print(
            f"{name:<8}{len(articles):>9}{len(set(events)):>8}{len(groups):>9}   {p:>6.3f}{r:>6.3f}{f1:>7.3f}   {base:>11.3f}   {elapsed:.2f} s"  # noqa: E501
        )
    everything = piles["train"][0] + piles["dev"][0]  # the ECB+ piles
    started = time.perf_counter()
    groups = stories.find_stories(everything)
    elapsed = time.perf_counter() - started
    f1 = bcubed(labels_of(groups, len(everything)), piles["train"][1] + piles["dev"][1])[2]
    print(f"all {len(everything)} articles (train and dev mixed): B-cubed F1 {f1:.3f}, {elapsed:.2f} s")
    previous = None
    for size in [int(n) for n in args.large.split(",") if n.strip()]:
        big = synthetic(size, everything)
        started = time.perf_counter()
        groups = stories.find_stories(big)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        growth = ""
        if previous:
            growth = (
                f"; {size / previous[0]:.1f}x the articles took {elapsed / previous[1]:.1f}x the time "
                f"(all pairs would be {(size / previous[0]) ** 2:.0f}x)"
            )
        print(
            f"synthetic pile of {size} articles ({-(-size // len(everything))} marked copies of the {len(everything)}): "  # noqa: E501
            f"{elapsed:.1f} s, {len(groups)} stories, peak memory so far {peak:.0f} MB{growth}"
        )
        previous = (size, elapsed)
        del big, groups


if __name__ == "__main__":
    main()
