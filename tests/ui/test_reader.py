"""The reader, driven like a person would with Pilot: what the columns show after each key."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable

from helpers import SEEDS, compare_sentence_with, ready, seeds_app, settle
from tui.base.model import Story
from tui.engine.pairs import THRESHOLD, SentenceKey
from tui.ingest.loader import load_paths
from tui.ingest.structure import article_from_text
from tui.ui.app import BroadsheetApp
from tui.ui.column import ArticleBody
from tui.ui.facts import FactsPanel
from tui.ui.help import HelpScreen
from tui.ui.reader import ReaderScreen
from tui.ui.stories import StoriesScreen


def visible_text(body: ArticleBody) -> str:
    return "\n".join(body.render_line(y).text for y in range(body.size.height))


def cursor_text(screen: ReaderScreen, index: int | None = None) -> str:
    pane = screen.panes[screen.focused_column if index is None else index]
    return pane.article.sentences[pane.body.cursor].text


def pane_of(screen: ReaderScreen, prefix: str):
    return next(p for p in screen.panes if p.article.id.startswith(prefix))


async def test_columns_headers_and_first_paint():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        assert [p.display for p in screen.panes] == [True] * 4
        header = str(screen.panes[3].header.render())
        assert "U.S., Russia spar over Iran, Venezuela" in header and "Nayan Seth, Li Jingyi" in header
        await ready(pilot)
        shared = sum(screen.panes[0].article.id in fact.members for fact in screen.alignment.facts)
        assert shared and f"{shared} fact{'s' if shared > 1 else ''} shared" in str(screen.panes[0].header.render())
        assert "Secretary of State Mike Pompeo" in visible_text(screen.panes[0].body)


async def test_boilerplate_hidden_until_asked():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        body = pane_of(screen, "001").body
        texts = [
            body.article.sentences[f.sentence].text
            for line in body._lines
            for f in line.fragments
            if f.sentence is not None
        ]
        assert not any("Ginsburg" in t for t in texts)
        await pilot.press("B")
        texts = [
            body.article.sentences[f.sentence].text
            for line in body._lines
            for f in line.fragments
            if f.sentence is not None
        ]
        assert any("Ginsburg" in t for t in texts)


async def test_navigation_keys():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        body = screen.focused_pane.body
        assert cursor_text(screen).startswith("Secretary of State Mike Pompeo is set to meet")
        await pilot.press("j", "j")
        assert cursor_text(screen).startswith("They will navigate through a host")
        await pilot.press("k")
        assert cursor_text(screen).startswith("Pompeo and Putin will likely square off")
        await pilot.press("G")
        assert cursor_text(screen) == "“But in terms of foreign policy, things just keep getting worse.”"
        assert body.scroll_y > 0
        assert "keep getting worse" in visible_text(body)
        await pilot.press("g")
        assert body.cursor == 0 and body.scroll_y == 0
        await pilot.press("space")
        assert body.scroll_y > 0
        line = body._first_line[body.cursor]
        assert body.scroll_y <= line < body.scroll_y + body.size.height
        await pilot.press("b")
        assert body.scroll_y == 0
        await pilot.press("ctrl+d")
        assert body.scroll_y > 0
        await pilot.press("l")
        assert screen.focused_column == 1
        await pilot.press("right", "right", "right")
        assert screen.focused_column == 3
        await pilot.press("h")
        assert screen.focused_column == 2


async def test_click_focuses_a_sentence():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        body = screen.panes[2].body
        await pilot.click(body, offset=(5, 4))
        assert screen.focused_column == 2
        assert (
            body.cursor == body.sentence_at(4, 5)
            and body.article.sentences[body.cursor].text == "Election interference?"
        )


async def test_jump_to_counterparts_of_maduro_quote():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("l", "l")
        body = screen.focused_pane.body
        target = next(s.id for s in body.article.sentences if "Maduro has brought nothing but misery" in s.text)
        body.set_cursor(target)
        await pilot.press("enter")
        other = pane_of(screen, "003").body
        assert "because he's brought nothing but misery" in other.article.sentences[other.cursor].text
        assert other.cursor in other.highlighted
        assert "nothing but misery" in visible_text(other)


async def test_next_and_previous_fact():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        alignment = screen.alignment
        # the column whose article shares the most facts: ] and [ need two to move between
        richest = max(
            range(len(screen.panes)),
            key=lambda i: sum(screen.panes[i].article.id in f.members for f in alignment.facts),
        )
        for _ in range(richest):
            await pilot.press("l")
        article = screen.focused_pane.article
        assert sum(article.id in f.members for f in alignment.facts) >= 2
        await pilot.press("right_square_bracket")
        first = alignment.fact_of[SentenceKey(article.id, screen.focused_pane.body.cursor)]
        await pilot.press("right_square_bracket")
        second = alignment.fact_of[SentenceKey(article.id, screen.focused_pane.body.cursor)]
        assert first != second
        await pilot.press("left_square_bracket")
        assert alignment.fact_of[SentenceKey(article.id, screen.focused_pane.body.cursor)] == first
        # the other columns were brought to the fact
        members = alignment.facts[first].members
        for pane in screen.panes[1:]:
            if pane.article.id in members:
                assert pane.body.cursor in members[pane.article.id]


async def test_sync_mode_follows_the_cursor():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("s")
        assert screen.sync and "sync on" in str(screen.query_one("#status").render())
        article = screen.focused_pane.article
        g20 = next(s.id for s in article.sentences if "Group of 20" in s.text)
        while screen.focused_pane.body.cursor != g20:
            await pilot.press("j")
        for prefix, words in (("001", "G20 summit in Japan"), ("002", "G20 summit in Osaka")):
            assert words in cursor_text(screen, pane_of(screen, prefix).index)
        await pilot.press("s")
        assert not screen.sync and "sync off" in str(screen.query_one("#status").render())


async def test_facts_panel_and_enter():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("F")
        panel = screen.query_one(FactsPanel)
        assert panel.display and panel.has_focus
        assert panel.option_count > len(screen.alignment.facts)
        first_row = str(panel.get_option_at_index(0).prompt)
        # after the status sign, the fact's number as the columns show it; by coverage: the G20
        # fact carries in three of four
        number = int(first_row[1:3])
        assert first_row[4:].startswith("●●●○")
        await pilot.press("enter")
        pane = screen.focused_pane
        assert screen.alignment.fact_of[SentenceKey(pane.article.id, pane.body.cursor)] + 1 == number
        covered = [pane for pane in screen.panes if not pane.article.id.startswith("003")]
        assert all(pane.body.highlighted for pane in covered)
        assert all(
            "G20" in cursor_text(screen, p.index) or "Group of 20" in cursor_text(screen, p.index) for p in covered
        )
        await pilot.press("o")
        assert "reading order" in panel.border_title
        await pilot.press("escape")
        assert not panel.display


async def test_a_panel_reopened_after_a_resize_fits_its_new_width():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        panel = screen.query_one(FactsPanel)
        for size in [(160, 45), (100, 30), (100, 40), (180, 45)]:
            await pilot.resize_terminal(*size)
            await pilot.press("F")
            await pilot.pause()
            width = panel.scrollable_content_region.width
            rows = [panel.render_line(y) for y in range(panel.size.height)]
            assert {row.cell_length for row in rows} == {width}, size
            assert "Only in" in "".join(row.text for row in rows)
            await pilot.press("escape")
            await pilot.pause()


async def test_compare_view_marks_word_differences():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        compare = await compare_sentence_with(pilot, screen, "Group of 20")
        assert len(compare.passages) == 3
        outlets = [str(w.render()) for w in compare.query(".outlet")]
        assert outlets[0] == "000"
        passage = compare.query(".passage").first().render()
        styled = {passage.plain[s.start : s.end] for s in passage.spans if "bold" in str(s.style)}
        assert "Monday" in styled  # only 000 says Monday
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ReaderScreen)


async def test_copy_with_attribution():
    app = seeds_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        copied = []
        app.copy_to_clipboard = copied.append
        await pilot.press("y")
        assert copied and copied[0].endswith("— 000, 2019-05-14")
        assert copied[0].startswith("Secretary of State Mike Pompeo is set to meet")


async def test_help_lists_the_active_keys():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in pilot.app.screen.query("Static"))
        assert "Bring every other column to this sentence's counterparts" in text
        assert "[counterparts]" in text and "enter, c" in text
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ReaderScreen)


async def test_story_list_with_several_stories(tmp_path):
    text = "Pompeo met Lavrov in Sochi on Tuesday for talks. They disagreed on Venezuela."
    lines = [
        json.dumps(
            {
                "id": f"story{i}",
                "title": f"Story number {i}",
                "articles": [{"id": "a", "outlet": "Alpha", "text": text}, {"id": "b", "outlet": "Beta", "text": text}],
            }
        )
        for i in range(3)
    ]
    (tmp_path / "stories.jsonl").write_text("\n".join(lines))
    app = BroadsheetApp(load_paths([str(tmp_path / "stories.jsonl")]).stories)
    async with app.run_test(size=(120, 30)) as pilot:
        assert isinstance(app.screen, StoriesScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        assert "Story number 0" in str(table.get_row_at(0)[0])
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ReaderScreen) and app.screen.story.id == "story1"
        await pilot.press("escape")  # the first start's legend goes first
        assert not app.screen.query_one("#legend").display
        await pilot.press("escape")
        assert isinstance(app.screen, StoriesScreen)


async def test_one_article():
    story = Story("one", [article_from_text("only", "Just one article here. It has two sentences.")])
    app = BroadsheetApp([story])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.alignment.facts == []
        await pilot.press("j", "enter", "right_square_bracket", "D", "F")
        assert screen.focused_pane.body.cursor == 1


def _twelve() -> Story:
    articles = load_paths([str(SEEDS)]).stories[0].articles
    copies = []
    for i in range(12):
        base = articles[i % 4]
        copies.append(article_from_text(f"copy{i:02d}", base.text))
    return Story("twelve", copies)


async def test_twelve_articles_move_the_view_across_columns():
    app = BroadsheetApp([_twelve()])
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        assert screen.visible_count == 4
        assert "columns 1–4 of 12" in str(screen.query_one("#status").render())
        for _ in range(6):
            await pilot.press("l")
        assert screen.focused_column == 6
        assert screen.panes[6].display and not screen.panes[0].display
        assert "columns 4–7 of 12" in str(screen.query_one("#status").render())
        await pilot.press("z")
        assert screen.visible_count == 1 and [p.index for p in screen.panes if p.display] == [6]


@pytest.mark.parametrize("size, columns", [((60, 20), 1), ((250, 60), 4)])
async def test_sizes(size, columns):
    async with seeds_app().run_test(size=size) as pilot:
        screen = await ready(pilot)
        assert screen.visible_count == columns
        body = screen.focused_pane.body
        assert all(len(body.render_line(y).text) <= body.size.width for y in range(body.size.height))


async def test_resize_reflows_and_too_small_says_so():
    async with seeds_app().run_test(size=(60, 20)) as pilot:
        screen = await ready(pilot)
        body = screen.panes[0].body
        narrow_lines = len(body._lines)
        await pilot.resize_terminal(250, 60)
        await pilot.pause()
        assert screen.visible_count == 4
        assert len(body._lines) < narrow_lines
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        notice = screen.query_one("#too-small")
        assert notice.display and "needs at least 40x10" in str(notice.render())
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert not notice.display and screen.visible_count == 4


async def test_column_edge_shows_where_the_view_is():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        body = screen.focused_pane.body

        def edge() -> str:
            return "".join(body.render_line(y).text[-1] for y in range(body.size.height))

        assert edge().startswith("▐") and edge().endswith("▕")  # the view is the top of the text
        await pilot.press("G")
        await pilot.pause()
        assert edge().startswith("▕") and edge().endswith("▐")
        assert body.sentence_at(0, body.size.width - 1) is None  # the edge is no sentence


async def test_article_text_is_never_markup():
    text = "Click [@click=app.quit]here[/] now. And [b]bold[/b] stays literal. [red]Red[/red] too."
    story = Story("markup", [article_from_text("evil", text), article_from_text("plain", "Something else entirely.")])
    app = BroadsheetApp([story])
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        shown = visible_text(screen.panes[0].body)
        assert "[@click=app.quit]here[/]" in shown and "[b]bold[/b]" in shown and "[red]Red[/red]" in shown
        await pilot.click(screen.panes[0].body, offset=(8, 0))
        await pilot.pause()
        assert app.is_running


async def test_fact_cut_keys_show_more_or_fewer_facts():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        status = lambda: str(screen.query_one("#status").render())
        default = len(screen.alignment.facts)
        assert f"facts (pair ≥ {THRESHOLD:.2f})" in status()
        for _ in range(2):
            await pilot.press("minus")
            await settle(pilot)
        assert screen.alignment.threshold == 0.3 and "(pair ≥ 0.30)" in status()
        looser = len(screen.alignment.facts)
        assert looser > default
        assert f"{looser} facts" in status()
        for _ in range(6):
            await pilot.press("plus")
            await settle(pilot)
        assert screen.alignment.threshold == 0.9
        assert len(screen.alignment.facts) <= default
        await pilot.press("plus")  # already the surest: says so, changes nothing
        await settle(pilot)
        assert screen.alignment.threshold == 0.9


async def test_the_readers_cut_is_the_align_commands_min_score(cli):
    """One cut everywhere: the reader stepped down to 0.4 shows the facts that
    `align --min-score 0.4` prints."""
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("minus")
        await settle(pilot)
        assert screen.alignment.threshold == 0.4
        shown = [f.members for f in screen.alignment.facts]
    printed = cli("align", str(SEEDS), "--json", "--min-score", "0.4").json()
    assert shown == [{m["article"]: m["sentences"] for m in f["members"]} for f in printed["facts"]]
    assert len(shown) >= 2


async def test_sentences_the_source_glued_are_shown_with_a_space():
    from tui.ui.column import ArticleBody

    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        body = next(b for b in screen.query(ArticleBody) if b.article.id.startswith("002"))
        shown = " ".join(body.render_line(y).text[2:].strip() for y in range(min(len(body._lines), body.size.height)))
        assert "Venezuela. After emerging" in " ".join(shown.split())
        assert "Venezuela.After" in body.article.text  # the text and every span stay exact
        assert all(body.article.text[s.start : s.end] == s.text for s in body.article.sentences)


async def test_status_line_says_what_the_focused_sentence_is():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        status = lambda: str(screen.query_one("#status").render())
        article = screen.focused_pane.article
        g20 = next(s.id for s in article.sentences if "Group of 20" in s.text)
        screen.focused_pane.body.set_cursor(g20)
        screen.update_status()
        fact = screen.alignment.fact_of[SentenceKey(article.id, g20)]
        assert f"fact {fact + 1} · in 3 of 4 outlets" in status()
        lonely = next(s.id for s in article.sentences if "wreath" in s.text)
        screen.focused_pane.body.set_cursor(lonely)
        screen.update_status()
        assert "only in 000" in status()


async def test_a_story_with_nothing_to_compare_says_so():
    from tui.base.model import Story
    from tui.ingest.structure import article_from_text
    from tui.ui.app import BroadsheetApp

    one = [article_from_text("a", "Pompeo met Lavrov in Sochi. They talked.", read_header=False)]
    apart = one + [article_from_text("b", "A cat sat on the mat. It purred loudly.", read_header=False)]
    for articles, message in (
        (one, "one article: nothing to compare"),
        (apart, f"no shared facts (pair ≥ {THRESHOLD:.2f}): the articles may not be about the same event"),
    ):
        app = BroadsheetApp([Story("story", articles)])
        async with app.run_test(size=(160, 45)) as pilot:
            screen = await ready(pilot)
            assert message in str(screen.query_one("#status").render())


async def test_a_headline_shows_once_in_the_columns_header(tmp_path):
    """Title, a blank line, the article (.txt), and a Markdown # heading: the title is the
    article's, shown in the column's header and not again as a heading sentence."""
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Senate overrides Obama veto on Saudi lawsuits\n\nThe Senate voted 97-1 on "
        "Wednesday to override the veto of a bill letting families sue Saudi Arabia.\n",
        encoding="utf-8",
    )
    (folder / "b.md").write_text(
        "# Congress rebuffs Obama on September 11 bill\n\nLawmakers voted on Wednesday to "
        "override the veto, the first of his presidency, by 97 to 1 in the Senate.\n",
        encoding="utf-8",
    )
    story = load_paths([str(folder)]).stories[0]
    assert [a.title_derived for a in story.articles] == [False, False]
    app = BroadsheetApp([story])
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        for pane in screen.panes:
            title_words = " ".join(pane.article.title.split()[:3])
            lines = [pane.body.render_line(y).text for y in range(min(len(pane.body._lines), pane.body.size.height))]
            assert not any(title_words in line for line in lines), "the headline is not repeated in the body"
            from tui.ui.column import ColumnHeader

            header = str(pane.query_one(ColumnHeader).render())
            assert title_words in " ".join(header.split())


async def test_the_facts_panel_names_outlets_whole():
    """At 80 columns the facts panel wrote "Only in The New York…": outlet names are whole."""
    text = (
        "The Senate voted 97 to 1 on Wednesday to override the veto of the Sept. 11 bill.\n\n"
        "The House followed hours later.\n\n{tail}"
    )
    articles = [
        article_from_text(
            "nyt",
            text.format(tail="Saudi Arabia lobbied hard against the bill for months."),
            read_header=False,
            outlet="The New York Times International",
        ),
        article_from_text(
            "fox",
            text.format(tail="The White House called it an embarrassment."),
            read_header=False,
            outlet="Fox News Channel Politics Desk",
        ),
    ]
    app = BroadsheetApp([Story("veto", articles)])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape", "F")
        await pilot.pause()
        panel = screen.query_one(FactsPanel)
        rows = " ".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))
        assert "Only in The New York Times International:" in rows
        assert "Only in Fox News Channel Politics Desk:" in rows


async def test_the_cursor_stays_in_view_after_a_resize():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape", *["j"] * 25)
        await pilot.pause()
        for size in [(80, 24), (100, 30), (60, 20)]:
            await pilot.resize_terminal(*size)
            await pilot.pause(0.1)
            body = screen.focused_pane.body
            first, last = body._first_line[body.cursor], body._last_line[body.cursor]
            assert body.scroll_y <= first and last < body.scroll_y + body.size.height, size


async def test_the_loading_notice_counts_only_inputs_left_out():
    """A cache that cannot be used or a stale copy is said as it is, not as a skipped input."""
    stories = load_paths([str(SEEDS)]).stories
    warnings = [
        "https://a.example/x: timed out after 20 s (skipped)",
        "https://b.example/y: the page cache cannot be used (not a database); fetching without it",
        "https://c.example/z: unreachable; opened the copy fetched before",
    ]
    app = BroadsheetApp(None, loader=lambda progress, cancelled: (stories, warnings), addresses=["https://a.example/x"])
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if isinstance(app.screen, ReaderScreen):
                break
            await pilot.pause(0.05)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("1 input skipped: https://a.example/x") for m in messages), messages
        assert any("page cache cannot be used" in m and "skipped" not in m for m in messages)
        assert any("opened the copy fetched before" in m and "skipped" not in m for m in messages)
