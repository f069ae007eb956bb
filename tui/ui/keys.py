"""Textual Bindings made from the keymap data: one Binding per action id, per scope."""

from __future__ import annotations

from functools import lru_cache

from textual.binding import Binding

from ..desk.keymap import ACTIONS, Keymap, load_keymap


@lru_cache(maxsize=1)
def default_keymap() -> Keymap:
    return load_keymap("default")


def action_name(action_id: str) -> str:
    return action_id.replace("-", "_")


def bindings(scope: str, only: frozenset[str] | None = None) -> list[Binding]:
    """The Bindings of one scope with their default keys; App.set_keymap re-keys them by id."""
    keymap = default_keymap()
    out = []
    for action in ACTIONS:
        if action.scope != scope or (only is not None and action.id not in only):
            continue
        out.append(
            Binding(
                ",".join(keymap.keys_for(action.id)),
                action_name(action.id),
                description=action.footer or action.description,
                show=bool(action.footer),
                id=action.id,
                tooltip=action.description,
            )
        )
    return out


# Motions that mean the same in a list: the keymap's up/down/page/top/bottom keys move its
# cursor (the list's own action names differ between OptionList and DataTable).
LIST_MOTIONS = {
    "next-sentence": "cursor_down",
    "prev-sentence": "cursor_up",
    "page-down": "page_down",
    "page-up": "page_up",
    "top": "first",
    "bottom": "last",
}


def list_bindings(**actions: str) -> list[Binding]:
    """The reader's motion keys, under the same ids (so a keymap moves them too), bound to a
    list's cursor; keyword arguments rename actions ('top="scroll_top"')."""
    keymap = default_keymap()
    names = {**LIST_MOTIONS, **{key.replace("_", "-"): value for key, value in actions.items()}}
    return [
        Binding(",".join(keymap.keys_for(action_id)), action, show=False, id=action_id)
        for action_id, action in names.items()
    ]


def close_bindings(*action_ids: str) -> list[Binding]:
    """Bindings that close a modal view, on the keys of the actions that opened or leave it
    (so a keymap that moves those keys moves these too)."""
    keymap = default_keymap()
    return [Binding(",".join(keymap.keys_for(a)), "close", "Close", id=a, show=a == "back") for a in action_ids]
