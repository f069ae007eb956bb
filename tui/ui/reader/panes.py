"""A column of the reader: one article's header over its body."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from ...base.model import Article
from ..column import ArticleBody, ColumnHeader


class ArticlePane(Vertical):
    """A column: header over body. Its widgets exist from the start (state can be set on them)
    but are mounted only when the column is first shown: a story of 100 articles paints at
    once instead of mounting 300 widgets nobody sees yet."""

    def __init__(self, article: Article, index: int, *, shown: bool) -> None:
        super().__init__(classes="pane")
        self.article = article
        self.index = index
        self.header = ColumnHeader()
        self.body = ArticleBody(article)
        self.materialized = shown
        self.display = shown

    def compose(self) -> ComposeResult:
        if self.materialized:
            yield self.header
            yield self.body

    def materialize(self) -> None:
        if not self.materialized:
            self.materialized = True
            self.mount(self.header, self.body)
