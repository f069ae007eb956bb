"""The differences panel: per fact, the details the outlets give differently, with their words."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..base.model import Article, counted, shorten
from ..engine.differences import KIND_LABELS, Difference
from .panel import PANEL_LABEL, SidePanel


class DifferencesPanel(SidePanel):
    """A row per fact, then its differences: kind, each outlet's words. Enter goes there."""

    class Chosen(Message):
        def __init__(self, difference: Difference) -> None:
            super().__init__()
            self.difference = difference

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[Difference | None] = []

    def show(self, articles: list[Article], found: list[Difference]) -> None:
        labels = {a.id: a.label for a in articles}
        self.clear_options()
        self._rows = []
        options: list[Option] = []
        self.border_title = Content(f"{counted(len(found), 'difference')} inside facts")
        if not found:
            options.append(
                Option(
                    Content.styled("The outlets agree on every figure, date, role and quotation they share.", "italic"),
                    disabled=True,
                )
            )
            self._rows.append(None)
        by_fact: dict[int | None, list[Difference]] = {}
        for difference in found:
            by_fact.setdefault(difference.fact, []).append(difference)
        for fact, differences in sorted(by_fact.items(), key=lambda item: (item[0] is None, item[0] or 0)):
            heading = f"Fact {fact + 1}" if fact is not None else "Pairs outside facts"
            options.append(Option(Content.styled(heading, "bold $accent"), disabled=True))
            self._rows.append(None)
            for difference in differences:
                options.append(
                    Option(
                        Content.assemble(
                            (KIND_LABELS[difference.kind], "bold"),
                            "\n  ",
                            (shorten(labels.get(difference.a.article, "?"), PANEL_LABEL), "italic"),
                            " ",
                            ("“" + shorten(difference.a_text, 60) + "”", "underline"),
                            "\n  ",
                            (shorten(labels.get(difference.b.article, "?"), PANEL_LABEL), "italic"),
                            " ",
                            ("“" + shorten(difference.b_text, 60) + "”", "underline"),
                        )
                    )
                )
                self._rows.append(difference)
        self.add_options(options)

    @property
    def current(self) -> Difference | None:
        return self._rows[self.highlighted] if self.highlighted is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        difference = self._rows[event.option_index]
        if difference is not None:
            self.post_message(self.Chosen(difference))
