"""One line of key hints under a screen, from the active keymap.

Textual's Footer rebuilds itself whenever focus moves (its bindings change); opening a side
panel moved focus and spent about 90 ms there. The hints a reader needs do not change with
focus, so this line is built once.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..core.keymap import ACTIONS, Keymap, display_key

_SYMBOLS = {"enter": "⏎", "escape": "esc", "space": "␣"}


def key_hints(keymap: Keymap, scopes: tuple[str, ...]) -> Content:
    """Each action of these scopes that has a short label: its first key, then the label."""
    parts: list[str | tuple[str, str]] = []
    for scope in scopes:
        for action in ACTIONS:
            keys = keymap.keys_for(action.id)
            if action.scope != scope or not action.footer or not keys:
                continue
            parts += [(_SYMBOLS.get(keys[0], display_key(keys[0])), "bold $accent"), f" {action.footer}  "]
    return Content.assemble(*parts)


class KeyHints(Static):
    DEFAULT_CSS = "KeyHints { dock: bottom; height: 1; padding: 0 1; background: $panel; color: $text; }"

    def __init__(self, *scopes: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scopes = scopes

    def on_mount(self) -> None:
        self.update(key_hints(self.app.keymap, self.scopes))
