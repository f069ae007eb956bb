"""The Broadsheet application: chooses the first screen and applies the keymap."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from ..core.keymap import Keymap
from ..core.model import Cluster
from .help import HelpScreen
from .keys import bindings, default_keymap
from .reader import READER_ACTIONS, ReaderScreen
from .stories import StoriesScreen

AVAILABLE_ACTIONS = frozenset({"quit", "help", "open", "sort-facts", "search-scope", "search-quotes"}) | READER_ACTIONS


class BroadsheetApp(App[int]):
    CSS_PATH = Path(__file__).with_name("broadsheet.tcss")  # absolute: subclasses live elsewhere
    TITLE = "Broadsheet"
    BINDINGS = bindings("app")
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, clusters: list[Cluster], keymap: Keymap | None = None) -> None:
        super().__init__()
        self.clusters = clusters
        self.keymap = keymap or default_keymap()

    def on_mount(self) -> None:
        self.set_keymap(self.keymap.as_textual())
        if len(self.clusters) == 1:
            self.push_screen(ReaderScreen(self.clusters[0]))
        else:
            self.push_screen(StoriesScreen(self.clusters))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap, AVAILABLE_ACTIONS))
