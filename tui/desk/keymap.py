"""Key bindings as data: every user-facing action's stable id and description, and keymaps
(YAML files mapping ids to keys) with presets, `extends`, a user override and validation.

Textual-free, so `broadsheet keys` and the validation run before (and without) the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..base.gate import clean_inline
from ..base.reading import NotReadable, read_regular_file
from ..base.resources import keymaps_dir
from ..base.yamlfile import load_yaml, yaml_problem


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    description: str
    scope: str  # "app", "reader", "panel", "search", "stories": where the key acts
    footer: str = ""  # a short label when the footer shows it


# The reader's vocabulary. Ids are stable: keymap files refer to them.
ACTIONS: tuple[Action, ...] = (
    Action("quit", "Quit Broadsheet", "app", "Quit"),
    Action("help", "Show every key and what it does", "app", "Keys"),
    Action("command-palette", "Commands: switch the theme (remembered), quit, save a screenshot", "app"),
    Action("back", "Close a panel or view; back to the story list", "reader"),
    Action("next-sentence", "Cursor to the next sentence", "reader"),
    Action("prev-sentence", "Cursor to the previous sentence", "reader"),
    Action("half-page-down", "Half a page down", "reader"),
    Action("half-page-up", "Half a page up", "reader"),
    Action("page-down", "A page down", "reader"),
    Action("page-up", "A page up", "reader"),
    Action("top", "First sentence of the article", "reader"),
    Action("bottom", "Last sentence of the article", "reader"),
    Action("next-column", "Focus the next article (column)", "reader"),
    Action("prev-column", "Focus the previous article (column)", "reader"),
    Action("maximize", "Maximise the focused column (toggle)", "reader", "Max"),
    Action("counterparts", "Bring every other column to this sentence's counterparts", "reader", "Follow"),
    Action("next-fact", "Next shared fact in this article", "reader", "Fact"),
    Action("prev-fact", "Previous shared fact in this article", "reader"),
    Action("sync", "Sync mode: other columns follow the cursor (toggle)", "reader", "Sync"),
    Action(
        "facts-panel", "Facts panel: every shared fact and each outlet's unique sentences (toggle)", "reader", "Facts"
    ),
    Action("compare", "Compare the outlets' versions of this fact, word by word", "reader", "Compare"),
    Action("boilerplate", "Show or hide boilerplate (trailing blocks, newsletters)", "reader"),
    Action("stricter-facts", "Show only surer facts (raise the cut their sentences must pair at)", "reader"),
    Action("looser-facts", "Show weaker facts too (lower the cut their sentences must pair at)", "reader"),
    Action("headers", "Column headers: full (title, authors) or compact (toggle; compact below 30 rows)", "reader"),
    Action(
        "fact-numbers", "Fact numbers in the gutter instead of bars (toggle): facts without relying on colour", "reader"
    ),
    Action("copy", "Copy the sentence or passage with its attribution", "reader", "Copy"),
    Action("export", "Export this story as a self-contained HTML page (its path is shown)", "reader"),
    Action("bookmark", "Mark or unmark the sentence (kept between sessions)", "reader", "Mark"),
    Action("note", "Write a note on the sentence or its whole fact", "reader", "Note"),
    Action("fact-status", "Fact status: checked, disputed, unverified, none (cycles)", "reader"),
    Action("marks", "This story's marks and notes (Enter goes there)", "reader"),
    Action("all-marks", "Every story's marks and notes (Enter opens the story)", "reader"),
    Action("search", "Search all articles (fuzzy, fzf syntax)", "reader", "Search"),
    Action("search-next", "Next search match", "reader"),
    Action("search-prev", "Previous search match", "reader"),
    Action("search-scope", "Search all articles or only the focused one (toggle)", "search"),
    Action("search-quotes", "Search only inside quotation marks (toggle)", "search"),
    Action("quotes-panel", "Quotes panel: who said what, grouped by speaker (toggle)", "reader", "Quotes"),
    Action("differences-panel", "Differences panel: where outlets disagree inside a fact (toggle)", "reader", "Differ"),
    Action("sort-facts", "Facts panel: sort by coverage or by reading order", "panel"),
    Action("open", "Open the selected story", "stories"),
)
ACTION_IDS = frozenset(a.id for a in ACTIONS)
PRESETS = ("default", "vim", "emacs")
MAX_KEYMAP_BYTES = 1024 * 1024  # a keymap is a few KB; /dev/zero or a runaway file is refused

_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# Printable characters people will write instead of their names.
_CHARACTER_NAMES = {
    "!": "exclamation_mark",
    '"': "quotation_mark",
    "#": "number_sign",
    "$": "dollar_sign",
    "%": "percent_sign",
    "&": "ampersand",
    "'": "apostrophe",
    "(": "left_parenthesis",
    ")": "right_parenthesis",
    "*": "asterisk",
    "+": "plus",
    ",": "comma",
    "-": "minus",
    ".": "full_stop",
    "/": "slash",
    ":": "colon",
    ";": "semicolon",
    "<": "less_than_sign",
    "=": "equals_sign",
    ">": "greater_than_sign",
    "?": "question_mark",
    "@": "at",
    "[": "left_square_bracket",
    "\\": "backslash",
    "]": "right_square_bracket",
    "^": "circumflex_accent",
    "_": "underscore",
    "`": "grave_accent",
    "{": "left_curly_bracket",
    "|": "vertical_line",
    "}": "right_curly_bracket",
    "~": "tilde",
    " ": "space",
}
# Textual key names: letters, digits, named keys and the characters' names, modifiers joined with "+".
_NAMED_KEYS = frozenset(
    """
up down left right home end pageup pagedown insert delete backspace tab enter escape
f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 f13 f14 f15 f16 f17 f18 f19 f20 f21 f22 f23 f24
""".split()
) | frozenset(_CHARACTER_NAMES.values())
# Names shown as the character they stand for ('question_mark' -> '?'); space stays a word.
_SHOWN_AS = {name: character for character, name in _CHARACTER_NAMES.items() if name != "space"}


class KeymapError(Exception):
    """A keymap that cannot be used; str() is the one line the user sees, cleaned like any
    untrusted text (it quotes paths and values from the file)."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_inline(message))


@dataclass(slots=True)
class Keymap:
    name: str  # preset name or file path
    bindings: dict[str, list[str]]  # action id -> keys, in order of preference

    def keys_for(self, action_id: str) -> list[str]:
        return self.bindings.get(action_id, [])

    def keys_label(self, action_id: str) -> str:
        """An action's keys as a person reads them: '?, f1'."""
        return ", ".join(display_key(k) for k in self.keys_for(action_id))

    def as_textual(self) -> dict[str, str]:
        """The form App.set_keymap takes: id -> comma-separated keys."""
        return {action: ",".join(keys) for action, keys in self.bindings.items()}


def normalize_key(key: str) -> str:
    """A key as Textual names it ('?' -> 'question_mark', 'C-x' stays invalid)."""
    key = key.strip() if key.strip() else key
    if key in _CHARACTER_NAMES:
        return _CHARACTER_NAMES[key]
    return key


def is_valid_key(key: str) -> bool:
    parts = key.split("+")
    *modifiers, base = parts
    if any(m not in _MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(base) == 1:
        return base.isalnum() and base.isascii()
    return base in _NAMED_KEYS


def user_keymap_path() -> Path:
    """The user's override: keymap.yaml in the config folder (base.locations)."""
    from ..base.locations import keymap_file

    return keymap_file()


def preset_path(name: str) -> Path:
    return keymaps_dir() / f"{name}.yaml"


def load_keymap(name_or_path: str | None = None, user_file: Path | None = None) -> Keymap:
    """The active keymap: a preset (or a YAML file), then the user's override merged over it.

    Raises KeymapError for malformed YAML, unknown ids, invalid keys and clashes.
    """
    base = _resolve(name_or_path or "default", set())
    if user_file is not None and user_file.is_file():
        override = _read(user_file)
        if override.get("extends"):
            base = _resolve(str(override["extends"]), set())
        base = Keymap(
            clean_inline(f"{base.name} + {user_file}"), {**base.bindings, **_bindings_of(override, user_file)}
        )
    _check_complete(base)
    _check_clashes(base)
    return base


def _resolve(name_or_path: str, seen: set[str]) -> Keymap:
    path = Path(name_or_path)
    if name_or_path in PRESETS:
        path = preset_path(name_or_path)
    elif not path.suffix and not path.exists():
        raise KeymapError(f"unknown keymap '{name_or_path}' (presets: {', '.join(PRESETS)}, or a YAML file)")
    if str(path) in seen:
        raise KeymapError(f"{path}: 'extends' goes round in a circle")
    seen.add(str(path))
    document = _read(path)
    bindings: dict[str, list[str]] = {}
    # A file of the user's starts from the default preset unless it says otherwise.
    base = document.get("extends") or (None if name_or_path == "default" else "default")
    if base:
        bindings.update(_resolve(str(base), seen).bindings)
    bindings.update(_bindings_of(document, path))
    return Keymap(clean_inline(name_or_path), bindings)


def _read(path: Path) -> dict:
    try:
        text = read_regular_file(path, MAX_KEYMAP_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise KeymapError(f"{path}: no such keymap file") from None
    except NotReadable as problem:
        raise KeymapError(f"{path}: {problem}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KeymapError(f"{path}: cannot read: {error}") from None
    try:
        document = load_yaml(text)
    except yaml.YAMLError as error:
        raise KeymapError(f"{path}: invalid YAML at {yaml_problem(error)}") from None
    if document is None:
        return {}
    if not isinstance(document, dict) or not set(document) <= {"bindings", "extends"}:
        raise KeymapError(f"{path}: expected a mapping with 'bindings:' (and optionally 'extends:')")
    return document


def _bindings_of(document: dict, path: Path) -> dict[str, list[str]]:
    raw = document.get("bindings") or {}
    if not isinstance(raw, dict):
        raise KeymapError(f"{path}: 'bindings' must map binding ids to keys")
    bindings: dict[str, list[str]] = {}
    for action, value in raw.items():
        if action not in ACTION_IDS:
            close = _closest(str(action))
            hint = f" (did you mean '{close}'?)" if close else ""
            raise KeymapError(f"{path}: unknown binding id '{action}'{hint}; `broadsheet keys` lists them")
        if isinstance(value, list):
            keys = [str(v) for v in value]
        elif isinstance(value, str):
            keys = value.split(",") if value.strip() != "," else [","]
        else:
            raise KeymapError(f"{path}: '{action}': keys must be a string like 'j,down'")
        normalized = [normalize_key(k) for k in keys if k.strip() or k == " "]
        if not normalized:
            raise KeymapError(f"{path}: '{action}' has no keys")
        for key in normalized:
            if not is_valid_key(key):
                raise KeymapError(
                    f"{path}: '{action}': invalid key '{key}' (use Textual key names like "
                    f"'j', 'ctrl+d', 'pagedown', 'question_mark')"
                )
        bindings[str(action)] = normalized
    return bindings


def _closest(word: str) -> str | None:
    from rapidfuzz import process

    match = process.extractOne(word, sorted(ACTION_IDS), score_cutoff=70)
    return match[0] if match else None


def _check_complete(keymap: Keymap) -> None:
    missing = [a.id for a in ACTIONS if not keymap.bindings.get(a.id)]
    if missing:
        raise KeymapError(f"keymap '{keymap.name}' gives no key to: {', '.join(missing)}")


# Scopes whose keys act at the same time: the reader's keys also act while a panel or the
# search bar has focus; app-wide keys act everywhere.
_TOGETHER = {frozenset(("reader", "panel")), frozenset(("reader", "search"))}


def _clash(first: str, second: str) -> bool:
    return first == second or "app" in (first, second) or frozenset((first, second)) in _TOGETHER


def _check_clashes(keymap: Keymap) -> None:
    """Two actions on one key clash where both would act at once."""
    scope = {a.id: a.scope for a in ACTIONS}
    holders: dict[str, list[str]] = {}
    for action, keys in keymap.bindings.items():
        for key in keys:
            for other in holders.get(key, []):
                if _clash(scope[other], scope[action]):
                    raise KeymapError(f"keymap '{keymap.name}': key '{key}' is bound to both '{other}' and '{action}'")
            holders.setdefault(key, []).append(action)


# What common terminals (xterm, tmux, GNOME/VTE) deliver instead of some keys, checked in tmux
# with a key logger: a binding on the left never fires there.
_ARRIVES_AS = {
    "ctrl+h": "backspace",
    "ctrl+i": "tab",
    "ctrl+m": "enter",
    "ctrl+left_square_bracket": "escape",
    "alt+f": "ctrl+right",
    "alt+b": "ctrl+left",
}


def undelivered(key: str) -> str | None:
    """Why a key commonly never reaches the reader, or None when terminals deliver it."""
    if key in _ARRIVES_AS:
        return f"terminals send it as {_ARRIVES_AS[key]}"
    *modifiers, base = key.split("+")
    if "alt" in modifiers and (len(base) > 1 and base in _SHOWN_AS or base.isdigit()):
        return (
            f"terminals drop the alt (it arrives as {display_key(base) if base in _SHOWN_AS else 'another character'})"
        )
    if "ctrl" in modifiers and "shift" in modifiers:
        return "most terminals send it as the key without shift"
    if "ctrl" in modifiers and base.isdigit():
        return "most terminals do not send ctrl with a digit"
    if any(m in modifiers for m in ("super", "hyper", "meta")):
        return "terminals do not send this modifier"
    return None


def delivery_warnings(keymap: Keymap) -> list[str]:
    """One line per bound key that common terminals do not deliver."""
    return [
        f"'{display_key(key)}' ({action}): {reason}"
        for action, keys in keymap.bindings.items()
        for key in keys
        if (reason := undelivered(key)) is not None
    ]


def display_key(key: str) -> str:
    """A key as a person reads it: 'question_mark' -> '?', 'ctrl+d' -> 'ctrl+d'."""
    parts = key.split("+")
    parts[-1] = _SHOWN_AS.get(parts[-1], parts[-1])
    return "+".join(parts)
