"""The reading desk from the reader: marks, notes, fact statuses, the marks lists, and the
stories they open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from ...base.model import Article, counted, shorten
from ...engine.pairs import SentenceKey
from ..desk_views import MarkRow, MarksScreen, NoteResult, NoteScreen, mark_line
from ..facts import FactsPanel

if TYPE_CHECKING:
    from ...desk.store import Mark


class DeskActions:
    """The reader's desk keys (mixed into ReaderScreen)."""

    def _desk_error(self, message: str) -> None:
        """From the desk's writer thread."""
        self.app.call_from_thread(self.notify, message, severity="error", timeout=8, markup=False)

    def _cursor_sentence(self) -> tuple[Article, int] | None:
        body = self.focused_pane.body
        return (body.article, body.cursor) if body.cursor is not None else None

    def _cursor_fact(self) -> int | None:
        key = self.current_key()
        return self.alignment.fact_of.get(key) if key is not None and self.alignment is not None else None

    def _cursor_note(self) -> str | None:
        place = self._cursor_sentence()
        if place is None:
            return None
        article, sid = place
        return self.story_marks.get(article, sid).note or self.story_marks.get(article, sid, "fact").note or None

    def _marks_changed(self, article: Article, *, statuses: bool = False) -> None:
        pane = next(p for p in self.panes if p.article.id == article.id)
        pane.body.signs = self.story_marks.signs(article.id).get(article.id, {})
        pane.body.refresh()
        if statuses and self.alignment is not None:  # the facts panel shows them
            self.query_one(FactsPanel).show(self.articles, self.alignment, self.fact_statuses())
        self.update_status()
        if self.context.desk is None and not getattr(self, "_said_unsaved", False):
            self._said_unsaved = True
            self.notify(
                f"Marks and notes will not be saved: {self.context.desk_problem or 'no reading desk'}.",
                severity="warning",
                timeout=8,
                markup=False,
            )

    def fact_statuses(self) -> dict[int, str]:
        statuses: dict[int, str] = {}
        if self.alignment is None:
            return statuses
        for (article_id, sid, scope), state in self.story_marks.by_sentence.items():
            fact = self.alignment.fact_of.get(SentenceKey(article_id, sid)) if scope == "fact" else None
            if fact is not None and state.status:
                statuses[fact] = state.status
        return statuses

    def action_bookmark(self) -> None:
        place = self._cursor_sentence()
        if place is None:
            return
        article, sid = place
        state = self.story_marks.change(article, sid, bookmark=not self.story_marks.get(article, sid).bookmark)
        self._marks_changed(article)
        self.notify("Marked." if state.bookmark else "Mark removed.", timeout=1.5)

    def action_note(self) -> None:
        place = self._cursor_sentence()
        if place is None:
            return
        article, sid = place
        fact = self._cursor_fact()
        on_fact = self.story_marks.get(article, sid, "fact").note
        existing = on_fact or self.story_marks.get(article, sid).note

        def save(result: NoteResult | None) -> None:
            if result is None:
                return
            scope = "fact" if result.whole_fact else "sentence"
            other = "sentence" if scope == "fact" else "fact"
            if self.story_marks.get(article, sid, other).note:  # the note moved between sentence and fact
                self.story_marks.change(article, sid, other, note="")
            self.story_marks.change(article, sid, scope, note=result.text)
            self._marks_changed(article)
            self.notify("Note saved." if result.text else "Note removed.", timeout=1.5)

        self.app.push_screen(
            NoteScreen(article.sentences[sid].text, existing, in_fact=fact is not None, whole_fact=bool(on_fact)), save
        )

    def action_fact_status(self) -> None:
        place, fact = self._cursor_sentence(), self._cursor_fact()
        if place is None or fact is None:
            self.notify("Put the cursor on a shared fact (coloured) to give it a status.", timeout=3)
            return
        article, sid = place
        members = self.alignment.facts[fact].members
        current = self.fact_statuses().get(fact)
        new = self.story_marks.next_status(current)
        # the status lives on one sentence of the fact: clear it wherever else it was set
        for article_id, ids in members.items():
            other = next(a for a in self.articles if a.id == article_id)
            for other_sid in ids:
                if (other_sid, other.id) != (sid, article.id) and self.story_marks.get(other, other_sid, "fact").status:
                    self.story_marks.change(other, other_sid, "fact", status=None)
                    self._marks_changed(other)
        self.story_marks.change(article, sid, "fact", status=new)
        self._marks_changed(article, statuses=True)
        self.notify(f"Fact {fact + 1}: {new or 'no status'}.", timeout=2)

    def _mark_rows(self) -> list[tuple[Content, MarkRow | None]]:
        rows = []
        by_id = {a.id: a for a in self.articles}
        for (article_id, sid, scope), state in sorted(
            self.story_marks.by_sentence.items(), key=lambda item: (item[0][0], item[0][1])
        ):
            article = by_id[article_id]
            rows.append(
                (
                    mark_line(
                        article.label,
                        article.sentences[sid].text,
                        note=state.note,
                        status=state.status,
                        bookmark=state.bookmark,
                        scope=scope,
                    ),
                    MarkRow(self.story.id, article_id, sid),
                )
            )
        rows += [(_stored_mark_line(mark, orphaned=True), None) for mark in self.story_marks.orphaned]
        return rows

    def action_marks(self) -> None:
        rows = self._mark_rows()
        if not rows:
            self.notify("No marks in this story yet: m marks a sentence, a writes a note.", timeout=3)
            return
        self.app.push_screen(
            MarksScreen(f"Marks · {counted(len(rows), 'mark')} · Enter goes there", rows), self._go_to_mark
        )

    def action_all_marks(self) -> None:
        from ...desk.store import story_key

        desk = self.context.desk
        if desk is None:
            self.notify(
                f"No reading desk: {self.context.desk_problem or 'marks are not saved'}.", timeout=4, markup=False
            )
            return
        self.story_marks.flush()
        here = story_key(self.story)
        rows: list[tuple[Content, MarkRow | None]] = []
        for story, title, marks in desk.all_marks():
            rows.append((Content.styled(shorten(title, 100), "bold $accent"), None))
            if story == here:
                rows += self._mark_rows()
                continue
            for mark in marks:
                rows.append((_stored_mark_line(mark), MarkRow(story, None, None, mark.article, mark.sentence_text)))
        if not rows:
            self.notify("No marks in any story yet: m marks a sentence, a writes a note.", timeout=3)
            return
        self.app.push_screen(MarksScreen("Every story's marks · Enter goes there", rows), self._go_to_mark)

    def _go_to_mark(self, row: MarkRow | None) -> None:
        if row is None:
            return
        if row.article is not None:
            self.show_sentence(row.article, row.sentence)
            self.follow()
            self.update_status()
        else:
            self.open_story(row.story, (row.article_key, row.sentence_text) if row.article_key else None)

    @work(thread=True, group="open-story")
    def open_story(self, key: str, at: tuple[str, str | None] | None = None) -> None:
        """Another story with marks: from this session's stories, else from where it was read."""
        from ...desk.store import story_key
        from ...ingest.loader import load_paths

        story = next((c for c in self.context.stories if story_key(c) == key), None)
        if story is None:
            sources = self.context.desk.sources(key)
            try:
                loaded = load_paths(sources).stories if sources else []
            except Exception:
                loaded = []
            story = next((c for c in loaded if story_key(c) == key), None)
        if story is None:
            self.app.call_from_thread(
                self.notify,
                "That story's files are no longer where they were read from; open them with broadsheet PATH.",
                severity="warning",
                timeout=6,
                markup=False,
            )
            return
        from .screen import ReaderScreen

        self.app.call_from_thread(
            self.app.push_screen, ReaderScreen(story, self.context, from_stories=True, start_at=at)
        )


def _stored_mark_line(mark: Mark, orphaned: bool = False) -> Content:
    """The row of a mark as the desk keeps it (not anchored to a loaded sentence)."""
    return mark_line(
        mark.outlet or "?",
        mark.sentence_text,
        note=mark.note,
        status=mark.status,
        bookmark=mark.bookmark,
        scope=mark.scope,
        orphaned=orphaned,
    )
