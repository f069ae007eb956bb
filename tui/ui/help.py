"""Help: every key of the active keymap and what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..desk.keymap import ACTIONS, Keymap
from .keys import close_bindings
from .legend import legend_text
from .palette import FactPalette

SCOPES = {
    "app": "Anywhere",
    "reader": "Reading",
    "panel": "In the facts panel",
    "search": "In the search bar",
    "stories": "Story list",
}


class HelpScreen(ModalScreen[None]):
    BINDINGS = close_bindings("back", "help", "quit")
    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background; }  /* opaque: see CompareScreen */
    HelpScreen > VerticalScroll { width: 100; max-width: 95%; height: 90%; background: $surface;
                                  border: thick $accent; padding: 0 1; }
    HelpScreen .scope { text-style: bold; color: $accent; margin-top: 1; }
    """

    def __init__(self, keymap: Keymap, available: frozenset[str], palette: FactPalette) -> None:
        super().__init__()
        self.keymap = keymap
        self.available = available
        self.palette = palette

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            # Content, not a str: a keymap path with "[" in it is not markup
            scroll.border_title = Content(f"Keys · keymap: {self.keymap.name} · Escape closes")
            yield Static("What the marks mean", classes="scope")
            yield Static(legend_text(self.keymap, self.palette))
            for scope, title in SCOPES.items():
                actions = [a for a in ACTIONS if a.scope == scope and a.id in self.available]
                if not actions:
                    continue
                yield Static(title, classes="scope")
                rows = [
                    Content.assemble(
                        (f"{self.keymap.keys_label(a.id):>24}", "bold"), "  ", a.description, (f"  [{a.id}]", "dim")
                    )
                    for a in actions
                ]
                yield Static(Content("\n").join(rows))
            yield Static(Content.styled("In a panel, Enter goes to the selected row.", "dim"), classes="scope")

    def action_close(self) -> None:
        self.dismiss(None)
