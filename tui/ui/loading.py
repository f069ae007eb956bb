"""The loading screen: while pages and feeds are fetched, each address with its progress and
result; the columns (or the story list) open when every fetch is done."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ..base.model import counted
from .hints import KeyHints
from .keys import list_bindings

RESULT_WIDTH = 48
_STATES = {"fetching": ("fetching…", "dim"), "done": ("done", "green"), "cached": ("from the cache", "green")}


class AddressTable(DataTable):
    BINDINGS = list_bindings(top="scroll_top", bottom="scroll_bottom")


class LoadingScreen(Screen):
    """Shows what the app's loader reports; the app replaces it when the load ends."""

    class Reported(Message):
        def __init__(self, url: str, state: str) -> None:
            super().__init__()
            self.url = url
            self.state = state

    def __init__(self, addresses: list[str]) -> None:
        super().__init__()
        self.addresses = addresses
        self.finished = 0
        self.failed = 0

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="loading-title")
        table = AddressTable(cursor_type="row", zebra_stripes=True, id="loading")
        table.add_column("Address", key="address")
        table.add_column("Result", key="result", width=RESULT_WIDTH)
        for url in self.addresses:
            table.add_row(Text(url), Text("waiting", style="dim"), key=url)
        yield table
        yield KeyHints("app")

    def _title(self) -> Content:
        total = len(self.addresses)
        head = f"Fetching {counted(total, 'address')}: {self.finished} done"
        if self.failed:
            head += f", {self.failed} failed"
        return Content(head + " · the story opens when all are done")

    def on_loading_screen_reported(self, event: Reported) -> None:
        table = self.query_one(DataTable)
        if event.url not in self.addresses:  # a feed's item
            self.addresses.append(event.url)
            table.add_row(Text(event.url), Text("waiting", style="dim"), key=event.url)
        label, style = _STATES.get(event.state, (f"failed: {event.state}", "red"))
        if event.state != "fetching":
            self.finished += 1
            self.failed += event.state not in _STATES
        table.update_cell(event.url, "result", Text(label, style=style))
        self.query_one("#loading-title", Static).update(self._title())

    def show_problem(self, problem: str) -> None:
        """Nothing could be opened: say so here, and let the user read the list and quit."""
        self.query_one("#loading-title", Static).update(Content(f"{problem} · q quits"))
