"""Fit the alignment score's weights on fact-level gold (a development tool; needs scikit-learn,
from the `bench` extra).

    python -m benchmarks.fit_align [--extra ecb,seeds] [--c C] [--curve] [--ablation] [--scored-cv] [--write]

Every candidate pair the engine scores (tui.engine.align.candidates) is labelled with the shared
scorer's sentence mapping: gold, not gold, or ignored (unannotated, headline or neutral). A
logistic regression (scikit-learn, features standardised) is fitted on the BASIL train stories,
the fact-level gold (optionally with ECB+ strict and the seeds as extra data at a lower weight).
Cross-validation is by story (folds of whole stories): a story's pairs are never both fitted
and scored.
The cut is chosen on dev (the F1-best cut over dev and the cross-validated train stories
together, so four dev stories do not set it alone) and the bias moved so that cut is
align.THRESHOLD. Prints the weights to paste into tui/engine/align.py, in the features' own units.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from benchmarks.corpora import GoldSet, basil, ecbplus, require_shared, seeds
from tui.engine import align as engine


def candidate_labels(gold, story, units, a, b) -> np.ndarray:
    """1 gold, 0 not gold, -1 ignored by the scorer (unannotated or neutral), per candidate."""
    ids = [x.id for x in story.articles]
    text = {(x.id, s.id): s.text for x in story.articles for s in x.sentences}
    out = np.empty(len(a), dtype=np.int8)
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist())):
        ua, ub = units[i], units[j]
        aa, ab = ids[ua.article], ids[ub.article]
        ma, mb = gold.map_sentence(aa, text[(aa, ua.sentence)]), gold.map_sentence(ab, text[(ab, ub.sentence)])
        if not ma or not mb:
            out[k] = 0  # the scorer counts an unmappable pair as a false positive
            continue
        refs = [frozenset([(aa, x), (ab, y)]) for x in ma for y in mb]
        if gold.has_annotation_flags:
            refs = [r for r in refs if all(gold.annotated(*key) for key in r)]
        if any(r in gold.gold for r in refs):
            out[k] = 1
        elif not refs or all(r in gold.neutral for r in refs):
            out[k] = -1
        else:
            out[k] = 0
    return out


class Labelled:
    """Every candidate pair of a gold set (one gold key): features, labels, story of each pair."""

    def __init__(self, gold_set: GoldSet, key: str = "gold_pairs"):
        self.name = f"{gold_set.name} {key}" if len(gold_set.keys) > 1 else gold_set.name
        tables, labels, stories, self.gold_totals = [], [], [], []
        for n, story in enumerate(gold_set.stories):
            gold = gold_set.golds[key][n]
            self.gold_totals.append(len(gold.gold))
            found = engine.candidates(story.articles)
            if found is None:
                continue
            self.names = sorted(found.features)
            tables.append(np.stack([found.features[name] for name in self.names], axis=1))
            labels.append(candidate_labels(gold, story, found.units, found.a, found.b))
            stories += [n] * len(found.a)
        self.x = np.vstack(tables)
        self.y = np.concatenate(labels)
        self.story = np.array(stories)
        self.gold_totals = np.array(self.gold_totals)

    def part(self, chosen) -> Labelled:
        """The pairs of the chosen stories (story numbers)."""
        mask = np.isin(self.story, list(chosen))
        out = object.__new__(Labelled)
        out.name, out.names = self.name, self.names
        out.x, out.y, out.story = self.x[mask], self.y[mask], self.story[mask]
        out.gold_totals = np.where(np.isin(np.arange(len(self.gold_totals)), list(chosen)), self.gold_totals, 0)
        return out


EVENT = "apart"  # BASIL's three articles always tell one event: this weight is fitted on ECB+


def fit(sets: list[tuple[Labelled, float]], c: float, event: float = 0.0) -> np.ndarray:
    """Logistic regression on the counted pairs of the weighted sets; returns [bias, weights...]
    in the features' own units. The EVENT feature keeps the weight `event` (fitted apart)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    names = sets[0][0].names
    fitted = [k for k, name in enumerate(names) if name != EVENT]
    xs, ys, ws = [], [], []
    for s, weight in sets:
        keep = s.y >= 0
        xs.append(s.x[keep][:, fitted])
        ys.append(s.y[keep])
        ws.append(np.full(keep.sum(), weight))
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=c, max_iter=5000).fit((x - scaler.mean_) / scale, y, sample_weight=w)
    coef = np.zeros(len(names))
    coef[fitted] = model.coef_[0] / scale
    coef[names.index(EVENT)] = event
    return np.r_[model.intercept_[0] - coef[fitted] @ scaler.mean_, coef]


def fit_event(w: np.ndarray, sets: list[Labelled], cut: float) -> float:
    """The EVENT weight, with the rest of the score held fixed: the one that gives the best mean
    F1 at `cut` on stories whose stories mix articles of two events and of one (ECB+ topics and
    sub-topics, strict gold; their pairs are event coreference, so only this weight is theirs)."""
    k = sets[0].names.index(EVENT)
    best, chosen = -1.0, 0.0
    for value in -np.arange(0, 12.5, 0.5):
        trial = w.copy()
        trial[1 + k] = value
        f = np.mean([curve([(probabilities(s.x, trial), s.y, s.gold_totals.sum())])[CUTS == cut][0] for s in sets])
        if f > best + 1e-9:
            best, chosen = f, float(value)
    return chosen


def probabilities(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(w[0] + x @ w[1:])))


def counts(p: np.ndarray, y: np.ndarray, cut: float) -> tuple[int, int]:
    chosen = (p >= cut) & (y >= 0)
    return int((chosen & (y == 1)).sum()), int(chosen.sum())


def prf(tp: int, chosen: int, gold: int) -> tuple[float, float, float]:
    precision, recall = tp / max(chosen, 1), tp / max(gold, 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


CUTS = np.round(np.linspace(0.05, 0.95, 91), 2)


def curve(runs: list[tuple[np.ndarray, np.ndarray, int]]) -> np.ndarray:
    """F1 at each of CUTS over the pooled (probabilities, labels, gold total) runs."""
    out = []
    for cut in CUTS:
        tp = chosen = gold = 0
        for p, y, total in runs:
            t, c = counts(p, y, cut)
            tp, chosen, gold = tp + t, chosen + c, gold + total
        out.append(prf(tp, chosen, gold)[2])
    return np.array(out)


def cross_validated(train: Labelled, extras: list[tuple[Labelled, float]], c: float, folds: int = 5):
    """Out-of-fold probabilities of the train stories, folds by story."""
    p = np.zeros(len(train.y))
    stories = np.unique(train.story)
    for k in range(folds):
        held = stories[k::folds]
        w = fit([(train.part(set(stories) - set(held)), 1.0)] + extras, c)
        mask = np.isin(train.story, held)
        p[mask] = probabilities(train.x[mask], w)
    return p


def scored_cross_validation(c: float, folds: int = 6) -> None:
    """The engine itself, cross-validated by story over BASIL train and dev together: each fold's
    weights are fitted on the other stories (the cut at their own best), put into the engine, and
    the held-out stories aligned and judged by the shared scorer at the engine's cut."""
    from benchmarks.corpora import scorer

    sets = [basil("train"), basil("dev")]
    stories = GoldSet(
        "basil train+dev",
        [c for s in sets for c in s.stories],
        {"gold_pairs": [g for s in sets for g in s.golds["gold_pairs"]]},
    )
    every = Labelled(stories)
    saved = dict(engine.WEIGHTS)
    predicted: dict[str, list] = {}
    try:
        for k in range(folds):
            held = set(range(k, len(stories.stories), folds))
            rest = every.part(set(range(len(stories.stories))) - held)
            w = fit([(rest, 1.0)], c)
            cut = CUTS[int(np.argmax(curve([(probabilities(rest.x, w), rest.y, rest.gold_totals.sum())])))]
            w[0] += np.log(engine.THRESHOLD / (1 - engine.THRESHOLD)) - np.log(cut / (1 - cut))
            engine.WEIGHTS.update(dict(zip(["bias"] + every.names, w.tolist())))
            engine.WEIGHTS[EVENT] = saved[EVENT]
            for n in held:
                story = stories.stories[n]
                text = {(a.id, s.id): s.text for a in story.articles for s in a.sentences}
                predicted[story.id] = [
                    [
                        p.a.article,
                        text[(p.a.article, p.a.sentence)],
                        p.b.article,
                        text[(p.b.article, p.b.sentence)],
                        p.score,
                    ]
                    for p in engine.align(story.articles).pairs
                ]
    finally:
        engine.WEIGHTS.clear()
        engine.WEIGHTS.update(saved)
    result = scorer.score_clusters(stories.golds["gold_pairs"], predicted)
    print(
        f"engine cross-validated by story over BASIL train+dev ({folds} folds, shared scorer, at the cut): "
        f"P {result['precision']:.3f} R {result['recall']:.3f} F1 {result['f1']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra", default="", help="extra training data: ecb (ECB+ strict train), seeds")
    parser.add_argument("--extra-weight", type=float, default=0.2)
    parser.add_argument(
        "--c",
        type=float,
        default=0.03,
        help="inverse regularisation strength (0.03: the best engine F1 cross-validated by story)",
    )
    parser.add_argument("--curve", action="store_true", help="learning curve: dev F1 against training stories")
    parser.add_argument("--write", action="store_true", help="write the weights into tui/engine/align.py")
    parser.add_argument("--ablation", action="store_true", help="cross-validated F1 without each feature")
    parser.add_argument(
        "--scored-cv",
        action="store_true",
        help="the engine cross-validated by story over train+dev, judged by the shared scorer",
    )
    args = parser.parse_args()
    require_shared()
    if args.scored_cv:
        scored_cross_validation(args.c)
    train, dev = Labelled(basil("train")), Labelled(basil("dev"))
    extras = []
    if "ecb" in args.extra:
        extras += [
            (Labelled(ecbplus(kind, "train"), "gold_pairs_strict"), args.extra_weight)
            for kind in ("one-event", "two-event")
        ]
    if "seeds" in args.extra:
        extras.append((Labelled(seeds()), args.extra_weight))
    oof = cross_validated(train, extras, args.c)
    w = fit([(train, 1.0)] + extras, args.c)
    p_dev = probabilities(dev.x, w)
    cv_curve = curve([(oof, train.y, train.gold_totals.sum())])
    dev_curve = curve([(p_dev, dev.y, dev.gold_totals.sum())])
    both = curve([(oof, train.y, train.gold_totals.sum()), (p_dev, dev.y, dev.gold_totals.sum())])
    cut = CUTS[int(np.argmax(both))]
    print(
        f"train CV by story: best F1 {cv_curve.max():.3f} at {CUTS[cv_curve.argmax()]}, at the cut {cv_curve[CUTS == cut][0]:.3f}"  # noqa: E501
    )
    print(
        f"dev: best F1 {dev_curve.max():.3f} at {CUTS[dev_curve.argmax()]}, at the cut {dev_curve[CUTS == cut][0]:.3f}"
    )
    print(f"the cut (best over dev and CV train together): {cut}")
    ecb = [Labelled(ecbplus(kind, "train"), "gold_pairs_strict") for kind in ("one-event", "two-event")]
    w[1 + train.names.index(EVENT)] = fit_event(w, ecb, cut)
    if args.ablation:
        base = cv_curve.max()
        for k, name in enumerate(train.names):
            if name == EVENT:
                continue
            keep = [i for i in range(len(train.names)) if i != k]
            ex = []
            for s, weight in [(train, 1.0)] + extras:
                e = s.part(set(s.story.tolist()))
                e.x, e.names = e.x[:, keep], [s.names[i] for i in keep]
                ex.append((e, weight))
            sub, ex = ex[0][0], ex[1:]
            f = curve([(cross_validated(sub, ex, args.c), train.y, train.gold_totals.sum())]).max()
            print(f"  without {name:13s} CV F1 {f:.3f} ({f - base:+.3f})")
    if args.curve:
        rng = np.random.default_rng(0)
        stories = np.unique(train.story)
        for size in (5, 10, 15, 20):
            scores = []
            for _ in range(5 if size < len(stories) else 1):
                chosen = rng.choice(stories, size, replace=False)
                wk = fit([(train.part(set(chosen.tolist())), 1.0)] + extras, args.c)
                scores.append(curve([(probabilities(dev.x, wk), dev.y, dev.gold_totals.sum())]).max())
            print(
                f"  learning curve: {size:2d} train stories -> dev best F1 {np.mean(scores):.3f} (+-{np.std(scores):.3f})"  # noqa: E501
            )
    w[0] += np.log(engine.THRESHOLD / (1 - engine.THRESHOLD)) - np.log(cut / (1 - cut))
    scale = train.x.std(axis=0)
    print("weight x the feature's spread on train (what carries the weight):")
    for name, weight, spread in sorted(zip(train.names, w[1:], scale), key=lambda z: -abs(z[1] * z[2])):
        print(f"  {name:13s} {weight * spread:+.2f}")
    print("WEIGHTS = {" + ", ".join(f'"{n}": {v:.3f}' for n, v in zip(["bias"] + train.names, w)) + "}")
    if args.write:
        write_weights(dict(zip(["bias"] + train.names, w.tolist())))


def write_weights(weights: dict[str, float]) -> None:
    """Replace the WEIGHTS table in tui/engine/align.py (100-character lines)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tui", "engine", "align.py")
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    start = source.index("WEIGHTS = {")
    end = source.index("}\n", start) + 2
    lines, line = [], "   "
    for name, value in weights.items():
        item = f' "{name}": {value:.3f},'
        if len(line) + len(item) > 100:
            lines.append(line)
            line = "   "
        line += item
    lines.append(line)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(source[:start] + "WEIGHTS = {\n" + "\n".join(lines) + "\n}\n" + source[end:])


if __name__ == "__main__":
    main()
