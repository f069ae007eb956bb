"""The Broadsheet application: chooses the first screen and applies the keymap."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.color import Color

from ..base.gate import as_shown
from ..base.model import Story, counted
from ..desk.keymap import Keymap
from ..desk.settings import load_settings, save_settings
from ..ingest.formats import LoadError
from ..ingest.loader import is_skipped_input
from ..runtime.align_process import is_prefetching
from ..runtime.warmup import warm_up
from .context import ReaderContext
from .help import HelpScreen
from .keys import bindings, default_keymap
from .loading import LoadingScreen
from .palette import colour_depth, palette_for
from .readable import ReadableText
from .reader import READER_ACTIONS, ReaderScreen
from .stories import StoriesScreen

# loader(progress, cancelled) -> (stories, warnings); progress(url, state); cancelled: a threading.Event
Loader = Callable[[Callable[[str, str], None], threading.Event], tuple[list[Story], list[str]]]

AVAILABLE_ACTIONS = (
    frozenset({"quit", "help", "command-palette", "open", "sort-facts", "search-scope", "search-quotes"})
    | READER_ACTIONS
)


class BroadsheetApp(App[int]):
    CSS_PATH = Path(__file__).with_name("broadsheet.tcss")  # absolute: subclasses live elsewhere
    TITLE = "Broadsheet"
    BINDINGS = bindings("app")
    # the palette (themes among its commands) opens on the keymap's 'command-palette' keys

    def __init__(
        self,
        stories: list[Story] | None,
        keymap: Keymap | None = None,
        *,
        desk=None,
        desk_problem: str | None = None,
        fresh: bool = False,
        loader: Loader | None = None,
        addresses: list[str] | None = None,
    ) -> None:
        """`stories` to read; or a `loader` that fetches `addresses` (reporting each one's
        progress) and returns the stories and warnings, shown on a loading screen meanwhile."""
        super().__init__()
        self.loader = loader
        self.addresses = addresses or []
        self.return_code_on_quit = 0  # 1 when nothing could be loaded (the CLI's failed run)
        self.load_cancelled = threading.Event()  # set on quit: a slow fetch does not hold the exit
        self.desk = desk  # the reading desk (tui.desk.store.Desk), None when there is none
        self.desk_problem = desk_problem
        self.fresh = fresh
        if not is_prefetching():  # the helper process already has the engine
            warm_up()
        self.stories = stories or []
        self.keymap = keymap or default_keymap()
        self.settings = load_settings()

    def on_mount(self) -> None:
        self.set_keymap(self.keymap.as_textual())
        theme = self.settings.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        for warning in self.desk.warnings if self.desk is not None else []:
            self.notify(warning, severity="warning", timeout=10, markup=False)
        if self.desk is not None:  # what reading finds later (a damaged or busy store), from any thread
            self.desk.on_warning = lambda warning: self.notify(warning, severity="warning", timeout=10, markup=False)
        if self.desk is None and self.desk_problem:
            self.notify(
                f"Marks and notes will not be saved: {self.desk_problem}", severity="warning", timeout=10, markup=False
            )
        if self.loader is not None:
            self.push_screen(LoadingScreen(list(self.addresses)))
            self.run_worker(self._load, thread=True, exclusive=True, group="load")
        else:
            self._open_stories()

    def _open_stories(self) -> None:
        context = self.reader_context()
        first = (
            ReaderScreen(self.stories[0], context) if len(self.stories) == 1 else StoriesScreen(self.stories, context)
        )
        if isinstance(self.screen, LoadingScreen):
            self.switch_screen(first)
        else:
            self.push_screen(first)

    def _load(self) -> None:
        """In a thread: fetch and read; the loading screen hears of each address."""
        screen = self.screen

        def progress(url: str, state: str) -> None:
            screen.post_message(LoadingScreen.Reported(as_shown(url), state))

        try:
            stories, warnings = self.loader(progress, self.load_cancelled)
        except Exception as error:  # noqa: BLE001 — said on the loading screen, never a traceback
            if not self.load_cancelled.is_set():
                problem = (
                    error if isinstance(error, LoadError) else LoadError("loading", f"failed ({type(error).__name__})")
                )
                self.call_from_thread(self._load_failed, problem)
            return
        if not self.load_cancelled.is_set():
            self.call_from_thread(self._loaded, stories, warnings)

    def _loaded(self, stories: list[Story], warnings: list[str]) -> None:
        self.stories = stories
        skipped = [w for w in warnings if is_skipped_input(w)]
        if skipped:
            self.notify(
                f"{counted(len(skipped), 'input')} skipped: "
                + "; ".join(skipped[:3])
                + (" …" if len(skipped) > 3 else ""),
                severity="warning",
                timeout=12,
                markup=False,
            )
        for warning in [w for w in warnings if not is_skipped_input(w)][:3]:
            # a damaged cache, a stale copy standing in: said as it is, not counted as a skipped input
            self.notify(warning, severity="warning", timeout=12, markup=False)
        self._open_stories()

    def _load_failed(self, error: LoadError) -> None:
        self.return_code_on_quit = 1
        if isinstance(self.screen, LoadingScreen):
            self.screen.show_problem(str(error))

    def get_line_filters(self):
        """Textual's filters, then ours: no text on screen below WCAG AA contrast, in the
        colours this terminal shows (one filter per theme and colour depth)."""
        key = (self.theme, colour_depth(self))
        if getattr(self, "_readable_key", None) != key:
            foreground = Color.parse(self.theme_variables.get("foreground", "#e0e0e0"))
            self._readable, self._readable_key = ReadableText(foreground, key[1]), key
        return [*super().get_line_filters(), self._readable]

    def _remember_theme(self, theme) -> None:
        self.remember(theme=theme.name)

    def reader_context(self) -> ReaderContext:
        """What the reader screens are handed: the desk, the keymap, the settings, the stories."""
        return ReaderContext(
            self.keymap, self.desk, self.desk_problem, self.settings, self.remember, self.stories, self.fresh
        )

    def remember(self, **changes) -> None:
        """Keep a setting for the next run; say so once if the state folder cannot be written."""
        self.settings.update(changes)
        if not save_settings(**changes) and not getattr(self, "_said_cannot_remember", False):
            self._said_cannot_remember = True
            self.notify(
                "Settings cannot be saved (the state folder is not writable); they last until you quit.",
                severity="warning",
                markup=False,
            )

    async def action_quit(self) -> None:
        self.load_cancelled.set()
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.save_position()
        self.exit(return_code=self.return_code_on_quit)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap, AVAILABLE_ACTIONS, palette_for(self)))
