"""Alignment quality against the gold files in ../shared, with the shared scorer.

    python benchmarks/align_quality.py [--sweep] [--min-score S]

Prints P/R/F1 at the engine's own threshold on the seeds gold, ECB+ train and ECB+ dev
(gold_pairs and gold_pairs_strict); --sweep adds the hindsight-best threshold for comparison.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SHARED = os.path.join(ROOT, "..", "shared")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(SHARED, "tools"))

import score_alignment as scorer  # noqa: E402

from tui.core.align import align  # noqa: E402
from tui.core.loader import load_paths  # noqa: E402


def system_pairs(cluster, min_score=None):
    alignment = align(cluster.articles, min_score=min_score)
    text = {(a.id, s.id): s.text for a in cluster.articles for s in a.sentences}
    return [[p.a.article, text[(p.a.article, p.a.sentence)], p.b.article, text[(p.b.article, p.b.sentence)], p.score]
            for p in alignment.pairs]


def evaluate(name, gold_paths, clusters_by_id, key, sweep, min_score):
    golds = [g for path in gold_paths for g in scorer.load_gold(path, key)]
    system = {g.id: system_pairs(clusters_by_id[g.id], min_score) for g in golds}
    result = scorer.score_clusters(golds, system, min_score=None)
    line = (f"{name:18s} {key:18s} P={result['precision']:.3f} R={result['recall']:.3f} "
            f"F1={result['f1']:.3f}  (tp={result['tp']} fp={result['fp']} fn={result['fn']})")
    if sweep:
        best, _ = scorer.sweep(golds, system)
        if best:
            line += f"  hindsight best t={best[0]:.3f} F1={best[3]:.3f}"
    print(line)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--min-score", type=float, default=None)
    args = parser.parse_args()
    if not os.path.isdir(SHARED):
        sys.exit("../shared is not beside the project")
    seeds = load_paths([os.path.join(ROOT, "seeds")]).clusters[0]
    evaluate("seeds", [os.path.join(SHARED, "gold", "seeds.json")], {"seeds": seeds}, "gold_pairs", args.sweep, args.min_score)
    for split in ("train", "dev"):
        paths = sorted(glob.glob(os.path.join(SHARED, "corpus", "ecbplus", split, "*.json")))
        clusters = {c.id: c for path in paths for c in load_paths([path]).clusters}
        started = time.perf_counter()
        for key in ("gold_pairs", "gold_pairs_strict"):
            evaluate(f"ecb+ {split}", paths, clusters, key, args.sweep, args.min_score)
        _ = started


if __name__ == "__main__":
    main()
