"""Batch throughput and memory: a synthetic archive of 5,000 small stories made from the shared
corpus articles (2-5 articles each, drawn with a fixed seed), aligned as one JSON Lines stream
with `--jobs 1`, `--jobs 2` and on a two-worker Dask LocalCluster, in one run; plus 500 clusters
with `--jobs 2` to show that memory does not grow with the input.

    python -m benchmarks.batch [--stories 5000]

Prints stories/s and peak memory (the command's process, and its workers) for each. Targets on
a 2-core machine: `--jobs 2` at least 1.7x `--jobs 1`; the LocalCluster within 80% of `--jobs 2`;
the three outputs identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# runs the command in-process and reports its own peak memory and its worker processes'
RUNNER = r"""
import resource, sys
from tui.cli import main
code = main(ARGS)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"\nMEMORY {own:.0f} {workers:.0f} {code}", file=sys.stderr)
"""


def archive(path: str, count: int) -> None:
    from benchmarks.align import corpus_articles

    articles = corpus_articles()
    rng = random.Random(count)
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            chosen = rng.sample(articles, rng.randint(2, 5))
            out.write(
                json.dumps(
                    {"id": f"c{n}", "articles": [{**a, "id": f"{a['id']}-{k}"} for k, a in enumerate(chosen)]},
                    ensure_ascii=False,
                )
                + "\n"
            )


def run(args: list[str], output: str) -> dict:
    code = f"ROOT = {ROOT!r}\nARGS = {args + ['-o', output]!r}\n" + RUNNER
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    line = next((text for text in done.stderr.splitlines() if text.startswith("MEMORY ")), None)
    if line is None:
        sys.exit(done.stderr[-2000:])
    _, own, workers, exit_code = line.split()
    with open(output, "rb") as handle:
        digest = hashlib.sha1(handle.read()).hexdigest()[:12]
    return {
        "seconds": seconds,
        "own_mb": float(own),
        "workers_mb": float(workers),
        "code": int(exit_code),
        "digest": digest,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=5000)
    options = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="broadsheet-batch-")
    big, small = os.path.join(scratch, "archive.jsonl"), os.path.join(scratch, "small.jsonl")
    archive(big, options.stories)
    archive(small, max(options.stories // 10, 1))
    print(
        f"archive: {options.stories} stories, {os.path.getsize(big) / 2**20:.1f} MB; small: "
        f"{max(options.stories // 10, 1)} stories, {os.path.getsize(small) / 2**20:.1f} MB",
        flush=True,
    )
    rows = {}
    for label, extra, source in (
        ("--jobs 1", ["--jobs", "1"], big),
        ("--jobs 2", ["--jobs", "2"], big),
        ("--jobs 2, small", ["--jobs", "2"], small),
    ):
        rows[label] = run(["align", source, "--json", "--quiet", *extra], os.path.join(scratch, f"{len(rows)}.jsonl"))
        report(label, rows[label], options.stories if source == big else max(options.stories // 10, 1))
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("LocalCluster: skipped (pip install 'broadsheet[cluster]')")
    else:
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as dask,
            Client(dask) as client,
        ):
            row = run(
                ["align", big, "--json", "--quiet", "--scheduler", dask.scheduler_address],
                os.path.join(scratch, "dask.jsonl"),
            )
            import psutil

            row["workers_mb"] = max(client.run(lambda: psutil.Process().memory_info().rss / 2**20).values())
            rows["LocalCluster (2 workers)"] = row
            report("LocalCluster (2 workers)", row, options.stories)
    one, two = rows["--jobs 1"], rows["--jobs 2"]
    print(f"\n--jobs 2 / --jobs 1: {one['seconds'] / two['seconds']:.2f}x (target >= 1.7x)")
    if "LocalCluster (2 workers)" in rows:
        dask = rows["LocalCluster (2 workers)"]
        print(f"LocalCluster / --jobs 2: {two['seconds'] / dask['seconds']:.0%} of its throughput (target >= 80%)")
    same = len({rows[k]["digest"] for k in rows if k != "--jobs 2, small"}) == 1
    print(f"outputs identical: {same}")
    shutil.rmtree(scratch, ignore_errors=True)


def report(label: str, row: dict, stories: int) -> None:
    print(
        f"{label:26s} {row['seconds']:7.1f} s  {stories / row['seconds']:6.1f} stories/s  peak memory: "
        f"command {row['own_mb']:.0f} MB, each worker {row['workers_mb']:.0f} MB  (exit {row['code']}, "
        f"output {row['digest']})",
        flush=True,
    )


if __name__ == "__main__":
    main()
