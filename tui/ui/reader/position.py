"""Where the reader was in a story: saved to the desk on leaving, restored on coming back."""

from __future__ import annotations


class Position:
    """The reader's place in a story (mixed into ReaderScreen)."""

    def position_state(self) -> dict:
        from ...desk.store import article_key

        columns = {}
        for pane in self.panes:
            body = pane.body
            if body.cursor is not None:
                columns[article_key(pane.article)] = {
                    "cursor": body.cursor,
                    "text": pane.article.sentences[body.cursor].text,
                    "scroll": int(body.scroll_y),
                }
        return {
            "focused": article_key(self.focused_pane.article),
            "first_visible": self.first_visible,
            "columns": columns,
            "sync": self.sync,
            "boilerplate": self.show_boilerplate,
            "maximised": self.single_column,
        }

    def save_position(self) -> None:
        desk = self.context.desk
        if desk is None or not self.panes:
            return
        self.story_marks.flush()
        try:
            desk.save_position(self.story, self.position_state())
        except Exception:  # quitting must not fail because the desk cannot be written
            pass

    def _open_at_mark(self) -> None:
        """A story opened from the all-marks list starts at the mark chosen, not where it was read."""
        from ...desk.store import anchor, article_key

        key, text = self.start_at or (None, None)
        pane = next((p for p in self.panes if article_key(p.article) == key), None)
        if pane is None:
            return
        sentence = anchor(pane.article, text) if text else None
        self.show_sentence(pane.article.id, sentence if sentence is not None else pane.body.cursor)
        self.update_status()

    def restore_position(self) -> None:
        from ...desk.store import anchor, article_key

        state = self.context.desk.position(self.story)
        if not state:
            return
        keys = {article_key(p.article): p for p in self.panes}
        self.sync = state.get("sync") is True
        self.single_column = state.get("maximised") is True
        if state.get("boilerplate") is True:
            self.action_boilerplate()
        columns = state.get("columns") if isinstance(state.get("columns"), dict) else {}
        for key, column in columns.items():
            pane = keys.get(key)
            if pane is None or not isinstance(column, dict) or not isinstance(column.get("text"), str):
                continue
            sid = anchor(pane.article, column["text"])
            if sid is not None:
                pane.body.cursor = sid
                if isinstance(column.get("scroll"), int) and column["scroll"] >= 0:
                    pane.body.restore_scroll = column["scroll"]
        focused = keys.get(state.get("focused"))
        if focused is not None:
            self.focused_column = focused.index
        if isinstance(state.get("first_visible"), int):
            self.first_visible = state["first_visible"]
        self.reflow()
