"""What the side panels (facts, quotes) share: their place on screen and short labels."""

from __future__ import annotations

from textual.widgets import OptionList

LABEL_WIDTH = 60


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


class SidePanel(OptionList):
    """A list docked on the right of the columns; Enter on a row goes there."""

    DEFAULT_CSS = """
    SidePanel { width: 50%; max-width: 90; min-width: 40; dock: right; border-left: thick $accent; }
    """
