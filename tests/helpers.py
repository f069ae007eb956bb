"""What the tests share besides fixtures: the project's places, the seeds, a reader app on them,
and waiting for it (tests import these from here; conftest.py holds only fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.base.model import Article
from tui.ingest.loader import load_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"

needs_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared (corpus, gold) is not beside the project"
)


class CliRun:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)

    def json_lines(self) -> list:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


def sentence_texts(article: Article, kind: str | None = None) -> list[str]:
    return [s.text for s in article.sentences if kind is None or s.kind == kind]


def seeds_app(keymap=None):
    """The reader on the bundled seeds (imported late: only UI tests need Textual)."""
    from tui.ui.app import BroadsheetApp

    return BroadsheetApp(load_paths([str(SEEDS)]).stories, keymap)


async def settle(pilot, delay: float = 0.0) -> None:
    """Let debounce timers fire, workers finish and their messages land."""
    if delay:
        await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def ready(pilot):
    """Wait until the reader has aligned the articles; return the reader screen."""
    from tui.ui.reader import ReaderScreen

    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    for _ in range(1000):  # the background work starts just after the first frame
        if screen.alignment is not None and screen.quotes is not None:
            break
        await pilot.pause(0.01)
    await settle(pilot)
    assert screen.alignment is not None
    return screen


async def compare_sentence_with(pilot, screen, phrase: str):
    """Put the focused column's cursor on the sentence holding `phrase` and open the compare view."""
    from tui.ui.compare import CompareScreen

    article = screen.focused_pane.article
    screen.focused_pane.body.set_cursor(next(s.id for s in article.sentences if phrase in s.text))
    await pilot.press("D")
    assert isinstance(pilot.app.screen, CompareScreen)
    return pilot.app.screen
