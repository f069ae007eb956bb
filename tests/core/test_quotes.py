"""Quotes: extraction, speakers, grouping across outlets, `broadsheet quotes`, the panel."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ROOT, SEEDS, needs_shared, ready, seeds_app
from tui.engine.quotes import extract_quotes, quoted_regions
from tui.ingest.loader import load_paths
from tui.ingest.structure import article_from_text
from tui.ui.compare import CompareScreen
from tui.ui.quotes_panel import QuotesPanel


@pytest.fixture(scope="module")
def found():
    story = load_paths([str(SEEDS)]).stories[0]
    return story, extract_quotes(story.articles)


def quote(found, fragment):
    _, result = found
    [match] = [q for q in result.quotes if fragment in q.text and not q.paraphrase]
    return match


@pytest.mark.parametrize(
    "fragment, speaker",
    [
        ("Democracy cannot be established by force.", "Lavrov"),
        ("I’m expecting an honest conversation with my colleague.", "Lavrov"),
        ("Iran is an escalating threat", "Brian Hook"),
        ("Secretary Pompeo has always been diligent", "Brian Hook"),
        ("This task is more practical", "Sergei Ryabkov"),
        ("things just keep getting worse.", "Fyodor Lukyanov"),
        ("We fundamentally do not seek a war with Iran.", "Pompeo"),
        ("restore the relationship in a full-scale format.", "Putin"),
        ("Maduro has brought nothing but misery", "Pompeo"),
        ("mistake", "Lavrov"),
    ],
)
def test_speakers_on_the_seeds(found, fragment, speaker):
    assert speaker in (quote(found, fragment).speaker or "")


def test_spans_point_into_the_article_text(found):
    story, result = found
    texts = {a.id: a.text for a in story.articles}
    for q in result.quotes:
        assert texts[q.article][q.start : q.end] == q.text


def test_quote_over_several_sentences_is_one_quote(found):
    q = quote(found, "We fundamentally do not seek a war with Iran.")
    assert q.text.endswith("stop conducting assassination campaigns.")
    putin = quote(found, "For our part")
    assert putin.text.endswith("I hope that the necessary conditions for this are now being created.")


def test_partial_and_colon_quotes(found):
    assert quote(found, "mistake").text == "mistake"
    assert quote(found, "Democracy cannot").text == "Democracy cannot be established by force."


def test_maduro_quote_grouped_with_003_paraphrase(found):
    story, result = found
    direct = quote(found, "Maduro has brought nothing but misery")
    group = result.groups[direct.group]
    members = [result.quotes[i] for i in group.quotes]
    paraphrase = [q for q in members if q.paraphrase]
    assert paraphrase and paraphrase[0].article.startswith("003")
    assert "brought nothing but misery to the Venezuelan people" in paraphrase[0].text
    assert len(group.outlets) == 2 and "Pompeo" in group.speaker


def test_unknown_speaker_is_not_guessed():
    article = article_from_text(
        "x",
        'The weather was bad. "It was terrible," one witness remembered later.\n\n'
        'Nobody knew. "Nothing could be done."',
    )
    result = extract_quotes([article])
    assert [q.speaker for q in result.quotes] == [None, None]


def test_pronoun_resolved_only_when_safe():
    safe = article_from_text("a", 'Mike Pompeo warned Iran again on Monday. He said: "We do not seek a war."')
    subject = article_from_text("c", 'Mike Pompeo met Sergei Lavrov on Monday. He said: "We do not seek a war."')
    unsafe = article_from_text(
        "b",
        "After talks between Mike Pompeo and Sergei Lavrov on Monday, the delegations "
        'left. He said: "We do not seek a war."',
    )
    assert extract_quotes([unsafe]).quotes[0].speaker is None  # two people, no subject: he is not guessed
    assert "Pompeo" in extract_quotes([safe]).quotes[0].speaker
    assert "Pompeo" in extract_quotes([subject]).quotes[0].speaker  # he: the sentence's subject


def test_speakers_named_as_a_careful_reader_would():
    """The issue's examples: a partial quote's subject, a title before a name, a quote that
    goes on after its attribution, a speaker's second paragraph, 'D.C.' is no initial."""
    text = (
        "Mr. Trump attacked Hunter Biden on Monday. The U.S. attorney, Jessie K. Liu, said Mr. Biden made "
        "“questionable purchases” with campaign money.\n\n"
        "“Today’s indictment shows no one is above the law,” Ms. Liu said. “We will follow the facts.”\n\n"
        "“Justice was served,” said Representative Andy Harris of Maryland.\n\n"
        "“Nobody expected less.”\n\n"
        "He lives in Washington, D.C. Jackson's wife, Sandi Jackson, said “no excuses” were made."
    )
    speakers = {q.text: q.speaker for q in extract_quotes([article_from_text("x", text)]).quotes}
    assert speakers["questionable purchases"] == "Jessie K. Liu"
    assert speakers["Today’s indictment shows no one is above the law"] == "Jessie K. Liu"
    assert speakers["We will follow the facts."] == "Jessie K. Liu"
    assert speakers["Justice was served"] == "Andy Harris"
    assert speakers["Nobody expected less."] == "Andy Harris"
    assert speakers["no excuses"] == "Sandi Jackson"


def test_typewriter_quote_marks():
    text = "He said ``it was fine'' and left. ''Nothing else,'' she added."
    regions = quoted_regions(text)
    assert [text[s:e] for s, e in regions] == ["it was fine", "Nothing else,"]


def test_quotes_json_contract(cli):
    run = cli("quotes", "--json")
    assert run.code == 0
    document = run.json()
    q = document["quotes"][0]
    assert set(q) == {"id", "speaker", "text", "article", "sentence", "span", "paraphrase", "group"}
    g = document["groups"][0]
    assert set(g) == {"id", "speaker", "quotes", "outlets"}
    assert all(q["group"] == g["id"] for g in document["groups"] for q in document["quotes"] if q["id"] in g["quotes"])


def test_quotes_readable_by_speaker(cli):
    run = cli("quotes")
    assert run.code == 0
    assert "\nBrian Hook\n" in run.out and "(paraphrase)" in run.out


async def test_quotes_panel_and_compare():
    app = seeds_app()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("Q")
        panel = screen.query_one(QuotesPanel)
        assert panel.display and panel.has_focus
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert "Brian Hook" in prompts
        misery = next(i for i, p in enumerate(prompts) if "Maduro has brought nothing but misery" in p)
        panel.highlighted = misery
        await pilot.press("enter")
        for prefix in ("002", "003"):
            pane = next(p for p in screen.panes if p.article.id.startswith(prefix))
            assert "nothing but misery" in pane.article.sentences[pane.body.cursor].text
            assert pane.body.cursor in pane.body.highlighted
        await pilot.press("D")
        assert isinstance(app.screen, CompareScreen) and len(app.screen.passages) == 2
        await pilot.press("escape")
        await pilot.press("escape")
        assert not panel.display


@needs_shared
@pytest.mark.parametrize("split", ["train", "dev"])
def test_speakers_of_the_hand_labelled_quotations(split):
    """tests/fixtures/speakers_basil_{train,dev}.jsonl: quotations labelled by a reader of the
    whole article; a wrong speaker is worse than an unknown one."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.quotes", "--json", "--split", split],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout)
    assert figures["precision"] >= 0.95, figures
    assert figures["unknown_share"] <= 0.20, figures
