"""Search: ranking on the seeds, the fzf syntax, quotes-only, the JSON contract, the reader."""

from __future__ import annotations

import pytest

from helpers import SEEDS, ready, seeds_app, settle
from tui.engine.search import SearchIndex, parse_query
from tui.ingest.loader import load_paths
from tui.ingest.structure import article_from_text
from tui.ui.search import SearchBar


@pytest.fixture(scope="module")
def index():
    return SearchIndex(load_paths([str(SEEDS)]).stories[0].articles)


def texts(index, query, limit=10, **kwargs):
    return [h.text for h in index.search(query, limit=limit, **kwargs)]


MADURO_002 = '"Maduro has brought nothing but misery to the Venezuelan people," Pompeo stated.'
MADURO_003 = "because he's brought nothing but misery to the Venezuelan people."


def test_nothing_but_misery_top_two(index):
    top = texts(index, "nothing but misery", 2)
    assert MADURO_002 in top and any(MADURO_003 in t for t in top)


def test_paraphrased_query_finds_both_maduro_sentences(index):
    top = texts(index, "Maduro brought only misery to Venezuelans", 3)
    assert MADURO_002 in top and any(MADURO_003 in t for t in top)


def test_name_variant_sergey_finds_sergei(index):
    top = texts(index, "Sergey Lavrov frank discussion", 3)
    assert any("frank discussion with his counterpart, Sergei Lavrov" in t for t in top)


def test_democracy_force(index):
    assert 'But Lavrov opposes: "Democracy cannot be established by force."' in texts(index, "democracy force", 3)


def test_g20_osaka_first(index):
    assert "G20 summit in Osaka, Japan" in texts(index, "g20 osaka", 1)[0]


def test_accents_do_not_matter(index):
    found = texts(index, "Nicolas Maduro", 10)
    assert any("Nicolás Maduro" in t for t in found) and any("Nicolas Maduro" in t for t in found)


def test_typographic_and_straight_quotes_are_equal(index):
    assert any(t.startswith("“I’m expecting") for t in texts(index, "'\"I'm expecting", 3))
    assert any(t.startswith("“I’m expecting") for t in texts(index, "I’m expecting an honest", 3))


def test_short_sentences_never_outrank_real_matches():
    articles = [
        article_from_text("a", "But... No. Yes.\n\nBut the talks went on for hours and no deal came out of them."),
        article_from_text("b", "No.\n\nThe answer was no, officials said, but talks went on."),
    ]
    hits = SearchIndex(articles).search("but no", limit=5)
    assert len(hits[0].text.split()) > 4


def test_fzf_syntax(index):
    assert all(t.startswith("Pompeo") for t in texts(index, "^Pompeo", 50))
    assert texts(index, "worse.$") == ["“But in terms of foreign policy, things just keep getting worse.”"]
    assert not any("Lavrov" in t for t in texts(index, "Pompeo !Lavrov", 50))
    either = texts(index, "Osaka | Finland", 10)
    assert any("Osaka" in t for t in either) and any("Finland" in t for t in either)
    assert set(texts(index, "'nothing but misery")) == set(texts(index, '"nothing but misery"'))
    assert len(texts(index, '"nothing but misery"')) == 2
    assert texts(index, '"nothing but mysery"') == []  # an exact phrase is exact
    assert len(texts(index, "'nothing but mysery")) == 2  # as in fzf, ' quotes one word; mysery is fuzzy


def test_smart_case(index):
    assert texts(index, "'INF") and not texts(index, "'Inf")
    assert texts(index, "'inf")  # lower case matches any case


def test_parse_query():
    groups = parse_query("^Pompeo 'exact !not a | b end$")
    kinds = [[(t.kind, t.negated, t.text) for t in g] for g in groups]
    assert kinds == [
        [("prefix", False, "Pompeo")],
        [("exact", False, "exact")],
        [("exact", True, "not")],
        [("fuzzy", False, "a"), ("fuzzy", False, "b")],
        [("suffix", False, "end")],
    ]


def test_quotes_only(index):
    inside = index.search("misery", quotes_only=True)
    assert [h.text for h in inside] == [MADURO_002]
    assert all(h.text[s:e].lower() == "misery" for h in inside for s, e in h.spans)
    assert not index.search("Pompeo stated", quotes_only=True)


def test_spans_are_relative_to_the_sentence(index):
    for hit in index.search("nothing but misery", limit=2):
        assert [hit.text[s:e] for s, e in hit.spans] == ["nothing but misery"]


def test_cli_json_contract(cli):
    run = cli("search", "nothing but misery", "--json", "--limit", "2")
    assert run.code == 0
    document = run.json()
    assert document["query"] == "nothing but misery"
    assert len(document["hits"]) == 2
    hit = document["hits"][0]
    assert set(hit) == {"article", "outlet", "sentence", "text", "score", "spans"}
    assert hit["text"][hit["spans"][0][0] : hit["spans"][0][1]] == "nothing but misery"
    assert document["hits"][0]["score"] >= document["hits"][1]["score"]


def test_cli_readable_and_quotes(cli):
    run = cli("search", "misery", "--quotes")
    assert run.code == 0 and "»misery«" in run.out and run.out.count("\n") == 1
    assert cli("search", "zzzzqqq").out.startswith("no match")


async def test_search_in_the_reader():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        bar = screen.query_one(SearchBar)
        assert bar.display
        await pilot.press(*"nothing but misery")
        await settle(pilot, 0.2)
        assert len(bar.hits) == 2
        await pilot.press("enter")
        assert not bar.display
        pane = screen.focused_pane
        assert "nothing but misery" in pane.article.sentences[pane.body.cursor].text
        assert "match 1/2" in screen.status_line.text
        highlighted = {p.article.id[:3] for p in screen.panes if p.body.matches}
        assert highlighted == {"002", "003"}
        first = screen.focused_column
        await pilot.press("n")
        assert "match 2/2" in screen.status_line.text and screen.focused_column != first
        await pilot.press("N")
        assert "match 1/2" in screen.status_line.text and screen.focused_column == first
        await pilot.press("escape")
        assert not any(p.body.matches for p in screen.panes) and "match" not in screen.status_line.text


async def test_search_scope_and_quotes_toggles():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"Pompeo")
        await settle(pilot, 0.2)
        everywhere = len(screen.query_one(SearchBar).hits)
        await pilot.press("ctrl+t")
        await settle(pilot, 0.2)
        bar = screen.query_one(SearchBar)
        assert 0 < len(bar.hits) < everywhere
        assert {h.article for h in bar.hits} == {screen.focused_pane.article.id}
        await pilot.press("ctrl+o")
        await settle(pilot, 0.2)
        assert bar.quotes_only and all(h.spans for h in bar.hits)


def test_options_may_follow_the_query_and_paths(cli):
    before = cli("search", "--limit", "2", "--json", "Lavrov").json()
    after = cli("search", "Lavrov", "--limit", "2", str(SEEDS), "--json").json()
    assert len(after["hits"]) == 2 and after == before


def test_sentences_with_every_word_rank_before_partial_matches():
    """`above law`: a sentence with only "law" (the rarer word) comes after both real hits, and
    scores less than they do."""
    article = article_from_text(
        "a",
        "The senator said nobody is above the law.\n\n"
        "The law was passed in March by a wide margin.\n\n"
        "No president is above the law, the judge wrote.\n\n"
        "Prices rose above expectations in May.\n\n"
        "The court heard the case on Monday.",
        read_header=False,
    )
    hits = SearchIndex([article]).search("above law")
    texts = [h.text for h in hits]
    full = [t for t in texts if "above" in t and "law" in t]
    assert len(full) == 2 and texts[:2] == full
    partial = [h for h in hits if h.text not in full]
    assert partial and all(h.score < min(x.score for x in hits[:2]) for h in partial)
