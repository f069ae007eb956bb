"""One story's marks as the reader holds them: loaded from the desk at start, changed at once
on screen, written to the desk by one background writer (so a save never blocks a key, and
writes land in the order they were made)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from ..base.model import Article, Story
from ..desk.store import STATUS_SIGNS, STATUSES, Desk, DeskReadOnly, Mark

_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="broadsheet-desk")


@dataclass(slots=True)
class MarkState:
    bookmark: bool = False
    note: str = ""
    status: str | None = None

    @property
    def empty(self) -> bool:
        return not self.bookmark and not self.note and self.status is None


class StoryMarks:
    def __init__(self, desk: Desk | None, story: Story, on_error: Callable[[str], None]) -> None:
        self.desk = desk
        self.story = story
        self.on_error = on_error
        self.by_sentence: dict[tuple[str, int, str], MarkState] = {}  # (article id, sentence id, scope)
        self.orphaned: list[Mark] = []
        self.pending: list[Future] = []
        self.said_unsaved = False  # a read-only or damaged desk: said once, not at every mark
        if desk is not None:
            for mark in desk.marks(story):
                if mark.article_id is None or mark.sentence is None:
                    self.orphaned.append(mark)
                else:
                    self.by_sentence[(mark.article_id, mark.sentence, mark.scope)] = MarkState(
                        mark.bookmark, mark.note, mark.status
                    )

    def get(self, article: Article, sentence: int, scope: str = "sentence") -> MarkState:
        return self.by_sentence.get((article.id, sentence, scope)) or MarkState()

    def signs(self, only: str | None = None) -> dict[str, dict[int, str]]:
        """Per article id (or only one), one cell per marked sentence: ✎ a note, ● a bookmark,
        else its status sign."""
        out: dict[str, dict[int, str]] = {}
        for (article_id, sentence, _scope), state in self.by_sentence.items():
            if only is not None and article_id != only:
                continue
            sign = "✎" if state.note else "●" if state.bookmark else STATUS_SIGNS.get(state.status or "", "")
            signs = out.setdefault(article_id, {})
            if sign and signs.get(sentence) != "✎":
                signs[sentence] = sign
        return out

    def change(self, article: Article, sentence: int, scope: str = "sentence", **changes) -> MarkState:
        """Change a mark now (on screen) and queue its write."""
        state = self.by_sentence.setdefault((article.id, sentence, scope), MarkState())
        for name, value in changes.items():
            setattr(state, name, value)
        if state.empty:
            del self.by_sentence[(article.id, sentence, scope)]
        if self.desk is not None:
            text = article.sentences[sentence].text
            self.pending.append(_writer.submit(self._write, article, text, scope, dict(changes)))
        return state

    def _write(self, article: Article, text: str, scope: str, changes: dict) -> None:
        try:
            self.desk.update_mark(self.story, article, text, scope=scope, **changes)
        except DeskReadOnly as error:
            if not self.said_unsaved:
                self.said_unsaved = True
                self.on_error(str(error))
        except Exception as error:  # a full disk, a locked store held too long: say so, keep reading
            self.on_error(f"This mark was not saved: {error}")

    def flush(self, timeout: float = 5.0) -> None:
        """Wait for the queued writes (before the reader quits)."""
        for future in self.pending:
            try:
                future.result(timeout=timeout)
            except Exception:
                pass
        self.pending.clear()

    def next_status(self, current: str | None) -> str | None:
        order = [None, *STATUSES]
        return order[(order.index(current) + 1) % len(order)]
