"""What the side panels (facts, quotes) share: their place on screen, short labels, coverage strips."""

from __future__ import annotations

from collections.abc import Container, Iterable

from textual.widgets import OptionList

from ..core.model import Article

LABEL_WIDTH = 60


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def coverage_strip(articles: Iterable[Article], present: Container[str]) -> str:
    """● for each article (in column order) whose id is in `present`, ○ for the others."""
    return "".join("●" if a.id in present else "○" for a in articles)


class SidePanel(OptionList):
    """A list docked on the right of the columns; Enter on a row goes there."""

    DEFAULT_CSS = """
    SidePanel { width: 50%; max-width: 90; min-width: 40; dock: right; border-left: thick $accent; }
    """
