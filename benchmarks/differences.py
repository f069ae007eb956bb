"""Where outlets disagree: the differences found inside facts against hand-annotated ones.

    python -m benchmarks.differences          # precision and recall on the annotated pairs
    python -m benchmarks.differences --list   # and every difference found, right or wrong
    python -m benchmarks.differences --speed  # alignment and differences on the seeds, timed

tests/fixtures/differences_basil_train.jsonl holds 142 sentence pairs of eight BASIL train
stories (every pair the BASIL gold says tells the same fact), each with the differences a
careful reader finds between them: 17 in all (6 quotations worded differently, 4 previews
told as done elsewhere, 3 dates, 1 number... see the file). Rounding, paraphrase, a detail
only one side gives, and terms outside the five kinds (the charge: "conspiracy" / "fraud")
are no difference.

- precision: of the differences found on these pairs, the share that match an annotated one
  (same kind, and each span overlapping the annotated words);
- recall: of the annotated differences, the share found.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date

from tui.engine.differences import sentence_differences

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "differences_basil_train.jsonl")
BASIL = os.path.join(ROOT, "..", "shared", "corpus", "basil", "train")


def article_days(story: str) -> dict[str, date | None]:
    with open(os.path.join(BASIL, story), encoding="utf-8") as handle:
        articles = json.load(handle)["articles"]
    days = {}
    for article in articles:
        try:
            days[article["id"]] = date.fromisoformat(str(article.get("date"))[:10])
        except ValueError:
            days[article["id"]] = None
    return days


def overlaps(span: tuple[int, int], text: str, words: str) -> bool:
    start = text.find(words)
    return start >= 0 and span[0] < start + len(words) and start < max(span[1], span[0] + 1)


def evaluate(rows: list[dict]) -> dict:
    found = right = annotated = recalled = 0
    listing = []
    days: dict[str, dict] = {}
    for row in rows:
        story_days = days.setdefault(row["story"], article_days(row["story"]))
        got = sentence_differences(row["a_text"], story_days.get(row["a"]), row["b_text"], story_days.get(row["b"]))
        gold = row["differences"]
        annotated += len(gold)
        hit_gold = set()
        for kind, span_a, span_b in got:
            found += 1
            match = next(
                (
                    i
                    for i, g in enumerate(gold)
                    if g["kind"] == kind
                    and overlaps(span_a, row["a_text"], g["a"])
                    and overlaps(span_b, row["b_text"], g["b"])
                ),
                None,
            )
            right += match is not None
            if match is not None:
                hit_gold.add(match)
            listing.append(
                (
                    "right" if match is not None else "WRONG",
                    kind,
                    row["a_text"][slice(*span_a)],
                    row["b_text"][slice(*span_b)],
                    f"{row['story']}:{row['pair']}",
                )
            )
        recalled += len(hit_gold)
        for i, g in enumerate(gold):
            if i not in hit_gold:
                listing.append(("MISSED", g["kind"], g["a"], g["b"], f"{row['story']}:{row['pair']}"))
    return {
        "pairs": len(rows),
        "annotated": annotated,
        "found": found,
        "right": right,
        "recalled": recalled,
        "precision": round(right / found, 3) if found else 1.0,
        "recall": round(recalled / annotated, 3) if annotated else 1.0,
        "listing": listing,
    }


def speed() -> None:
    from tui.engine.align import align
    from tui.engine.differences import differences
    from tui.ingest.loader import load_paths

    story = load_paths([os.path.join(ROOT, "seeds")]).stories[0]
    align(story.articles)  # imports and caches warm
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        alignment = align(story.articles)
        aligned = time.perf_counter()
        found = differences(story.articles, alignment)
        runs.append((aligned - started, time.perf_counter() - aligned))
    best = min(runs, key=sum)
    print(
        f"seeds: alignment {best[0]:.3f} s + differences {best[1]:.4f} s = {sum(best):.3f} s "
        f"(budget 0.1 s), {len(found)} differences"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(BASIL):
        print("benchmarks/differences.py: ../shared/corpus/basil is not beside the project", file=sys.stderr)
        return 1
    with open(FIXTURE, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    figures = evaluate(rows)
    if args.json:
        print(json.dumps({k: v for k, v in figures.items() if k != "listing"}))
    else:
        print(f"{figures['pairs']} annotated pairs, {figures['annotated']} differences")
        print(f"precision {figures['precision']:.3f} ({figures['right']} of {figures['found']} found)   target >= 0.85")
        print(f"recall    {figures['recall']:.3f} ({figures['recalled']} of {figures['annotated']})   target >= 0.80")
    if args.list:
        for verdict, kind, a, b, where in figures["listing"]:
            print(f"  {verdict:6} {kind:7} {a!r} / {b!r}  ({where})")
    if args.speed:
        speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
