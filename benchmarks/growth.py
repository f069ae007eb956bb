"""Growth: every stage on pathological inputs at size N and 10N; 10x the input must cost less
than 15x the time (linear, or n log n, with room for noise).

    python -m benchmarks.growth [PART OF AN INPUT'S NAME]

Inputs: one giant paragraph of short sentences, one giant word, 100k tiny sentences, and wire
copies (near-duplicate articles: the first seed article over and over, lightly edited); and
inside one sentence: many quotations, one long quotation worded differently, many figures and
dates.
Stages: load (clean, header, kinds, segmentation), wrap (the reader's column at 60 cells),
search (index and one query), quotes, align, differences (inside the facts found). Each
(input, stage) runs in this process, best of two.
"""

from __future__ import annotations

import os
import random
import sys
import time

from tui.engine.align import align
from tui.engine.differences import differences
from tui.engine.quotes import extract_quotes
from tui.engine.search import SearchIndex
from tui.ingest.loader import load_paths
from tui.ingest.structure import article_from_text
from tui.ui.column import ArticleBody

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


LIMIT = 15.0


def paragraph(n: int) -> list[str]:
    return [" ".join(f"It is. Go {i}." for i in range(n)), "It is. Go 5. Other text here."]


def giant_word(n: int) -> list[str]:
    return ["A" * n + ".", "Some text. More text here."]


def tiny_sentences(n: int) -> list[str]:
    return ["\n\n".join("Hi." for _ in range(n)), "Hi. Hello there."]


def wire_copies(n: int) -> list[str]:
    base = [
        s.text for s in load_paths([os.path.join(ROOT, "seeds")]).stories[0].articles[0].sentences if s.kind == "body"
    ]
    rng = random.Random(n)
    return ["\n\n".join(s if rng.random() > 0.1 else s.replace(" the ", " a ") for s in base) for _ in range(n)]


def quotes_in_one_sentence(n: int) -> list[str]:
    said = "Intro text here. Smith said " + " ".join(f'"word{i} here and there" and' for i in range(n)) + " the end."
    return [said, said.replace("there", "then")]


def one_long_quotation(n: int) -> list[str]:
    words = [f"w{i % 997}" for i in range(n)]
    other = [w if i % 50 else "other" for i, w in enumerate(words)]
    return [f'Smith said "{" ".join(words)}" on Monday.', f'Smith said "{" ".join(other)}" on Monday.']


def figures_in_one_sentence(n: int) -> list[str]:
    return [
        "The farm sold " + ", ".join(f"{i} apples on May {i % 28 + 1}" for i in range(n)) + " last year.",
        "The farm sold " + ", ".join(f"{i + 1} apples on May {i % 28 + 2}" for i in range(n)) + " last year.",
    ]


INPUTS = [
    ("giant paragraph (sentences)", paragraph, 10_000),
    ("giant word (characters)", giant_word, 200_000),
    ("tiny sentences", tiny_sentences, 20_000),
    ("wire copies (articles)", wire_copies, 100),
    ("quotes in one sentence", quotes_in_one_sentence, 300),
    ("one long quotation (words)", one_long_quotation, 5_000),
    ("figures, dates in one sentence", figures_in_one_sentence, 300),
]


def stages(texts: list[str]) -> dict[str, float]:
    out = {}
    started = time.perf_counter()
    articles = [article_from_text(f"a{i}", text, read_header=False) for i, text in enumerate(texts)]
    out["load"] = time.perf_counter() - started
    started = time.perf_counter()
    for article in articles[:3]:
        ArticleBody(article)._rewrap(60)
    out["wrap"] = time.perf_counter() - started
    started = time.perf_counter()
    SearchIndex(articles).search("Go 123 there")
    out["search"] = time.perf_counter() - started
    started = time.perf_counter()
    extract_quotes(articles)
    out["quotes"] = time.perf_counter() - started
    started = time.perf_counter()
    alignment = align(articles)
    out["align"] = time.perf_counter() - started
    started = time.perf_counter()
    differences(articles, alignment)
    out["differences"] = time.perf_counter() - started
    return out


def best_of_two(texts: list[str]) -> dict[str, float]:
    first, second = stages(texts), stages(texts)
    return {k: min(first[k], second[k]) for k in first}


def main() -> None:
    only = sys.argv[1] if len(sys.argv) > 1 else ""  # a part of an input's name: only those inputs
    failed = False
    print(f"{'input':30s} {'N':>9s} {'stage':7s} {'N s':>8s} {'10N s':>8s} {'x':>6s}")
    for name, make, n in (row for row in INPUTS if only in row[0]):
        small, large = best_of_two(make(n)), best_of_two(make(10 * n))
        for stage in small:
            ratio = large[stage] / max(small[stage], 1e-3)
            flag = "" if ratio < LIMIT or large[stage] < 0.05 else "  OVER"
            failed |= bool(flag)
            print(
                f"{name:30s} {n:9d} {stage:7s} {small[stage]:8.3f} {large[stage]:8.3f} {ratio:6.1f}{flag}", flush=True
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
