"""Alignment speed and memory, next to the previous engine (the engine before the fact-level
score, commit OLD_ENGINE, read from git history) and a naive all-pairs rapidfuzz baseline in the
same run.

    python -m benchmarks.align [--sizes 100,300,1000] [--skip-naive-above N]

Stories: the seeds, the largest ECB+ story, and synthetic stories of N articles made from
ECB+ articles (cycled, each copy's sentences shuffled and one in five dropped, so that copies
are near-duplicates as syndicated news is). Peak memory is measured in a fresh process per run
(ru_maxrss), so runs do not inflate each other. Every row runs twice: on an idle machine, then
while another CPU-bound process spins on it ("loaded"), and the ratio of the two is printed.
The whole ECB+ corpus as one JSON Lines file (23 stories) is timed end to end as well.
Targets: seeds < 0.05 s, the ECB+ corpus < 3 s, 1000 articles < 10 s and < 1 GB; loaded no more
than 1.5x idle.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OLD_ENGINE = "c4982be"  # the last commit of the engine fitted on ECB+ event coreference
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "ecbplus")


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


def old_engine_folder() -> str | None:
    """A folder holding the old engine as the module old_align (its relative imports made
    absolute: it runs on today's model, rows and story finder), or None without git history."""
    try:
        source = subprocess.run(
            ["git", "-C", ROOT, "show", f"{OLD_ENGINE}:tui/core/align.py"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for old, new in (
        ("alignment", "engine.pairs"),
        ("collector", "base.collector"),
        ("linkage", "engine.linkage"),
        ("model", "base.model"),
        ("quotes", "engine.quotes"),
        ("rows", "engine.rows"),
        ("stories", "engine.story_finder"),
        ("textnorm", "base.textnorm"),
    ):
        source = source.replace(f"from .{old} import", f"from tui.{new} import")
    source = source.replace(
        "from tui.engine.pairs import FACT_LINK, ", "FACT_LINK = 0.82\nfrom tui.engine.pairs import "
    )
    source = source.replace(
        "return Alignment(pairs, facts, THRESHOLD, link)", "return Alignment(pairs, facts, THRESHOLD)"
    )
    source = source.replace("return Alignment([], [], THRESHOLD, fact_link)", "return Alignment([], [], THRESHOLD)")
    folder = tempfile.mkdtemp(prefix="broadsheet-old-engine-")
    with open(os.path.join(folder, "old_align.py"), "w", encoding="utf-8") as handle:
        handle.write(source)
    return folder


def run_one(spec: str, naive: bool, engine: str = "tui.engine.align", extra_path: str = "") -> dict:
    """In a child process: load the story, time align (and the naive baseline)."""
    code = f"""
import json, resource, sys, time
if {extra_path!r}: sys.path.insert(0, {extra_path!r})  # the old engine, written to a scratch folder
from benchmarks.align import load_spec
from {engine} import align
stories = load_spec({spec!r})
story = stories[0]
sentences = [s.text for c in stories for a in c.articles for s in a.sentences if s.kind == 'body']
started = time.perf_counter(); results = [align(c.articles) for c in stories]; ours = time.perf_counter() - started
out = {{'articles': sum(len(c.articles) for c in stories), 'sentences': len(sentences), 'seconds': ours,
        'facts': sum(len(r.facts) for r in results), 'pairs': sum(len(r.pairs) for r in results),
        'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}
if {naive!r}:
    from rapidfuzz import fuzz, process
    started = time.perf_counter()
    process.cdist(sentences, sentences, scorer=fuzz.token_set_ratio, workers=-1, dtype='uint8')
    out['naive_seconds'] = time.perf_counter() - started
    out['naive_peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def load_spec(spec: str):
    """The stories a row aligns (one, or every story of a JSONL file)."""
    from tui.ingest.formats import _from_json_value
    from tui.ingest.loader import load_paths

    if spec == "seeds":
        return load_paths([os.path.join(ROOT, "seeds")]).stories
    if spec.startswith("synthetic-"):
        return _from_json_value(synthetic(int(spec.split("-")[1])), spec, spec, "").stories
    return load_paths([spec]).stories


def corpus_jsonl() -> str:
    """Every ECB+ story, one a line, in a temporary file."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
    with handle:
        for path in sorted(glob.glob(os.path.join(CORPUS, "*", "*.json"))):
            with open(path, encoding="utf-8") as source:
                handle.write(json.dumps(json.load(source)) + "\n")
    return handle.name


def spinning():
    """Another CPU-bound process on the machine, as when the reader shares it with a build."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument(
        "--skip-naive-above",
        type=int,
        default=1000,
        help="articles above which the quadratic baseline is not run (it takes minutes)",
    )
    args = parser.parse_args()
    if not os.path.isdir(CORPUS):
        sys.exit("../shared/corpus is not beside the project")
    largest = max(glob.glob(os.path.join(CORPUS, "*", "*.json")), key=lambda p: len(json.load(open(p))["articles"]))
    specs = [
        ("seeds", "seeds"),
        (f"largest ECB+ ({os.path.basename(largest)})", largest),
        ("ECB+ corpus, 23 stories (JSONL)", corpus_jsonl()),
    ]
    specs += [(f"synthetic {n}", f"synthetic-{n}") for n in map(int, args.sizes.split(","))]
    old_folder = old_engine_folder()
    if old_folder is None:
        print(f"(no git history: the old engine of {OLD_ENGINE} is not timed)")
    print(
        f"{'cluster':32s} {'articles':>8s} {'sentences':>9s} {'align s':>8s} {'peak MB':>8s} "
        f"{'facts':>6s} {'loaded s':>8s} {'x idle':>6s} {'old s':>7s} {'old MB':>7s} {'old facts':>9s} "
        f"{'naive cdist s':>13s} {'naive MB':>8s}"
    )
    for label, spec in specs:
        n_articles = sum(len(c.articles) for c in load_spec(spec))
        row = run_one(spec, naive=n_articles <= args.skip_naive_above)
        busy = spinning()
        try:
            loaded = run_one(spec, naive=False)
        finally:
            busy.kill()
        old = (
            run_one(spec, naive=False, engine="old_align", extra_path=old_folder)
            if old_folder
            else {"seconds": float("nan"), "peak_mb": float("nan"), "facts": -1}
        )
        naive = (
            f"{row['naive_seconds']:13.2f} {row['naive_peak_mb']:8.0f}"
            if "naive_seconds" in row
            else f"{'skipped':>13s} {'':>8s}"
        )
        print(
            f"{label:32s} {row['articles']:8d} {row['sentences']:9d} {row['seconds']:8.3f} {row['peak_mb']:8.0f} "
            f"{row['facts']:6d} {loaded['seconds']:8.3f} {loaded['seconds'] / row['seconds']:6.2f} "
            f"{old['seconds']:7.3f} {old['peak_mb']:7.0f} {old['facts']:9d} {naive}",
            flush=True,
        )


if __name__ == "__main__":
    main()
