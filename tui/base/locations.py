"""Where Broadsheet keeps the user's things: the one module that knows the folders.

By default each kind of file goes where the platform expects it (platformdirs: on Linux
~/.config/broadsheet, ~/.local/share/broadsheet, ~/.local/state/broadsheet,
~/.cache/broadsheet, each moved by the XDG variables). BROADSHEET_HOME puts them all in one
folder instead (config/, data/, state/, cache/ inside it): a portable install, a test, a
second desk. `--data-dir` still moves the reading desk alone.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "broadsheet"
HOME_VARIABLE = "BROADSHEET_HOME"


def home() -> Path | None:
    """The folder BROADSHEET_HOME names, if it names one."""
    value = os.environ.get(HOME_VARIABLE, "").strip()
    return Path(value).expanduser() if value else None


def config_folder() -> Path:
    from platformdirs import user_config_path

    root = home()
    return root / "config" if root else user_config_path(APP)


def data_folder() -> Path:
    from platformdirs import user_data_path

    root = home()
    return root / "data" if root else user_data_path(APP)


def state_folder() -> Path:
    from platformdirs import user_state_path

    root = home()
    return root / "state" if root else user_state_path(APP)


def cache_folder() -> Path:
    from platformdirs import user_cache_path

    root = home()
    return root / "cache" if root else user_cache_path(APP)


def keymap_file() -> Path:
    """The user's own keymap, used when no --keymap is given."""
    return config_folder() / "keymap.yaml"


def desk_folder() -> Path:
    """The reading desk's store (marks, notes, positions), unless --data-dir names another."""
    return data_folder()


def exports_folder() -> Path:
    """Where the reader's e writes when the working folder cannot be written."""
    return data_folder() / "exports"


def settings_file() -> Path:
    """What the reader remembers between runs (theme, legend seen)."""
    return state_folder() / "reader.json"


def clipboard_file() -> Path:
    """The last copied passage, when neither the terminal nor a clipboard tool takes it."""
    return state_folder() / "copied.txt"


def http_cache_folder() -> Path:
    """Pages fetched before: revalidated online, opened offline."""
    return cache_folder() / "http"
