"""Fixtures for every test: private user folders, the seeds, the CLI run in-process."""

from __future__ import annotations

import pytest

from helpers import SEEDS, CliRun
from tui.base.model import Article
from tui.cli import main
from tui.ingest.loader import load_paths


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path_factory, monkeypatch):
    """Tests never touch the real user's config or state folders, nor the tmux they run in, nor
    the checkout."""
    home = tmp_path_factory.mktemp("user")
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    for variable in ("TMUX", "DISPLAY", "WAYLAND_DISPLAY", "BROADSHEET_HOME"):
        monkeypatch.delenv(variable, raising=False)
    # and never write into the checkout: an export ('e' in a random walk) lands in the working folder
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="session")
def seeds() -> dict[str, Article]:
    """The four seed articles by id prefix ('000' ...)."""
    story = load_paths([str(SEEDS)]).stories[0]
    return {article.id[:3]: article for article in story.articles}


@pytest.fixture
def cli(capsys):
    """Run `broadsheet ARGS...` in-process; returns exit code, stdout and stderr."""

    def run(*args: str) -> CliRun:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run
