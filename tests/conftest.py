from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.base.model import Article
from tui.cli import main
from tui.ingest.loader import load_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"

needs_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared (corpus, gold) is not beside the project"
)


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path_factory, monkeypatch):
    """Tests never touch the real user's config or state folders, nor the tmux they run in, nor
    the checkout."""
    home = tmp_path_factory.mktemp("user")
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    for variable in ("TMUX", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)
    # and never write into the checkout: an export ('e' in a random walk) lands in the working folder
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def seeds() -> dict[str, Article]:
    """The four seed articles by id prefix ('000' ...)."""
    cluster = load_paths([str(SEEDS)]).clusters[0]
    return {article.id[:3]: article for article in cluster.articles}


class CliRun:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)

    def json_lines(self) -> list:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture
def cli(capsys):
    """Run `broadsheet ARGS...` in-process; returns exit code, stdout and stderr."""

    def run(*args: str) -> CliRun:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


def sentence_texts(article: Article, kind: str | None = None) -> list[str]:
    return [s.text for s in article.sentences if kind is None or s.kind == kind]


def seeds_app(keymap=None):
    """The reader on the bundled seeds (imported late: only UI tests need Textual)."""
    from tui.ui.app import BroadsheetApp

    return BroadsheetApp(load_paths([str(SEEDS)]).clusters, keymap)


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
