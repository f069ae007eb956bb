"""The alignment engine on the seeds, its properties on any input, and `broadsheet align`."""

import json
import random

import pytest

from tui.core.align import align
from tui.core.alignment import SentenceKey
from tui.core.structure import article_from_text


@pytest.fixture(scope="module")
def seed_alignment(seeds):
    articles = [seeds[k] for k in sorted(seeds)]
    return articles, align(articles)


def find(article, fragment):
    [sentence] = [s for s in article.sentences if fragment in s.text]
    return SentenceKey(article.id, sentence.id)


def test_maduro_misery_sentences_are_paired(seeds, seed_alignment):
    _, alignment = seed_alignment
    a = find(seeds["002"], "Maduro has brought nothing but misery")
    b = find(seeds["003"], "because he's brought nothing but misery")
    assert any({p.a, p.b} == {a, b} and p.score >= alignment.threshold for p in alignment.pairs)
    assert b in alignment.counterparts(a)


def test_g20_sentences_of_all_four_articles_form_one_fact(seeds, seed_alignment):
    _, alignment = seed_alignment
    keys = [find(seeds["000"], "Group of 20 summit in Japan"), find(seeds["001"], "G20 summit in Japan on June 28"),
            find(seeds["002"], "G20 summit in Osaka"), find(seeds["003"], "at the G20 next month")]
    facts = {alignment.fact_of.get(k) for k in keys}
    assert len(facts) == 1 and None not in facts


def test_short_subheading_pairs_with_nothing(seeds, seed_alignment):
    _, alignment = seed_alignment
    heading = find(seeds["002"], "Election interference?")
    assert not any(heading in (p.a, p.b) for p in alignment.pairs)
    assert not any(heading in (p.a, p.b) for p in align(seed_alignment[0], min_score=0.0).pairs)


def test_only_body_sentences_are_aligned(seeds, seed_alignment):
    articles, alignment = seed_alignment
    kinds = {(a.id, s.id): s.kind for a in articles for s in a.sentences}
    for pair in align(articles, min_score=0.0).pairs:
        for key in (pair.a, pair.b):
            assert kinds[(key.article, key.sentence)] in ("body", "heading")
            assert kinds[(key.article, key.sentence)] != "boilerplate"


def _random_cluster(seed: int):
    rng = random.Random(seed)
    words = ("Pompeo Lavrov Sochi Iran Venezuela Maduro treaty missile summit Osaka talks nuclear deal "
             "war misery press conference election meeting Putin Trump China arms control").split()
    articles = []
    for i in range(rng.randint(2, 6)):
        sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 14))).capitalize() + "."
                     for _ in range(rng.randint(1, 12))]
        articles.append(article_from_text(f"art{i}", "\n\n".join(sentences)))
    return articles


@pytest.mark.parametrize("seed", range(8))
def test_properties_on_random_clusters(seed):
    articles = _random_cluster(seed)
    first = align(articles, min_score=0.0)
    second = align(articles, min_score=0.0)
    assert [(p.a, p.b, p.score) for p in first.pairs] == [(p.a, p.b, p.score) for p in second.pairs]
    ids = {a.id: {s.id for s in a.sentences} for a in articles}
    seen = set()
    for pair in first.pairs:
        assert pair.a.article != pair.b.article
        assert 0.0 <= pair.score <= 1.0
        assert pair.a.sentence in ids[pair.a.article] and pair.b.sentence in ids[pair.b.article]
        assert (pair.a, pair.b) not in seen and (pair.b, pair.a) not in seen  # one score per pair
        seen.add((pair.a, pair.b))
    members = [key for fact in first.facts for key in fact.keys()]
    assert len(members) == len(set(members)), "a sentence belongs to at most one fact"
    for fact in first.facts:
        assert len(fact.members) >= 2


def test_symmetric_in_article_order(seeds):
    articles = [seeds[k] for k in sorted(seeds)]
    forward = {frozenset((p.a, p.b)): p.score for p in align(articles, min_score=0.2).pairs}
    backward = {frozenset((p.a, p.b)): p.score for p in align(articles[::-1], min_score=0.2).pairs}
    common = forward.keys() & backward.keys()
    assert len(common) >= 0.9 * len(forward)
    assert all(abs(forward[k] - backward[k]) < 0.05 for k in common)


def test_one_article_or_empty_cluster_gives_nothing(seeds):
    assert align([]).facts == [] and align([]).pairs == []
    single = align([seeds["000"]], min_score=0.0)
    assert single.facts == [] and single.pairs == []


def test_min_score_lowers_the_cut(seed_alignment):
    articles, alignment = seed_alignment
    lower = align(articles, min_score=0.1)
    assert len(lower.pairs) > len(alignment.pairs)
    assert min(p.score for p in lower.pairs) >= 0.1
    assert min(p.score for p in alignment.pairs) >= alignment.threshold


def test_align_json_contract(cli):
    run = cli("align", "--json")
    assert run.code == 0
    document = run.json()
    assert document["cluster"] == "seeds"
    assert set(document["articles"][0]) == {"id", "title", "outlet", "source", "sentences"}
    assert set(document["articles"][0]["sentences"][0]) == {"id", "text", "start", "end", "kind"}
    fact = document["facts"][0]
    assert set(fact) == {"id", "score", "members"} and set(fact["members"][0]) == {"article", "sentences"}
    pair = document["pairs"][0]
    assert set(pair) == {"a", "b", "score"} and set(pair["a"]) == {"article", "sentence"}


def test_align_text_lists_facts_and_unique_counts(cli):
    run = cli("align")
    assert run.code == 0
    assert "facts across 4 articles" in run.out
    assert "nothing but misery" in run.out
    assert "unique to one outlet" in run.out


def test_align_jsonl_prints_one_document_per_cluster(cli, tmp_path):
    text = "Pompeo met Lavrov in Sochi on Tuesday for talks on arms control. They disagreed on Venezuela."
    lines = [json.dumps({"id": f"c{i}", "articles": [{"id": "a", "text": text}, {"id": "b", "text": text}]})
             for i in range(2)]
    (tmp_path / "two.jsonl").write_text("\n".join(lines))
    documents = cli("align", str(tmp_path / "two.jsonl"), "--json").json_lines()
    assert [d["cluster"] for d in documents] == ["c0", "c1"]
    assert documents[0]["facts"], "identical articles must align"


def test_bad_min_score(cli):
    run = cli("align", "--min-score", "2")
    assert run.code == 2 and "--min-score" in run.err


def test_a_sentence_repeated_in_another_context_still_pairs():
    """Neighbours lend words to a sentence's window; a verbatim repeat in new surroundings must
    still pair, and the unrelated surroundings must not."""
    shared = "The minister said the pipeline would reopen in March after repairs to the damaged section."
    first = article_from_text("a", "\n\n".join([
        "Farmers in the northern valley reported a second poor harvest in a row.",
        shared,
        "Local schools will close early for the winter holidays this year.",
    ]))
    second = article_from_text("b", "\n\n".join([
        "The national football team lost its qualifier against the visitors on Sunday.",
        shared,
        "A new museum of modern art opened downtown with an exhibition of sculpture.",
    ]))
    result = align([first, second])
    assert [(p.a.sentence, p.b.sentence) for p in result.pairs] == [(1, 1)]
