"""The gold sets in ../shared, loaded once for the alignment benchmarks.

Kinds of story: `basil` (Fox News, The New York Times and HuffPost on one event; fact-level
gold: the alignment target), `seeds` (four outlets, one meeting; same-fact gold), `one-event` (ECB+
sub-topic stories: one event each, the usual real case) and `two-event` (ECB+ topic stories:
two similar events told apart). Splits: train (for fitting), dev (for checking).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import sys
from dataclasses import dataclass

from tui.base.model import Story
from tui.ingest.loader import load_paths

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SHARED = os.path.join(ROOT, "..", "shared")


def _shared_scorer():
    """The alignment scorer of ../shared/tools, loaded from its file (it is no package of ours);
    None when ../shared is not beside the project (require_shared says so)."""
    path = os.path.join(SHARED, "tools", "score_alignment.py")
    if not os.path.isfile(path):
        return None
    spec = importlib.util.spec_from_file_location("score_alignment", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_alignment"] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


scorer = _shared_scorer()

KINDS = {"one-event": "ecbplus_subtopic", "two-event": "ecbplus"}
KEYS = ("gold_pairs", "gold_pairs_strict")


@dataclass
class GoldSet:
    name: str  # "seeds", "one-event dev", ...
    stories: list[Story]
    golds: dict[str, list]  # gold key -> scorer.GoldCluster per story, same order

    @property
    def keys(self) -> list[str]:
        return list(self.golds)


def require_shared() -> None:
    if not os.path.isdir(SHARED):
        sys.exit("../shared is not beside the project")


def seeds() -> GoldSet:
    story = load_paths([os.path.join(ROOT, "seeds")]).stories[0]
    return GoldSet("seeds", [story], {"gold_pairs": scorer.load_gold(os.path.join(SHARED, "gold", "seeds.json"))})


def ecbplus(kind: str, split: str) -> GoldSet:
    paths = sorted(glob.glob(os.path.join(SHARED, "corpus", KINDS[kind], split, "*.json")))
    stories = [load_paths([p]).stories[0] for p in paths]
    golds = {key: [scorer.load_gold(p, key)[0] for p in paths] for key in KEYS}
    return GoldSet(f"{kind} {split}", stories, golds)


def basil(split: str) -> GoldSet:
    """BASIL stories (Fox News, The New York Times, HuffPost on one event): fact-level gold."""
    paths = sorted(glob.glob(os.path.join(SHARED, "corpus", "basil", split, "*.json")))
    stories = [load_paths([p]).stories[0] for p in paths]
    return GoldSet(f"basil {split}", stories, {"gold_pairs": [scorer.load_gold(p, "gold_pairs")[0] for p in paths]})


def topic(story_id: str) -> str:
    """The ECB+ topic a story comes from ("topic12" and "12ecbplus" are both "12"): folds for
    cross-validation must keep a topic's stories of both kinds together."""
    digits = "".join(ch for ch in story_id.replace("topic", "") if ch.isdigit())
    return digits or story_id
