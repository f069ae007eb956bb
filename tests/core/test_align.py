"""The alignment engine on the seeds, its properties on any input, and `broadsheet align`."""

import json
import random

import pytest

from tui.engine.align import align
from tui.engine.pairs import SentenceKey
from tui.ingest.structure import article_from_text


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


def test_g20_sentences_of_three_articles_form_one_fact(seeds, seed_alignment):
    _, alignment = seed_alignment
    keys = [
        find(seeds["000"], "Group of 20 summit in Japan"),
        find(seeds["001"], "G20 summit in Japan on June 28"),
        find(seeds["002"], "G20 summit in Osaka"),
    ]
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


def _random_story(seed: int):
    rng = random.Random(seed)
    words = (
        "Pompeo Lavrov Sochi Iran Venezuela Maduro treaty missile summit Osaka talks nuclear deal "
        "war misery press conference election meeting Putin Trump China arms control"
    ).split()
    articles = []
    for i in range(rng.randint(2, 6)):
        sentences = [
            " ".join(rng.choice(words) for _ in range(rng.randint(3, 14))).capitalize() + "."
            for _ in range(rng.randint(1, 12))
        ]
        articles.append(article_from_text(f"art{i}", "\n\n".join(sentences)))
    return articles


@pytest.mark.parametrize("seed", range(8))
def test_properties_on_random_stories(seed):
    articles = _random_story(seed)
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


def test_one_article_or_empty_story_gives_nothing(seeds):
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


def test_align_jsonl_prints_one_document_per_story(cli, tmp_path):
    text = "Pompeo met Lavrov in Sochi on Tuesday for talks on arms control. They disagreed on Venezuela."
    lines = [
        json.dumps({"id": f"c{i}", "articles": [{"id": "a", "text": text}, {"id": "b", "text": text}]})
        for i in range(2)
    ]
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
    first = article_from_text(
        "a",
        "\n\n".join(
            [
                "Farmers in the northern valley reported a second poor harvest in a row.",
                shared,
                "Local schools will close early for the winter holidays this year.",
            ]
        ),
    )
    second = article_from_text(
        "b",
        "\n\n".join(
            [
                "The national football team lost its qualifier against the visitors on Sunday.",
                shared,
                "A new museum of modern art opened downtown with an exhibition of sculpture.",
            ]
        ),
    )
    result = align([first, second])
    assert [(p.a.sentence, p.b.sentence) for p in result.pairs] == [(1, 1)]


def test_sentences_that_report_different_things_stay_apart(seeds, seed_alignment):
    """Two facts an earlier engine showed, each joining sentences that say different things."""
    _, alignment = seed_alignment
    wrong = [
        (find(seeds["000"], "lay a wreath"), find(seeds["001"], "canceled a planned meeting with German")),
        (find(seeds["000"], "He will meet with Putin at Bocharev Ruchey"), find(seeds["003"], "aircraft-carrier")),
    ]
    for first, second in wrong:
        assert second not in alignment.counterparts(first)


def test_a_fact_holds_one_sentence_per_article_and_its_members_pair_strongly(seed_alignment):
    _, alignment = seed_alignment
    assert alignment.facts
    strong = {frozenset((p.a, p.b)): p.score for p in alignment.pairs}
    for fact in alignment.facts:
        assert all(len(ids) == 1 for ids in fact.members.values()) and len(fact.members) >= 2
        keys = list(fact.keys())
        scores = [strong.get(frozenset((x, y)), 0.0) for n, x in enumerate(keys) for y in keys[n + 1 :]]
        assert sum(scores) / len(scores) >= alignment.threshold


def _two_outlets(first: str, second: str):
    return [article_from_text("one", first, read_header=False), article_from_text("two", second, read_header=False)]


def test_identical_sentences_always_pair_even_short_ones():
    shared = "His conduct is unbecoming of a member of Congress."
    articles = _two_outlets(
        f"The senator spoke on Tuesday about the budget and the deficit.\n\n{shared}\n\nVoters in Ohio will decide in March.",  # noqa: E501
        f"Lawmakers met behind closed doors to discuss the scandal.\n\n{shared}\n\nThe committee adjourned without a vote.",  # noqa: E501
    )
    alignment = align(articles)
    first = SentenceKey("one", next(s.id for s in articles[0].sentences if s.text == shared))
    second = SentenceKey("two", next(s.id for s in articles[1].sentences if s.text == shared))
    assert second in alignment.counterparts(first)


def test_datelines_are_boilerplate_and_never_aligned():
    articles = _two_outlets(
        "Published: Dec. 19, 2005 at 9:44 PM\n\nA strong earthquake struck the coast of Peru on Monday, killing twelve people.",  # noqa: E501
        "Edited on Mon Dec - 19-05 03:49 PM\n\nA strong earthquake hit Peru's coast on Monday and killed twelve people.",  # noqa: E501
    )
    kinds = {s.text: s.kind for a in articles for s in a.sentences}
    assert kinds["Published: Dec. 19, 2005 at 9:44 PM"] == "boilerplate"
    assert kinds["Edited on Mon Dec - 19-05 03:49 PM"] == "boilerplate"
    aligned = {(k.article, k.sentence) for p in align(articles, min_score=0.0).pairs for k in (p.a, p.b)}
    assert aligned == {("one", 1), ("two", 1)}


def test_min_score_above_the_threshold_cuts_pairs_and_facts(seed_alignment):
    articles, alignment = seed_alignment
    cut = max(f.score for f in alignment.facts) - 0.001  # above the other facts, below the surest
    raised = align(articles, min_score=cut)
    assert raised.pairs and min(p.score for p in raised.pairs) >= cut
    assert len(raised.pairs) < len(alignment.pairs)
    assert len(raised.facts) < len(alignment.facts)


def test_align_text_output_obeys_min_score(cli):
    default, raised = cli("align"), cli("align", "--min-score", "0.95")
    count = lambda run: int(run.out.split(":")[1].split()[0])  # "seeds: N facts across ..."
    assert count(raised) < count(default)


def test_align_json_says_which_kinds_were_aligned(cli):
    document = cli("align", "--json").json()
    assert document["aligned_kinds"] == ["body", "heading"] and document["heading_min_words"] == 5
    kinds = {(a["id"], s["id"]): s["kind"] for a in document["articles"] for s in a["sentences"]}
    used = {kinds[(p[side]["article"], p[side]["sentence"])] for p in document["pairs"] for side in ("a", "b")}
    assert used <= set(document["aligned_kinds"])


def _outlets(*texts: str):
    return [article_from_text(f"outlet{n}", text, read_header=False) for n, text in enumerate(texts)]


def _key(articles, index: int, fragment: str) -> SentenceKey:
    return find(articles[index], fragment)


def test_a_near_identical_copy_always_pairs_whatever_surrounds_it():
    articles = _outlets(
        "Firefighters battled the blaze through the night.\n\n"
        "The state's governor declared an emergency in three counties late on Sunday, citing the risk to homes.\n\n"
        "Schools in the area will stay closed.",
        "Rain is forecast for the weekend.\n\n"
        "The governor of the state declared an emergency in three counties late Sunday, citing the risk to homes.\n\n"
        "A shelter opened at the fairground.",
    )
    alignment = align(articles)
    first = _key(articles, 0, "declared an emergency")
    second = _key(articles, 1, "declared an emergency")
    assert second in alignment.counterparts(first)


def test_two_sentences_that_carry_the_same_quotation_pair():
    articles = _outlets(
        "The mayor spoke to reporters outside City Hall on Monday.\n\n"
        "\u201cWe will rebuild every bridge that fell, and we will do it this year,\u201d she said.\n\n"
        "The council meets again next week.",
        "Repairs could cost as much as $40 million, officials estimated.\n\n"
        "Asked about the timetable, Mayor Lopez promised: \u201cwe will rebuild every bridge that fell.\u201d\n\n"
        "Traffic was diverted to the ring road.",
    )
    alignment = align(articles)
    assert _key(articles, 1, "rebuild every bridge") in alignment.counterparts(
        _key(articles, 0, "rebuild every bridge")
    )


def test_two_different_quotations_of_one_speaker_do_not_pair():
    articles = _outlets(
        "\u201cThe budget is a disgrace to this city and its taxpayers,\u201d Mayor Lopez said on Monday.",
        "\u201cI have never seen such a fine group of volunteers in this city,\u201d Mayor Lopez said on Monday.",
    )
    alignment = align(articles)
    assert alignment.pairs == [] and alignment.facts == []


def test_a_lead_told_by_three_outlets_is_one_fact_of_three():
    lead = (
        "The Senate confirmed Judge Maria Okafor to the appeals court on Thursday by a vote of 61 to 38.",
        "By a vote of 61 to 38, the Senate on Thursday confirmed Maria Okafor to the federal appeals court.",
        "Maria Okafor was confirmed to the appeals court by the Senate on Thursday, 61 to 38.",
    )
    tails = (
        "Her hearing in March drew protests from labour unions.",
        "She served as a prosecutor in Chicago for a decade.",
        "Two Republicans joined the Democrats in backing her.",
    )
    articles = _outlets(*(f"{first}\n\n{second}" for first, second in zip(lead, tails)))
    alignment = align(articles)
    keys = [_key(articles, n, "61") for n in range(3)]
    facts = {alignment.fact_of.get(k) for k in keys}
    assert len(facts) == 1 and None not in facts
