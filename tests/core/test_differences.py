"""Where outlets disagree inside a fact: the engine on made-up pairs of sentences (each kind,
and what is no difference), the command's JSON, the reader's marks, panel and compare view,
the exports, and the figures on the hand-annotated BASIL pairs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from helpers import ROOT, needs_shared, ready
from tui.base.model import Story
from tui.engine.differences import sentence_differences
from tui.ingest.structure import article_from_text

TUESDAY = date(2013, 2, 19)


def found(a: str, b: str, day_a: date | None = TUESDAY, day_b: date | None = TUESDAY) -> list[tuple[str, str, str]]:
    return [(kind, a[slice(*sa)], b[slice(*sb)]) for kind, sa, sb in sentence_differences(a, day_a, b, day_b)]


def test_a_figure_that_counts_the_same_thing_differently():
    assert found(
        "They spent $5,687.75 on Martha's Vineyard Holistic Retreat.",
        "They spent a $5,587.75 vacation at the Martha's Vineyard Holistic Retreat.",
    ) == [("number", "$5,687.75", "$5,587.75")]
    assert found(
        "The department released 55,000 pages of e-mails on Monday.", "It released 50,000 pages of e-mails."
    ) == [("number", "55,000", "50,000")]


@pytest.mark.parametrize(
    "a, b",
    [
        ("He bought a $43,350 gold-plated Rolex watch.", "He bought a $43,000 Rolex watch."),  # rounding
        ("He spent over $10,000 at Best Buy on televisions.", "He spent $10,977.74 at Best Buy on televisions."),
        ("It cost $250,000 to build the wall.", "It cost a quarter of a million dollars to build the wall."),
        ("He spent $750,000 in campaign cash on personal items.", "He bought a $43,000 Rolex watch."),  # other things
        ("The sentencing is set for June 28 at 2 p.m.", "He will be sentenced on June 28."),
    ],
)
def test_rounding_approximation_and_other_quantities_are_no_difference(a, b):
    assert [d for d in found(a, b) if d[0] == "number"] == []


@pytest.mark.parametrize(
    "a, b, differ",
    [
        ("More than 10 people died in the fire.", "12 people died in the fire.", False),  # 12 is more than 10
        ("More than 10 people died in the fire.", "9 people died in the fire.", True),
        ("Fewer than 50 people came to the rally.", "40 people came to the rally.", False),
        ("Fewer than 50 people came to the rally.", "60 people came to the rally.", True),
        ("Nearly 100 people came to the rally.", "96 people came to the rally.", False),
        ("Nearly 100 people came to the rally.", "104 people came to the rally.", True),  # nearly is just under
        ("About 100 people came to the rally.", "104 people came to the rally.", False),
    ],
)
def test_an_approximation_agrees_only_with_the_figures_it_allows(a, b, differ):
    kinds = [d[0] for d in found(a, b)] + [d[0] for d in found(b, a)]
    assert ("number" in kinds) is differ


def test_what_is_no_date_and_which_day_last_tuesday_is():
    from tui.engine.differences import whens

    # a month name in small letters is a word: "march 5 miles", "may 3"
    assert whens("They march 5 miles and may 3 times a day.", TUESDAY) == []
    assert [w.grain for w in whens("They marched on March 5 and in May.", TUESDAY)] == ["day", "month"]
    assert [w.grain for w in whens("HELD ON MARCH 5, 2012 AND IN MAY 2012", TUESDAY)] == ["day", "month"]
    # "last Tuesday" written on a Tuesday is a week ago; "Tuesday" alone is that day
    [last, plain] = whens("It began last Tuesday and ended Tuesday.", TUESDAY)
    assert (last.start, plain.start) == (date(2013, 2, 12), TUESDAY)
    # a range of years that runs backwards is no range
    assert whens("He served from 1979 to 1967.", TUESDAY) == []


def test_names_with_accents_and_where_they_start():
    from tui.engine.speakers import person_names

    text = "Turkish President Recep Tayyip Erdoğan met Prime Minister Min Aung Hlaing and Łukasz Kowalski."
    names = [(text[start:end], name) for start, end, name in person_names(text)]
    assert ("Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan") in names
    assert ("Min Aung Hlaing", "Min Aung Hlaing") in names  # not "Ministe…" from the role before it
    assert ("Łukasz Kowalski", "Łukasz Kowalski") in names


def test_dates_resolved_against_each_article():
    # the article of 2013-01-30: "earlier this month" is January 2013, "last year" 2012
    day = date(2013, 1, 30)
    assert found(
        "Cowan joined the Patrick administration in 2009 and quit earlier this month to join private practice.",
        "He left the Patrick administration last year to return to the private sector.",
        day,
        day,
    ) == [("date", "earlier this month", "last year")]
    # "Tuesday" in an article of Wednesday is the day before: the same day as Feb. 19
    assert (
        found(
            "The senators said on Tuesday they subpoenaed his firms.",
            "The senators subpoenaed his firms on Feb. 19.",
            date(2013, 2, 20),
            date(2013, 2, 20),
        )
        == []
    )
    assert found("Edward Brooke served from 1967 to 1979.", "Edward Brooke held the seat from 1966 to 1978.") == [
        ("date", "from 1967 to 1979", "from 1966 to 1978")
    ]


def test_a_role_with_another_rank():
    assert found(
        "Moore, then an assistant district attorney, approached her.",
        "Mr. Moore, then a district attorney, had approached her.",
    ) == [("person", "an assistant district attorney", "a district attorney")]


def test_a_quotation_worded_differently_inside():
    assert found(
        '"Trump says he wants to run the nation like he\'s running his business?"',
        "“Trump says he wants to run the nation like he’s run his business,” Bloomberg said.",
    ) == [("quote", "running", "run")]
    kinds = found(
        "“I used money that should have been used for my campaign.”",
        'He acknowledged he "used money that shouldn\'t have been used."',
    )
    assert ("quote", "should", "shouldn't") in kinds


@pytest.mark.parametrize(
    "a, b",
    [
        (
            "“This garbage is the very definition of fake news and intentional defamation,” he said.",
            "The campaign called the accusations “the very definition of fake news.”",
        ),  # one quotes more
        (
            "“Like most Americans, the president believes we cannot allow a mere allegation.”",
            "Trump “believes that we cannot allow a mere allegation,” she said.",
        ),  # a function word
        ("“I would never pay for that f***ing wall,” Fox said.", "“I'd never pay for that fucking wall,” he said."),
        (
            "“Sen. Reid respects that but thinks that the mosque should be built someplace else.”",
            "“Senator Reid respects that but thinks that the mosque should be built someplace else.”",
        ),
    ],
)
def test_what_is_no_quotation_difference(a, b):
    assert [d for d in found(a, b) if d[0] == "quote"] == []


def test_preview_against_report():
    assert found(
        "His wife later pleaded guilty Wednesday to filing false tax returns.",
        "His wife is expected to plead guilty to filing false tax returns on Wednesday afternoon.",
    ) == [("preview", "pleaded", "is expected to plead")]
    assert found("The House committee is preparing to issue subpoenas.", "The committee will issue subpoenas.") == []


def test_paraphrase_is_no_difference():
    assert (
        found(
            "Pompeo warned Iran against targeting American interests on Tuesday.",
            "On Tuesday the secretary cautioned Tehran not to attack U.S. interests.",
        )
        == []
    )


def _story(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Jackson pleads guilty\n\nFormer Rep. Jesse Jackson Jr. pleaded guilty on Wednesday "
        "in federal court. Records show he spent $5,687.75 on Martha's Vineyard Holistic "
        "Retreat in 2008.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Jackson admits fraud\n\nFormer Rep. Jesse Jackson Jr. pleaded guilty on Wednesday "
        "in a federal court. Records show he spent $5,587.75 on Martha's Vineyard Holistic "
        "Retreat in 2008.\n",
        encoding="utf-8",
    )
    return folder


def test_the_command_prints_each_difference_with_spans_and_outlets(cli, tmp_path):
    story = _story(tmp_path)
    run = cli("differences", str(story), "--json")
    assert run.code == 0, run.err
    document = run.json()
    assert set(document) == {"cluster", "threshold", "differences"}
    difference = next(d for d in document["differences"] if d["kind"] == "number")
    assert difference["fact"] is not None
    for side, figure in ((difference["a"], "$5,687.75"), (difference["b"], "$5,587.75")):
        assert side["text"] == figure and side["article"] in ("a", "b") and side["outlet"]
    texts = {s["a"]["text"] for s in document["differences"]} | {s["b"]["text"] for s in document["differences"]}
    assert texts == {"$5,687.75", "$5,587.75"}
    readable = cli("differences", str(story))
    assert "⟦$5,687.75⟧" in readable.out
    # one table of labels for every place a difference is shown
    from tui.engine.differences import KIND_LABELS

    assert KIND_LABELS["number"] == "figure" and "· figure\n" in readable.out


def test_the_exports_have_a_differences_section(cli, tmp_path):
    story = _story(tmp_path)
    md = cli("export", str(story), "--format", "md").out
    assert "## Where the outlets differ" in md and "**$5,687.75**" in md and "**$5,587.75**" in md
    html = cli("export", str(story), "--format", "html").out
    assert "<mark>$5,687.75</mark>" in html and "Where the outlets differ" in html
    document = json.loads(cli("export", str(story), "--format", "json").out.splitlines()[0])
    assert {d["a"]["words"] for d in document["differences"]} | {d["b"]["words"] for d in document["differences"]} == {
        "$5,687.75",
        "$5,587.75",
    }


async def test_the_reader_marks_lists_and_compares_them(tmp_path):
    from tui.ingest.loader import load_paths
    from tui.ui.app import BroadsheetApp
    from tui.ui.compare import CompareScreen
    from tui.ui.differences_panel import DifferencesPanel

    app = BroadsheetApp(load_paths([str(_story(tmp_path))]).stories)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await ready(pilot)
        for _ in range(100):
            if screen.differences:
                break
            await pilot.pause(0.02)
        marked = {pane.article.id: pane.body.differences for pane in screen.panes}
        spans = [
            (pane.article.sentences[sid].text[s:e])
            for pane in screen.panes
            for sid, ranges in marked[pane.article.id].items()
            for s, e in ranges
        ]
        assert sorted(spans) == ["$5,587.75", "$5,687.75"]
        await pilot.press("escape", "V")
        panel = screen.query_one(DifferencesPanel)
        assert panel.display and "figure" in str(panel.get_option_at_index(1).prompt)
        await pilot.press("enter")
        await pilot.pause(0.1)
        pane = screen.focused_pane
        assert "$5,687.75" in pane.article.sentences[pane.body.cursor].text
        await pilot.press("escape", "D")
        await pilot.pause(0.1)
        compare = pilot.app.screen
        assert isinstance(compare, CompareScreen)
        shown = [text[s:e] for (_, text), spans in zip(compare.passages, compare.differing) for s, e in spans]
        assert sorted(shown) == ["$5,587.75", "$5,687.75"]


def test_one_article_or_no_fact_gives_no_difference(cli, tmp_path):
    (tmp_path / "one.txt").write_text("Title\n\nIt cost $5 on Monday.\n", encoding="utf-8")
    run = cli("differences", str(tmp_path / "one.txt"), "--json")
    assert run.code == 0 and run.json()["differences"] == []


@needs_shared
def test_precision_and_recall_on_the_annotated_basil_pairs():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.differences", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout)
    assert figures["annotated"] >= 15
    assert figures["precision"] >= 0.85 and figures["recall"] >= 0.80, figures


def test_core_articles_build_with_dates():
    article = article_from_text("a", "Title\n\nBody text on Tuesday.", date="2013-02-20")
    assert Story("x", [article]).articles[0].date == "2013-02-20"


def test_a_figure_of_hundreds_of_digits_and_twin_quotations_are_no_trouble():
    """Found by a second reading: 10**400 overflowed a float (a crash in the reader's worker),
    and a sentence two outlets print alike, with two quotations, compared each quotation with
    the other's second one."""
    assert found("It cost 1" + "0" * 400 + " dollars in damage.", "It cost 5 dollars in damage.") == []
    twice = 'Protesters chanted "lock him up now" and later "lock her up today" outside the court.'
    assert found(twice, twice) == []
