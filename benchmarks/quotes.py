"""Who said it: the quotes' speakers against 100 quotations labelled by hand.

    python -m benchmarks.quotes              # speaker precision and the share left unknown (train)
    python -m benchmarks.quotes --split dev  # on the held-out dev quotations
    python -m benchmarks.quotes --json       # the same figures as one JSON object
    python -m benchmarks.quotes --wrong      # and every quotation given to the wrong speaker

tests/fixtures/speakers_basil_train.jsonl holds 100 quotations of the BASIL train stories
(five per story, drawn at random from what `quotes` finds) and speakers_basil_dev.jsonl 48
of the dev stories (twelve per story), each labelled by a reader of the whole article who
never saw Broadsheet's speakers: the speaker's fullest name there, an organisation speaking
as one ("White House"), or null with a kind (anonymous source, scare quote, a title) when
the article does not say who spoke. The rules were written on train; dev was looked at once
(precision 0.921, unknown 0.163), which showed two general gaps (titles in quotation marks,
a long aside before the verb) that were closed. Spans are offsets into the article text as
Broadsheet loads it (a leading headline line is not part of the text).
say who spoke. Spans are offsets into the article text as Broadsheet loads it.

- precision: of the quotations given a speaker, the share given the right one (the same
  person: the same surname, and first names that agree where both have one); a name given to
  a quotation the label leaves without a speaker is wrong;
- unknown: of the quotations whose speaker the article names, the share left unknown.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict

from tui.engine.quotes import extract_quotes
from tui.ingest.loader import load_paths

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
BASIL = os.path.join(ROOT, "..", "shared", "corpus", "basil")


_TITLES = {
    "the",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "president",
    "senator",
    "representative",
    "sheriff",
    "secretary",
    "speaker",
    "leader",
    "general",
    "attorney",
    "governor",
    "mayor",
    "judge",
    "justice",
    "former",
    "retired",
    "lt",
    "gen",
    "rev",
}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def name_words(name: str) -> list[str]:
    """A person's name as words, folded: no accents, case or quotes, no titles before it
    (a role ends where the name starts: "Urban Development Secretary Julián Castro") or
    suffixes (Jr., III)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z]+", folded.replace("’", "'").replace("'s ", " "))
    titled = [i for i, w in enumerate(words) if w in _TITLES]
    if titled and titled[-1] < len(words) - 1:
        words = words[titled[-1] + 1 :]
    return [w for w in words if w not in _SUFFIXES] or words


def same_speaker(found: str, label: str) -> bool:
    """One person (or body): the same surname, and given names that agree where both have one
    (by their initial: Mike and Michael, a misspelt Vincente)."""
    a, b = name_words(found), name_words(label)
    if not a or not b:
        return False
    return a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or a[0][0] == b[0][0])


def fixture(split: str) -> list[dict]:
    with open(os.path.join(FIXTURES, f"speakers_basil_{split}.jsonl"), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def speakers_found(rows: list[dict], split: str) -> list[str | None]:
    """For each labelled quotation, the speaker Broadsheet gives the quote at its span."""
    by_story = defaultdict(list)
    for i, row in enumerate(rows):
        by_story[row["story"]].append(i)
    found: list[str | None] = [None] * len(rows)
    for name, indices in by_story.items():
        story = load_paths([os.path.join(BASIL, split, name)]).stories[0]
        quotes = extract_quotes(story.articles).quotes
        for i in indices:
            start, end = rows[i]["span"]
            overlapping = [q for q in quotes if q.article == rows[i]["article"] and q.start < end and start < q.end]
            if overlapping:
                best = max(overlapping, key=lambda q: min(q.end, end) - max(q.start, start))
                found[i] = best.speaker
    return found


def score(rows: list[dict], found: list[str | None]) -> dict:
    named = [i for i, f in enumerate(found) if f]
    right = [i for i in named if rows[i]["speaker"] and same_speaker(found[i], rows[i]["speaker"])]
    spoken = [i for i, row in enumerate(rows) if row["speaker"]]
    unknown = [i for i in spoken if not found[i]]
    return {
        "quotations": len(rows),
        "given_a_speaker": len(named),
        "right": len(right),
        "precision": round(len(right) / len(named), 3) if named else 0.0,
        "with_a_named_speaker": len(spoken),
        "left_unknown": len(unknown),
        "unknown_share": round(len(unknown) / len(spoken), 3) if spoken else 0.0,
        "wrong": [
            {
                "quote": rows[i]["quote"][:80],
                "label": rows[i]["speaker"],
                "found": found[i],
                "article": rows[i]["article"],
            }
            for i in named
            if i not in set(right)
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--wrong", action="store_true", help="list the quotations given to the wrong speaker")
    args = parser.parse_args()
    if not os.path.isdir(BASIL):
        print("benchmarks/quotes.py: ../shared/corpus/basil is not beside the project", file=sys.stderr)
        return 1
    rows = fixture(args.split)
    figures = score(rows, speakers_found(rows, args.split))
    if args.json:
        print(json.dumps({k: v for k, v in figures.items() if args.wrong or k != "wrong"}))
        return 0
    print(f"{figures['quotations']} labelled quotations of BASIL {args.split}")
    print(
        f"speaker precision {figures['precision']:.3f} "
        f"({figures['right']} of {figures['given_a_speaker']} given a speaker)"
        "   target >= 0.95"
    )
    print(
        f"unknown {figures['unknown_share']:.3f} ({figures['left_unknown']} of {figures['with_a_named_speaker']} "
        "whose article names the speaker)   target <= 0.20"
    )
    if args.wrong:
        for wrong in figures["wrong"]:
            print(f"  {wrong['article']}: {wrong['found']!r} for {wrong['label']!r}: {wrong['quote']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
