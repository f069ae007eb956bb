"""Sharing what is read: a sentence or fact's passage to the clipboard, the story to a page."""

from __future__ import annotations

from textual import work

from ...engine.pairs import Alignment


class SharingActions:
    """The reader's copy and export keys (mixed into ReaderScreen)."""

    def action_copy(self) -> None:
        key = self.current_key()
        if key is None:
            return
        article = self.focused_pane.article
        ids = [key.sentence]
        if self.alignment is not None and key in self.alignment.fact_of:
            ids = self.alignment.facts[self.alignment.fact_of[key]].members[article.id]
        text = article.passage(ids)
        attribution = ", ".join(x for x in (article.label, article.date) if x)
        payload = f"{text}\n— {attribution}"
        self.app.copy_to_clipboard(payload)  # OSC 52: the terminal's clipboard, where it allows it
        self.store_copy(payload, f"{'passage' if len(ids) > 1 else 'sentence'} ({attribution})")

    @work(thread=True, group="copy")
    def store_copy(self, payload: str, what: str) -> None:
        """OSC 52 may be off (tmux's default): also put the text where it can surely be pasted,
        and say where."""
        from ...base.gate import clean_inline
        from ...desk.clipboard import store

        where = clean_inline(store(payload))
        if where.startswith("nowhere"):
            message, severity = f"Could not copy the {what}: {where}.", "error"
        else:
            message, severity = f"Copied the {what} to {where}.", "information"
        self.app.call_from_thread(self.notify, message, timeout=6, markup=False, severity=severity)

    def action_export(self) -> None:
        if not self._aligned():
            return
        self.export_story(self.alignment, self.quotes)

    @work(thread=True, exclusive=True, group="export")
    def export_story(self, alignment: Alignment, quotes) -> None:
        """The story as it is shown (this cut of facts) to an HTML page in the working folder,
        else in the user's data folder, under a name no earlier export has; the notification
        names the file."""
        from pathlib import Path

        from ...base.gate import clean_inline
        from ...base.locations import exports_folder
        from ...output.export import export_text, export_to_folder

        self.story_marks.flush()  # the marks just made are in the store, and so in the page
        text = export_text(
            [self.story], "html", [alignment], [quotes] if quotes is not None else None, desk=self.context.desk
        )
        problem = None
        for folder in (Path.cwd(), exports_folder()):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                written = export_to_folder(folder, self.story.id, text)  # never over an earlier page
            except OSError as error:
                problem = error
                continue
            message, severity = f"Exported the story to {clean_inline(str(written))}", "information"
            break
        else:
            message, severity = f"Could not export the story: {clean_inline(str(problem))}", "error"
        self.app.call_from_thread(self.notify, message, timeout=8, markup=False, severity=severity)
