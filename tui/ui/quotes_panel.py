"""The quotes panel: direct quotations grouped by speaker, each with the outlets carrying it."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..base.model import Article, counted, shorten
from ..engine.quotes import QuoteSet
from .panel import SidePanel, coverage_strip


class QuotesPanel(SidePanel):
    """Speaker rows, then that speaker's quote groups: text, outlets ●○. Enter goes there."""

    class Chosen(Message):
        def __init__(self, group: int) -> None:
            super().__init__()
            self.group = group

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._groups: list[int | None] = []
        self.found: QuoteSet | None = None

    def show(self, articles: list[Article], found: QuoteSet) -> None:
        self.found = found
        self.clear_options()
        options: list[Option] = []
        self._groups = []
        self.border_title = Content(
            f"{counted(len(found.quotes), 'quote')} · {counted(len(found.groups), 'group')} · by speaker"
        )
        for speaker, groups in found.by_speaker():
            options.append(Option(Content.styled(speaker or "Speaker unknown", "bold $accent"), disabled=True))
            self._groups.append(None)
            for group in groups:
                first = found.quotes[group.quotes[0]]
                carried = {found.quotes[q].article for q in group.quotes}
                strip = coverage_strip(articles, carried)
                paraphrased = any(found.quotes[q].paraphrase for q in group.quotes)
                note = " + paraphrase" if paraphrased else ""
                options.append(
                    Option(
                        Content.assemble(
                            (strip, "bold"), " “", shorten(first.text, 70), "”", (note, "italic $text-muted")
                        )
                    )
                )
                self._groups.append(group.id)
        self.add_options(options)

    @property
    def current_group(self) -> int | None:
        return self._groups[self.highlighted] if self.highlighted is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        group = self._groups[event.option_index]
        if group is not None:
            self.post_message(self.Chosen(group))
