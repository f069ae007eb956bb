"""Fit the alignment score's logistic weights on the train clusters (a development tool).

    python benchmarks/fit_align.py [--seeds-weight W] [--folds K]

Labels every candidate pair with the shared scorer's sentence mapping (gold / not gold /
ignored) on ECB+ train clusters of both kinds: one-event (`ecbplus_subtopic`) and two-event
(`ecbplus`), each kind with the same total weight, plus the seeds at W times that. The target
is the mean of the loose and the strict label. Then the bias is shifted so that the threshold
that maximises the mean F1 over both kinds and both keys on train sits at THRESHOLD: one cut
for every kind of story. Cross-validation by ECB+ topic (a topic's clusters of both kinds stay
in one fold) shows how far the weights carry to unseen topics; dev is only scored, never fitted.
Prints the weights to paste into tui/core/align.py.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from corpora import KEYS, GoldSet, ecbplus, require_shared, seeds, topic  # noqa: E402

from tui.core import align as engine  # noqa: E402


def candidate_labels(gold, cluster, units, a, b) -> np.ndarray:
    """1 gold, 0 not gold, -1 ignored by the scorer (unannotated or neutral), per candidate."""
    ids = [x.id for x in cluster.articles]
    text = {(x.id, s.id): s.text for x in cluster.articles for s in x.sentences}
    out = np.empty(len(a), dtype=np.int8)
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist())):
        ua, ub = units[i], units[j]
        aa, ab = ids[ua.article], ids[ub.article]
        ma, mb = gold.map_sentence(aa, text[(aa, ua.sentence)]), gold.map_sentence(ab, text[(ab, ub.sentence)])
        if not ma or not mb:
            out[k] = 0  # the scorer counts an unmappable pair as a false positive
            continue
        refs = [frozenset([(aa, x), (ab, y)]) for x in ma for y in mb]
        if gold.has_annotation_flags:
            refs = [r for r in refs if all(gold.annotated(*key) for key in r)]
        if any(r in gold.gold for r in refs):
            out[k] = 1
        elif not refs or all(r in gold.neutral for r in refs):
            out[k] = -1
        else:
            out[k] = 0
    return out


class Labelled:
    """Every candidate pair of a gold set: features, labels per gold key, its cluster's topic."""

    def __init__(self, gold_set: GoldSet):
        self.name = gold_set.name
        tables, labels, topics = [], {key: [] for key in gold_set.keys}, []
        self.gold_total = {key: sum(len(g.gold) for g in golds) for key, golds in gold_set.golds.items()}
        for n, cluster in enumerate(gold_set.clusters):
            units = engine._units(cluster.articles, engine.DEFAULT_KINDS)
            if len({u.article for u in units}) < 2:
                continue
            vectors = engine._vectors(cluster.articles, units)
            a, b = engine._candidates(vectors[0], units)
            features = engine._features(*vectors, units, a, b, engine._same_event(cluster.articles, units, a, b))
            self.names = sorted(features)
            tables.append(np.stack([features[name] for name in self.names], axis=1))
            for key in gold_set.keys:
                labels[key].append(candidate_labels(gold_set.golds[key][n], cluster, units, a, b))
            topics += [topic(cluster.id)] * len(a)
        self.x = np.vstack(tables)
        self.labels = {key: np.concatenate(v) for key, v in labels.items()}
        self.topics = np.array(topics)

    def subset(self, mask: np.ndarray) -> "Labelled":
        part = object.__new__(Labelled)
        part.name, part.names, part.x, part.topics = self.name, self.names, self.x[mask], self.topics[mask]
        part.labels = {key: v[mask] for key, v in self.labels.items()}
        # gold pairs of the held-out clusters only, in proportion to their labelled positives
        part.gold_total = {key: int(round(self.gold_total[key] * (v[mask] == 1).sum() / max((v == 1).sum(), 1)))
                           for key, v in self.labels.items()}
        return part


def probabilities(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(w[0] + x @ w[1:])))


def fit(x: np.ndarray, target: np.ndarray, weights: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """L2-regularised logistic regression (Newton steps) on soft targets."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    for _ in range(60):
        p = 1.0 / (1.0 + np.exp(-xb @ w))
        hessian = xb.T @ (xb * (p * (1 - p) * weights)[:, None]) + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, xb.T @ ((p - target) * weights) + l2 * w)
    return w


def f1_curve(p: np.ndarray, labels: np.ndarray, gold_total: int, thresholds: np.ndarray) -> np.ndarray:
    """F1 over candidate pairs at each threshold (gold pairs never scored count as missed)."""
    counted = labels >= 0
    p, positive = p[counted], labels[counted] == 1
    order = np.argsort(-p)
    p, positive = p[order], positive[order]
    taken = np.searchsorted(-p, -thresholds, side="right")  # pairs with p >= t
    tp = np.r_[0, np.cumsum(positive)][taken]
    precision = tp / np.maximum(taken, 1)
    recall = tp / max(gold_total, 1)
    return 2 * precision * recall / np.maximum(precision + recall, 1e-9)


def mean_f1(w: np.ndarray, sets: list[Labelled], thresholds: np.ndarray) -> np.ndarray:
    curves = [f1_curve(probabilities(s.x, w), s.labels[key], s.gold_total[key], thresholds)
              for s in sets for key in KEYS if key in s.labels]
    return np.mean(curves, axis=0)


def train(sets: list[Labelled], seeds_set: Labelled | None, seeds_weight: float, l2: float) -> np.ndarray:
    xs, targets, weights = [], [], []
    for s in sets:
        loose, strict = s.labels["gold_pairs"], s.labels["gold_pairs_strict"]
        keep = loose >= 0
        xs.append(s.x[keep])
        targets.append((np.clip(loose[keep], 0, 1) + np.clip(strict[keep], 0, 1)) / 2.0)
        weights.append(np.full(keep.sum(), 1.0 / keep.sum()))
    if seeds_set is not None and seeds_weight > 0:
        labels = seeds_set.labels["gold_pairs"]
        keep = labels >= 0
        xs.append(seeds_set.x[keep])
        targets.append(labels[keep].astype(float))
        weights.append(np.full(keep.sum(), seeds_weight / keep.sum()))
    weights = np.concatenate(weights)
    w = fit(np.vstack(xs), np.concatenate(targets), weights * len(weights) / weights.sum(), l2)
    # one threshold for every kind: move the best cut on train to THRESHOLD
    thresholds = np.linspace(0.02, 0.98, 97)
    calibration = sets + ([seeds_set] if seeds_set is not None and seeds_weight > 0 else [])
    best = thresholds[int(np.argmax(mean_f1(w, calibration, thresholds)))]
    w[0] += np.log(engine.THRESHOLD / (1 - engine.THRESHOLD)) - np.log(best / (1 - best))
    return w


def at_threshold(w: np.ndarray, s: Labelled, key: str = "gold_pairs") -> tuple[float, float, float]:
    """F1, precision and recall over a set's candidates at THRESHOLD."""
    counted = s.labels[key] >= 0
    chosen = probabilities(s.x[counted], w) >= engine.THRESHOLD
    tp = int((chosen & (s.labels[key][counted] == 1)).sum())
    precision, recall = tp / max(int(chosen.sum()), 1), tp / max(s.gold_total[key], 1)
    return 2 * precision * recall / max(precision + recall, 1e-9), precision, recall


def fit_and_score(seeds_weight: float):
    """Fit as main() does; F1/P/R at THRESHOLD (loose key) and candidate counts per set. Used by
    align_embeddings.py to compare feature sets on the same basis."""
    train_sets = [Labelled(ecbplus("one-event", "train")), Labelled(ecbplus("two-event", "train"))]
    seed = Labelled(seeds())
    w = train(train_sets, seed, seeds_weight, 1.0)
    checked = train_sets + [seed, Labelled(ecbplus("one-event", "dev")), Labelled(ecbplus("two-event", "dev"))]
    return train_sets[0].names, w, {s.name: (at_threshold(w, s), len(s.x)) for s in checked}


def report(w: np.ndarray, sets: list[Labelled]) -> None:
    thresholds = np.linspace(0.01, 0.99, 99)
    for s in sets:
        for key in KEYS:
            if key not in s.labels:
                continue
            curve = f1_curve(probabilities(s.x, w), s.labels[key], s.gold_total[key], thresholds)
            at = f1_curve(probabilities(s.x, w), s.labels[key], s.gold_total[key], np.array([engine.THRESHOLD]))[0]
            print(f"  {s.name:16s} {key:18s} F1 at {engine.THRESHOLD}: {at:.3f}  "
                  f"best {curve.max():.3f} at {thresholds[curve.argmax()]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds-weight", type=float, default=0.5)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args()
    require_shared()
    one, two = Labelled(ecbplus("one-event", "train")), Labelled(ecbplus("two-event", "train"))
    seed = Labelled(seeds())
    dev = [Labelled(ecbplus("one-event", "dev")), Labelled(ecbplus("two-event", "dev"))]
    if args.folds > 1:
        topics = np.unique(one.topics)
        folds = np.arange(len(topics)) % args.folds
        print(f"cross-validation by topic ({args.folds} folds), held-out F1:")
        for k in range(args.folds):
            held = set(topics[folds == k])
            w = train([one.subset(~np.isin(one.topics, list(held))), two.subset(~np.isin(two.topics, list(held)))],
                      seed, args.seeds_weight, args.l2)
            report(w, [one.subset(np.isin(one.topics, list(held))), two.subset(np.isin(two.topics, list(held)))])
    w = train([one, two], seed, args.seeds_weight, args.l2)
    print("on train, seeds and dev:")
    report(w, [one, two, seed] + dev)
    print("WEIGHTS = {" + ", ".join(f'"{n}": {v:.2f}' for n, v in zip(["bias"] + one.names, w)) + "}")


if __name__ == "__main__":
    main()
