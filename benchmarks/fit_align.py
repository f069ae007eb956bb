"""Fit the alignment score's logistic weights on gold clusters (a development tool).

    python benchmarks/fit_align.py [--seeds-weight W]

Labels every candidate pair of the ECB+ train clusters (and the seeds) with the shared scorer's
sentence mapping (gold / not gold / ignored), fits an L2-regularised logistic regression, and
prints weights to paste into tui/core/align.py with F1 at 0.5 on train, dev and seeds. The
seeds count with a total weight equal to ECB+ train's times W, as their "same fact" gold is
stricter than ECB+'s "same event"; dev is never used for fitting.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SHARED = os.path.join(ROOT, "..", "shared")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(SHARED, "tools"))

import score_alignment as scorer  # noqa: E402

from tui.core import align as engine  # noqa: E402
from tui.core.loader import load_paths  # noqa: E402


def labelled(split: str):
    if split == "seeds":
        items = [(load_paths([os.path.join(ROOT, "seeds")]).clusters[0], scorer.load_gold(os.path.join(SHARED, "gold", "seeds.json"))[0])]
    else:
        paths = sorted(glob.glob(os.path.join(SHARED, "corpus", "ecbplus", split, "*.json")))
        items = [(load_paths([p]).clusters[0], scorer.load_gold(p)[0]) for p in paths]
    rows, labels = [], []
    for cluster, gold in items:
        units = engine._units(cluster.articles, engine.DEFAULT_KINDS)
        matrices, bigrams, mass, numbers = engine._vectors(cluster.articles, units)
        a, b = engine._candidates(matrices, units)
        features = engine._features(matrices, bigrams, mass, numbers, units, a, b)
        names = sorted(features)
        table = np.stack([features[n] for n in names], axis=1)
        ids = [x.id for x in cluster.articles]
        text = {(x.id, s.id): s.text for x in cluster.articles for s in x.sentences}
        for row, i, j in zip(table, a, b):
            ua, ub = units[i], units[j]
            aa, ab = ids[ua.article], ids[ub.article]
            ma, mb = gold.map_sentence(aa, text[(aa, ua.sentence)]), gold.map_sentence(ab, text[(ab, ub.sentence)])
            refs = [frozenset([(aa, x), (ab, y)]) for x in ma for y in mb]
            if gold.has_annotation_flags:
                refs = [r for r in refs if all(gold.annotated(*k) for k in r)]
            if any(r in gold.gold for r in refs):
                label = 1
            elif (ma and mb and not refs) or (refs and all(r in gold.neutral for r in refs)):
                continue  # ignored by the scorer: neither rewarded nor punished
            else:
                label = 0
            rows.append(row)
            labels.append(label)
    return names, np.array(rows), np.array(labels)


def fit(x, y, weights, l2=1.0):
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    for _ in range(60):
        p = 1 / (1 + np.exp(-xb @ w))
        h = xb.T @ (xb * (p * (1 - p) * weights)[:, None]) + l2 * np.eye(len(w))
        w -= np.linalg.solve(h, xb.T @ ((p - y) * weights) + l2 * w)
    return w


def f1(x, y, w, t=0.5):
    p = 1 / (1 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ w))) >= t
    tp, fp, fn = (p & (y == 1)).sum(), (p & (y == 0)).sum(), (~p & (y == 1)).sum()
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return 2 * precision * recall / max(precision + recall, 1e-9), precision, recall


def fit_and_score(seeds_weight: float):
    """Fit on ECB+ train plus the seeds (weighted); F1/P/R at 0.5 and candidate counts per split."""
    names, xt, yt = labelled("train")
    _, xs, ys = labelled("seeds")
    _, xd, yd = labelled("dev")
    weights = np.concatenate([np.ones(len(yt)), np.full(len(ys), seeds_weight * len(yt) / len(ys))])
    w = fit(np.vstack([xt, xs]), np.concatenate([yt, ys]), weights)
    splits = {"train": (xt, yt), "dev": (xd, yd), "seeds": (xs, ys)}
    return names, w, {name: (f1(x, y, w), len(y)) for name, (x, y) in splits.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds-weight", type=float, default=0.5)
    args = parser.parse_args()
    names, w, scores = fit_and_score(args.seeds_weight)
    print("WEIGHTS = {" + ", ".join(f'"{n}": {v:.2f}' for n, v in zip(["bias"] + names, w)) + "}")
    for name, (values, count) in scores.items():
        print(f"{name:6s} candidates={count:5d} F1/P/R at 0.5: " + " ".join(f"{v:.3f}" for v in values))


if __name__ == "__main__":
    main()
