"""Sentence segmentation against the ECB+ reference segmentation: agreement and speed.

    python -m benchmarks.segmentation [CORPUS_DIR]   (default ../shared/corpus/ecbplus)

Boundaries are compared as positions in the text with all white space removed, so that the
cleaning of white space does not count. Also runs pysbd, if installed, on the same texts.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
import time

from tui.base.gate import clean_text
from tui.ingest.formats import _article_meta
from tui.ingest.structure import article_from_text

_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    return _SPACE.sub("", clean_text(text))


def boundaries(sentences: list[str]) -> set[int]:
    ends, total = set(), 0
    for sentence in sentences[:-1]:
        total += len(compact(sentence))
        ends.add(total)
    return ends


def main() -> None:
    root = (
        sys.argv[1]
        if len(sys.argv) > 1
        else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "ecbplus")
    )
    articles = []
    for path in sorted(glob.glob(os.path.join(root, "**", "*.json"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            articles.extend(json.load(handle)["articles"])
    if not articles:
        sys.exit(f"no ECB+ articles under {root}")

    systems = {
        "broadsheet": lambda a: [s.text for s in article_from_text(a["id"], a["text"], **_article_meta(a)).sentences]
    }
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False)
        systems["pysbd"] = lambda a: [s for line in a["text"].split("\n") for s in segmenter.segment(line) if s.strip()]
    except ImportError:
        print("pysbd not installed: only broadsheet measured")

    print(f"{len(articles)} articles, {sum(len(a['sentences']) for a in articles)} reference sentences")
    print(f"{'system':12s} {'recall':>8s} {'precision':>9s} {'exact sent.':>11s} {'time':>8s} {'skipped':>7s}")
    for name, segment in systems.items():
        found = matched = reference = exact = total_ref = skipped = 0
        started = time.perf_counter()
        outputs = [segment(a) for a in articles]
        elapsed = time.perf_counter() - started
        for article, sentences in zip(articles, outputs):
            ref = [s["text"] for s in article["sentences"]]
            if "".join(map(compact, sentences)) != "".join(map(compact, ref)):
                skipped += 1  # the texts differ beyond white space (dropped header lines ...)
                continue
            mine, gold = boundaries(sentences), boundaries(ref)
            found += len(mine)
            reference += len(gold)
            matched += len(mine & gold)
            ref_set = {compact(s) for s in ref}
            exact += sum(1 for s in sentences if compact(s) in ref_set)
            total_ref += len(ref)
        print(
            f"{name:12s} {matched / reference:8.1%} {matched / max(found, 1):9.1%} "
            f"{exact / total_ref:11.1%} {elapsed:7.2f}s {skipped:7d}"
        )


if __name__ == "__main__":
    main()
