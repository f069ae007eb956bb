"""The reader: one story's articles side by side, alignment made visible and followable."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from ...base.collector import settle, unsettle
from ...base.model import Article, Story, counted, shorten
from ...engine.pairs import THRESHOLD, Alignment, SentenceKey, next_cut
from ..column import ArticleBody
from ..compare import CompareScreen
from ..context import ReaderContext
from ..differences_panel import DifferencesPanel
from ..facts import FactsPanel, Target
from ..hints import KeyHints
from ..keys import bindings
from ..legend import Legend
from ..palette import palette_for
from ..panel import PANEL_LABEL, panel_width
from ..quotes_panel import QuotesPanel
from ..search import SearchBar
from ..story_marks import StoryMarks
from .desk_actions import DeskActions
from .panes import ArticlePane
from .position import Position
from .search_actions import SearchActions
from .sharing import SharingActions
from .status import StatusLine, fit_status

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
MIN_COLUMN_WIDTH = 40
MIN_HEIGHT = 10
COMPACT_HEADERS_BELOW = 30  # rows: a five-line header would leave too little text
LEGEND_MIN_HEIGHT = 20  # below this the first-start legend would leave too little text
READER_ACTIONS = frozenset(
    {
        "back",
        "next-sentence",
        "prev-sentence",
        "half-page-down",
        "half-page-up",
        "page-down",
        "page-up",
        "top",
        "bottom",
        "next-column",
        "prev-column",
        "maximize",
        "counterparts",
        "next-fact",
        "prev-fact",
        "sync",
        "facts-panel",
        "compare",
        "boilerplate",
        "copy",
        "search",
        "search-next",
        "search-prev",
        "quotes-panel",
        "stricter-facts",
        "looser-facts",
        "fact-numbers",
        "headers",
        "export",
        "bookmark",
        "note",
        "fact-status",
        "marks",
        "all-marks",
        "differences-panel",
    }
)


class ReaderScreen(DeskActions, Position, SearchActions, SharingActions, Screen):
    """Layout, alignment, moving and following facts live here; the desk, the position kept
    between sessions, search, and copy/export each in their own module, mixed in."""

    BINDINGS = bindings("reader", READER_ACTIONS)
    AUTO_FOCUS = ""  # keys go to the screen; panels take focus only when shown

    class IndexReady(Message):
        def __init__(self, index) -> None:
            super().__init__()
            self.index = index

    class AlignmentReady(Message):
        def __init__(self, alignment: Alignment) -> None:
            super().__init__()
            self.alignment = alignment

    def __init__(
        self,
        story: Story,
        context: ReaderContext,
        *,
        from_stories: bool = False,
        start_at: tuple[str, str | None] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.start_at = start_at  # (article key, sentence text): a mark opened from another story
        self.story = story
        self.articles = story.articles
        self.from_stories = from_stories
        self.alignment: Alignment | None = None
        self.cut = THRESHOLD  # what counts as the same fact; the align command's --min-score
        # plain attributes, not reactives: a reactive on the screen would repaint all of it
        self.focused_column = 0
        self.sync = False
        self.single_column = False
        self.search_hits: list = []
        self.differences: list = []  # where the outlets disagree inside facts (engine.differences)
        self.quotes = None
        self.search_position = 0
        self.first_visible = 0
        self.visible_count = 1
        self.show_boilerplate = False
        self.fact_numbers = False  # set on mount: on by default where NO_COLOR takes the colours away
        self.other_headers = False  # the 'headers' key: full where they would be compact, or the reverse
        self.compact_headers: bool | None = None  # as last drawn
        self._spin = 0
        self._search_started = False
        self._building = {"alignment", "index", "quotes"}  # settled once all three are built
        self.panes: list[ArticlePane] = []

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with Horizontal(id="columns"):
            guess = max(1, self.app.size.width // MIN_COLUMN_WIDTH)  # reflow settles it
            for index, article in enumerate(self.articles):
                yield ArticlePane(article, index, shown=index < guess)
        yield Static(id="too-small")
        yield FactsPanel(id="facts")
        yield QuotesPanel(id="quotes")
        yield DifferencesPanel(id="differences")
        yield SearchBar({a.id: a.label for a in self.articles}, id="searchbar")
        yield Legend(id="legend")
        yield StatusLine(id="status")
        yield KeyHints("reader", "app")

    def on_mount(self) -> None:
        self.fact_numbers = self.app.no_color
        self.panes = list(self.query(ArticlePane))
        self.status_line = self.query_one(StatusLine)
        self._spinner = self.set_interval(0.12, self.update_status)
        for panel in self.side_panels:
            panel.display = panel.can_focus = False  # no keys go to a hidden panel
        self.query_one("#too-small").display = False
        legend = self.query_one(Legend)
        legend.display = False
        if not self.context.settings.get("legend_seen"):
            legend.show(self.context.keymap, palette_for(self.app))  # first start: what the marks mean
            legend.pending = True
        self.title_text()
        self.reflow()  # draws the headers, compact or full for this height
        self.panes[0].body.cursor = self._first_body(self.articles[0]) if self.articles else None
        self.query_one(SearchBar).display = False
        self.story_marks = StoryMarks(self.context.desk, self.story, self._desk_error)
        signs = self.story_marks.signs()
        for pane in self.panes:
            pane.body.signs = signs.get(pane.article.id, {})
        if self.context.desk is not None and not self.context.fresh:
            self.restore_position()
        if self.start_at is not None:
            self.call_after_refresh(self._open_at_mark)
        from ...runtime.align_process import take_alignment_if_ready

        ready = take_alignment_if_ready(self.articles, self.cut)  # the helper may be done already
        if ready is not None:
            self.call_later(self.on_reader_screen_alignment_ready, self.AlignmentReady(ready))
            self.call_after_refresh(self._start_search)
        else:
            self.call_after_refresh(self.start_background_work)  # first paint first, then the heavy work
        self.update_status()

    @property
    def focused_pane(self) -> ArticlePane:
        return self.panes[self.focused_column]

    def on_resize(self) -> None:
        self.reflow()

    def reflow(self) -> None:
        """Show as many columns as fit; keep the focused one in view; say if nothing fits."""
        width, height = self.size.width, self.size.height
        if any(panel.display for panel in self.side_panels):
            width -= panel_width(self.size.width)
        legend = self.query_one(Legend)
        # the first-start legend gives way to a side panel and to a small terminal
        show_legend = legend.pending and width == self.size.width and height >= LEGEND_MIN_HEIGHT
        if legend.display != show_legend:
            legend.display = show_legend
        compact = (height < COMPACT_HEADERS_BELOW and not self.single_column) != self.other_headers
        if compact != self.compact_headers:
            self.compact_headers = compact
            for pane in self.panes:
                self.refresh_header(pane)
        too_small = self.size.width < MIN_COLUMN_WIDTH or height < MIN_HEIGHT
        notice = self.query_one("#too-small", Static)
        notice.display = too_small
        self.query_one("#columns").display = not too_small
        if too_small:
            notice.update(
                Content(
                    f"Terminal too small: {self.size.width}x{height}. Broadsheet needs at least "
                    f"{MIN_COLUMN_WIDTH}x{MIN_HEIGHT}; make the window larger."
                )
            )
            return
        fit = max(1, width // MIN_COLUMN_WIDTH)
        self.visible_count = 1 if self.single_column else min(fit, len(self.articles))
        if self.focused_column < self.first_visible:
            self.first_visible = self.focused_column
        elif self.focused_column >= self.first_visible + self.visible_count:
            self.first_visible = self.focused_column - self.visible_count + 1
        self.first_visible = max(0, min(self.first_visible, len(self.articles) - self.visible_count))
        for pane in self.panes:
            shown = self.first_visible <= pane.index < self.first_visible + self.visible_count
            if shown:
                pane.materialize()
            if pane.display != shown:  # assigning even the same value asks for a new layout
                pane.display = shown
            focused = pane.index == self.focused_column
            if pane.header.has_class("focused") != focused:
                pane.header.set_class(focused, "focused")
            pane.body.set_active(focused)
        self.update_status()

    # ------------------------------------------------------------ alignment

    def start_background_work(self) -> None:
        """Alignment first, alone (the colours are what a reader waits for); the search index
        and quotes start when it is shown."""
        self.run_alignment()

    @work(thread=True, exclusive=True, group="align")
    def run_alignment(self) -> None:
        from ...runtime.align_process import take_alignment

        alignment = take_alignment(self.articles, self.cut)  # the helper process's, if it has it
        if alignment is None:
            from ...engine.align import align  # numpy and scipy load here, off the UI thread

            alignment = align(self.articles, min_score=self.cut)
        self.post_message(self.AlignmentReady(alignment))

    def action_stricter_facts(self) -> None:
        self._step_cut(1)

    def action_looser_facts(self) -> None:
        self._step_cut(-1)

    def _step_cut(self, step: int) -> None:
        link = next_cut(self.cut, step)
        if link == self.cut:
            self.notify(f"Facts already at their {'surest' if step > 0 else 'loosest'} (pair {link:.2f} or more).")
            return
        self.cut = link
        self.run_alignment()  # exclusive: a newer cut replaces a run still going

    @work(thread=True, exclusive=True, group="index")
    def build_search_index(self) -> None:
        from ...engine.search import SearchIndex

        self.post_message(self.IndexReady(SearchIndex(self.articles)))

    class QuotesReady(Message):
        def __init__(self, found) -> None:
            super().__init__()
            self.found = found

    @work(thread=True, exclusive=True, group="quotes")
    def find_quotes(self) -> None:
        from ...engine.quotes import extract_quotes

        self.post_message(self.QuotesReady(extract_quotes(self.articles)))

    def on_reader_screen_quotes_ready(self, message: QuotesReady) -> None:
        self.quotes = message.found
        self.query_one(QuotesPanel).show(self.articles, message.found)
        self._built("quotes")

    def _built(self, part: str) -> None:
        """When the story's alignment, index and quotes are all built, after that frame is
        painted, the collector stops rescanning them (see collector.settle)."""
        if part in self._building:
            self._building.discard(part)
            if not self._building:
                self.call_after_refresh(settle)

    def on_unmount(self) -> None:
        unsettle()

    def action_quotes_panel(self) -> None:
        self._toggle_panel(self.query_one(QuotesPanel))

    def on_quotes_panel_chosen(self, message: QuotesPanel.Chosen) -> None:
        group = self.quotes.groups[message.group]
        places: dict[str, list[int]] = {}
        for qid in group.quotes:
            quote = self.quotes.quotes[qid]
            places.setdefault(quote.article, []).append(quote.sentence)
        self._highlight(places)
        for pane in self.panes:
            if pane.article.id in places:
                pane.body.set_cursor(places[pane.article.id][0], center=True)
        first = self.quotes.quotes[group.quotes[0]]
        self.show_sentence(first.article, first.sentence)
        self.update_status()

    def on_reader_screen_index_ready(self, message: IndexReady) -> None:
        self.query_one(SearchBar).index_ready(message.index)
        self._built("index")

    def on_reader_screen_alignment_ready(self, message: AlignmentReady) -> None:
        self.alignment = message.alignment
        self._spinner.stop()
        for pane in self.panes:
            pane.body.set_facts(self.alignment.by_article.get(pane.article.id, {}))
            self.refresh_header(pane)
        self._show_fact_numbers()
        self.query_one(FactsPanel).show(self.articles, self.alignment, self.fact_statuses())
        self.update_status()
        self.find_differences(self.alignment)
        if self.quotes is None and not self._search_started:
            self._start_search()
        self._built("alignment")

    class DifferencesReady(Message):
        def __init__(self, alignment: Alignment, found: list) -> None:
            super().__init__()
            self.alignment = alignment
            self.found = found

    @work(thread=True, exclusive=True, group="differences")
    def find_differences(self, alignment: Alignment) -> None:
        from ...engine.differences import differences

        self.post_message(self.DifferencesReady(alignment, differences(self.articles, alignment)))

    def on_reader_screen_differences_ready(self, message: DifferencesReady) -> None:
        if message.alignment is not self.alignment:
            return  # a newer cut is being compared
        self.differences = message.found
        marked: dict[str, dict[int, list[tuple[int, int]]]] = {}
        for difference in message.found:
            for key, span in ((difference.a, difference.a_span), (difference.b, difference.b_span)):
                marked.setdefault(key.article, {}).setdefault(key.sentence, []).append(span)
        for pane in self.panes:
            pane.body.differences = marked.get(pane.article.id, {})
            pane.body.refresh()
        self.query_one(DifferencesPanel).show(self.articles, message.found)

    def _start_search(self) -> None:
        if not self._search_started:
            self._search_started = True
            self.build_search_index()
            self.find_quotes()

    def refresh_header(self, pane: ArticlePane) -> None:
        article = pane.article
        body = sum(1 for s in article.sentences if s.kind == "body")
        if self.alignment is None:
            counts = f"{counted(len(article.sentences), 'sentence')} · aligning…"
        else:
            facts = self.alignment.by_article.get(article.id, {})
            shared = counted(len(set(facts.values())), "fact") + ("" if self.compact_headers else " shared")
            counts = f"{counted(len(article.sentences), 'sentence')} · {shared} · {max(body - len(facts), 0)} unique"
        pane.header.show(article, counts, compact=bool(self.compact_headers))

    # ------------------------------------------------------------ status

    def title_text(self) -> None:
        story = self.story
        title = Content.assemble(
            ("Broadsheet", "bold $accent"),
            "  ",
            story.display_title,
            (f"  · {counted(len(self.articles), 'article')}", "dim"),
        )
        self.query_one("#title", Static).update(title)

    def update_status(self) -> None:
        if not self.is_mounted:
            return
        first, last = self.first_visible + 1, self.first_visible + self.visible_count
        total = len(self.articles)
        # (full, short, keep): when the line is too narrow (a panel open, 80 columns) the short
        # forms come first, then the parts with the lowest `keep` go
        parts: list[tuple[str, str, int]] = [
            (
                f"columns {first}–{last} of {total}" if last > first else f"column {first} of {total}",
                f"{first}–{last}/{total}" if last > first else f"{first}/{total}",
                1,
            )
        ]
        if self.alignment is None:
            self._spin = (self._spin + 1) % len(SPINNER)
            parts.append((f"{SPINNER[self._spin]} aligning…", f"{SPINNER[self._spin]} aligning…", 5))
        elif len(self.articles) < 2:
            parts.append(("one article: nothing to compare", "one article", 5))
        elif not self.alignment.facts:
            parts.append(
                (
                    f"no shared facts (pair ≥ {self.alignment.threshold:.2f}): "
                    "the articles may not be about the same event",
                    "no shared facts",
                    5,
                )
            )
        else:
            count = counted(len(self.alignment.facts), "fact")
            parts.append((f"{count} (pair ≥ {self.alignment.threshold:.2f})", count, 2))
            hint = self._cursor_hint()
            if hint:
                parts.append((*hint, 4))
        note = self._cursor_note()
        if note:
            parts.append((f"✎ {note}", f"✎ {shorten(note, 30)}", 5))
        parts.append(("sync on" if self.sync else "sync off", "sync on" if self.sync else "sync off", 3))
        if self.single_column:
            parts.append(("maximised", "max", 2))
        if self.show_boilerplate:
            parts.append(("boilerplate shown", "+boilerplate", 1))
        if self.search_hits:
            from ...desk.keymap import display_key

            keys = [self.context.keymap.keys_for(action) for action in ("search-next", "search-prev")]
            step = "/".join(display_key(k[0]) for k in keys if k)  # as the keymap has them: n/N, ctrl+s/ctrl+r
            parts.append(
                (
                    f"match {self.search_position + 1}/{len(self.search_hits)} ({step})",
                    f"match {self.search_position + 1}/{len(self.search_hits)}",
                    6,
                )
            )
        self.status_line.text = fit_status(parts, self._status_room())

    def _status_room(self) -> int:
        """Cells the status line can show: a side panel covers its right-hand part."""
        width = self.size.width - 2  # padding
        if any(panel.display for panel in self.side_panels):
            width -= panel_width(self.size.width)
        return max(width, 10)

    def _cursor_hint(self) -> tuple[str, str] | None:
        """What the focused sentence is: "fact 3 · in 3 of 4 outlets", or "only in AP" (and a
        short form)."""
        article, sid = self.focused_pane.article, self.focused_pane.body.cursor
        if sid is None or article.sentences[sid].kind not in ("body", "heading"):
            return None
        fact = self.alignment.fact_of.get(SentenceKey(article.id, sid))
        if fact is None:
            only = f"only in {shorten(article.label, PANEL_LABEL)}"
            return only, only
        members = len(self.alignment.facts[fact].members)
        return (
            f"fact {fact + 1} · in {members} of {counted(len(self.articles), 'outlet')}",
            f"fact {fact + 1} · {members}/{len(self.articles)}",
        )

    # ------------------------------------------------------------ moving

    def _first_body(self, article: Article) -> int | None:
        return next(
            (s.id for s in article.sentences if s.kind == "body"),
            article.sentences[0].id if article.sentences else None,
        )

    def _after_move(self) -> None:
        if self.sync:
            self.follow(center=False)
        self.update_status()

    def action_next_sentence(self) -> None:
        self.focused_pane.body.move_cursor(1)
        self._after_move()

    def action_prev_sentence(self) -> None:
        self.focused_pane.body.move_cursor(-1)
        self._after_move()

    def action_half_page_down(self) -> None:
        self.focused_pane.body.move_page(0.5)
        self._after_move()

    def action_half_page_up(self) -> None:
        self.focused_pane.body.move_page(-0.5)
        self._after_move()

    def action_page_down(self) -> None:
        self.focused_pane.body.move_page(1.0)
        self._after_move()

    def action_page_up(self) -> None:
        self.focused_pane.body.move_page(-1.0)
        self._after_move()

    def action_top(self) -> None:
        self.focused_pane.body.cursor_to_edge(bottom=False)
        self._after_move()

    def action_bottom(self) -> None:
        self.focused_pane.body.cursor_to_edge(bottom=True)
        self._after_move()

    def action_next_column(self) -> None:
        self.focus_column(min(self.focused_column + 1, len(self.articles) - 1))

    def action_prev_column(self) -> None:
        self.focus_column(max(self.focused_column - 1, 0))

    def focus_column(self, index: int) -> None:
        if index == self.focused_column:
            return
        self.focused_column = index
        body = self.focused_pane.body
        if body.cursor is None:
            body.cursor = body.first_on_screen() if body.size.height else self._first_body(body.article)
        self.reflow()

    def action_maximize(self) -> None:
        self.single_column = not self.single_column
        self.reflow()

    def action_headers(self) -> None:
        self.other_headers = not self.other_headers
        self.reflow()

    def action_fact_numbers(self) -> None:
        self.fact_numbers = not self.fact_numbers
        self._show_fact_numbers()
        self.update_status()

    def _show_fact_numbers(self) -> None:
        widest = len(self.alignment.facts) if self.alignment is not None else 1
        for pane in self.panes:
            pane.body.show_fact_numbers(self.fact_numbers, widest)

    def action_boilerplate(self) -> None:
        self.show_boilerplate = not self.show_boilerplate
        for pane in self.panes:
            pane.body.show_boilerplate = self.show_boilerplate
            pane.body.relayout()
        self.update_status()

    def on_article_body_sentence_clicked(self, message: ArticleBody.SentenceClicked) -> None:
        pane = message.body.parent
        if isinstance(pane, ArticlePane):
            self.focus_column(pane.index)
            pane.body.set_cursor(message.sentence)
            self._after_move()

    # ------------------------------------------------------------ following facts

    def current_key(self) -> SentenceKey | None:
        body = self.focused_pane.body
        return None if body.cursor is None else SentenceKey(body.article.id, body.cursor)

    def follow(self, *, center: bool = True) -> bool:
        """Bring every other column to the counterparts of the focused sentence (and highlight
        them); False when the sentence is in no fact. Repaints only what changes."""
        key = self.current_key()
        fact = self.alignment.fact_of.get(key) if key is not None and self.alignment is not None else None
        members = self.alignment.facts[fact].members if fact is not None else {}
        self._highlight(members)
        for pane in self.panes:
            ids = members.get(pane.article.id)
            if ids and pane.index != self.focused_column:
                pane.body.set_cursor(ids[0], center=center)
        if center and members:
            self._bring_into_view([p.index for p in self.panes if p.article.id in members])
        return fact is not None

    def _bring_into_view(self, columns: list[int]) -> None:
        """When no other column holding the fact is on screen, move the view to the nearest one
        (keeping the focused column), or, if both cannot fit, focus it."""
        others = [c for c in columns if c != self.focused_column]
        shown = range(self.first_visible, self.first_visible + self.visible_count)
        if not others or any(c in shown for c in others):
            return
        nearest = min(others, key=lambda c: abs(c - self.focused_column))
        if abs(nearest - self.focused_column) < self.visible_count:
            # the nearer one at the view's edge, the focused column still inside it
            self.first_visible = nearest if nearest < self.focused_column else nearest - self.visible_count + 1
            self.reflow()
        else:
            self.focus_column(nearest)

    def _highlight(self, places: dict[str, list[int]]) -> None:
        """Mark these sentences (article id -> sentence ids) in every column, clearing the rest;
        only columns whose marks change repaint."""
        for pane in self.panes:
            ids = set(places.get(pane.article.id, ()))
            if pane.body.highlighted != ids:
                pane.body.highlighted = ids
                pane.body.refresh()

    def _aligned(self) -> bool:
        """Whether the alignment is there; if not, say so (keys that need it wait for it)."""
        if self.alignment is None:
            self.notify("Still aligning the articles…", timeout=2)
        return self.alignment is not None

    def action_counterparts(self) -> None:
        if self._aligned() and not self.follow():
            self.notify("This sentence is only in this outlet (no counterpart found).", timeout=3)

    def _step_fact(self, direction: int) -> None:
        if not self._aligned():
            return
        body = self.focused_pane.body
        article = body.article
        visible = body.visible_ids
        current = self.alignment.fact_of.get(SentenceKey(article.id, body.cursor)) if body.cursor is not None else None
        start = visible.index(body.cursor) if body.cursor in visible else -1
        order = visible[start + 1 :] if direction > 0 else visible[: max(start, 0)][::-1]
        for sid in order:
            fact = self.alignment.fact_of.get(SentenceKey(article.id, sid))
            if fact is not None and fact != current:
                if direction < 0:  # land on the passage's first sentence
                    sid = self.alignment.facts[fact].members[article.id][0]
                body.set_cursor(sid, context=True)
                self.follow()
                self.update_status()
                return
        self.notify("No further shared fact in this article.", timeout=2)

    def action_next_fact(self) -> None:
        self._step_fact(1)

    def action_prev_fact(self) -> None:
        self._step_fact(-1)

    def action_sync(self) -> None:
        self.sync = not self.sync
        if self.sync:
            self.follow(center=False)
        self.update_status()

    def action_facts_panel(self) -> None:
        self._toggle_panel(self.query_one(FactsPanel))

    @property
    def side_panels(self) -> list:
        return [self.query_one(FactsPanel), self.query_one(QuotesPanel), self.query_one(DifferencesPanel)]

    def action_differences_panel(self) -> None:
        self._toggle_panel(self.query_one(DifferencesPanel))

    def on_differences_panel_chosen(self, message: DifferencesPanel.Chosen) -> None:
        """Both sentences of the difference in view, the cursor on the first."""
        difference = message.difference
        other = self.show_sentence(difference.b.article, difference.b.sentence)
        other.body.set_cursor(difference.b.sentence, center=True)
        self.show_sentence(difference.a.article, difference.a.sentence)
        self.update_status()

    def _toggle_panel(self, panel) -> None:
        """Show one side panel (hiding the others) or hide it; the shown one takes the keys."""
        for other in self.side_panels:
            if other is not panel and other.display:
                other.display = other.can_focus = False
        panel.display = panel.can_focus = not panel.display
        if panel.display:
            panel.focus()
            if panel.highlighted is None and panel.option_count:
                panel.highlighted = next(
                    (i for i in range(panel.option_count) if not panel.get_option_at_index(i).disabled), 0
                )
        else:
            self.set_focus(None)
        self.reflow()

    def on_facts_panel_chosen(self, message: FactsPanel.Chosen) -> None:
        self.go_to(message.target)

    def go_to(self, target: Target) -> None:
        if self.alignment is None:
            return
        if target.fact is not None:
            members = self.alignment.facts[target.fact].members
            first_article = next(iter(members))
            self.show_sentence(first_article, members[first_article][0])
        elif target.article is not None:
            self.show_sentence(target.article, target.sentence)
        self.follow()
        self.update_status()

    def show_sentence(self, article_id: str, sentence: int | None) -> ArticlePane:
        """Focus an article's column and put its cursor, centred, on a sentence."""
        pane = next(p for p in self.panes if p.article.id == article_id)
        self.focus_column(pane.index)
        pane.body.set_cursor(sentence, center=True)
        return pane

    def action_compare(self) -> None:
        quotes_panel = self.query_one(QuotesPanel)
        if quotes_panel.display and quotes_panel.current_group is not None and self.quotes is not None:
            group = self.quotes.groups[quotes_panel.current_group]
            labels = {a.id: a.label for a in self.articles}
            passages = []
            for qid in group.quotes:
                quote = self.quotes.quotes[qid]
                kind = " (paraphrase)" if quote.paraphrase else ""
                passages.append((labels[quote.article] + kind, quote.text))
            self.app.push_screen(
                CompareScreen(
                    f"Quote · {group.speaker or 'speaker unknown'} · {counted(len(passages), 'version')}", passages
                )
            )
            return
        key = self.current_key()
        if self.alignment is None or key is None or key not in self.alignment.fact_of:
            self.notify("Put the cursor on a shared fact (coloured) to compare its versions.", timeout=3)
            return
        fact = self.alignment.facts[self.alignment.fact_of[key]]
        by_id = {a.id: a for a in self.articles}
        passages, differing = [], []
        for article_id, ids in fact.members.items():
            article = by_id[article_id]
            passages.append((article.label, article.passage(ids)))
            starts, at = {}, 0
            for sid in ids:  # where each sentence starts in the joined passage
                starts[sid] = at
                at += len(article.sentences[sid].text) + 1
            spans = [
                (starts[k.sentence] + s, starts[k.sentence] + e)
                for d in self.differences
                if d.fact == fact.id
                for k, (s, e) in ((d.a, d.a_span), (d.b, d.b_span))
                if k.article == article_id and k.sentence in starts
            ]
            differing.append(spans)
        self.app.push_screen(
            CompareScreen(f"Fact {fact.id + 1} · {counted(len(passages), 'outlet')}", passages, differing)
        )

    def action_back(self) -> None:
        bar = self.query_one(SearchBar)
        if bar.display or self.search_hits:
            bar.display = False
            self.set_focus(None)
            self.clear_search()
            return
        for panel in self.side_panels:
            if panel.display:
                panel.display = panel.can_focus = False
                self.set_focus(None)
                self.reflow()
                return
        if any(p.body.highlighted for p in self.panes):
            self._highlight({})
            return
        legend = self.query_one(Legend)
        if legend.display:
            legend.pending = legend.display = False
            self.context.remember(legend_seen=True)
            return
        if self.from_stories:
            self.save_position()
            self.app.pop_screen()
