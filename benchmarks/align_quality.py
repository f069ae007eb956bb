"""Alignment quality on every gold set in ../shared, with the shared scorer.

    python -m benchmarks.align_quality [--split dev|train|both]

For BASIL (the fact-level target), the seeds, and one-event and two-event ECB+ stories (both
gold keys; `gold_pairs` is event coreference, reported, no target):
- P/R/F1 at the engine's own threshold, and the hindsight-best threshold with its F1;
- facts: precision and recall of the sentence pairs the facts imply (every two members of one
  fact from different articles), on annotated sentences;
- candidate recall: the share of gold pairs the engine ever scores, and candidates per sentence;
- two baselines computed in the same run: a plain TF-IDF cosine over every cross-article pair
  of aligned sentences (at its hindsight-best threshold, so an upper bound for it) and pairing
  everything.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.corpora import GoldSet, basil, ecbplus, require_shared, scorer, seeds
from tui.engine import align as engine


def _texts(story):
    return {(a.id, s.id): s.text for a in story.articles for s in a.sentences}


def engine_pairs(story):
    """Every scored pair (the cut at 0, for the sweep) and the pairs the facts imply at the
    engine's own cut."""
    alignment = engine.align(story.articles, min_score=0.0)
    text = _texts(story)
    pairs = [
        [p.a.article, text[(p.a.article, p.a.sentence)], p.b.article, text[(p.b.article, p.b.sentence)], p.score]
        for p in alignment.pairs
    ]
    implied = []
    for fact in engine.align(story.articles).facts:
        keys = list(fact.keys())
        implied += [
            [x.article, text[(x.article, x.sentence)], y.article, text[(y.article, y.sentence)], 1.0]
            for n, x in enumerate(keys)
            for y in keys[n + 1 :]
            if x.article != y.article
        ]
    return pairs, implied


def baseline_pairs(story):
    """TF-IDF cosine of every cross-article pair of the sentences the engine aligns."""
    units = engine._units(story.articles, engine.DEFAULT_KINDS)
    if len({u.article for u in units}) < 2:
        return [], []
    matrix = engine._vectors(story.articles, units)[0][0]
    cosine = (matrix @ matrix.T).toarray()
    article = np.array([u.article for u in units])
    i, j = np.triu_indices(len(units), 1)
    keep = article[i] != article[j]
    text = _texts(story)
    ids = [a.id for a in story.articles]
    rows = []
    for x, y in zip(i[keep].tolist(), j[keep].tolist()):
        ux, uy = units[x], units[y]
        ax, ay = ids[ux.article], ids[uy.article]
        rows.append([ax, text[(ax, ux.sentence)], ay, text[(ay, uy.sentence)], float(cosine[x, y])])
    return rows, [r[:4] + [1.0] for r in rows]


def candidate_recall(golds, system):
    """Share of gold pairs among the scored candidates (the engine's pairs at min-score 0)."""
    found = total = 0
    for g in golds:
        predicted = {rp for _, rp in scorer.predicted(g, system.get(g.id, []), "auto") if rp is not None}
        found += len(predicted & g.gold)
        total += len(g.gold)
    return found / max(total, 1)


def evaluate(gold_set: GoldSet) -> None:
    started = time.perf_counter()
    runs = {c.id: engine_pairs(c) for c in gold_set.stories}
    seconds = time.perf_counter() - started
    pairs = {cid: run[0] for cid, run in runs.items()}
    implied = {cid: run[1] for cid, run in runs.items()}
    base = {c.id: baseline_pairs(c) for c in gold_set.stories}
    cosine = {cid: b[0] for cid, b in base.items()}
    everything = {cid: b[1] for cid, b in base.items()}
    units = sum(len(engine._units(c.articles, engine.DEFAULT_KINDS)) for c in gold_set.stories)
    candidates = sum(len(p) for p in pairs.values())
    print(
        f"\n{gold_set.name}: {len(gold_set.stories)} clusters, {units} aligned sentences, "
        f"{2 * candidates / max(units, 1):.1f} candidates per sentence, aligned in {seconds:.2f} s"
    )
    for key, golds in gold_set.golds.items():
        at = scorer.score_clusters(golds, pairs, min_score=engine.THRESHOLD)
        best, _ = scorer.sweep(golds, pairs)
        facts = scorer.score_clusters(golds, implied)
        cos_best, _ = scorer.sweep(golds, cosine)
        every = scorer.score_clusters(golds, everything)
        print(
            f"  {key:18s} at {engine.THRESHOLD}: P={at['precision']:.3f} R={at['recall']:.3f} F1={at['f1']:.3f}"
            f" | hindsight F1={best[3]:.3f} (t={best[0]:.3f})"
            f" | facts P={facts['precision']:.3f} R={facts['recall']:.3f} ({facts['tp']}/{facts['tp'] + facts['fp']})"
            f" | candidate recall={candidate_recall(golds, pairs):.3f}"
            f" | TF-IDF cosine F1={cos_best[3]:.3f} (t={cos_best[0]:.3f}), everything F1={every['f1']:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("dev", "train", "both"), default="dev")
    args = parser.parse_args()
    require_shared()
    splits = ("train", "dev") if args.split == "both" else (args.split,)
    for split in splits:
        evaluate(basil(split))
    evaluate(seeds())
    for split in splits:
        for kind in ("one-event", "two-event"):
            evaluate(ecbplus(kind, split))


if __name__ == "__main__":
    main()
