"""Every letter the reader paints is readable: WCAG AA (4.5:1) for text and 3:1 for the marks
that carry meaning, walked over the real screens (the columns with their cursor, fact tints and
unique sentences, search hits, marks, panels, help, the compare view, the story list) in the
dark and light themes, in truecolor, 256 and 16 colours as the terminal shows them."""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor
from textual.color import Color

from helpers import SEEDS, ready
from tui.base.model import Story
from tui.desk.store import Desk
from tui.ingest.loader import load_paths
from tui.ui import app as app_module
from tui.ui import palette as palette_module
from tui.ui.app import BroadsheetApp
from tui.ui.readable import contrast, kind_of, shown

THEMES = ["textual-dark", "textual-light"]
DEPTHS = ["truecolor", "256", "standard"]


def unreadable(app, depth: str, where: str) -> list[str]:
    """Runs of text on the screen below the contrast they need, as the terminal shows them."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            need = kind_of(segment.text)
            if need is None or segment.style is None or segment.control:
                continue
            style = segment.style
            fg, bg = _rgb(style.color), _rgb(style.bgcolor)
            assert fg is not None and bg is not None, f"{where}: {segment.text!r} has no colour of its own"
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:
                fg = bg.blend(fg, 0.5)
            fg, bg = shown(fg, depth), shown(bg, depth)
            ratio = contrast(fg, bg)
            if ratio < need:
                found.append(f"{where} line {y}: {segment.text.strip()[:30]!r} {fg.hex} on {bg.hex} = {ratio:.2f}")
    return found


def _rgb(color: RichColor | None) -> Color | None:
    return None if color is None or color.is_default else Color.from_rich_color(color, ansi=False)


@pytest.fixture
def depth_of_terminal(monkeypatch):
    """Pretend the terminal has this many colours (a headless run is truecolor)."""

    def pretend(depth: str) -> None:
        monkeypatch.setattr(palette_module, "colour_depth", lambda app: depth)
        monkeypatch.setattr(app_module, "colour_depth", lambda app: depth)

    return pretend


@pytest.mark.parametrize("depth", DEPTHS)
@pytest.mark.parametrize("theme", THEMES)
async def test_every_text_on_every_background_passes_wcag(theme, depth, depth_of_terminal, tmp_path):
    depth_of_terminal(depth)
    stories = load_paths([str(SEEDS)]).stories
    app = BroadsheetApp(stories, desk=Desk.open(tmp_path / "desk"))
    problems: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.theme = theme
        await ready(pilot)
        await pilot.pause()
        problems += unreadable(app, depth, "first start (legend)")
        await pilot.press("escape")
        for step in range(10):  # the cursor over fact and unique sentences, in two columns
            await pilot.press("j" if step != 5 else "l")
            await pilot.pause()
            problems += unreadable(app, depth, f"cursor {step}")
        await pilot.press("m", "x")  # a mark and a fact status in the gutter
        await pilot.press("slash", *"said", "enter")
        await pilot.pause(0.3)
        problems += unreadable(app, depth, "search hits")
        for keys, where in (
            (["F"], "facts panel"),
            (["F", "Q"], "quotes panel"),
            (["Q", "D"], "compare view"),
            (["escape", "apostrophe"], "story marks"),
            (["escape", "quotation_mark"], "all marks"),
            (["escape", "question_mark"], "help"),
        ):
            await pilot.press(*keys)
            await pilot.pause(0.2)
            problems += unreadable(app, depth, where)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("theme", THEMES)
async def test_the_story_list_is_readable_in_256_colours(theme, depth_of_terminal):
    depth_of_terminal("256")
    articles = load_paths([str(SEEDS)]).stories[0].articles
    app = BroadsheetApp([Story("one", articles[:2], title="One story"), Story("two", articles[2:], title="Two")])
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = theme
        await pilot.pause(0.2)
        problems = unreadable(app, "256", "story list")
    assert not problems, "\n".join(problems[:20])


def test_the_walk_sees_unreadable_text():
    """The check itself can fail: light grey on the accent orange is the 1.5:1 the issue saw."""
    from rich.segment import Segment
    from rich.style import Style

    class Screen:
        class _compositor:
            @staticmethod
            def render_strips():
                return [[Segment("cursor sentence", Style(color="#e0e0e0", bgcolor="#fea62b"))]]

    class App:
        screen = Screen

    assert unreadable(App, "truecolor", "probe") and unreadable(App, "256", "probe")
