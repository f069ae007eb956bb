"""The reader's status line: the story's state in one line that fits whatever room is left."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

STATUS_SEPARATOR = "  ·  "


def fit_status(parts: list[tuple[str, str, int]], room: int) -> str:
    """Join the parts in their order within `room` cells: a tighter separator, then short forms
    (least kept first), then drop the least kept parts."""
    texts = {i: full for i, (full, _, _) in enumerate(parts)}
    fits = len(STATUS_SEPARATOR.join(t for t in texts.values() if t)) <= room
    separator = STATUS_SEPARATOR if fits else " · "

    def line() -> str:
        return separator.join(t for _, t in sorted(texts.items()) if t)

    by_keep = sorted(range(len(parts)), key=lambda i: parts[i][2])
    for i in by_keep:
        if len(line()) <= room:
            break
        texts[i] = parts[i][1]
    for i in by_keep:
        if len(line()) <= room:
            break
        del texts[i]
    return line()


class StatusLine(Widget):
    """One line of state; repaints itself without asking the screen for a new layout."""

    DEFAULT_CSS = "StatusLine { height: 1; }"
    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Content:
        return Content(self.text)
