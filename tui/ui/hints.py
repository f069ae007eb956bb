"""One line of key hints under a screen, from the active keymap.

Textual's Footer rebuilds itself whenever focus moves (its bindings change); opening a side
panel moved focus and spent about 90 ms there. The hints a reader needs do not change with
focus, so this line is built once.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..desk.keymap import ACTIONS, Keymap, display_key

_SYMBOLS = {"enter": "⏎", "escape": "esc", "space": "␣"}


ALWAYS_SHOWN = ("quit", "help")  # how to leave and where every key is: never cut by a narrow screen


def key_hints(keymap: Keymap, scopes: tuple[str, ...], width: int | None = None) -> Content:
    """Each action of these scopes that has a short label: its first key, then the label. Within
    `width` cells, the hints that fit in order, and always quit and help (last)."""
    hints: list[tuple[str, str, str]] = []  # action id, key, label
    for scope in scopes:
        for action in ACTIONS:
            keys = keymap.keys_for(action.id)
            if action.scope != scope or not action.footer or not keys:
                continue
            hints.append((action.id, _SYMBOLS.get(keys[0], display_key(keys[0])), f" {action.footer}  "))
    last = [h for h in hints if h[0] in ALWAYS_SHOWN]
    shown = [h for h in hints if h[0] not in ALWAYS_SHOWN]
    if width is not None:
        room = width - sum(len(key) + len(label) for _, key, label in last)
        fitted = []
        for hint in shown:
            room -= len(hint[1]) + len(hint[2])
            if room < 0:
                break
            fitted.append(hint)
        shown = fitted
    parts: list[str | tuple[str, str]] = []
    for _, key, label in shown + last:
        parts += [(key, "bold $accent"), label]
    return Content.assemble(*parts)


class KeyHints(Static):
    DEFAULT_CSS = "KeyHints { dock: bottom; height: 1; padding: 0 1; background: $panel; color: $text; }"

    def __init__(self, *scopes: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scopes = scopes
        self._width: int | None = None

    def on_mount(self) -> None:
        self._show()

    def on_resize(self) -> None:
        if self.content_size.width != self._width:
            self._show()

    def _show(self) -> None:
        self._width = self.content_size.width or None
        self.update(key_hints(self.app.keymap, self.scopes, self._width))
