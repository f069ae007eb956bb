"""Alignment speed and memory, next to a naive all-pairs rapidfuzz baseline in the same run.

    python benchmarks/align.py [--sizes 100,300,1000] [--skip-naive-above N]

Clusters: the seeds, the largest ECB+ cluster, and synthetic clusters of N articles made from
ECB+ articles (cycled, each copy's sentences shuffled and one in five dropped, so that copies
are near-duplicates as syndicated news is). Peak memory is measured in a fresh process per run
(ru_maxrss), so runs do not inflate each other. Targets: seeds < 0.1 s, 100 articles < 1 s,
1000 articles < 15 s and < 2 GB.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "ecbplus")
sys.path.insert(0, ROOT)


def corpus_articles() -> list[dict]:
    articles = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*", "*.json"))):
        with open(path, encoding="utf-8") as handle:
            articles.extend(json.load(handle)["articles"])
    return articles


def synthetic(n: int) -> dict:
    rng = random.Random(n)
    source = corpus_articles()
    articles = []
    for i in range(n):
        base = source[i % len(source)]
        paragraphs = [p for p in base["text"].split("\n") if p.strip()]
        if i >= len(source):
            rng.shuffle(paragraphs)
            paragraphs = [p for p in paragraphs if rng.random() > 0.2] or paragraphs[:1]
        articles.append({"id": f"s{i}", "title": base.get("title") or "", "text": "\n\n".join(paragraphs)})
    return {"id": f"synthetic-{n}", "articles": articles}


def run_one(spec: str, naive: bool) -> dict:
    """In a child process: load the cluster, time align (and the naive baseline)."""
    code = f"""
import json, resource, sys, time
sys.path.insert(0, {ROOT!r}); sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
from align import load_spec
from tui.core.align import align
cluster = load_spec({spec!r})
sentences = [s.text for a in cluster.articles for s in a.sentences if s.kind == 'body']
started = time.perf_counter(); result = align(cluster.articles); ours = time.perf_counter() - started
out = {{'articles': len(cluster.articles), 'sentences': len(sentences), 'seconds': ours,
        'facts': len(result.facts), 'pairs': len(result.pairs),
        'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}
if {naive!r}:
    from rapidfuzz import fuzz, process
    started = time.perf_counter()
    process.cdist(sentences, sentences, scorer=fuzz.token_set_ratio, workers=-1, dtype='uint8')
    out['naive_seconds'] = time.perf_counter() - started
    out['naive_peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def load_spec(spec: str):
    from tui.core.loader import load_paths
    from tui.core.formats import _from_json_value

    if spec == "seeds":
        return load_paths([os.path.join(ROOT, "seeds")]).clusters[0]
    if spec.startswith("synthetic-"):
        return _from_json_value(synthetic(int(spec.split("-")[1])), spec, spec, "").clusters[0]
    return load_paths([spec]).clusters[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--skip-naive-above", type=int, default=1000,
                        help="articles above which the quadratic baseline is not run (it takes minutes)")
    args = parser.parse_args()
    if not os.path.isdir(CORPUS):
        sys.exit("../shared/corpus is not beside the project")
    largest = max(glob.glob(os.path.join(CORPUS, "*", "*.json")), key=lambda p: len(json.load(open(p))["articles"]))
    specs = [("seeds", "seeds"), (f"largest ECB+ ({os.path.basename(largest)})", largest)]
    specs += [(f"synthetic {n}", f"synthetic-{n}") for n in map(int, args.sizes.split(","))]
    print(f"{'cluster':32s} {'articles':>8s} {'sentences':>9s} {'align s':>8s} {'peak MB':>8s} "
          f"{'facts':>6s} {'naive cdist s':>13s} {'naive MB':>8s}")
    for label, spec in specs:
        n_articles = len(load_spec(spec).articles)
        row = run_one(spec, naive=n_articles <= args.skip_naive_above)
        naive = f"{row['naive_seconds']:13.2f} {row['naive_peak_mb']:8.0f}" if "naive_seconds" in row else f"{'skipped':>13s} {'':>8s}"
        print(f"{label:32s} {row['articles']:8d} {row['sentences']:9d} {row['seconds']:8.3f} {row['peak_mb']:8.0f} "
              f"{row['facts']:6d} {naive}", flush=True)


if __name__ == "__main__":
    main()
