"""The reading desk's views: writing a note, and the list of marks (this story's or all)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ..base.gate import clean_inline, strip_control
from ..base.model import shorten
from ..desk.store import STATUS_SIGNS


class DismissedOnce:
    """A modal that goes once. Screen.dismiss pops whatever screen is on top, and what was
    queued before the first dismiss (a list's choice from Enter Enter typed quickly) still
    reaches this screen after it has gone: a second dismiss popped the reader beneath, a third
    the last screen (ScreenStackError)."""

    _dismissed = False

    def dismiss(self, result=None) -> AwaitComplete:
        if self._dismissed or self.app.screen is not self:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)


@dataclass(frozen=True, slots=True)
class NoteResult:
    text: str
    whole_fact: bool


class NoteScreen(DismissedOnce, ModalScreen[NoteResult | None]):
    """A note on a sentence or on its whole fact: ctrl+s saves, Escape cancels."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True), Binding("escape", "cancel", "Cancel", priority=True)]
    DEFAULT_CSS = """
    NoteScreen { align: center middle; background: $background 60%; }
    NoteScreen > Vertical { width: 90; max-width: 95%; height: auto; max-height: 90%; background: $surface;
                            border: thick $accent; padding: 0 1; }
    NoteScreen .quoted { color: $text-muted; text-style: italic; margin-bottom: 1; max-height: 4; }
    NoteScreen TextArea { height: 8; }
    NoteScreen .hint { color: $text-muted; }
    """

    def __init__(self, sentence: str, note: str, *, in_fact: bool, whole_fact: bool) -> None:
        super().__init__()
        self.sentence = sentence
        self.note = note
        self.in_fact = in_fact
        self.whole_fact = whole_fact

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Note")
            yield Static(Content(f"“{shorten(self.sentence, 300)}”"), classes="quoted")
            yield TextArea(self.note, id="note", soft_wrap=True)
            checkbox = Checkbox("on the whole fact (every outlet's sentences)", self.whole_fact, id="whole-fact")
            checkbox.display = self.in_fact
            yield checkbox
            yield Static(Content("ctrl+s saves · Escape cancels · an empty note removes it"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        whole = self.in_fact and self.query_one(Checkbox).value
        self.dismiss(NoteResult(self.query_one(TextArea).text.strip(), whole))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class MarkRow:
    """What a row of the marks list leads to."""

    story: str
    article: str | None  # the loaded article's id, None when not anchored (another story, orphaned)
    sentence: int | None
    # in another story: the mark's article (content key) and sentence, where that story opens
    article_key: str | None = None
    sentence_text: str | None = None


class MarksScreen(DismissedOnce, ModalScreen[MarkRow | None]):
    """Marks and notes, newest story first; Enter goes there."""

    BINDINGS = [Binding("escape", "cancel", "Close", priority=True)]
    DEFAULT_CSS = """
    MarksScreen { align: center middle; background: $background 60%; }
    MarksScreen > OptionList { width: 110; max-width: 95%; height: 80%; border: thick $accent; }
    """

    def __init__(self, title: str, rows: list[tuple[Content, MarkRow | None]]) -> None:
        super().__init__()
        self.heading = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        options = OptionList(*[Option(text, disabled=row is None) for text, row in self.rows], id="marks")
        options.border_title = Content(self.heading)
        yield options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = next((i for i, (_, row) in enumerate(self.rows) if row is not None), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.rows[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


def mark_line(
    label: str, text: str, *, note: str, status: str | None, bookmark: bool, scope: str, orphaned: bool = False
) -> Content:
    """One row: signs (● bookmark, ✎ note, ✓✗? status), outlet, the sentence, the note; plain
    text (never markup), through the gate whatever it came from (the store is read from outside)."""
    label, text, note = clean_inline(label), clean_inline(text), strip_control(note)
    signs = ("●" if bookmark else " ") + ("✎" if note else " ") + STATUS_SIGNS.get(status or "", " ")
    parts: list = [(signs, "bold $accent"), " ", (shorten(label, 16), "bold"), "  ", shorten(text, 90)]
    if scope == "fact":
        parts.append(("  (whole fact)", "dim"))
    if orphaned:
        parts.append(("  (orphaned: no longer in the article)", "$warning"))
    if note:
        parts += ["\n      ", (shorten(" ".join(note.split()), 100), "italic")]
    return Content.assemble(*parts)
