"""Search from the reader: the search bar's hits marked in the columns, stepped through."""

from __future__ import annotations

from ..search import SearchBar


class SearchActions:
    """The reader's search keys (mixed into ReaderScreen)."""

    def action_search(self) -> None:
        self.query_one(SearchBar).open(self.focused_pane.article.id)

    def on_search_bar_chosen(self, message: SearchBar.Chosen) -> None:
        self.search_hits = message.hits
        self.query_one(SearchBar).display = False
        self.set_focus(None)
        matches: dict[str, dict[int, list[tuple[int, int]]]] = {}
        for hit in self.search_hits:
            matches.setdefault(hit.article, {})[hit.sentence] = list(hit.spans)
        for pane in self.panes:
            pane.body.matches = matches.get(pane.article.id, {})
            pane.body.refresh()
        self.show_match(message.index)

    def show_match(self, position: int) -> None:
        if not self.search_hits:
            self.notify("No search results: / searches.", timeout=2)
            return
        self.search_position = position % len(self.search_hits)
        hit = self.search_hits[self.search_position]
        self.show_sentence(hit.article, hit.sentence)
        self._after_move()

    def action_search_next(self) -> None:
        self.show_match(self.search_position + 1)

    def action_search_prev(self) -> None:
        self.show_match(self.search_position - 1)

    def clear_search(self) -> None:
        self.search_hits = []
        for pane in self.panes:
            if pane.body.matches:
                pane.body.matches = {}
                pane.body.refresh()
        self.update_status()
