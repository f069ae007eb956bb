"""The search bar: a query line and ranked results that update as you type."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..base.model import shorten
from ..engine.search import Hit, SearchIndex
from .keys import bindings
from .panel import PANEL_LABEL

DEBOUNCE = 0.08  # seconds of quiet typing before a search runs
RESULTS = 200  # hits kept (and highlighted in the columns)


def hit_prompt(hit: Hit, label: str, width: int = 200) -> Content:
    """'outlet: sentence' with the matched parts highlighted; never markup."""
    text = hit.text if len(hit.text) <= width else hit.text[:width] + "…"
    content = Content(text)
    for start, end in hit.spans:
        if start < len(text):
            content = content.stylize("bold reverse", start, min(end, len(text)))
    return Content.assemble((f"{label}: ", "bold $accent"), content)


class SearchBar(Vertical):
    """Typing searches (debounced, in a worker); Enter goes to a hit; Escape closes."""

    BINDINGS = bindings("search")
    DEFAULT_CSS = """
    SearchBar { height: auto; max-height: 14; background: $surface; border-top: tall $accent; }
    SearchBar > OptionList { height: auto; max-height: 10; border: none; min-width: 8; }
    SearchBar > Input, SearchBar > Input:focus { border: none; height: 1; padding: 0 1; background: $boost; }
    SearchBar > Static { height: 1; color: $text-muted; padding: 0 1; }
    """

    class Results(Message):
        """New results for the query (all of them, for highlighting in the columns)."""

        def __init__(self, query: str, hits: list[Hit]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

    class Chosen(Message):
        def __init__(self, hits: list[Hit], index: int) -> None:
            super().__init__()
            self.hits = hits
            self.index = index

    def __init__(self, labels: dict[str, str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.labels = labels
        self.index: SearchIndex | None = None
        self.hits: list[Hit] = []
        self.only_article: str | None = None
        self.focused_article: str | None = None
        self.quotes_only = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield OptionList(id="search-results")
        yield Static(id="search-info")
        yield Input(placeholder="search: words, 'exact, ^start, end$, !not, a | b", id="search-input")

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False  # keys stay in the input
        self.show_info()

    def open(self, focused_article: str | None) -> None:
        self.focused_article = focused_article
        self.display = True
        self.query_one(Input).focus()
        self.show_info()

    def show_info(self, extra: str = "") -> None:
        scope = f"only {self.labels.get(self.only_article, '')}" if self.only_article else "all articles"
        parts = [scope, "quotes only" if self.quotes_only else "", extra, "Enter: go · ↑↓: choose · Escape: close"]
        if self.index is None:
            parts.insert(0, "indexing…")
        self.query_one("#search-info", Static).update(Content(" · ".join(p for p in parts if p)))

    # ------------------------------------------------------------ searching

    @on(Input.Changed, "#search-input")
    def schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.run_search)

    def run_search(self) -> None:
        query = self.query_one(Input).value
        if self.index is None:
            self.show_info("indexing…")
            return
        self.search(query, self.only_article, self.quotes_only)

    @work(thread=True, exclusive=True, group="search")
    def search(self, query: str, only: str | None, quotes_only: bool) -> None:
        hits = (
            []
            if not query.strip()
            else self.index.search(query, limit=RESULTS, quotes_only=quotes_only, articles=[only] if only else None)
        )
        self.post_message(self.Results(query, hits))

    def on_search_bar_results(self, message: Results) -> None:
        if message.query != self.query_one(Input).value:
            return  # an older query's answer
        self.hits = message.hits
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(
            [Option(hit_prompt(h, shorten(self.labels.get(h.article, h.article), PANEL_LABEL))) for h in message.hits]
        )
        if message.hits:
            results.highlighted = 0
        count = f"{len(message.hits)} hits" if len(message.hits) < RESULTS else f"top {RESULTS} hits"
        self.show_info(count if message.query.strip() else "")

    def index_ready(self, index: SearchIndex) -> None:
        self.index = index
        self.run_search()

    # ------------------------------------------------------------ keys

    def on_key(self, event) -> None:
        results = self.query_one(OptionList)
        if event.key in ("down", "up") and results.option_count:
            event.stop()
            current = results.highlighted or 0
            step = 1 if event.key == "down" else -1
            results.highlighted = max(0, min(results.option_count - 1, current + step))

    @on(Input.Submitted, "#search-input")
    def choose(self) -> None:
        if self.hits:
            self.post_message(self.Chosen(self.hits, self.query_one(OptionList).highlighted or 0))

    def action_search_scope(self) -> None:
        self.only_article = None if self.only_article else self.focused_article
        self.run_search()
        self.show_info()

    def action_search_quotes(self) -> None:
        self.quotes_only = not self.quotes_only
        self.run_search()
        self.show_info()
