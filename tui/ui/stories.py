"""The story list, shown first when the input holds several stories."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ..base.model import Story, counted
from ..engine.story_finder import date_span, outlets_of
from .context import ReaderContext
from .hints import KeyHints
from .keys import bindings, list_bindings


class StoryTable(DataTable):
    BINDINGS = list_bindings(top="scroll_top", bottom="scroll_bottom")


class StoriesScreen(Screen):
    BINDINGS = bindings("stories")

    def __init__(self, stories: list[Story], context: ReaderContext) -> None:
        super().__init__()
        self.stories = stories
        self.context = context

    def compose(self) -> ComposeResult:
        yield Static(
            Content(f"{counted(len(self.stories), 'story')} · Enter opens one, Escape comes back here"),
            id="stories-title",
        )
        table = StoryTable(cursor_type="row", zebra_stripes=True, id="stories")
        table.add_columns("Story", "Date", "Articles", "Outlets")
        for story in self.stories:
            outlets = outlets_of(story)
            # Text, not str: a DataTable parses plain strings as markup
            table.add_row(
                Text(story.display_title[:80]),
                Text(date_span(story)),
                Text(str(len(story.articles))),
                Text(", ".join(outlets)[:50] if outlets else "-"),
                key=story.id,
            )
        yield table
        yield KeyHints("stories", "app")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_story(event.cursor_row)

    def action_open(self) -> None:
        self.open_story(self.query_one(DataTable).cursor_row)

    def open_story(self, index: int) -> None:
        from .reader import ReaderScreen

        self.app.push_screen(ReaderScreen(self.stories[index], self.context, from_stories=True))
