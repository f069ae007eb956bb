"""Snapshots of the screens that matter, as SVG (colour is the product): the reader at
160x45 and 80x24, the facts and quotes panels, the compare view, search with hits, help, the
story list, the light theme and a 256-colour terminal.

A snapshot that differs fails with the new picture saved beside the old one (`*.new.svg`,
open both in a browser); after looking, accept the new pictures with
    BROADSHEET_UPDATE_SNAPSHOTS=1 python -m pytest tests/ui/test_snapshots.py
(Our own small equal of pytest-textual-snapshot, whose syrupy pin needs pytest < 9.)"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from helpers import SEEDS, ready
from tui.base.model import Story
from tui.ingest.loader import load_paths
from tui.ui import app as app_module
from tui.ui import palette as palette_module
from tui.ui.app import BroadsheetApp

SNAPSHOTS = Path(__file__).with_name("snapshots")


def _stable(svg: str) -> str:
    """The picture without what changes from run to run: Textual's per-export ids."""
    return re.sub(r"terminal-\d+", "terminal", svg)


def assert_snapshot(app, name: str) -> None:
    picture = _stable(app.export_screenshot(title=name))
    expected = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("BROADSHEET_UPDATE_SNAPSHOTS") == "1" or not expected.exists():
        if not expected.exists() and os.environ.get("CI"):
            pytest.fail(f"no snapshot {expected.name}: run with BROADSHEET_UPDATE_SNAPSHOTS=1 and commit it")
        SNAPSHOTS.mkdir(exist_ok=True)
        expected.write_text(picture, encoding="utf-8")
        return
    if expected.read_text(encoding="utf-8") != picture:
        new = expected.with_suffix(".new.svg")
        new.write_text(picture, encoding="utf-8")
        pytest.fail(f"{name} looks different: compare {expected} with {new}; accept with BROADSHEET_UPDATE_SNAPSHOTS=1")


def seeds_app() -> BroadsheetApp:
    return BroadsheetApp(load_paths([str(SEEDS)]).stories)


async def reader_ready(pilot, *keys: str):
    screen = await ready(pilot)
    await pilot.press("escape", *keys)  # the first-start legend has its own snapshot
    await pilot.pause(0.2)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_first_start_with_the_legend():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert_snapshot(pilot.app, "reader-first-start-160x45")


@pytest.mark.parametrize("size", [(160, 45), (80, 24)])
async def test_reader(size):
    async with seeds_app().run_test(size=size) as pilot:
        await reader_ready(pilot, "j", "j", "j")
        assert_snapshot(pilot.app, f"reader-{size[0]}x{size[1]}")


@pytest.mark.parametrize(
    "keys, name",
    [
        (["F"], "facts-panel"),
        (["Q"], "quotes-panel"),
        (["slash", *"Lavrov", "enter"], "search-hits"),
        (["question_mark"], "help"),
    ],
)
async def test_panels_and_views(keys, name):
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        await reader_ready(pilot, *keys)
        assert_snapshot(pilot.app, name)


async def test_compare_view():
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await reader_ready(pilot)
        fact = screen.alignment.facts[0]
        article, ids = next(iter(fact.members.items()))
        screen.show_sentence(article, ids[0])
        await pilot.press("D")
        await pilot.pause(0.2)
        assert_snapshot(pilot.app, "compare-view")


async def test_story_list():
    articles = load_paths([str(SEEDS)]).stories[0].articles
    app = BroadsheetApp(
        [
            Story("sochi", articles[:2], title="Pompeo meets Putin in Sochi"),
            Story("venezuela", articles[2:], title="U.S., Russia spar over Iran, Venezuela"),
        ]
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.2)
        assert_snapshot(pilot.app, "story-list")


async def test_light_theme():
    app = seeds_app()
    async with app.run_test(size=(160, 45)) as pilot:
        app.theme = "textual-light"
        await reader_ready(pilot, "j", "j")
        assert_snapshot(app, "reader-light")


async def test_a_256_colour_terminal(monkeypatch):
    monkeypatch.setattr(palette_module, "colour_depth", lambda app: "256")
    monkeypatch.setattr(app_module, "colour_depth", lambda app: "256")
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        await reader_ready(pilot, "j", "j")
        assert_snapshot(pilot.app, "reader-256-colours")
