"""What the side panels (facts, quotes) share: their place on screen, short labels, coverage strips."""

from __future__ import annotations

from collections.abc import Container, Iterable

from textual import events
from textual.widgets import OptionList

from ..base.model import Article
from .keys import list_bindings

LABEL_WIDTH = 60
PANEL_LABEL = 16  # cells of an outlet's label in a panel row


def coverage_strip(articles: Iterable[Article], present: Container[str]) -> str:
    """● for each article (in column order) whose id is in `present`, ○ for the others."""
    return "".join("●" if a.id in present else "○" for a in articles)


PANEL_SHARE, PANEL_MIN, PANEL_MAX = 50, 40, 90  # percent of the screen, and bounds in cells


def panel_width(screen_width: int) -> int:
    """The cells a shown side panel takes (its CSS below says the same), known before layout:
    the columns can be laid out once, not once with the panel and again to fit it."""
    return max(PANEL_MIN, min(PANEL_MAX, screen_width * PANEL_SHARE // 100))


class SidePanel(OptionList):
    """A list docked on the right of the columns; Enter on a row goes there."""

    BINDINGS = list_bindings()

    DEFAULT_CSS = f"""
    SidePanel {{ width: {PANEL_SHARE}%; max-width: {PANEL_MAX}; min-width: {PANEL_MIN}; dock: right;
                 border-left: thick $accent; }}
    """

    _wrapped_width: int | None = None

    def _on_resize(self, event: events.Resize) -> None:
        # OptionList rewraps every row on any resize; showing a hidden panel is one, and the
        # rows' wrapping only depends on the width. Rewrapping a hundred rows was most of the
        # cost of opening the facts panel.
        width = self.scrollable_content_region.width
        if width == self._wrapped_width:
            event.prevent_default()
        self._wrapped_width = width
