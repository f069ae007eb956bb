"""Search speed: index build time and per-keystroke latency, next to fzf and a naive rapidfuzz run.

    python -m benchmarks.search [--base 2] [--copies 20]

Sentences: every sentence of ../shared/corpus (ECB+), repeated --base times (our segmentation
finds about 8k searchable sentences there; twice that is the ~16k the targets speak of), and
--copies times (~160k). Each
of 20 varied queries is typed prefix by prefix as a person would; every prefix is one search.
Latency per keystroke: median and p95. In the same run, on the same sentences:
`fzf --filter` (Debian package fzf; a new process per keystroke, as a script would use it;
skipped with a note when absent) and `rapidfuzz.process.extract(query, sentences, WRatio)`.
Targets: p95 < 30 ms at ~16k sentences, < 150 ms at ~160k, with the seeds' ranking tests green.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from rapidfuzz import fuzz, process

from tui.engine.search import SearchIndex
from tui.ingest.formats import _from_json_value

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")


QUERIES = [
    "tara reid rehab",
    "promises treatment center",
    "lindsay lohan betty ford",
    "earthquake magnitude",
    "pirates somali navy",
    "fired coach 76ers",
    '"we appreciate your respect"',
    "sergey lavrov",
    "nothing but misery",
    "police arrested suspect",
    "died in a car crash",
    "apple macbook",
    "oscar nominations",
    "climber mount cook",
    "hospital statement",
    "'warned !rain",
    "sentenced to life in prison",
    "^the police",
    "killed$",
    "hurricane | flood",
]


def corpus_articles(copies: int):
    stories = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if "articles" not in data:
            continue
        for copy in range(copies):
            value = {
                "id": f"{data['cluster']}-{copy}",
                "articles": [dict(a, id=f"{a['id']}-{copy}") for a in data["articles"]],
            }
            stories.append(_from_json_value(value, path, value["id"], ""))
    return [a for parsed in stories for c in parsed.stories for a in c.articles]


def keystrokes() -> list[str]:
    return [query[:n] for query in QUERIES for n in range(1, len(query) + 1) if query[:n].strip()]


def quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def run(copies: int) -> None:
    articles = corpus_articles(copies)
    started = time.perf_counter()
    index = SearchIndex(articles)
    build = time.perf_counter() - started
    sentences = [e.text for e in index.entries]
    keys = keystrokes()

    ours = []
    for key in keys:
        t = time.perf_counter()
        index.search(key, limit=20)
        ours.append(time.perf_counter() - t)

    naive = []
    for key in keys:
        t = time.perf_counter()
        process.extract(key, sentences, scorer=fuzz.WRatio, limit=20)
        naive.append(time.perf_counter() - t)

    fzf_line = "fzf: not installed (apt-get install fzf), skipped"
    if shutil.which("fzf"):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
            handle.write("\n".join(s.replace("\n", " ") for s in sentences))
            path = handle.name
        timings = []
        for key in keys:
            with open(path, "rb") as stdin:
                t = time.perf_counter()
                subprocess.run(["fzf", "--filter", key], stdin=stdin, stdout=subprocess.DEVNULL)
                timings.append(time.perf_counter() - t)
        os.unlink(path)
        fzf_line = "fzf --filter: median {:.1f} ms, p95 {:.1f} ms".format(*quantiles(timings))
    print(f"{len(sentences)} sentences ({copies}x corpus), {len(keys)} keystrokes over {len(QUERIES)} queries")
    print(
        f"  broadsheet: index {build:.2f} s; per keystroke median {quantiles(ours)[0]:.1f} ms, p95 {quantiles(ours)[1]:.1f} ms"  # noqa: E501
    )
    print("  naive rapidfuzz.process.extract (WRatio): median {:.1f} ms, p95 {:.1f} ms".format(*quantiles(naive)))
    print(f"  {fzf_line}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=2)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    if not os.path.isdir(CORPUS):
        sys.exit("../shared/corpus is not beside the project")
    run(args.base)
    run(args.copies)


if __name__ == "__main__":
    main()
