"""Compare view: one fact's passages from every outlet, stacked, with a word-level diff."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..base.textnorm import fold
from .keys import close_bindings

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def word_diff(passages: list[str], differing: list[list[tuple[int, int]]] | None = None) -> list[Content]:
    """Each passage as Content: words every passage has stay plain, words some others share are
    italic, words only this passage has are bold and coloured; where the outlets disagree (a
    figure, a date, a role, a quotation's wording) is underlined."""
    bags = [{fold(m.group()) for m in _WORD.finditer(p)} for p in passages]
    out = []
    differing = differing or [[] for _ in passages]
    for text, disagree in zip(passages, differing):
        spans = []
        for match in _WORD.finditer(text):
            word = fold(match.group())
            holders = sum(word in other for other in bags)
            if holders == 1 and len(passages) > 1:
                spans.append((match.start(), match.end(), "bold $warning"))
            elif holders < len(passages):
                spans.append((match.start(), match.end(), "italic $text-muted"))
        content = Content(text)
        for start, end, style in spans:
            content = content.stylize(style, start, end)
        for start, end in disagree:
            content = content.stylize("underline reverse", start, end)
        out.append(content)
    return out


class CompareScreen(ModalScreen[None]):
    """Passages of one fact (or one quote group), one outlet each."""

    BINDINGS = close_bindings("back", "compare", "quit")
    DEFAULT_CSS = """
    /* opaque: a see-through modal re-tints every cell of the reader below (~90 ms to open) */
    CompareScreen { align: center middle; background: $background; }
    CompareScreen > VerticalScroll { width: 90%; height: 90%; background: $surface; border: thick $accent;
                                     padding: 0 1; }
    CompareScreen .outlet { text-style: bold; color: $accent; margin-top: 1; }
    CompareScreen .legend { color: $text-muted; }
    """

    def __init__(
        self, title: str, passages: list[tuple[str, str]], differing: list[list[tuple[int, int]]] | None = None
    ) -> None:
        super().__init__()
        self.heading = title
        self.passages = passages  # (outlet label, passage text)
        self.differing = differing  # per passage: spans where the outlets disagree

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = Content(self.heading)  # Content: a heading is never markup
            yield Static(
                Content.assemble(
                    "plain",
                    " words every outlet uses  ·  ",
                    ("italic", "italic $text-muted"),
                    " some share  ·  ",
                    ("bold", "bold $warning"),
                    " only this outlet  ·  ",
                    ("differs", "underline reverse"),
                    " where outlets disagree  ·  Escape closes",
                ),
                classes="legend",
            )
            for (outlet, _), content in zip(self.passages, word_diff([p for _, p in self.passages], self.differing)):
                yield Static(Content(outlet), classes="outlet")
                yield Static(content, classes="passage")

    def action_close(self) -> None:
        self.dismiss(None)
