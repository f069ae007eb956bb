"""Properties that hold on any input (Hypothesis, a fixed budget and fixed seed in CI)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.base.gate import clean_inline, clean_text
from tui.engine.align import align
from tui.engine.search import SearchIndex
from tui.ingest.formats import READERS, LoadError
from tui.ingest.segment import split_sentences
from tui.ingest.structure import article_from_text

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FORBIDDEN = set(chr(c) for c in list(range(0, 9)) + list(range(11, 32)) + list(range(0x7F, 0xA0))) | set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

# Text that looks like news and like damage: words, punctuation, quotes, abbreviations, controls.
PIECES = st.sampled_from(
    [
        "Pompeo",
        "Lavrov",
        "said",
        "U.S.",
        "Mr.",
        "the",
        "talks",
        "in",
        "Sochi",
        "George W. Bush",
        '"',
        "“",
        "”",
        "'",
        ".",
        "!",
        "?",
        "...",
        "…",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "(",
        ")",
        "2019",
        "3.5",
        "No.",
        "Venezuela.After",
        "\x1b[2J",
        "\x1b]0;x\x07",
        "\x9b",
        "\u202e",
        "[b]",
        "[@click=app.quit]",
        "é",
        "北京",
        "😀",
        "e\u0301",
        "—",
        "•",
        "# ",
        "> ",
        "- ",
    ]
)
NEWSY = st.lists(PIECES, max_size=60).map("".join)
ANY_TEXT = st.one_of(NEWSY, st.text(max_size=300))


@FUZZ
@given(ANY_TEXT)
def test_cleaning_leaves_no_control_and_is_idempotent(text):
    for cleaned in (clean_text(text), clean_inline(text)):
        assert not FORBIDDEN & set(cleaned.replace("\n", "").replace("\t", ""))
    assert clean_text(clean_text(text)) == clean_text(text)
    assert clean_inline(clean_inline(text)) == clean_inline(text)


@FUZZ
@given(ANY_TEXT)
def test_sentence_spans_are_exact_ordered_and_trimmed(text):
    previous_end = 0
    for start, end in split_sentences(text):
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece.strip() and piece == piece.strip()
        previous_end = end


@FUZZ
@given(ANY_TEXT)
def test_articles_keep_exact_spans_whatever_the_text(text):
    article = article_from_text("a", text)
    assert [s.id for s in article.sentences] == list(range(len(article.sentences)))
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
        assert sentence.kind in ("body", "heading", "caption", "boilerplate")
    assert not FORBIDDEN & set(article.text.replace("\n", "").replace("\t", ""))


@FUZZ
@given(
    st.sampled_from(sorted(READERS)),
    st.one_of(
        st.binary(max_size=400),
        NEWSY.map(str.encode),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda kids: (
                st.lists(kids, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["id", "text", "title", "articles", "outlet", "authors"]), kids, max_size=4
                )
            ),
            max_leaves=12,
        ).map(lambda v: json.dumps(v).encode()),
    ),
)
def test_every_reader_gives_articles_or_one_load_error(extension, data):
    try:
        parsed = READERS[extension](data, "fuzz" + extension, "fuzz")
    except LoadError as error:
        assert "\n" not in str(error) and str(error).startswith("fuzz")
        return
    for article in parsed.articles + [a for c in parsed.stories for a in c.articles]:
        for sentence in article.sentences:
            assert article.text[sentence.start : sentence.end] == sentence.text


@FUZZ
@given(st.lists(NEWSY, min_size=0, max_size=5))
def test_alignment_properties_hold_on_any_articles(texts):
    articles = [article_from_text(f"a{i}", t, read_header=False) for i, t in enumerate(texts)]
    result = align(articles, min_score=0.0)
    again = align(articles, min_score=0.0)
    assert [(p.a, p.b, p.score) for p in result.pairs] == [(p.a, p.b, p.score) for p in again.pairs]
    sentences = {a.id: {s.id for s in a.sentences} for a in articles}
    for pair in result.pairs:
        assert pair.a.article != pair.b.article and 0.0 <= pair.score <= 1.0
        assert pair.a.sentence in sentences[pair.a.article] and pair.b.sentence in sentences[pair.b.article]
    seen = set()
    for fact in result.facts:
        assert len(fact.members) >= 2 and all(len(ids) == 1 for ids in fact.members.values())
        for key in fact.keys():
            assert key not in seen
            seen.add(key)


@FUZZ
@given(st.lists(NEWSY, min_size=1, max_size=3), st.text(max_size=30) | st.lists(PIECES, max_size=6).map("".join))
def test_search_never_fails_and_its_spans_are_inside_the_sentence(texts, query):
    articles = [article_from_text(f"a{i}", t, read_header=False) for i, t in enumerate(texts)]
    for hit in SearchIndex(articles).search(query, limit=10):
        for start, end in hit.spans:
            assert 0 <= start < end <= len(hit.text)
