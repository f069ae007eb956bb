"""The reader survives anything: a random walk of keys and resizes on several inputs, and every
size down to 40x10 with every panel open."""

from __future__ import annotations

import pytest

from helpers import SEEDS, settle
from tui.ingest.loader import load_paths
from tui.ui.app import BroadsheetApp
from walk import WalkedApp, desk_with_marks, random_walk, stack_broken, synthetic_stories

SHORT_WALK = 60  # keys per input here; benchmarks/monkey.py walks 10,000
PANEL_SHARE = 0.1  # of the walk's steps: a marks panel opened and keys typed quickly in it


def inputs():
    seeds = load_paths([str(SEEDS)]).stories
    return {
        "seeds": seeds,
        "40 articles": synthetic_stories(seeds[0], 40),
        "three stories": synthetic_stories(seeds[0], 4, stories=3),
    }


@pytest.mark.parametrize(
    "name, preset, seed", [("seeds", "default", 1), ("40 articles", "vim", 2), ("three stories", "emacs", 3)]
)
async def test_random_walk_raises_nothing(name, preset, seed, tmp_path):
    from tui.desk.keymap import load_keymap

    # with a reading desk that holds marks: the marks panels list them, the walk adds more
    stories = inputs()[name]
    app = WalkedApp(stories, load_keymap(preset), desk=desk_with_marks(tmp_path, stories))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert await random_walk(pilot, SHORT_WALK, seed=seed, panel_share=PANEL_SHARE) == SHORT_WALK
        assert app._exception is None
        assert app.is_running and not stack_broken(app)


@pytest.mark.parametrize("width, height", [(40, 10), (42, 20), (80, 24)])
async def test_every_panel_opens_at_small_sizes(width, height):
    app = BroadsheetApp(inputs()["seeds"])
    async with app.run_test(size=(width, height)) as pilot:
        await settle(pilot)
        for keys in (["F"], ["Q"], ["D"], ["question_mark"], ["slash", "I", "r", "a", "n"], ["F", "slash", "I", "r"]):
            for key in keys:
                await pilot.press(key)
            await settle(pilot, 0.15)
            assert app._exception is None
            for _ in range(3):
                await pilot.press("escape")
        await pilot.resize_terminal(20, 5)
        await settle(pilot)
        assert app._exception is None and app.is_running


async def test_lines_wrap_by_terminal_cells_even_a_giant_word():
    from rich.cells import cell_len

    from tui.base.model import Story
    from tui.ingest.structure import article_from_text
    from tui.ui.column import GUTTER, ArticleBody

    wide = "北京时间周二，美国国务卿蓬佩奥在索契会见了俄罗斯外长拉夫罗夫。" * 6
    combining = "Cafe\u0301 " * 40 + "e\u0301" * 200
    articles = [
        article_from_text("cjk", f"{wide}\n\nEmoji 🇺🇸🇷🇺 talks 😀😀😀 here.\n\n{combining}.", read_header=False),
        article_from_text("word", "A" * 2_000_000 + ".\n\nThen a sentence.", read_header=False),
    ]
    app = BroadsheetApp([Story("wide", articles)])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for body in app.screen.query(ArticleBody):
            room = body.text_width - GUTTER
            text = body.article.text
            for line in body._lines:
                assert sum(cell_len(text[f.start : f.end]) for f in line.fragments) <= room
            covered = "".join(text[f.start : f.end] for line in body._lines for f in line.fragments)
            assert covered.replace(" ", "") == "".join(s.text for s in body.article.sentences).replace(" ", "")
